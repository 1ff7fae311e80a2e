#include "ui/network_page.h"

#include "node/node.h"
#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/format.h"
#include "ui/network/peer_table_model.h"
#include "ui/network/traffic_chart.h"

#include <QDateTime>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
constexpr int kRefreshMs = 1000;
}

NetworkPage::NetworkPage(ClientModel *model, QWidget *parent) : QWidget(parent), model_(model), timer_(this)
{
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    col->addWidget(makePageHeader(tr("Network"), tr("How this node talks to programs on this computer and to other nodes.")));

    auto *node = new Card(tr("This node"));
    node->setFieldColumns(2);
    p2pState_ = node->addField(tr("Peer-to-peer"), QStringLiteral("netP2p"));
    p2pEndpoint_ = node->addField(tr("Listening on"), QStringLiteral("netP2pEndpoint"));
    connections_ = node->addField(tr("Connections"), QStringLiteral("netConnections"));
    discovery_ = node->addField(tr("LAN discovery"), QStringLiteral("netDiscovery"));
    traffic_ = node->addField(tr("Traffic"), QStringLiteral("netTraffic"));
    endpoint_ = node->addField(tr("Local RPC"), QStringLiteral("netRpcEndpoint"));
    identity_ = node->addField(tr("Node identity"), QStringLiteral("netIdentity"));
    requests_ = node->addField(tr("RPC requests"), QStringLiteral("netRpcRequests"));
    p2pNote_ = node->addNote(QString());
    p2pNote_->setObjectName(QStringLiteral("netP2pNote"));
    col->addWidget(node);

    peersCard_ = new Card(tr("Peers"));
    peers_ = new PeerTableModel(this);
    sorted_ = new QSortFilterProxyModel(this);
    sorted_->setSourceModel(peers_);
    sorted_->setSortRole(PeerTableModel::SortRole);
    peerView_ = new QTableView;
    peerView_->setObjectName(QStringLiteral("peersTable"));
    peerView_->setModel(sorted_);
    peerView_->setSortingEnabled(true);
    peerView_->sortByColumn(PeerTableModel::Address, Qt::AscendingOrder);
    peerView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    peerView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    peerView_->verticalHeader()->hide();
    peerView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    peerView_->horizontalHeader()->setSectionResizeMode(PeerTableModel::Agent, QHeaderView::Stretch);
    peerView_->setMinimumHeight(140);
    peerView_->setMaximumHeight(260);
    peersCard_->body()->addWidget(peerView_);
    peersEmpty_ = peersCard_->addNote(tr("No peers connected yet. The node dials the peers given with --connect or "
                                         "addnode, the addresses other peers tell it about, and nodes it finds on the LAN."));
    col->addWidget(peersCard_);

    // Traffic and bans side by side: the graph wants width, the ban list is usually short.
    auto *row = new QHBoxLayout;
    row->setSpacing(18);
    trafficCard_ = new Card(tr("Traffic"));
    chart_ = new TrafficChart;
    trafficCard_->body()->addWidget(chart_);
    row->addWidget(trafficCard_, 3);

    bannedCard_ = new Card(tr("Banned peers"));
    banned_ = new QTableWidget(0, 4);
    banned_->setObjectName(QStringLiteral("bannedTable"));
    banned_->setHorizontalHeaderLabels({tr("Address"), tr("Banned until"), tr("Reason"), QString()});
    banned_->verticalHeader()->hide();
    banned_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    banned_->setSelectionMode(QAbstractItemView::NoSelection);
    banned_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    banned_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    banned_->setMinimumHeight(110);
    banned_->setMaximumHeight(240);
    bannedCard_->body()->addWidget(banned_);
    bannedNote_ = bannedCard_->addNote(QString());
    bannedNote_->setObjectName(QStringLiteral("bannedNote"));
    bannedNote_->setWordWrap(true);
    row->addWidget(bannedCard_, 2);
    col->addLayout(row);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));

    timer_.setInterval(kRefreshMs);
    connect(&timer_, &QTimer::timeout, this, &NetworkPage::refresh);
    connect(model_, &ClientModel::statusUpdated, this, &NetworkPage::update);
    update(model_->status());
}

void NetworkPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    timer_.start();
    refresh();
}

void NetworkPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    timer_.stop();  // the node keeps the traffic history; nothing is lost while the page is away
}

