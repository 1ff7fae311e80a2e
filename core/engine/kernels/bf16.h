#pragma once
// bf16 <-> float on bit patterns, the one copy every CPU loop uses. Inline: the loops call them per element.
// Conversion to bf16 rounds to nearest even (as LibTorch converts) and keeps NaN a NaN.

#include <cstdint>
#include <cstring>

namespace blyan::engine::kernels {

inline float bf16ToFloat(uint16_t b)
{
    const uint32_t u = static_cast<uint32_t>(b) << 16;
    float v;
    std::memcpy(&v, &u, 4);
    return v;
}

inline uint16_t floatToBf16(float v)
{
    uint32_t u;
    std::memcpy(&u, &v, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // NaN stays NaN
    u += 0x7fffu + ((u >> 16) & 1u);                                                        // round to nearest even
    return static_cast<uint16_t>(u >> 16);
}

// The value as HF's bf16 modules hold it after a rounded step.
inline float roundBf16(float v) { return bf16ToFloat(floatToBf16(v)); }

}  // namespace blyan::engine::kernels
