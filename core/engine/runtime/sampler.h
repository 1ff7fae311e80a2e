#pragma once
// Picking the next token from logits, as llama.cpp's default sampler chain does: repetition penalty over the
// last N tokens, then top-k, top-p, min-p (on probabilities at temperature 1), then temperature and a draw
// from a seeded generator. Greedy (or temperature <= 0) takes the first maximum, like argmax. Plain C++ on
// host floats: the vocabulary row is small (151936 floats) next to a forward pass.

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace blyan::engine {

struct SamplerOptions {
    bool greedy = false;
    float temperature = 0.8f;        // <= 0: greedy
    int topK = 40;                   // <= 0: off
    float topP = 0.95f;              // >= 1: off
    float minP = 0.05f;              // <= 0: off
    float repetitionPenalty = 1.0f;  // 1: off; > 1 discourages repeats (CTRL / llama.cpp rule)
    int repetitionLastN = 64;        // how many recent tokens the penalty looks at; -1: all
    std::optional<uint64_t> seed;    // none: a random seed
};

class Sampler {
public:
    explicit Sampler(const SamplerOptions &options);
    // `logits` is one vocabulary row; `history` the prompt and generated tokens so far (for the penalty).
    int32_t sample(std::span<const float> logits, std::span<const int32_t> history);
    const SamplerOptions &options() const { return options_; }

private:
    SamplerOptions options_;
    std::mt19937_64 rng_;
    std::vector<float> work_;
    std::vector<std::pair<float, int32_t>> candidates_;
};

}  // namespace blyan::engine
