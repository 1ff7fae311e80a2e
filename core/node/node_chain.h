#pragma once
// NodeChain: the devnet chain inside the node (issue 3). It owns the ledger over node.sqlite, the
// mempool, and the node identity key (<datadir>/node.key, the devnet's single validator), writes the
// genesis block on a devnet's first start, and produces a block when the producer timer asks.
//
// Threading: a NodeChain lives on the node worker thread and is used from there only (the ledger,
// its Database and the mempool have no locks). RPC handlers reach it through NodeWorker::callChain,
// which runs the request on the worker thread.
//
// Devnet blocks are final at once: one validator, and each block is applied in one SQLite transaction
// before anything reports its height.

#include "chain/block.h"
#include "crypto/ed25519.h"
#include "ledger/ledger.h"
#include "ledger/ledger_account_view.h"
#include "ledger/mempool.h"
#include "util/network.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace blyan::storage {
class Database;
class ObjectStore;
}  // namespace blyan::storage

namespace blyan::node {

class NodeConsensus;

// Loads <dataDir>/node.key (the raw 32-byte Ed25519 seed), or creates it (owner-only, 0600) when
// missing. A file of the wrong size or mode is refused rather than replaced.
Expected<crypto::KeyPair> loadOrCreateNodeKey(const QString &path);

// The fee floor of estimateFee, in base units per byte of the encoded transaction (a transfer of about
// 150 bytes pays 0.000015 BLY).
inline constexpr chain::Amount kFloorFeePerByte = 10;

// Blocks are produced at least this often on an idle devnet.
inline constexpr std::int64_t kIdleBlockIntervalMs = 60'000;

class NodeChain {
public:
    // Opens the ledger (ledger migrations must be applied to `db`) and writes the genesis block when
    // there is none: from `genesisFile` (ledger/genesis_file.h) when given, else a devnet's own (the
    // whole genesis supply to the node key). A testnet without genesis and without a file is
    // ErrorCode::Unavailable. A file that describes another chain than the stored one is refused.
    // `objects` must outlive the chain.
    static Expected<std::unique_ptr<NodeChain>> open(Network network, const QString &dataDir, storage::Database &db,
                                                     storage::ObjectStore &objects,
                                                     const QString &genesisFile = QString());

    // A devnet's single validator produces blocks on its own timer (maybeProduceBlock); on a network with
    // a validator set, NodeConsensus (node_consensus.h) decides when and on which chain to propose
    // (produceAt) and brings blocks from peers (applyBlock, revertTip).
    bool producesBlocks() const { return network_ == Network::Devnet; }
    // Whether a transaction taken into the pool can reach a block producer: a devnet makes its own blocks;
    // any other node needs the P2P layer to relay it (setRelay).
    bool canRelay() const { return producesBlocks() || static_cast<bool>(relay_); }
    // Called with every transaction the pool accepts (RPC, wallet, model import or a peer), to gossip it.
    void setRelay(std::function<void(const chain::Transaction &)> relay) { relay_ = std::move(relay); }
    ~NodeChain();

    // Called on every slot tick: produces a block when the pool has transactions, or when the last
    // block is kIdleBlockIntervalMs old. Returns true when a block was applied.
    bool maybeProduceBlock(std::int64_t nowMs);

    std::uint64_t height() const;
    QString bestBlockHash() const;
    std::size_t mempoolSize() const { return mempool_->size(); }

    // For the wallet (node_wallet.h), on the worker thread.
    ledger::Ledger &ledger() { return ledger_; }
    const ledger::Mempool &mempool() const { return *mempool_; }
    Network network() const { return network_; }
    // Blocks at or below this height are final (a devnet's single validator: every block; otherwise what
    // NodeConsensus proved from the validators' votes).
    std::uint64_t finalHeight() const { return network_ == Network::Devnet ? height() : std::min(finalHeight_, height()); }
    void setFinalHeight(std::uint64_t h) { finalHeight_ = h; }
    const crypto::KeyPair &key() const { return key_; }
    // The consensus driving this chain (set by the worker; RPC handlers reach it through here).
    void setConsensus(NodeConsensus *c) { consensus_ = c; }
    NodeConsensus *consensus() const { return consensus_; }
    std::uint64_t genesisMs() const { return genesisMs_; }
    // The slot `nowMs` falls in (0 before genesis).
    std::uint64_t slotAt(std::int64_t nowMs) const;

