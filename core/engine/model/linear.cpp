#include "engine/model/linear.h"

#include "engine/kernels/gemm_bf16.h"

#include <ATen/ATen.h>

#include <atomic>

namespace blyan::engine {

namespace {

std::atomic<bool> g_fast{true};

bool useKernel(const at::Tensor &x, const at::Tensor &w)
{
    return g_fast.load(std::memory_order_relaxed) && x.dim() == 2 && x.size(0) <= kSmallRows && x.device().is_cpu() &&
           x.scalar_type() == at::kBFloat16 && w.scalar_type() == at::kBFloat16 && w.dim() == 2 && w.is_contiguous() &&
           kernels::bf16Available();
}

const uint16_t *bits(const at::Tensor &t) { return reinterpret_cast<const uint16_t *>(t.data_ptr()); }

}  // namespace

void setFastKernels(bool on) { g_fast.store(on); }
bool fastKernels() { return g_fast.load() && kernels::bf16Available(); }

at::Tensor fastLinear(const at::Tensor &x, const at::Tensor &w, const at::Tensor &bias)
{
    if (!useKernel(x, w)) return bias.defined() ? at::linear(x, w, bias) : at::linear(x, w);
    const at::Tensor xc = x.contiguous();
    at::Tensor y = at::empty({x.size(0), w.size(0)}, x.options());
    kernels::gemmBf16(bits(xc), xc.size(0), bits(w), w.size(0), w.size(1), reinterpret_cast<uint16_t *>(y.data_ptr()), w.size(0));
    return bias.defined() ? y.add_(bias) : y;
}

at::Tensor fastLinearFloat(const at::Tensor &x, const at::Tensor &w)
{
    if (!useKernel(x, w)) return at::linear(x, w).to(at::kFloat);
    const at::Tensor xc = x.contiguous();
    at::Tensor y = at::empty({x.size(0), w.size(0)}, x.options().dtype(at::kFloat));
    kernels::gemmBf16(bits(xc), xc.size(0), bits(w), w.size(0), w.size(1), y.data_ptr<float>(), w.size(0));
    return y;
}

}  // namespace blyan::engine
