#pragma once
// How routed experts reach the forward pass. The forward pass asks the provider for the experts the router
// chose, layer by layer, so an implementation may keep every expert in memory (InMemoryExpertProvider, the
// default), page them through a tiered cache, or fetch them from peers. Plain C++: weights travel as opaque
// WeightHandles that only engine .cpp files open (model/weight_handle.h).

#include <cstdint>
#include <memory>
#include <vector>

namespace blyan::engine {

// A reference-counted handle to one weight tensor on the model's device in its compute dtype.
class WeightHandle {
public:
    struct Rep;  // defined in model/weight_handle.h (holds an at::Tensor)
    WeightHandle() = default;
    explicit WeightHandle(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
    bool valid() const { return rep_ != nullptr; }
    const Rep *rep() const { return rep_.get(); }

private:
    std::shared_ptr<const Rep> rep_;
};

// One SwiGLU expert: out = down(silu(gate(x)) * up(x)).
struct ExpertWeights {
    WeightHandle gateUp;  // [2 * intermediate, hidden]: gate_proj rows, then up_proj rows (one matmul)
    WeightHandle down;    // [hidden, intermediate]
};

class ExpertProvider {
public:
    virtual ~ExpertProvider() = default;
    // The weights of expert `expert` of layer `layer`; may block while they are fetched. Called from the
    // inference thread only. Throws EngineError when the expert cannot be had.
    virtual ExpertWeights get(int layer, int expert) = 0;
    // A hint, before the get() calls of one layer, of which experts it will need (lets a cache fetch them
    // in parallel). The default ignores it.
    virtual void prefetch(int layer, const std::vector<int> &experts) { (void)layer, (void)experts; }
};

// Every expert resident on the model's device: filled by Model::load from the checkpoint.
class InMemoryExpertProvider final : public ExpertProvider {
public:
    InMemoryExpertProvider(int layers, int experts);
    ExpertWeights get(int layer, int expert) override;
    void set(int layer, int expert, ExpertWeights w);
    int layers() const { return layers_; }
    int experts() const { return experts_; }

private:
    int layers_, experts_;
    std::vector<ExpertWeights> weights_;
};

}  // namespace blyan::engine
