#pragma once
// Seeded random checkpoints in the real Hugging Face layout (config.json as HF writes it for the
// architecture, tensor names, safetensors files, sharding with an index), for tests and benchmarks.
// Weight scales keep activations O(1) and logits spread (standard deviation about 2) but not one-hot, so
// that greedy generations depend on the prompt and no single token takes all the probability.
// Plain C++.

#include <cstdint>
#include <string>
#include <vector>

namespace blyan::engine {

struct TestModelSpec {
    std::string arch = "qwen3_moe";  // qwen3_moe, qwen2_moe, mixtral, olmoe, qwen3, llama
    int64_t hidden = 64;
    int64_t layers = 2;
    int64_t experts = 8;
    int64_t topK = 2;
    int64_t moeIntermediate = 32;
    int64_t intermediate = 128;        // dense MLP layers (qwen3, llama, mlp_only_layers)
    int64_t sharedIntermediate = 64;   // qwen2_moe shared expert
    int64_t heads = 4;
    int64_t kvHeads = 2;
    int64_t headDim = 16;
    int64_t vocab = 0;                 // 0: 151936 with a tokenizer, 512 without
    int64_t maxPositions = 40960;
    bool tied = false;
    bool normTopkProb = true;          // qwen3_moe's default; qwen2_moe and olmoe ship false
    std::vector<int64_t> mlpOnlyLayers;
    std::string dtype = "bf16";        // f32, bf16, f16, fp8 (block-scaled e4m3, other tensors bf16)
    int64_t fp8Block = 128;
    uint64_t seed = 0;
    uint64_t maxShardBytes = 5'000'000'000;  // HF's default max_shard_size "5GB"
    std::string tokenizerDir;          // copies tokenizer.json and tokenizer_config.json from here
};

// Writes the checkpoint into `outDir` (created if needed). Throws EngineError on bad shapes or I/O errors.
void makeTestModel(const TestModelSpec &spec, const std::string &outDir);

}  // namespace blyan::engine
