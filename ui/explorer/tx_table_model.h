#pragma once
// TxTableModel: a list of transactions as the node sends them (getblock verbosity 2, listaddresstransactions)
// for the block and address views: kind, from, to or object, amount, fee; in address mode also the block,
// the time and the direction seen from that address.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

class QTableView;

namespace blyan::ui {

class TxTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Mode { Block, Address };
    enum Column { IndexColumn, TxidColumn, KindColumn, FromColumn, ToColumn, AmountColumn, FeeColumn, ColumnCount };
    enum Role { TxidRole = Qt::UserRole + 1, ObjectNameRole };

    explicit TxTableModel(Mode mode, QObject *parent = nullptr);

    void setTransactions(const QJsonArray &txs);
    void appendTransactions(const QJsonArray &txs);
    const QJsonObject &tx(int row) const { return rows_.at(row); }
    // The row of the transaction that publishes the object named `name`; -1 when none does.
    int rowOfObject(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    Mode mode_;
    QList<QJsonObject> rows_;
};

// The transactions table the block and address views show: whole rows, read-only, no grid.
QTableView *makeTransactionTable(TxTableModel *model, const QString &objectName);

}  // namespace blyan::ui
