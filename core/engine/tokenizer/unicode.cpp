#include "engine/tokenizer/unicode.h"

#include "engine/tokenizer/unicode_tables.h"
#include "engine/util/error.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace blyan::engine::unicode {

namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// Two bytes per code point (2.2 MB, built once on first use in a few milliseconds): the category in the
// low 5 bits and the normalization flags, so that the hot paths (regex classes, the normalization quick
// check) cost one load per character instead of a binary search.
constexpr uint16_t kCategoryMask = 0x1F;
constexpr uint16_t kHasCanonical = 0x20;  // canonical decomposition (or a Hangul syllable)
constexpr uint16_t kHasCompat = 0x40;     // compatibility decomposition that differs from the canonical one
constexpr uint16_t kCombines = 0x80;      // non-zero combining class, or may compose with what precedes it
constexpr uint16_t kNotInNfc = 0x100;     // canonical decomposition but not a primary composite (NFC_QC=No)

// Hangul syllables decompose and compose algorithmically (Unicode chapter 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

struct Properties {
    std::unique_ptr<uint16_t[]> bits{new uint16_t[kMaxCodePoint + 1]()};
    std::unique_ptr<uint8_t[]> ccc{new uint8_t[kMaxCodePoint + 1]()};

    Properties()
    {
        using namespace tables;
        for (std::size_t i = 0; i < kCategoryRangesCount; ++i)
            for (char32_t c = kCategoryRanges[i].first; c <= kCategoryRanges[i].last; ++c)
                bits[c] = kCategoryRanges[i].category;
        for (std::size_t i = 0; i < kCombiningClassRangesCount; ++i)
            for (char32_t c = kCombiningClassRanges[i].first; c <= kCombiningClassRanges[i].last; ++c) {
                ccc[c] = kCombiningClassRanges[i].ccc;
                bits[c] |= kCombines;
            }
        for (std::size_t i = 0; i < kCanonicalDecompositionsCount; ++i)
            bits[kCanonicalDecompositions[i].cp] |= kHasCanonical | kNotInNfc;
        for (std::size_t i = 0; i < kCompatibilityDecompositionsCount; ++i) bits[kCompatibilityDecompositions[i].cp] |= kHasCompat;
        for (std::size_t i = 0; i < kCompositionsCount; ++i) {
            bits[kCompositions[i].second] |= kCombines;
            bits[kCompositions[i].composite] &= static_cast<uint16_t>(~kNotInNfc);
        }
        for (char32_t c = kSBase; c < kSBase + kSCount; ++c) bits[c] |= kHasCanonical;
        for (char32_t c = kVBase; c < kVBase + kVCount; ++c) bits[c] |= kCombines;
        for (char32_t c = kTBase + 1; c < kTBase + kTCount; ++c) bits[c] |= kCombines;
    }
};

const Properties &props()
{
    static const Properties p;  // thread-safe lazy initialisation
    return p;
}

uint16_t propertyBits(char32_t cp) { return cp <= kMaxCodePoint ? props().bits[cp] : 0; }
uint8_t combiningClass(char32_t cp) { return cp <= kMaxCodePoint ? props().ccc[cp] : 0; }

template <typename T>
const T *findByCp(const T *table, std::size_t count, char32_t cp)
{
    const T *end = table + count;
    const T *it = std::lower_bound(table, end, cp, [](const T &e, char32_t c) { return e.cp < c; });
    return it != end && it->cp == cp ? it : nullptr;
}

void appendDecomposition(std::u32string &out, char32_t cp, bool compat)
{
    const uint16_t p = propertyBits(cp);
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const int s = static_cast<int>(cp - kSBase);
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
        return;
    }
    const tables::Decomposition *d = nullptr;
    if (compat && (p & kHasCompat))
        d = findByCp(tables::kCompatibilityDecompositions, tables::kCompatibilityDecompositionsCount, cp);
    if (!d && (p & kHasCanonical))
        d = findByCp(tables::kCanonicalDecompositions, tables::kCanonicalDecompositionsCount, cp);
    if (!d) {
        out.push_back(cp);
        return;
    }
    out.append(tables::kDecompositionData + d->offset, d->length);
}

// Primary composite of a pair, or 0.
char32_t compose(char32_t a, char32_t b)
{
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
        return a + (b - kTBase);
    const auto *end = tables::kCompositions + tables::kCompositionsCount;
    const auto *it = std::lower_bound(tables::kCompositions, end, std::pair{a, b}, [](const tables::Composition &e, std::pair<char32_t, char32_t> k) {
        return e.first != k.first ? e.first < k.first : e.second < k.second;
    });
    return it != end && it->first == a && it->second == b ? it->composite : 0;
}

