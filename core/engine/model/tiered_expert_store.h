#pragma once
// An ExpertProvider that pages routed experts through three tiers (DESIGN.md section 7), so that a model
// larger than the GPU, or than RAM, still runs:
//
//   GPU budget      experts on the model's CUDA device (absent on a CPU device)
//   RAM budget      experts converted to the compute dtype in host memory (pinned when the device is CUDA,
//                   so the copy to the GPU is a DMA)
//   mapped files    every expert's safetensors file memory-mapped (the OS page cache; evictable, costs no
//                   budget); a miss in both budgets converts from here
//
// Each tier is an LRU bounded in bytes. Before a layer's get() calls the forward pass calls prefetch() with
// the experts it chose: the store hands the ones not resident to a background thread (so that two experts
// load at once), and predicts the next layer's experts (the most used ones of that layer so far) and loads
// them too. Handles are reference-counted, so evicting an expert never frees weights a step still uses.
//
// Every expert's file is checked once, before its first use, by the caller's VerifyFn (core/model checks
// the payload hash of the chain object); a failure there is an EngineError naming the object, and the
// expert stays unusable (asked again, it is verified again). Per-expert use counts record which experts
// ran, for the answer's record of which chain objects served it.
//
// Plain C++ (pimpl); the tensor side is in tiered_expert_store.cpp. Thread-safe.

#include "engine/checkpoint/config.h"
#include "engine/model/expert_provider.h"
#include "engine/model/model.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace blyan::engine {

struct ExpertFile {
    std::string path;  // a safetensors file holding this expert's tensors under their HF names; "" = missing
    std::string name;  // how errors name it (the chain object, e.g. "layer3.expert17")
    std::string missingReason;  // why path is empty, for the error
};

struct TieredStoreOptions {
    uint64_t gpuBudgetBytes = 0;  // ignored on a CPU device
    uint64_t ramBudgetBytes = 0;
    bool prefetch = true;         // background loading of chosen and predicted experts
};

struct TieredStoreStats {
    uint64_t gets = 0, gpuHits = 0, ramHits = 0, coldLoads = 0;
    uint64_t coldBytes = 0;        // bytes read from the mapped files by cold loads
    double coldSeconds = 0;        // time those loads took (conversion included)
    uint64_t prefetchLoads = 0;    // cold loads done by the prefetch thread
    uint64_t evictions = 0;
    uint64_t verified = 0;         // experts whose file passed VerifyFn
    uint64_t gpuBytes = 0, ramBytes = 0;  // resident now
    uint64_t gpuResident = 0, ramResident = 0;
    uint64_t gpuBudget = 0, ramBudget = 0;
    bool gpuTier = false;          // the device is CUDA
    uint64_t expertBytes = 0;      // one expert in the compute dtype
};

class TieredExpertStore final : public ExpertProvider {
public:
    // Throws EngineError before the first use of an expert whose file fails the check.
    using VerifyFn = std::function<void(int layer, int expert)>;

    // `files` has layers x experts entries (index layer * experts + expert). The device and dtype must be
    // those the model is loaded with (Model::computeDtypeName).
    TieredExpertStore(const ModelConfig &config, const ModelOptions &model, const TieredStoreOptions &options,
                      std::vector<ExpertFile> files, VerifyFn verify);
    ~TieredExpertStore() override;

    ExpertWeights get(int layer, int expert) override;
    void prefetch(int layer, const std::vector<int> &experts) override;

    void setBudgets(uint64_t gpuBytes, uint64_t ramBytes);  // evicts at once when lowered
    TieredStoreStats stats() const;
    // How many forward steps ran each expert (index layer * experts + expert), since the last reset.
    std::vector<uint32_t> usage() const;
    void resetUsage();
    // Loads every expert into the tiers (the benchmark's "all resident"); returns the first error.
    void warmAll();

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

}  // namespace blyan::engine
