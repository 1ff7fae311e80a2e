#include "engine/runtime/perplexity.h"

#include "engine/model/model_impl.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <cmath>

namespace blyan::engine {

PerplexityResult perplexity(Model &model, const std::vector<int32_t> &tokens, int64_t ctx, std::optional<int32_t> bos,
                            const std::function<void(int64_t, int64_t, double)> &progress)
{
    Model::Impl &m = model.impl();
    if (ctx < 4) throw EngineError("perplexity: --ctx must be at least 4");
    if (ctx > m.maxContext)
        throw EngineError("perplexity: --ctx " + std::to_string(ctx) + " exceeds the model's context of " + std::to_string(m.maxContext));
    if (static_cast<int64_t>(tokens.size()) < 2 * ctx)
        throw EngineError("perplexity: the text has " + std::to_string(tokens.size()) + " tokens; at least 2 x ctx = " +
                          std::to_string(2 * ctx) + " are needed");
    for (int32_t t : tokens)
        if (t < 0 || t >= m.config.vocabSize) throw EngineError("perplexity: token id " + std::to_string(t) + " is outside the vocabulary");

    PerplexityResult r;
    r.chunks = static_cast<int64_t>(tokens.size()) / ctx;
    const int64_t first = ctx / 2;
    double sum = 0, sumSq = 0;
    try {
        c10::InferenceMode guard;
        KvCache cache = m.newCache(ctx);
        for (int64_t c = 0; c < r.chunks; ++c) {
            at::Tensor ids = at::empty({ctx}, at::kLong);
            int64_t *p = ids.data_ptr<int64_t>();
            for (int64_t i = 0; i < ctx; ++i) p[i] = tokens[static_cast<std::size_t>(c * ctx + i)];
            if (bos) p[0] = *bos;
            const at::Tensor targets = ids.narrow(0, first + 1, ctx - 1 - first).to(m.device);
            cache.length = 0;
            at::Tensor logits = m.forward(cache, ids.to(m.device), true);  // [ctx, vocab] float32
            at::Tensor lp = at::log_softmax(logits.narrow(0, first, ctx - 1 - first).to(at::kDouble), -1);
            at::Tensor nll = lp.gather(1, targets.unsqueeze(1)).neg().reshape({-1}).to(at::kCPU);
            const double *v = nll.data_ptr<double>();
            for (int64_t i = 0; i < nll.size(0); ++i) {
                sum += v[i];
                sumSq += v[i] * v[i];
            }
            r.scored += nll.size(0);
            if (progress) progress(c + 1, r.chunks, std::exp(sum / static_cast<double>(r.scored)));
        }
    } catch (const EngineError &) {
        throw;
    } catch (const std::exception &e) {
        rethrowTorch("perplexity", e);
    }
    const double n = static_cast<double>(r.scored);
    r.meanNll = sum / n;
    r.perplexity = std::exp(r.meanNll);
    const double var = std::max(0.0, sumSq / n - r.meanNll * r.meanNll);
    r.stderrNll = n > 1 ? std::sqrt(var / (n - 1)) : 0.0;
    return r;
}

}  // namespace blyan::engine
