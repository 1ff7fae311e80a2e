#pragma once
// Read-only queries over the stored history (blocks, txs, objects) for block explorers: pages of
// headers, the transaction rate of a window, an address's transactions, the versions and dependants
// of objects, and the expert heads of the model. None of them writes, and each is one SQLite query
// (or a bounded scan), so the node worker that runs them never stalls behind a big table.
//
// Separate from Ledger (ledger.h), which owns the state machine: these read only what Ledger stored.

#include "chain/block.h"
#include "chain/object.h"
#include "ledger/ledger.h"

#include <optional>
#include <string>
#include <vector>

namespace blyan::storage {
class Database;
}

namespace blyan::ledger {

// Blocks and transactions of a window of the chain (bitcoind's getchaintxstats).
struct TxWindow {
    std::uint64_t blocks = 0;        // blocks in the window, (startHeight, endHeight]
    std::uint64_t transactions = 0;  // transactions in those blocks
    std::uint64_t startHeight = 0, endHeight = 0;
    std::uint64_t startTimeMs = 0, endTimeMs = 0;
};

struct AddressTx {
    TxId id{};
    StoredTransaction stored;
};

struct AddressScan {
    std::vector<AddressTx> found;            // newest first
    std::optional<std::uint64_t> nextBelow;  // scan on below this height; nullopt: genesis reached
    std::uint64_t scanned = 0;               // transactions looked at
};

struct ObjectRef {
    chain::ObjectId id{};
    std::string name, kind;
    std::uint64_t publishedHeight = 0;
};

struct ExpertHead {
    std::string name;  // layer{L}.expert{E}
    int layer = 0, expert = 0;
    chain::ObjectId id{};
    std::uint64_t publishedHeight = 0;
    std::uint64_t versions = 0;  // objects ever published under the name (1 = never upgraded)
};

class HistoryQueries {
public:
    explicit HistoryQueries(storage::Database &db) : db_(&db) {}

    // Headers of heights [from, from + count), ascending; fewer at the tip. One query.
    Expected<std::vector<StoredBlock>> headers(std::uint64_t from, std::size_t count);
    // The window of `blocks` blocks ending at `tip` (clamped at genesis).
    Expected<TxWindow> window(std::uint64_t tip, std::uint64_t blocks);
    // Transactions sent from or to `key` (transfers) in blocks below `belowHeight`, newest first. Stops at
    // a block boundary once `maxFound` were found or `maxScanned` transactions were looked at, so one call
    // is bounded however long the chain is; nextBelow says where to go on.
    Expected<AddressScan> addressTransactions(const PublicKey &key, std::uint64_t belowHeight, std::size_t maxFound,
                                              std::size_t maxScanned);
    // Every object published under `name`, oldest first.
    Expected<std::vector<ObjectRef>> versions(const std::string &name);
    // Objects that depend on `id` (at most `limit`, by name), and how many there are in all.
    Expected<std::pair<std::vector<ObjectRef>, std::uint64_t>> dependants(const chain::ObjectId &id, std::size_t limit);
    // The publish_object transaction in block `height` that anchored `id`.
    Expected<std::optional<AddressTx>> publishingTransaction(const chain::ObjectId &id, std::uint64_t height);
    // Distinct object names starting with `prefix` (at most `limit`, sorted).
    Expected<std::vector<std::string>> namesWithPrefix(const std::string &prefix, std::size_t limit);
    // The head of every expert name (kind "expert", named layer{L}.expert{E}) with its version count.
    Expected<std::vector<ExpertHead>> expertHeads();

private:
    storage::Database *db_;
};

}  // namespace blyan::ledger
