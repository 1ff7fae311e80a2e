#include "ui/explorer/tx_view.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/explorer/field_list.h"
#include "ui/format.h"
#include "ui/wallet/amount.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QVBoxLayout>

namespace blyan::ui {

TxView::TxView(ExplorerModel *explorer, QWidget *parent) : DetailView(explorer, parent)
{
    setObjectName(QStringLiteral("TxView"));
    fields_ = new FieldList(tr("Transaction"));
    fields_->add(QStringLiteral("txid"), tr("Transaction id"), true);
    fields_->add(QStringLiteral("status"), tr("Status"));
    fields_->add(QStringLiteral("block"), tr("Block"), true);
    fields_->add(QStringLiteral("kind"), tr("Type"));
    fields_->add(QStringLiteral("from"), tr("From"), true);
    fields_->add(QStringLiteral("nonce"), tr("Nonce"));
    fields_->add(QStringLiteral("fee"), tr("Fee"));
    fields_->add(QStringLiteral("size"), tr("Size"));
    fields_->add(QStringLiteral("version"), tr("Version"));
    fields_->add(QStringLiteral("network"), tr("Network id"));
    fields_->add(QStringLiteral("signature"), tr("Signature"), true);
    connect(fields_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(fields_);

    body_ = new FieldList(tr("Body"));
    body_->add(QStringLiteral("to"), tr("To"), true);
    body_->add(QStringLiteral("amount"), tr("Amount"));
    body_->add(QStringLiteral("objectName"), tr("Object"));
    body_->add(QStringLiteral("objectId"), tr("Object id"), true);
    body_->add(QStringLiteral("objectChain"), tr("Chain"));
    body_->add(QStringLiteral("objectKind"), tr("Object kind"));
    body_->add(QStringLiteral("dependsOn"), tr("Depends on"));
    body_->add(QStringLiteral("payloadHash"), tr("Payload hash"), true);
    body_->add(QStringLiteral("objectSize"), tr("Payload size"));
    body_->add(QStringLiteral("merkleRoot"), tr("Chunk Merkle root"), true);
    body_->add(QStringLiteral("bodyHex"), tr("Encoded body"), true);
    connect(body_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(body_);
    content()->addStretch(1);
}

void TxView::showTransaction(const QString &txid)
{
    const quint64 gen = begin(txid, 1);
    setTitle(tr("Transaction"));
    fields_->clear();
    body_->clear();
    kind_.clear();
    explorer_->call(QStringLiteral("gettransaction"), {txid}, this, [this, gen, txid](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        if (!a.ok()) {
            setTitle(tr("Transaction not found"));
            return answered(gen, QString::fromStdString(a.error().message));
        }
        const QJsonObject t = a.value().toObject();
        const QLocale loc;
        kind_ = t.value(QLatin1String("kind")).toString();
        setTitle(txKindText(kind_), txid);
        fields_->setText(QStringLiteral("txid"), t.value(QLatin1String("txid")).toString());
        const bool pending = t.value(QLatin1String("in_mempool")).toBool();
        if (pending) {
            fields_->setText(QStringLiteral("status"), tr("Waiting in the mempool for a block"));
            fields_->setText(QStringLiteral("block"), tr("not in a block yet"));
        } else {
            const qint64 h = qint64(t.value(QLatin1String("blockheight")).toDouble());
            const qint64 conf = qint64(t.value(QLatin1String("confirmations")).toDouble());
            fields_->setText(QStringLiteral("status"),
                             tr("In block %1, %n confirmation(s)", nullptr, int(conf)).arg(loc.toString(h)));
            const QString hash = t.value(QLatin1String("blockhash")).toString();
            fields_->setHtml(QStringLiteral("block"),
                             linkHtml(QStringLiteral("block"), hash, tr("%1 (height %2)").arg(shortHash(hash), loc.toString(h))));
        }
        fields_->setText(QStringLiteral("kind"), QStringLiteral("%1 (%2)").arg(txKindText(kind_), kind_));
        const QString from = t.value(QLatin1String("from")).toString();
        fields_->setHtml(QStringLiteral("from"), linkHtml(QStringLiteral("address"), from, from));
        fields_->setText(QStringLiteral("nonce"), t.value(QLatin1String("nonce")).toString());
        fields_->setText(QStringLiteral("fee"), displayBly(amountUnits(t.value(QLatin1String("fee")))));
        fields_->setText(QStringLiteral("size"), tr("%1 bytes").arg(loc.toString(t.value(QLatin1String("size")).toInt())));
        fields_->setText(QStringLiteral("version"), QString::number(t.value(QLatin1String("version")).toInt()));
        fields_->setText(QStringLiteral("network"), QString::number(qint64(t.value(QLatin1String("network_id")).toDouble())));
        fields_->setText(QStringLiteral("signature"), hexLines(t.value(QLatin1String("signature")).toString()));
        showBody(t, gen);
        answered(gen);
    });
}

void TxView::showBody(const QJsonObject &t, quint64 gen)
{
    const bool transfer = t.contains(QLatin1String("to"));
    const bool amount = t.contains(QLatin1String("amount"));
    const QJsonObject o = t.value(QLatin1String("object")).toObject();
    const bool object = !o.isEmpty();
    body_->setTitle(tr("Body: %1").arg(txKindText(kind_)));
    body_->setRowVisible(QStringLiteral("to"), transfer);
    body_->setRowVisible(QStringLiteral("amount"), amount);
    for (const char *k : {"objectName", "objectId", "objectChain", "objectKind", "dependsOn", "payloadHash", "objectSize",
                          "merkleRoot"})
        body_->setRowVisible(QLatin1String(k), object);
    if (transfer) {
        const QString to = t.value(QLatin1String("to")).toString();
        body_->setHtml(QStringLiteral("to"), linkHtml(QStringLiteral("address"), to, to));
    }
    if (amount) body_->setText(QStringLiteral("amount"), displayBly(amountUnits(t.value(QLatin1String("amount")))));
    body_->setText(QStringLiteral("bodyHex"), hexLines(t.value(QLatin1String("body_hex")).toString()));
    if (!object) return;
    const QString id = o.value(QLatin1String("id")).toString();
    const QString name = o.value(QLatin1String("name")).toString();
    body_->setHtml(QStringLiteral("objectName"), linkHtml(QStringLiteral("object"), id, name));
    body_->setHtml(QStringLiteral("objectId"), linkHtml(QStringLiteral("object"), id, id));
    body_->setText(QStringLiteral("objectChain"), chainName(o.value(QLatin1String("chain")).toString()));
    body_->setText(QStringLiteral("objectKind"), o.value(QLatin1String("kind")).toString());
    body_->setText(QStringLiteral("payloadHash"), o.value(QLatin1String("payload_hash")).toString());
    const quint64 size = quint64(o.value(QLatin1String("size")).toDouble());
    body_->setText(QStringLiteral("objectSize"), tr("%1 (%2 bytes)").arg(formatBytes(size), QLocale().toString(size)));
    body_->setText(QStringLiteral("merkleRoot"), o.value(QLatin1String("chunk_merkle_root")).toString());
    const QJsonArray deps = o.value(QLatin1String("depends_on")).toArray();
    QStringList links;
    for (const QJsonValue &d : deps) links.append(linkHtml(QStringLiteral("object"), d.toString(), shortHash(d.toString())));
    body_->setHtml(QStringLiteral("dependsOn"), links.isEmpty() ? tr("nothing (a root of the DAG)") : links.join(QStringLiteral("<br>")));
    if (deps.isEmpty()) return;
    // The record names its dependencies by id; the chain knows their names.
    explorer_->call(QStringLiteral("getobjectlinks"), {id}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen) || !a.ok()) return;
        QStringList named;
        for (const QJsonValue &v : a.value().toObject().value(QLatin1String("dependencies")).toArray()) {
            const QJsonObject d = v.toObject();
            const QString n = d.value(QLatin1String("name")).toString();
            named.append(linkHtml(QStringLiteral("object"), d.value(QLatin1String("id")).toString(),
                                  n.isEmpty() ? shortHash(d.value(QLatin1String("id")).toString()) : n) +
                         QStringLiteral(" <span>(%1)</span>").arg(shortHash(d.value(QLatin1String("id")).toString())));
        }
        if (!named.isEmpty()) body_->setHtml(QStringLiteral("dependsOn"), named.join(QStringLiteral("<br>")));
    });
}

}  // namespace blyan::ui
