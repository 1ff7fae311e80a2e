#include "engine/model/expert_provider.h"

#include "engine/util/error.h"

#include <string>

namespace blyan::engine {

InMemoryExpertProvider::InMemoryExpertProvider(int layers, int experts)
    : layers_(layers), experts_(experts), weights_(static_cast<std::size_t>(layers) * static_cast<std::size_t>(experts))
{
}

ExpertWeights InMemoryExpertProvider::get(int layer, int expert)
{
    if (layer < 0 || layer >= layers_ || expert < 0 || expert >= experts_)
        throw EngineError("expert " + std::to_string(expert) + " of layer " + std::to_string(layer) + " does not exist");
    const auto &w = weights_[static_cast<std::size_t>(layer) * static_cast<std::size_t>(experts_) + static_cast<std::size_t>(expert)];
    if (!w.gateUp.valid())
        throw EngineError("expert " + std::to_string(expert) + " of layer " + std::to_string(layer) + " is not loaded");
    return w;
}

void InMemoryExpertProvider::set(int layer, int expert, ExpertWeights w)
{
    weights_.at(static_cast<std::size_t>(layer) * static_cast<std::size_t>(experts_) + static_cast<std::size_t>(expert)) = std::move(w);
}

}  // namespace blyan::engine
