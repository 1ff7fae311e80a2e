#pragma once
// CPU kernels for the shapes decoding is made of: a few activation rows times a large bf16 weight matrix
// (one token's projections, an expert's handful of tokens, the lm_head). LibTorch's CPU bf16 matmul streams
// such weights at a fraction of memory bandwidth; these kernels use AVX512-BF16 dot products (VDPBF16PS,
// f32 accumulation, as oneDNN does), streaming one weight row at a time against up to 8 activation rows, and split the
// weight rows across the engine's workers (kernels/thread_pool.h). Plain C++ (pointer-based); callers
// check bf16Available().

#include <cstdint>

namespace blyan::engine::kernels {

// True when this CPU has AVX512-BF16 (checked once) and the kernels were compiled in.
bool bf16Available();

// y[m * ldy + n] = sum_k x[m * K + k] * w[n * K + k] for m < M, n < N; x and w are bf16 bit patterns.
// Output as float, or as bf16 (round to nearest even).
void gemmBf16(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, float *y, int64_t ldy);
void gemmBf16(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, uint16_t *y, int64_t ldy);

// Weight rows [n0, n1) only, on the calling thread: for callers that put several products in one parallel job.
void gemmBf16Rows(const uint16_t *x, int64_t M, const uint16_t *w, int64_t K, uint16_t *y, int64_t ldy, int64_t n0, int64_t n1);

}  // namespace blyan::engine::kernels
