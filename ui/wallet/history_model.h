#pragma once
// HistoryModel: the wallet's transactions (listtransactions, newest first) as a table, read a page
// at a time as the view scrolls (canFetchMore/fetchMore) and filtered by the node, so a wallet
// with years of history never loads it all. Re-read in place when the wallet changes.

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace blyan::ui {

class WalletModel;

struct TxRow {
    QString txid, kind, direction, address, label, status;
    quint64 amount = 0, fee = 0;
    qint64 timeMs = 0;
    qint64 height = -1;  // -1 while pending
};

class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StatusColumn, TimeColumn, KindColumn, AddressColumn, AmountColumn, FeeColumn, ColumnCount };
    enum Role { TxidRole = Qt::UserRole + 1, StatusRole, DirectionRole, AmountUnitsRole, AddressRole };
    static constexpr int kPageSize = 100;

    HistoryModel(WalletModel *wallet, QObject *parent = nullptr);

    // Empty strings mean "any". Reloads from the first page.
    void setFilter(const QString &direction, const QString &kind, const QString &status, const QString &search);
    const TxRow &row(int r) const { return rows_.at(r); }
    // Re-reads the rows shown so far (statuses move from pending to final).
    void reload();
    bool isLoading() const { return loading_; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    static QString statusText(const QString &status);  // "Pending", "Confirmed", "Final"
    static QString kindText(const QString &kind, const QString &direction);  // "Received", "Stake"

Q_SIGNALS:
    void loadingChanged(bool loading);
    // listtransactions failed: the node's message (empty once a read succeeds again).
    void errorChanged(const QString &message);

private:
    void request(int count, int skip, bool replace);
    void setLoading(bool on);

    WalletModel *wallet_;
    QList<TxRow> rows_;
    QJsonObject filter_;
    bool atEnd_ = false;
    bool loading_ = false;
    quint64 generation_ = 0;  // answers to an older filter or reload are dropped
};

}  // namespace blyan::ui
