#pragma once
// A small backtracking regex engine for the pre-tokenizer patterns of tokenizer.json files (Qwen2/Qwen3,
// GPT-2, Llama-3, GPT-4o style). It implements the subset of Oniguruma syntax those patterns use, with
// Oniguruma's semantics (leftmost-first alternation, greedy/lazy quantifiers, Unicode 16.0 categories):
//   literals and escapes (\t \n \r \f \v \e \xHH \x{H..} \uHHHH, escaped punctuation), '.',
//   classes [..] / [^..] with ranges, \s \S \d \D \w \W \p{X} \P{X} \p{^X} (X a general category or
//   category group: L, Lu, Ll, Lt, Lm, Lo, M, Mn, Mc, Me, N, Nd, Nl, No, P.., S.., Z.., C..),
//   groups (..) (?:..), case-insensitive (?i:..) and (?i), lookahead (?=..) (?!..),
//   quantifiers ? * + {n} {n,} {n,m} and their lazy forms.
// Anything else (anchors, backreferences, lookbehind, possessive or atomic forms, scripts in \p{..},
// nested class sets) is refused when the pattern is compiled, with the offending construct named: a
// pattern this engine cannot run exactly must never silently split text differently.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blyan::engine::regex {

struct Program;

class Regex {
public:
    // Throws EngineError("unsupported regex pattern ...: <construct> at offset N") or a syntax error.
    explicit Regex(std::string_view pattern);
    ~Regex();
    Regex(Regex &&) noexcept;
    Regex &operator=(Regex &&) noexcept;

    // All non-overlapping matches in `text` (code points), leftmost first, as [start, end) indices into
    // `text`. After an empty match the search resumes one character later, as Oniguruma's iterator does.
    void findAll(std::u32string_view text, std::vector<std::pair<std::size_t, std::size_t>> &out) const;

    const std::string &pattern() const { return pattern_; }

private:
    std::string pattern_;
    std::unique_ptr<Program> program_;
};

}  // namespace blyan::engine::regex