// Canonical ordering: a stable sort of each run of non-starters by combining class.
void reorder(std::u32string &s)
{
    for (std::size_t i = 1; i < s.size(); ++i) {
        const uint8_t c = combiningClass(s[i]);
        if (c == 0) continue;
        std::size_t j = i;
        while (j > 0 && combiningClass(s[j - 1]) > c) {
            std::swap(s[j - 1], s[j]);
            --j;
        }
    }
}

// The canonical composition algorithm (UAX #15): a character composes with the last starter unless a
// character of the same or higher class (or a starter) stands between them.
void composeInPlace(std::u32string &s)
{
    if (s.empty()) return;
    std::size_t starterPos = 0;
    int lastClass = combiningClass(s[0]) ? 256 : 0;
    std::size_t out = 1;
    for (std::size_t i = 1; i < s.size(); ++i) {
        const char32_t ch = s[i];
        const int cls = combiningClass(ch);
        // lastClass == 0 means the last kept character is the starter itself (nothing in between).
        const bool blocked = !(lastClass < cls || lastClass == 0);
        const char32_t composite = blocked ? 0 : compose(s[starterPos], ch);
        if (composite != 0) {
            s[starterPos] = composite;
            continue;
        }
        if (cls == 0) starterPos = out;
        lastClass = cls;
        s[out++] = ch;
    }
    s.resize(out);
}

}  // namespace

const char *unicodeVersion() { return tables::kUnicodeVersion; }
const char *normalizationVersion() { return tables::kNormalizationVersion; }

Category category(char32_t cp) { return static_cast<Category>(propertyBits(cp) & kCategoryMask); }

bool isWhitespace(char32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || isSeparator(category(cp));
}

bool isWordChar(char32_t cp)
{
    const Category c = category(cp);
    if (isLetter(c) || isMark(c) || c == Category::Nd || c == Category::Nl || c == Category::Pc) return true;
    if (cp == 0x200C || cp == 0x200D) return true;  // Join_Control
    const auto *end = tables::kOtherAlphabeticRanges + tables::kOtherAlphabeticRangesCount;
    const auto *it = std::upper_bound(tables::kOtherAlphabeticRanges, end, cp,
                                      [](char32_t c, const tables::CodePointRange &r) { return c < r.first; });
    return it != tables::kOtherAlphabeticRanges && cp <= (it - 1)->last;
}

char32_t simpleFold(char32_t cp)
{
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    const auto *e = findByCp(tables::kSimpleCaseFolding, tables::kSimpleCaseFoldingCount, cp);
    return e ? e->folded : cp;
}

const std::vector<char32_t> &foldsTo(char32_t folded)
{
    static const auto inverse = [] {
        std::unordered_map<char32_t, std::vector<char32_t>> m;
        for (std::size_t i = 0; i < tables::kSimpleCaseFoldingCount; ++i)
            m[tables::kSimpleCaseFolding[i].folded].push_back(tables::kSimpleCaseFolding[i].cp);
        return m;
    }();
    static const std::vector<char32_t> none;
    const auto it = inverse.find(folded);
    return it == inverse.end() ? none : it->second;
}

int utf8SequenceLength(unsigned char lead)
{
    if (lead < 0xC2) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    if (lead < 0xF5) return 4;
    return 1;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid (overlong, surrogate, > U+10FFFF, cut).
std::size_t validSequenceAt(std::string_view s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    const std::size_t n = static_cast<std::size_t>(utf8SequenceLength(c));
    if (n == 1 || i + n > s.size()) return 0;
    const unsigned char c1 = b(i + 1);
    // The second byte's range depends on the lead byte (Unicode table 3-7).
    const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (c1 < lo || c1 > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if ((b(i + k) & 0xC0) != 0x80) return 0;
    return n;
}

}  // namespace

char32_t nextCodePoint(std::string_view s, std::size_t &i)
{
    const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    const char32_t c = b(i);
    if (c < 0x80) {
        ++i;
        return c;
    }
    if (c < 0xE0) {
        const char32_t cp = ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
        i += 2;
        return cp;
    }
    if (c < 0xF0) {
        const char32_t cp = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
        i += 3;
        return cp;
    }
    const char32_t cp = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F);
    i += 4;
    return cp;
}

