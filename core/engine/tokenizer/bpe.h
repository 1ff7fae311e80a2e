#pragma once
// The BPE model of tokenizer.json: vocab, ranked merges, byte fallback, unknown token, continuing-subword
// prefix / end-of-word suffix, ignore_merges, and a bounded per-piece cache. Internal to the tokenizer.

#include "engine/util/json.h"

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace blyan::engine::tok {

class BpeModel {
public:
    BpeModel(const json::Value &model, const std::string &path);

    // Appends the ids of one pre-tokenized piece.
    void tokenize(std::string_view piece, std::vector<int32_t> &out) const;

    std::optional<int32_t> tokenToId(std::string_view token) const;
    const std::string *idToToken(int32_t id) const;  // nullptr when the id is not in the vocab
    std::size_t vocabSize() const { return vocab_.size(); }

    // Words longer than this (in bytes) are not cached, like Hugging Face's MAX_LENGTH.
    static constexpr std::size_t kCacheMaxWordBytes = 256;
    static constexpr std::size_t kCacheCapacity = 100000;

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Merge {
        int32_t rank;
        int32_t id;
    };

    void mergeWord(std::string_view word, std::vector<int32_t> &out) const;
    static uint64_t pairKey(int32_t a, int32_t b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

    std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> vocab_;
    std::vector<const std::string *> idToToken_;  // dense by id (ids may have gaps: nullptr)
    std::unordered_map<uint64_t, Merge> merges_;
    std::optional<std::string> unkToken_;
    std::string prefix_;  // continuing_subword_prefix
    std::string suffix_;  // end_of_word_suffix
    bool byteFallback_ = false;
    bool fuseUnk_ = false;
    bool ignoreMerges_ = false;
    int32_t byteIds_[256];  // <0xXX> ids for byte fallback, -1 when absent
    // Ids of the single-character tokens, so that splitting a word into symbols needs no string hashing
    // (used when there is no continuing-subword prefix or end-of-word suffix to add).
    std::unordered_map<char32_t, int32_t> charIds_;

    mutable std::shared_mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>, Hash, std::equal_to<>> cache_;
};

}  // namespace blyan::engine::tok
