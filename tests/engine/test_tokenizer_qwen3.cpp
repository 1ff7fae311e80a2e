// The real Qwen3 tokenizer against Hugging Face tokenizers: every golden case (hand-written, Unicode
// sweeps, seeded random text) must give exactly the reference ids; decoding, round trips, streaming.
// Also prints load time and encode throughput (informational, never asserted).
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/unicode.h"
#include "engine/util/error.h"
#include "tokenizer_test_util.h"

#include <chrono>
#include <cstdio>
#include <ctime>

using namespace blyan::engine;
using namespace blyan::engine::testing;

namespace {

class Qwen3Tokenizer : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string dir = std::string(BLYAN_SHARED_DATA_DIR) + "/qwen3-tokenizer";
        if (!std::filesystem::exists(dir + "/tokenizer.json")) return;
        const auto t0 = std::chrono::steady_clock::now();
        tokenizer_ = new Tokenizer(Tokenizer::loadModelDir(dir));
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("[ info ] loaded %s/tokenizer.json in %.0f ms\n", dir.c_str(), ms);
        golden_ = new std::vector<json::Value>(readJsonl(tokenizerDataDir() + "/qwen3_golden.jsonl"));
    }
    static void TearDownTestSuite()
    {
        delete tokenizer_;
        delete golden_;
        tokenizer_ = nullptr;
        golden_ = nullptr;
    }
    void SetUp() override
    {
        // A fatal failure, not a skip: googletest runs the body of a skipped test that also has a failure.
        if (qwen3Dir().empty()) GTEST_FAIL() << "Qwen3 tokenizer missing (see above)";
    }
    static Tokenizer *tokenizer_;
    static std::vector<json::Value> *golden_;
};
Tokenizer *Qwen3Tokenizer::tokenizer_ = nullptr;
std::vector<json::Value> *Qwen3Tokenizer::golden_ = nullptr;

}  // namespace

TEST_F(Qwen3Tokenizer, EncodesEveryGoldenCaseExactly)
{
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < golden_->size(); ++i) {
        const std::string &text = (*golden_)[i].at("text").asString();
        const std::vector<int32_t> expected = idsOf((*golden_)[i].at("ids"));
        const std::vector<int32_t> got = tokenizer_->encode(text, false);
        if (got == expected) continue;
        if (++mismatches > 3) continue;
        std::size_t at = 0;
        while (at < got.size() && at < expected.size() && got[at] == expected[at]) ++at;
        const std::size_t from = at > 4 ? at - 4 : 0;
        ADD_FAILURE() << "golden case " << i << " differs at id #" << at << "\n  text:     " << quoted(text)
                      << "\n  expected: ..." << show(expected, from, 12) << "\n  got:      ..." << show(got, from, 12)
                      << "\n  expected token: " << quoted(at < expected.size() ? tokenizer_->idToToken(expected[at]).value_or("?") : "(end)")
                      << ", got token: " << quoted(at < got.size() ? tokenizer_->idToToken(got[at]).value_or("?") : "(end)");
    }
    std::printf("[ info ] qwen3 golden: %zu/%zu cases identical to Hugging Face tokenizers\n", golden_->size() - mismatches, golden_->size());
    EXPECT_EQ(mismatches, 0u);
}

TEST_F(Qwen3Tokenizer, DecodeOfEncodeIsTheNfcText)
{
    for (const json::Value &row : *golden_) {
        const std::string &text = row.at("text").asString();
        const std::vector<int32_t> ids = idsOf(row.at("ids"));
        ASSERT_EQ(tokenizer_->decode(ids), unicode::normalize(text, unicode::Form::NFC)) << quoted(text);
    }
}

TEST_F(Qwen3Tokenizer, DecodesGoldenIdSequences)
{
    for (const json::Value &row : readJsonl(tokenizerDataDir() + "/qwen3_decode_golden.jsonl")) {
        const std::vector<int32_t> ids = idsOf(row.at("ids"));
        EXPECT_EQ(tokenizer_->decode(ids, row.at("skip_special").asBool()), row.at("text").asString()) << show(ids);
    }
}

