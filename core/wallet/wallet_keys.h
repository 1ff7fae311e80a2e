#pragma once
// The wallet's secrets in use: the keystore file plus, while unlocked, the BIP-39 seed and the key that
// opens the keystore, both in secure memory and wiped on lock. Addresses are SLIP-0010 Ed25519 keys at
// m/44'/4344921'/account'/0'/index' (docs/protocol.md). Public keys of the first indices ("keypool") sit in
// the keystore's clear header so that the wallet can show and hand out addresses while locked.
//
// Single-threaded: owned by the node worker thread.

#include "crypto/bip39.h"
#include "wallet/keystore.h"

#include <QString>

#include <optional>

namespace blyan::wallet {

inline constexpr std::uint32_t kKeypoolSize = 100;     // public keys cached at creation and on refill
inline constexpr std::size_t kMinPassphraseLength = 8;  // characters (UTF-8 code points)

class WalletKeys {
public:
    // Creates the keystore at `path` (refuses to overwrite one) from `mnemonic` (+ BIP-39 passphrase),
    // encrypted under `passphrase` with Argon2id `kdf`. Returns unlocked keys.
    static Expected<WalletKeys> create(const QString &path, std::uint32_t networkId, const crypto::Mnemonic &mnemonic,
                                       std::string_view bip39Passphrase, std::string_view passphrase,
                                       const crypto::Argon2Params &kdf, std::int64_t nowMs);
    // Opens an existing keystore, locked. Refuses a keystore of another network.
    static Expected<WalletKeys> load(const QString &path, std::uint32_t networkId);

    bool unlocked() const { return !seed_.empty(); }
    // Argon2id (about half a second), then the AEAD. ErrorCode::WrongPassphrase when wrong.
    Status unlock(std::string_view passphrase);
    // With the 32-byte key kept in the OS keychain (no Argon2id).
    Status unlockWithKey(const crypto::SecureBytes &key);
    void lock();  // wipes the seed and the key
    // The key that opens the keystore (to put in the OS keychain); only while unlocked.
    Expected<crypto::SecureBytes> unlockKey() const;

    // Re-encrypts under a new passphrase with a fresh salt and nonce, atomically; checks `oldPassphrase`.
    Status changePassphrase(std::string_view oldPassphrase, std::string_view newPassphrase);
    // The recovery phrase; checks the passphrase even when unlocked (it is the one secret that gives all).
    Expected<crypto::SecureBytes> revealMnemonic(std::string_view passphrase) const;

    std::uint32_t keypoolSize() const { return static_cast<std::uint32_t>(keystore_.header().keypool.size()); }
    const crypto::PublicKey &publicKey(std::uint32_t index) const { return keystore_.header().keypool.at(index); }
    // Grows the keypool (needs the wallet unlocked): for getnewaddress past the cached keys.
    Status extendKeypool(std::uint32_t newSize);
    // The key pair at `index`; only while unlocked.
    Expected<crypto::KeyPair> keyPair(std::uint32_t index) const;
    const KeystoreHeader &header() const { return keystore_.header(); }

private:
    WalletKeys(QString path, Keystore ks) : path_(std::move(path)), keystore_(std::move(ks)) {}
    Status openWith(const crypto::SecureBytes &key);

    QString path_;
    Keystore keystore_;
    crypto::SecureBytes key_;   // the Argon2id output; empty when locked
    crypto::SecureBytes seed_;  // the BIP-39 seed; empty when locked
};

// Counts UTF-8 code points (passphrase length rules are in characters, not bytes).
std::size_t utf8Length(std::string_view s);

}  // namespace blyan::wallet
