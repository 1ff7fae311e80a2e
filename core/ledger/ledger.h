#pragma once
// The ledger state machine (DESIGN.md sections 4-6, 11): accounts, stakes, objects and their heads,
// supply counters, and the block/tx history, in the node's SQLite database.
//
// Every block applies in ONE SQLite transaction (BEGIN IMMEDIATE ... COMMIT): continuity with the
// tip, the stateless block rules (checkBlock), each transaction in order (nonce, fee, the kind's state
// handler), fees split into burned and reward pool, emission into the reward pool, the state root
// compared with the header, and the block and its transactions stored. Any failure rolls everything
// back: a rejected block leaves the database exactly as it was.
//
// The state root is an LtHash over the state rows (lthash.h, docs/protocol.md "State root").
// One Ledger per Database, used by one thread at a time (like the Database itself).

#include "chain/block.h"
#include "ledger/state.h"
#include "ledger/state_handler.h"
#include "ledger/tokenomics.h"
#include "ledger/validator_set.h"
#include "util/network.h"

#include <optional>
#include <utility>
#include <vector>

namespace blyan::ledger {

using chain::BlockId;
using chain::TxId;
using crypto::Hash256;

struct LedgerOptions {
    Network network = Network::Devnet;  // network id (transactions) and slot length (emission)
    TokenomicsParams params = TokenomicsParams::defaults();
    // Quorums, thresholds, voting periods (config/governance.json); tests may shorten the periods.
    GovernanceConfig governance = GovernanceConfig::defaults();
};

struct GenesisSpec {
    // Sum must equal params.genesisSupply; one entry per key.
    std::vector<std::pair<PublicKey, Amount>> allocations;
    // Genesis validators (networks with a validator set): staked amounts, the epoch-0 active set.
    // Allocations plus stakes add up to the genesis supply.
    std::vector<std::pair<PublicKey, Amount>> stakes;
    // The genesis pact: chain A, kind genesis_pact, no dependencies; the first object of the chain.
    chain::ObjectRecord pact;
    std::uint64_t timeMs = 0;  // the genesis block's time (slot 0)
};

struct BlockResult {
    BlockId id{};
    std::uint64_t height = 0;
    Hash256 stateRoot{};
    std::size_t transactions = 0;
    Amount fees = 0;
    Amount burned = 0;
    Amount minted = 0;  // emission of this block (into the reward pool)
};

// The outcome of checkTransactionAgainstState: the transaction as if it were the next one applied.
struct TxCheck {
    TxId id{};
    Amount fee = 0;
    std::uint64_t nonce = 0;
    Amount balanceAfter = 0;  // the sender's balance after the transaction
};

struct SupplyInfo {
    Amount genesis = 0;
    Amount minted = 0;
    Amount burned = 0;
    Amount rewardPool = 0;
    Amount circulating = 0;  // genesis + minted - burned - reward pool = balances + stakes + unbonding + deposits
};

struct StoredBlock {
    chain::BlockHeader header;
    BlockId id{};
    std::size_t transactions = 0;
};

struct StoredTransaction {
    chain::Transaction tx;
    std::uint64_t height = 0;
    std::size_t index = 0;
};

class Ledger {
public:
    // The ledger's migrations (schema.h) must have been applied to `db`. Reads the tip and the state
    // hash; a database without genesis opens fine (hasGenesis() == false).
    static Expected<Ledger> open(storage::Database &db, LedgerOptions options = {});

    bool hasGenesis() const { return tip_.has_value(); }
    // The last applied block's header (requires genesis).
    const chain::BlockHeader &tip() const { return *tip_; }
    const BlockId &tipId() const { return tipId_; }
    Hash256 stateRoot() const { return hash_.root(); }

    const BlockId &genesisId() const { return genesisId_; }

    // Height 0: the allocations and the pact. The genesis block is derived, not signed: every node
    // builds the same header from the same genesis file (parent, proposer, signature and tx_root zero).
    Expected<BlockResult> applyGenesis(const GenesisSpec &spec);
    Expected<BlockResult> applyBlock(const chain::Block &block, const PayloadCheck &payloadAvailable);
    // For the block producer: runs the block (header signature and state_root not checked, as they
    // are not filled in yet) inside a transaction that is rolled back, and returns the state root to
    // put in the header.
    Expected<Hash256> previewStateRoot(const chain::Block &block, const PayloadCheck &payloadAvailable);
    // Stateless check plus the transaction applied alone on the current tip, without writing (mempool
    // and RPC). A nonce ahead of the account's next nonce is rejected like in a block.
    Expected<TxCheck> checkTransactionAgainstState(const chain::Transaction &tx,
                                                   const PayloadCheck &payloadAvailable);
    // The kind's rules (and the fee) on the tip's state, as the next block would apply them, whatever
    // the nonce: a wallet checks a transaction it is about to send while its earlier ones still wait in
    // the pool (a vote on a closed proposal is refused here, with the reason, instead of later in a block).
    // Neither the signature nor the nonce is checked.
    Status checkTransactionRules(const chain::Transaction &tx, const PayloadCheck &payloadAvailable);
    // The parameters governance left in the committed state (ledger/governance/engine.h).
    Expected<LiveParams> liveParams();

