// Model::load: checkpoint tensors (by their Hugging Face names for each architecture) into LayerWeights.
#include "engine/model/model_impl.h"

#include "engine/checkpoint/tensor_loader.h"
#include "engine/model/weight_handle.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cmath>
#include <mutex>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace blyan::engine {

void rethrowTorch(const std::string &context, const std::exception &e)
{
    std::string msg = e.what();
    // c10::Error messages carry a C++ backtrace after the first line; keep the first line.
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
    throw EngineError(context + ": " + msg);
}

namespace {

at::ScalarType chooseDtype(const ModelConfig &c, const ModelOptions &o, const at::Device &device)
{
    const std::string &d = o.dtype;
    if (d == "f32" || d == "float32") return at::kFloat;
    if (d == "bf16" || d == "bfloat16") return at::kBFloat16;
    if (d == "f16" || d == "float16") return at::kHalf;
    if (d != "auto") throw EngineError("unknown dtype '" + d + "' (auto, bf16, f16, f32)");
    if (!c.fp8BlockSize.empty() || c.torchDtype == "bfloat16") return at::kBFloat16;
    if (c.torchDtype == "float16") return device.is_cuda() ? at::kHalf : at::kFloat;
    return at::kFloat;
}

struct Loader {
    const Checkpoint &ck;
    TensorTarget target;

    at::Tensor get(const std::string &name, std::vector<int64_t> shape) const
    {
        return loadTensor(ck, name, shape, target);
    }
    bool has(const std::string &name) const { return ck.find(name).entry != nullptr; }
    // gate and up stacked into one [2I, H] matrix: one matmul per expert instead of two.
    at::Tensor gateUp(const std::string &gate, const std::string &up, int64_t inter, int64_t hidden) const
    {
        return at::cat({get(gate, {inter, hidden}), get(up, {inter, hidden})}, 0);
    }
};

}  // namespace

namespace {

// glibc serves allocations over 128 KiB with fresh mmaps and returns them on free, so every activation of a
// forward pass (a [64, 1024] float tensor is 256 KiB, a logits row 600 KiB) is page-faulted in again and
// again: measured here as a fifth of a prefill's time in the kernel's page-fault path. Keeping such blocks in
// the heap (up to 32 MiB, glibc's maximum) and not trimming it lets the allocator reuse them.
void keepActivationMemory()
{
#ifdef __GLIBC__
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
#endif
}

}  // namespace

Model::Model() : d_(std::make_unique<Impl>()) {}
Model::~Model() = default;

std::string Model::computeDtypeName(const ModelConfig &config, const ModelOptions &options)
{
    at::Device device = at::kCPU;
    try {
        device = at::Device(options.device);
    } catch (const std::exception &) {
        throw EngineError("unknown device '" + options.device + "' (cpu, cuda, cuda:N)");
    }
    switch (chooseDtype(config, options, device)) {
    case at::kBFloat16: return "bf16";
    case at::kHalf: return "f16";
    default: return "f32";
    }
}

std::shared_ptr<Model> Model::load(const std::string &dir, const ModelOptions &options,
                                   std::shared_ptr<ExpertProvider> experts)
{
    return load(Checkpoint::open(dir), options, std::move(experts));
}

