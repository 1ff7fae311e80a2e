#pragma once
// The governance rows of the ledger state (docs/protocol.md "Governance"): proposals with their running
// tally, votes, the stake checkpoints that keep voting weight fixed at a proposal's snapshot height,
// parameters changed by governance, and approved datasets. State (state.h) keeps them like every other
// row: an overlay with the value before the block, flushed into the LtHash, recorded in the undo log.

#include "chain/amount.h"
#include "chain/governance.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/codec.h"

#include <cstdint>
#include <optional>

namespace blyan::ledger {

enum class ProposalStatus : std::uint8_t {
    Voting = 0,    // open: votes count until end height
    Passed = 1,    // yes reached the threshold with quorum; the action was carried out
    Rejected = 2,  // quorum met, yes below the threshold
    NoQuorum = 3,  // too little stake voted
    Vetoed = 4,    // veto above the veto share: the deposit is burned
    Failed = 5,    // passed, but the action could not be carried out (e.g. the reward pool was too small)
};
const char *proposalStatusName(ProposalStatus s);

struct ProposalRow {
    std::uint64_t number = 0;           // 1, 2, 3... in creation order (for people; the id is the txid)
    crypto::PublicKey proposer{};
    chain::ProposalAction action;
    chain::Amount deposit = 0;          // locked while voting; 0 once returned or burned
    std::uint64_t createdHeight = 0;
    std::uint64_t snapshotHeight = 0;   // createdHeight - 1: stakes as they stood after that block vote
    std::uint64_t endHeight = 0;        // the block at this height closes the proposal before its transactions
    chain::Amount totalStake = 0;       // all stake at the snapshot (the quorum's base)
    chain::Amount yes = 0, no = 0, abstain = 0, veto = 0;  // stake voting each way (running tally)
    ProposalStatus status = ProposalStatus::Voting;
    std::uint64_t closedHeight = 0;     // 0 while voting
    bool operator==(const ProposalRow &) const = default;

    // Fixed-width fields after the id (rows.cpp and the undo log share it).
    void encode(Writer &w) const;
    static Expected<ProposalRow> decode(Reader &r);
};

struct VoteKey {
    crypto::Hash256 proposal{};
    crypto::PublicKey voter{};
    auto operator<=>(const VoteKey &) const = default;
    bool operator==(const VoteKey &) const = default;
};

struct VoteRow {
    chain::VoteChoice choice = chain::VoteChoice::Yes;
    chain::Amount weight = 0;    // the voter's stake at the snapshot
    std::uint64_t height = 0;    // of the block with the voter's latest vote
    bool operator==(const VoteRow &) const = default;
};

// A stake checkpoint: `key`'s stake before block `height` (as it stood after block height - 1), written
// at the end of that block when the block changed the stake and it is the key's first change after some
// open proposal's snapshot height (docs/protocol.md "Governance"). The weight at snapshot s is the value
// of the key's first checkpoint above s; no such checkpoint: the stake has not changed since s. Ordered
// by key, then height, so a key's checkpoints are adjacent.
struct CheckpointKey {
    crypto::PublicKey key{};
    std::uint64_t height = 0;
    auto operator<=>(const CheckpointKey &) const = default;
    bool operator==(const CheckpointKey &) const = default;
};

struct DatasetApproval {
    std::uint8_t tier = 0;               // 1..3 (config/governance.json names them)
    crypto::Hash256 proposal{};          // that approved it
    std::uint64_t height = 0;            // where it took effect
    bool operator==(const DatasetApproval &) const = default;
};

// History, not state (like the txs table): what happened to a proposal, for its detail view. Written
// with the block, removed with it when the block is reverted.
enum class GovernanceEventKind : std::uint8_t { Created = 1, Vote = 2, Closed = 3 };
struct GovernanceEvent {
    crypto::Hash256 proposal{};
    std::uint64_t height = 0;
    GovernanceEventKind kind = GovernanceEventKind::Created;
    crypto::PublicKey actor{};          // proposer or voter; zero for Closed
    std::uint8_t choice = 0;            // vote choice; for Closed, the ProposalStatus
    chain::Amount weight = 0;           // vote weight; for Created, the deposit
    crypto::Hash256 txid{};             // zero for Closed
};

}  // namespace blyan::ledger
