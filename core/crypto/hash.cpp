#include "crypto/hash.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>

namespace blyan::crypto {

void ensureSodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            // Without a working CSPRNG nothing the node signs or encrypts is safe: stop here.
            std::fputs("blyan: libsodium failed to initialise; cannot continue safely\n", stderr);
            std::abort();
        }
    });
}

Hash256 blake2b256(ByteView data)
{
    ensureSodium();
    Hash256 out;
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
    return out;
}

Expected<Bytes> blake2b(ByteView data, std::size_t outLen)
{
    if (outLen < crypto_generichash_BYTES_MIN || outLen > crypto_generichash_BYTES_MAX)
        return makeError(ErrorCode::InvalidArgument,
                         "a BLAKE2b digest is 16 to 64 bytes; asked for " + std::to_string(outLen));
    ensureSodium();
    Bytes out(outLen);
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
    return out;
}

struct Blake2b256Stream::State {
    crypto_generichash_state st;
    bool finished = false;
};

Blake2b256Stream::Blake2b256Stream() : state_(std::make_unique<State>())
{
    ensureSodium();
    crypto_generichash_init(&state_->st, nullptr, 0, 32);
}

Blake2b256Stream::~Blake2b256Stream() { sodium_memzero(&state_->st, sizeof state_->st); }

void Blake2b256Stream::update(ByteView data)
{
    crypto_generichash_update(&state_->st, data.data(), data.size());
}

Hash256 Blake2b256Stream::finish()
{
    Hash256 out{};
    if (state_->finished) throw std::logic_error("Blake2b256Stream::finish called twice");
    state_->finished = true;
    crypto_generichash_final(&state_->st, out.data(), out.size());
    return out;
}

std::string hashToHex(const Hash256 &h) { return toHex(ByteView(h.data(), h.size())); }

Expected<Hash256> hashFromHex(std::string_view hex)
{
    if (hex.size() != 64)
        return makeError(ErrorCode::Malformed, "a hash is 64 hex digits; got " + std::to_string(hex.size()));
    BLYAN_TRY(auto b, fromHex(hex));
    Hash256 h;
    std::copy(b.begin(), b.end(), h.begin());
    return h;
}

}  // namespace blyan::crypto
