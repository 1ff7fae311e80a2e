#include "p2p/frame.h"

#include <limits>
#include <string>

namespace blyan::p2p {

crypto::AeadNonce FrameCipher::nextNonce()
{
    crypto::AeadNonce n{};
    for (int i = 0; i < 8; ++i) n[i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
    ++counter_;
    return n;
}

Expected<Bytes> FrameCipher::seal(ByteView plaintext)
{
    if (counter_ == std::numeric_limits<std::uint64_t>::max())
        return makeError(ErrorCode::LimitExceeded, "frame counter exhausted; reconnect");
    const std::size_t ctLen = plaintext.size() + crypto::kAeadTagSize;
    if (ctLen > std::numeric_limits<std::uint32_t>::max())
        return makeError(ErrorCode::LimitExceeded, "frame too large");
    Bytes header(kFrameHeaderSize);
    for (std::size_t i = 0; i < kFrameHeaderSize; ++i) header[i] = static_cast<std::uint8_t>(ctLen >> (8 * i));
    BLYAN_TRY(Bytes ct, crypto::aeadEncrypt(key_, nextNonce(), plaintext, header));
    header.insert(header.end(), ct.begin(), ct.end());
    return header;
}

Expected<Bytes> FrameCipher::open(ByteView header, ByteView ciphertext)
{
    if (counter_ == std::numeric_limits<std::uint64_t>::max())
        return makeError(ErrorCode::LimitExceeded, "frame counter exhausted; reconnect");
    auto plain = crypto::aeadDecrypt(key_, nextNonce(), ciphertext, header);
    if (!plain) return makeError(ErrorCode::Crypto, "frame does not decrypt (tampered, replayed or out of order)");
    return plain;
}

Expected<std::uint32_t> frameLength(ByteView header, std::size_t maxCiphertext)
{
    if (header.size() != kFrameHeaderSize) return makeError(ErrorCode::Malformed, "frame header must be 4 bytes");
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < kFrameHeaderSize; ++i) n |= static_cast<std::uint32_t>(header[i]) << (8 * i);
    if (n < crypto::kAeadTagSize)
        return makeError(ErrorCode::Malformed, "frame of " + std::to_string(n) + " bytes is shorter than its tag");
    if (n > maxCiphertext)
        return makeError(ErrorCode::LimitExceeded, "frame of " + std::to_string(n) + " bytes is over the limit of " +
                                                       std::to_string(maxCiphertext));
    return n;
}

}  // namespace blyan::p2p
