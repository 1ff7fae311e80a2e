#include "crypto/aead.h"

#include "crypto/hash.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace blyan::crypto {

static_assert(kAeadKeySize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

Status checkKey(const SecureBytes &key)
{
    if (key.size() != kAeadKeySize)
        return makeError(ErrorCode::InvalidArgument,
                         "an XChaCha20-Poly1305 key is 32 bytes; got " + std::to_string(key.size()));
    return {};
}

Expected<Bytes> encryptRaw(const std::uint8_t *key, const AeadNonce &nonce, ByteView plaintext, ByteView ad)
{
    if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
        return makeError(ErrorCode::LimitExceeded, "the message is too large to encrypt in one piece");
    ensureSodium();
    Bytes out(plaintext.size() + kAeadTagSize);
    unsigned long long outLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &outLen, plaintext.data(), plaintext.size(), ad.data(),
                                               ad.size(), nullptr, nonce.data(), key);
    out.resize(static_cast<std::size_t>(outLen));
    return out;
}

// Decrypts into out (sized by the caller to ciphertext.size() - tag).
Status decryptRaw(const std::uint8_t *key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad,
                  std::uint8_t *out, std::size_t outSize)
{
    ensureSodium();
    unsigned long long outLen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &outLen, nullptr, ciphertext.data(), ciphertext.size(),
                                                   ad.data(), ad.size(), nonce.data(), key) != 0) {
        secureZero(out, outSize);
        return makeError(ErrorCode::Crypto, "authentication failed: data was tampered with or the key is wrong");
    }
    return {};
}

Status checkCiphertext(ByteView ciphertext)
{
    if (ciphertext.size() < kAeadTagSize)
        return makeError(ErrorCode::Malformed, "the ciphertext is " + std::to_string(ciphertext.size()) +
                                                   " bytes, shorter than its 16-byte authentication tag");
    return {};
}

Expected<Bytes> decryptToBytes(const std::uint8_t *key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad)
{
    BLYAN_CHECK(checkCiphertext(ciphertext));
    Bytes out(ciphertext.size() - kAeadTagSize);
    BLYAN_CHECK(decryptRaw(key, nonce, ciphertext, ad, out.data(), out.size()));
    return out;
}

}  // namespace

AeadNonce randomAeadNonce()
{
    AeadNonce n;
    randomFill(n);
    return n;
}

Expected<AeadNonce> aeadNonceFromBytes(ByteView bytes)
{
    if (bytes.size() != kAeadNonceSize)
        return makeError(ErrorCode::Malformed,
                         "an XChaCha20-Poly1305 nonce is 24 bytes; got " + std::to_string(bytes.size()));
    AeadNonce n;
    std::copy(bytes.begin(), bytes.end(), n.begin());
    return n;
}

Expected<Bytes> aeadEncrypt(const SecureBytes &key, const AeadNonce &nonce, ByteView plaintext, ByteView ad)
{
    BLYAN_CHECK(checkKey(key));
    return encryptRaw(key.data(), nonce, plaintext, ad);
}

Expected<Bytes> aeadEncrypt(const AeadKey &key, const AeadNonce &nonce, ByteView plaintext, ByteView ad)
{
    return encryptRaw(key.data(), nonce, plaintext, ad);
}

Expected<Bytes> aeadDecrypt(const SecureBytes &key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad)
{
    BLYAN_CHECK(checkKey(key));
    return decryptToBytes(key.data(), nonce, ciphertext, ad);
}

Expected<Bytes> aeadDecrypt(const AeadKey &key, const AeadNonce &nonce, ByteView ciphertext, ByteView ad)
{
    return decryptToBytes(key.data(), nonce, ciphertext, ad);
}

Expected<SecureBytes> aeadDecryptSecret(const SecureBytes &key, const AeadNonce &nonce, ByteView ciphertext,
                                        ByteView ad)
{
    BLYAN_CHECK(checkKey(key));
    BLYAN_CHECK(checkCiphertext(ciphertext));
    SecureBytes out(ciphertext.size() - kAeadTagSize);
    BLYAN_CHECK(decryptRaw(key.data(), nonce, ciphertext, ad, out.data(), out.size()));
    return out;
}

}  // namespace blyan::crypto
