// The tokenizer's Unicode layer and regex engine: categories and normalization checked exhaustively
// against what Hugging Face tokenizers does (tests/data/tokenizer/unicode_reference.json, made by
// tests/engine/tokenizer_reference/encode.mjs), UTF-8 handling, and the regex subset and its refusals.
#include "engine/tokenizer/regex.h"
#include "engine/tokenizer/unicode.h"
#include "engine/util/error.h"
#include "tokenizer_test_util.h"

#include <map>

using namespace blyan::engine;
using namespace blyan::engine::testing;

namespace {

const json::Value &reference()
{
    static const json::Value v = json::parse(readText(tokenizerDataDir() + "/unicode_reference.json"));
    return v;
}

std::vector<bool> membership(const json::Value &ranges)
{
    std::vector<bool> in(0x110000, false);
    for (const json::Value &r : ranges.asArray())
        for (int64_t c = r.asArray()[0].asInt64(); c <= r.asArray()[1].asInt64(); ++c) in[static_cast<std::size_t>(c)] = true;
    return in;
}

std::string utf8(char32_t c)
{
    std::string s;
    unicode::appendUtf8(s, c);
    return s;
}

std::string hex(char32_t c)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

}  // namespace

// Oniguruma's \p{L}, \p{N} and \s (Unicode 16.0) on every code point.
TEST(TokenizerUnicode, CategoriesMatchOnigurumaOnEveryCodePoint)
{
    struct Class {
        const char *name;
        bool (*test)(char32_t);
    };
    const Class classes[] = {
        {"letter", [](char32_t c) { return unicode::isLetter(unicode::category(c)); }},
        {"number", [](char32_t c) { return unicode::isNumber(unicode::category(c)); }},
        {"space", [](char32_t c) { return unicode::isWhitespace(c); }},
    };
    for (const Class &k : classes) {
        const std::vector<bool> expected = membership(reference().at(k.name));
        int mismatches = 0;
        for (char32_t c = 2; c <= 0x10FFFF; ++c) {  // U+0001 separated the probes
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            if (k.test(c) != expected[c] && ++mismatches <= 5)
                ADD_FAILURE() << k.name << " differs at " << hex(c) << ": reference says " << expected[c];
        }
        EXPECT_EQ(mismatches, 0) << k.name;
    }
}

// NFC and NFKC of every single code point (Unicode 9.0 normalization data, like the reference).
TEST(TokenizerUnicode, NormalizationMatchesReferenceOnEveryCodePoint)
{
    for (const auto &[key, form] : {std::pair{"nfc", unicode::Form::NFC}, std::pair{"nfkc", unicode::Form::NFKC}}) {
        std::map<char32_t, std::string> changed;
        for (const json::Value &d : reference().at(key).asArray())
            changed[static_cast<char32_t>(d.asArray()[0].asInt64())] = d.asArray()[1].asString();
        int mismatches = 0;
        for (char32_t c = 2; c <= 0x10FFFF; ++c) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            const auto it = changed.find(c);
            const std::string expected = it == changed.end() ? utf8(c) : it->second;
            if (unicode::normalize(utf8(c), form) != expected && ++mismatches <= 5)
                ADD_FAILURE() << key << " of " << hex(c) << " differs: got " << quoted(unicode::normalize(utf8(c), form))
                              << ", expected " << quoted(expected);
        }
        EXPECT_EQ(mismatches, 0) << key;
    }
}

TEST(TokenizerUnicode, ComposesReordersAndLeavesNewerCharactersAlone)
{
    EXPECT_EQ(unicode::normalize("e\xCC\x81", unicode::Form::NFC), "\xC3\xA9");                       // e + acute
    EXPECT_EQ(unicode::normalize("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", unicode::Form::NFC), "\xEA\xB0\x81");  // Hangul LVT
    // x + acute (230) + dot below (220) -> dot below first.
    EXPECT_EQ(unicode::normalize("x\xCC\x81\xCC\xA3", unicode::Form::NFD), "x\xCC\xA3\xCC\x81");
    // U+11935 U+11930 (Unicode 13) compose in current Unicode, not in the reference's 9.0 data.
    EXPECT_EQ(unicode::normalize("\xF0\x91\xA4\xB5\xF0\x91\xA4\xB0", unicode::Form::NFC), "\xF0\x91\xA4\xB5\xF0\x91\xA4\xB0");
    EXPECT_EQ(unicode::normalize("plain ascii", unicode::Form::NFKC), "plain ascii");
}

