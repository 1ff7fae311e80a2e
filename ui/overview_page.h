#pragma once
// Overview: the node's live status (from ClientModel, never from the node directly) in cards.

#include "node/node_status.h"

#include <QWidget>

class QLabel;

namespace blyan::ui {

class ClientModel;

class OverviewPage : public QWidget {
    Q_OBJECT
public:
    OverviewPage(ClientModel *model, QWidget *parent = nullptr);

    // Re-tints the state dot after a theme switch.
    void setDarkTheme(bool dark);
    // The value label of a field, by its name ("state", "rpcEndpoint", ...); for tests.
    QLabel *field(const QString &name) const;

private:
    void update(const node::NodeStatus &s);

    ClientModel *model_;
    bool dark_ = false;
    node::NodeState lastState_ = node::NodeState::Starting;
    QLabel *heroState_, *heroDetail_, *heroDot_;
};

}  // namespace blyan::ui
