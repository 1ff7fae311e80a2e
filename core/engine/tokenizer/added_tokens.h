#pragma once
// Splitting text on added tokens, as Hugging Face's AddedVocabulary::find_matches does: leftmost-longest
// non-overlapping occurrences (its Aho-Corasick MatchKind::LeftmostLongest), then per token the
// single_word filter (a discarded match still consumes its span) and lstrip/rstrip widening.

#include "engine/tokenizer/tokenizer.h"

#include <string_view>
#include <vector>

namespace blyan::engine::tok {

struct TokenSpan {
    std::size_t begin, end;  // byte offsets into the searched text
    int32_t id;              // -1 for text between tokens
};

class AddedTokenMatcher {
public:
    // `patterns[i]` is what to look for (the content, or its normalized form) for `tokens[i]`.
    AddedTokenMatcher(const std::vector<const AddedToken *> &tokens, const std::vector<std::string> &patterns);

    bool empty() const { return tokens_.empty(); }
    // Spans covering `text` in order (they may overlap after rstrip, exactly as in Hugging Face).
    std::vector<TokenSpan> split(std::string_view text) const;

private:
    struct Node {
        std::vector<std::pair<unsigned char, int32_t>> next;
        int32_t token = -1;  // index into tokens_ of the pattern ending here
    };
    int32_t child(int32_t node, unsigned char b) const;

    std::vector<const AddedToken *> tokens_;
    std::vector<Node> nodes_;
    bool firstByte_[256] = {};
};

}  // namespace blyan::engine::tok
