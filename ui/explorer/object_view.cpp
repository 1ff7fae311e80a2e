#include "ui/explorer/object_view.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/explorer/field_list.h"
#include "ui/format.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
QString refLink(const QJsonObject &r)
{
    const QString id = r.value(QLatin1String("id")).toString();
    const QString name = r.value(QLatin1String("name")).toString();
    return linkHtml(QStringLiteral("object"), id, name.isEmpty() ? shortHash(id) : name) +
           QStringLiteral(" <span style=\"color:gray\">%1 · %2</span>")
               .arg(r.value(QLatin1String("kind")).toString().toHtmlEscaped(), shortHash(id));
}
}  // namespace

ObjectView::ObjectView(ExplorerModel *explorer, QWidget *parent) : DetailView(explorer, parent)
{
    setObjectName(QStringLiteral("ObjectView"));
    auto *row = new QHBoxLayout;
    dagButton_ = new QPushButton(tr("Show in DAG"));
    dagButton_->setObjectName(QStringLiteral("ShowInDagButton"));
    dagButton_->setToolTip(tr("The dependency graph of the chain's objects, centred on this one"));
    row->addWidget(dagButton_);
    row->addStretch(1);
    content()->addLayout(row);
    connect(dagButton_, &QPushButton::clicked, this, [this] {
        if (!id_.isEmpty()) Q_EMIT linkActivated(QStringLiteral("dag:") + id_);
    });

    fields_ = new FieldList(tr("Object record"));
    fields_->add(QStringLiteral("name"), tr("Name"));
    fields_->add(QStringLiteral("head"), tr("Head"));
    fields_->add(QStringLiteral("id"), tr("Object id"), true);
    fields_->add(QStringLiteral("chain"), tr("Chain"));
    fields_->add(QStringLiteral("kind"), tr("Kind"));
    fields_->add(QStringLiteral("size"), tr("Payload size"));
    fields_->add(QStringLiteral("payloadHash"), tr("Payload hash"), true);
    fields_->add(QStringLiteral("merkleRoot"), tr("Chunk Merkle root"), true);
    fields_->add(QStringLiteral("payload"), tr("Payload here"));
    fields_->add(QStringLiteral("block"), tr("Published in block"), true);
    fields_->add(QStringLiteral("tx"), tr("By transaction"), true);
    fields_->add(QStringLiteral("publisher"), tr("Publisher"), true);
    fields_->add(QStringLiteral("usage"), tr("Usage on this node"));
    connect(fields_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(fields_);

    links_ = new FieldList(tr("In the DAG"));
    links_->add(QStringLiteral("dependsOn"), tr("Depends on"));
    links_->add(QStringLiteral("dependants"), tr("Depended on by"));
    connect(links_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(links_);

    versions_ = new FieldList(tr("Versions of this name"));
    versions_->add(QStringLiteral("versions"), tr("Published"));
    connect(versions_, &FieldList::linkActivated, this, &DetailView::linkActivated);
    content()->addWidget(versions_);
    content()->addStretch(1);
}

void ObjectView::showObject(const QString &idOrName)
{
    const quint64 gen = begin(idOrName, 2);
    id_.clear();
    name_.clear();
    setTitle(tr("Object"));
    fields_->clear();
    links_->clear();
    versions_->clear();
    fields_->setRowVisible(QStringLiteral("usage"), false);
    dagButton_->setEnabled(false);
    explorer_->call(QStringLiteral("getobject"), {idOrName}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        if (!a.ok()) {
            setTitle(tr("Object not found"));
            return answered(gen, QString::fromStdString(a.error().message));
        }
        showRecord(a.value().toObject());
        answered(gen);
        if (a.value().toObject().value(QLatin1String("kind")).toString() != QLatin1String("expert")) return;
        explorer_->call(QStringLiteral("getexpertgrid"), {}, this, [this, gen](const Expected<QJsonValue> &g) {
            if (current(gen) && g.ok()) showUsage(g.value().toObject());
        });
    });
    explorer_->call(QStringLiteral("getobjectlinks"), {idOrName}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (!current(gen)) return;
        if (!a.ok()) return answered(gen, QString::fromStdString(a.error().message));
        showLinks(a.value().toObject());
        answered(gen);
    });
}

