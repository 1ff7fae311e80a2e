#pragma once
// The ledger state as seen while applying or checking transactions: reads come from SQLite, writes
// stay in an in-memory overlay until flush(). That gives three things at once:
//   - checkTransactionAgainstState runs the real handlers and simply never flushes (no writes);
//   - an account touched by 100 transfers in a block is written, and re-hashed, once;
//   - the state hash is updated from each changed row's value before and after the block, i.e.
//     O(changed rows) per block.
// Row encodings (what the state root commits to) are in rows.h and docs/protocol.md.

#include "chain/object.h"
#include "ledger/account.h"
#include "chain/transaction.h"
#include "ledger/governance/types.h"
#include "ledger/lthash.h"
#include "storage/database.h"

#include <map>
#include <vector>
#include <optional>
#include <set>
#include <string>

namespace blyan::ledger {

using chain::Amount;
using chain::ObjectId;
using chain::PublicKey;

struct StoredObject {
    chain::ObjectRecord record;
    std::uint64_t publishedHeight = 0;
    PublicKey publisher{};
    bool operator==(const StoredObject &) const = default;
};

// Consensus bookkeeping in the state (testnet-style networks with a validator set; a devnet has none):
// the epoch whose validator set is active and the one before it (votes on blocks of the previous epoch
// still count with its set).
struct ConsensusRow {
    std::uint64_t epoch = 0;
    std::uint64_t previousEpoch = 0;
    bool operator==(const ConsensusRow &) const = default;
};

// A validator's stake in one epoch's active set.
struct ValidatorKey {
    std::uint64_t epoch = 0;
    PublicKey key{};
    auto operator<=>(const ValidatorKey &) const = default;
    bool operator==(const ValidatorKey &) const = default;
};

// Applied slashing evidence (its id is the hash of the two votes): never applied twice.
struct SlashRecord {
    PublicKey voter{};
    std::uint64_t height = 0;  // of the block that applied it
    Amount amount = 0;         // stake burned
    bool operator==(const SlashRecord &) const = default;
};

// Unstaked BLY on its way back to the balance (validator-set networks): it still counts for slashing
// until the first block of `releaseEpoch` credits it to the account (ledger/unbonding.cpp). One row per
// key and release epoch; unstakes in the same epoch add up.
struct UnbondingKey {
    PublicKey key{};
    std::uint64_t releaseEpoch = 0;
    auto operator<=>(const UnbondingKey &) const = default;
    bool operator==(const UnbondingKey &) const = default;
};
using UnbondingEntry = std::pair<UnbondingKey, Amount>;

struct UndoLog;

struct Supply {
    Amount genesis = 0;
    Amount minted = 0;
    Amount burned = 0;
    Amount rewardPool = 0;
    bool operator==(const Supply &) const = default;
};

class State {
public:
    explicit State(storage::Database &db) : db_(db) {}

    // A missing account reads as {0, 0}; a missing stake as 0. Setters load the stored row first if it
    // was not read yet, because flush must hash out exactly the row that was there before.
    Expected<Account> account(const PublicKey &key);
    Status setAccount(const PublicKey &key, const Account &a);
    Expected<Amount> stake(const PublicKey &key);
    Status setStake(const PublicKey &key, Amount amount);  // 0 deletes the row
    Expected<std::optional<StoredObject>> object(const ObjectId &id);
    Status addObject(const ObjectId &id, StoredObject object);  // AlreadyExists when stored
    Expected<std::optional<ObjectId>> head(const std::string &name);
    Status setHead(const std::string &name, const ObjectId &id);
    Expected<Supply> supply();  // NotFound before genesis
    Status setSupply(const Supply &s);
    Expected<std::optional<ConsensusRow>> consensus();  // nullopt on a network without a validator set
    Status setConsensus(const ConsensusRow &c);
    Expected<Amount> validator(const ValidatorKey &k);  // 0: not in that epoch's set
    Status setValidator(const ValidatorKey &k, Amount stake);  // 0 removes
    Expected<std::optional<SlashRecord>> slash(const crypto::Hash256 &evidence);
    Status addSlash(const crypto::Hash256 &evidence, const SlashRecord &r);
    // Unbonding rows (ledger/unbonding.cpp); 0 removes. The lists have this State's changes applied.
    Expected<Amount> unbonding(const UnbondingKey &k);
    Status setUnbonding(const UnbondingKey &k, Amount amount);
    Expected<std::vector<UnbondingEntry>> unbondingsOf(const PublicKey &key);
    Expected<std::vector<UnbondingEntry>> unbondingsDue(std::uint64_t epoch);  // release epoch <= epoch

