#include "node/node.h"

#include "model/model_service.h"
#include "node/node_model_chain.h"
#include "node/node_rpc.h"
#include "node/node_worker.h"
#include "node/rpc/rpc_table.h"
#include "util/version.h"
#include "util/log.h"
#include "util/paths.h"

#include <QCoreApplication>
#include <QPointer>
#include <QDir>
#include <QEventLoop>
#include <QMutex>
#include <QThread>
#include <QThreadPool>

#include <atomic>

namespace blyan::node {

QString nodeStateName(NodeState s)
{
    switch (s) {
    case NodeState::Starting: return QStringLiteral("starting");
    case NodeState::Running: return QStringLiteral("running");
    case NodeState::Stopping: return QStringLiteral("stopping");
    case NodeState::Stopped: return QStringLiteral("stopped");
    case NodeState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

class Node::Impl {
public:
    QString dataDir;
    RpcTable rpcTable;
    QThread workerThread;
    QThread rpcThread;
    NodeWorker *worker = nullptr;
    mutable QMutex mutex;
    NodeStatus status;  // guarded by mutex
    std::atomic<bool> startCalled{false};
    std::atomic<bool> stopCalled{false};
    std::atomic<bool> running{false};
    QTimer statusTimer;  // on the Node's thread: re-emits status with fresh uptime
    std::unique_ptr<model::ModelService> model;
    QThreadPool callPool;  // Node::call: RPC handlers for the UI, off its thread

    void setState(NodeState s, const QString &error = {})
    {
        QMutexLocker l(&mutex);
        status.state = s;
        if (!error.isEmpty()) status.error = error;
    }
};

Node::Node(NodeOptions options, QObject *parent) : QObject(parent), options_(std::move(options)), impl_(std::make_unique<Impl>())
{
    qRegisterMetaType<blyan::node::NodeStatus>();
    const NetworkParams &params = networkParams(options_.network);
    const QString dir = options_.dataDir.isEmpty() ? defaultDataDir(options_.network) : options_.dataDir;
    impl_->dataDir = QDir::cleanPath(QDir(dir).absolutePath());
    if (options_.rpcPort == 0) options_.rpcPort = params.rpcPort;

    NodeStatus &s = impl_->status;
    s.network = params.name;
    s.dataDir = impl_->dataDir;
    s.version = QStringLiteral(BLYAN_VERSION_STRING);
    impl_->workerThread.setObjectName(QStringLiteral("blyan-node"));
    impl_->rpcThread.setObjectName(QStringLiteral("blyan-rpc"));
    registerNodeRpcMethods(impl_->rpcTable, this);

    model::ModelSettings ms;
    ms.device = options_.modelDevice.toStdString();
    ms.ramBudget = options_.expertCacheRam;
    ms.gpuBudget = options_.expertCacheGpu;
    impl_->model = std::make_unique<model::ModelService>(impl_->dataDir, ms);
    impl_->model->setImportListener([this](const model::ImportProgress &p) {
        const bool publishing = p.phase == model::ImportProgress::Phase::Publishing;
        const QString message = !p.error.empty() ? QString::fromStdString(p.error) : QString::fromStdString(p.current);
        Q_EMIT modelImportProgress(QLatin1String(model::phaseName(p.phase)),
                                   publishing ? p.published + p.alreadyOnChain : static_cast<qint64>(p.bytesDone),
                                   publishing ? p.toPublish + p.alreadyOnChain : static_cast<qint64>(p.bytesTotal), message);
    });

    // A few threads: a handler that waits on the model threads must not hold up the explorer's reads.
    impl_->callPool.setMaxThreadCount(4);
    impl_->statusTimer.setInterval(1000);
    connect(&impl_->statusTimer, &QTimer::timeout, this, [this] { Q_EMIT statusChanged(status()); });
}

Node::~Node()
{
    impl_->model->shutdown();
    impl_->stopCalled = true;
    impl_->callPool.waitForDone();
    // Normal shutdown goes through requestStop(); this is the last resort (exceptions, tests).
    if (impl_->workerThread.isRunning()) {
        // Queued after open() if that is still running; close() copes with a half-open node.
        if (impl_->worker)
            QMetaObject::invokeMethod(impl_->worker, &NodeWorker::close, Qt::BlockingQueuedConnection);
        impl_->workerThread.quit();
        impl_->workerThread.wait();
    }
    impl_->rpcThread.quit();
    impl_->rpcThread.wait();
}

QString Node::dataDir() const { return impl_->dataDir; }

bool Node::isRunning() const { return impl_->running.load(); }

model::ModelService &Node::model() { return *impl_->model; }

Status Node::importModel(const QString &dir) { return impl_->model->startImport(dir.toStdString()); }

void Node::cancelModelImport() { impl_->model->cancelImport(); }

Expected<QJsonValue> Node::callChain(const std::function<Expected<QJsonValue>(NodeChain &)> &request)
{
    // The worker exists from start() until its thread finishes, and the RPC server (the only caller)
    // is stopped before that.
    NodeWorker *w = impl_->worker;
    if (!w) return makeError(ErrorCode::Unavailable, "the node is not running");
    return w->callChain(request);
}

Expected<QJsonValue> Node::callP2p(const std::function<Expected<QJsonValue>(NodeP2p &)> &request)
{
    NodeWorker *w = impl_->worker;
    if (!w) return makeError(ErrorCode::Unavailable, "the node is not running");
    return w->callP2p(request);
}

Expected<QJsonValue> Node::callWalletBlocking(const QString &method, const QJsonArray &params)
{
    NodeWorker *w = impl_->worker;
    if (!w) return makeError(ErrorCode::Unavailable, "the node is not running");
    return w->callWallet(method, params);
}

namespace {

// An answer for `context`'s thread: queued there, and dropped when the context is gone first.
std::function<void(Expected<QJsonValue>)> deliverTo(QObject *context, std::function<void(const Expected<QJsonValue> &)> done)
{
    QPointer<QObject> ctx(context);
    return [ctx, done = std::move(done)](Expected<QJsonValue> result) {
        if (!ctx) return;
        QMetaObject::invokeMethod(
            ctx.data(),
            [ctx, done, r = std::move(result)] {
                if (ctx) done(r);
            },
            Qt::QueuedConnection);
    };
}

}  // namespace

void Node::callWallet(const QString &method, const QJsonArray &params, QObject *context,
                      std::function<void(const Expected<QJsonValue> &)> done)
{
    auto deliver = deliverTo(context, std::move(done));
    NodeWorker *w = impl_->worker;
    if (!w || !isRunning()) {
        deliver(makeError(ErrorCode::Unavailable, "the node is not running"));
        return;
    }
    w->postWallet(method, params, std::move(deliver));
}

void Node::call(const QString &method, const QJsonArray &params, QObject *context,
                std::function<void(const Expected<QJsonValue> &)> done)
{
    auto deliver = deliverTo(context, std::move(done));
    const RpcMethod *m = impl_->rpcTable.find(method);
    if (!m) {
        deliver(makeError(ErrorCode::NotFound, "unknown method '" + method.toStdString() + "'"));
        return;
    }
    if (!isRunning() || impl_->stopCalled) {
        deliver(makeError(ErrorCode::Unavailable, "the node is not running"));
        return;
    }
    // The table is filled before start() and only read afterwards; the handler pointer stays valid.
    impl_->callPool.start([this, m, params, deliver] {
        if (!isRunning() || impl_->stopCalled) {
            deliver(makeError(ErrorCode::Unavailable, "the node is shutting down"));
            return;
        }
        deliver(m->handler(params));
    });
}

void Node::start()
{
    if (impl_->startCalled.exchange(true)) return;
    WorkerConfig cfg{options_.network, impl_->dataDir, options_.rpcEnabled, options_.rpcPort, options_.genesisFile, options_.p2p};
    impl_->worker = new NodeWorker(cfg, &impl_->rpcTable, &impl_->rpcThread);
    impl_->worker->moveToThread(&impl_->workerThread);
    impl_->model->attach(std::make_shared<NodeModelChain>(this));
    connect(&impl_->workerThread, &QThread::finished, impl_->worker, &QObject::deleteLater);

    connect(impl_->worker, &NodeWorker::statsUpdated, this, [this](const NodeStatus &p) {
        {
            QMutexLocker l(&impl_->mutex);
            NodeStatus &s = impl_->status;
            s.objectCount = p.objectCount;
            s.objectBytes = p.objectBytes;
            s.diskFreeBytes = p.diskFreeBytes;
            s.computeBackend = p.computeBackend;
            s.computeDevices = p.computeDevices;
            s.cudaAvailable = p.cudaAvailable;
            s.chainAvailable = p.chainAvailable;
            s.chainStatus = p.chainStatus;
            s.chainHeight = p.chainHeight;
            s.bestBlockHash = p.bestBlockHash;
            s.mempoolSize = p.mempoolSize;
            s.p2pAvailable = p.p2pAvailable;
            s.p2pStatus = p.p2pStatus;
            s.peersInbound = p.peersInbound;
            s.peersOutbound = p.peersOutbound;
            s.p2pBytesReceived = p.p2pBytesReceived;
            s.p2pBytesSent = p.p2pBytesSent;
            s.p2pEndpoint = p.p2pEndpoint;
            s.walletState = p.walletState;
            s.walletUnlockedUntilMs = p.walletUnlockedUntilMs;
            s.walletAvailableUnits = p.walletAvailableUnits;
            s.walletStakedUnits = p.walletStakedUnits;
            s.walletUnbondingUnits = p.walletUnbondingUnits;
            s.walletPendingUnits = p.walletPendingUnits;
        }
        Q_EMIT statusChanged(status());
    });
    connect(impl_->worker, &NodeWorker::opened, this, [this](const QString &error, const QString &endpoint) {
        if (!error.isEmpty()) {
            impl_->setState(NodeState::Failed, error);
            qCCritical(lcNode).noquote() << "node failed to start:" << error;
            impl_->workerThread.quit();
            impl_->workerThread.wait();
            impl_->rpcThread.quit();
            impl_->rpcThread.wait();
            Q_EMIT statusChanged(status());
            Q_EMIT failed(error);
            // A stop asked for while starting still gets its answer.
            if (impl_->stopCalled) Q_EMIT stopped();
            return;
        }
        {
            QMutexLocker l(&impl_->mutex);
            impl_->status.rpcEndpoint = endpoint;
            impl_->status.startedAt = QDateTime::currentDateTimeUtc();
            impl_->status.state = NodeState::Running;
        }
        impl_->running = true;
        impl_->statusTimer.start();
        qCInfo(lcNode).noquote() << "node running:" << networkName(options_.network) << "in" << impl_->dataDir;
        Q_EMIT statusChanged(status());
        Q_EMIT started();
        // A stop asked for while starting is carried out now.
        if (impl_->stopCalled) QMetaObject::invokeMethod(impl_->worker, &NodeWorker::close, Qt::QueuedConnection);
    });
    connect(impl_->worker, &NodeWorker::shutdownProgress, this, &Node::shutdownProgress);
    connect(impl_->worker, &NodeWorker::walletChanged, this, &Node::walletChanged);
    connect(impl_->worker, &NodeWorker::closed, this, [this] {
        // The workers have finished their work; these joins only wait for two idle event loops
        // to return, which is immediate.
        impl_->running = false;
        impl_->statusTimer.stop();
        // Calls still in the pool see the node closed and return at once (callChain gives up after close).
        impl_->callPool.waitForDone();
        impl_->workerThread.quit();
        impl_->workerThread.wait();
        impl_->rpcThread.quit();
        impl_->rpcThread.wait();
        impl_->worker = nullptr;
        impl_->setState(NodeState::Stopped);
        qCInfo(lcNode) << "node stopped";
        Q_EMIT statusChanged(status());
        Q_EMIT stopped();
    });

    impl_->rpcThread.start();
    impl_->workerThread.start();
    QMetaObject::invokeMethod(impl_->worker, &NodeWorker::open, Qt::QueuedConnection);
}

Status Node::startBlocking()
{
    QEventLoop loop;
    QString error;
    connect(this, &Node::started, &loop, &QEventLoop::quit);
    connect(this, &Node::failed, &loop, [&](const QString &e) {
        error = e;
        loop.quit();
    });
    start();
    loop.exec();
    if (!error.isEmpty()) return makeError(ErrorCode::Unavailable, error.toStdString());
    return {};
}

void Node::requestStop()
{
    if (impl_->stopCalled.exchange(true)) return;
    // Always hop to the Node's thread: callers may be the RPC thread or a signal handler.
    QMetaObject::invokeMethod(this, [this] {
        // The model threads first: an import or a chat in progress stops at its next piece or token.
        impl_->model->shutdown();
        if (impl_->running) {
            impl_->setState(NodeState::Stopping);
            Q_EMIT statusChanged(status());
            QMetaObject::invokeMethod(impl_->worker, &NodeWorker::close, Qt::QueuedConnection);
        } else if (!impl_->startCalled || status().state == NodeState::Failed) {
            impl_->setState(NodeState::Stopped);
            Q_EMIT stopped();
        }
        // Otherwise still starting: the opened() handler sees stopCalled and closes.
    }, Qt::QueuedConnection);
}

NodeStatus Node::status() const
{
    NodeStatus s;
    {
        QMutexLocker l(&impl_->mutex);
        s = impl_->status;
    }
    if (s.startedAt.isValid() && (s.state == NodeState::Running || s.state == NodeState::Stopping))
        s.uptimeSeconds = s.startedAt.secsTo(QDateTime::currentDateTimeUtc());
    if (NodeWorker *w = impl_->worker; w && impl_->running) s.rpcRequests = w->rpcRequestsServed();
    return s;
}

}  // namespace blyan::node
