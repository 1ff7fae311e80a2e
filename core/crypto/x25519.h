#pragma once
// X25519 Diffie-Hellman for the P2P handshake (DESIGN.md section 9): each side sends an ephemeral
// X25519 public key, signed with its Ed25519 identity, and both derive the same session keys.

#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace blyan::crypto {

inline constexpr std::size_t kX25519KeySize = 32;
inline constexpr std::size_t kSessionKeySize = 32;

using X25519PublicKey = std::array<std::uint8_t, kX25519KeySize>;

struct X25519KeyPair {
    X25519PublicKey publicKey{};
    SecureBytes secretKey;  // 32-byte scalar

    static X25519KeyPair generate();
    static Expected<X25519KeyPair> fromSecret(SecureBytes secret32);
};

Expected<X25519PublicKey> x25519PublicKeyFromBytes(ByteView bytes);  // exactly 32 bytes

// Raw X25519 (RFC 7748). Fails when the result is all zeros, i.e. the peer sent a low-order point
// to force a known shared secret. Use the raw output only through a KDF (see the session keys).
Expected<SecureBytes> x25519(const SecureBytes &secret, const X25519PublicKey &peer);

// Directional session keys (libsodium crypto_kx): BLAKE2b-512(shared || client_pk || server_pk)
// split in two, so each direction has its own key. client.tx == server.rx and vice versa.
struct SessionKeys {
    SecureBytes rx;  // decrypt what the peer sends
    SecureBytes tx;  // encrypt what we send
};
Expected<SessionKeys> clientSessionKeys(const X25519KeyPair &client, const X25519PublicKey &server);
Expected<SessionKeys> serverSessionKeys(const X25519KeyPair &server, const X25519PublicKey &client);

}  // namespace blyan::crypto
