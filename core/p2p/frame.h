#pragma once
// Encrypted frames after the handshake (docs/protocol.md "Frames").
//
// On the wire: length u32 (little-endian, the ciphertext's size) || XChaCha20-Poly1305 ciphertext with
// its 16-byte tag. The length is the associated data, so it cannot be changed without the tag failing.
// The nonce is the frame counter of that direction (u64 little-endian, then 16 zero bytes) and never
// travels: a dropped, repeated or reordered frame fails to decrypt. A direction would need 2^64 frames
// to wrap the counter; the connection closes long before (FrameCipher refuses).

#include "crypto/aead.h"

#include <cstdint>

namespace blyan::p2p {

inline constexpr std::size_t kFrameHeaderSize = 4;

class FrameCipher {
public:
    FrameCipher() = default;
    explicit FrameCipher(crypto::SecureBytes key) : key_(std::move(key)) {}

    // The whole frame (length header included) for `plaintext`.
    Expected<Bytes> seal(ByteView plaintext);
    // `header` is the 4 length bytes as received, `ciphertext` the bytes they announced.
    Expected<Bytes> open(ByteView header, ByteView ciphertext);

private:
    crypto::AeadNonce nextNonce();
    crypto::SecureBytes key_;
    std::uint64_t counter_ = 0;
};

// Reads the length header; refuses a frame over maxCiphertext before any of it is buffered.
Expected<std::uint32_t> frameLength(ByteView header, std::size_t maxCiphertext);

}  // namespace blyan::p2p
