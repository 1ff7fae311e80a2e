#pragma once
// A loaded model: its config, its weights on a device in a compute dtype, and the experts behind an
// ExpertProvider. Plain C++ (pimpl); the forward pass over LibTorch tensors is model/model_impl.h, used by
// the runtime (Generator, perplexity, bench).

#include "engine/checkpoint/config.h"
#include "engine/model/expert_provider.h"

#include <cstdint>
#include <memory>
#include <string>

namespace blyan::engine {

struct ModelOptions {
    std::string device = "cpu";  // "cpu", "cuda", "cuda:1"
    // "auto": bf16 for bf16/fp8 checkpoints (f32 on CPU for f16 ones: CPU f16 matmul is slow), the
    // checkpoint's dtype otherwise; or "bf16", "f16", "f32".
    std::string dtype = "auto";
    int64_t maxContext = 4096;   // KV cache length sessions preallocate (capped by max_position_embeddings)
};

// A loaded Model is read-only during inference: several Generators, each with its own KV cache, may run on
// different threads at once.
class Checkpoint;

class Model {
public:
    struct Impl;
    // Opens DIR (config.json + safetensors), checks every tensor against the config, converts it to the
    // compute dtype on the device. With `experts` null, every routed expert is loaded into an
    // InMemoryExpertProvider; otherwise the given provider serves them. Throws EngineError.
    static std::shared_ptr<Model> load(const std::string &dir, const ModelOptions &options = {},
                                       std::shared_ptr<ExpertProvider> experts = nullptr);
    // The same from an assembled checkpoint (Checkpoint::fromFiles: a model whose components are chain
    // objects). With `experts` given, the checkpoint needs no routed-expert tensors at all.
    static std::shared_ptr<Model> load(std::shared_ptr<Checkpoint> checkpoint, const ModelOptions &options,
                                       std::shared_ptr<ExpertProvider> experts);
    // The compute dtype ("bf16", "f16", "f32") load() picks for this config and these options, so that an
    // ExpertProvider built before the model converts its experts the same way. Throws for an unknown dtype.
    static std::string computeDtypeName(const ModelConfig &config, const ModelOptions &options);
    ~Model();

    const ModelConfig &config() const;
    const ModelOptions &options() const;
    std::string dtypeName() const;   // "bf16", "f32", "f16"
    std::string deviceName() const;  // "cpu", "cuda:0"
    int64_t maxContext() const;
    int64_t parameterCount() const;  // all parameters (every expert counted), as llama-bench's "params"
    uint64_t weightBytes() const;    // parameters x compute dtype size
    // Bytes of weights one decoded token reads: embeddings row, attention, router, top-k experts (and shared
    // experts / dense MLPs), the whole lm_head. Divided by memory bandwidth it gives the decode roofline.
    uint64_t bytesPerDecodedToken() const;
    ExpertProvider &experts();

    Impl &impl() { return *d_; }

private:
    Model();
    std::unique_ptr<Impl> d_;
};

}  // namespace blyan::engine
