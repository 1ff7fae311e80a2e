// One decode step (a single token) on CPU in bf16 without LibTorch ops: at one token the forward pass is a
// few hundred tiny operations whose dispatch and allocation cost as much as streaming the weights, so this
// path runs them as plain loops over preallocated buffers and sends every matrix product to the
// AVX512-BF16 kernels. It rounds to bf16 where HF's bf16 modules produce bf16 tensors (norm outputs,
// projections, the residual stream, expert outputs), so it agrees with the batched path to bf16 precision;
// softmaxes and the attention itself run in float32.
#include "engine/model/model_impl.h"

#include "engine/kernels/bf16.h"
#include "engine/kernels/elementwise.h"
#include "engine/kernels/gemm_bf16.h"
#include "engine/kernels/thread_pool.h"
#include "engine/model/weight_handle.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace blyan::engine {

namespace {

inline float f(uint16_t b) { return kernels::bf16ToFloat(b); }
inline uint16_t bf(float v) { return kernels::floatToBf16(v); }
inline float r(float v) { return kernels::roundBf16(v); }  // round to bf16 and back

const uint16_t *bits(const at::Tensor &t) { return reinterpret_cast<const uint16_t *>(t.data_ptr()); }
uint16_t *bits(at::Tensor &t) { return reinterpret_cast<uint16_t *>(t.data_ptr()); }

// y[N] = W[N, K] x[K]; W must be a contiguous bf16 CPU matrix (checked: providers may hand anything).
template <typename Out>
void matvec(const at::Tensor &w, const uint16_t *x, Out *y)
{
    if (w.scalar_type() != at::kBFloat16 || !w.is_contiguous() || !w.device().is_cpu() || w.dim() != 2)
        throw EngineError("decode: a weight is not a contiguous bf16 CPU matrix");
    kernels::gemmBf16(x, 1, bits(w), w.size(0), w.size(1), y, w.size(0));
}

// HF RMSNorm in bf16: w * bf16(x * rsqrt(mean(x^2) + eps)), rounded to bf16.
void rmsNormRow(const float *x, int64_t n, const uint16_t *w, double eps, uint16_t *out)
{
    double ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
    const float rs = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(n) + eps));
    for (int64_t i = 0; i < n; ++i) out[i] = bf(f(w[i]) * r(x[i] * rs));
}

void rmsNormInPlace(uint16_t *x, int64_t n, const uint16_t *w, double eps)
{
    double ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(f(x[i])) * f(x[i]);
    const float rs = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(n) + eps));
    for (int64_t i = 0; i < n; ++i) x[i] = bf(f(w[i]) * r(f(x[i]) * rs));
}

}  // namespace

struct DecodeWorkspace {
    std::vector<float> x, acc, scores, attnF;
    at::Tensor h, qkv, attn, proj, gu, act, y;  // bf16 buffers
    at::Tensor experts;                          // gate/up, activations and outputs of a layer's chosen experts
};

