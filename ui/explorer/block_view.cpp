#include "ui/explorer/block_view.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/explorer/field_list.h"
#include "ui/explorer/tx_table_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace blyan::ui {

BlockView::BlockView(ExplorerModel *explorer, QWidget *parent) : DetailView(explorer, parent)
{
    setObjectName(QStringLiteral("BlockView"));
    auto *nav = new QHBoxLayout;
    parentButton_ = new QPushButton(tr("← Parent block"));
    parentButton_->setObjectName(QStringLiteral("ParentBlockButton"));
    childButton_ = new QPushButton(tr("Child block →"));
    childButton_->setObjectName(QStringLiteral("ChildBlockButton"));
    nav->addWidget(parentButton_);
    nav->addWidget(childButton_);
    nav->addStretch(1);
    content()->addLayout(nav);
    connect(parentButton_, &QPushButton::clicked, this, [this] {
        if (height_ > 0) Q_EMIT linkActivated(QStringLiteral("block:%1").arg(height_ - 1));
    });
    connect(childButton_, &QPushButton::clicked, this,
            [this] { Q_EMIT linkActivated(QStringLiteral("block:%1").arg(height_ + 1)); });

    fields_ = new FieldList(tr("Header"));
    fields_->add(QStringLiteral("height"), tr("Height"));
    fields_->add(QStringLiteral("hash"), tr("Block hash"), true);
    fields_->add(QStringLiteral("status"), tr("Status"));
    fields_->add(QStringLiteral("time"), tr("Time"));
    fields_->add(QStringLiteral("slot"), tr("Slot"));
    fields_->add(QStringLiteral("parent"), tr("Parent"), true);
    fields_->add(QStringLiteral("proposer"), tr("Proposer"), true);
    fields_->add(QStringLiteral("txCount"), tr("Transactions"));
    fields_->add(QStringLiteral("txRoot"), tr("Transaction root"), true);
    fields_->add(QStringLiteral("stateRoot"), tr("State root"), true);
    fields_->add(QStringLiteral("signature"), tr("Proposer's signature"), true);
    fields_->add(QStringLiteral("version"), tr("Version"));
    connect(fields_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(fields_);

    auto *txCard = new FieldList(tr("Transactions"));
    txs_ = new TxTableModel(TxTableModel::Mode::Block, this);
    table_ = makeTransactionTable(txs_, QStringLiteral("BlockTransactions"));
    txCard->body()->addWidget(table_);
    content()->addWidget(txCard, 1);
    connect(table_, &QTableView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT linkActivated(QStringLiteral("tx:") + txs_->data(i, TxTableModel::TxidRole).toString());
    });
}

void BlockView::showBlock(const QString &hashOrHeight)
{
    const quint64 gen = begin(hashOrHeight, 1);
    setTitle(tr("Block"), QString());
    fields_->clear();
    txs_->setTransactions({});
    bool isHeight = false;
    const qulonglong h = hashOrHeight.toULongLong(&isHeight);
    const QJsonValue which = isHeight ? QJsonValue(qint64(h)) : QJsonValue(hashOrHeight);
    explorer_->call(QStringLiteral("getblock"), {which, 2}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        if (!a.ok()) {
            setTitle(tr("Block not found"));
            return answered(gen, QString::fromStdString(a.error().message));
        }
        const QJsonObject b = a.value().toObject();
        height_ = quint64(b.value(QLatin1String("height")).toDouble());
        const QLocale loc;
        const QString hash = b.value(QLatin1String("hash")).toString();
        const qint64 timeMs = qint64(b.value(QLatin1String("time")).toDouble());
        const qint64 confirmations = qint64(b.value(QLatin1String("confirmations")).toDouble());
        setTitle(tr("Block %1").arg(loc.toString(height_)), formatTime(timeMs) + QStringLiteral(" · ") + formatAge(timeMs));
        fields_->setText(QStringLiteral("height"), loc.toString(height_));
        fields_->setText(QStringLiteral("hash"), hash);
        fields_->setText(QStringLiteral("status"),
                         b.value(QLatin1String("final")).toBool()
                             ? tr("Final (%n confirmation(s)): it can never be reverted", nullptr, int(confirmations))
                             : tr("%n confirmation(s), not final yet", nullptr, int(confirmations)));
        fields_->setText(QStringLiteral("time"), formatTime(timeMs));
        fields_->setText(QStringLiteral("slot"), loc.toString(qint64(b.value(QLatin1String("slot")).toDouble())));
        const QString parent = b.value(QLatin1String("previousblockhash")).toString();
        if (height_ == 0) {
            fields_->setText(QStringLiteral("parent"), tr("none: this is the genesis block"));
            fields_->setText(QStringLiteral("proposer"), tr("none: the genesis block is derived from the network's "
                                                            "genesis definition, not signed"));
        } else {
            fields_->setHtml(QStringLiteral("parent"), linkHtml(QStringLiteral("block"), parent, parent));
            const QString proposer = b.value(QLatin1String("proposer")).toString();
            fields_->setHtml(QStringLiteral("proposer"), linkHtml(QStringLiteral("address"), proposer, proposer));
        }
        fields_->setText(QStringLiteral("txCount"), loc.toString(b.value(QLatin1String("nTx")).toInt()));
        fields_->setText(QStringLiteral("txRoot"), b.value(QLatin1String("tx_root")).toString());
        fields_->setText(QStringLiteral("stateRoot"), b.value(QLatin1String("state_root")).toString());
        fields_->setText(QStringLiteral("signature"), hexLines(b.value(QLatin1String("signature")).toString()));
        fields_->setText(QStringLiteral("version"), QString::number(b.value(QLatin1String("version")).toInt()));
        txs_->setTransactions(b.value(QLatin1String("tx")).toArray());
        table_->resizeColumnsToContents();
        parentButton_->setEnabled(height_ > 0);
        childButton_->setEnabled(height_ < explorer_->height());
        answered(gen);
    });
}

}  // namespace blyan::ui