void NetworkPage::update(const node::NodeStatus &s)
{
    const QLocale loc;
    endpoint_->setText(s.rpcEndpoint.isEmpty() ? tr("Off") : s.rpcEndpoint);
    requests_->setText(loc.toString(s.rpcRequests));
    const bool was = p2p_;
    p2p_ = s.p2pAvailable;
    peersCard_->setVisible(p2p_);
    trafficCard_->setVisible(p2p_);
    bannedCard_->setVisible(p2p_);
    if (!p2p_) {
        const bool running = s.state == node::NodeState::Running;
        p2pState_->setText(running ? tr("Not available") : stateText(s.state));
        for (QLabel *l : {p2pEndpoint_, connections_, discovery_, traffic_, identity_}) l->setText(tr("—"));
        p2pNote_->setText(running ? tr("This node has no peer-to-peer connections: %1. It will connect to peers once it "
                                       "runs a chain.")
                                        .arg(s.p2pStatus.isEmpty() ? tr("it has no chain") : s.p2pStatus)
                                  : tr("Peers appear here once the node is running."));
        p2pNote_->setVisible(true);
        if (was) peers_->clear();
        return;
    }
    p2pState_->setText(tr("Running"));
    p2pEndpoint_->setText(s.p2pEndpoint.isEmpty() ? tr("Not listening (outbound only)") : s.p2pEndpoint);
    connections_->setText(tr("%1 in, %2 out").arg(s.peersInbound).arg(s.peersOutbound));
    traffic_->setText(tr("%1 received, %2 sent").arg(formatBytes(s.p2pBytesReceived), formatBytes(s.p2pBytesSent)));
    p2pNote_->setText(s.p2pStatus);  // a degraded state, e.g. the P2P port in use
    p2pNote_->setVisible(!s.p2pStatus.isEmpty());
    if (!was && isVisible()) refresh();
}

void NetworkPage::request(const QString &method, const QJsonArray &params, std::function<void(const QJsonValue &)> onResult)
{
    if (inFlight_.contains(method)) return;  // the previous answer is still coming: never pile requests up
    inFlight_.insert(method);
    model_->node()->call(method, params, this, [this, method, onResult](const Expected<QJsonValue> &r) {
        inFlight_.remove(method);
        if (r.ok()) onResult(*r);
    });
}

void NetworkPage::refresh()
{
    if (!p2p_ || model_->hasStopped()) return;
    const int tick = ticks_++;
    request(QStringLiteral("getpeerinfo"), {}, [this](const QJsonValue &v) {
        peers_->setPeers(v.toArray());
        peersEmpty_->setVisible(peers_->rowCount() == 0);
    });
    request(QStringLiteral("getnettotals"), {}, [this](const QJsonValue &v) {
        chart_->setHistory(v.toObject().value(QStringLiteral("history")).toObject());
    });
    if (tick % 5 == 0)
        request(QStringLiteral("getnetworkinfo"), {}, [this](const QJsonValue &v) {
            const QJsonObject o = v.toObject();
            identity_->setText(o.value(QStringLiteral("identity")).toString());
            const QJsonObject d = o.value(QStringLiteral("discovery")).toObject();
            if (!d.value(QStringLiteral("error")).isNull())
                discovery_->setText(tr("Unavailable: %1").arg(d.value(QStringLiteral("error")).toString()));
            else
                discovery_->setText(d.value(QStringLiteral("active")).toBool() ? tr("On (UDP broadcast)") : tr("Off"));
        });
    if (tick % 3 == 0) request(QStringLiteral("listbanned"), {}, [this](const QJsonValue &v) { showBanned(v.toArray()); });
}

void NetworkPage::showBanned(const QJsonArray &list)
{
    banned_->setRowCount(static_cast<int>(list.size()));
    int row = 0;
    for (const QJsonValue &v : list) {
        const QJsonObject b = v.toObject();
        const QString ip = b.value(QStringLiteral("address")).toString();
        const QDateTime until = QDateTime::fromSecsSinceEpoch(b.value(QStringLiteral("banned_until")).toInteger());
        banned_->setItem(row, 0, new QTableWidgetItem(ip));
        banned_->setItem(row, 1, new QTableWidgetItem(QLocale().toString(until.toLocalTime(), QLocale::ShortFormat)));
        banned_->setItem(row, 2, new QTableWidgetItem(b.value(QStringLiteral("ban_reason")).toString()));
        auto *button = new QPushButton(tr("Unban"));
        button->setObjectName(QStringLiteral("unban_") + ip);
        connect(button, &QPushButton::clicked, this, [this, ip] { unban(ip); });
        banned_->setCellWidget(row, 3, button);
        ++row;
    }
    if (bannedNote_->property("error").toBool()) return;  // keep an Unban error on screen until the next action
    bannedNote_->setText(list.isEmpty() ? tr("No banned addresses. A peer that sends invalid data or floods the node is "
                                             "banned for 24 hours; bans survive a restart.")
                                        : QString());
    bannedNote_->setVisible(list.isEmpty());
}

void NetworkPage::unban(const QString &ip)
{
    bannedNote_->setProperty("error", false);
    model_->node()->call(QStringLiteral("setban"), QJsonArray{ip, QStringLiteral("remove")}, this,
                         [this, ip](const Expected<QJsonValue> &r) {
                             if (!r.ok()) {
                                 bannedNote_->setProperty("error", true);
                                 bannedNote_->setText(tr("Could not unban %1: %2").arg(ip, QString::fromStdString(r.error().message)));
                                 bannedNote_->setVisible(true);
                             }
                             inFlight_.remove(QStringLiteral("listbanned"));
                             request(QStringLiteral("listbanned"), {}, [this](const QJsonValue &v) { showBanned(v.toArray()); });
                         });
}

}  // namespace blyan::ui