TEST_F(Qwen3Tokenizer, IncrementalDecodingNeverSplitsACharacter)
{
    for (const json::Value &row : *golden_) {
        const std::vector<int32_t> ids = idsOf(row.at("ids"));
        IncrementalDecoder stream(*tokenizer_);
        std::string streamed;
        for (int32_t id : ids) {
            const std::string piece = stream.push(id);
            ASSERT_TRUE(unicode::isValidUtf8(piece)) << quoted(piece);
            if (row.at("text").asString().find("\xEF\xBF\xBD") == std::string::npos) {
                ASSERT_EQ(piece.find("\xEF\xBF\xBD"), std::string::npos) << "a partial character leaked in " << quoted(row.at("text").asString());
            }
            streamed += piece;
        }
        streamed += stream.flush();
        ASSERT_EQ(streamed, tokenizer_->decode(ids)) << show(ids);
    }
    // An incomplete character at the end comes out of flush() as U+FFFD; skipped specials vanish.
    const std::vector<int32_t> emoji = tokenizer_->encode("\xF0\x93\x80\x80", false);  // U+13000: several byte tokens
    ASSERT_GT(emoji.size(), 1u);
    IncrementalDecoder cut(*tokenizer_, true);
    EXPECT_EQ(cut.push(151644), "");  // <|im_start|> is special
    EXPECT_EQ(cut.push(emoji[0]), "");
    EXPECT_EQ(cut.flush(), "\xEF\xBF\xBD");
}

TEST_F(Qwen3Tokenizer, VocabularyAndSpecialTokens)
{
    EXPECT_EQ(tokenizer_->vocabSize(), 151669u);
    EXPECT_EQ(tokenizer_->tokenToId("<|im_start|>"), 151644);
    EXPECT_EQ(tokenizer_->tokenToId("Hello"), 9707);
    EXPECT_EQ(tokenizer_->idToToken(151645), "<|im_end|>");
    EXPECT_EQ(tokenizer_->idToToken(151900), std::nullopt);
    EXPECT_TRUE(tokenizer_->isSpecial(151643));
    EXPECT_FALSE(tokenizer_->isSpecial(151667));  // <think> is an added token but not special
    EXPECT_EQ(tokenizer_->specialIds().eos, 151645);
    EXPECT_EQ(tokenizer_->specialIds().pad, 151643);
    EXPECT_EQ(tokenizer_->specialIds().bos, std::nullopt);
    // Qwen's post-processor adds nothing; skip_special_tokens drops <|im_start|> but keeps <think>.
    EXPECT_EQ(tokenizer_->encode("hi", true), tokenizer_->encode("hi", false));
    const std::vector<int32_t> ids = tokenizer_->encode("<|im_start|><think>x", false);
    EXPECT_EQ(tokenizer_->decode(ids, true), "<think>x");
    EXPECT_THROW(tokenizer_->encode("bad \xC3", false), EngineError);
}

TEST_F(Qwen3Tokenizer, EncodeThroughput)
{
    // Informational: 8 MB of the hand-written mixed-script cases, then of the whole golden corpus (Unicode
    // sweeps and random strings, much harder than prose). CPU time is printed beside wall time because the
    // build machines are shared.
    const auto cpuSeconds = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
    };
    const Tokenizer fresh = Tokenizer::loadFile(std::string(BLYAN_SHARED_DATA_DIR) + "/qwen3-tokenizer/tokenizer.json");
    for (const std::size_t rows : {std::size_t{80}, golden_->size()}) {
        std::string unit, text;
        for (std::size_t i = 0; i < rows; ++i) unit += (*golden_)[i].at("text").asString() + "\n";
        while (text.size() < 8u << 20) text += unit;
        for (const char *pass : {"cold cache", "warm cache"}) {
            const auto t0 = std::chrono::steady_clock::now();
            const double c0 = cpuSeconds();
            const std::size_t n = fresh.encode(text, false).size();
            const double cpu = cpuSeconds() - c0;
            const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("[ info ] encode %s, %s: %.1f MB, %zu tokens: %.1f MB/s, %.2f M tokens/s (CPU %.2f s, wall %.2f s)\n",
                        rows == 80 ? "hand-written cases" : "full golden corpus", pass, text.size() / 1e6, n, text.size() / 1e6 / cpu,
                        n / cpu / 1e6, cpu, wall);
        }
    }
}
