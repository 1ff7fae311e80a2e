// The decoder forward pass, following the Hugging Face modeling code of each architecture:
//   x = embed(tokens); for each layer: x += attn(norm(x)); x += mlp_or_moe(norm(x)); logits = lm_head(norm(x))
// Attention: fused q/k/v projection, optional q/k RMSNorm (per head for Qwen3, full width for OLMoE), RoPE
// (rotate_half), GQA without copying K/V (queries of a KV group are stacked against one K), causal mask,
// softmax in float32 as HF's eager attention does, and the KV cache written in place.
#include "engine/model/model_impl.h"

#include "engine/kernels/thread_pool.h"
#include "engine/model/cpu_ops.h"
#include "engine/model/linear.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <cmath>
#include <limits>
#include <optional>

namespace blyan::engine {

at::Tensor Model::Impl::rmsNorm(const at::Tensor &x, const at::Tensor &w) const
{
    if (x.device().is_cpu() && x.scalar_type() == at::kBFloat16 && fastKernels()) return cpu::rmsNorm(x, w, config.rmsNormEps);
    // HF: w * (x.float() * rsqrt(mean(x.float()^2) + eps)).to(input dtype)
    // (x.to(kFloat) is x itself for f32 input: nothing here may write in place into it.)
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor r = at::rsqrt(xf.pow(2).mean(-1, true).add_(config.rmsNormEps));
    return (xf * r).to(x.scalar_type()).mul_(w);
}

namespace {

// LibTorch's own ops single-threaded for the lifetime of the guard. Used while a batch of up to kSmallRows
// tokens runs on CPU in bf16: every product then runs on the engine's worker pool, and the few remaining
// LibTorch ops are small; an OpenMP team next to the pool would only add threads that spin after each of
// them and, on a busy machine, take the cores the pool needs (measured: pp64 fell from ~600 to ~50 tok/s).
class TorchSingleThread {
public:
    TorchSingleThread() : previous_(at::get_num_threads())
    {
        kernels::setThreads(kernels::threads());  // pin the pool's size before LibTorch's count drops to 1
        if (previous_ > 1) at::set_num_threads(1);
    }
    ~TorchSingleThread()
    {
        if (previous_ > 1) at::set_num_threads(previous_);
    }
    TorchSingleThread(const TorchSingleThread &) = delete;
    TorchSingleThread &operator=(const TorchSingleThread &) = delete;

private:
    int previous_;
};

// q * cos + rotate_half(q) * sin, with rotate_half(q) = cat(-q2, q1); x: [T, heads, d], cos/sin: [T, d].
at::Tensor rope(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin)
{
    if (x.device().is_cpu() && x.scalar_type() == at::kBFloat16 && fastKernels()) return cpu::rope(x, cos, sin);
    const int64_t half = x.size(-1) / 2;
    at::Tensor rotated = at::cat({x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)}, -1);
    return x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1);
}

}  // namespace

