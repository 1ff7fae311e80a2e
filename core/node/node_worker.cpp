#include "node/node_worker.h"

#include "engine/runtime.h"
#include "node/node_chain.h"
#include "node/node_consensus.h"
#include "node/node_p2p.h"
#include "node/node_storage.h"
#include "node/node_wallet.h"
#include "node/node_wallet_rpc.h"
#include "wallet/keychain.h"
#include "node/rpc/cookie.h"
#include "node/rpc/rpc_server.h"
#include "storage/database.h"
#include "storage/object_store.h"
#include "util/log.h"
#include "util/paths.h"

#include <QDateTime>
#include <QStorageInfo>
#include <QThread>

#include <chrono>
#include <future>

namespace blyan::node {

NodeWorker::NodeWorker(WorkerConfig config, const RpcTable *rpcTable, QThread *rpcThread)
    : config_(std::move(config)), rpcTable_(rpcTable), rpcThread_(rpcThread), statsTimer_(this), walletTimer_(this), slotTimer_(this)
{
    walletTimer_.setInterval(1000);
    connect(&walletTimer_, &QTimer::timeout, this, &NodeWorker::walletTick);
    // The object store keeps its totals; disk space is one statvfs. Cheap enough every 2 s.
    statsTimer_.setInterval(2000);
    connect(&statsTimer_, &QTimer::timeout, this, &NodeWorker::refreshStats);
    // A devnet's producer looks once per slot; with peers, the consensus also paces downloads and
    // retries with these ticks, so a few per slot.
    slotTimer_.setInterval(config_.network == Network::Devnet ? networkParams(config_.network).slotMs
                                                              : std::min(250, networkParams(config_.network).slotMs / 4));
    connect(&slotTimer_, &QTimer::timeout, this, &NodeWorker::produceBlock);
}

NodeWorker::~NodeWorker()
{
    if (rpc_) rpc_->deleteLater();
}

int NodeWorker::rpcRequestsServed() const { return rpc_ ? rpc_->requestsServed() : 0; }

void NodeWorker::open()
{
    QString endpoint;
    const QString error = openSteps(&endpoint);
    if (!error.isEmpty()) {
        // Undo what was opened, in reverse, and leave the data dir as it was.
        if (rpc_) {
            QMetaObject::invokeMethod(rpc_, &RpcServer::stop, Qt::BlockingQueuedConnection);
            removeCookie(paths::cookieFile(config_.dataDir));
        }
        if (consensus_) consensus_->setPeers(nullptr);
        p2p_.reset();
        consensus_.reset();
        wallet_.reset();
        keychain_.reset();
        chain_.reset();
        objects_.reset();
        db_.reset();
        if (lock_) setLogDirectory({});
        if (lock_) lock_->unlock();
        lock_.reset();
        Q_EMIT opened(error, {});
        return;
    }
    refreshStats();
    statsTimer_.start();
    if (chain_) slotTimer_.start();
    walletTimer_.start();
    Q_EMIT opened({}, endpoint);
}

QString NodeWorker::openSteps(QString *rpcEndpoint)
{
    const QString dir = config_.dataDir;
    if (Status s = ensureWritableDir(dir); !s.ok()) return QString::fromStdString(s.error().message);

    // One node per data dir. The lock is held for the node's life; a lock left by a process
    // that died is detected as stale (same host, PID gone) and taken over.
    lock_ = std::make_unique<QLockFile>(paths::lockFile(dir));
    lock_->setStaleLockTime(0);  // never expire a lock whose owner is alive, however old
    if (!lock_->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock_->getLockInfo(&pid, &host, &app);
        lock_.reset();
        return QStringLiteral("another Blyan node (%1, PID %2) is already using data dir %3; stop it first, or choose "
                              "another data dir with --datadir")
            .arg(app.isEmpty() ? QStringLiteral("unknown program") : app)
            .arg(pid)
            .arg(dir);
    }

    // The data dir is ours now: its log file is too.
    setLogDirectory(paths::logsDir(dir));

    // Compute runtime first: it may take a moment to load CUDA, and the status needs it.
    // LibTorch defaults to one intra-op thread on some systems: use every core.
    engine::setCpuThreads(0);
    const engine::RuntimeInfo rt = engine::runtimeInfo();
    compute_.computeBackend = QString::fromStdString(rt.backend);
    compute_.computeDevices = QString::fromStdString(engine::describeDevices(rt));
    compute_.cudaAvailable = rt.cudaAvailable;

    auto store = openNodeStorage(config_.network, dir);
    if (!store.ok()) return QString::fromStdString(store.error().message);
    db_ = std::move(store->db);
    objects_ = std::move(store->objects);

    // The chain before the RPC server, so that no RPC call sees it half open. A testnet without its
    // genesis file has no chain: the node runs and says so, it never fakes one.
    auto chain = NodeChain::open(config_.network, dir, *db_, *objects_, config_.genesisFile);
    if (chain.ok()) {
        chain_ = std::move(*chain);
        consensus_ = std::make_unique<NodeConsensus>(*chain_, *db_);
        if (Status s = consensus_->open(); !s.ok()) return QStringLiteral("consensus: %1").arg(QString::fromStdString(s.error().message));
        chain_->setConsensus(consensus_.get());
        consensus_->onChainChanged = [this] {
            if (wallet_ && wallet_->sync()) Q_EMIT walletChanged();
            refreshStats();
        };
    } else if (chain.error().code == ErrorCode::Unavailable) {
        chainStatus_ = QString::fromStdString(chain.error().message);
        qCInfo(lcNode).noquote() << "chain unavailable:" << chainStatus_;
    } else {
        return QStringLiteral("chain: %1").arg(QString::fromStdString(chain.error().message));
    }

    // The wallet after the chain (it follows it) and before the RPC server.
    auto wallet = NodeWallet::open(config_.network, dir, chain_.get());
    if (!wallet.ok()) return QStringLiteral("wallet: %1").arg(QString::fromStdString(wallet.error().message));
    wallet_ = std::move(*wallet);
    keychain_ = std::make_unique<wallet::QtKeychainStore>(config_.network, dir);
    wallet_->setKeychain(keychain_.get());

    // The peer layer needs the chain (the handshake carries the genesis id). A P2P port in use is not
    // fatal (the node still dials out and says so); an unreadable peers.sqlite is.
    if (chain_) {
        auto p2p = NodeP2p::open(config_.network, dir, config_.p2p, *chain_);
        if (!p2p.ok()) return QStringLiteral("P2P: %1").arg(QString::fromStdString(p2p.error().message));
        p2p_ = std::move(*p2p);
        // The chain layer: sync, gossip and votes ride on the peers.
        NodeConsensus *c = consensus_.get();
        p2p_->setChainHandler({[c](p2p::PeerId p, const p2p::Message &m) { c->onMessage(p, m); },
                               [c](p2p::PeerId p) { c->onPeerReady(p); }, [c](p2p::PeerId p) { c->onPeerClosed(p); }});
        consensus_->setPeers(&p2p_->peers());
    } else {
        p2pStatus_ = QStringLiteral("peer-to-peer needs the chain: %1").arg(chainStatus_);
    }

    if (config_.rpcEnabled) {
        auto cookie = writeCookie(paths::cookieFile(dir));
        if (!cookie.ok()) return QString::fromStdString(cookie.error().message);
        rpc_ = new RpcServer(rpcTable_, cookie.value());
        rpc_->moveToThread(rpcThread_);
        QString err;
        const QString address = QStringLiteral("127.0.0.1");  // loopback only: the cookie guards local users
        QMetaObject::invokeMethod(rpc_, "start", Qt::BlockingQueuedConnection, Q_RETURN_ARG(QString, err),
                                  Q_ARG(QString, address), Q_ARG(quint16, config_.rpcPort));
        if (!err.isEmpty())
            return QStringLiteral("JSON-RPC server: %1; is another program using port %2? Choose another with --rpcport "
                                  "or rpcport=N in blyan.conf")
                .arg(err)
                .arg(config_.rpcPort);
        *rpcEndpoint = QStringLiteral("%1:%2").arg(address).arg(rpc_->port());
    }
    return {};
}

void NodeWorker::refreshStats()
{
    NodeStatus s = compute_;
    if (objects_) {
        const ObjectStoreFigures f = objectStoreFigures(*objects_);
        s.objectCount = f.count;
        s.objectBytes = f.bytes;
    }
    s.diskFreeBytes = static_cast<quint64>(std::max<qint64>(0, QStorageInfo(config_.dataDir).bytesAvailable()));
    s.chainAvailable = chain_ != nullptr;
    s.chainStatus = chainStatus_;
    if (chain_) {
        s.chainHeight = chain_->height();
        s.bestBlockHash = chain_->bestBlockHash();
        s.mempoolSize = chain_->mempoolSize();
    }
    if (wallet_) wallet_->fillStatus(s);
    if (p2p_)
        p2p_->fillStatus(s);
    else
        s.p2pStatus = p2pStatus_;
    Q_EMIT statsUpdated(s);
}

void NodeWorker::produceBlock()
{
    if (!consensus_ || closing_) return;
    consensus_->onSlot(QDateTime::currentMSecsSinceEpoch());
}

void NodeWorker::walletTick()
{
    if (!wallet_ || closing_) return;
    if (wallet_->tick(QDateTime::currentMSecsSinceEpoch())) {
        refreshStats();
        Q_EMIT walletChanged();
    }
}

void NodeWorker::postWallet(const QString &method, const QJsonArray &params, std::function<void(Expected<QJsonValue>)> reply)
{
    if (closing_) {
        reply(makeError(ErrorCode::Unavailable, "the node is shutting down"));
        return;
    }
    QMetaObject::invokeMethod(
        this,
        [this, method, params, reply = std::move(reply)] {
            const WalletMethod *m = findWalletMethod(method);
            if (!m) {
                reply(makeError(ErrorCode::NotFound, "unknown wallet method '" + method.toStdString() + "'"));
                return;
            }
            if (!wallet_ || closing_) {
                reply(makeError(ErrorCode::Unavailable, "the wallet is not open"));
                return;
            }
            if (Status s = checkWalletParams(*m, params); !s.ok()) {
                reply(s.error());
                return;
            }
            const bool changes = m->changesWallet;
            auto finish = [this, changes, reply](Expected<QJsonValue> r) {
                // Pending transactions count in the balance at once; the pool changed too.
                if (changes && r.ok() && !closing_) {
                    refreshStats();
                    Q_EMIT walletChanged();
                }
                reply(std::move(r));
            };
            if (m->runOwner)
                m->runOwner(wallet_, params, std::move(finish));
            else
                finish(m->run(*wallet_, params));
        },
        Qt::QueuedConnection);
}

Expected<QJsonValue> NodeWorker::callWallet(const QString &method, const QJsonArray &params)
{
    // As callChain: queued to the worker, the RPC thread waits and gives up when the node closes.
    if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    auto promise = std::make_shared<std::promise<Expected<QJsonValue>>>();
    auto future = promise->get_future();
    postWallet(method, params, [promise](Expected<QJsonValue> r) { promise->set_value(std::move(r)); });
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    return future.get();
}

Expected<QJsonValue> NodeWorker::callP2p(const std::function<Expected<QJsonValue>(NodeP2p &)> &request)
{
    // As callChain: the peer layer lives on this thread; the RPC (or call-pool) thread waits.
    if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    auto promise = std::make_shared<std::promise<Expected<QJsonValue>>>();
    auto future = promise->get_future();
    QMetaObject::invokeMethod(
        this,
        [this, promise, request] {
            if (!p2p_ || closing_) {
                promise->set_value(makeError(ErrorCode::Unavailable, p2pStatus_.isEmpty() ? std::string("peer-to-peer is not running")
                                                                                           : p2pStatus_.toStdString()));
                return;
            }
            promise->set_value(request(*p2p_));
        },
        Qt::QueuedConnection);
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    return future.get();
}

Expected<QJsonValue> NodeWorker::callChain(const std::function<Expected<QJsonValue>(NodeChain &)> &request)
{
    // RPC handlers run on the RPC thread, but the ledger, its SQLite connection and the mempool belong
    // to the worker thread (no locks inside, and sendrawtransaction must see the same state that
    // blocks are built from). So the request is queued to the worker and the RPC thread waits for the
    // answer. Not Qt::BlockingQueuedConnection: close() stops the RPC server with a blocking call to
    // the RPC thread, and a handler blocked on the worker at that moment would deadlock both. Instead
    // the wait gives up once close() has begun; a request still queued then finds no chain and ends.
    if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    auto promise = std::make_shared<std::promise<Expected<QJsonValue>>>();
    auto future = promise->get_future();
    QMetaObject::invokeMethod(
        this,
        [this, promise, request] {
            if (!chain_ || closing_) {
                promise->set_value(makeError(ErrorCode::Unavailable,
                                             chainStatus_.isEmpty() ? std::string("the chain is not open")
                                                                    : chainStatus_.toStdString()));
                return;
            }
            promise->set_value(request(*chain_));
            if (chain_->mempoolSize() > 0) refreshStats();
        },
        Qt::QueuedConnection);
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (closing_) return makeError(ErrorCode::Unavailable, "the node is shutting down");
    return future.get();
}

void NodeWorker::close()
{
    qCInfo(lcNode) << "shutting down";
    closing_ = true;
    statsTimer_.stop();
    slotTimer_.stop();
    walletTimer_.stop();
    const int steps = 4;
    Q_EMIT shutdownProgress(1, steps, QStringLiteral("Stopping the RPC server"));
    if (rpc_) {
        QMetaObject::invokeMethod(rpc_, &RpcServer::stop, Qt::BlockingQueuedConnection);
        removeCookie(paths::cookieFile(config_.dataDir));
    }
    Q_EMIT shutdownProgress(2, steps, QStringLiteral("Disconnecting from peers"));
    if (consensus_) consensus_->setPeers(nullptr);
    if (p2p_) p2p_->stop();
    p2p_.reset();  // before the chain: the chain layer's handlers point into it
    consensus_.reset();
    Q_EMIT shutdownProgress(3, steps, QStringLiteral("Closing the databases"));
    wallet_.reset();  // wipes the keys
    keychain_.reset();
    chain_.reset();
    objects_.reset();
    db_.reset();
    Q_EMIT shutdownProgress(4, steps, QStringLiteral("Releasing the data directory"));
    qCInfo(lcNode) << "releasing the data dir; shutdown complete";
    setLogDirectory({});
    if (lock_) lock_->unlock();
    lock_.reset();
    Q_EMIT closed();
}

}  // namespace blyan::node
