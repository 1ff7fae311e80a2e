#include "node/node_rpc.h"

#include "node/node.h"
#include "node/rpc/rpc_table.h"

#include <QJsonObject>

namespace blyan::node {

static QJsonObject statusToJson(const NodeStatus &s)
{
    return QJsonObject{
        {QStringLiteral("version"), s.version},
        {QStringLiteral("network"), s.network},
        {QStringLiteral("state"), nodeStateName(s.state)},
        {QStringLiteral("datadir"), s.dataDir},
        {QStringLiteral("uptime"), s.uptimeSeconds},
        {QStringLiteral("rpc"), QJsonObject{{QStringLiteral("endpoint"), s.rpcEndpoint},
                                            {QStringLiteral("requests"), s.rpcRequests}}},
        {QStringLiteral("objects"), QJsonObject{{QStringLiteral("count"), static_cast<qint64>(s.objectCount)},
                                                {QStringLiteral("bytes"), static_cast<qint64>(s.objectBytes)}}},
        {QStringLiteral("disk_free"), static_cast<qint64>(s.diskFreeBytes)},
        {QStringLiteral("compute"), QJsonObject{{QStringLiteral("backend"), s.computeBackend},
                                                {QStringLiteral("devices"), s.computeDevices},
                                                {QStringLiteral("cuda"), s.cudaAvailable}}},
        {QStringLiteral("blocks"), static_cast<qint64>(s.chainHeight)},
        {QStringLiteral("bestblockhash"), s.bestBlockHash},
        {QStringLiteral("mempool"), static_cast<qint64>(s.mempoolSize)},
        {QStringLiteral("chain_status"), s.chainAvailable ? QStringLiteral("devnet: single validator, blocks final at once")
                                                          : s.chainStatus},
        {QStringLiteral("subsystems"), QJsonObject{{QStringLiteral("chain"), s.chainAvailable},
                                                   {QStringLiteral("p2p"), s.p2pAvailable}}},
        // The peer layer (getnetworkinfo / getpeerinfo have the details); p2p_status says why it is off
        // or what is degraded (a P2P port in use).
        {QStringLiteral("connections"), QJsonObject{{QStringLiteral("in"), s.peersInbound},
                                                    {QStringLiteral("out"), s.peersOutbound},
                                                    {QStringLiteral("total"), s.peersInbound + s.peersOutbound}}},
        {QStringLiteral("nettotals"), QJsonObject{{QStringLiteral("bytesrecv"), static_cast<qint64>(s.p2pBytesReceived)},
                                                  {QStringLiteral("bytessent"), static_cast<qint64>(s.p2pBytesSent)}}},
        {QStringLiteral("p2p_endpoint"), s.p2pEndpoint},
        {QStringLiteral("p2p_status"), s.p2pStatus},
    };
}

void registerNodeRpcMethods(RpcTable &table, Node *node)
{
    table.add({QStringLiteral("getinfo"), QStringLiteral("control"),
               QStringLiteral("Returns the node's state: version, network, data dir, uptime, storage and compute."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return QJsonValue(statusToJson(node->status()));
               }});
    table.add({QStringLiteral("uptime"), QStringLiteral("control"),
               QStringLiteral("Returns the number of seconds the node has been running."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return QJsonValue(static_cast<qint64>(node->status().uptimeSeconds));
               }});
    table.add({QStringLiteral("stop"), QStringLiteral("control"),
               QStringLiteral("Shuts the node down cleanly."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   node->requestStop();  // queued: this reply still goes out first
                   return QJsonValue(QStringLiteral("Blyan node stopping"));
               }});
    registerChainRpcMethods(table, node);
    registerConsensusRpcMethods(table, node);
    registerWalletRpcMethods(table, node);
    registerModelRpcMethods(table, node);
    registerP2pRpcMethods(table, node);
    registerExplorerRpcMethods(table, node);
    registerGovernanceRpcMethods(table, node);
    // `help` needs the table itself; it only reads it, and the table outlives the server.
    const RpcTable *t = &table;
    table.add({QStringLiteral("help"), QStringLiteral("control"),
               QStringLiteral("Lists the methods, or describes one."), {QStringLiteral("command")},
               [t](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 1));
                   if (params.isEmpty()) return QJsonValue(t->help());
                   if (!params[0].isString())
                       return makeError(ErrorCode::InvalidArgument, "help: 'command' must be a string");
                   const QString text = t->help(params[0].toString());
                   if (text.isEmpty())
                       return makeError(ErrorCode::NotFound, "help: unknown command '" + params[0].toString().toStdString() + "'");
                   return QJsonValue(text);
               }});
}

}  // namespace blyan::node
