#pragma once
// Overview: the node at a glance, all live. The node's status (state, sync, storage, compute, chain)
// comes from ClientModel's throttled status; the wallet's balance from the same status; the model
// (getmodel), the latest blocks (listblocks) and the wallet's latest transactions (listtransactions)
// through Node::call, re-read when the tip, the wallet or an import moves (coalesced to ~250 ms) and
// every few seconds while the page is shown (the expert cache changes with every chat).

#include "node/node_status.h"
#include "util/error.h"

#include <QJsonValue>
#include <QTimer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace blyan::ui {

class Card;
class ClientModel;

class OverviewPage : public QWidget {
    Q_OBJECT
public:
    OverviewPage(ClientModel *model, QWidget *parent = nullptr);

    // Re-tints the state dot after a theme switch.
    void setDarkTheme(bool dark);
    // The value label of a field, by its name ("state", "rpcEndpoint", "balance", "modelName", ...); for tests.
    QLabel *field(const QString &name) const;
    // The recent activity lists (rich text with explorer links), for tests.
    QLabel *recentBlocks() const { return recentBlocks_; }
    QLabel *recentTransactions() const { return recentTxs_; }

Q_SIGNALS:
    // A link to the Explorer ("block:HASH", "tx:TXID", "object:ID") or to a panel ("panel:wallet").
    void linkActivated(const QString &href);

protected:
    void showEvent(QShowEvent *e) override;

private:
    enum Feed { ModelFeed = 1, BlocksFeed = 2, WalletFeed = 4 };
    void update(const node::NodeStatus &s);
    void updateWallet(const node::NodeStatus &s);
    void want(int feeds);  // coalesces requests for ~250 ms
    void fetch();
    void showModel(const Expected<QJsonValue> &a);
    void showBlocks(const Expected<QJsonValue> &a);
    void showTransactions(const Expected<QJsonValue> &a);
    Card *buildModelCard();
    QWidget *buildActivity();

    ClientModel *model_;
    bool dark_ = false;
    node::NodeState lastState_ = node::NodeState::Starting;
    QLabel *heroState_, *heroDetail_, *heroDot_;
    QLabel *recentBlocks_ = nullptr, *recentTxs_ = nullptr;
    QTimer coalesce_, poll_;
    int wanted_ = 0, inFlight_ = 0;
    quint64 lastHeight_ = 0;
    bool sawHeight_ = false;
    bool modelLoaded_ = false;  // the last getmodel said so
};

}  // namespace blyan::ui
