#include "engine/model/cpu_ops.h"

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
            const uint16_t *a = src + rr * n;
            float ss = 0;
            for (int64_t i = 0; i < n; ++i) {
                const float v = bf16ToFloat(a[i]);
                ss += v * v;
            }
            const float rs = 1.0f / std::sqrt(ss / static_cast<float>(n) + static_cast<float>(eps));
            uint16_t *o = dst + rr * n;
            for (int64_t i = 0; i < n; ++i) o[i] = floatToBf16(bf16ToFloat(wt[i]) * r(bf16ToFloat(a[i]) * rs));
        }
    });
    return y;
}

at::Tensor rope(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin)
{
    const at::Tensor xc = x.contiguous(), cc = cos.contiguous(), sc = sin.contiguous();
    const int64_t T = x.size(0), heads = x.size(1), d = x.size(2), half = d / 2;
    at::Tensor y = at::empty_like(xc);
    const uint16_t *src = in(xc), *cs = in(cc), *sn = in(sc);
    uint16_t *dst = out(y);
    kernels::parallelFor(T, std::max<int64_t>(1, kGrainElements / (heads * d)), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const uint16_t *c = cs + t * d, *s = sn + t * d;
            for (int64_t h = 0; h < heads; ++h) {
                const uint16_t *a = src + (t * heads + h) * d;
                uint16_t *o = dst + (t * heads + h) * d;
                for (int64_t i = 0; i < half; ++i) {
                    const float x1 = bf16ToFloat(a[i]), x2 = bf16ToFloat(a[i + half]);
                    // HF rounds each bf16 product and the sum: x*cos + rotate_half(x)*sin.
                    o[i] = floatToBf16(r(x1 * bf16ToFloat(c[i])) + r(-x2 * bf16ToFloat(s[i])));
                    o[i + half] = floatToBf16(r(x2 * bf16ToFloat(c[i + half])) + r(x1 * bf16ToFloat(s[i + half])));
                }
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
    for (int64_t m = 0; m < M; ++m)
        for (int64_t i = 0; i < I; ++i) {
            const float a = bf16ToFloat(src[m * 2 * I + i]);
            dst[m * I + i] = floatToBf16(r(a / (1.0f + std::exp(-a))) * bf16ToFloat(src[m * 2 * I + I + i]));
        }
    return y;
}

}  // namespace blyan::engine::cpu
