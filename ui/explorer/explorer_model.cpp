#include "ui/explorer/explorer_model.h"

#include "node/node.h"
#include "ui/client_model.h"
#include "ui/wallet/amount.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

namespace blyan::ui {

namespace {
// Re-reading thousands of object records on every block of an import would redraw the DAG each second.
constexpr int kObjectReadIntervalMs = 2000;
}  // namespace

ObjectInfo parseObject(const QJsonObject &o)
{
    ObjectInfo i;
    i.id = o.value(QLatin1String("id")).toString();
    i.chain = o.value(QLatin1String("chain")).toString();
    i.kind = o.value(QLatin1String("kind")).toString();
    i.name = o.value(QLatin1String("name")).toString();
    i.payloadHash = o.value(QLatin1String("payload_hash")).toString();
    i.merkleRoot = o.value(QLatin1String("chunk_merkle_root")).toString();
    i.publisher = o.value(QLatin1String("publisher")).toString();
    for (const QJsonValue &d : o.value(QLatin1String("depends_on")).toArray()) i.dependsOn.append(d.toString());
    i.size = quint64(o.value(QLatin1String("size")).toDouble());
    i.publishedHeight = quint64(o.value(QLatin1String("published_height")).toDouble());
    i.payloadAvailable = o.value(QLatin1String("payload_available")).toBool();
    static const QRegularExpression layerRe(QStringLiteral("^layer(\\d+)\\.(?:expert(\\d+))?"));
    if (const auto m = layerRe.match(i.name); m.hasMatch()) {
        i.layer = m.captured(1).toInt();
        if (m.capturedLength(2)) i.expert = m.captured(2).toInt();
    }
    return i;
}

ExplorerModel::ExplorerModel(ClientModel *client, QObject *parent)
    : QObject(parent), client_(client), node_(client->node())
{
    connect(client_, &ClientModel::statusUpdated, this, &ExplorerModel::onStatus);
    onStatus(client_->status());
}

void ExplorerModel::call(const QString &method, const QJsonArray &params, QObject *context, Reply done)
{
    node_->call(method, params, context, std::move(done));
}

bool ExplorerModel::chainAvailable() const { return client_->status().chainAvailable; }

QString ExplorerModel::network() const { return client_->networkName(); }

const ObjectInfo *ExplorerModel::objectById(const QString &id) const
{
    const auto it = objectIndex_.constFind(id);
    return it == objectIndex_.constEnd() ? nullptr : &objects_.at(*it);
}

void ExplorerModel::onStatus(const node::NodeStatus &s)
{
    if (s.state != node::NodeState::Running) return;
    if (!s.chainAvailable) {
        if (summary_.error != s.chainStatus || !summary_.loaded) {
            summary_ = ChainSummary();
            summary_.loaded = true;
            summary_.error = s.chainStatus.isEmpty() ? tr("The chain is not available on this node.") : s.chainStatus;
            Q_EMIT summaryChanged();
        }
        return;
    }
    const bool moved = !sawStatus_ || s.chainHeight != lastStatusHeight_;
    sawStatus_ = true;
    lastStatusHeight_ = s.chainHeight;
    if (moved || summary_.mempool != s.mempoolSize) refresh();
}

void ExplorerModel::refresh()
{
    if (summaryPending_ > 0) {  // one read at a time; the newest state is read when it ends
        summaryAgain_ = true;
        return;
    }
    readSummary();
}

void ExplorerModel::readSummary()
{
    // Three answers make one summary; it is published once all are in, so the strip never shows a
    // height next to the rate of another tip.
    auto next = std::make_shared<ChainSummary>(summary_);
    next->loaded = true;
    next->error.clear();
    summaryPending_ = 3;
    const auto finish = [this, next] {
        if (--summaryPending_ > 0) return;
        const bool tipMoved = next->height != summary_.height || next->bestHash != summary_.bestHash;
        summary_ = *next;
        Q_EMIT summaryChanged();
        if (tipMoved && summary_.error.isEmpty()) Q_EMIT tipChanged(summary_.height);
        if (summaryAgain_) {
            summaryAgain_ = false;
            readSummary();
        }
    };
    call(QStringLiteral("getblockchaininfo"), {}, this, [next, finish](const Expected<QJsonValue> &a) {
        if (!a.ok()) {
            next->error = QString::fromStdString(a.error().message);
        } else {
            const QJsonObject o = a.value().toObject();
            next->height = quint64(o.value(QLatin1String("blocks")).toDouble());
            next->finalHeight = quint64(o.value(QLatin1String("finalheight")).toDouble());
            next->bestHash = o.value(QLatin1String("bestblockhash")).toString();
            next->finalHash = o.value(QLatin1String("finalblockhash")).toString();
            next->network = o.value(QLatin1String("chain")).toString();
            next->tipTimeMs = qint64(o.value(QLatin1String("time")).toDouble());
            next->mempool = quint64(o.value(QLatin1String("mempool")).toDouble());
        }
        finish();
    });
    call(QStringLiteral("getsupply"), {}, this, [next, finish](const Expected<QJsonValue> &a) {
        if (a.ok()) {
            const QJsonObject o = a.value().toObject();
            next->circulatingUnits = amountUnits(o.value(QLatin1String("circulating")));
            next->capUnits = amountUnits(o.value(QLatin1String("cap")));
            next->burnedUnits = amountUnits(o.value(QLatin1String("burned")));
            next->rewardPoolUnits = amountUnits(o.value(QLatin1String("reward_pool")));
            next->supplyLoaded = true;
        }
        finish();
    });
    call(QStringLiteral("getchaintxstats"), {kRateWindow}, this, [next, finish](const Expected<QJsonValue> &a) {
        if (a.ok()) {
            const QJsonObject o = a.value().toObject();
            next->windowBlocks = o.value(QLatin1String("window_block_count")).toInt();
            next->windowTxs = quint64(o.value(QLatin1String("window_tx_count")).toDouble());
            next->windowSeconds = o.value(QLatin1String("window_interval")).toDouble();
            next->txRate = o.contains(QLatin1String("txrate")) ? o.value(QLatin1String("txrate")).toDouble() : -1;
        }
        finish();
    });
}

void ExplorerModel::loadObjects()
{
    if (objectsInFlight_) {
        objectsStale_ = true;
        return;
    }
    objectsInFlight_ = true;
    call(QStringLiteral("listobjects"), {QJsonValue(), kObjectLimit}, this, [this](const Expected<QJsonValue> &a) {
        // The next read waits a little, so an import's stream of blocks redraws the DAG at a calm pace.
        QTimer::singleShot(kObjectReadIntervalMs, this, [this] {
            objectsInFlight_ = false;
            if (objectsStale_) {
                objectsStale_ = false;
                loadObjects();
            }
        });
        if (!a.ok()) {
            objectsError_ = QString::fromStdString(a.error().message);
            objectsLoaded_ = true;
            Q_EMIT objectsChanged();
            return;
        }
        QList<ObjectInfo> list;
        for (const QJsonValue &v : a.value().toArray()) list.append(parseObject(v.toObject()));
        bool same = objectsLoaded_ && objectsError_.isEmpty() && list.size() == objects_.size();
        for (int i = 0; same && i < list.size(); ++i)
            same = list[i].id == objects_[i].id && list[i].payloadAvailable == objects_[i].payloadAvailable;
        objectsError_.clear();
        objectsLoaded_ = true;
        if (same) return;
        objects_ = std::move(list);
        objectIndex_.clear();
        for (int i = 0; i < objects_.size(); ++i) objectIndex_.insert(objects_[i].id, i);
        Q_EMIT objectsChanged();
    });
}

}  // namespace blyan::ui
