#pragma once
// Memory read bandwidth as the engine's threads see it now, for the decode roofline that `bench` prints:
// decoding streams every weight it uses once per token, so bytes per token / this bandwidth is the best
// possible time per token on this machine at this moment (a shared machine gives less than a quiet one).

#include <cstddef>

namespace blyan::engine::kernels {

// Best of `reps` passes reading a `bytes` buffer with the engine's workers; GB/s (1e9 bytes/s).
double measureReadBandwidth(std::size_t bytes = std::size_t(512) << 20, int reps = 5);

}  // namespace blyan::engine::kernels
