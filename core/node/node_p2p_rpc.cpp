// The network RPC methods (docs/rpc.md "Network"), bitcoind's names and shapes where one fits. Each
// handler checks its parameters on the calling thread, then runs on the node worker thread, where the
// peer layer lives, through Node::callP2p.

#include "node/node.h"
#include "node/node_p2p.h"
#include "node/node_rpc.h"
#include "node/rpc/rpc_table.h"

#include <QJsonObject>

namespace blyan::node {

namespace {


constexpr qint64 kDefaultBanSeconds = 24 * 3600;
constexpr qint64 kMaxBanSeconds = 10LL * 365 * 24 * 3600;

}  // namespace

void registerP2pRpcMethods(RpcTable &table, Node *node)
{
    const QString cat = QStringLiteral("network");
    table.add({QStringLiteral("getpeerinfo"), cat,
               QStringLiteral("Lists the connected peers: address, direction, ping, traffic, agent, height, ban score."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callP2p([](NodeP2p &p) { return p.getPeerInfo(); });
               }});
    table.add({QStringLiteral("getconnectioncount"), cat, QStringLiteral("Returns the number of connected peers."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callP2p([](NodeP2p &p) -> Expected<QJsonValue> {
                       return QJsonValue(p.peers().inboundCount() + p.peers().outboundCount());
                   });
               }});
    table.add({QStringLiteral("getnettotals"), cat,
               QStringLiteral("Returns bytes received and sent since start and the bytes/s of the last seconds (default 600)."),
               {QStringLiteral("seconds")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 1));
                   qint64 seconds = 600;
                   if (params.size() > 0) {
                       BLYAN_TRY(seconds, intParam(params, 0, "getnettotals", "seconds", 0, 600));
                   }
                   return node->callP2p([seconds](NodeP2p &p) { return p.getNetTotals(static_cast<int>(seconds)); });
               }});
    table.add({QStringLiteral("getnetworkinfo"), cat,
               QStringLiteral("Returns the P2P endpoint, identity, discovery state and connection counts."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callP2p([](NodeP2p &p) { return p.getNetworkInfo(); });
               }});
    table.add({QStringLiteral("addnode"), cat,
               QStringLiteral("add: keep a peer connected; remove: stop keeping it; onetry: dial it once."),
               {QStringLiteral("node"), QStringLiteral("command")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 2, 2));
                   BLYAN_TRY(const QString target, stringParam(params, 0, "addnode", "node"));
                   BLYAN_TRY(const QString command, stringParam(params, 1, "addnode", "command"));
                   return node->callP2p([target, command](NodeP2p &p) { return p.addNode(target, command); });
               }});
    table.add({QStringLiteral("listbanned"), cat, QStringLiteral("Lists the banned IP addresses."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callP2p([](NodeP2p &p) { return p.listBanned(); });
               }});
    table.add({QStringLiteral("setban"), cat,
               QStringLiteral("add: ban an IP (default 86400 s) and disconnect it; remove: lift its ban."),
               {QStringLiteral("ip"), QStringLiteral("command"), QStringLiteral("bantime")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 2, 3));
                   BLYAN_TRY(const QString ip, stringParam(params, 0, "setban", "ip"));
                   BLYAN_TRY(const QString command, stringParam(params, 1, "setban", "command"));
                   BLYAN_TRY(const qint64 seconds, intParamOr(params, 2, "setban", "bantime", 1, kMaxBanSeconds, kDefaultBanSeconds));
                   return node->callP2p([ip, command, seconds](NodeP2p &p) { return p.setBan(ip, command, seconds); });
               }});
    table.add({QStringLiteral("clearbanned"), cat, QStringLiteral("Lifts every ban."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callP2p([](NodeP2p &p) { return p.clearBanned(); });
               }});
}

}  // namespace blyan::node
