// Pre-tokenizers of tokenizer.json: Sequence, Split, ByteLevel, Metaspace, Digits, WhitespaceSplit.
// Splitting follows Hugging Face's NormalizedString::split: the pattern's matches and the gaps between
// them cover the piece, `invert` swaps the two, the behavior decides what is kept and merged, and empty
// results are dropped.
#include "engine/tokenizer/components.h"

#include "engine/tokenizer/regex.h"
#include "engine/tokenizer/unicode.h"

#include <algorithm>
#include <array>

namespace blyan::engine::tok {

namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 to U+0100.. in order.
struct ByteAlphabet {
    std::array<std::string, 256> toChar;
    std::array<int, 324> fromChar;  // code points up to U+0143

    ByteAlphabet()
    {
        fromChar.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            const char32_t c = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(next++);
            unicode::appendUtf8(toChar[b], c);
            fromChar[c] = b;
        }
    }
};

const ByteAlphabet &alphabet()
{
    static const ByteAlphabet a;
    return a;
}

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

Behavior parseBehavior(const json::Value &v, const std::string &path)
{
    const std::string b = stringField(v, "behavior", path);
    if (b == "Removed") return Behavior::Removed;
    if (b == "Isolated") return Behavior::Isolated;
    if (b == "MergedWithPrevious") return Behavior::MergedWithPrevious;
    if (b == "MergedWithNext") return Behavior::MergedWithNext;
    if (b == "Contiguous") return Behavior::Contiguous;
    fail(path + ".behavior", "unsupported split behavior '" + b + "'");
}

struct Span {
    std::size_t begin, end;  // byte offsets
    bool isMatch;
};

// Applies `behavior` to spans covering a piece and appends the kept, non-empty sub-pieces.
void emit(const Piece &piece, std::vector<Span> spans, Behavior behavior, bool invert, std::vector<Piece> &out)
{
    if (invert)
        for (Span &s : spans) s.isMatch = !s.isMatch;
    std::vector<Span> kept;
    bool previousMatch = false;
    switch (behavior) {
    case Behavior::Removed:
        for (const Span &s : spans)
            if (!s.isMatch) kept.push_back(s);
        break;
    case Behavior::Isolated:
        kept = spans;
        break;
    case Behavior::MergedWithPrevious:
        for (const Span &s : spans) {
            if (s.isMatch && !previousMatch && !kept.empty()) kept.back().end = s.end;
            else kept.push_back(s);
            previousMatch = s.isMatch;
        }
        break;
    case Behavior::MergedWithNext:
        for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
            if (it->isMatch && !previousMatch && !kept.empty()) kept.back().begin = it->begin;
            else kept.push_back(*it);
            previousMatch = it->isMatch;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    case Behavior::Contiguous:
        for (const Span &s : spans) {
            if (s.isMatch == previousMatch && !kept.empty()) kept.back().end = s.end;
            else kept.push_back(s);
            previousMatch = s.isMatch;
        }
        break;
    }
    for (const Span &s : kept)
        if (s.end > s.begin) out.push_back(Piece{piece.text.substr(s.begin, s.end - s.begin), piece.atOrigin && s.begin == 0});
}

// Matches of a regex over a piece as spans (gaps included), in byte offsets.
std::vector<Span> regexSpans(const regex::Regex &re, const std::string &text)
{
    std::u32string cps;
    std::vector<std::size_t> offsets;  // byte offset of each code point, plus the end
    cps.reserve(text.size());
    offsets.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size();) {
        offsets.push_back(i);
        cps.push_back(unicode::nextCodePoint(text, i));
    }
    offsets.push_back(text.size());
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    re.findAll(cps, matches);
    std::vector<Span> spans;
    spans.reserve(matches.size() * 2 + 1);
    std::size_t prev = 0;
    for (const auto &[s, e] : matches) {
        if (s > cps.size()) break;
        if (prev != s) spans.push_back(Span{offsets[prev], offsets[s], false});
        spans.push_back(Span{offsets[s], offsets[e], true});
        prev = e;
    }
    if (prev != cps.size()) spans.push_back(Span{offsets[prev], text.size(), false});
    return spans;
}