    // Reverts the tip block (networks with a validator set keep each non-final block's undo log): every
    // state row goes back to what it was, the block and its transactions leave the history, and the
    // parent becomes the tip. Returns the reverted block (the node keeps it as a side branch and puts its
    // transactions back in the pool). The caller never reverts a final block; the ledger refuses height 0
    // and a block without an undo log.
    Expected<chain::Block> revertTip();
    // Drops undo logs of blocks at or below `height` (they became final).
    Status pruneUndo(std::uint64_t height);
    // The active validator set that counts for `epoch`: the current epoch's set for `epoch` at or after
    // it, the previous one's for epochs between; NotFound for older epochs or on a devnet.
    Expected<ValidatorSet> validatorSet(std::uint64_t epoch);
    // The scheduled proposer of `slot` if the next block had that slot (the epoch switch included):
    // nullopt on a devnet.
    Expected<std::optional<PublicKey>> nextProposer(std::uint64_t slot);
    const LedgerOptions &options() const { return options_; }

    // Queries (the committed state).
    Expected<Amount> balance(const PublicKey &key);
    Expected<std::uint64_t> nonce(const PublicKey &key);  // the next nonce the account must use
    Expected<Amount> stake(const PublicKey &key);
    // Unstaked amounts waiting for their release epoch (ledger/unbonding.h), by release epoch.
    Expected<std::vector<UnbondingEntry>> unbonding(const PublicKey &key);
    Expected<SupplyInfo> supply();
    Expected<std::optional<StoredObject>> object(const chain::ObjectId &id);
    Expected<std::optional<StoredObject>> objectByName(const std::string &name);  // the head's object
    Expected<std::optional<chain::ObjectId>> head(const std::string &name);
    Expected<std::optional<StoredBlock>> blockByHeight(std::uint64_t height);
    Expected<std::optional<StoredBlock>> blockById(const BlockId &id);
    Expected<std::optional<StoredTransaction>> transaction(const TxId &id);
    // The transactions of the block at `height`, in block order (the wallet scans blocks with it).
    Expected<std::vector<StoredTransaction>> blockTransactions(std::uint64_t height);

    // genesis + minted - burned == sum(balances) + sum(stakes) + sum(unbonding) + reward pool + deposits
    // held by open proposals, summed in 128 bits.
    Status checkSupplyIdentity();
    // The state root from a full rescan of every state row (for tests and a "check data" action);
    // equal to stateRoot() unless the database was changed behind the ledger's back.
    Expected<Hash256> recomputeStateRoot();

private:
    enum class Mode { Apply, Preview };
    struct Totals {
        Amount fees = 0;
        Amount burned = 0;
    };

    Ledger(storage::Database &db, LedgerOptions options) : db_(&db), options_(std::move(options)) {}
    Expected<BlockResult> execute(const chain::Block &block, const PayloadCheck &payloadAvailable, Mode mode);
    Status checkContinuity(const chain::BlockHeader &h) const;
    Status applyTransaction(State &state, const chain::Transaction &tx, std::uint64_t height,
                            const PayloadCheck &payloadAvailable, const LiveParams &params, Totals &totals,
                            bool checkNonce = true);
    Status storeBlock(const chain::Block &block, const BlockId &id);
    // The pool's checks: closes, in `state`, the proposals the next block closes before its
    // transactions, and returns the parameters that block applies them with.
    Expected<LiveParams> nextBlockParams(State &state);
    // Validator-set networks: enters the slot's epoch if it is a new one (snapshot of the stakes) and
    // returns the set that schedules the slot (ledger_consensus.cpp).
    Expected<ValidatorSet> enterEpoch(State &state, std::uint64_t slot);
    Status applyGenesisValidators(State &state, const GenesisSpec &spec);
    std::string address(const PublicKey &key) const;

    storage::Database *db_;
    LedgerOptions options_;
    LtHash hash_;
    std::optional<chain::BlockHeader> tip_;
    BlockId tipId_{};
    BlockId genesisId_{};
};

}  // namespace blyan::ledger
