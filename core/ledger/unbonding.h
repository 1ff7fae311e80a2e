#pragma once
// Unbonding (docs/protocol.md "Unbonding"): on a validator-set network an unstake moves the amount into an
// unbonding row released `unbonding_epochs` epochs later (config/networks/*.json). Until then the amount is
// nobody's balance and still burns with its owner's stake when slashing evidence lands; otherwise a validator
// could vote twice and withdraw everything before the evidence reached a block.

#include "ledger/state.h"

namespace blyan::ledger {

// The release epoch of an unstake applied while `epoch` is active.
std::uint64_t unbondingReleaseEpoch(std::uint64_t epoch, std::uint64_t unbondingEpochs);

// Credits every row due by `epoch` to its account and removes it: every block of a validator-set network,
// after its transactions (so the first block of the release epoch pays out; later ones find nothing due).
Status releaseUnbonded(State &state, std::uint64_t epoch);

}  // namespace blyan::ledger
