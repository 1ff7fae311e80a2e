#pragma once
// WalletModel: the UI's only door to the wallet (bitcoin-qt's WalletModel pattern). Every request
// goes through Node::callWallet, which runs the wallet method of docs/rpc.md on the node's worker
// and answers queued on the UI thread, so nothing here ever waits. The model caches the answer of
// getwalletinfo and re-reads it when the node says the wallet changed, at most every 250 ms.

#include "util/error.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace blyan::node {
class Node;
struct NodeStatus;
}  // namespace blyan::node

namespace blyan::ui {

class HistoryModel;

struct WalletAddress {
    QString address;
    QString label;
    int index = 0;
};

// getwalletinfo, decoded.
struct WalletInfo {
    bool loaded = false;  // false until the first answer
    QString state;        // "none", "locked", "unlocked"
    qint64 unlockedUntilMs = 0;
    QString network;
    quint64 available = 0, staked = 0, unbonding = 0, pendingIn = 0, pendingOut = 0;  // base units
    struct Release {
        quint64 amount = 0;
        qint64 timeMs = 0;  // when its release epoch starts (the first block after pays it out)
    };
    QList<Release> unbondingReleases;  // by time
    qint64 unbondingDelayMs = 0;       // how long an unstake waits at most; 0: at once (devnet)
    QList<WalletAddress> addresses;  // by index
    quint64 txCount = 0;
    bool keychain = false;           // the unlock key is kept in the OS keychain
    bool keychainAvailable = false;  // an OS keychain can be used at all
    QString keychainStatus;          // why not, when it cannot
    bool devnetFunded = false;

    bool exists() const { return loaded && state != QLatin1String("none"); }
    bool locked() const { return state == QLatin1String("locked"); }
};

class WalletModel : public QObject {
    Q_OBJECT
public:
    using Reply = std::function<void(const Expected<QJsonValue> &)>;
    static constexpr int kDefaultThrottleMs = 250;

    explicit WalletModel(node::Node *node, QObject *parent = nullptr, int throttleMs = kDefaultThrottleMs);

    // Runs wallet `method`; `done` runs on the UI thread, and not at all once `context` is gone.
    void call(const QString &method, const QJsonArray &params, QObject *context, Reply done);

    const WalletInfo &info() const { return info_; }
    // Why getwalletinfo failed last time (empty after an answer).
    const QString &infoError() const { return infoError_; }
    HistoryModel *history() const { return history_; }
    QString network() const;

    // Re-reads getwalletinfo soon (throttled); listeners of changed() re-read what they show.
    void refresh();

Q_SIGNALS:
    // getwalletinfo answered (or failed: see infoError()).
    void infoChanged();
    // Something in the wallet changed: history, address book, balances. Throttled like infoChanged.
    void changed();

private:
    void fetchInfo();
    void onInfo(const Expected<QJsonValue> &answer);
    void onNodeStatus(const node::NodeStatus &s);

    node::Node *node_;
    WalletInfo info_;
    QString infoError_;
    HistoryModel *history_;
    QTimer throttle_;      // trailing refresh after a burst of walletChanged
    QTimer lockWatch_;     // re-reads the state when the unlock period ends
    bool inFlight_ = false;
    bool again_ = false;   // a refresh was asked for while one was in flight
    QString lastStatusKey_;  // the wallet figures of the last node status seen
};

}  // namespace blyan::ui
