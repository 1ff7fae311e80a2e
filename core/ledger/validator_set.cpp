#include "ledger/validator_set.h"

#include "util/codec.h"

namespace blyan::ledger {

chain::Amount ValidatorSet::total() const
{
    chain::Amount t = 0;
    for (const auto &m : members) t += m.second;  // stakes are bounded by the supply cap: no overflow
    return t;
}

chain::Amount ValidatorSet::stakeOf(const crypto::PublicKey &key) const
{
    for (const auto &m : members)
        if (m.first == key) return m.second;
    return 0;
}

bool usesValidatorSet(Network network) { return network != Network::Devnet; }

std::uint64_t epochOfSlot(std::uint64_t slot, std::uint64_t epochSlots) { return epochSlots ? slot / epochSlots : 0; }

std::optional<crypto::PublicKey> proposerForSlot(const ValidatorSet &set, const crypto::Hash256 &genesisId,
                                                 std::uint64_t slot)
{
    const chain::Amount total = set.total();
    if (total == 0) return std::nullopt;
    // Rejection sampling keeps the draw exactly proportional to stake (a plain modulo would favour low
    // values by up to total/2^64).
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % total;
    std::uint64_t r = 0;
    for (std::uint32_t attempt = 0;; ++attempt) {
        Writer w;
        w.raw(asBytes(kProposerDomain));
        w.raw(genesisId);
        w.u64(slot);
        if (attempt) w.u32(attempt);
        const crypto::Hash256 h = crypto::blake2b256(w.data());
        r = 0;
        for (int i = 7; i >= 0; --i) r = (r << 8) | h[static_cast<std::size_t>(i)];
        if (r < limit) break;
    }
    const chain::Amount pick = r % total;
    chain::Amount cumulative = 0;
    for (const auto &[key, stake] : set.members) {
        cumulative += stake;
        if (pick < cumulative) return key;
    }
    return set.members.back().first;  // unreachable: pick < total
}

bool isSupermajority(chain::Amount stake, chain::Amount total)
{
    // Stakes are bounded by the supply cap (10^17 base units), so 3x fits in 64 bits.
    return stake * 3 > total * 2;
}

}  // namespace blyan::ledger