TEST(TokenizerUnicode, Utf8ValidationAndLossyDecoding)
{
    EXPECT_TRUE(unicode::isValidUtf8("h\xC3\xA9 \xF0\x9F\x98\x80"));
    for (const char *bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xF0\x9F\x98", "\xFF"})
        EXPECT_FALSE(unicode::isValidUtf8(bad)) << quoted(bad);
    EXPECT_THROW(unicode::decodeUtf8("ok\xFF"), EngineError);
    // Rust's from_utf8_lossy: one U+FFFD per maximal invalid subpart.
    const std::string r = "\xEF\xBF\xBD";
    EXPECT_EQ(unicode::lossyUtf8("a\xF0\x9F\x98" "b"), "a" + r + "b");
    EXPECT_EQ(unicode::lossyUtf8("\xC0\xAF"), r + r);
    EXPECT_EQ(unicode::lossyUtf8("\xED\xA0\x80"), r + r + r);
    EXPECT_EQ(unicode::lossyUtf8("\xE2\x82"), r);
    EXPECT_EQ(unicode::lossyUtf8("\xF4\x90\x80\x80"), r + r + r + r);
}

namespace {

std::vector<std::string> matches(const std::string &pattern, const std::string &text)
{
    regex::Regex re(pattern);
    const std::u32string cps = unicode::decodeUtf8(text);
    std::vector<std::pair<std::size_t, std::size_t>> found;
    re.findAll(cps, found);
    std::vector<std::string> out;
    for (const auto &[s, e] : found) {
        std::string piece;
        for (std::size_t k = s; k < e; ++k) unicode::appendUtf8(piece, cps[k]);
        out.push_back(piece);
    }
    return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(TokenizerRegex, SupportedSyntax)
{
    EXPECT_EQ(matches(R"(\p{N}{1,3})", "12345 6"), (Strings{"123", "45", "6"}));
    EXPECT_EQ(matches(R"((?i:'s|'ll))", "'S 'Ll 's \xC5\xBF"), (Strings{"'S", "'Ll", "'s"}));
    EXPECT_EQ(matches(R"((?i:'s))", "'\xC5\xBF"), (Strings{"'\xC5\xBF"}));  // long s folds to s
    EXPECT_EQ(matches(R"(\s+(?!\S)|\s+)", "a   b "), (Strings{"  ", " ", " "}));
    EXPECT_EQ(matches(R"(a+?b|a)", "aab a"), (Strings{"aab", "a"}));
    EXPECT_EQ(matches(R"([^\s\p{L}]+|\p{Lu}\p{Ll}*)", "Hello, World!"), (Strings{"Hello", ",", "World", "!"}));
    EXPECT_EQ(matches(R"(x{2}|\x41|\u00e9|[\-\]]|c{x)", "xxxA\xC3\xA9-]c{x"), (Strings{"xx", "A", "\xC3\xA9", "-", "]", "c{x"}));
    EXPECT_EQ(matches(R"(a{,2}b)", "aaab"), (Strings{"aab"}));  // Ruby syntax: {,n} is {0,n}
    EXPECT_EQ(matches(R"((?:ab)+|.)", "ababa\n"), (Strings{"abab", "a"}));
    EXPECT_EQ(matches(R"(\d+|\w+)", "ab12 \xD9\xA3"), (Strings{"ab12", "\xD9\xA3"}));
}

TEST(TokenizerRegex, RefusesWhatItCannotRunExactly)
{
    for (const char *p : {"(?<=a)b", "a\\bc", "^a", "a$", "a*+", "(?>a)", "\\p{Han}", "[a&&b]", "[[a]]", "(a)\\1", "(?x)a", "\\Ga",
                          "(?:a?)*"}) {
        try {
            regex::Regex re(p);
            ADD_FAILURE() << "accepted " << p;
        } catch (const EngineError &e) {
            EXPECT_NE(std::string(e.what()).find("unsupported"), std::string::npos) << p << ": " << e.what();
        }
    }
    for (const char *p : {"(a", "a)", "[a", "a{3,1}", "*a", "\\p{L"}) EXPECT_THROW(regex::Regex re(p), EngineError) << p;
}
