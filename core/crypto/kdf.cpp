#include "crypto/kdf.h"

#include "crypto/hash.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>

namespace blyan::crypto {

static_assert(kHmacSha512Size == crypto_auth_hmacsha512_BYTES);
static_assert(kArgon2SaltSize == crypto_pwhash_argon2id_SALTBYTES);
static_assert(kArgon2MinOutput >= crypto_pwhash_argon2id_BYTES_MIN);

namespace {

// The HMAC state holds the key's inner and outer pads, i.e. the key itself: wipe it on every exit.
struct HmacState {
    crypto_auth_hmacsha512_state st;
    ~HmacState() { sodium_memzero(&st, sizeof st); }
};

std::string mib(std::uint64_t bytes)
{
    if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes >> 10) + " KiB";
}

}  // namespace

SecureBytes hmacSha512(ByteView key, std::initializer_list<ByteView> messageParts)
{
    ensureSodium();
    HmacState h;
    // init/update/final (unlike the one-shot crypto_auth_hmacsha512) accepts keys of any length;
    // keys over 128 bytes are hashed first, as RFC 2104 says.
    crypto_auth_hmacsha512_init(&h.st, key.data(), key.size());
    for (ByteView part : messageParts) crypto_auth_hmacsha512_update(&h.st, part.data(), part.size());
    SecureBytes out(kHmacSha512Size);
    crypto_auth_hmacsha512_final(&h.st, out.data());
    return out;
}

SecureBytes hmacSha512(ByteView key, ByteView message) { return hmacSha512(key, {message}); }

Expected<SecureBytes> pbkdf2HmacSha512(ByteView password, ByteView salt, std::uint32_t iterations,
                                       std::size_t outLen)
{
    if (iterations == 0)
        return makeError(ErrorCode::InvalidArgument, "PBKDF2 needs at least 1 iteration; got 0");
    if (outLen == 0 || outLen > kPbkdf2MaxOutput)
        return makeError(ErrorCode::InvalidArgument, "PBKDF2 output is 1 to " + std::to_string(kPbkdf2MaxOutput) +
                                                         " bytes; asked for " + std::to_string(outLen));
    ensureSodium();
    // The keyed state after init is the same for every block and iteration: compute it once and
    // copy it, which halves the work compared with re-keying each HMAC.
    HmacState keyed;
    crypto_auth_hmacsha512_init(&keyed.st, password.data(), password.size());

    SecureBytes out(outLen);
    SecureBytes u(kHmacSha512Size), t(kHmacSha512Size);
    HmacState h;
    for (std::uint32_t block = 1; (std::size_t(block) - 1) * kHmacSha512Size < outLen; ++block) {
        const std::uint8_t be[4] = {std::uint8_t(block >> 24), std::uint8_t(block >> 16), std::uint8_t(block >> 8),
                                    std::uint8_t(block)};
        // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ U2 ^ ... ^ Uc.
        h.st = keyed.st;
        crypto_auth_hmacsha512_update(&h.st, salt.data(), salt.size());
        crypto_auth_hmacsha512_update(&h.st, be, sizeof be);
        crypto_auth_hmacsha512_final(&h.st, u.data());
        std::memcpy(t.data(), u.data(), kHmacSha512Size);
        for (std::uint32_t j = 1; j < iterations; ++j) {
            h.st = keyed.st;
            crypto_auth_hmacsha512_update(&h.st, u.data(), kHmacSha512Size);
            crypto_auth_hmacsha512_final(&h.st, u.data());
            for (std::size_t k = 0; k < kHmacSha512Size; ++k) t.data()[k] ^= u.data()[k];
        }
        const std::size_t offset = (std::size_t(block) - 1) * kHmacSha512Size;
        std::memcpy(out.data() + offset, t.data(), std::min(kHmacSha512Size, outLen - offset));
    }
    return out;
}

Status checkArgon2Params(const Argon2Params &p)
{
    if (p.opsLimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || p.opsLimit > kArgon2MaxOps)
        return makeError(ErrorCode::InvalidArgument,
                         "Argon2id needs 1 to " + std::to_string(kArgon2MaxOps) + " passes; got " +
                             std::to_string(p.opsLimit) + " (a wallet file with this setting is damaged)");
    if (p.memLimitBytes < crypto_pwhash_argon2id_MEMLIMIT_MIN || p.memLimitBytes > kArgon2MaxMemBytes)
        return makeError(ErrorCode::InvalidArgument,
                         "Argon2id memory must be 8 KiB to 4 GiB; got " + std::to_string(p.memLimitBytes) +
                             " bytes (a wallet file with this setting is damaged)");
    if (p.memLimitBytes % 1024 != 0)
        return makeError(ErrorCode::InvalidArgument,
                         "Argon2id memory must be a whole number of KiB; got " + std::to_string(p.memLimitBytes) +
                             " bytes (libsodium would silently round it down)");
    return {};
}

