#pragma once
// u64 <-> SQLite INTEGER at the storage boundary (the rule is explained in schema.h): values above
// INT64_MAX are refused when written, negative values are corruption when read.

#include "util/error.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace blyan::ledger {

inline Expected<std::int64_t> toSqlInt(std::uint64_t v, std::string_view what)
{
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return makeError(ErrorCode::LimitExceeded,
                         std::string(what) + " " + std::to_string(v) +
                             " is above 2^63-1, the largest value the ledger stores");
    return static_cast<std::int64_t>(v);
}

inline Expected<std::uint64_t> fromSqlInt(std::int64_t v, std::string_view what)
{
    if (v < 0)
        return makeError(ErrorCode::Corrupt, "ledger database: " + std::string(what) + " is negative (" +
                                                 std::to_string(v) + "); restore the data dir or resync");
    return static_cast<std::uint64_t>(v);
}

}  // namespace blyan::ledger
