#pragma once
// Network: the node's local RPC endpoint and its peer-to-peer side: this node's P2P endpoint and
// identity, the connected peers (a sortable live table), a traffic graph and the banned addresses with
// Unban. Everything comes from the network RPC methods (getpeerinfo, getnettotals, getnetworkinfo,
// listbanned, setban) run through Node::call, off the UI thread, about once a second while the page is
// shown; at most one request per method is in flight. A node without P2P (a testnet started without its
// genesis file) gets a clear note instead of empty tables.

#include "node/node_status.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace blyan::ui {

class Card;
class ClientModel;
class PeerTableModel;
class TrafficChart;

class NetworkPage : public QWidget {
    Q_OBJECT
public:
    NetworkPage(ClientModel *model, QWidget *parent = nullptr);

    PeerTableModel *peerModel() const { return peers_; }
    TrafficChart *trafficChart() const { return chart_; }
    QTableWidget *bannedTable() const { return banned_; }
    // Asks for fresh figures now (also what the timer does).
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void update(const node::NodeStatus &s);
    void request(const QString &method, const QJsonArray &params, std::function<void(const QJsonValue &)> onResult);
    void showBanned(const QJsonArray &list);
    void unban(const QString &ip);

    ClientModel *model_;
    QTimer timer_;
    int ticks_ = 0;
    QSet<QString> inFlight_;
    bool p2p_ = false;
    QLabel *endpoint_, *requests_;
    QLabel *p2pState_, *p2pEndpoint_, *identity_, *discovery_, *connections_, *traffic_, *p2pNote_;
    Card *peersCard_, *trafficCard_, *bannedCard_;
    PeerTableModel *peers_;
    QSortFilterProxyModel *sorted_;
    QTableView *peerView_;
    QLabel *peersEmpty_;
    TrafficChart *chart_;
    QTableWidget *banned_;
    QLabel *bannedNote_;
};

}  // namespace blyan::ui
