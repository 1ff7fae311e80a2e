#include "crypto/ed25519.h"

#include "crypto/hash.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace blyan::crypto {

static_assert(kEd25519PublicKeySize == crypto_sign_PUBLICKEYBYTES);
static_assert(kEd25519SecretKeySize == crypto_sign_SECRETKEYBYTES);
static_assert(kEd25519SeedSize == crypto_sign_SEEDBYTES);
static_assert(kEd25519SignatureSize == crypto_sign_BYTES);

Expected<SecretKey> SecretKey::fromBytes(SecureBytes secretKey64)
{
    if (secretKey64.size() != kEd25519SecretKeySize)
        return makeError(ErrorCode::Malformed, "an Ed25519 secret key is 64 bytes; got " +
                                                   std::to_string(secretKey64.size()));
    ensureSodium();
    // Re-derive from the seed: crypto_sign_ed25519_sk_to_pk would just copy the stored half back.
    PublicKey derived;
    SecureBytes scratch(kEd25519SecretKeySize);
    crypto_sign_seed_keypair(derived.data(), scratch.data(), secretKey64.data());
    if (sodium_memcmp(derived.data(), secretKey64.data() + kEd25519SeedSize, derived.size()) != 0)
        return makeError(ErrorCode::Crypto,
                         "the Ed25519 secret key is inconsistent (its public half does not match its "
                         "seed); the key file is corrupt, restore it from the wallet backup");
    return SecretKey(std::move(secretKey64));
}

SecureBytes SecretKey::seed() const { return SecureBytes::copyOf(sk_.view().first(kEd25519SeedSize)); }

PublicKey SecretKey::publicKey() const
{
    PublicKey pk;
    std::copy_n(sk_.data() + kEd25519SeedSize, pk.size(), pk.begin());
    return pk;
}

KeyPair KeyPair::generate()
{
    ensureSodium();
    PublicKey pk;
    SecureBytes sk(kEd25519SecretKeySize);
    crypto_sign_keypair(pk.data(), sk.data());
    return KeyPair(pk, SecretKey(std::move(sk)));
}

Expected<KeyPair> KeyPair::fromSeed(const SecureBytes &seed32)
{
    if (seed32.size() != kEd25519SeedSize)
        return makeError(ErrorCode::InvalidArgument,
                         "an Ed25519 seed is 32 bytes; got " + std::to_string(seed32.size()));
    ensureSodium();
    PublicKey pk;
    SecureBytes sk(kEd25519SecretKeySize);
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed32.data());
    return KeyPair(pk, SecretKey(std::move(sk)));
}

KeyPair KeyPair::fromSecretKey(SecretKey sk)
{
    PublicKey pk = sk.publicKey();
    return KeyPair(pk, std::move(sk));
}

Signature KeyPair::sign(ByteView message) const { return crypto::sign(sk_, message); }

Signature sign(const SecretKey &sk, ByteView message)
{
    ensureSodium();
    Signature sig;
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.bytes().data());
    return sig;
}

bool verify(const PublicKey &pk, ByteView message, const Signature &sig)
{
    ensureSodium();
    return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), pk.data()) == 0;
}

Expected<PublicKey> publicKeyFromBytes(ByteView bytes)
{
    if (bytes.size() != kEd25519PublicKeySize)
        return makeError(ErrorCode::Malformed,
                         "an Ed25519 public key is 32 bytes; got " + std::to_string(bytes.size()));
    ensureSodium();
    // Rejects non-canonical encodings, points off the curve and small-order points: such a key
    // could never have come from an honest key generator.
    if (crypto_core_ed25519_is_valid_point(bytes.data()) != 1)
        return makeError(ErrorCode::Crypto, "the 32 bytes are not a valid Ed25519 public key");
    PublicKey pk;
    std::copy(bytes.begin(), bytes.end(), pk.begin());
    return pk;
}

Expected<Signature> signatureFromBytes(ByteView bytes)
{
    if (bytes.size() != kEd25519SignatureSize)
        return makeError(ErrorCode::Malformed,
                         "an Ed25519 signature is 64 bytes; got " + std::to_string(bytes.size()));
    Signature sig;
    std::copy(bytes.begin(), bytes.end(), sig.begin());
    return sig;
}

}  // namespace blyan::crypto
