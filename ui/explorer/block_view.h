#pragma once
// BlockView: one block with every header field (parent and proposer as links) and its transactions as a
// table; a double click (or Enter) opens a transaction. Parent / child buttons walk the chain.

#include "ui/explorer/detail_view.h"

class QPushButton;
class QTableView;

namespace blyan::ui {

class FieldList;
class TxTableModel;

class BlockView : public DetailView {
    Q_OBJECT
public:
    explicit BlockView(ExplorerModel *explorer, QWidget *parent = nullptr);

    // A height or a 64-hex hash.
    void showBlock(const QString &hashOrHeight);
    quint64 height() const { return height_; }
    FieldList *fields() const { return fields_; }
    QTableView *transactionsView() const { return table_; }
    TxTableModel *transactions() const { return txs_; }

private:
    FieldList *fields_;
    QTableView *table_;
    TxTableModel *txs_;
    QPushButton *parentButton_, *childButton_;
    quint64 height_ = 0;
};

}  // namespace blyan::ui
