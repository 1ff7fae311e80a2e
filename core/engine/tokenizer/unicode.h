#pragma once
// Unicode services for the tokenizer: UTF-8 decoding, general categories, simple case folding and the
// NFC/NFKC/NFD/NFKD normalization forms. The data is generated (unicode_tables.cpp); see
// tools/gen_unicode_tables.py for why categories and normalization come from different Unicode versions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::engine::unicode {

// Same order as CATEGORIES in tools/gen_unicode_tables.py; Cn (unassigned) is 0.
enum class Category : uint8_t {
    Cn, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps, Pe,
    Pi, Pf, Po, Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co,
    Count
};

const char *unicodeVersion();        // of the categories
const char *normalizationVersion();  // of the normalization data

Category category(char32_t cp);
inline bool isLetter(Category c) { return c >= Category::Lu && c <= Category::Lo; }
inline bool isMark(Category c) { return c >= Category::Mn && c <= Category::Me; }
inline bool isNumber(Category c) { return c >= Category::Nd && c <= Category::No; }
inline bool isPunctuation(Category c) { return c >= Category::Pc && c <= Category::Po; }
inline bool isSymbol(Category c) { return c >= Category::Sm && c <= Category::So; }
inline bool isSeparator(Category c) { return c >= Category::Zs && c <= Category::Zp; }
inline bool isOther(Category c) { return c == Category::Cn || c >= Category::Cc; }
// White_Space: what Oniguruma's \s and Rust's char::is_whitespace both match.
bool isWhitespace(char32_t cp);
// Rust regex's \w: Alphabetic, marks, decimal digits, connector punctuation, joiners.
bool isWordChar(char32_t cp);

// Simple case folding (CaseFolding statuses C and S); cp itself when it does not fold.
char32_t simpleFold(char32_t cp);
// The code points other than `folded` whose simple case folding is `folded` (empty for most).
const std::vector<char32_t> &foldsTo(char32_t folded);

// UTF-8. decodeUtf8 throws EngineError naming the byte offset of the first invalid sequence.
std::u32string decodeUtf8(std::string_view s);
// Decodes one code point at s[i] of a string known to be valid UTF-8 and advances i.
char32_t nextCodePoint(std::string_view s, std::size_t &i);
void appendUtf8(std::string &out, char32_t cp);
// Byte length of a valid UTF-8 sequence from its lead byte (1 for continuation or invalid bytes).
int utf8SequenceLength(unsigned char lead);
bool isValidUtf8(std::string_view s);
// Rust's String::from_utf8_lossy: each maximal invalid subpart becomes one U+FFFD.
std::string lossyUtf8(std::string_view bytes);

enum class Form { NFC, NFD, NFKC, NFKD };
// Normalizes valid UTF-8 text. Characters that cannot change and do not interact with neighbours are copied
// as they are; only the regions around the others go through decomposition, reordering and composition.
std::string normalize(std::string_view utf8, Form form);
// True when normalize() would return the text unchanged by its quick check (then it is normalized).
bool isQuickNormalized(std::string_view utf8, Form form);

}  // namespace blyan::engine::unicode
