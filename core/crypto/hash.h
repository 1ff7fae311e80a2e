#pragma once
// BLAKE2b-256: the hash of every ID in Blyan (blocks, transactions, objects, chunk Merkle trees).

#include "util/bytes.h"

#include <array>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace blyan::crypto {

using Hash256 = std::array<std::uint8_t, 32>;

// For unordered containers keyed by ids (blocks, transactions, objects): ids are BLAKE2b outputs, so any
// 8 of their bytes are uniform, and far cheaper than ordering 32-byte keys.
struct Hash256Hasher {
    std::size_t operator()(const Hash256 &h) const noexcept
    {
        std::size_t v;
        std::memcpy(&v, h.data(), sizeof v);
        return v;
    }
};

// Initialises libsodium once per process (thread-safe; every wrapper calls it).
void ensureSodium();

Hash256 blake2b256(ByteView data);

// Unkeyed BLAKE2b with any digest length libsodium allows (16..64 bytes). A shorter digest is a
// different hash, not a truncation of BLAKE2b-512, so the length is part of what you compute.
Expected<Bytes> blake2b(ByteView data, std::size_t outLen);

// Incremental BLAKE2b-256 for data that arrives in pieces (files, chunk streams).
class Blake2b256Stream {
public:
    Blake2b256Stream();
    ~Blake2b256Stream();
    Blake2b256Stream(const Blake2b256Stream &) = delete;
    Blake2b256Stream &operator=(const Blake2b256Stream &) = delete;

    void update(ByteView data);
    Hash256 finish();  // may be called once

private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string hashToHex(const Hash256 &h);
Expected<Hash256> hashFromHex(std::string_view hex);

}  // namespace blyan::crypto
