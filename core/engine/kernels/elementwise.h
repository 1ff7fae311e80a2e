#pragma once
// Row-wise elementwise loops of the bf16 CPU path (norms, RoPE, SwiGLU activation, weighted expert sums),
// in AVX-512 with the same bf16 rounding steps as the scalar code they replace: each step that HF's bf16
// modules round is rounded here (round to nearest even, NaN kept). The compiler does not vectorise those
// loops itself (the project builds for baseline x86-64, and std::exp stays a scalar call), and at a
// 64-token prompt they took about a sixth of the time. Plain C++ on bf16 bit patterns; callers check
// bf16Available() (kernels/gemm_bf16.h), as for the matrix kernels.

#include <cstdint>

namespace blyan::engine::kernels {

// out = bf16(w * bf16(x * rsqrt(mean(x^2) + eps))) over one row of n values (float sum of squares).
void rmsNormRow(const uint16_t *x, int64_t n, const uint16_t *w, float eps, uint16_t *out);

// Rotate-half RoPE of one head of d values: out = x * cos + rotate_half(x) * sin, each product and the sum
// rounded to bf16. out may equal x.
void ropeHead(const uint16_t *x, int64_t d, const uint16_t *cos, const uint16_t *sin, uint16_t *out);

// out = bf16(bf16(silu(gate)) * up) over n values. silu uses an exp accurate to about 1 ulp, like the
// vectorised exp LibTorch uses for its own silu.
void swigluRow(const uint16_t *gate, const uint16_t *up, int64_t n, uint16_t *out);

// acc = r(acc + r(y * w)) over n values, r = round to bf16: one expert's weighted output added the way
// HF's bf16 index_add_ adds it.
void addScaledRounded(float *acc, const uint16_t *y, float w, int64_t n);

}  // namespace blyan::engine::kernels
