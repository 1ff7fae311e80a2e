#include "engine/runtime/generator.h"

#include "engine/model/model_impl.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>

namespace blyan::engine {

const char *stopReasonName(StopReason r)
{
    switch (r) {
    case StopReason::MaxTokens: return "max_tokens";
    case StopReason::EndOfSequence: return "eos";
    case StopReason::StopString: return "stop_string";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::ContextFull: return "context_full";
    }
    return "?";
}

struct Generator::Impl {
    std::shared_ptr<Model> model;
    KvCache cache;
    std::vector<int32_t> cached;  // the ids whose keys/values fill cache[0, cache.length)
};

namespace {

constexpr int64_t kPrefillChunk = 512;  // bounds the attention score matrix of a long prompt

at::Tensor ids(const std::vector<int32_t> &v, std::size_t from, std::size_t n, const at::Device &device)
{
    at::Tensor t = at::empty({static_cast<int64_t>(n)}, at::kLong);
    int64_t *p = t.data_ptr<int64_t>();
    for (std::size_t i = 0; i < n; ++i) p[i] = v[from + i];
    return t.to(device);
}

// Length of the longest suffix of `text` that is a proper prefix of a stop string: that much must wait.
std::size_t heldBack(const std::string &text, const std::vector<std::string> &stops)
{
    std::size_t hold = 0;
    for (const auto &s : stops)
        for (std::size_t n = std::min(s.size() - 1, text.size()); n > hold; --n)
            if (text.compare(text.size() - n, n, s, 0, n) == 0) {
                hold = n;
                break;
            }
    return hold;
}

}  // namespace

Generator::Generator(std::shared_ptr<Model> model, int64_t contextLength) : d_(std::make_unique<Impl>())
{
    d_->model = std::move(model);
    d_->cache = d_->model->impl().newCache(contextLength);
}

Generator::~Generator() = default;

void Generator::reset()
{
    d_->cache.length = 0;
    d_->cached.clear();
}

int64_t Generator::cachedTokens() const { return d_->cache.length; }

GenerationResult Generator::generate(const std::vector<int32_t> &prompt, const GenerationOptions &options,
                                     const TokenCallback &onToken, TokenDecoder *decoder)
{
    Model::Impl &m = d_->model->impl();
    KvCache &cache = d_->cache;
    const int64_t V = m.config.vocabSize;
    if (prompt.empty()) throw EngineError("generate: the prompt is empty");
    for (int32_t t : prompt)
        if (t < 0 || t >= V) throw EngineError("generate: token id " + std::to_string(t) + " is outside the vocabulary of " + std::to_string(V));
    if (static_cast<int64_t>(prompt.size()) >= cache.capacity)
        throw EngineError("generate: the prompt has " + std::to_string(prompt.size()) + " tokens; the context holds " +
                          std::to_string(cache.capacity));
    for (const auto &s : options.stopStrings)
        if (s.empty()) throw EngineError("generate: empty stop string");
    if (!options.stopStrings.empty() && !decoder) throw EngineError("generate: stop strings need a tokenizer to decode text");
    std::vector<int32_t> stopTokens = options.stopTokens;
    if (stopTokens.empty()) for (auto id : m.config.eosTokenIds) stopTokens.push_back(static_cast<int32_t>(id));
    if (options.ignoreEos) stopTokens.clear();

    GenerationResult r;
    r.promptTokens = static_cast<int64_t>(prompt.size());
    Sampler sampler(options.sampler);
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();

    // Reuse the cached prefix; at least one prompt token is run so that there are logits to sample from.
    std::size_t common = 0;
    while (common < d_->cached.size() && common < prompt.size() && d_->cached[common] == prompt[common]) ++common;
    if (common == prompt.size()) --common;
    cache.length = static_cast<int64_t>(common);
    d_->cached.assign(prompt.begin(), prompt.begin() + static_cast<std::ptrdiff_t>(common));
    r.reusedTokens = static_cast<int64_t>(common);

    std::vector<int32_t> history = prompt;
    std::string text;
    std::size_t shown = 0;
    try {
        at::Tensor logits;
        for (std::size_t at = common; at < prompt.size(); at += kPrefillChunk) {
            const std::size_t n = std::min<std::size_t>(kPrefillChunk, prompt.size() - at);
            logits = m.forward(cache, ids(prompt, at, n, m.device), false);
            d_->cached.insert(d_->cached.end(), prompt.begin() + static_cast<std::ptrdiff_t>(at),
                              prompt.begin() + static_cast<std::ptrdiff_t>(at + n));
        }
        auto t1 = Clock::now();
        r.promptSeconds = std::chrono::duration<double>(t1 - t0).count();

        for (;;) {
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
                r.reason = StopReason::Cancelled;
                break;
            }
            if (static_cast<int>(r.tokens.size()) >= options.maxTokens) {
                r.reason = StopReason::MaxTokens;
                break;
            }
            const at::Tensor row = logits.reshape({-1}).to(at::kCPU).contiguous();
            const int32_t tok = sampler.sample({row.data_ptr<float>(), static_cast<std::size_t>(V)}, history);
            r.tokens.push_back(tok);
            history.push_back(tok);

            std::string piece;
            bool stopped = false;
            if (decoder) {
                text += decoder->push(tok);
                std::size_t cut = std::string::npos;
                for (const auto &s : options.stopStrings) {
                    const std::size_t from = shown > s.size() ? shown - s.size() : 0;
                    cut = std::min(cut, text.find(s, from));
                }
                if (cut != std::string::npos) {
                    text.resize(cut);
                    stopped = true;
                }
                const std::size_t safe = stopped ? text.size() : text.size() - heldBack(text, options.stopStrings);
                if (safe > shown) {
                    piece = text.substr(shown, safe - shown);
                    shown = safe;
                }
            }
            if (onToken) onToken(tok, piece);
            if (stopped) {
                r.reason = StopReason::StopString;
                break;
            }
            if (std::find(stopTokens.begin(), stopTokens.end(), tok) != stopTokens.end()) {
                r.reason = StopReason::EndOfSequence;
                break;
            }
            if (cache.length + 1 > cache.capacity) {
                r.reason = StopReason::ContextFull;
                break;
            }
            if (static_cast<int>(r.tokens.size()) >= options.maxTokens) {
                r.reason = StopReason::MaxTokens;
                break;
            }
            logits = m.forward(cache, ids(history, history.size() - 1, 1, m.device), false);
            d_->cached.push_back(tok);
        }
        r.generateSeconds = std::chrono::duration<double>(Clock::now() - t1).count();
    } catch (const EngineError &) {
        reset();
        throw;
    } catch (const std::exception &e) {
        reset();
        rethrowTorch("generate", e);
    }
    if (decoder && r.reason != StopReason::StopString) {
        text += decoder->flush();
        if (onToken && text.size() > shown) onToken(-1, text.substr(shown));
    } else if (decoder) {
        decoder->flush();
    }
    r.text = std::move(text);
    return r;
}

}  // namespace blyan::engine
