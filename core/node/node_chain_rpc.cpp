// The blockchain RPC methods (docs/rpc.md "Blockchain"). Each handler checks its parameters on the
// RPC thread, then runs on the node worker thread through Node::callChain, where the ledger and the
// mempool live (see NodeWorker::callChain for why it is not a second SQLite connection: the mempool
// has to be on the same thread as the state it is checked against).

#include "node/node.h"
#include "node/node_chain.h"
#include "node/node_rpc.h"
#include "node/rpc/rpc_table.h"

namespace blyan::node {

void registerChainRpcMethods(RpcTable &table, Node *node)
{
    const QString cat = QStringLiteral("blockchain");
    table.add({QStringLiteral("getblockcount"), cat, QStringLiteral("Returns the height of the best (final) block."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return c.getBlockCount(); });
               }});
    table.add({QStringLiteral("getbestblockhash"), cat, QStringLiteral("Returns the hash of the best (final) block."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return c.getBestBlockHash(); });
               }});
    table.add({QStringLiteral("getblockhash"), cat, QStringLiteral("Returns the hash of the block at a height."),
               {QStringLiteral("height")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const qint64 h, intParam(params, 0, "getblockhash", "height", 0, (qint64(1) << 53)));
                   return node->callChain([h](NodeChain &c) { return c.getBlockHash(static_cast<std::uint64_t>(h)); });
               }});
    table.add({QStringLiteral("getblock"), cat,
               QStringLiteral("Returns a block by hash or height: 0 hex, 1 with txids (default), 2 with transactions."),
               {QStringLiteral("hash_or_height"), QStringLiteral("verbosity")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 2));
                   QString which;
                   if (params[0].isDouble()) {
                       BLYAN_TRY(const qint64 h, intParam(params, 0, "getblock", "hash_or_height", 0, (qint64(1) << 53)));
                       which = QString::number(h);
                   } else {
                       BLYAN_TRY(which, stringParam(params, 0, "getblock", "hash_or_height"));
                   }
                   qint64 verbosity = 1;
                   if (params.size() > 1) {
                       BLYAN_TRY(verbosity, intParam(params, 1, "getblock", "verbosity", 0, 2));
                   }
                   return node->callChain(
                       [which, verbosity](NodeChain &c) { return c.getBlock(which, static_cast<int>(verbosity)); });
               }});
    table.add({QStringLiteral("gettransaction"), cat,
               QStringLiteral("Returns a transaction from a block or the mempool."), {QStringLiteral("txid")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const QString id, stringParam(params, 0, "gettransaction", "txid"));
                   return node->callChain([id](NodeChain &c) { return c.getTransaction(id); });
               }});
    table.add({QStringLiteral("getrawmempool"), cat, QStringLiteral("Returns the txids waiting in the mempool."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return c.getRawMempool(); });
               }});
    table.add({QStringLiteral("sendrawtransaction"), cat,
               QStringLiteral("Adds a signed transaction (hex) to the mempool; returns its txid."), {QStringLiteral("hex")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const QString hex, stringParam(params, 0, "sendrawtransaction", "hex"));
                   return node->callChain([hex](NodeChain &c) { return c.sendRawTransaction(hex); });
               }});
    table.add({QStringLiteral("getbalance"), cat,
               QStringLiteral("Returns an address's balance, stake and next nonce."), {QStringLiteral("address")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const QString a, stringParam(params, 0, "getbalance", "address"));
                   return node->callChain([a](NodeChain &c) { return c.getBalance(a); });
               }});
    table.add({QStringLiteral("getsupply"), cat,
               QStringLiteral("Returns the BLY supply: genesis, minted, burned, reward pool, circulating, cap."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return c.getSupply(); });
               }});
    table.add({QStringLiteral("listobjects"), cat,
               QStringLiteral("Lists published objects, oldest first, optionally of one chain (A, B, D)."),
               {QStringLiteral("chain"), QStringLiteral("limit")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 2));
                   QString chainLetter;
                   if (params.size() > 0 && !params[0].isNull()) {
                       BLYAN_TRY(chainLetter, stringParam(params, 0, "listobjects", "chain"));
                   }
                   qint64 limit = 100;
                   if (params.size() > 1) {
                       BLYAN_TRY(limit, intParam(params, 1, "listobjects", "limit", 1, 10000));
                   }
                   return node->callChain([chainLetter, limit](NodeChain &c) {
                       return c.listObjects(chainLetter, static_cast<int>(limit));
                   });
               }});
    table.add({QStringLiteral("getobject"), cat, QStringLiteral("Returns an object record by id or by name (its head)."),
               {QStringLiteral("id_or_name")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const QString which, stringParam(params, 0, "getobject", "id_or_name"));
                   return node->callChain([which](NodeChain &c) { return c.getObject(which); });
               }});
}

}  // namespace blyan::node
