#include "ui/wallet/wallet_model.h"

#include "node/node.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/history_model.h"

#include <algorithm>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace blyan::ui {

WalletModel::WalletModel(node::Node *node, QObject *parent, int throttleMs) : QObject(parent), node_(node)
{
    history_ = new HistoryModel(this, this);
    throttle_.setSingleShot(true);
    throttle_.setInterval(throttleMs);
    // Leading edge at once (an unlock shows immediately); the trailing edge catches the rest of a
    // burst, e.g. one walletChanged per block while a send goes from pending to final.
    connect(&throttle_, &QTimer::timeout, this, [this] {
        if (!again_) return;
        again_ = false;
        fetchInfo();
        throttle_.start();
    });
    lockWatch_.setSingleShot(true);
    connect(&lockWatch_, &QTimer::timeout, this, &WalletModel::refresh);
    connect(node_, &node::Node::walletChanged, this, &WalletModel::refresh, Qt::QueuedConnection);
    connect(node_, &node::Node::started, this, &WalletModel::refresh, Qt::QueuedConnection);
    connect(node_, &node::Node::statusChanged, this, &WalletModel::onNodeStatus, Qt::QueuedConnection);
    if (node_->isRunning()) refresh();
}

QString WalletModel::network() const
{
    return info_.network.isEmpty() ? networkName(node_->options().network) : info_.network;
}

void WalletModel::call(const QString &method, const QJsonArray &params, QObject *context, Reply done)
{
    node_->callWallet(method, params, context, std::move(done));
}

void WalletModel::refresh()
{
    if (throttle_.isActive()) {
        again_ = true;
        return;
    }
    fetchInfo();
    throttle_.start();
}

void WalletModel::fetchInfo()
{
    if (inFlight_) {  // one getwalletinfo at a time; the newest state is read once it answers
        again_ = true;
        if (!throttle_.isActive()) throttle_.start();
        return;
    }
    inFlight_ = true;
    call(QStringLiteral("getwalletinfo"), {}, this, [this](const Expected<QJsonValue> &a) { onInfo(a); });
}

void WalletModel::onInfo(const Expected<QJsonValue> &answer)
{
    inFlight_ = false;
    if (!answer.ok()) {
        infoError_ = QString::fromStdString(answer.error().message);
        Q_EMIT infoChanged();
        return;
    }
    const QJsonObject o = answer.value().toObject();
    const QJsonObject bal = o.value(QLatin1String("balance")).toObject();
    WalletInfo w;
    w.loaded = true;
    w.state = o.value(QLatin1String("state")).toString();
    w.unlockedUntilMs = qint64(o.value(QLatin1String("unlocked_until")).toDouble());
    w.network = o.value(QLatin1String("network")).toString();
    w.available = amountUnits(bal.value(QLatin1String("available")));
    w.staked = amountUnits(bal.value(QLatin1String("staked")));
    w.unbonding = amountUnits(bal.value(QLatin1String("unbonding")));
    for (const QJsonValue &v : bal.value(QLatin1String("unbonding_releases")).toArray()) {
        const QJsonObject r = v.toObject();
        w.unbondingReleases.append({amountUnits(r.value(QLatin1String("amount"))),
                                    qint64(r.value(QLatin1String("release_time_ms")).toDouble())});
    }
    std::sort(w.unbondingReleases.begin(), w.unbondingReleases.end(),
              [](const WalletInfo::Release &a, const WalletInfo::Release &b) { return a.timeMs < b.timeMs; });
    w.unbondingDelayMs = qint64(o.value(QLatin1String("unbonding_delay_ms")).toDouble());
    w.pendingIn = amountUnits(bal.value(QLatin1String("pending_in")));
    w.pendingOut = amountUnits(bal.value(QLatin1String("pending_out")));
    for (const QJsonValue &v : o.value(QLatin1String("addresses")).toArray()) {
        const QJsonObject a = v.toObject();
        w.addresses.append({a.value(QLatin1String("address")).toString(), a.value(QLatin1String("label")).toString(),
                            a.value(QLatin1String("index")).toInt()});
    }
    w.txCount = quint64(o.value(QLatin1String("tx_count")).toDouble());
    w.keychain = o.value(QLatin1String("keychain")).toBool();
    w.keychainAvailable = o.value(QLatin1String("keychain_available")).toBool();
    w.keychainStatus = o.value(QLatin1String("keychain_status")).toString();
    w.devnetFunded = o.value(QLatin1String("devnet_funded")).toBool();
    info_ = w;
    infoError_.clear();

    // The node locks by itself when the unlock period ends; look again just after it does.
    lockWatch_.stop();
    if (w.state == QLatin1String("unlocked") && w.unlockedUntilMs > 0) {
        const qint64 left = w.unlockedUntilMs - QDateTime::currentMSecsSinceEpoch();
        lockWatch_.start(int(qBound(qint64(0), left + 200, qint64(24) * 3600 * 1000)));
    }
    Q_EMIT infoChanged();
    Q_EMIT changed();
    if (again_ && !throttle_.isActive()) {
        again_ = false;
        fetchInfo();
        throttle_.start();
    }
}

void WalletModel::onNodeStatus(const node::NodeStatus &s)
{
    // The periodic status carries the wallet's headline figures. When they move, a walletChanged
    // may have been missed (or is on its way): one cheap re-read settles it. Comparing with the
    // previous status, not with our cache, keeps a figure the two compute differently from
    // turning into a re-read every second.
    if (s.state != node::NodeState::Running) return;
    const QString key = QStringLiteral("%1/%2/%3/%4/%5/%6")
                            .arg(s.walletState)
                            .arg(s.walletUnlockedUntilMs)
                            .arg(s.walletAvailableUnits)
                            .arg(s.walletStakedUnits)
                            .arg(s.walletUnbondingUnits)
                            .arg(s.walletPendingUnits);
    if (key == lastStatusKey_ && info_.loaded) return;
    lastStatusKey_ = key;
    refresh();
}

}  // namespace blyan::ui
