#pragma once
// ClientModel: the UI's only view of the node (bitcoin-qt's ClientModel pattern). It receives
// Node::statusChanged queued on the UI thread and republishes it at most once per throttle
// interval, so a node that reports often can never flood the widgets. Nothing here touches disk,
// SQLite, sockets or LibTorch.

#include "node/node_status.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace blyan::node {
class Node;
}

namespace blyan::ui {

class ClientModel : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultThrottleMs = 250;

    explicit ClientModel(node::Node *node, QObject *parent = nullptr, int throttleMs = kDefaultThrottleMs);

    // The latest status published to the UI (not the newest the node sent, if throttled).
    const node::NodeStatus &status() const { return status_; }
    QString dataDir() const;
    QString networkName() const;
    bool hasStopped() const { return stopped_; }
    // For the models that sit beside this one (WalletModel): they talk to the same node.
    node::Node *node() const { return node_; }

    // Asks the node to stop; shutdownProgress() and nodeStopped() follow.
    void requestShutdown();

Q_SIGNALS:
    void statusUpdated(const blyan::node::NodeStatus &status);
    void nodeStarted();
    void nodeFailed(const QString &message);
    void shutdownProgress(int step, int steps, const QString &what);
    void nodeStopped();

private:
    void onStatusChanged(const node::NodeStatus &s);
    void publish();

    node::Node *node_;
    node::NodeStatus status_;
    node::NodeStatus pending_;
    bool dirty_ = false;
    bool stopped_ = false;
    bool failed_ = false;
    QTimer throttle_;
};

}  // namespace blyan::ui