std::shared_ptr<Model> Model::load(std::shared_ptr<Checkpoint> checkpoint, const ModelOptions &options,
                                   std::shared_ptr<ExpertProvider> experts)
{
    keepActivationMemory();
    std::shared_ptr<Model> model(new Model());
    Impl &m = *model->d_;
    m.checkpoint = std::move(checkpoint);
    const std::string &dir = m.checkpoint->dir();
    m.config = m.checkpoint->config();
    m.options = options;
    const ModelConfig &c = m.config;
    try {
        m.device = at::Device(options.device);
    } catch (const std::exception &e) {
        throw EngineError("unknown device '" + options.device + "' (cpu, cuda, cuda:N)");
    }
    m.dtype = chooseDtype(c, options, m.device);
    if (options.maxContext < 1) throw EngineError("the context length must be at least 1");
    m.maxContext = std::min(options.maxContext, c.maxPositionEmbeddings);

    try {
        at::NoGradGuard noGrad;
        Loader L{*m.checkpoint, TensorTarget{m.dtype, m.device}};
        const int64_t H = c.hiddenSize, d = c.headDim, nh = c.numHeads, nkv = c.numKvHeads;
        m.embed = L.get("model.embed_tokens.weight", {c.vocabSize, H});
        m.finalNorm = L.get("model.norm.weight", {H});
        if (L.has("lm_head.weight")) m.lmHead = L.get("lm_head.weight", {c.vocabSize, H});
        else if (c.tieWordEmbeddings) m.lmHead = m.embed;
        else throw EngineError(dir + ": tensor 'lm_head.weight' is missing and config.json has tie_word_embeddings false");

        std::shared_ptr<InMemoryExpertProvider> inMemory;
        if (!experts && c.numExperts > 0) {
            inMemory = std::make_shared<InMemoryExpertProvider>(static_cast<int>(c.numLayers), static_cast<int>(c.numExperts));
            experts = inMemory;
        }
        m.experts = experts;
        // Experts served from outside the checkpoint (a tiered store over chain objects) still count as
        // parameters; their tensors are not in the checkpoint's files.
        if (!inMemory && c.numExperts > 0) {
            int64_t moeLayers = 0;
            for (int64_t i = 0; i < c.numLayers; ++i) moeLayers += c.isMoeLayer(i) ? 1 : 0;
            m.externalExpertParameters = moeLayers * c.numExperts * 3 * c.hiddenSize * c.moeIntermediateSize;
            const std::string probe = std::string(c.arch == Arch::Mixtral ? "model.layers.0.block_sparse_moe.experts.0.w1.weight"
                                                                          : "model.layers.0.mlp.experts.0.gate_proj.weight");
            if (m.checkpoint->find(probe).entry) m.externalExpertParameters = 0;  // counted with the files
        }

        const bool mixtral = c.arch == Arch::Mixtral;
        for (int64_t i = 0; i < c.numLayers; ++i) {
            const std::string p = "model.layers." + std::to_string(i) + ".";
            LayerWeights l;
            l.inputNorm = L.get(p + "input_layernorm.weight", {H});
            l.postNorm = L.get(p + "post_attention_layernorm.weight", {H});
            const std::string a = p + "self_attn.";
            l.qkv = at::cat({L.get(a + "q_proj.weight", {nh * d, H}), L.get(a + "k_proj.weight", {nkv * d, H}),
                             L.get(a + "v_proj.weight", {nkv * d, H})}, 0);
            if (c.qkvBias)
                l.qkvBias = at::cat({L.get(a + "q_proj.bias", {nh * d}), L.get(a + "k_proj.bias", {nkv * d}),
                                     L.get(a + "v_proj.bias", {nkv * d})}, 0);
            l.o = L.get(a + "o_proj.weight", {H, nh * d});
            if (c.oBias) l.oBias = L.get(a + "o_proj.bias", {H});
            if (c.qkNormPerHead) {
                l.qNorm = L.get(a + "q_norm.weight", {d});
                l.kNorm = L.get(a + "k_norm.weight", {d});
            } else if (c.qkNormFull) {
                l.qNorm = L.get(a + "q_norm.weight", {nh * d});
                l.kNorm = L.get(a + "k_norm.weight", {nkv * d});
            }
            l.moe = c.isMoeLayer(i);
            if (!l.moe) {
                l.mlpGateUp = L.gateUp(p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight", c.intermediateSize, H);
                l.mlpDown = L.get(p + "mlp.down_proj.weight", {H, c.intermediateSize});
            } else {
                const std::string moe = p + (mixtral ? "block_sparse_moe." : "mlp.");
                l.router = L.get(moe + "gate.weight", {c.numExperts, H});
                const int64_t I = c.moeIntermediateSize;
                for (int64_t e = 0; inMemory && e < c.numExperts; ++e) {
                    const std::string x = moe + "experts." + std::to_string(e) + ".";
                    ExpertWeights w;
                    if (mixtral) {
                        w.gateUp = makeHandle(L.gateUp(x + "w1.weight", x + "w3.weight", I, H));
                        w.down = makeHandle(L.get(x + "w2.weight", {H, I}));
                    } else {
                        w.gateUp = makeHandle(L.gateUp(x + "gate_proj.weight", x + "up_proj.weight", I, H));
                        w.down = makeHandle(L.get(x + "down_proj.weight", {H, I}));
                    }
                    inMemory->set(static_cast<int>(i), static_cast<int>(e), std::move(w));
                }
                if (c.arch == Arch::Qwen2Moe && c.sharedExpertIntermediateSize > 0) {
                    const int64_t S = c.sharedExpertIntermediateSize;
                    const std::string s = p + "mlp.shared_expert.";
                    l.sharedGateUp = L.gateUp(s + "gate_proj.weight", s + "up_proj.weight", S, H);
                    l.sharedDown = L.get(s + "down_proj.weight", {H, S});
                    l.sharedGate = L.get(p + "mlp.shared_expert_gate.weight", {1, H});
                }
            }
            m.layers.push_back(std::move(l));
        }

        // RoPE tables as HF builds them (inv_freq = theta^(-2i/d), emb = cat(freqs, freqs)), computed in double
        // and rounded once to the compute dtype.
        at::Tensor inv = at::arange(0, d, 2, at::kDouble).div(static_cast<double>(d));
        inv = at::pow(c.ropeTheta, inv).reciprocal();
        at::Tensor pos = at::arange(0, m.maxContext, at::kDouble);
        at::Tensor freqs = at::outer(pos, inv);
        at::Tensor emb = at::cat({freqs, freqs}, 1);
        m.ropeCos = emb.cos().to(m.device, m.dtype);
        m.ropeSin = emb.sin().to(m.device, m.dtype);
    } catch (const EngineError &) {
        throw;
    } catch (const std::exception &e) {
        rethrowTorch(dir, e);
    }
    return model;
}

KvCache Model::Impl::newCache(int64_t capacity) const
{
    if (capacity <= 0 || capacity > maxContext) capacity = maxContext;
    KvCache cache;
    cache.capacity = capacity;
    const auto opts = at::TensorOptions().dtype(dtype).device(device);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        cache.k.push_back(at::empty({config.numKvHeads, capacity, config.headDim}, opts));
        cache.v.push_back(at::empty({config.numKvHeads, capacity, config.headDim}, opts));
    }
    return cache;
}

