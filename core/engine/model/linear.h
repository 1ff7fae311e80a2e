#pragma once
// Internal: y = x W^T (+ b), routed to the AVX512-BF16 kernels for few-row bf16 products on CPU (decode
// steps, experts with a handful of tokens, the last token's lm_head) and to at::linear otherwise.

#include <ATen/core/Tensor.h>

namespace blyan::engine {

// Rows up to which products go to the bf16 kernel: it streams weights at memory speed for few rows and
// matches oneDNN's single-thread speed up to a few hundred (64 rows x 1536 x 1024: 660 vs 704 us); beyond
// this, oneDNN's blocking wins.
constexpr int64_t kSmallRows = 128;

// Enables or disables the CPU kernels process-wide (tests compare both paths). Enabled by default where
// the CPU has AVX512-BF16.
void setFastKernels(bool on);
bool fastKernels();

at::Tensor fastLinear(const at::Tensor &x, const at::Tensor &w, const at::Tensor &bias = {});
// The same with a float32 result (logits), without rounding through bf16.
at::Tensor fastLinearFloat(const at::Tensor &x, const at::Tensor &w);

}  // namespace blyan::engine
