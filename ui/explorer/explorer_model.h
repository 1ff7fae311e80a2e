#pragma once
// ExplorerModel: the Explorer's door to the node (the WalletModel pattern). Every request goes through
// Node::call, which runs the RPC method on the node's call pool and answers queued on the UI thread, so
// nothing here waits. It keeps the chain summary (getblockchaininfo, getsupply, getchaintxstats) and the
// object list (listobjects) and re-reads them when ClientModel's throttled status shows a new tip.

#include "util/error.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

namespace blyan::node {
class Node;
struct NodeStatus;
}  // namespace blyan::node

namespace blyan::ui {

class ClientModel;

struct ChainSummary {
    bool loaded = false;
    QString error;  // why the last read failed (chain unavailable, node stopped)
    quint64 height = 0, finalHeight = 0;
    QString bestHash, finalHash, network;
    qint64 tipTimeMs = 0;
    quint64 mempool = 0;
    quint64 circulatingUnits = 0, capUnits = 0, burnedUnits = 0, rewardPoolUnits = 0;
    bool supplyLoaded = false;
    int windowBlocks = 0;        // blocks the rate is measured over
    quint64 windowTxs = 0;
    double windowSeconds = 0;
    double txRate = -1;          // transactions per second over the window; -1: no window yet
};

// One object record (listobjects / getobject).
struct ObjectInfo {
    QString id, chain, kind, name, payloadHash, merkleRoot, publisher;
    QStringList dependsOn;  // ids
    quint64 size = 0, publishedHeight = 0;
    bool payloadAvailable = false;
    int layer = -1, expert = -1;  // from names like layer3.expert17 / layer3.router
};
ObjectInfo parseObject(const QJsonObject &o);

class ExplorerModel : public QObject {
    Q_OBJECT
public:
    using Reply = std::function<void(const Expected<QJsonValue> &)>;
    static constexpr int kRateWindow = 100;       // blocks for the tx/s figure
    static constexpr int kObjectLimit = 10000;    // listobjects' largest page

    ExplorerModel(ClientModel *client, QObject *parent = nullptr);

    // Runs RPC `method`; `done` runs on the UI thread, and not at all once `context` is gone.
    void call(const QString &method, const QJsonArray &params, QObject *context, Reply done);

    const ChainSummary &summary() const { return summary_; }
    quint64 height() const { return summary_.height; }
    bool chainAvailable() const;
    QString network() const;

    // The object records of every chain, oldest first (at most kObjectLimit), read on first use and again
    // when a new block may have published more. objectsTruncated(): the chain holds more than the limit.
    const QList<ObjectInfo> &objects() const { return objects_; }
    bool objectsLoaded() const { return objectsLoaded_; }
    bool objectsTruncated() const { return objects_.size() >= kObjectLimit; }
    const QString &objectsError() const { return objectsError_; }
    const ObjectInfo *objectById(const QString &id) const;
    void loadObjects();  // (re)reads now unless a read is on its way

    void refresh();  // re-reads the summary (coalesced with one in flight)

Q_SIGNALS:
    void summaryChanged();
    void tipChanged(quint64 height);  // a new best block
    void objectsChanged();

private:
    void onStatus(const node::NodeStatus &s);
    void readSummary();

    ClientModel *client_;
    node::Node *node_;
    ChainSummary summary_;
    QList<ObjectInfo> objects_;
    QHash<QString, int> objectIndex_;
    QString objectsError_;
    bool objectsLoaded_ = false, objectsInFlight_ = false, objectsStale_ = false;
    int summaryPending_ = 0;  // answers still to come for the summary being read
    bool summaryAgain_ = false;
    quint64 lastStatusHeight_ = 0;
    bool sawStatus_ = false;
};

}  // namespace blyan::ui
