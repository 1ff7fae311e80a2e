#pragma once
// Prompt-processing and generation speed in the manner of llama-bench: "ppN" runs an N-token prompt as one
// batch from an empty cache (logits of the last token only), "tgN" decodes N tokens one at a time from an
// empty cache, feeding back each argmax. One warm-up run, then `repetitions` timed runs; tokens per second
// as mean and sample standard deviation. Plain C++.

#include <cstdint>
#include <string>
#include <vector>

namespace blyan::engine {

class Model;

struct BenchOptions {
    int promptTokens = 64;  // 0 skips the pp test
    int genTokens = 32;     // 0 skips the tg test
    int repetitions = 5;
    uint64_t seed = 1234;   // the prompt's random token ids
};

struct BenchResult {
    std::string test;          // "pp64", "tg32"
    int tokens = 0;
    double meanTps = 0, stddevTps = 0;
    std::vector<double> seconds;  // per timed run
};

std::vector<BenchResult> bench(Model &model, const BenchOptions &options);

// "qwen3_moe 0.8B BF16"-style description and the llama-bench table (markdown) for the results.
std::string benchTable(Model &model, int threads, const std::vector<BenchResult> &results);

}  // namespace blyan::engine
