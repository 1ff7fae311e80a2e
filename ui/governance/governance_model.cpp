#include "ui/governance/governance_model.h"

#include "node/node.h"
#include "ui/client_model.h"
#include "ui/format.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/wallet_model.h"

#include <QCoreApplication>
#include <QLocale>

namespace blyan::ui {

namespace {

QString tr(const char *s) { return QCoreApplication::translate("Governance", s); }
qint64 integer(const QJsonObject &o, const char *key) { return qint64(o.value(QLatin1String(key)).toDouble()); }
quint64 units(const QJsonObject &o, const char *key) { return amountUnits(o.value(QLatin1String(key))); }

}  // namespace

ProposalItem ProposalItem::fromJson(const QJsonObject &o)
{
    ProposalItem p;
    p.id = o.value(QLatin1String("id")).toString();
    p.number = int(integer(o, "number"));
    p.kind = o.value(QLatin1String("kind")).toString();
    p.title = o.value(QLatin1String("title")).toString();
    p.status = o.value(QLatin1String("status")).toString();
    p.outlook = o.value(QLatin1String("outlook")).toString();
    p.proposer = o.value(QLatin1String("proposer")).toString();
    p.createdHeight = integer(o, "created_height");
    p.snapshotHeight = integer(o, "snapshot_height");
    p.endHeight = integer(o, "end_height");
    p.closedHeight = integer(o, "closed_height");
    p.blocksLeft = integer(o, "blocks_left");
    p.secondsLeft = integer(o, "seconds_left");
    p.totalStake = units(o, "total_stake");
    p.deposit = units(o, "deposit");
    const QJsonObject t = o.value(QLatin1String("tally")).toObject();
    p.yes = units(t, "yes");
    p.no = units(t, "no");
    p.abstain = units(t, "abstain");
    p.veto = units(t, "veto");
    p.quorumPercent = o.value(QLatin1String("quorum_percent")).toInt();
    p.thresholdPercent = o.value(QLatin1String("threshold_percent")).toInt();
    p.vetoPercent = o.value(QLatin1String("veto_percent")).toInt();
    p.turnoutPercent = o.value(QLatin1String("turnout_percent")).toDouble();
    p.yesPercent = o.value(QLatin1String("yes_percent")).toDouble();
    p.quorumReached = o.value(QLatin1String("quorum_reached")).toBool();
    p.action = o.value(QLatin1String("action")).toObject();
    return p;
}

QString proposalKindTitle(const QString &kind)
{
    if (kind == QLatin1String("signal")) return tr("Signal");
    if (kind == QLatin1String("parameter_change")) return tr("Parameter change");
    if (kind == QLatin1String("dataset_approval")) return tr("Dataset approval");
    if (kind == QLatin1String("model_spec_upgrade")) return tr("Model upgrade");
    if (kind == QLatin1String("treasury_spend")) return tr("Treasury spend");
    if (kind == QLatin1String("pact_amendment")) return tr("Pact amendment");
    return kind;
}

QString proposalStatusTitle(const QString &status)
{
    if (status == QLatin1String("voting")) return tr("Voting");
    if (status == QLatin1String("passed")) return tr("Passed");
    if (status == QLatin1String("rejected")) return tr("Rejected");
    if (status == QLatin1String("no_quorum")) return tr("No quorum");
    if (status == QLatin1String("vetoed")) return tr("Vetoed");
    if (status == QLatin1String("failed")) return tr("Failed");
    return status;
}

QString describeAction(const QJsonObject &a)
{
    const QString kind = a.value(QLatin1String("kind")).toString();
    auto objectName = [&](const char *key) {
        const QJsonObject o = a.value(QLatin1String(key)).toObject();
        const QString name = o.value(QLatin1String("name")).toString();
        return name.isEmpty() ? o.value(QLatin1String("id")).toString().left(16) + QStringLiteral("…") : name;
    };
    if (kind == QLatin1String("signal")) return tr("A signal: records the stakers' opinion, changes nothing by itself.");
    if (kind == QLatin1String("parameter_change")) {
        const QString unit = a.value(QLatin1String("unit")).toString() == QLatin1String("percent") ? QStringLiteral(" %") : QStringLiteral(" BLY");
        return tr("Sets %1 from %2 to %3.")
            .arg(a.value(QLatin1String("param")).toString(), QLocale().toString(integer(a, "current")) + unit,
                 QLocale().toString(integer(a, "value")) + unit);
    }
    if (kind == QLatin1String("dataset_approval")) {
        if (a.value(QLatin1String("tier")).toInt() == 0) return tr("Withdraws the approval of dataset %1.").arg(objectName("object"));
        return tr("Approves dataset %1 as tier %2 (%3).")
            .arg(objectName("object"))
            .arg(a.value(QLatin1String("tier")).toInt())
            .arg(a.value(QLatin1String("tier_name")).toString());
    }
    if (kind == QLatin1String("model_spec_upgrade")) return tr("Moves the model.spec head to %1.").arg(objectName("object"));
    if (kind == QLatin1String("pact_amendment")) return tr("Replaces the genesis pact with %1.").arg(objectName("object"));
    if (kind == QLatin1String("treasury_spend"))
        return tr("Pays %1 from the reward pool to %2.")
            .arg(displayBly(amountUnits(a.value(QLatin1String("amount")))), a.value(QLatin1String("to")).toString());
    return kind;
}

QString countdownText(const ProposalItem &p)
{
    if (!p.voting()) return tr("closed at height %1").arg(QLocale().toString(p.closedHeight));
    if (p.blocksLeft <= 0) return tr("closing in the next block");
    return tr("ends at height %1 · %2 blocks, at least %3")
        .arg(QLocale().toString(p.endHeight), QLocale().toString(p.blocksLeft), formatDuration(p.secondsLeft));
}

GovernanceModel::GovernanceModel(ClientModel *client, WalletModel *wallet, QObject *parent, int throttleMs)
    : QObject(parent), client_(client), wallet_(wallet)
{
    throttle_.setSingleShot(true);
    throttle_.setInterval(throttleMs);
    connect(&throttle_, &QTimer::timeout, this, [this] {
        if (!again_) return;
        if (inFlight_ > 0) {  // the answers in flight are read first; this refresh follows them
            throttle_.start();
            return;
        }
        again_ = false;
        fetch();
        throttle_.start();
    });
    connect(client_, &ClientModel::statusUpdated, this, &GovernanceModel::onStatus);
    connect(wallet_, &WalletModel::changed, this, &GovernanceModel::refresh);
    connect(client_, &ClientModel::nodeStarted, this, &GovernanceModel::refresh);
    if (client_->status().chainAvailable) refresh();
}

const ProposalItem *GovernanceModel::proposal(const QString &id) const
{
    for (const auto &p : proposals_)
        if (p.id == id) return &p;
    return nullptr;
}

QString GovernanceModel::myChoice(const QString &id) const
{
    for (const auto &v : myVotes_) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("proposal")).toObject().value(QLatin1String("id")).toString() == id)
            return o.value(QLatin1String("choice")).toString();  // newest first: pending before recorded
    }
    return {};
}

