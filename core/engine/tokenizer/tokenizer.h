#pragma once
// The engine's tokenizer: loads a Hugging Face tokenizer.json (BPE models: Qwen2/Qwen3, Llama/Mistral/
// Mixtral, OLMoE, GPT-2 style) and gives exactly the ids of the Hugging Face `tokenizers` library, checked
// against it by golden files (tests/data/tokenizer/). Plain C++: no LibTorch in this header.
//
// Thread safety: a loaded Tokenizer is immutable apart from its internal word cache (which is locked);
// encode and decode may run concurrently from several threads.
//
// Errors: loading throws EngineError naming the file and the JSON path of what is malformed or not
// supported ("tokenizer.json: pre_tokenizer.pretokenizers[0].pattern.Regex: unsupported pre-tokenizer
// pattern: ..."); encode throws EngineError for text that is not valid UTF-8.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine {

struct AddedToken {
    int32_t id = 0;
    std::string content;
    bool special = false;     // skipped by decode(..., skipSpecialTokens = true)
    bool singleWord = false;  // only matches where it is not inside a word
    bool lstrip = false;      // swallows whitespace on its left
    bool rstrip = false;      // swallows whitespace on its right
    bool normalized = false;  // matched against the normalized text instead of the raw text
};

// Special token ids a model directory declares (tokenizer_config.json); empty when not declared.
struct SpecialTokenIds {
    std::optional<int32_t> bos, eos, pad, unk;
};

class Tokenizer {
public:
    // Loads tokenizer.json. Throws EngineError.
    static Tokenizer loadFile(const std::string &path);
    // Parses tokenizer.json text; `name` is used in error messages.
    static Tokenizer fromJson(std::string_view json, const std::string &name = "tokenizer.json");
    // Loads DIR/tokenizer.json and, when present, DIR/tokenizer_config.json for bos/eos/pad/unk.
    static Tokenizer loadModelDir(const std::string &dir);

    Tokenizer(Tokenizer &&) noexcept;
    Tokenizer &operator=(Tokenizer &&) noexcept;
    ~Tokenizer();

    // Ids of `text` (valid UTF-8). With addSpecialTokens the post-processor's template is applied (e.g. a
    // BOS for Llama); Qwen's has none. Special-token strings in the text ("<|im_start|>") become their ids.
    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = false) const;

    // Text of `ids`. Ids outside the vocabulary are skipped (as Hugging Face does); incomplete UTF-8 at the
    // end or in the middle becomes U+FFFD. For streaming use IncrementalDecoder.
    std::string decode(std::span<const int32_t> ids, bool skipSpecialTokens = false) const;

    std::optional<int32_t> tokenToId(std::string_view token) const;
    // The token's string as the decoder sees it (a normalized added token comes out normalized, as in
    // Hugging Face).
    std::optional<std::string> idToToken(int32_t id) const;
    // Model vocabulary plus added tokens that are not in it (Hugging Face's get_vocab_size(true)).
    std::size_t vocabSize() const;
    const std::vector<AddedToken> &addedTokens() const;
    bool isSpecial(int32_t id) const;

    const SpecialTokenIds &specialIds() const;
    void setSpecialIds(const SpecialTokenIds &ids);

    struct Impl;

private:
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// UTF-8-safe streaming decoder: feed ids as a model generates them and get text pieces that never split
// a UTF-8 character (nor a run of byte-fallback tokens). Text that is not complete yet (a decode that
// ends in U+FFFD) is held back until a later id completes it. Follows Hugging Face's DecodeStream: a
// few earlier ids are kept as context so that decoders which look at neighbours (Metaspace's leading
// space) give the same text as decoding everything at once.
class IncrementalDecoder {
public:
    // `tokenizer` must outlive the decoder. One decoder per stream (not thread-safe itself).
    explicit IncrementalDecoder(const Tokenizer &tokenizer, bool skipSpecialTokens = false);

    // The newly completed text after adding `id` (often empty while a character is incomplete).
    std::string push(int32_t id);
    // Whatever is still held back, decoded as it is (incomplete UTF-8 becomes U+FFFD); resets the stream.
    std::string flush();

private:
    const Tokenizer &tokenizer_;
    bool skipSpecial_;
    std::vector<int32_t> ids_;  // context ids followed by the ids not yet emitted
    std::size_t prefixIndex_ = 0;  // ids_[0, prefixIndex_) are context
    std::string prefix_;        // decode of the context
};

}  // namespace blyan::engine
