#include "engine/tokenizer/added_tokens.h"

#include "engine/tokenizer/unicode.h"

#include <algorithm>

namespace blyan::engine::tok {

AddedTokenMatcher::AddedTokenMatcher(const std::vector<const AddedToken *> &tokens, const std::vector<std::string> &patterns)
{
    nodes_.emplace_back();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string &p = patterns[i];
        if (p.empty()) continue;  // an empty pattern never matches (Hugging Face skips empty tokens)
        int32_t node = 0;
        for (unsigned char b : p) {
            int32_t next = child(node, b);
            if (next < 0) {
                next = static_cast<int32_t>(nodes_.size());
                nodes_[static_cast<std::size_t>(node)].next.emplace_back(b, next);
                nodes_.emplace_back();
            }
            node = next;
        }
        // Two tokens with the same pattern: the first one wins, like the first pattern of an automaton.
        if (nodes_[static_cast<std::size_t>(node)].token < 0) {
            nodes_[static_cast<std::size_t>(node)].token = static_cast<int32_t>(tokens_.size());
            tokens_.push_back(tokens[i]);
        }
        firstByte_[static_cast<unsigned char>(p[0])] = true;
    }
}

int32_t AddedTokenMatcher::child(int32_t node, unsigned char b) const
{
    for (const auto &[c, n] : nodes_[static_cast<std::size_t>(node)].next)
        if (c == b) return n;
    return -1;
}

namespace {

// First / last character of a UTF-8 string (valid text).
char32_t firstChar(std::string_view s)
{
    std::size_t i = 0;
    return unicode::nextCodePoint(s, i);
}

char32_t lastChar(std::string_view s)  // s is not empty
{
    std::size_t i = s.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return firstChar(s.substr(i));
}

}  // namespace

std::vector<TokenSpan> AddedTokenMatcher::split(std::string_view text) const
{
    std::vector<TokenSpan> out;
    if (text.empty()) {
        out.push_back(TokenSpan{0, 0, -1});
        return out;
    }
    std::size_t startOffset = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        int32_t found = -1;
        std::size_t foundEnd = 0;
        if (firstByte_[static_cast<unsigned char>(text[pos])]) {
            int32_t node = 0;
            for (std::size_t k = pos; k < text.size(); ++k) {
                node = child(node, static_cast<unsigned char>(text[k]));
                if (node < 0) break;
                if (nodes_[static_cast<std::size_t>(node)].token >= 0) {
                    found = nodes_[static_cast<std::size_t>(node)].token;
                    foundEnd = k + 1;
                }
            }
        }
        if (found < 0) {
            ++pos;
            continue;
        }
        const AddedToken &tok = *tokens_[static_cast<std::size_t>(found)];
        std::size_t start = pos, stop = foundEnd;
        pos = foundEnd;  // the next search starts after this match even if it is discarded below
        if (tok.singleWord) {
            const bool startSpace = start == 0 || !unicode::isWordChar(lastChar(text.substr(0, start)));
            const bool stopSpace = stop == text.size() || !unicode::isWordChar(firstChar(text.substr(stop)));
            if (!startSpace || !stopSpace) continue;
        }
        if (tok.lstrip) {
            std::size_t s = start;
            while (s > 0) {
                std::size_t b = s - 1;
                while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
                if (!unicode::isWhitespace(firstChar(text.substr(b)))) break;
                s = b;
            }
            start = std::max(s, startOffset);
        }
        if (tok.rstrip) {
            std::size_t e = stop;
            while (e < text.size()) {
                std::size_t k = e;
                if (!unicode::isWhitespace(unicode::nextCodePoint(text, k))) break;
                e = k;
            }
            stop = e;
        }
        if (startOffset < start) out.push_back(TokenSpan{startOffset, start, -1});
        out.push_back(TokenSpan{start, stop, tok.id});
        startOffset = stop;
    }
    if (startOffset != text.size()) out.push_back(TokenSpan{startOffset, text.size(), -1});
    return out;
}

}  // namespace blyan::engine::tok
