#pragma once
// What the compute runtime under the engine is and can do: LibTorch version, CPU threads, CUDA.
// Plain C++ on purpose: included by node/ and the UI without pulling in LibTorch headers.

#include <string>

namespace blyan::engine {

struct RuntimeInfo {
    std::string backend;          // "LibTorch 1.13.0"
    int cpuThreads = 1;           // intra-op threads LibTorch uses now
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    bool cudaCompiled = false;    // this LibTorch build has CUDA kernels at all
};

RuntimeInfo runtimeInfo();

// LibTorch defaults to a single intra-op thread on some systems; the node sets it from settings.
// n <= 0 means "one per hardware core".
void setCpuThreads(int n);

// "CPU (2 threads)" or "CPU (16 threads), CUDA x1"
std::string describeDevices(const RuntimeInfo &info);

}  // namespace blyan::engine
