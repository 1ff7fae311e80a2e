#include "wallet/keystore.h"

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "storage/atomic_file.h"
#include "util/codec.h"

#include <algorithm>
#include <cstring>

namespace blyan::wallet {

namespace {

constexpr std::array<std::uint8_t, 4> kMagic{'B', 'L', 'Y', 'W'};
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kKdfArgon2id13 = 1;
constexpr std::size_t kChecksumSize = 32;
// Plaintext: u8 entropy length, entropy, u16 passphrase length, passphrase.
constexpr std::size_t kMaxBip39Passphrase = 1024;

Bytes encodeHeader(const KeystoreHeader &h)
{
    Writer w;
    w.raw(ByteView(kMagic.data(), kMagic.size()));
    w.u8(kVersion);
    w.u32(h.networkId);
    w.u8(kKdfArgon2id13);
    w.u32(h.kdf.opsLimit);
    w.u64(h.kdf.memLimitBytes);
    w.raw(ByteView(h.salt.data(), h.salt.size()));
    w.u64(h.createdMs);
    w.u32(h.account);
    w.varint(h.keypool.size());
    for (const auto &pk : h.keypool) w.raw(ByteView(pk.data(), pk.size()));
    return w.take();
}

Error damaged(const std::string &what)
{
    return Error(ErrorCode::Corrupt, "the wallet keystore is damaged (" + what +
                                         "); nothing was changed. Restore it from a backup or from the recovery "
                                         "phrase");
}

// The fields after magic and version.
Expected<KeystoreHeader> decodeHeaderFields(Reader &r)
{
    KeystoreHeader h;
    BLYAN_TRY(h.networkId, r.u32());
    BLYAN_TRY(const std::uint8_t alg, r.u8());
    if (alg != kKdfArgon2id13)
        return makeError(ErrorCode::Malformed, "unknown key-derivation algorithm " + std::to_string(alg));
    BLYAN_TRY(h.kdf.opsLimit, r.u32());
    BLYAN_TRY(h.kdf.memLimitBytes, r.u64());
    BLYAN_CHECK(crypto::checkArgon2Params(h.kdf));
    BLYAN_TRY(h.salt, r.fixedArray<16>("salt"));
    BLYAN_TRY(h.createdMs, r.u64());
    BLYAN_TRY(h.account, r.u32());
    BLYAN_TRY(const std::uint64_t count, r.varint(kKeypoolMax, "keypool size"));
    h.keypool.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        BLYAN_TRY(const auto pk, r.fixedArray<crypto::kEd25519PublicKeySize>("public key"));
        h.keypool.push_back(pk);
    }
    return h;
}

}  // namespace

Expected<Keystore> Keystore::decode(ByteView file)
{
    if (file.size() > kKeystoreMaxSize) return damaged("larger than 1 MiB");
    if (file.size() < kMagic.size() || !std::equal(kMagic.begin(), kMagic.end(), file.begin()))
        return makeError(ErrorCode::Malformed, "this is not a Blyan wallet keystore (it does not start with BLYW)");
    if (file.size() < kChecksumSize + kMagic.size() + 1) return damaged("truncated");
    // The checksum first: a damaged file is reported as damaged, never as a wrong passphrase.
    const ByteView body = file.first(file.size() - kChecksumSize);
    const crypto::Hash256 sum = crypto::blake2b256(body);
    if (!std::equal(sum.begin(), sum.end(), file.end() - static_cast<std::ptrdiff_t>(kChecksumSize)))
        return damaged("checksum mismatch: truncated or modified");

    Reader r(body);
    Keystore k;
    KeystoreHeader &h = k.header_;
    auto fail = [](const Error &e) { return damaged(e.message); };
    if (!r.raw(kMagic.size())) return damaged("truncated");
    auto version = r.u8();
    if (!version) return fail(version.error());
    if (*version != kVersion)
        return makeError(ErrorCode::Malformed, "the wallet keystore has format version " + std::to_string(*version) +
                                                   ", this Blyan reads version 1; use a newer Blyan");
    auto header = decodeHeaderFields(r);
    if (!header) return fail(header.error());
    h = std::move(*header);
    auto nonce = r.fixedArray<24>("nonce");
    if (!nonce) return fail(nonce.error());
    k.nonce_ = *nonce;
    auto ct = r.bytes(4096, "ciphertext");
    if (!ct) return fail(ct.error());
    if (Status s = r.finish(); !s.ok()) return fail(s.error());
    k.ciphertext_ = std::move(*ct);
    return k;
}

