#pragma once
// SLIP-0010 key derivation for Ed25519: turns a BIP-39 seed into a tree of Ed25519 keys, so one
// recovery phrase restores every account key.
//
// Ed25519 keys are not scalars that can be added (the private key is hashed before use), so
// SLIP-0010 defines only hardened derivation for Ed25519: each child comes from the parent's
// *private* key and chain code. There are no extended public keys; every path component must be
// hardened, and anything else is refused rather than silently hardened.
//
// Blyan's account keys live at m/44'/4344921'/<account>'/0'/<index>' (docs/protocol.md, "Wallet
// key derivation"). 4344921 = 0x424C59 = "BLY" in ASCII, a SLIP-0044 coin type nobody has registered.

#include "crypto/ed25519.h"
#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::crypto {

inline constexpr std::uint32_t kHardenedBit = 0x80000000u;
inline constexpr std::uint32_t kBlyanCoinType = 4344921;  // 0x424C59, "BLY"
inline constexpr std::size_t kSlip10MaxDepth = 255;       // BIP-32 stores the depth in one byte
inline constexpr std::size_t kSlip10MinSeed = 16;         // BIP-32: a seed is 128 to 512 bits
inline constexpr std::size_t kSlip10MaxSeed = 64;

// An extended private key. Both halves are secret: with the chain code, the private key yields
// every key below it.
struct Slip10Key {
    SecureBytes privateKey;  // 32 bytes: an RFC 8032 Ed25519 private key (what libsodium calls the seed)
    SecureBytes chainCode;   // 32 bytes
};

// I = HMAC-SHA512(key "ed25519 seed", seed): private key = I[0..32), chain code = I[32..64).
Expected<Slip10Key> slip10MasterKey(ByteView seed);
// Hardened child: I = HMAC-SHA512(chain code, 0x00 || private key || ser32(index)). index must
// carry kHardenedBit; a normal index is an error (SLIP-0010 defines none for Ed25519).
Expected<Slip10Key> slip10Child(const Slip10Key &parent, std::uint32_t index);

// "m/44'/4344921'/0'/0'/0'" -> {44|H, 4344921|H, 0|H, 0|H, 0|H}. Strict: starts with "m", every
// component is a decimal number 0..2^31-1 without sign, spaces or leading zeros, followed by an
// apostrophe; at most kSlip10MaxDepth components. "m" alone is the master key.
Expected<std::vector<std::uint32_t>> parseDerivationPath(std::string_view path);
// The inverse of parseDerivationPath for hardened indices (a normal one is written without ').
std::string formatDerivationPath(std::span<const std::uint32_t> path);

Expected<Slip10Key> slip10Derive(ByteView seed, std::span<const std::uint32_t> path);
Expected<Slip10Key> slip10Derive(ByteView seed, std::string_view path);

// The Ed25519 key pair of a derived key (its private key is the 32-byte seed of KeyPair::fromSeed).
Expected<KeyPair> slip10KeyPair(const Slip10Key &key);

// Blyan's path for an account key: m/44'/4344921'/<account>'/0'/<index>'. account and index are
// 0..2^31-1. The fourth level is fixed at 0' (it would be BIP-44's change level, which an
// account-based chain does not need) so the layout matches other Ed25519 wallets.
Expected<std::vector<std::uint32_t>> blyanDerivationPath(std::uint32_t account, std::uint32_t index);
Expected<KeyPair> deriveBlyanKeyPair(ByteView bip39Seed, std::uint32_t account, std::uint32_t index);

}  // namespace blyan::crypto
