// tokenizer.json features beyond Qwen3, against Hugging Face tokenizers: small tokenizers in the styles of
// Llama 2 (Prepend/Replace normalizers, byte fallback, Replace/ByteFallback/Fuse/Strip decoders), Mistral
// (Metaspace), GPT-2/OLMoE (ByteLevel regex with prefix space, suffix template) and Llama 3 (\p{N}{1,3},
// ignore_merges, BOS template), with added tokens using lstrip/rstrip/single_word/normalized. Then the
// errors for malformed and unsupported files.
#include "engine/tokenizer/tokenizer.h"
#include "engine/util/error.h"
#include "tokenizer_test_util.h"

using namespace blyan::engine;
using namespace blyan::engine::testing;

class SyntheticTokenizer : public ::testing::TestWithParam<const char *> {};

TEST_P(SyntheticTokenizer, MatchesReference)
{
    const std::string base = tokenizerDataDir() + "/synthetic/" + GetParam();
    const Tokenizer t = Tokenizer::loadFile(base + ".json");
    int failures = 0;
    for (const json::Value &row : readJsonl(base + "_golden.jsonl")) {
        const std::string &text = row.at("text").asString();
        const std::vector<int32_t> ids = idsOf(row.at("ids"));
        const std::vector<int32_t> got = t.encode(text, false);
        const std::vector<int32_t> gotSpecial = t.encode(text, true);
        const std::string decoded = t.decode(ids);
        // Streaming must give the same text as decoding at once (Metaspace and byte fallback included).
        IncrementalDecoder stream(t);
        std::string streamed;
        for (int32_t id : ids) streamed += stream.push(id);
        streamed += stream.flush();
        EXPECT_EQ(streamed, decoded) << GetParam() << ": " << quoted(text);
        const bool ok = got == ids && gotSpecial == idsOf(row.at("ids_special")) && decoded == row.at("decoded").asString();
        if (!ok && ++failures <= 3)
            ADD_FAILURE() << GetParam() << ": " << quoted(text) << "\n  ids expected " << show(ids) << "\n  ids got      " << show(got)
                          << "\n  with special expected " << show(idsOf(row.at("ids_special"))) << " got " << show(gotSpecial)
                          << "\n  decoded expected " << quoted(row.at("decoded").asString()) << " got " << quoted(decoded);
    }
    EXPECT_EQ(failures, 0);
}

INSTANTIATE_TEST_SUITE_P(Families, SyntheticTokenizer, ::testing::Values("llama2_style", "mistral_style", "gpt2_style", "llama3_style"));

namespace {

// A minimal valid tokenizer.json with one part replaced.
std::string tokenizerJson(const std::string &field, const std::string &value)
{
    std::map<std::string, std::string> parts = {
        {"normalizer", "null"},
        {"pre_tokenizer", R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": true})"},
        {"decoder", R"({"type": "ByteLevel"})"},
        {"post_processor", "null"},
        {"added_tokens", R"([{"id": 3, "content": "<eos>", "special": true}])"},
        {"model", R"({"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]})"},
    };
    parts[field] = value;
    std::string out = R"({"version": "1.0", "truncation": null, "padding": null)";
    for (const auto &[k, v] : parts) out += ", \"" + k + "\": " + v;
    return out + "}";
}

std::string loadError(const std::string &json)
{
    try {
        Tokenizer::fromJson(json, "test.json");
    } catch (const EngineError &e) {
        return e.what();
    }
    return "(loaded)";
}

}  // namespace

TEST(TokenizerFormats, MinimalTokenizerWorks)
{
    const Tokenizer t = Tokenizer::fromJson(tokenizerJson("model", R"({"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]})"));
    EXPECT_EQ(t.encode("abab<eos>ba"), (std::vector<int32_t>{2, 2, 3, 1, 0}));
    EXPECT_EQ(t.decode(std::vector<int32_t>{2, 3, 1, 99}), "ab<eos>b");
    EXPECT_EQ(t.decode(std::vector<int32_t>{2, 3, 1}, true), "abb");
    EXPECT_EQ(t.vocabSize(), 4u);
    EXPECT_EQ(t.encode("a c"), (std::vector<int32_t>{0}));  // no unk token: unknown characters are dropped
}

TEST(TokenizerFormats, ClearErrorsForMalformedAndUnsupportedFiles)
{
    struct Case {
        std::string json;
        std::vector<std::string> mentions;
    };
    const std::vector<Case> cases = {
        {"{\"model\": ", {"test.json", "line 1"}},
        {tokenizerJson("model", R"({"type": "Unigram", "vocab": []})"), {"model.type", "Unigram"}},
        {tokenizerJson("model", R"({"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]})"), {"model.merges[0]", "'b'"}},
        {tokenizerJson("model", R"({"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]})"), {"merge result 'ab'"}},
        {tokenizerJson("model", R"({"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a  b"]})"), {"model.merges[0]", "one space"}},
        {tokenizerJson("model", R"({"type": "BPE", "vocab": {"a": -1}, "merges": []})"), {"model.vocab"}},
        {tokenizerJson("model", R"({"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []})"), {"model.dropout"}},
        {tokenizerJson("normalizer", R"({"type": "Lowercase"})"), {"normalizer", "'Lowercase'"}},
        {tokenizerJson("normalizer", R"({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Precompiled"}]})"), {"normalizer.normalizers[1]", "Precompiled"}},
        {tokenizerJson("pre_tokenizer", R"({"type": "Split", "pattern": {"Regex": "(?<=a)b"}, "behavior": "Isolated"})"),
         {"pre_tokenizer.pattern.Regex", "unsupported pre-tokenizer pattern", "lookbehind"}},
        {tokenizerJson("pre_tokenizer", R"({"type": "Split", "pattern": {"Regex": "\\p{Han}+"}, "behavior": "Isolated"})"), {"unsupported pre-tokenizer pattern", "Han"}},
        {tokenizerJson("pre_tokenizer", R"({"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways"})"), {"behavior", "Sideways"}},
        {tokenizerJson("pre_tokenizer", R"({"type": "BertPreTokenizer"})"), {"pre_tokenizer", "BertPreTokenizer"}},
        {tokenizerJson("decoder", R"({"type": "WordPiece"})"), {"decoder", "WordPiece"}},
        {tokenizerJson("post_processor", R"({"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}], "special_tokens": {}})"),
         {"post_processor.special_tokens", "'<s>'"}},
        {tokenizerJson("added_tokens", R"([{"id": 5, "content": "a", "special": true}])"), {"added_tokens[0]", "vocab gives it 0"}},
        {tokenizerJson("added_tokens", R"([{"content": "x"}])"), {"added_tokens[0]", "'id'"}},
        {tokenizerJson("padding", R"({"strategy": "BatchLongest"})"), {"padding"}},
    };
    for (const Case &c : cases) {
        const std::string error = loadError(c.json);
        for (const std::string &m : c.mentions) EXPECT_NE(error.find(m), std::string::npos) << "error \"" << error << "\" should mention " << m;
    }
    EXPECT_THROW(Tokenizer::loadFile("/nonexistent/tokenizer.json"), EngineError);
}
