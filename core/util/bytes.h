#pragma once
// Byte containers shared by every subsystem, and hex conversion for display and test vectors.

#include "util/error.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blyan {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

std::string toHex(ByteView bytes);
// Strict: even length, [0-9a-fA-F] only.
Expected<Bytes> fromHex(std::string_view hex);

inline ByteView asBytes(std::string_view s)
{
    return ByteView(reinterpret_cast<const std::uint8_t *>(s.data()), s.size());
}

template <std::size_t N>
ByteView asBytes(const std::array<std::uint8_t, N> &a) { return ByteView(a.data(), a.size()); }

}  // namespace blyan
