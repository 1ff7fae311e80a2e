#include "ui/explorer/address_view.h"

#include "ui/explorer/explorer_model.h"
#include "ui/explorer/field_list.h"
#include "ui/explorer/tx_table_model.h"
#include "ui/wallet/amount.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace blyan::ui {

AddressView::AddressView(ExplorerModel *explorer, QWidget *parent) : DetailView(explorer, parent)
{
    setObjectName(QStringLiteral("AddressView"));
    fields_ = new FieldList(tr("Account"));
    fields_->add(QStringLiteral("address"), tr("Address"), true);
    fields_->add(QStringLiteral("balance"), tr("Balance"));
    fields_->add(QStringLiteral("stake"), tr("Staked"));
    fields_->add(QStringLiteral("nonce"), tr("Next nonce"));
    fields_->add(QStringLiteral("pending"), tr("In the mempool"));
    content()->addWidget(fields_);

    auto *card = new FieldList(tr("Transactions"));
    txs_ = new TxTableModel(TxTableModel::Mode::Address, this);
    table_ = makeTransactionTable(txs_, QStringLiteral("AddressTransactions"));
    card->body()->addWidget(table_);
    auto *row = new QHBoxLayout;
    scanNote_ = new QLabel;
    scanNote_->setObjectName(QStringLiteral("Muted"));
    scanNote_->setWordWrap(true);
    older_ = new QPushButton(tr("Search older blocks"));
    older_->setObjectName(QStringLiteral("OlderTransactionsButton"));
    row->addWidget(scanNote_, 1);
    row->addWidget(older_);
    card->body()->addLayout(row);
    content()->addWidget(card, 1);
    connect(table_, &QTableView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT linkActivated(QStringLiteral("tx:") + txs_->data(i, TxTableModel::TxidRole).toString());
    });
    connect(older_, &QPushButton::clicked, this, [this] {
        older_->setEnabled(false);
        readTransactions(begin(key(), 1), nextBefore_);
    });
}

void AddressView::showAddress(const QString &address)
{
    const quint64 gen = begin(address, 2);
    setTitle(tr("Address"), address);
    fields_->clear();
    txs_->setTransactions({});
    scanNote_->clear();
    older_->hide();
    explorer_->call(QStringLiteral("getbalance"), {address}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        if (!a.ok()) {
            setTitle(tr("Not an address of this network"));
            return answered(gen, QString::fromStdString(a.error().message));
        }
        const QJsonObject o = a.value().toObject();
        fields_->setText(QStringLiteral("address"), o.value(QLatin1String("address")).toString());
        fields_->setText(QStringLiteral("balance"), displayBly(amountUnits(o.value(QLatin1String("balance")))));
        fields_->setText(QStringLiteral("stake"), displayBly(amountUnits(o.value(QLatin1String("stake")))));
        fields_->setText(QStringLiteral("nonce"), o.value(QLatin1String("nonce")).toString());
        fields_->setText(QStringLiteral("pending"),
                         tr("%n transaction(s) waiting", nullptr, o.value(QLatin1String("pending")).toInt()));
        answered(gen);
    });
    readTransactions(gen, QJsonValue());
}

void AddressView::readTransactions(quint64 gen, const QJsonValue &before)
{
    explorer_->call(QStringLiteral("listaddresstransactions"), {key(), 50, before}, this,
                    [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        older_->setEnabled(true);
        if (!a.ok()) return answered(gen, QString::fromStdString(a.error().message));
        const QJsonObject o = a.value().toObject();
        txs_->appendTransactions(o.value(QLatin1String("transactions")).toArray());
        table_->resizeColumnsToContents();
        nextBefore_ = o.value(QLatin1String("next_before_height"));
        const QLocale loc;
        if (nextBefore_.isNull()) {
            scanNote_->setText(txs_->rowCount() ? tr("All %n transaction(s) of this address.", nullptr, txs_->rowCount())
                                                : tr("No transaction on the chain sends from or to this address."));
            older_->hide();
        } else {
            scanNote_->setText(tr("%n transaction(s) found in the blocks above height %1.", nullptr, txs_->rowCount())
                                   .arg(loc.toString(qint64(nextBefore_.toDouble()))));
            older_->show();
        }
        answered(gen);
    });
}

}  // namespace blyan::ui
