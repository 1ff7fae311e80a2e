#pragma once
// Validator sets and the proposer schedule (DESIGN.md section 5; docs/protocol.md "Consensus").
//
// On a network with a validator set (testnet), every stake of at least the network's minimum enters the
// active set at the start of the next epoch (epoch = slot / epoch_slots), snapshotted when the first
// block of that epoch is applied. The proposer of a slot is drawn from that set, weighted by stake:
//   r = first 8 bytes (little-endian) of BLAKE2b-256("blyan/proposer/v1" || genesis id || slot u64
//       [|| attempt u32 from 1 on, while r falls in the last partial multiple of total: no modulo bias])
//   proposer = the member whose cumulative stake range (members in key order) holds r mod total.
// Deterministic, so every node agrees on who may propose each slot; a devnet has a single proposer
// (its node key) and no set.

#include "chain/amount.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/network.h"

#include <optional>
#include <vector>

namespace blyan::ledger {

inline constexpr std::string_view kProposerDomain = "blyan/proposer/v1";

struct ValidatorSet {
    std::uint64_t epoch = 0;
    std::vector<std::pair<crypto::PublicKey, chain::Amount>> members;  // ascending key order

    chain::Amount total() const;
    chain::Amount stakeOf(const crypto::PublicKey &key) const;  // 0 when not a member
    bool operator==(const ValidatorSet &) const = default;
};

// A devnet has a single proposer; other networks run a stake-weighted validator set.
bool usesValidatorSet(Network network);
std::uint64_t epochOfSlot(std::uint64_t slot, std::uint64_t epochSlots);
// The scheduled proposer of `slot`; nullopt for an empty set.
std::optional<crypto::PublicKey> proposerForSlot(const ValidatorSet &set, const crypto::Hash256 &genesisId,
                                                 std::uint64_t slot);
// Whether `stake` is more than 2/3 of `total` (computed without overflow).
bool isSupermajority(chain::Amount stake, chain::Amount total);

}  // namespace blyan::ledger
