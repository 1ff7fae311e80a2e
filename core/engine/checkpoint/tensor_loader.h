#pragma once
// Internal (engine .cpp files only, pulls in ATen): checkpoint entries as LibTorch tensors.
// A tensor whose file dtype is the compute dtype, on CPU, is a zero-copy view of the mapping (the view keeps
// the mapping alive); others are converted. FP8 e4m3 weights are dequantised with their block scales
// (`<name>_scale_inv`, block size from quantization_config.weight_block_size), as DeepSeek-V3 and the
// Qwen3-FP8 checkpoints define them: w = fp8 * scale_inv[row / b0, col / b1].

#include "engine/checkpoint/checkpoint.h"

#include <ATen/core/Tensor.h>

#include <string_view>
#include <vector>

namespace blyan::engine {

struct TensorTarget {
    at::ScalarType dtype = at::kFloat;
    at::Device device = at::kCPU;
};

// Loads `name`, checks its shape against `shape` (what config.json implies) and converts it.
// Throws EngineError naming the file and tensor.
at::Tensor loadTensor(const Checkpoint &ck, std::string_view name, const std::vector<int64_t> &shape,
                      const TensorTarget &target);

// The 256 e4m3fn code points as float (NaN for 0x7f/0xff), for dequantisation and for tests.
const std::vector<float> &e4m3Table();

}  // namespace blyan::engine
