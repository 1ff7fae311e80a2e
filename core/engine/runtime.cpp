#include "engine/runtime.h"

#include "engine/kernels/thread_pool.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <thread>

namespace blyan::engine {

RuntimeInfo runtimeInfo()
{
    RuntimeInfo info;
    info.backend = std::string("LibTorch ") + TORCH_VERSION;
    info.cpuThreads = at::get_num_threads();
    info.cudaCompiled = at::hasCUDA();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    return info;
}

void setCpuThreads(int n)
{
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
    kernels::setThreads(n);  // the engine's CPU kernels run on their own pool (kernels/thread_pool.h)
}

std::string describeDevices(const RuntimeInfo &info)
{
    std::string s = "CPU (" + std::to_string(info.cpuThreads) + (info.cpuThreads == 1 ? " thread)" : " threads)");
    if (info.cudaAvailable) s += ", CUDA x" + std::to_string(info.cudaDeviceCount);
    return s;
}

}  // namespace blyan::engine