Expected<Keystore> Keystore::load(const QString &path)
{
    auto bytes = storage::readSmallFile(path, kKeystoreMaxSize);
    if (!bytes) {
        if (bytes.error().code == ErrorCode::LimitExceeded) return damaged("larger than 1 MiB");
        return bytes.error();
    }
    auto k = decode(*bytes);
    if (!k) return k.error().context(path.toStdString());
    return k;
}

Expected<crypto::SecureBytes> Keystore::deriveKey(std::string_view passphrase, const KeystoreHeader &header)
{
    return crypto::argon2id(asBytes(passphrase), ByteView(header.salt.data(), header.salt.size()), header.kdf,
                            crypto::kAeadKeySize);
}

Expected<Keystore> Keystore::seal(KeystoreHeader header, const KeystoreSecrets &secrets, const crypto::SecureBytes &key)
{
    const std::size_t n = secrets.entropy.size();
    if (n < 16 || n > 32 || n % 4 != 0)
        return makeError(ErrorCode::InvalidArgument, "keystore: BIP-39 entropy must be 16 to 32 bytes");
    if (secrets.bip39Passphrase.size() > kMaxBip39Passphrase)
        return makeError(ErrorCode::InvalidArgument, "keystore: the BIP-39 passphrase is longer than 1024 bytes");
    if (header.keypool.size() > kKeypoolMax) return makeError(ErrorCode::LimitExceeded, "keystore: keypool too large");
    BLYAN_CHECK(crypto::checkArgon2Params(header.kdf));

    // The plaintext is built in secure memory: no copy of the entropy lands on the ordinary heap.
    const std::size_t p = secrets.bip39Passphrase.size();
    crypto::SecureBytes plain(1 + n + 2 + p);
    plain.data()[0] = static_cast<std::uint8_t>(n);
    std::memcpy(plain.data() + 1, secrets.entropy.data(), n);
    plain.data()[1 + n] = static_cast<std::uint8_t>(p & 0xFF);
    plain.data()[2 + n] = static_cast<std::uint8_t>(p >> 8);
    if (p) std::memcpy(plain.data() + 3 + n, secrets.bip39Passphrase.data(), p);

    Keystore k;
    k.header_ = std::move(header);
    k.nonce_ = crypto::randomAeadNonce();
    const Bytes ad = encodeHeader(k.header_);
    BLYAN_TRY(k.ciphertext_, crypto::aeadEncrypt(key, k.nonce_, plain.view(), ad));
    return k;
}

Expected<KeystoreSecrets> Keystore::open(const crypto::SecureBytes &key) const
{
    const Bytes ad = encodeHeader(header_);
    auto plain = crypto::aeadDecryptSecret(key, nonce_, ciphertext_, ad);
    if (!plain) return makeError(ErrorCode::WrongPassphrase, "the wallet passphrase is wrong");
    const crypto::SecureBytes &pt = *plain;
    if (pt.size() < 3) return damaged("encrypted payload too short");
    const std::size_t n = pt.data()[0];
    if (n < 16 || n > 32 || n % 4 != 0 || pt.size() < 1 + n + 2) return damaged("bad entropy length");
    const std::size_t p = static_cast<std::size_t>(pt.data()[1 + n]) | (static_cast<std::size_t>(pt.data()[2 + n]) << 8);
    if (pt.size() != 1 + n + 2 + p || p > kMaxBip39Passphrase) return damaged("bad payload length");
    KeystoreSecrets s;
    s.entropy = crypto::SecureBytes::copyOf(ByteView(pt.data() + 1, n));
    if (p) s.bip39Passphrase = crypto::SecureBytes::copyOf(ByteView(pt.data() + 3 + n, p));
    return s;
}

Bytes Keystore::encode() const
{
    Writer w;
    w.raw(encodeHeader(header_));
    w.raw(ByteView(nonce_.data(), nonce_.size()));
    w.bytes(ciphertext_);
    Bytes out = w.take();
    const crypto::Hash256 sum = crypto::blake2b256(out);
    out.insert(out.end(), sum.begin(), sum.end());
    return out;
}

Status Keystore::save(const QString &path) const
{
    return storage::writeFileAtomic(path, encode());
}

}  // namespace blyan::wallet