void ObjectView::showRecord(const QJsonObject &o)
{
    const QLocale loc;
    id_ = o.value(QLatin1String("id")).toString();
    name_ = o.value(QLatin1String("name")).toString();
    const QString kind = o.value(QLatin1String("kind")).toString();
    setTitle(name_, tr("%1 object on chain %2").arg(kind, chainName(o.value(QLatin1String("chain")).toString())));
    dagButton_->setEnabled(true);
    fields_->setText(QStringLiteral("name"), name_);
    fields_->setText(QStringLiteral("id"), id_);
    fields_->setText(QStringLiteral("chain"), chainName(o.value(QLatin1String("chain")).toString()));
    fields_->setText(QStringLiteral("kind"), kind);
    const quint64 size = quint64(o.value(QLatin1String("size")).toDouble());
    fields_->setText(QStringLiteral("size"), tr("%1 (%2 bytes)").arg(formatBytes(size), loc.toString(size)));
    fields_->setText(QStringLiteral("payloadHash"), o.value(QLatin1String("payload_hash")).toString());
    fields_->setText(QStringLiteral("merkleRoot"), o.value(QLatin1String("chunk_merkle_root")).toString());
    fields_->setText(QStringLiteral("payload"),
                     o.value(QLatin1String("payload_available")).toBool()
                         ? tr("Yes: in this node's object store, hash checked when written")
                         : tr("No: this node has the record but not the payload (peers can serve it)"));
    const QString publisher = o.value(QLatin1String("publisher")).toString();
    fields_->setHtml(QStringLiteral("publisher"), linkHtml(QStringLiteral("address"), publisher, publisher));
}

void ObjectView::showLinks(const QJsonObject &l)
{
    const QLocale loc;
    const bool head = l.value(QLatin1String("is_head")).toBool();
    const QString headId = l.value(QLatin1String("head")).toString();
    fields_->setHtml(QStringLiteral("head"),
                     head ? tr("Yes: the current version of %1").arg(l.value(QLatin1String("name")).toString().toHtmlEscaped())
                          : tr("No: superseded by %1").arg(linkHtml(QStringLiteral("object"), headId, shortHash(headId))));
    const QJsonObject anchor = l.value(QLatin1String("anchor")).toObject();
    const QString blockHash = anchor.value(QLatin1String("blockhash")).toString();
    const qint64 height = qint64(anchor.value(QLatin1String("blockheight")).toDouble());
    fields_->setHtml(QStringLiteral("block"), linkHtml(QStringLiteral("block"), blockHash,
                                                       tr("%1 (height %2)").arg(shortHash(blockHash), loc.toString(height))));
    const QString txid = anchor.value(QLatin1String("txid")).toString();
    if (!txid.isEmpty()) fields_->setHtml(QStringLiteral("tx"), linkHtml(QStringLiteral("tx"), txid, txid));
    else fields_->setText(QStringLiteral("tx"), tr("none: written by the genesis block itself"));

    QStringList deps;
    for (const QJsonValue &v : l.value(QLatin1String("dependencies")).toArray()) deps.append(refLink(v.toObject()));
    links_->setHtml(QStringLiteral("dependsOn"), deps.isEmpty() ? tr("nothing (a root of the DAG)") : deps.join(QStringLiteral("<br>")));
    const QJsonArray dependants = l.value(QLatin1String("dependants")).toArray();
    const qint64 total = qint64(l.value(QLatin1String("dependants_count")).toDouble());
    QStringList ds;
    // A model spec has every component depending on it: list a few, the DAG shows them all.
    const int shown = int(std::min<qsizetype>(dependants.size(), 12));
    for (int i = 0; i < shown; ++i) ds.append(refLink(dependants.at(i).toObject()));
    QString text = ds.isEmpty() ? tr("nothing yet") : ds.join(QStringLiteral("<br>"));
    if (total > shown)
        text += QStringLiteral("<br>") + tr("… and %1 more: %2").arg(loc.toString(total - shown),
                                                               linkHtml(QStringLiteral("dag"), id_, tr("see them all in the DAG")));
    links_->setHtml(QStringLiteral("dependants"), text);

    QStringList vs;
    for (const QJsonValue &v : l.value(QLatin1String("versions")).toArray()) {
        const QJsonObject r = v.toObject();
        const QString id = r.value(QLatin1String("id")).toString();
        QString line = tr("height %1: %2").arg(loc.toString(qint64(r.value(QLatin1String("published_height")).toDouble())),
                                               linkHtml(QStringLiteral("object"), id, shortHash(id)));
        if (id == headId) line += tr(" — head");
        if (id == id_) line = QStringLiteral("<b>%1</b>").arg(line);
        vs.append(line);
    }
    versions_->setTitle(tr("Versions of this name (%1)").arg(vs.size()));
    versions_->setHtml(QStringLiteral("versions"), vs.join(QStringLiteral("<br>")));
}

void ObjectView::showUsage(const QJsonObject &grid)
{
    for (const QJsonValue &v : grid.value(QLatin1String("cells")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(QLatin1String("name")).toString() != name_) continue;
        const qint64 usage = qint64(c.value(QLatin1String("usage")).toDouble());
        fields_->setText(QStringLiteral("usage"),
                         tr("Layer %1, expert %2: ran in %n forward step(s) of this node's chats since it started", nullptr,
                            int(std::min<qint64>(usage, INT_MAX)))
                             .arg(c.value(QLatin1String("layer")).toInt())
                             .arg(c.value(QLatin1String("expert")).toInt()));
        fields_->setRowVisible(QStringLiteral("usage"), true);
        return;
    }
}

}  // namespace blyan::ui