    // Governance rows (ledger/governance/types.h).
    Expected<std::optional<ProposalRow>> proposal(const crypto::Hash256 &id);
    Status setProposal(const crypto::Hash256 &id, const ProposalRow &p);
    // Proposals stored plus those this State added (the next proposal's number is this + 1); O(1), and
    // not meant for a State that restore() rewound.
    Expected<std::uint64_t> proposalCount();
    // Snapshot heights of the proposals that are voting, with this State's changes applied.
    Expected<std::set<std::uint64_t>> openSnapshotHeights();
    // Voting proposals whose end height is at or below `height`, in creation order.
    Expected<std::vector<crypto::Hash256>> proposalsEndingBy(std::uint64_t height);
    // Every stake added up as stored before this State changed anything (the start of the block).
    Expected<Amount> totalStakeBeforeBlock();
    // Stake checkpoints (types.h), this State's changes applied. The first of `key` with a height above
    // `height` as (height, amount), and every checkpoint at or below `height` (key, height order).
    Expected<std::optional<std::pair<std::uint64_t, Amount>>> firstStakeCheckpointAbove(const PublicKey &key,
                                                                                       std::uint64_t height);
    Expected<std::vector<CheckpointKey>> stakeCheckpointsUpTo(std::uint64_t height);
    Expected<std::optional<VoteRow>> vote(const VoteKey &k);
    Status setVote(const VoteKey &k, const VoteRow &v);
    Expected<std::optional<Amount>> stakeCheckpoint(const CheckpointKey &k);
    Status setStakeCheckpoint(const CheckpointKey &k, std::optional<Amount> amount);  // nullopt removes
    Expected<std::optional<std::uint64_t>> param(std::uint8_t id);  // nullopt: the config default holds
    Status setParam(std::uint8_t id, std::uint64_t value);
    Expected<std::optional<DatasetApproval>> dataset(const ObjectId &id);
    Status setDataset(const ObjectId &id, std::optional<DatasetApproval> a);  // nullopt withdraws
    // A stake as it was before this State changed anything (the start of the block), and every stake
    // this State changed with that value: what the stake checkpoints need (ledger/governance/engine.h).
    Expected<Amount> stakeBeforeBlock(const PublicKey &key);
    std::vector<std::pair<PublicKey, Amount>> changedStakes() const;
    // History rows written by flush (not state: not hashed, not in the undo log).
    void addEvent(GovernanceEvent e) { events_.push_back(std::move(e)); }

    // Reverting a block (Ledger::revertTip) puts every row back as the block's undo log recorded it,
    // including rows the block created.
    Status restore(const UndoLog &undo);

    // Writes every changed row and moves `hash` from the old rows to the new ones. Call inside the
    // block's SQL transaction; the State must not be used afterwards. With `undo`, records each changed
    // row's value before the block, so that the block can be reverted.
    Status flush(LtHash &hash, UndoLog *undo = nullptr);

private:
    template <typename V>
    struct Entry {
        std::optional<V> original;  // as stored before this State touched it
        std::optional<V> current;
    };

    storage::Database &db_;
    std::map<PublicKey, Entry<Account>> accounts_;
    std::map<PublicKey, Entry<Amount>> stakes_;
    std::map<ObjectId, Entry<StoredObject>> objects_;
    std::map<std::string, Entry<ObjectId>> heads_;
    std::optional<Entry<Supply>> supply_;
    std::optional<Entry<ConsensusRow>> consensus_;
    std::map<ValidatorKey, Entry<Amount>> validators_;
    std::map<crypto::Hash256, Entry<SlashRecord>> slashes_;
    std::map<UnbondingKey, Entry<Amount>> unbondings_;
    std::map<crypto::Hash256, Entry<ProposalRow>> proposals_;
    std::map<VoteKey, Entry<VoteRow>> votes_;
    std::map<CheckpointKey, Entry<Amount>> checkpoints_;
    std::map<std::uint8_t, Entry<std::uint64_t>> params_;
    std::map<ObjectId, Entry<DatasetApproval>> datasets_;
    std::vector<GovernanceEvent> events_;
    // Read once per State (the database does not change before flush): each proposal in a block would
    // otherwise rescan every stake and every proposal ever made, work an attacker buys per transaction.
    std::optional<Amount> totalStakeBeforeBlock_;
    std::optional<std::uint64_t> storedProposalCount_;
    std::uint64_t addedProposals_ = 0;  // rows setProposal created (proposals are never deleted but by restore)
};

// What a block changed, as the rows were before it (nullopt: the row did not exist). Stored per block
// height in the undo table until the block is final; encoded by ledger/undo.cpp.
struct UndoLog {
    std::vector<std::pair<PublicKey, std::optional<Account>>> accounts;
    std::vector<std::pair<PublicKey, std::optional<Amount>>> stakes;
    std::vector<ObjectId> addedObjects;  // objects are only ever added
    std::vector<std::pair<std::string, std::optional<ObjectId>>> heads;
    std::optional<Supply> supply;        // always present after genesis
    std::optional<std::optional<ConsensusRow>> consensus;  // outer: changed at all
    std::vector<std::pair<ValidatorKey, std::optional<Amount>>> validators;
    std::vector<crypto::Hash256> addedSlashes;
    std::vector<std::pair<crypto::Hash256, std::optional<ProposalRow>>> proposals;
    std::vector<std::pair<VoteKey, std::optional<VoteRow>>> votes;
    std::vector<std::pair<CheckpointKey, std::optional<Amount>>> checkpoints;
    std::vector<std::pair<std::uint8_t, std::optional<std::uint64_t>>> params;
    std::vector<std::pair<ObjectId, std::optional<DatasetApproval>>> datasets;
    std::vector<std::pair<UnbondingKey, std::optional<Amount>>> unbondings;
    bool operator==(const UndoLog &) const = default;
};

Bytes encodeUndo(const UndoLog &u);
Expected<UndoLog> decodeUndo(ByteView bytes);

}  // namespace blyan::ledger
