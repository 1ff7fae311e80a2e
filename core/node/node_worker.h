#pragma once
// NodeWorker: the node's storage/control thread. It opens and closes the data dir, the databases
// and the object store, starts the RPC server on its own thread, and gathers the status figures
// (object counts, disk space, compute runtime) so that no caller thread ever touches the disk.

#include "node/node_options.h"
#include "node/node_status.h"
#include "node/rpc/rpc_table.h"
#include "util/network.h"

#include <QLockFile>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace blyan::storage {
class Database;
class ObjectStore;
}  // namespace blyan::storage

namespace blyan::wallet {
class QtKeychainStore;
}

namespace blyan::node {

class RpcServer;
class NodeChain;
class NodeConsensus;
class NodeP2p;
class NodeWallet;

struct WorkerConfig {
    Network network = Network::Devnet;
    QString dataDir;
    bool rpcEnabled = true;
    quint16 rpcPort = 0;
    QString genesisFile;
    P2pOptions p2p;
};

class NodeWorker : public QObject {
    Q_OBJECT
public:
    NodeWorker(WorkerConfig config, const RpcTable *rpcTable, QThread *rpcThread);
    ~NodeWorker() override;

    // Figures read by Node::status() from other threads.
    int rpcRequestsServed() const;

    // Runs `request` on the worker thread against the chain and waits for its answer (RPC thread).
    // Thread-safe. Errors when the chain is unavailable or the node is closing.
    Expected<QJsonValue> callChain(const std::function<Expected<QJsonValue>(NodeChain &)> &request);
    // The same for the peer layer (network RPC methods); errors when P2P is unavailable.
    Expected<QJsonValue> callP2p(const std::function<Expected<QJsonValue>(NodeP2p &)> &request);

    // Runs the wallet method `method` (node_wallet_rpc.h) on the worker thread; `reply` is called there
    // with the answer, exactly once. Thread-safe.
    void postWallet(const QString &method, const QJsonArray &params, std::function<void(Expected<QJsonValue>)> reply);
    // The same, waiting for the answer (RPC thread; gives up when the node closes).
    Expected<QJsonValue> callWallet(const QString &method, const QJsonArray &params);

public Q_SLOTS:
    void open();
    void close();

Q_SIGNALS:
    void opened(const QString &error, const QString &rpcEndpoint);  // error empty on success
    void statsUpdated(const blyan::node::NodeStatus &partial);
    void shutdownProgress(int step, int steps, const QString &what);
    void closed();
    void walletChanged();

private:
    QString openSteps(QString *rpcEndpoint);
    void refreshStats();
    void produceBlock();
    void walletTick();

    WorkerConfig config_;
    const RpcTable *rpcTable_;
    QThread *rpcThread_;
    std::unique_ptr<QLockFile> lock_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<storage::ObjectStore> objects_;
    RpcServer *rpc_ = nullptr;  // lives on rpcThread_
    QTimer statsTimer_;
    std::unique_ptr<NodeChain> chain_;  // null when the network's chain is unavailable
    std::unique_ptr<NodeConsensus> consensus_;  // with the chain: proposing, votes, finality, sync
    QString chainStatus_;               // why it is unavailable
    std::unique_ptr<NodeWallet> wallet_;
    std::unique_ptr<NodeP2p> p2p_;      // null without a chain (node_p2p.h)
    QString p2pStatus_;                 // why it is null
    std::unique_ptr<wallet::QtKeychainStore> keychain_;  // the OS keychain; jobs run on this thread
    QTimer walletTimer_;                // auto-lock
    QTimer slotTimer_;                  // devnet block production, one tick per slot
    std::atomic<bool> closing_{false};  // set first thing in close(): pending chain calls give up
    NodeStatus compute_;        // runtime figures, gathered once at open
};

}  // namespace blyan::node
