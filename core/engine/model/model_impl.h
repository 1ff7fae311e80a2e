#pragma once
// Internal (pulls in ATen): the weights of a loaded model and its forward pass over LibTorch tensors.
// Used by the runtime (Generator, perplexity, bench) and the tests.

#include "engine/checkpoint/checkpoint.h"
#include "engine/model/model.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

namespace blyan::engine {

struct LayerWeights {
    at::Tensor inputNorm, postNorm;      // [hidden]
    at::Tensor qkv, qkvBias;             // q, k, v projections stacked: [(heads + 2 kv_heads) * head_dim, hidden]
    at::Tensor o, oBias;                 // [hidden, heads * head_dim]
    at::Tensor qNorm, kNorm;             // [head_dim] (per head) or [heads * head_dim] (olmoe), undefined if none
    bool moe = false;
    at::Tensor router;                   // [experts, hidden]
    at::Tensor mlpGateUp, mlpDown;       // dense MLP layers
    at::Tensor sharedGateUp, sharedDown, sharedGate;  // qwen2_moe shared expert and its sigmoid gate [1, hidden]
};

struct DecodeWorkspace;

// Keys and values of every layer for one sequence, preallocated to `capacity` positions, and the scratch
// buffers of the CPU decode path (per sequence, so that sequences can run on different threads).
struct KvCache {
    std::vector<at::Tensor> k, v;  // per layer [kv_heads, capacity, head_dim]
    int64_t length = 0;            // positions filled
    int64_t capacity = 0;
    std::shared_ptr<DecodeWorkspace> workspace;  // made on first use
};

struct Model::Impl {
    ModelConfig config;
    ModelOptions options;
    at::ScalarType dtype = at::kFloat;
    at::Device device = at::kCPU;
    std::shared_ptr<Checkpoint> checkpoint;  // its mappings back the zero-copy weights
    at::Tensor embed, finalNorm, lmHead;     // lmHead aliases embed when tied
    std::vector<LayerWeights> layers;
    at::Tensor ropeCos, ropeSin;             // [maxContext, head_dim], HF's cat(freqs, freqs) layout
    std::shared_ptr<ExpertProvider> experts;
    int64_t externalExpertParameters = 0;  // routed experts served from outside the checkpoint's files
    int64_t maxContext = 0;

    KvCache newCache(int64_t capacity = 0) const;  // 0: maxContext

    // Runs `tokens` (int64 [T] on the device) at positions cache.length .. cache.length + T - 1 and appends
    // their keys and values. Returns float32 logits [T, vocab], or [1, vocab] for the last token only.
    // Throws EngineError when the cache would overflow.
    at::Tensor forward(KvCache &cache, const at::Tensor &tokens, bool allLogits);

    // Building blocks, exposed for tests and the bench.
    at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &w) const;
    at::Tensor attention(const LayerWeights &l, const at::Tensor &h, KvCache &cache, int layer, const at::Tensor &mask);
    at::Tensor moe(const LayerWeights &l, int layer, const at::Tensor &h);
    // One token on CPU in bf16 with the AVX512-BF16 kernels (model/decode_cpu.cpp); forward() picks it.
    at::Tensor decodeCpuBf16(KvCache &cache, int64_t token);
};

// down(silu(gate(x)) * up(x)) with gate/up stacked in one matrix (model/moe.cpp).
at::Tensor swiglu(const at::Tensor &x, const at::Tensor &gateUp, const at::Tensor &down);

// Converts a LibTorch error into EngineError with context; use around calls into LibTorch at API edges.
[[noreturn]] void rethrowTorch(const std::string &context, const std::exception &e);

}  // namespace blyan::engine
