#pragma once
// Perplexity by llama.cpp's llama-perplexity method: the token stream is cut into chunks of `ctx` tokens
// (a partial last chunk is dropped), each chunk runs from an empty KV cache, and only the second half of
// each chunk is scored (token j + 1 from the logits at j, for j from ctx/2 to ctx - 2), so every scored
// token has at least ctx/2 tokens of context. With `bos` set, the first token of each chunk is replaced by
// it (what llama.cpp does for models that add a BOS). Log-softmax is taken in float64. Plain C++.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace blyan::engine {

class Model;

struct PerplexityResult {
    double perplexity = 0;
    double meanNll = 0;      // mean negative log-likelihood per scored token (nats)
    double stderrNll = 0;    // its standard error (llama.cpp's "+/-" is perplexity * this)
    int64_t scored = 0;      // tokens scored
    int64_t chunks = 0;
};

// progress(chunk index from 1, chunk count, running perplexity). Throws EngineError when there are fewer
// than 2 * ctx tokens (llama-perplexity's rule) or ctx is too small or too large.
PerplexityResult perplexity(Model &model, const std::vector<int32_t> &tokens, int64_t ctx,
                            std::optional<int32_t> bos = std::nullopt,
                            const std::function<void(int64_t, int64_t, double)> &progress = {});

}  // namespace blyan::engine
