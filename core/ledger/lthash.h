#pragma once
// LtHash: an incremental multiset hash (Bellare-Micciancio; the lattice variant of Lewi et al. 2019)
// behind the ledger's state root (docs/protocol.md, "State root").
//
// The state is a set of rows. Each row's canonical encoding maps to a vector of 1024 u16 lanes:
// ChaCha20 keystream (2048 bytes, read as little-endian u16) keyed by BLAKE2b-256 of the encoding. The
// state's hash is the lane-wise sum mod 2^16 over all rows. Adding a row adds its vector, deleting one
// subtracts it, updating is delete old + add new, so a block costs O(rows it changed), never a rescan,
// and the result depends only on the final set of rows, not on the order they were written in.

#include "crypto/hash.h"
#include "util/bytes.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace blyan::ledger {

inline constexpr std::size_t kLtHashLanes = 1024;
inline constexpr std::string_view kStateRootDomain = "blyan/state/v1";

class LtHash {
public:
    void add(ByteView row);
    void remove(ByteView row);

    // The lanes as 2048 little-endian bytes (persisted by the ledger), and back.
    Bytes serialize() const;
    static Expected<LtHash> deserialize(ByteView bytes);

    // BLAKE2b-256(kStateRootDomain || serialize()).
    crypto::Hash256 root() const;

    bool operator==(const LtHash &) const = default;

private:
    std::array<std::uint16_t, kLtHashLanes> lanes_{};
};

}  // namespace blyan::ledger