Expected<SecureBytes> argon2id(ByteView passphrase, ByteView salt, const Argon2Params &params, std::size_t outLen)
{
    BLYAN_CHECK(checkArgon2Params(params));
    if (salt.size() != kArgon2SaltSize)
        return makeError(ErrorCode::InvalidArgument, "an Argon2id salt is " + std::to_string(kArgon2SaltSize) +
                                                         " bytes; got " + std::to_string(salt.size()));
    if (outLen < kArgon2MinOutput || outLen > kArgon2MaxOutput)
        return makeError(ErrorCode::InvalidArgument,
                         "Argon2id output is " + std::to_string(kArgon2MinOutput) + " to " +
                             std::to_string(kArgon2MaxOutput) + " bytes; asked for " + std::to_string(outLen));
    if (passphrase.size() > crypto_pwhash_argon2id_PASSWD_MAX)
        return makeError(ErrorCode::InvalidArgument, "the passphrase is too long for Argon2id");
    ensureSodium();
    SecureBytes out(outLen);
    errno = 0;
    if (crypto_pwhash(out.data(), outLen, reinterpret_cast<const char *>(passphrase.data()), passphrase.size(),
                      salt.data(), params.opsLimit, std::size_t(params.memLimitBytes),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        // Every argument was checked above, so what is left is the memory allocation.
        const int err = errno;
        if (err == ENOMEM || err == 0)
            return makeError(ErrorCode::Unavailable,
                             "Argon2id needs " + mib(params.memLimitBytes) +
                                 " of memory and could not get it; close other programs and try again");
        return makeError(ErrorCode::Crypto, "Argon2id failed: " + std::string(std::strerror(err)));
    }
    return out;
}

Expected<std::chrono::milliseconds> timeArgon2id(const Argon2Params &params)
{
    // A fixed, non-secret input: only the duration matters.
    const std::uint8_t salt[kArgon2SaltSize] = {};
    const auto start = std::chrono::steady_clock::now();
    const Expected<SecureBytes> key = argon2id(asBytes("blyan calibration"), salt, params, 32);
    if (!key.ok()) return key.error();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
}

Expected<Argon2Params> calibrateArgon2id(std::chrono::milliseconds target)
{
    using std::chrono::milliseconds;
    if (target < milliseconds(50) || target > milliseconds(10000))
        return makeError(ErrorCode::InvalidArgument, "an Argon2id calibration target is 50 ms to 10 s; got " +
                                                         std::to_string(target.count()) + " ms");
    constexpr std::uint32_t kFirstOps = 2;
    Argon2Params p{kFirstOps, kArgon2DefaultMemBytes};

    // First point: 2 passes. If 64 MiB cannot be had, halve down to 16 MiB before giving up.
    Expected<milliseconds> t1 = timeArgon2id(p);
    while (!t1.ok() && t1.error().code == ErrorCode::Unavailable && p.memLimitBytes > (std::uint64_t(16) << 20)) {
        p.memLimitBytes /= 2;
        t1 = timeArgon2id(p);
    }
    if (!t1.ok()) return t1.error().context("calibrating Argon2id");
    const double first = std::max<double>(1.0, double(t1->count()));

    auto clampOps = [](double ops) {
        if (!(ops >= 1.0)) return std::uint32_t(1);  // also catches NaN
        return std::uint32_t(std::min(std::round(ops), double(kArgon2MaxOps)));
    };
    // Time grows linearly with passes; the first guess assumes no fixed cost.
    const std::uint32_t guess = clampOps(double(target.count()) * kFirstOps / first);
    if (guess <= kFirstOps) {
        p.opsLimit = guess;
        return p;
    }
    // Second point near the target separates the fixed cost (allocation, page faults) from the
    // per-pass cost, so the answer does not depend on how cold the first run was.
    p.opsLimit = guess;
    BLYAN_TRY(milliseconds t2, timeArgon2id(p));
    const double second = std::max<double>(1.0, double(t2.count()));
    double perPass = (second - first) / double(guess - kFirstOps);
    double fixed = first - kFirstOps * perPass;
    if (perPass <= 0.0 || fixed < 0.0) {  // noise: fall back to the proportional estimate
        perPass = second / guess;
        fixed = 0.0;
    }
    p.opsLimit = clampOps((double(target.count()) - fixed) / perPass);
    return p;
}

}  // namespace blyan::crypto
