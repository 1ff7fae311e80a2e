#pragma once
// Text generation over a Model for one conversation at a time: prefill of the prompt (reusing the KV cache
// for the prefix it shares with the previous call, so a chat turn only pays for its new tokens), then
// token-by-token decoding with the Sampler, streaming each token to a callback, until max tokens, an end
// token, a stop string (matched on decoded text), a full context or cancellation from another thread.
// Plain C++ (pimpl); the node's inference worker uses it.

#include "engine/runtime/sampler.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace blyan::engine {

class Model;

// Turns ids into UTF-8 text as they come (an adapter over the tokenizer's IncrementalDecoder).
class TokenDecoder {
public:
    virtual ~TokenDecoder() = default;
    virtual std::string push(int32_t token) = 0;  // newly completed text (may be empty)
    virtual std::string flush() = 0;              // what is still held back; resets
};

struct GenerationOptions {
    SamplerOptions sampler;
    int maxTokens = 256;
    std::vector<std::string> stopStrings;  // need a TokenDecoder
    std::vector<int32_t> stopTokens;       // empty: the config's eos_token_id list
    bool ignoreEos = false;
    const std::atomic<bool> *cancel = nullptr;  // checked between tokens
};

enum class StopReason { MaxTokens, EndOfSequence, StopString, Cancelled, ContextFull };
const char *stopReasonName(StopReason r);

struct GenerationResult {
    std::vector<int32_t> tokens;  // generated ids (an end token or the tokens of a stop string included)
    std::string text;             // decoded text up to a stop string (empty without a decoder)
    StopReason reason = StopReason::MaxTokens;
    int64_t promptTokens = 0;
    int64_t reusedTokens = 0;     // prompt tokens whose keys/values came from the cache
    double promptSeconds = 0, generateSeconds = 0;
};

// Called for each generated token with the text it makes safe to show (text that might still become a stop
// string is held back until it cannot). A last call with token -1 carries text the decoder held back
// at the end.
using TokenCallback = std::function<void(int32_t token, const std::string &text)>;

class Generator {
public:
    // contextLength 0: the model's maxContext.
    explicit Generator(std::shared_ptr<Model> model, int64_t contextLength = 0);
    ~Generator();

    // Throws EngineError for an empty or too long prompt, ids outside the vocabulary, stop strings
    // without a decoder.
    GenerationResult generate(const std::vector<int32_t> &prompt, const GenerationOptions &options,
                              const TokenCallback &onToken = {}, TokenDecoder *decoder = nullptr);
    void reset();                  // forget the cached conversation
    int64_t cachedTokens() const;  // tokens whose keys/values are in the cache

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

}  // namespace blyan::engine
