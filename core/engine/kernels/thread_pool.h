#pragma once
// The engine's own workers for its CPU kernels. An OpenMP region (what at::parallel_for uses) ends in a
// barrier that waits for every thread to arrive, so on a machine shared with other work (the node's own
// threads, a game, a compiler) one descheduled thread stalls each of the ~80 regions of a decode step. Here
// the calling thread and the workers claim chunks from an atomic counter, and the caller waits only for the
// chunks to be done: a worker that wakes late finds nothing left and goes back to sleep. Workers spin
// briefly between jobs (decode issues them microseconds apart), then sleep on a futex.

#include <cstdint>
#include <functional>

namespace blyan::engine::kernels {

// Threads the pool uses, the caller included (set with the CPU thread count, engine::setCpuThreads).
void setThreads(int n);
int threads();

// Runs fn(begin, end) over [0, n) in pieces of at most `grain`, on the caller and the workers. Runs inline when there is one piece, one thread, when called from
// inside another parallelFor, or while another thread is using the pool.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)> &fn);

}  // namespace blyan::engine::kernels
