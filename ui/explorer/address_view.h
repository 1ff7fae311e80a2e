#pragma once
// AddressView: an account: balance, stake, next nonce and waiting transactions (getbalance), and its
// transactions newest first (listaddresstransactions), read in bounded steps with "Search older blocks".

#include "ui/explorer/detail_view.h"

#include <QJsonValue>

class QLabel;
class QPushButton;
class QTableView;

namespace blyan::ui {

class FieldList;
class TxTableModel;

class AddressView : public DetailView {
    Q_OBJECT
public:
    explicit AddressView(ExplorerModel *explorer, QWidget *parent = nullptr);

    void showAddress(const QString &address);
    FieldList *fields() const { return fields_; }
    TxTableModel *transactions() const { return txs_; }
    QPushButton *olderButton() const { return older_; }

private:
    void readTransactions(quint64 gen, const QJsonValue &before);

    FieldList *fields_;
    TxTableModel *txs_;
    QTableView *table_;
    QLabel *scanNote_;
    QPushButton *older_;
    QJsonValue nextBefore_;
};

}  // namespace blyan::ui
