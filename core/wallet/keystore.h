#pragma once
// The wallet's keystore file (<datadir>/wallet/keystore.blyw): the BIP-39 entropy (and the optional BIP-39
// passphrase) encrypted at rest with XChaCha20-Poly1305 under a key stretched from the user's passphrase
// by Argon2id, plus a clear header with what the wallet needs while locked (network, KDF parameters, a
// pool of derived public keys so addresses can be shown and handed out without the passphrase).
//
// The header is the AEAD's associated data, so a changed header fails at the next unlock; a BLAKE2b
// checksum over the whole file tells a damaged file (truncated, bit flips, edited) apart from a wrong
// passphrase without trying the passphrase. Layout in docs/protocol.md ("Wallet keystore").

#include "crypto/ed25519.h"
#include "crypto/kdf.h"
#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace blyan::wallet {

inline constexpr std::size_t kKeystoreMaxSize = 1024 * 1024;
inline constexpr std::uint32_t kKeypoolMax = 10'000;

struct KeystoreHeader {
    std::uint32_t networkId = 0;
    crypto::Argon2Params kdf{};
    std::array<std::uint8_t, 16> salt{};
    std::uint64_t createdMs = 0;
    std::uint32_t account = 0;                  // SLIP-0010 account of the keys below
    std::vector<crypto::PublicKey> keypool;     // public keys of indices 0..n-1
};

// What the encryption protects.
struct KeystoreSecrets {
    crypto::SecureBytes entropy;           // 16..32 bytes of BIP-39 entropy
    crypto::SecureBytes bip39Passphrase;   // UTF-8, may be empty
};

class Keystore {
public:
    // Parses a keystore file strictly (magic, version, limits, checksum). Nothing is decrypted.
    static Expected<Keystore> decode(ByteView file);
    static Expected<Keystore> load(const QString &path);

    // Encrypts `secrets` under `key` (from deriveKey) with a fresh nonce.
    static Expected<Keystore> seal(KeystoreHeader header, const KeystoreSecrets &secrets, const crypto::SecureBytes &key);

    // Argon2id(passphrase, header.salt, header.kdf) → the 32-byte encryption key (about half a second).
    static Expected<crypto::SecureBytes> deriveKey(std::string_view passphrase, const KeystoreHeader &header);

    // ErrorCode::WrongPassphrase ("the passphrase is wrong") when the key does not open it.
    Expected<KeystoreSecrets> open(const crypto::SecureBytes &key) const;

    Bytes encode() const;
    // Atomic replace (temp + fsync + rename), owner-only.
    Status save(const QString &path) const;

    const KeystoreHeader &header() const { return header_; }

private:
    KeystoreHeader header_;
    std::array<std::uint8_t, 24> nonce_{};
    Bytes ciphertext_;
};

}  // namespace blyan::wallet