at::Tensor Model::Impl::attention(const LayerWeights &l, const at::Tensor &h, KvCache &cache, int layer,
                                  const at::Tensor &mask)
{
    const int64_t T = h.size(0), d = config.headDim, nh = config.numHeads, nkv = config.numKvHeads;
    const int64_t g = nh / nkv, P = cache.length, L = P + T;
    at::Tensor qkv = l.qkvBias.defined() ? fastLinear(h, l.qkv, l.qkvBias) : fastLinear(h, l.qkv);
    at::Tensor q = qkv.narrow(1, 0, nh * d), k = qkv.narrow(1, nh * d, nkv * d), v = qkv.narrow(1, (nh + nkv) * d, nkv * d);
    if (config.qkNormFull) {
        q = rmsNorm(q, l.qNorm);
        k = rmsNorm(k, l.kNorm);
    }
    q = q.reshape({T, nh, d});
    k = k.reshape({T, nkv, d});
    if (config.qkNormPerHead) {
        q = rmsNorm(q, l.qNorm);
        k = rmsNorm(k, l.kNorm);
    }
    const at::Tensor cos = ropeCos.narrow(0, P, T), sin = ropeSin.narrow(0, P, T);
    q = rope(q, cos, sin);
    k = rope(k, cos, sin);
    cache.k[layer].narrow(1, P, T).copy_(k.transpose(0, 1));
    cache.v[layer].narrow(1, P, T).copy_(v.reshape({T, nkv, d}).transpose(0, 1));
    const at::Tensor K = cache.k[layer].narrow(1, 0, L), V = cache.v[layer].narrow(1, 0, L);

#if TORCH_VERSION_MAJOR >= 2
    // LibTorch 2.x on CUDA: fused (flash / memory-efficient) attention for batched prefill. K/V are repeated
    // per query head because enable_gqa only exists from 2.5; is_causal is top-left aligned, so it is only
    // right without a past, and an explicit mask is passed otherwise.
    if (device.is_cuda() && T > 1) {
        const at::Tensor Kx = K.repeat_interleave(g, 0).unsqueeze(0), Vx = V.repeat_interleave(g, 0).unsqueeze(0);
        at::Tensor o = at::scaled_dot_product_attention(q.transpose(0, 1).unsqueeze(0), Kx, Vx,
                                                        P == 0 ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(mask),
                                                        0.0, P == 0);
        o = o.squeeze(0).transpose(0, 1).reshape({T, nh * d});
        return l.oBias.defined() ? fastLinear(o, l.o, l.oBias) : fastLinear(o, l.o);
    }
#endif
    // [T, nkv*g, d] -> [nkv, g*T, d]: the g query heads sharing a KV head become rows against that K.
    at::Tensor qg = q.view({T, nkv, g, d}).permute({1, 2, 0, 3}).reshape({nkv, g * T, d});
    at::Tensor scores = at::bmm(qg, K.transpose(1, 2)).mul_(1.0 / std::sqrt(static_cast<double>(d)));
    if (mask.defined()) scores = scores.view({nkv, g, T, L}).add_(mask).view({nkv, g * T, L});
    at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(scores.scalar_type());
    at::Tensor out = at::bmm(probs, V);  // [nkv, g*T, d]
    out = out.view({nkv, g, T, d}).permute({2, 0, 1, 3}).reshape({T, nh * d});
    return l.oBias.defined() ? fastLinear(out, l.o, l.oBias) : fastLinear(out, l.o);
}

at::Tensor Model::Impl::forward(KvCache &cache, const at::Tensor &tokens, bool allLogits)
{
    c10::InferenceMode inference;
    const int64_t T = tokens.size(0), P = cache.length;
    if (T < 1) throw EngineError("forward: no tokens");
    if (P + T > cache.capacity)
        throw EngineError("context full: " + std::to_string(P) + " + " + std::to_string(T) + " tokens exceed the context of " +
                          std::to_string(cache.capacity));
    if (T == 1 && device.is_cpu() && dtype == at::kBFloat16 && fastKernels()) {
        const int64_t token = tokens.item<int64_t>();
        if (token < 0 || token >= config.vocabSize) throw EngineError("forward: token id " + std::to_string(token) + " is outside the vocabulary");
        return decodeCpuBf16(cache, token);
    }
    std::optional<TorchSingleThread> single;
    if (device.is_cpu() && dtype == at::kBFloat16 && fastKernels() && T <= kSmallRows) single.emplace();
    at::Tensor x = embed.index_select(0, tokens);
    at::Tensor mask;
    if (T > 1) {
        // Query t (absolute position P + t) sees keys 0 .. P + t.
        at::Tensor qpos = at::arange(P, P + T, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(1);
        at::Tensor kpos = at::arange(0, P + T, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(0);
        mask = at::zeros({T, P + T}, at::TensorOptions().dtype(dtype).device(device))
                   .masked_fill_(kpos > qpos, -std::numeric_limits<float>::infinity());
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerWeights &l = layers[i];
        x = x + attention(l, rmsNorm(x, l.inputNorm), cache, static_cast<int>(i), mask);
        at::Tensor h = rmsNorm(x, l.postNorm);
        if (l.moe) {
            x = x + moe(l, static_cast<int>(i), h);
        } else {
            x = x + swiglu(h, l.mlpGateUp, l.mlpDown);
        }
    }
    cache.length = P + T;
    if (!allLogits) x = x.narrow(0, T - 1, 1);
    return fastLinearFloat(rmsNorm(x, finalNorm), lmHead);
}

}  // namespace blyan::engine
