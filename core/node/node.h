#pragma once
// Node: the facade that owns and wires every subsystem of a Blyan node. blyand and the desktop
// app both embed one. Everything slow (disk, SQLite, sockets, LibTorch) runs on the node's worker
// threads; callers on the UI thread only call the non-blocking methods below and react to the
// queued signals. The UI talks to the node only through this class (bitcoin-qt's ClientModel
// pattern lives in ui/ on top of it).

#include "node/node_options.h"
#include "node/node_status.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace blyan::model {
class ModelService;
}

namespace blyan::node {

class NodeChain;
class NodeP2p;

class Node : public QObject {
    Q_OBJECT
public:
    explicit Node(NodeOptions options, QObject *parent = nullptr);
    ~Node() override;  // stops and joins the worker threads if still running

    const NodeOptions &options() const { return options_; }
    QString dataDir() const;  // resolved, absolute

    // Starts the node on its worker threads and returns at once. Exactly one of started() or
    // failed() follows. Failure reasons: data dir not writable, another instance holds it, the
    // RPC port is taken, a database cannot be opened.
    void start();
    // Starts and waits (blyand, tests): returns the error of failed(), if any.
    Status startBlocking();

    // Asks the node to shut down (from any thread). Emits stopped() when every worker has
    // finished and all files are closed. Also what the RPC `stop` call does.
    void requestStop();
    bool isRunning() const;

    // A consistent snapshot, cheap, callable from any thread.
    NodeStatus status() const;

    // For RPC handlers (never the UI thread: it waits): runs `request` on the node worker thread,
    // where the chain lives, and returns its answer. Errors when the chain is unavailable.
    Expected<QJsonValue> callChain(const std::function<Expected<QJsonValue>(NodeChain &)> &request);
    // The same for the peer layer (network RPC methods). Errors when P2P is unavailable (no chain).
    Expected<QJsonValue> callP2p(const std::function<Expected<QJsonValue>(NodeP2p &)> &request);

    // The wallet, for the UI (never waits): runs the wallet method `method` of docs/rpc.md ("Wallet":
    // getwalletinfo, createwallet, sendtoaddress, listtransactions, ...) with `params` on the node worker
    // thread, exactly as the RPC server would, and calls `done` with the answer on `context`'s thread.
    // `done` is dropped when `context` is destroyed first.
    void callWallet(const QString &method, const QJsonArray &params, QObject *context,
                    std::function<void(const Expected<QJsonValue> &)> done);
    // For the UI (never waits): runs any RPC method of docs/rpc.md (getblock, listobjects, getmodel, chat,
    // ...) with positional `params` on the node's call pool, exactly as blyan-cli would, and calls `done`
    // with the answer on `context`'s thread (dropped when `context` is destroyed first). Handlers may wait
    // for the node worker or the model threads; the pool absorbs that, the caller's thread never does.
    void call(const QString &method, const QJsonArray &params, QObject *context,
              std::function<void(const Expected<QJsonValue> &)> done);
    // For RPC handlers (never the UI thread): the same, waiting for the answer.
    Expected<QJsonValue> callWalletBlocking(const QString &method, const QJsonArray &params);

    // The model runtime (core/model): import, the model assembled from the chain heads, chats. Thread-safe
    // and never blocking: import and inference run on its own threads. Progress of an import also comes
    // as modelImportProgress().
    model::ModelService &model();
    // For the UI (never waits): starts importing the model directory `dir` (absolute), or says why not
    // (another import running, the node not running); cancels the running import.
    Status importModel(const QString &dir);
    void cancelModelImport();

Q_SIGNALS:
    void started();
    void failed(const QString &message);
    // Periodic (about once a second) and on every change; delivered queued to the receiver's thread.
    void statusChanged(const blyan::node::NodeStatus &status);
    // The wallet's state, balance, addresses or history changed (created, unlocked/locked, a block
    // touched one of its addresses, a send). Queued. Listeners re-read what they show (callWallet).
    void walletChanged();
    // An import's progress (from its thread; queued to receivers). phase: reading, writing, publishing, done,
    // failed, cancelled; done/total in bytes while writing and in objects while publishing.
    void modelImportProgress(const QString &phase, qint64 done, qint64 total, const QString &message);
    // Shutdown progress: step i of n with a description ("Closing databases").
    void shutdownProgress(int step, int steps, const QString &what);
    void stopped();

private:
    class Impl;
    NodeOptions options_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace blyan::node
