#pragma once
// The explorer's chain queries (docs/rpc.md, "Explorer"), run on the node worker thread through
// Node::callChain like the other blockchain methods. Each reads history with one SQLite query or a
// bounded scan (ledger/history_queries.h), so a 100,000-block chain costs a page, never a table.

#include "chain/block.h"
#include "util/network.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace blyan::node {

class NodeChain;

namespace explorer {

// The fields gettransaction's base form leaves out: version, network_id, signature, the body in hex and
// decoded for every kind (transfer: to, amount; stake/unstake: amount; publish_object: the object
// record with its id).
void addTransactionDetails(QJsonObject &o, const chain::Transaction &tx, Network network);
// version and signature of a block header (getblock has the other fields).
void addHeaderDetails(QJsonObject &o, const chain::BlockHeader &h);

// Compact headers of heights [from, from + count), ascending, and the tip: {height, final_height, blocks}.
Expected<QJsonValue> listBlocks(NodeChain &chain, std::uint64_t from, int count);
// bitcoind-style chain state: blocks, bestblockhash, time, finalheight, finalblockhash, genesis, mempool.
Expected<QJsonValue> blockchainInfo(NodeChain &chain);
// Transactions over the last `blocks` blocks and their rate (bitcoind's getchaintxstats).
Expected<QJsonValue> chainTxStats(NodeChain &chain, std::uint64_t blocks);
// What `text` names: a height, a block hash, a txid, an object id or name, an address. An answer names
// the type ({type: block|transaction|object|objects|address, ...}); nothing found is NotFound and text
// that is none of these is InvalidArgument, each message saying what was expected.
Expected<QJsonValue> search(NodeChain &chain, const QString &text);
// Transactions from or to `address`, newest first, below `beforeHeight` (the tip when nullopt).
Expected<QJsonValue> addressTransactions(NodeChain &chain, const QString &address, int count,
                                         std::optional<std::uint64_t> beforeHeight);
// How an object sits in the DAG and the chain: versions of its name, the head, its dependencies and
// dependants by name, and the transaction that published it.
Expected<QJsonValue> objectLinks(NodeChain &chain, const QString &idOrName);
// The expert heads (layer x expert) with their version counts: {cells: [...]} without usage.
Expected<QJsonValue> expertHeads(NodeChain &chain);

}  // namespace explorer
}  // namespace blyan::node
