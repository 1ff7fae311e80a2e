// Routed experts: softmax router, top-k, optional renormalisation, then grouped dispatch: the (token, slot)
// assignments are sorted by expert so each chosen expert runs one matmul over all its tokens, and results are
// scattered back with index_add_. Experts are visited in ascending order, as HF's loop does, so the float
// accumulation order per token matches it.
//
// Host synchronisation: the host must know which experts have tokens, because that is what it asks the
// ExpertProvider for (a tiered cache or a peer fetches exactly those). That is one small copy of the
// per-expert counts per MoE layer on CUDA; everything else stays on the device.
#include "engine/model/model_impl.h"

#include "engine/kernels/elementwise.h"
#include "engine/kernels/gemm_bf16.h"
#include "engine/kernels/thread_pool.h"
#include "engine/model/cpu_ops.h"
#include "engine/model/linear.h"
#include "engine/model/weight_handle.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstring>
#include <map>

namespace blyan::engine {

at::Tensor swiglu(const at::Tensor &x, const at::Tensor &gateUp, const at::Tensor &down)
{
    const int64_t I = down.size(1);
    at::Tensor gu = fastLinear(x, gateUp);
    if (gu.device().is_cpu() && gu.scalar_type() == at::kBFloat16 && fastKernels()) return fastLinear(cpu::swigluAct(gu), down);
    return fastLinear(at::silu(gu.narrow(1, 0, I)) * gu.narrow(1, I, I), down);
}

namespace {

const uint16_t *cbits(const at::Tensor &t) { return reinterpret_cast<const uint16_t *>(t.data_ptr()); }
uint16_t *mbits(at::Tensor &t) { return reinterpret_cast<uint16_t *>(t.data_ptr()); }

// CPU bf16 batches: the same grouped dispatch as below, but with the tokens of every chosen expert gathered
// into one buffer and all experts' products issued as two parallel jobs (gate/up, then down), instead of
// about eight LibTorch ops and two jobs per expert. Accumulates like HF's bf16 index_add_, experts ascending.
at::Tensor moeCpuBf16(ExpertProvider &experts, int layer, const at::Tensor &h, const at::Tensor &topW, const at::Tensor &topI)
{
    const int64_t T = h.size(0), H = h.size(1), k = topI.size(1);
    const at::Tensor hc = h.contiguous(), w = topW.to(at::kFloat).contiguous(), ids = topI.contiguous();
    std::map<int, std::vector<std::pair<int64_t, float>>> byExpert;  // ascending expert order
    for (int64_t t = 0; t < T; ++t)
        for (int64_t j = 0; j < k; ++j)
            byExpert[static_cast<int>(ids.data_ptr<int64_t>()[t * k + j])].push_back({t, w.data_ptr<float>()[t * k + j]});
    std::vector<int> chosen;
    std::vector<const std::vector<std::pair<int64_t, float>> *> lists;  // (token, weight) per chosen expert
    for (const auto &[e, list] : byExpert) {
        chosen.push_back(e);
        lists.push_back(&list);
    }
    experts.prefetch(layer, chosen);
    std::vector<ExpertWeights> ew;
    std::vector<int64_t> offset{0};
    for (int e : chosen) {
        ew.push_back(experts.get(layer, e));
        offset.push_back(offset.back() + static_cast<int64_t>(byExpert.at(e).size()));
        for (const at::Tensor *t : {&tensorOf(ew.back().gateUp), &tensorOf(ew.back().down)})
            if (t->scalar_type() != at::kBFloat16 || !t->is_contiguous() || !t->device().is_cpu())
                throw EngineError("an expert weight is not a contiguous bf16 CPU matrix");
    }
    const int64_t n = static_cast<int64_t>(chosen.size()), rows = offset.back(), I = tensorOf(ew[0].down).size(1);
    at::Tensor buf = at::empty({rows * (H + 3 * I + H)}, h.options());
    uint16_t *X = mbits(buf), *GU = X + rows * H, *ACT = GU + rows * 2 * I, *Y = ACT + rows * I;
    for (int64_t i = 0; i < n; ++i) {
        const auto &list = *lists[static_cast<std::size_t>(i)];
        for (std::size_t r = 0; r < list.size(); ++r)
            std::memcpy(X + (offset[static_cast<std::size_t>(i)] + static_cast<int64_t>(r)) * H, cbits(hc) + list[r].first * H,
                        static_cast<std::size_t>(H) * 2);
    }
    constexpr int64_t kPiece = 64;
    const int64_t guPieces = (2 * I + kPiece - 1) / kPiece, dnPieces = (H + kPiece - 1) / kPiece;
    kernels::parallelFor(n * guPieces, 1, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) {
            const std::size_t e = static_cast<std::size_t>(p / guPieces);
            const int64_t r0 = (p % guPieces) * kPiece, m = offset[e + 1] - offset[e];
            kernels::gemmBf16Rows(X + offset[e] * H, m, cbits(tensorOf(ew[e].gateUp)), H, GU + offset[e] * 2 * I, 2 * I, r0,
                                  std::min(2 * I, r0 + kPiece));
        }
    });
    kernels::parallelFor(rows, 8, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) kernels::swigluRow(GU + r * 2 * I, GU + r * 2 * I + I, I, ACT + r * I);
    });
    kernels::parallelFor(n * dnPieces, 1, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) {
            const std::size_t e = static_cast<std::size_t>(p / dnPieces);
            const int64_t r0 = (p % dnPieces) * kPiece, m = offset[e + 1] - offset[e];
            kernels::gemmBf16Rows(ACT + offset[e] * I, m, cbits(tensorOf(ew[e].down)), I, Y + offset[e] * H, H, r0, std::min(H, r0 + kPiece));
        }
    });
    // Scatter in expert order; threads take column ranges, so no two write the same element.
    at::Tensor out = at::empty({T, H}, h.options());
    uint16_t *o = mbits(out);
    kernels::parallelFor(H, 128, [&](int64_t c0, int64_t c1) {
        std::vector<float> acc(static_cast<std::size_t>(T * (c1 - c0)), 0.0f);
        const int64_t W = c1 - c0;
        for (int64_t i = 0; i < n; ++i) {
            const auto &list = *lists[static_cast<std::size_t>(i)];
            for (std::size_t r = 0; r < list.size(); ++r) {
                const uint16_t *y = Y + (offset[static_cast<std::size_t>(i)] + static_cast<int64_t>(r)) * H + c0;
                kernels::addScaledRounded(acc.data() + list[r].first * W, y, list[r].second, W);
            }
        }
        for (int64_t t = 0; t < T; ++t)
            for (int64_t c = 0; c < W; ++c) o[t * H + c0 + c] = cpu::floatToBf16(acc[static_cast<std::size_t>(t * W + c)]);
    });
    return out;
}

}  // namespace

at::Tensor Model::Impl::moe(const LayerWeights &l, int layer, const at::Tensor &h)
{
    const int64_t k = config.topK, E = config.numExperts;
    // HF: router logits in the compute dtype, softmax in float32, top-k, renormalise, back to compute dtype.
    at::Tensor probs = at::softmax(fastLinear(h, l.router), -1, at::kFloat);
    auto [topW, topI] = at::topk(probs, k, -1);
    if (config.normTopkProb) topW = topW / topW.sum(-1, true);
    topW = topW.to(h.scalar_type());

    if (h.device().is_cpu() && h.scalar_type() == at::kBFloat16 && fastKernels() && h.size(0) <= kSmallRows) {
        at::Tensor out = moeCpuBf16(*experts, layer, h, topW, topI);
        if (l.sharedGateUp.defined())
            out += at::sigmoid(fastLinear(h, l.sharedGate)) * swiglu(h, l.sharedGateUp, l.sharedDown);
        return out;
    }

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