// Occurrences of a literal string (or single character) as spans.
std::vector<Span> literalSpans(const std::string &needle, const std::string &text)
{
    std::vector<Span> spans;
    std::size_t prev = 0;
    if (!needle.empty())
        for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, prev)) {
            if (prev != at) spans.push_back(Span{prev, at, false});
            spans.push_back(Span{at, at + needle.size(), true});
            prev = at + needle.size();
        }
    if (prev != text.size()) spans.push_back(Span{prev, text.size(), false});
    return spans;
}

// Spans of characters that satisfy a predicate, one span per character (Hugging Face's char patterns).
template <typename Pred>
std::vector<Span> charSpans(const std::string &text, Pred pred)
{
    std::vector<Span> spans;
    std::size_t prev = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        if (pred(unicode::nextCodePoint(text, i))) {
            if (prev != start) spans.push_back(Span{prev, start, false});
            spans.push_back(Span{start, i, true});
            prev = i;
        }
    }
    if (prev != text.size()) spans.push_back(Span{prev, text.size(), false});
    return spans;
}

template <typename F>
void forEachPiece(std::vector<Piece> &pieces, F splitOne)
{
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (const Piece &p : pieces) splitOne(p, out);
    pieces.swap(out);
}

class SequencePre : public PreTokenizer {
public:
    explicit SequencePre(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
    void apply(std::vector<Piece> &pieces) const override
    {
        for (const auto &s : steps_) s->apply(pieces);
    }

private:
    std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

class SplitPre : public PreTokenizer {
public:
    SplitPre(std::string literal, std::unique_ptr<regex::Regex> re, Behavior b, bool invert)
        : literal_(std::move(literal)), re_(std::move(re)), behavior_(b), invert_(invert)
    {
    }
    void apply(std::vector<Piece> &pieces) const override
    {
        forEachPiece(pieces, [&](const Piece &p, std::vector<Piece> &out) {
            emit(p, re_ ? regexSpans(*re_, p.text) : literalSpans(literal_, p.text), behavior_, invert_, out);
        });
    }

private:
    std::string literal_;
    std::unique_ptr<regex::Regex> re_;
    Behavior behavior_;
    bool invert_;
};

// The GPT-2 pattern ByteLevel uses when use_regex is true.
const char *kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPre : public PreTokenizer {
public:
    ByteLevelPre(bool addPrefixSpace, bool useRegex) : addPrefixSpace_(addPrefixSpace)
    {
        if (useRegex) re_ = std::make_unique<regex::Regex>(kGpt2Pattern);
    }
    void apply(std::vector<Piece> &pieces) const override
    {
        forEachPiece(pieces, [&](const Piece &in, std::vector<Piece> &out) {
            Piece p = in;
            if (addPrefixSpace_ && (p.text.empty() || p.text[0] != ' ')) p.text.insert(p.text.begin(), ' ');
            const std::size_t first = out.size();
            if (re_) emit(p, regexSpans(*re_, p.text), Behavior::Isolated, false, out);
            else if (!p.text.empty()) out.push_back(std::move(p));
            for (std::size_t k = first; k < out.size(); ++k) {
                std::string mapped;
                mapped.reserve(out[k].text.size() * 2);
                for (unsigned char b : out[k].text) mapped += alphabet().toChar[b];
                out[k].text.swap(mapped);
            }
        });
    }

private:
    bool addPrefixSpace_;
    std::unique_ptr<regex::Regex> re_;
};

class MetaspacePre : public PreTokenizer {
public:
    enum class Prepend { Always, First, Never };
    MetaspacePre(std::string replacement, Prepend prepend, bool split) : replacement_(std::move(replacement)), prepend_(prepend), split_(split) {}
    void apply(std::vector<Piece> &pieces) const override
    {
        forEachPiece(pieces, [&](const Piece &in, std::vector<Piece> &out) {
            Piece p{std::string(), in.atOrigin};
            for (char c : in.text) {
                if (c == ' ') p.text += replacement_;
                else p.text.push_back(c);
            }
            const bool starts = p.text.compare(0, replacement_.size(), replacement_) == 0;
            if (!starts && (prepend_ == Prepend::Always || (prepend_ == Prepend::First && in.atOrigin))) p.text = replacement_ + p.text;
            if (split_) emit(p, literalSpans(replacement_, p.text), Behavior::MergedWithNext, false, out);
            else if (!p.text.empty()) out.push_back(std::move(p));
        });
    }

private:
    std::string replacement_;
    Prepend prepend_;
    bool split_;
};

class DigitsPre : public PreTokenizer {
public:
    explicit DigitsPre(bool individual) : individual_(individual) {}
    void apply(std::vector<Piece> &pieces) const override
    {
        forEachPiece(pieces, [&](const Piece &p, std::vector<Piece> &out) {
            emit(p, charSpans(p.text, [](char32_t c) { return unicode::isNumber(unicode::category(c)); }),
                 individual_ ? Behavior::Isolated : Behavior::Contiguous, false, out);
        });
    }

private:
    bool individual_;
};

class WhitespaceSplitPre : public PreTokenizer {
public:
    void apply(std::vector<Piece> &pieces) const override
    {
        forEachPiece(pieces, [&](const Piece &p, std::vector<Piece> &out) {
            emit(p, charSpans(p.text, unicode::isWhitespace), Behavior::Removed, false, out);
        });
    }
};

}  // namespace

const std::string &byteToChar(uint8_t b) { return alphabet().toChar[b]; }

int charToByte(char32_t c) { return c < alphabet().fromChar.size() ? alphabet().fromChar[c] : -1; }

std::unique_ptr<PreTokenizer> makePreTokenizer(const json::Value &v, const std::string &path)
{
    if (v.isNull()) return nullptr;
    const std::string type = typeOf(v, path);
    if (type == "Sequence") {
        const json::Value &list = field(v, "pretokenizers", path);
        if (!list.isArray()) fail(path + ".pretokenizers", "expected an array");
        std::vector<std::unique_ptr<PreTokenizer>> steps;
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto s = makePreTokenizer(list.asArray()[i], path + ".pretokenizers[" + std::to_string(i) + "]");
            if (s) steps.push_back(std::move(s));
        }
        return std::make_unique<SequencePre>(std::move(steps));
    }
    if (type == "Split") {
        std::string literal;
        std::unique_ptr<regex::Regex> re;
        readPattern(field(v, "pattern", path), path + ".pattern", "pre-tokenizer", literal, re);
        return std::make_unique<SplitPre>(std::move(literal), std::move(re), parseBehavior(v, path), boolField(v, "invert", false, path));
    }
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPre>(boolField(v, "add_prefix_space", true, path), boolField(v, "use_regex", true, path));
    if (type == "Metaspace") {
        const std::string replacement = stringField(v, "replacement", path);
        if (unicode::decodeUtf8(replacement).size() != 1) fail(path + ".replacement", "expected a single character");
        MetaspacePre::Prepend prepend = MetaspacePre::Prepend::Always;
        if (const json::Value *scheme = optionalField(v, "prepend_scheme")) {
            const std::string s = scheme->isString() ? scheme->asString() : std::string();
            if (s == "always") prepend = MetaspacePre::Prepend::Always;
            else if (s == "first") prepend = MetaspacePre::Prepend::First;
            else if (s == "never") prepend = MetaspacePre::Prepend::Never;
            else fail(path + ".prepend_scheme", "expected \"always\", \"first\" or \"never\"");
        } else if (!boolField(v, "add_prefix_space", true, path)) {
            prepend = MetaspacePre::Prepend::Never;  // files older than prepend_scheme
        }
        return std::make_unique<MetaspacePre>(replacement, prepend, boolField(v, "split", true, path));
    }
    if (type == "Digits") return std::make_unique<DigitsPre>(boolField(v, "individual_digits", false, path));
    if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplitPre>();
    fail(path, "unsupported pre-tokenizer type '" + type + "' (supported: Sequence, Split, ByteLevel, Metaspace, Digits, WhitespaceSplit)");
}

}  // namespace blyan::engine::tok
