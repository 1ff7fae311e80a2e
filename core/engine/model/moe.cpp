// Routed experts: softmax router, top-k, optional renormalisation, then grouped dispatch: the (token, slot)
// assignments are sorted by expert so each chosen expert runs one matmul over all its tokens, and results are
// scattered back with index_add_. Experts are visited in ascending order, as HF's loop does, so the float
// accumulation order per token matches it.
//
// Host synchronisation: the host must know which experts have tokens, because that is what it asks the
// ExpertProvider for (a tiered cache or a peer fetches exactly those). That is one small copy of the
// per-expert counts per MoE layer on CUDA; everything else stays on the device.
#include "engine/model/model_impl.h"

#include "engine/model/cpu_ops.h"
#include "engine/model/linear.h"
#include "engine/model/weight_handle.h"

#include <ATen/ATen.h>

namespace blyan::engine {

at::Tensor swiglu(const at::Tensor &x, const at::Tensor &gateUp, const at::Tensor &down)
{
    const int64_t I = down.size(1);
    at::Tensor gu = fastLinear(x, gateUp);
    if (gu.device().is_cpu() && gu.scalar_type() == at::kBFloat16 && fastKernels()) return fastLinear(cpu::swigluAct(gu), down);
    return fastLinear(at::silu(gu.narrow(1, 0, I)) * gu.narrow(1, I, I), down);
}

at::Tensor Model::Impl::moe(const LayerWeights &l, int layer, const at::Tensor &h)
{
    const int64_t k = config.topK, E = config.numExperts;
    // HF: router logits in the compute dtype, softmax in float32, top-k, renormalise, back to compute dtype.
    at::Tensor probs = at::softmax(fastLinear(h, l.router), -1, at::kFloat);
    auto [topW, topI] = at::topk(probs, k, -1);
    if (config.normTopkProb) topW = topW / topW.sum(-1, true);
    topW = topW.to(h.scalar_type());

    at::Tensor out = at::zeros_like(h);
    const at::Tensor flatE = topI.reshape({-1});
    const at::Tensor counts = at::bincount(flatE, {}, E).to(at::kCPU);
    const int64_t *cnt = counts.data_ptr<int64_t>();
    std::vector<int> chosen;
    for (int64_t e = 0; e < E; ++e)
        if (cnt[e] > 0) chosen.push_back(static_cast<int>(e));
    experts->prefetch(layer, chosen);

    const at::Tensor order = at::argsort(flatE);  // stable enough: ties are the same expert
    const at::Tensor tokenOf = at::div(order, k, "floor");
    const at::Tensor weightOf = topW.reshape({-1}).index_select(0, order).unsqueeze(1);
    int64_t offset = 0;
    for (int e : chosen) {
        const int64_t n = cnt[e];
        const ExpertWeights w = experts->get(layer, e);
        const at::Tensor toks = tokenOf.narrow(0, offset, n);
        at::Tensor y = swiglu(h.index_select(0, toks), tensorOf(w.gateUp), tensorOf(w.down));
        out.index_add_(0, toks, y * weightOf.narrow(0, offset, n));
        offset += n;
    }
    if (l.sharedGateUp.defined())
        out += at::sigmoid(fastLinear(h, l.sharedGate)) * swiglu(h, l.sharedGateUp, l.sharedDown);
    return out;
}

}  // namespace blyan::engine
