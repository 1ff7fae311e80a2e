#pragma once
// Key derivation for the wallet.
//
// HMAC-SHA512 and PBKDF2-HMAC-SHA512 exist for interoperability only: BIP-39 turns a recovery phrase
// into a seed with them, and SLIP-0010 derives keys from that seed with them, so a phrase written
// down in Blyan restores the same keys in any other BIP-39/SLIP-0010 tool. Argon2id is what turns a
// wallet passphrase into the key that encrypts the wallet file (DESIGN.md section 10): it is
// memory-hard, so guessing passphrases on GPUs costs memory as well as time.
//
// Every output is a secret, so every output is SecureBytes.

#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace blyan::crypto {

inline constexpr std::size_t kHmacSha512Size = 64;

// HMAC-SHA512 (RFC 2104, RFC 4231) with a key of any length. The parts overload MACs the
// concatenation of the parts, so callers need not copy secrets into one unprotected buffer.
SecureBytes hmacSha512(ByteView key, ByteView message);
SecureBytes hmacSha512(ByteView key, std::initializer_list<ByteView> messageParts);

// PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA512. iterations >= 1; outLen 1..kPbkdf2MaxOutput
// (a wallet never needs more; the limit keeps a bad argument from exhausting locked memory).
inline constexpr std::size_t kPbkdf2MaxOutput = 1024;
Expected<SecureBytes> pbkdf2HmacSha512(ByteView password, ByteView salt, std::uint32_t iterations,
                                       std::size_t outLen);

// Argon2id v1.3 (libsodium crypto_pwhash, parallelism 1). The parameters are stored next to the
// encrypted data, so they are checked like any untrusted input: a wallet file asking for 1 TiB of
// memory must be refused, not attempted.
struct Argon2Params {
    std::uint32_t opsLimit = 0;       // passes over memory (libsodium's opslimit, Argon2's t)
    std::uint64_t memLimitBytes = 0;  // a whole number of KiB (libsodium's memlimit, Argon2's m * 1024)
};

inline constexpr std::size_t kArgon2SaltSize = 16;
inline constexpr std::size_t kArgon2MinOutput = 16;
inline constexpr std::size_t kArgon2MaxOutput = 1024;
inline constexpr std::uint32_t kArgon2MaxOps = 1024;
inline constexpr std::uint64_t kArgon2MaxMemBytes = std::uint64_t(4) << 30;  // 4 GiB
// Where calibration starts and the memory it keeps: 64 MiB is libsodium's "interactive" figure and
// fits every desktop the node runs on.
inline constexpr std::uint64_t kArgon2DefaultMemBytes = std::uint64_t(64) << 20;

// Ok when libsodium's minimums (1 pass, 8 KiB) and the limits above hold.
Status checkArgon2Params(const Argon2Params &params);

// passphrase: the bytes as given (the wallet normalises text before it gets here); salt: exactly
// kArgon2SaltSize random bytes; outLen: kArgon2MinOutput..kArgon2MaxOutput.
Expected<SecureBytes> argon2id(ByteView passphrase, ByteView salt, const Argon2Params &params,
                               std::size_t outLen);

// Wall time of one argon2id() run with these parameters on this machine.
Expected<std::chrono::milliseconds> timeArgon2id(const Argon2Params &params);

// Picks parameters that take about `target` (50 ms .. 10 s) on this CPU: memory stays at
// kArgon2DefaultMemBytes (memory is what GPUs lack, so it is never traded away for speed) and the
// pass count is scaled from two measurements (2 passes, then a guess near the target), never below
// 1 pass, so calibrating takes about target + one 2-pass run. Memory is only lowered (down to
// 16 MiB) when the machine cannot allocate 64 MiB at all.
Expected<Argon2Params> calibrateArgon2id(std::chrono::milliseconds target);

}  // namespace blyan::crypto
