#pragma once
// Internal helpers for the chain decoders: every codec error gets the name of the field it hit
// ("transaction.fee: varint at offset 40 is not minimal"), because that message reaches RPC callers.

#include "crypto/hash.h"
#include "util/codec.h"

#include <string>

namespace blyan::chain::detail {

template <typename T>
Expected<T> field(Expected<T> e, const char *name)
{
    if (!e) return e.error().context(name);
    return e;
}

inline Expected<crypto::Hash256> readHash(Reader &r, const char *name)
{
    return field(r.fixedArray<32>(name), name);
}

inline Error fieldError(ErrorCode code, const char *name, const std::string &what)
{
    return makeError(code, std::string(name) + ": " + what);
}

}  // namespace blyan::chain::detail