at::Tensor Model::Impl::decodeCpuBf16(KvCache &cache, int64_t token)
{
    const ModelConfig &c = config;
    const int64_t H = c.hiddenSize, d = c.headDim, nh = c.numHeads, nkv = c.numKvHeads, g = nh / nkv;
    const int64_t P = cache.length, L = P + 1;
    if (!cache.workspace) {
        cache.workspace = std::make_shared<DecodeWorkspace>();
        auto &w = *cache.workspace;
        const auto bf16 = at::TensorOptions().dtype(at::kBFloat16);
        int64_t inter = std::max({c.intermediateSize, c.moeIntermediateSize, c.sharedExpertIntermediateSize});
        w.x.resize(static_cast<std::size_t>(H));
        w.acc.resize(static_cast<std::size_t>(H));
        w.attnF.resize(static_cast<std::size_t>(d * g));
        w.h = at::empty({H}, bf16);
        w.qkv = at::empty({(nh + 2 * nkv) * d}, bf16);
        w.attn = at::empty({nh * d}, bf16);
        w.proj = at::empty({H}, bf16);
        w.gu = at::empty({2 * inter}, bf16);
        w.act = at::empty({inter}, bf16);
        w.y = at::empty({H}, bf16);
    }
    DecodeWorkspace &w = *cache.workspace;
    w.scores.resize(static_cast<std::size_t>(g * L));
    float *x = w.x.data();
    uint16_t *h = bits(w.h), *qkv = bits(w.qkv), *attn = bits(w.attn), *proj = bits(w.proj);
    const double eps = c.rmsNormEps;

    const uint16_t *emb = bits(embed) + token * H;
    for (int64_t i = 0; i < H; ++i) x[i] = f(emb[i]);
    const uint16_t *cosP = bits(ropeCos) + P * d, *sinP = bits(ropeSin) + P * d;
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));

    // out[H] += SwiGLU expert (gate/up stacked) of h, times `weight`, accumulated as HF's bf16 index_add_.
    auto swiglu = [&](const at::Tensor &gateUp, const at::Tensor &down, float weight, float *acc) {
        const int64_t I = down.size(1);
        uint16_t *gu = bits(w.gu), *act = bits(w.act), *y = bits(w.y);
        matvec(gateUp, h, gu);
        kernels::swigluRow(gu, gu + I, I, act);
        kernels::gemmBf16(act, 1, bits(down), H, I, y, H);
        kernels::addScaledRounded(acc, y, weight, H);
    };

    // The chosen experts of a layer as two parallel jobs (every gate/up product, then every down product)
    // instead of two per expert: fewer hand-overs between threads per token.
    auto routedExperts = [&](std::size_t li, const std::vector<int> &chosen, const std::vector<float> &probs, float norm, float *acc) {
        const int64_t n = static_cast<int64_t>(chosen.size());
        std::vector<ExpertWeights> ew;
        for (int e : chosen) ew.push_back(experts->get(static_cast<int>(li), e));
        const int64_t I = tensorOf(ew[0].down).size(1);
        for (const auto &e : ew)
            for (const at::Tensor *t : {&tensorOf(e.gateUp), &tensorOf(e.down)})
                if (t->scalar_type() != at::kBFloat16 || !t->is_contiguous() || !t->device().is_cpu())
                    throw EngineError("decode: an expert weight is not a contiguous bf16 CPU matrix");
        if (w.experts.numel() < n * (3 * I + H)) w.experts = at::empty({n * (3 * I + H)}, at::kBFloat16);
        uint16_t *gu = bits(w.experts), *act = gu + n * 2 * I, *y = act + n * I;
        constexpr int64_t kPiece = 64;  // weight rows per piece of work
        const int64_t guPieces = (2 * I + kPiece - 1) / kPiece, dnPieces = (H + kPiece - 1) / kPiece;
        kernels::parallelFor(n * guPieces, 1, [&](int64_t p0, int64_t p1) {
            for (int64_t p = p0; p < p1; ++p) {
                const int64_t e = p / guPieces, r0 = (p % guPieces) * kPiece;
                kernels::gemmBf16Rows(h, 1, bits(tensorOf(ew[static_cast<std::size_t>(e)].gateUp)), H, gu + e * 2 * I, 2 * I, r0,
                                      std::min(2 * I, r0 + kPiece));
            }
        });
        for (int64_t e = 0; e < n; ++e) kernels::swigluRow(gu + e * 2 * I, gu + e * 2 * I + I, I, act + e * I);
        kernels::parallelFor(n * dnPieces, 1, [&](int64_t p0, int64_t p1) {
            for (int64_t p = p0; p < p1; ++p) {
                const int64_t e = p / dnPieces, r0 = (p % dnPieces) * kPiece;
                kernels::gemmBf16Rows(act + e * I, 1, bits(tensorOf(ew[static_cast<std::size_t>(e)].down)), I, y + e * H, H, r0,
                                      std::min(H, r0 + kPiece));
            }
        });
        for (int64_t e = 0; e < n; ++e) {
            const float weight = r(probs[static_cast<std::size_t>(chosen[static_cast<std::size_t>(e)])] * norm);
            kernels::addScaledRounded(acc, y + e * H, weight, H);
        }
    };

    for (std::size_t li = 0; li < layers.size(); ++li) {
        const LayerWeights &l = layers[li];
        rmsNormRow(x, H, bits(l.inputNorm), eps, h);
        matvec(l.qkv, h, qkv);
        if (l.qkvBias.defined()) {
            const uint16_t *b = bits(l.qkvBias);
            for (int64_t i = 0; i < (nh + 2 * nkv) * d; ++i) qkv[i] = bf(f(qkv[i]) + f(b[i]));
        }
        uint16_t *q = qkv, *k = qkv + nh * d, *v = qkv + (nh + nkv) * d;
        if (c.qkNormFull) {
            rmsNormInPlace(q, nh * d, bits(l.qNorm), eps);
            rmsNormInPlace(k, nkv * d, bits(l.kNorm), eps);
        }
        for (int64_t hh = 0; hh < nh; ++hh) {
            if (c.qkNormPerHead) rmsNormInPlace(q + hh * d, d, bits(l.qNorm), eps);
            kernels::ropeHead(q + hh * d, d, cosP, sinP, q + hh * d);
        }
        uint16_t *K = bits(cache.k[li]), *V = bits(cache.v[li]);
        const int64_t cap = cache.capacity;
        for (int64_t kv = 0; kv < nkv; ++kv) {
            if (c.qkNormPerHead) rmsNormInPlace(k + kv * d, d, bits(l.kNorm), eps);
            kernels::ropeHead(k + kv * d, d, cosP, sinP, k + kv * d);
            std::memcpy(K + (kv * cap + P) * d, k + kv * d, static_cast<std::size_t>(d) * 2);
            std::memcpy(V + (kv * cap + P) * d, v + kv * d, static_cast<std::size_t>(d) * 2);
        }
        // Attention per KV group: the group's g query heads against its keys (one kernel call), softmax,
        // then the weighted sum of values.
        for (int64_t kv = 0; kv < nkv; ++kv) {
            float *s = w.scores.data();
            kernels::gemmBf16(q + kv * g * d, g, K + kv * cap * d, L, d, s, L);
            float *o = w.attnF.data();
            std::fill(o, o + g * d, 0.0f);
            for (int64_t gi = 0; gi < g; ++gi) {
                float *row = s + gi * L;
                float mx = -INFINITY;
                for (int64_t j = 0; j < L; ++j) mx = std::max(mx, row[j] *= scale);
                float sum = 0;
                for (int64_t j = 0; j < L; ++j) sum += row[j] = std::exp(row[j] - mx);
                const float inv = 1.0f / sum;
                float *og = o + gi * d;
                for (int64_t j = 0; j < L; ++j) {
                    const float p = row[j] * inv;
                    const uint16_t *vj = V + (kv * cap + j) * d;
                    for (int64_t e = 0; e < d; ++e) og[e] += p * f(vj[e]);
                }
            }
            for (int64_t i = 0; i < g * d; ++i) attn[kv * g * d + i] = bf(o[i]);
        }
        matvec(l.o, attn, proj);
        if (l.oBias.defined())
            for (int64_t i = 0; i < H; ++i) proj[i] = bf(f(proj[i]) + f(bits(l.oBias)[i]));
        for (int64_t i = 0; i < H; ++i) x[i] = r(x[i] + f(proj[i]));

        rmsNormRow(x, H, bits(l.postNorm), eps, h);
        float *acc = w.acc.data();
        std::fill(acc, acc + H, 0.0f);
        if (!l.moe) {
            swiglu(l.mlpGateUp, l.mlpDown, 1.0f, acc);
        } else {
            const int64_t E = c.numExperts, topK = c.topK;
            std::vector<float> logits(static_cast<std::size_t>(E));
            matvec(l.router, h, logits.data());
            float mx = -INFINITY;
            for (auto &z : logits) mx = std::max(mx, z = r(z));  // HF's router output is a bf16 tensor
            double sum = 0;
            for (auto &z : logits) sum += z = std::exp(z - mx);
            for (auto &z : logits) z = static_cast<float>(z / sum);
            std::vector<int> order(static_cast<std::size_t>(E));
            std::iota(order.begin(), order.end(), 0);
            std::partial_sort(order.begin(), order.begin() + topK, order.end(), [&](int a, int b) {
                return logits[static_cast<std::size_t>(a)] != logits[static_cast<std::size_t>(b)]
                           ? logits[static_cast<std::size_t>(a)] > logits[static_cast<std::size_t>(b)] : a < b;
            });
            std::vector<int> chosen(order.begin(), order.begin() + topK);
            float norm = 1.0f;
            if (c.normTopkProb) {
                float s = 0;
                for (int e : chosen) s += logits[static_cast<std::size_t>(e)];
                norm = 1.0f / s;
            }
            std::sort(chosen.begin(), chosen.end());  // HF visits experts in ascending order
            experts->prefetch(static_cast<int>(li), chosen);
            routedExperts(li, chosen, logits, norm, acc);
            if (l.sharedGateUp.defined()) {
                std::vector<float> shared(static_cast<std::size_t>(H), 0.0f);
                swiglu(l.sharedGateUp, l.sharedDown, 1.0f, shared.data());
                float gate = 0;
                matvec(l.sharedGate, h, &gate);
                gate = r(1.0f / (1.0f + std::exp(-r(gate))));
                for (int64_t i = 0; i < H; ++i) acc[i] = r(acc[i] + r(gate * shared[static_cast<std::size_t>(i)]));
            }
        }
        for (int64_t i = 0; i < H; ++i) x[i] = r(x[i] + acc[i]);
    }
    cache.length = L;
    rmsNormRow(x, H, bits(finalNorm), eps, h);
    at::Tensor logits = at::empty({1, c.vocabSize}, at::kFloat);
    matvec(lmHead, h, logits.data_ptr<float>());
    return logits;
}

}  // namespace blyan::engine
