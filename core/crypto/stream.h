#pragma once
// A deterministic pseudo-random byte stream from a 32-byte key (ChaCha20, all-zero nonce). Not for
// encryption (use aead.h): it expands a hash into many bytes, e.g. the ledger's LtHash lane vectors,
// where every node must derive exactly the same bytes from the same key.

#include "crypto/hash.h"

#include <cstdint>
#include <span>

namespace blyan::crypto {

// Fills `out` with the first out.size() bytes of ChaCha20(key, nonce = 0, counter = 0) keystream.
void chacha20Keystream(const Hash256 &key, std::span<std::uint8_t> out);

}  // namespace blyan::crypto
