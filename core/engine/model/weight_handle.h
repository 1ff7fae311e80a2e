#pragma once
// Internal: what a WeightHandle holds, for engine .cpp files that already include ATen.

#include "engine/model/expert_provider.h"

#include <ATen/core/Tensor.h>

namespace blyan::engine {

struct WeightHandle::Rep {
    at::Tensor tensor;
};

inline WeightHandle makeHandle(at::Tensor t)
{
    return WeightHandle(std::make_shared<const WeightHandle::Rep>(WeightHandle::Rep{std::move(t)}));
}

inline const at::Tensor &tensorOf(const WeightHandle &h)
{
    return h.rep()->tensor;
}

}  // namespace blyan::engine
