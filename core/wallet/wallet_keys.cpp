#include "wallet/wallet_keys.h"

#include "crypto/aead.h"
#include "crypto/slip10.h"

#include <QFileInfo>

namespace blyan::wallet {

std::size_t utf8Length(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

static Status checkNewPassphrase(std::string_view p)
{
    if (utf8Length(p) < kMinPassphraseLength)
        return makeError(ErrorCode::InvalidArgument, "the wallet passphrase must have at least " +
                                                         std::to_string(kMinPassphraseLength) +
                                                         " characters; a longer phrase of several words is better");
    if (p.size() > 1024) return makeError(ErrorCode::InvalidArgument, "the wallet passphrase is longer than 1024 bytes");
    return {};
}

Expected<WalletKeys> WalletKeys::create(const QString &path, std::uint32_t networkId, const crypto::Mnemonic &mnemonic,
                                        std::string_view bip39Passphrase, std::string_view passphrase,
                                        const crypto::Argon2Params &kdf, std::int64_t nowMs)
{
    if (QFileInfo::exists(path))
        return makeError(ErrorCode::AlreadyExists, "a wallet already exists in this data dir (" + path.toStdString() +
                                                       "); it is never overwritten");
    BLYAN_CHECK(checkNewPassphrase(passphrase));
    BLYAN_TRY(crypto::SecureBytes seed, mnemonic.seed(bip39Passphrase));

    KeystoreHeader h;
    h.networkId = networkId;
    h.kdf = kdf;
    crypto::randomFill(h.salt);
    h.createdMs = static_cast<std::uint64_t>(nowMs);
    h.account = 0;
    for (std::uint32_t i = 0; i < kKeypoolSize; ++i) {
        BLYAN_TRY(const auto kp, crypto::deriveBlyanKeyPair(seed.view(), h.account, i));
        h.keypool.push_back(kp.publicKey());
    }
    BLYAN_TRY(crypto::SecureBytes key, Keystore::deriveKey(passphrase, h));
    KeystoreSecrets secrets;
    secrets.entropy = crypto::SecureBytes::copyOf(mnemonic.entropy().view());
    secrets.bip39Passphrase = crypto::SecureBytes::copyOf(asBytes(bip39Passphrase));
    BLYAN_TRY(Keystore ks, Keystore::seal(std::move(h), secrets, key));
    BLYAN_CHECK(ks.save(path));
    WalletKeys w(path, std::move(ks));
    w.key_ = std::move(key);
    w.seed_ = std::move(seed);
    return w;
}

Expected<WalletKeys> WalletKeys::load(const QString &path, std::uint32_t networkId)
{
    BLYAN_TRY(Keystore ks, Keystore::load(path));
    if (ks.header().networkId != networkId)
        return makeError(ErrorCode::InvalidArgument, "the wallet in " + path.toStdString() +
                                                         " belongs to another network; use that network's data dir");
    if (ks.header().keypool.empty())
        return makeError(ErrorCode::Corrupt, "the wallet keystore has no keys; restore it from the recovery phrase");
    return WalletKeys(path, std::move(ks));
}

Status WalletKeys::openWith(const crypto::SecureBytes &key)
{
    BLYAN_TRY(const KeystoreSecrets secrets, keystore_.open(key));
    BLYAN_TRY(const crypto::Mnemonic m, crypto::Mnemonic::fromEntropy(secrets.entropy.view()));
    const std::string_view bip39Pass(reinterpret_cast<const char *>(secrets.bip39Passphrase.data()),
                                     secrets.bip39Passphrase.size());
    BLYAN_TRY(crypto::SecureBytes seed, m.seed(bip39Pass));
    // The clear header's public keys must be the ones the seed gives: a swapped key would send a
    // payment to someone else's address. (The AEAD already binds the header; this checks the derivation.)
    BLYAN_TRY(const auto first, crypto::deriveBlyanKeyPair(seed.view(), keystore_.header().account, 0));
    if (first.publicKey() != keystore_.header().keypool.front())
        return makeError(ErrorCode::Corrupt, "the wallet keystore's addresses do not match its keys; restore it from "
                                             "the recovery phrase");
    key_ = crypto::SecureBytes::copyOf(key.view());
    seed_ = std::move(seed);
    return {};
}

Status WalletKeys::unlock(std::string_view passphrase)
{
    BLYAN_TRY(const crypto::SecureBytes key, Keystore::deriveKey(passphrase, keystore_.header()));
    return openWith(key);
}

Status WalletKeys::unlockWithKey(const crypto::SecureBytes &key)
{
    if (key.size() != crypto::kAeadKeySize)
        return makeError(ErrorCode::InvalidArgument, "the stored unlock key has the wrong size");
    return openWith(key);
}

void WalletKeys::lock()
{
    key_.reset();
    seed_.reset();
}

Expected<crypto::SecureBytes> WalletKeys::unlockKey() const
{
    if (!unlocked()) return makeError(ErrorCode::WalletLocked, "the wallet is locked");
    return crypto::SecureBytes::copyOf(key_.view());
}

Status WalletKeys::changePassphrase(std::string_view oldPassphrase, std::string_view newPassphrase)
{
    BLYAN_CHECK(checkNewPassphrase(newPassphrase));
    BLYAN_TRY(const crypto::SecureBytes oldKey, Keystore::deriveKey(oldPassphrase, keystore_.header()));
    BLYAN_TRY(const KeystoreSecrets secrets, keystore_.open(oldKey));
    KeystoreHeader h = keystore_.header();
    crypto::randomFill(h.salt);
    BLYAN_TRY(crypto::SecureBytes newKey, Keystore::deriveKey(newPassphrase, h));
    BLYAN_TRY(Keystore ks, Keystore::seal(std::move(h), secrets, newKey));
    BLYAN_CHECK(ks.save(path_));
    keystore_ = std::move(ks);
    if (unlocked()) key_ = std::move(newKey);
    return {};
}

Expected<crypto::SecureBytes> WalletKeys::revealMnemonic(std::string_view passphrase) const
{
    BLYAN_TRY(const crypto::SecureBytes key, Keystore::deriveKey(passphrase, keystore_.header()));
    BLYAN_TRY(const KeystoreSecrets secrets, keystore_.open(key));
    BLYAN_TRY(const crypto::Mnemonic m, crypto::Mnemonic::fromEntropy(secrets.entropy.view()));
    return crypto::SecureBytes::copyOf(asBytes(m.text()));
}

Status WalletKeys::extendKeypool(std::uint32_t newSize)
{
    if (!unlocked()) return makeError(ErrorCode::WalletLocked, "unlock the wallet to derive more addresses");
    if (newSize > kKeypoolMax)
        return makeError(ErrorCode::LimitExceeded, "the wallet has handed out its " + std::to_string(kKeypoolMax) +
                                                       " addresses; reuse one of them");
    KeystoreHeader h = keystore_.header();
    for (std::uint32_t i = static_cast<std::uint32_t>(h.keypool.size()); i < newSize; ++i) {
        BLYAN_TRY(const auto kp, crypto::deriveBlyanKeyPair(seed_.view(), h.account, i));
        h.keypool.push_back(kp.publicKey());
    }
    BLYAN_TRY(const KeystoreSecrets secrets, keystore_.open(key_));
    BLYAN_TRY(Keystore ks, Keystore::seal(std::move(h), secrets, key_));
    BLYAN_CHECK(ks.save(path_));
    keystore_ = std::move(ks);
    return {};
}

Expected<crypto::KeyPair> WalletKeys::keyPair(std::uint32_t index) const
{
    if (!unlocked()) return makeError(ErrorCode::WalletLocked, "the wallet is locked; unlock it with walletpassphrase");
    if (index >= keypoolSize()) return makeError(ErrorCode::NotFound, "no wallet key at index " + std::to_string(index));
    BLYAN_TRY(auto kp, crypto::deriveBlyanKeyPair(seed_.view(), keystore_.header().account, index));
    if (kp.publicKey() != publicKey(index))
        return makeError(ErrorCode::Corrupt, "the wallet keystore's address " + std::to_string(index) +
                                                 " does not match its key; restore it from the recovery phrase");
    return kp;
}

}  // namespace blyan::wallet
