#pragma once
// XChaCha20-Poly1305 (IETF) authenticated encryption: wallet files at rest and the P2P stream.
//
// The 24-byte nonce is large enough to pick at random for every message without realistic risk
// of reuse (reuse under one key would reveal plaintext XORs and allow forgeries). The associated
// data is authenticated but not encrypted: bind context there (file version, message type,
// network id) so a ciphertext cannot be replayed somewhere else.

#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace blyan::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 24;
inline constexpr std::size_t kAeadTagSize = 16;

using AeadKey = std::array<std::uint8_t, kAeadKeySize>;
using AeadNonce = std::array<std::uint8_t, kAeadNonceSize>;

AeadNonce randomAeadNonce();
Expected<AeadNonce> aeadNonceFromBytes(ByteView bytes);  // exactly 24 bytes

// Returns ciphertext || 16-byte tag.
Expected<Bytes> aeadEncrypt(const SecureBytes &key, const AeadNonce &nonce, ByteView plaintext, ByteView ad = {});
Expected<Bytes> aeadEncrypt(const AeadKey &key, const AeadNonce &nonce, ByteView plaintext, ByteView ad = {});

// Fails with ErrorCode::Crypto when the tag does not match (wrong key, nonce, ad, or tampering).
Expected<Bytes> aeadDecrypt(const SecureBytes &key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad = {});
Expected<Bytes> aeadDecrypt(const AeadKey &key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad = {});
// For plaintexts that are themselves secrets (wallet keys): the result never leaves secure memory.
Expected<SecureBytes> aeadDecryptSecret(const SecureBytes &key, const AeadNonce &nonce, ByteView ciphertext,
                                        ByteView ad = {});

}  // namespace blyan::crypto
