#pragma once
// Internal: fused CPU loops for bf16 activations in the batched path. Each replaces several LibTorch ops
// (and their intermediate tensors and parallel regions) with one pass, rounding to bf16 where HF's bf16
// modules do. Callers use them for contiguous bf16 CPU tensors when fastKernels() is on.

#include <ATen/core/Tensor.h>

namespace blyan::engine::cpu {

// HF RMSNorm over the last dimension: w * bf16(x * rsqrt(mean(x^2) + eps)).
at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &w, double eps);
// x * cos + rotate_half(x) * sin for x [T, heads, d], cos/sin [T, d]; returns a new tensor.
at::Tensor rope(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin);
// silu(gu[:, :I]) * gu[:, I:] for gu [M, 2I].
at::Tensor swigluAct(const at::Tensor &gu);
// Shared bf16 helpers.
float bf16ToFloat(uint16_t b);
uint16_t floatToBf16(float v);

}  // namespace blyan::engine::cpu
