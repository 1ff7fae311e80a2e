#include "engine/runtime/bench.h"

#include "engine/model/model_impl.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

namespace blyan::engine {

namespace {

double timeRun(Model::Impl &m, KvCache &cache, const BenchResult &test, const std::vector<int64_t> &prompt)
{
    cache.length = 0;
    const auto t0 = std::chrono::steady_clock::now();
    if (test.test[0] == 'p') {
        at::Tensor ids = at::tensor(prompt, at::kLong).to(m.device);
        // The copy to the host waits for the device, so the time includes all the work.
        (void)m.forward(cache, ids, false).to(at::kCPU);
    } else {
        int64_t tok = prompt[0];
        for (int i = 0; i < test.tokens; ++i) {
            at::Tensor logits = m.forward(cache, at::full({1}, tok, at::TensorOptions().dtype(at::kLong).device(m.device)), false);
            // On CPU the argmax is a plain loop, as the Generator's sampler does it: at::argmax would wake an
            // OpenMP team whose spinning threads then compete with the engine's workers.
            if (m.device.is_cpu()) {
                const float *p = logits.data_ptr<float>();
                tok = std::max_element(p, p + logits.numel()) - p;
            } else {
                tok = logits.argmax(-1).to(at::kCPU).item<int64_t>();
            }
        }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::vector<BenchResult> bench(Model &model, const BenchOptions &o)
{
    Model::Impl &m = model.impl();
    if (o.promptTokens < 0 || o.genTokens < 0 || o.repetitions < 1) throw EngineError("bench: counts must be positive");
    const int64_t need = std::max<int64_t>(o.promptTokens, o.genTokens);
    if (need > m.maxContext) throw EngineError("bench: " + std::to_string(need) + " tokens exceed the context of " + std::to_string(m.maxContext));
    std::mt19937_64 rng(o.seed);
    std::vector<int64_t> prompt(static_cast<std::size_t>(std::max(o.promptTokens, 1)));
    for (auto &t : prompt) t = static_cast<int64_t>(rng() % static_cast<uint64_t>(m.config.vocabSize));

    std::vector<BenchResult> results;
    if (o.promptTokens > 0) results.push_back({"pp" + std::to_string(o.promptTokens), o.promptTokens, 0, 0, {}});
    if (o.genTokens > 0) results.push_back({"tg" + std::to_string(o.genTokens), o.genTokens, 0, 0, {}});
    try {
        c10::InferenceMode guard;
        KvCache cache = m.newCache(std::max<int64_t>(need, 1));
        for (auto &r : results) {
            timeRun(m, cache, r, prompt);  // warm-up: first-touch of weights and allocator caches
            std::vector<double> tps;
            for (int i = 0; i < o.repetitions; ++i) {
                r.seconds.push_back(timeRun(m, cache, r, prompt));
                tps.push_back(r.tokens / r.seconds.back());
            }
            double mean = 0;
            for (double x : tps) mean += x;
            mean /= static_cast<double>(tps.size());
            double var = 0;
            for (double x : tps) var += (x - mean) * (x - mean);
            r.meanTps = mean;
            r.stddevTps = tps.size() > 1 ? std::sqrt(var / static_cast<double>(tps.size() - 1)) : 0.0;
        }
    } catch (const EngineError &) {
        throw;
    } catch (const std::exception &e) {
        rethrowTorch("bench", e);
    }
    return results;
}

std::string benchTable(Model &model, int threads, const std::vector<BenchResult> &results)
{
    const double params = static_cast<double>(model.parameterCount());
    const double gib = static_cast<double>(model.weightBytes()) / (1024.0 * 1024.0 * 1024.0);
    std::string dt = model.dtypeName();
    for (auto &ch : dt) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    char name[128], size[32], par[32];
    std::snprintf(name, sizeof name, "%s %.1fB %s", model.config().modelType.c_str(), params / 1e9, dt.c_str());
    std::snprintf(size, sizeof size, "%.2f GiB", gib);
    std::snprintf(par, sizeof par, "%.2f B", params / 1e9);
    const std::string backend = model.deviceName().rfind("cuda", 0) == 0 ? "CUDA" : "CPU";
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "| %-30s | %10s | %10s | %-10s | %7s | %13s | %20s |\n", "model", "size", "params", "backend",
                  "threads", "test", "t/s");
    out += line;
    out += "| ------------------------------ | ---------: | ---------: | ---------- | ------: | ------------: | -------------------: |\n";
    for (const auto &r : results) {
        char tps[64];
        std::snprintf(tps, sizeof tps, "%.2f ± %.2f", r.meanTps, r.stddevTps);
        std::snprintf(line, sizeof line, "| %-30s | %10s | %10s | %-10s | %7d | %13s | %20s |\n", name, size, par, backend.c_str(), threads,
                      r.test.c_str(), tps);
        out += line;
    }
    return out;
}

}  // namespace blyan::engine
