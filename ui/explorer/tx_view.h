#pragma once
// TxView: one transaction with every field (version, network, sender, nonce, fee, size, signature), where
// it is (block link, confirmations, or waiting in the mempool), and its body decoded for its kind: the
// recipient and amount of a transfer, the object record a publish_object anchors (linked to the object
// and to every object it depends on, by name).

#include "ui/explorer/detail_view.h"

namespace blyan::ui {

class FieldList;

class TxView : public DetailView {
    Q_OBJECT
public:
    explicit TxView(ExplorerModel *explorer, QWidget *parent = nullptr);

    void showTransaction(const QString &txid);
    FieldList *fields() const { return fields_; }
    FieldList *body() const { return body_; }
    QString kind() const { return kind_; }

private:
    void showBody(const QJsonObject &tx, quint64 gen);

    FieldList *fields_, *body_;
    QString kind_;
};

}  // namespace blyan::ui
