#pragma once
// The Generator's TokenDecoder over the tokenizer's UTF-8-safe IncrementalDecoder, so streaming and stop
// strings see exactly the text Hugging Face's decode gives. Plain C++.

#include "engine/runtime/generator.h"
#include "engine/tokenizer/tokenizer.h"

namespace blyan::engine {

class TokenizerTextDecoder final : public TokenDecoder {
public:
    explicit TokenizerTextDecoder(const Tokenizer &tokenizer, bool skipSpecialTokens = true)
        : decoder_(tokenizer, skipSpecialTokens)
    {
    }
    std::string push(int32_t token) override { return decoder_.push(token); }
    std::string flush() override { return decoder_.flush(); }

private:
    IncrementalDecoder decoder_;
};

// The BOS id the tokenizer's post-processor adds (Llama, Mistral), or none (Qwen): llama-perplexity puts
// it at the start of every chunk.
inline std::optional<int32_t> addedBos(const Tokenizer &tokenizer)
{
    const auto probe = tokenizer.encode("", true);
    return probe.empty() ? std::nullopt : std::optional<int32_t>(probe.front());
}

}  // namespace blyan::engine