const ModelConfig &Model::config() const { return d_->config; }
const ModelOptions &Model::options() const { return d_->options; }
int64_t Model::maxContext() const { return d_->maxContext; }
ExpertProvider &Model::experts() { return *d_->experts; }

std::string Model::dtypeName() const
{
    switch (d_->dtype) {
    case at::kBFloat16: return "bf16";
    case at::kHalf: return "f16";
    default: return "f32";
    }
}

std::string Model::deviceName() const { return d_->device.str(); }

int64_t Model::parameterCount() const
{
    int64_t n = 0;
    for (const auto &f : d_->checkpoint->files())
        for (const auto &t : f->tensors())
            if (t.name.size() < 10 || t.name.compare(t.name.size() - 10, 10, "_scale_inv") != 0) n += t.numel();
    return n + d_->externalExpertParameters;
}

uint64_t Model::weightBytes() const
{
    return static_cast<uint64_t>(parameterCount()) * at::elementSize(d_->dtype);
}

uint64_t Model::bytesPerDecodedToken() const
{
    const ModelConfig &c = d_->config;
    const uint64_t H = static_cast<uint64_t>(c.hiddenSize), d = static_cast<uint64_t>(c.headDim);
    const uint64_t nh = static_cast<uint64_t>(c.numHeads), nkv = static_cast<uint64_t>(c.numKvHeads);
    uint64_t n = H + H + static_cast<uint64_t>(c.vocabSize) * H;  // embedding row, final norm, lm_head
    for (int64_t i = 0; i < c.numLayers; ++i) {
        n += 2 * H + (nh + 2 * nkv) * d * H + H * nh * d;  // norms, qkv, o
        if (c.qkNormPerHead) n += 2 * d;
        if (c.qkNormFull) n += (nh + nkv) * d;
        if (c.isMoeLayer(i)) {
            n += static_cast<uint64_t>(c.numExperts) * H;
            n += static_cast<uint64_t>(c.topK) * 3 * H * static_cast<uint64_t>(c.moeIntermediateSize);
            n += 3 * H * static_cast<uint64_t>(c.sharedExpertIntermediateSize) + (c.sharedExpertIntermediateSize ? H : 0);
        } else {
            n += 3 * H * static_cast<uint64_t>(c.intermediateSize);
        }
    }
    return n * at::elementSize(d_->dtype);
}

}  // namespace blyan::engine
