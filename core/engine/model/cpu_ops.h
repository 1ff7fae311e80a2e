#pragma once
// Internal: fused CPU loops for bf16 activations in the batched path. Each replaces several LibTorch ops
// (and their intermediate tensors and parallel regions) with one pass, rounding to bf16 where HF's bf16
// modules do. Callers use them for contiguous bf16 CPU tensors when fastKernels() is on.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <cstring>

namespace blyan::engine::cpu {

// HF RMSNorm over the last dimension: w * bf16(x * rsqrt(mean(x^2) + eps)).
at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &w, double eps);
// x * cos + rotate_half(x) * sin for x [T, heads, d], cos/sin [T, d]; returns a new tensor.
at::Tensor rope(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin);
// silu(gu[:, :I]) * gu[:, I:] for gu [M, 2I].
at::Tensor swigluAct(const at::Tensor &gu);
// bf16 <-> float on bit patterns, inline because the loops call them per element.
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
    u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest even, as LibTorch converts
    return static_cast<uint16_t>(u >> 16);
}

}  // namespace blyan::engine::cpu
