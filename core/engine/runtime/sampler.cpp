#include "engine/runtime/sampler.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace blyan::engine {

Sampler::Sampler(const SamplerOptions &options) : options_(options)
{
    rng_.seed(options.seed ? *options.seed : std::random_device{}());
}

int32_t Sampler::sample(std::span<const float> logits, std::span<const int32_t> history)
{
    const int64_t V = static_cast<int64_t>(logits.size());
    work_.assign(logits.begin(), logits.end());
    if (options_.repetitionPenalty != 1.0f && !history.empty()) {
        const std::size_t n = options_.repetitionLastN < 0 ? history.size()
                                                             : std::min(history.size(), static_cast<std::size_t>(options_.repetitionLastN));
        std::unordered_set<int32_t> seen(history.end() - static_cast<std::ptrdiff_t>(n), history.end());
        for (int32_t t : seen) {
            if (t < 0 || t >= V) continue;
            float &l = work_[static_cast<std::size_t>(t)];
            l = l > 0 ? l / options_.repetitionPenalty : l * options_.repetitionPenalty;
        }
    }
    if (options_.greedy || options_.temperature <= 0.0f)
        return static_cast<int32_t>(std::max_element(work_.begin(), work_.end()) - work_.begin());

    candidates_.resize(static_cast<std::size_t>(V));
    for (int64_t i = 0; i < V; ++i) candidates_[static_cast<std::size_t>(i)] = {work_[static_cast<std::size_t>(i)], static_cast<int32_t>(i)};
    auto byLogit = [](const auto &a, const auto &b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::size_t keep = candidates_.size();
    if (options_.topK > 0 && static_cast<std::size_t>(options_.topK) < keep) {
        keep = static_cast<std::size_t>(options_.topK);
        std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(keep), candidates_.end(), byLogit);
    } else {
        std::sort(candidates_.begin(), candidates_.end(), byLogit);
    }
    candidates_.resize(keep);

    // Probabilities at temperature 1 for top-p and min-p.
    const float maxLogit = candidates_[0].first;
    std::vector<double> p(keep);
    double sum = 0;
    for (std::size_t i = 0; i < keep; ++i) sum += p[i] = std::exp(static_cast<double>(candidates_[i].first - maxLogit));
    if (options_.topP < 1.0f) {
        double cum = 0;
        std::size_t n = 0;
        while (n < keep) {
            cum += p[n++] / sum;
            if (cum >= options_.topP) break;
        }
        keep = std::max<std::size_t>(n, 1);
    }
    if (options_.minP > 0.0f) {
        std::size_t n = 1;  // p[0] is the largest (= 1 before normalisation)
        while (n < keep && p[n] >= options_.minP * p[0]) ++n;
        keep = n;
    }

    // Temperature, then a draw. The uniform comes from the raw 64-bit output so the same seed gives the same
    // tokens on every platform (std::uniform_real_distribution is implementation-defined).
    double total = 0;
    for (std::size_t i = 0; i < keep; ++i)
        total += p[i] = std::exp(static_cast<double>(candidates_[i].first - maxLogit) / options_.temperature);
    const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * total;
    double cum = 0;
    for (std::size_t i = 0; i < keep; ++i) {
        cum += p[i];
        if (u < cum) return candidates_[i].second;
    }
    return candidates_[keep - 1].second;
}

}  // namespace blyan::engine
