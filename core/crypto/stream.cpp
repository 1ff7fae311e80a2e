#include "crypto/stream.h"

#include <sodium.h>

namespace blyan::crypto {

void chacha20Keystream(const Hash256 &key, std::span<std::uint8_t> out)
{
    static_assert(sizeof(Hash256) == crypto_stream_chacha20_KEYBYTES);
    ensureSodium();
    // A fixed nonce is safe here: the key is a hash of the data and the output is public, never a cipher.
    const std::uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {};
    crypto_stream_chacha20(out.data(), out.size(), nonce, key.data());
}

}  // namespace blyan::crypto
