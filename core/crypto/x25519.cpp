#include "crypto/x25519.h"

#include "crypto/hash.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace blyan::crypto {

static_assert(kX25519KeySize == crypto_scalarmult_BYTES);
static_assert(kX25519KeySize == crypto_scalarmult_SCALARBYTES);
static_assert(kX25519KeySize == crypto_kx_PUBLICKEYBYTES && kX25519KeySize == crypto_kx_SECRETKEYBYTES);
static_assert(kSessionKeySize == crypto_kx_SESSIONKEYBYTES);

namespace {

Error badPeer()
{
    return makeError(ErrorCode::Crypto,
                     "key exchange failed: the peer's public key is invalid (low-order point, all-zero secret)");
}

Status checkSecret(const SecureBytes &secret)
{
    if (secret.size() != kX25519KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         "an X25519 secret key is 32 bytes; got " + std::to_string(secret.size()));
    return {};
}

}  // namespace

X25519KeyPair X25519KeyPair::generate()
{
    ensureSodium();
    X25519KeyPair kp;
    kp.secretKey = SecureBytes(kX25519KeySize);
    crypto_kx_keypair(kp.publicKey.data(), kp.secretKey.data());
    return kp;
}

Expected<X25519KeyPair> X25519KeyPair::fromSecret(SecureBytes secret32)
{
    BLYAN_CHECK(checkSecret(secret32));
    ensureSodium();
    X25519KeyPair kp;
    if (crypto_scalarmult_base(kp.publicKey.data(), secret32.data()) != 0)
        return makeError(ErrorCode::Crypto, "this X25519 secret key yields no usable public key");
    kp.secretKey = std::move(secret32);
    return kp;
}

Expected<X25519PublicKey> x25519PublicKeyFromBytes(ByteView bytes)
{
    if (bytes.size() != kX25519KeySize)
        return makeError(ErrorCode::Malformed,
                         "an X25519 public key is 32 bytes; got " + std::to_string(bytes.size()));
    X25519PublicKey pk;
    std::copy(bytes.begin(), bytes.end(), pk.begin());
    return pk;
}

Expected<SecureBytes> x25519(const SecureBytes &secret, const X25519PublicKey &peer)
{
    BLYAN_CHECK(checkSecret(secret));
    ensureSodium();
    SecureBytes shared(crypto_scalarmult_BYTES);
    // libsodium already returns -1 for an all-zero result; checking again costs nothing and keeps
    // the guarantee even if the library's behaviour changes.
    if (crypto_scalarmult(shared.data(), secret.data(), peer.data()) != 0 ||
        sodium_is_zero(shared.data(), shared.size()) == 1)
        return badPeer();
    return shared;
}

Expected<SessionKeys> clientSessionKeys(const X25519KeyPair &client, const X25519PublicKey &server)
{
    BLYAN_CHECK(checkSecret(client.secretKey));
    ensureSodium();
    SessionKeys keys{SecureBytes(kSessionKeySize), SecureBytes(kSessionKeySize)};
    if (crypto_kx_client_session_keys(keys.rx.data(), keys.tx.data(), client.publicKey.data(),
                                      client.secretKey.data(), server.data()) != 0)
        return badPeer();
    return keys;
}

Expected<SessionKeys> serverSessionKeys(const X25519KeyPair &server, const X25519PublicKey &client)
{
    BLYAN_CHECK(checkSecret(server.secretKey));
    ensureSodium();
    SessionKeys keys{SecureBytes(kSessionKeySize), SecureBytes(kSessionKeySize)};
    if (crypto_kx_server_session_keys(keys.rx.data(), keys.tx.data(), server.publicKey.data(),
                                      server.secretKey.data(), client.data()) != 0)
        return badPeer();
    return keys;
}

}  // namespace blyan::crypto
