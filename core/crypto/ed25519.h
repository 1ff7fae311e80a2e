#pragma once
// Ed25519 signatures: node identities, transaction and block signatures, finality votes.
//
// The 64-byte secret key is libsodium's layout (32-byte seed || 32-byte public key) and lives only
// in SecureBytes. Public keys and signatures are plain arrays: they are public and get hashed,
// encoded and compared everywhere.

#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace blyan::crypto {

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SecretKeySize = 64;
inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

class SecretKey {
public:
    // Strict: exactly 64 bytes, and the public half must be the one the seed derives (a key file
    // whose halves disagree would produce signatures nobody can verify).
    static Expected<SecretKey> fromBytes(SecureBytes secretKey64);

    const SecureBytes &bytes() const { return sk_; }
    SecureBytes seed() const;  // the first 32 bytes: what a backup needs
    PublicKey publicKey() const;

private:
    friend class KeyPair;
    explicit SecretKey(SecureBytes sk) : sk_(std::move(sk)) {}
    SecureBytes sk_;
};

class KeyPair {
public:
    static KeyPair generate();
    static Expected<KeyPair> fromSeed(const SecureBytes &seed32);
    static KeyPair fromSecretKey(SecretKey sk);

    const PublicKey &publicKey() const { return pk_; }
    const SecretKey &secretKey() const { return sk_; }
    Signature sign(ByteView message) const;

private:
    KeyPair(const PublicKey &pk, SecretKey sk) : pk_(pk), sk_(std::move(sk)) {}
    PublicKey pk_;
    SecretKey sk_;
};

// Detached signature over message (deterministic, RFC 8032 Ed25519).
Signature sign(const SecretKey &sk, ByteView message);
// libsodium's verify also rejects small-order keys and non-canonical signatures.
bool verify(const PublicKey &pk, ByteView message, const Signature &sig);

// Strict decoding of untrusted bytes (wire, RPC, files).
Expected<PublicKey> publicKeyFromBytes(ByteView bytes);  // 32 bytes and a valid curve point
Expected<Signature> signatureFromBytes(ByteView bytes);  // 64 bytes

}  // namespace blyan::crypto
