#pragma once
// Governance inside block application (docs/protocol.md "Governance"). Ledger::execute calls, in this
// order: liveParams (the parameters governance left in the state) and closeProposals before the block's
// transactions, so a proposal ending at this height is tallied and carried out first and its effect
// applies to the whole block; recordStakeCheckpoints after them. Everything goes through State, so a
// rejected block writes nothing and a reverted block is undone by its undo log like any other row.
//
// Stake at the snapshot height. A proposal created in block h has snapshot height s = h - 1: it votes
// the stakes as they stood after block s. Rather than copying every stake at creation, the ledger keeps
// per-key checkpoints: at the end of block h, a key whose stake the block changed gets ONE row (key, h) =
// its stake before the block, and only when this is its first change after some open snapshot height
// (some open s has no checkpoint of the key in (s, h]). The weight at s is then the key's first
// checkpoint above s, and without one the stake at the start of the voting block (unchanged since s).
// So a block writes at most one row per stake it changed, however many proposals are open, and stake
// moved after the snapshot (unstaked, sent to another key and staked again) counts once, for its holder
// at s. Checkpoints at or below the lowest open snapshot height are deleted when proposals close (all of
// them once none is open).

#include "ledger/governance/config.h"
#include "ledger/state.h"
#include "ledger/tokenomics.h"

#include <functional>
#include <vector>

namespace blyan::ledger {

// The parameters the ledger reads, as governance left them (the config defaults where it changed none).
struct LiveParams {
    TokenomicsParams tokenomics;        // fee burn share, annual emission
    Amount minValidatorStake = 0;       // networks with a validator set
    Amount proposalDeposit = 0;
};

struct ParamValue {
    const chain::GovParamInfo *info = nullptr;
    std::uint64_t value = 0;         // in the parameter's unit
    std::uint64_t defaultValue = 0;  // from config/
    bool changed = false;            // set by governance
};

Expected<LiveParams> liveParams(State &state, Network network, const TokenomicsParams &base,
                                const GovernanceConfig &config);
Expected<std::vector<ParamValue>> paramValues(State &state, Network network, const TokenomicsParams &base,
                                              const GovernanceConfig &config);

// How a proposal stands (or ended) on its tally.
struct TallyResult {
    bool quorum = false;
    bool vetoed = false;
    bool passes = false;  // quorum, not vetoed, threshold reached
};
TallyResult tally(const ProposalRow &p, const GovernanceConfig &config);

// Before the transactions of block `height`: closes every voting proposal ending at or below it, then
// deletes the stake checkpoints no open proposal needs any more. `pruneCheckpoints` false leaves them
// (a never-flushed State checking a transaction for the pool: weights do not depend on them).
Status closeProposals(State &state, std::uint64_t height, const GovernanceConfig &config, bool pruneCheckpoints = true);
// After the transactions of block `height`.
Status recordStakeCheckpoints(State &state, std::uint64_t height);
// `voter`'s weight on `p` in the block being applied.
Expected<Amount> votingWeight(State &state, const ProposalRow &p, const PublicKey &voter);

}  // namespace blyan::ledger