void GovernanceModel::call(const QString &method, const QJsonArray &params, QObject *context, Reply done)
{
    client_->node()->call(method, params, context, std::move(done));
}

void GovernanceModel::onStatus(const node::NodeStatus &s)
{
    // A new block or a transaction entering the pool may change a tally, a countdown or my votes.
    if (!s.chainAvailable || (s.chainHeight == lastHeight_ && s.mempoolSize == lastMempool_)) return;
    lastHeight_ = s.chainHeight;
    lastMempool_ = s.mempoolSize;
    refresh();
}

void GovernanceModel::refresh()
{
    if (throttle_.isActive() || inFlight_ > 0) {
        again_ = true;
        if (!throttle_.isActive()) throttle_.start();
        return;
    }
    fetch();
    throttle_.start();
}

void GovernanceModel::fetch()
{
    inFlight_ = 3;
    call(QStringLiteral("getgovernanceinfo"), {}, this, [this](const Expected<QJsonValue> &a) {
        --inFlight_;
        if (!a.ok()) {
            error_ = QString::fromStdString(a.error().message);
            Q_EMIT infoChanged();
            return;
        }
        const QJsonObject o = a.value().toObject();
        GovernanceInfo i;
        i.loaded = true;
        i.height = integer(o, "height");
        i.slotMs = o.value(QLatin1String("slot_ms")).toInt();
        i.vetoPercent = o.value(QLatin1String("veto_percent")).toInt();
        i.totalStake = units(o, "total_stake");
        i.deposit = units(o, "proposal_deposit");
        for (const auto &v : o.value(QLatin1String("params")).toArray()) {
            const QJsonObject p = v.toObject();
            GovParamItem g;
            g.name = p.value(QLatin1String("name")).toString();
            g.unit = p.value(QLatin1String("unit")).toString();
            g.description = p.value(QLatin1String("description")).toString();
            g.value = quint64(integer(p, "value"));
            g.defaultValue = quint64(integer(p, "default"));
            g.min = quint64(integer(p, "min"));
            g.max = quint64(integer(p, "max"));
            g.changed = p.value(QLatin1String("changed")).toBool();
            i.params.append(g);
        }
        i.kinds = o.value(QLatin1String("kinds")).toArray();
        i.tiers = o.value(QLatin1String("dataset_tiers")).toArray();
        i.datasets = o.value(QLatin1String("approved_datasets")).toArray();
        info_ = i;
        error_.clear();
        Q_EMIT infoChanged();
    });
    call(QStringLiteral("listproposals"), {QStringLiteral("all"), 500}, this, [this](const Expected<QJsonValue> &a) {
        --inFlight_;
        if (!a.ok()) {
            error_ = QString::fromStdString(a.error().message);
            Q_EMIT proposalsChanged();
            return;
        }
        QList<ProposalItem> list;
        for (const auto &v : a.value().toObject().value(QLatin1String("proposals")).toArray())
            list.append(ProposalItem::fromJson(v.toObject()));
        proposals_ = list;
        Q_EMIT proposalsChanged();
    });
    wallet_->call(QStringLiteral("listmyvotes"), {200}, this, [this](const Expected<QJsonValue> &a) {
        --inFlight_;
        // No wallet (or a locked one that cannot list yet): no votes to show.
        myVotes_ = a.ok() ? a.value().toArray() : QJsonArray();
        Q_EMIT myVotesChanged();
    });
}

}  // namespace blyan::ui
