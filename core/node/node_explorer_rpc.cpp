// The explorer RPC methods (docs/rpc.md, "Explorer"): paged headers, chain state and transaction rate,
// search, an address's transactions, an object's place in the DAG, and the expert grid. Parameters are
// checked here; the queries run on the node worker thread (Node::callChain), where the ledger lives.

#include "model/model_service.h"
#include "node/node.h"
#include "node/node_chain.h"
#include "node/node_explorer.h"
#include "node/node_rpc.h"
#include "node/rpc/rpc_table.h"

#include <QJsonArray>
#include <QJsonObject>

namespace blyan::node {

namespace {

constexpr qint64 kMaxHeight = qint64(1) << 53;  // exact in a JSON number

}  // namespace

void registerExplorerRpcMethods(RpcTable &table, Node *node)
{
    const QString chainCat = QStringLiteral("blockchain");
    const QString cat = QStringLiteral("explorer");
    table.add({QStringLiteral("getblockchaininfo"), chainCat,
               QStringLiteral("Returns the chain's state: tip, final block, genesis, mempool size."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return explorer::blockchainInfo(c); });
               }});
    table.add({QStringLiteral("getchaintxstats"), chainCat,
               QStringLiteral("Transactions in the last nblocks blocks (default 100) and their rate per second."),
               {QStringLiteral("nblocks")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 1));
                   qint64 n = 100;
                   if (!params.isEmpty()) {
                       BLYAN_TRY(n, intParam(params, 0, "getchaintxstats", "nblocks", 1, 1'000'000));
                   }
                   return node->callChain([n](NodeChain &c) { return explorer::chainTxStats(c, static_cast<std::uint64_t>(n)); });
               }});
    table.add({QStringLiteral("listblocks"), cat,
               QStringLiteral("Compact headers of heights from .. from+count-1 (count 1..1000), ascending, and the tip."),
               {QStringLiteral("from"), QStringLiteral("count")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 2, 2));
                   BLYAN_TRY(const qint64 from, intParam(params, 0, "listblocks", "from", 0, kMaxHeight));
                   BLYAN_TRY(const qint64 count, intParam(params, 1, "listblocks", "count", 1, 1000));
                   return node->callChain([from, count](NodeChain &c) {
                       return explorer::listBlocks(c, static_cast<std::uint64_t>(from), static_cast<int>(count));
                   });
               }});
    table.add({QStringLiteral("search"), cat,
               QStringLiteral("Finds what a text names: a height, block hash, txid, object id or name, or an address."),
               {QStringLiteral("text")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   // A height typed on blyan-cli arrives as a JSON number.
                   QString t;
                   if (params[0].isDouble()) {
                       BLYAN_TRY(const qint64 h, intParam(params, 0, "search", "text", 0, kMaxHeight));
                       t = QString::number(h);
                   } else {
                       BLYAN_TRY(t, stringParam(params, 0, "search", "text"));
                   }
                   return node->callChain([t](NodeChain &c) { return explorer::search(c, t); });
               }});
    table.add({QStringLiteral("listaddresstransactions"), cat,
               QStringLiteral("Transactions from or to an address, newest first (count 1..1000, default 50), below "
                              "before_height; next_before_height goes on."),
               {QStringLiteral("address"), QStringLiteral("count"), QStringLiteral("before_height")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 3));
                   BLYAN_TRY(const QString a, stringParam(params, 0, "listaddresstransactions", "address"));
                   qint64 count = 50;
                   if (params.size() > 1) {
                       BLYAN_TRY(count, intParam(params, 1, "listaddresstransactions", "count", 1, 1000));
                   }
                   std::optional<std::uint64_t> before;
                   if (params.size() > 2 && !params[2].isNull()) {
                       BLYAN_TRY(const qint64 b, intParam(params, 2, "listaddresstransactions", "before_height", 0, kMaxHeight));
                       before = static_cast<std::uint64_t>(b);
                   }
                   return node->callChain([a, count, before](NodeChain &c) {
                       return explorer::addressTransactions(c, a, static_cast<int>(count), before);
                   });
               }});
    table.add({QStringLiteral("getobjectlinks"), cat,
               QStringLiteral("An object's versions, head, dependencies and dependants by name, and its publishing transaction."),
               {QStringLiteral("id_or_name")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const QString which, stringParam(params, 0, "getobjectlinks", "id_or_name"));
                   return node->callChain([which](NodeChain &c) { return explorer::objectLinks(c, which); });
               }});
    table.add({QStringLiteral("getexpertgrid"), cat,
               QStringLiteral("The model's expert heads as a layer x expert grid: versions, head height, usage since the node started."),
               {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   BLYAN_TRY(const QJsonValue heads, node->callChain([](NodeChain &c) { return explorer::expertHeads(c); }));
                   const auto usage = node->model().expertUsageTotals();
                   int layers = 0, experts = 0;
                   if (const auto m = node->model().loaded()) {  // the spec's shape, when a model is loaded
                       layers = static_cast<int>(m->spec.numLayers);
                       experts = static_cast<int>(m->spec.numExperts);
                   }
                   qint64 total = 0;
                   QJsonArray cells;
                   for (const QJsonValue &v : heads.toObject().value(QStringLiteral("cells")).toArray()) {
                       QJsonObject cell = v.toObject();
                       const auto it = usage.find(cell.value(QStringLiteral("name")).toString().toStdString());
                       const qint64 steps = it == usage.end() ? 0 : static_cast<qint64>(it->second);
                       total += steps;
                       cell.insert(QStringLiteral("usage"), steps);
                       layers = std::max(layers, cell.value(QStringLiteral("layer")).toInt() + 1);
                       experts = std::max(experts, cell.value(QStringLiteral("expert")).toInt() + 1);
                       cells.append(cell);
                   }
                   const QDateTime since = node->status().startedAt;
                   return QJsonValue(QJsonObject{{QStringLiteral("layers"), layers},
                                                 {QStringLiteral("experts"), experts},
                                                 {QStringLiteral("cells"), cells},
                                                 {QStringLiteral("usage_total"), total},
                                                 {QStringLiteral("usage_since"),
                                                  since.isValid() ? QJsonValue(since.toMSecsSinceEpoch()) : QJsonValue()}});
               }});
}

}  // namespace blyan::node
