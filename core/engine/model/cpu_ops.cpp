#include "engine/model/cpu_ops.h"

#include "engine/kernels/elementwise.h"
#include "engine/kernels/thread_pool.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstring>

namespace blyan::engine::cpu {

namespace {

inline float r(float v) { return bf16ToFloat(floatToBf16(v)); }
const uint16_t *in(const at::Tensor &t) { return reinterpret_cast<const uint16_t *>(t.data_ptr()); }
uint16_t *out(at::Tensor &t) { return reinterpret_cast<uint16_t *>(t.data_ptr()); }
// Rows per parallel chunk: small tensors stay on one thread (a parallel region costs more than they do).
constexpr int64_t kGrainElements = 1 << 16;

}  // namespace

at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &w, double eps)
{
    const at::Tensor xc = x.contiguous();
    const int64_t n = x.size(-1), rows = xc.numel() / n;
    at::Tensor y = at::empty_like(xc);
    const uint16_t *src = in(xc), *wt = in(w);
    uint16_t *dst = out(y);
    kernels::parallelFor(rows, std::max<int64_t>(1, kGrainElements / n), [&](int64_t r0, int64_t r1) {
        for (int64_t rr = r0; rr < r1; ++rr) {
            kernels::rmsNormRow(src + rr * n, n, wt, static_cast<float>(eps), dst + rr * n);
        }
    });
    return y;
}

at::Tensor rope(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin)
{
    const at::Tensor xc = x.contiguous(), cc = cos.contiguous(), sc = sin.contiguous();
    const int64_t T = x.size(0), heads = x.size(1), d = x.size(2);
    at::Tensor y = at::empty_like(xc);
    const uint16_t *src = in(xc), *cs = in(cc), *sn = in(sc);
    uint16_t *dst = out(y);
    kernels::parallelFor(T, std::max<int64_t>(1, kGrainElements / (heads * d)), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const uint16_t *c = cs + t * d, *s = sn + t * d;
            for (int64_t h = 0; h < heads; ++h) {
                kernels::ropeHead(src + (t * heads + h) * d, d, c, s, dst + (t * heads + h) * d);
            }
        }
    });
    return y;
}

at::Tensor swigluAct(const at::Tensor &gu)
{
    const at::Tensor g = gu.contiguous();
    const int64_t M = g.size(0), I = g.size(1) / 2;
    at::Tensor y = at::empty({M, I}, g.options());
    const uint16_t *src = in(g);
    uint16_t *dst = out(y);
    for (int64_t m = 0; m < M; ++m) kernels::swigluRow(src + m * 2 * I, src + m * 2 * I + I, I, dst + m * I);
    return y;
}

}  // namespace blyan::engine::cpu