    // Builds, signs and applies a block at `slot` on the tip with the pool's best transactions (the
    // proposer's part of block production; the caller checked that the slot is ours).
    Expected<chain::Block> produceAt(std::uint64_t slot, std::int64_t nowMs);
    // A block from a peer on the tip (every ledger rule, the payload checks included), with the pool kept
    // in step: its transactions leave the pool.
    Expected<ledger::BlockResult> applyBlock(const chain::Block &block);
    // Reverts the tip (a fork switch; never a final block: the caller checks). Its transactions go back
    // to the pool when still valid.
    Expected<chain::Block> revertTip();
    // Whether an object's payload is in the local store and matches its record.
    Status payloadAvailable(const chain::ObjectRecord &record) const;
    // The nonce the next transaction of `key` must use: the ledger's plus those waiting in the pool.
    Expected<std::uint64_t> nextNonce(const crypto::PublicKey &key);
    // Adds a signed transaction to the pool with the checks of sendrawtransaction.
    Expected<chain::TxId> submitTransaction(chain::Transaction tx);
    // The fee a transaction of `txBytes` needs to be taken into the next block now.
    chain::Amount estimateFee(std::size_t txBytes) const;
    // Devnet only: a transfer of `amount` from the validator key (it holds the genesis supply) to `to`.
    Expected<chain::TxId> fundFromValidator(const crypto::PublicKey &to, chain::Amount amount);

    // Model import (core/model): a publish_object transaction for `record`, signed by the node key (the
    // devnet validator holds the genesis supply and pays the fee), into the mempool.
    Expected<chain::TxId> publishObject(const chain::ObjectRecord &record);
    storage::ObjectStore &objects() { return objects_; }
    // node.sqlite, for read-only history queries (node_explorer.h); the worker thread only.
    storage::Database &database() { return db_; }

    // RPC requests (docs/rpc.md). They run on the worker thread.
    Expected<QJsonValue> getBlockCount();
    Expected<QJsonValue> getBestBlockHash();
    Expected<QJsonValue> getBlockHash(std::uint64_t height);
    Expected<QJsonValue> getBlock(const QString &hashOrHeight, int verbosity);
    Expected<QJsonValue> getTransaction(const QString &txid);
    Expected<QJsonValue> getRawMempool();
    Expected<QJsonValue> sendRawTransaction(const QString &hex);
    Expected<QJsonValue> getBalance(const QString &address);
    // `key`'s unstaked amounts still unbonding: [{amount, release_epoch, release_time_ms}] (the time the
    // release epoch starts; the first block from then on pays it out) and their total.
    Expected<std::pair<QJsonArray, chain::Amount>> unbonding(const crypto::PublicKey &key);
    Expected<QJsonValue> getSupply();
    Expected<QJsonValue> listObjects(const QString &chain, int limit);
    Expected<QJsonValue> getObject(const QString &idOrName);

private:
    NodeChain(Network network, storage::Database &db, storage::ObjectStore &objects, crypto::KeyPair key,
              ledger::Ledger ledger);
    Expected<chain::ObjectRecord> pactRecord();
    Error relayRefusal() const;  // why a node that makes no blocks takes no transactions
    Expected<ledger::GenesisSpec> devnetGenesis();
    Expected<ledger::GenesisSpec> genesisFromFile(const QString &path);
    QJsonObject blockJson(const ledger::StoredBlock &b, int verbosity);
    QJsonObject txJson(const chain::Transaction &tx);
    QJsonObject objectJson(const chain::ObjectId &id, const ledger::StoredObject &o) const;

    Network network_;
    storage::Database &db_;
    storage::ObjectStore &objects_;
    crypto::KeyPair key_;
    ledger::Ledger ledger_;
    ledger::LedgerAccountView view_;
    std::unique_ptr<ledger::Mempool> mempool_;
    ledger::PayloadCheck payloadCheck_;
    std::uint64_t genesisMs_ = 0;  // the genesis block's time: slot 0
    std::uint64_t finalHeight_ = 0;
    std::function<void(const chain::Transaction &)> relay_;
    NodeConsensus *consensus_ = nullptr;
};

}  // namespace blyan::node
