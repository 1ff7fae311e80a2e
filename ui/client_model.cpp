#include "ui/client_model.h"

#include "node/node.h"
#include "util/log.h"

namespace blyan::ui {

ClientModel::ClientModel(node::Node *node, QObject *parent, int throttleMs)
    : QObject(parent), node_(node), status_(node->status())
{
    throttle_.setSingleShot(true);
    throttle_.setInterval(throttleMs);
    // Leading edge publishes at once (state changes feel instant); while the timer runs further
    // updates only mark the model dirty and the trailing edge publishes the newest one.
    connect(&throttle_, &QTimer::timeout, this, [this] {
        if (dirty_) publish();
    });
    connect(node_, &node::Node::statusChanged, this, &ClientModel::onStatusChanged, Qt::QueuedConnection);
    connect(node_, &node::Node::started, this, &ClientModel::nodeStarted, Qt::QueuedConnection);
    connect(node_, &node::Node::failed, this, [this](const QString &msg) {
        failed_ = true;
        Q_EMIT nodeFailed(msg);
    }, Qt::QueuedConnection);
    connect(node_, &node::Node::shutdownProgress, this, &ClientModel::shutdownProgress, Qt::QueuedConnection);
    connect(node_, &node::Node::stopped, this, [this] {
        if (stopped_) return;
        stopped_ = true;
        // The final status must reach the widgets even if the throttle is holding it back.
        pending_ = node_->status();
        publish();
        Q_EMIT nodeStopped();
    }, Qt::QueuedConnection);
}

QString ClientModel::dataDir() const
{
    return status_.dataDir.isEmpty() ? node_->dataDir() : status_.dataDir;
}

QString ClientModel::networkName() const
{
    return status_.network.isEmpty() ? blyan::networkName(node_->options().network) : status_.network;
}

void ClientModel::requestShutdown()
{
    if (stopped_) {
        QMetaObject::invokeMethod(this, &ClientModel::nodeStopped, Qt::QueuedConnection);
        return;
    }
    qCInfo(lcUi) << "shutdown requested from the UI";
    node_->requestStop();
    // A node that failed to start has no workers left, so it may never say stopped().
    if (failed_ && !node_->isRunning()) {
        stopped_ = true;
        QMetaObject::invokeMethod(this, &ClientModel::nodeStopped, Qt::QueuedConnection);
    }
}

void ClientModel::onStatusChanged(const node::NodeStatus &s)
{
    pending_ = s;
    dirty_ = true;
    if (!throttle_.isActive()) publish();
}

void ClientModel::publish()
{
    status_ = pending_;
    dirty_ = false;
    throttle_.start();
    Q_EMIT statusUpdated(status_);
}

}  // namespace blyan::ui
