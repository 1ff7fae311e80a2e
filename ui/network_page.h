#pragma once
// Network: what the node knows about its connections. Today that is the local RPC endpoint;
// peer-to-peer is reported honestly as not available until core/p2p exists.

#include "node/node_status.h"

#include <QWidget>

class QLabel;

namespace blyan::ui {

class ClientModel;

class NetworkPage : public QWidget {
    Q_OBJECT
public:
    NetworkPage(ClientModel *model, QWidget *parent = nullptr);

private:
    void update(const node::NodeStatus &s);

    ClientModel *model_;
    QLabel *endpoint_, *requests_, *p2p_, *p2pNote_;
};

}  // namespace blyan::ui