bool isValidUtf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = validSequenceAt(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::u32string decodeUtf8(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (validSequenceAt(s, i) == 0)
            throw EngineError("text is not valid UTF-8 (byte " + std::to_string(i) + ")");
        out.push_back(nextCodePoint(s, i));
    }
    return out;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string lossyUtf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = validSequenceAt(s, i);
        if (n) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        // A maximal subpart of an ill-formed sequence: the lead byte plus the continuation bytes that
        // could still have completed it (the W3C/Unicode "substitution of maximal subparts" practice).
        const unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t k = i + 1;
        const std::size_t want = static_cast<std::size_t>(utf8SequenceLength(c));
        if (want > 1 && k < s.size()) {
            const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
            const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            const unsigned char c1 = static_cast<unsigned char>(s[k]);
            if (c1 >= lo && c1 <= hi) {
                ++k;
                while (k < s.size() && k < i + want && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) ++k;
            }
        }
        out += "\xEF\xBF\xBD";
        i = k;
    }
    return out;
}

namespace {

// Characters with none of these flags are left alone by `form` and interact with no neighbour: they do not
// decompose (or, for NFC, may stay composed), have combining class 0 and never compose with what precedes.
uint16_t unsafeFlags(Form form)
{
    switch (form) {
    case Form::NFC: return kNotInNfc | kCombines;
    case Form::NFKC: return kNotInNfc | kCombines | kHasCompat;
    case Form::NFD: return kHasCanonical | kCombines;
    case Form::NFKD: return kHasCanonical | kCombines | kHasCompat;
    }
    return 0xFFFF;
}

// The full algorithm on a region that starts and ends at safe boundaries.
void normalizeRegion(std::string_view region, Form form, std::string &out)
{
    const bool compat = form == Form::NFKC || form == Form::NFKD;
    std::u32string cps;
    cps.reserve(region.size());
    for (std::size_t i = 0; i < region.size();) appendDecomposition(cps, nextCodePoint(region, i), compat);
    reorder(cps);
    if (form == Form::NFC || form == Form::NFKC) composeInPlace(cps);
    for (char32_t c : cps) appendUtf8(out, c);
}

// Offset of the first non-ASCII byte at or after i (ASCII is safe in every form), eight bytes at a time.
std::size_t skipAscii(std::string_view s, std::size_t i)
{
    while (i + 8 <= s.size()) {
        uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        if (word & 0x8080808080808080ull) break;
        i += 8;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

}  // namespace

bool isQuickNormalized(std::string_view utf8, Form form)
{
    const uint16_t unsafe = unsafeFlags(form);
    const uint16_t *bits = props().bits.get();
    for (std::size_t i = skipAscii(utf8, 0); i < utf8.size(); i = skipAscii(utf8, i))
        if (bits[nextCodePoint(utf8, i)] & unsafe) return false;
    return true;
}

// Only the regions around characters that may change are run through the full algorithm: a region runs
// from the last safe character before such a character (it may compose with what follows) to the next
// safe one (which neither reorders with nor composes onto what precedes it), so a long text with a few
// accents costs little more than the quick check.
std::string normalize(std::string_view utf8, Form form)
{
    const uint16_t unsafe = unsafeFlags(form);
    const uint16_t *bits = props().bits.get();
    std::string out;
    std::size_t copied = 0;     // utf8[0, copied) is in `out`
    std::size_t lastSafe = 0;   // start of the last safe character seen
    for (std::size_t i = 0; i < utf8.size();) {
        const std::size_t ascii = skipAscii(utf8, i);
        if (ascii > i) {
            lastSafe = ascii - 1;
            i = ascii;
            continue;
        }
        const std::size_t start = i;
        if (!(bits[nextCodePoint(utf8, i)] & unsafe)) {
            lastSafe = start;
            continue;
        }
        const std::size_t begin = std::max(lastSafe, copied);
        std::size_t end = i;
        while (end < utf8.size()) {
            std::size_t k = end;
            if (!(bits[nextCodePoint(utf8, k)] & unsafe)) break;
            end = k;
        }
        if (out.empty()) out.reserve(utf8.size() + 16);
        out.append(utf8.substr(copied, begin - copied));
        normalizeRegion(utf8.substr(begin, end - begin), form, out);
        copied = end;
        i = end;
        lastSafe = end;
    }
    if (copied == 0) return std::string(utf8);
    out.append(utf8.substr(copied));
    return out;
}

}  // namespace blyan::engine::unicode
