#pragma once
// GovernanceModel: what the Governance panel shows, read through Node::call (getgovernanceinfo,
// listproposals, getproposal) and the wallet (listmyvotes through WalletModel → Node::callWallet). The
// node answers on its own threads and the model keeps the last answer, so the UI thread never waits. It
// re-reads when a block arrives or the wallet changes, at most every 250 ms, one request of a kind at a time.

#include "util/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace blyan::node {
struct NodeStatus;
}

namespace blyan::ui {

class ClientModel;
class WalletModel;

// One proposal as listproposals / getproposal describe it (docs/rpc.md "Governance").
struct ProposalItem {
    QString id;
    int number = 0;
    QString kind, title, status, outlook, proposer;
    qint64 createdHeight = 0, snapshotHeight = 0, endHeight = 0, closedHeight = 0, blocksLeft = 0, secondsLeft = 0;
    quint64 totalStake = 0, yes = 0, no = 0, abstain = 0, veto = 0, deposit = 0;
    int quorumPercent = 0, thresholdPercent = 0, vetoPercent = 0;
    double turnoutPercent = 0, yesPercent = 0;
    bool quorumReached = false;
    QJsonObject action;
    bool voting() const { return status == QLatin1String("voting"); }
    static ProposalItem fromJson(const QJsonObject &o);
};

struct GovParamItem {
    QString name, unit, description;
    quint64 value = 0, defaultValue = 0, min = 0, max = 0;
    bool changed = false;
};

struct GovernanceInfo {
    bool loaded = false;
    qint64 height = 0;
    int slotMs = 0;
    int vetoPercent = 0;
    quint64 totalStake = 0, deposit = 0;
    QList<GovParamItem> params;
    QJsonArray kinds, tiers, datasets;
};

// Display names ("Parameter change", "Passed") for the node's identifiers.
QString proposalKindTitle(const QString &kind);
QString proposalStatusTitle(const QString &status);
// "what the proposal would do", in one line.
QString describeAction(const QJsonObject &action);
// "ends at height 1,234 · about 2 min" / "closed at height 1,234".
QString countdownText(const ProposalItem &p);

class GovernanceModel : public QObject {
    Q_OBJECT
public:
    using Reply = std::function<void(const Expected<QJsonValue> &)>;

    GovernanceModel(ClientModel *client, WalletModel *wallet, QObject *parent = nullptr, int throttleMs = 250);

    const GovernanceInfo &info() const { return info_; }
    const QList<ProposalItem> &proposals() const { return proposals_; }
    const ProposalItem *proposal(const QString &id) const;
    const QJsonArray &myVotes() const { return myVotes_; }
    // The wallet's recorded (or pending) choice on a proposal, "" when it has not voted.
    QString myChoice(const QString &id) const;
    QString error() const { return error_; }
    WalletModel *wallet() const { return wallet_; }

    // Any node method, answered on the UI thread (never when `context` is gone).
    void call(const QString &method, const QJsonArray &params, QObject *context, Reply done);
    // Re-reads everything soon (throttled).
    void refresh();

Q_SIGNALS:
    void infoChanged();
    void proposalsChanged();
    void myVotesChanged();

private:
    void fetch();
    void onStatus(const node::NodeStatus &s);

    ClientModel *client_;
    WalletModel *wallet_;
    GovernanceInfo info_;
    QList<ProposalItem> proposals_;
    QJsonArray myVotes_;
    QString error_;
    QTimer throttle_;
    bool again_ = false;
    int inFlight_ = 0;
    quint64 lastHeight_ = ~0ULL;
    quint64 lastMempool_ = ~0ULL;
};

}  // namespace blyan::ui
