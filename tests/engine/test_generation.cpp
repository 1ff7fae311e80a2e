// Sampler rules, and the Generator's streaming, stop strings, end tokens, cancellation, prefix reuse and
// context limit on a small test model.
#include "engine_test_util.h"

#include "engine/model/model_impl.h"
#include "engine/runtime/generator.h"
#include "engine/runtime/sampler.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

using namespace blyan::engine;

namespace {

TEST(Sampler, GreedyTopKTopPMinPAndPenalty)
{
    const std::vector<float> logits = {1.0f, 3.0f, 2.0f, 3.0f, -1.0f};
    SamplerOptions g;
    g.greedy = true;
    EXPECT_EQ(Sampler(g).sample(logits, {}), 1);  // first of the two maxima, like argmax

    SamplerOptions k1;
    k1.topK = 1;
    k1.seed = 5;
    Sampler s1(k1);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(s1.sample(logits, {}), 1);

    // top-p 0.5 keeps the two tokens at logit 3 (each about 0.4 of the mass) and nothing else.
    SamplerOptions p;
    p.topK = 0;
    p.topP = 0.5f;
    p.minP = 0;
    p.temperature = 1.0f;
    p.seed = 1;
    Sampler sp(p);
    std::set<int32_t> seen;
    for (int i = 0; i < 200; ++i) seen.insert(sp.sample(logits, {}));
    EXPECT_EQ(seen, (std::set<int32_t>{1, 3}));

    // min-p 0.3: exp(2 - 3) = 0.37 >= 0.3 keeps token 2; exp(-2) = 0.14 drops token 0.
    SamplerOptions mp;
    mp.topK = 0;
    mp.topP = 1.0f;
    mp.minP = 0.3f;
    mp.temperature = 1.0f;
    mp.seed = 2;
    Sampler sm(mp);
    seen.clear();
    for (int i = 0; i < 300; ++i) seen.insert(sm.sample(logits, {}));
    EXPECT_EQ(seen, (std::set<int32_t>{1, 2, 3}));

    // A strong repetition penalty on 1 and 3 makes 2 the greedy choice.
    SamplerOptions rp = g;
    rp.repetitionPenalty = 2.0f;
    const std::vector<int32_t> history = {1, 3};
    EXPECT_EQ(Sampler(rp).sample(logits, history), 2);

    // The same seed gives the same draws.
    SamplerOptions a;
    a.seed = 42;
    a.topK = 0;
    a.minP = 0;
    a.topP = 1;
    Sampler x(a), y(a);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(x.sample(logits, {}), y.sample(logits, {}));
}

// Decodes id N to the text "<N>" (one "character" per token, so stop strings can span tokens).
class FakeDecoder : public TokenDecoder {
public:
    std::string push(int32_t t) override { return tag(t); }
    static std::string tag(int32_t t)
    {
        std::string s = "<";
        s += std::to_string(t);
        s += '>';
        return s;
    }
    std::string flush() override { return {}; }
};

class GeneratorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir = test::tempDir("gen");
        TestModelSpec s;
        s.dtype = "bf16";
        makeTestModel(s, dir.string());
        ModelOptions o;
        o.maxContext = 64;
        model = Model::load(dir.string(), o);
    }
    static void TearDownTestSuite()
    {
        model.reset();
        std::filesystem::remove_all(dir);
    }
    static GenerationOptions greedy(int n)
    {
        GenerationOptions g;
        g.sampler.greedy = true;
        g.maxTokens = n;
        g.ignoreEos = true;
        return g;
    }
    static inline std::filesystem::path dir;
    static inline std::shared_ptr<Model> model;
};

TEST_F(GeneratorTest, StreamsEveryTokenAndReusesThePrefix)
{
    Generator gen(model);
    const std::vector<int32_t> prompt = {5, 6, 7, 8};
    std::vector<int32_t> streamed;
    auto r = gen.generate(prompt, greedy(10), [&](int32_t t, const std::string &) { streamed.push_back(t); });
    EXPECT_EQ(r.reason, StopReason::MaxTokens);
    EXPECT_EQ(r.tokens.size(), 10u);
    EXPECT_EQ(streamed, r.tokens);
    EXPECT_EQ(r.reusedTokens, 0);

    // The next turn extends the conversation: only the new tokens are prefilled, the result is identical to
    // a fresh generator's.
    std::vector<int32_t> next = prompt;
    next.insert(next.end(), r.tokens.begin(), r.tokens.end());
    next.push_back(9);
    auto again = gen.generate(next, greedy(6));
    EXPECT_GE(again.reusedTokens, static_cast<int64_t>(prompt.size() + r.tokens.size() - 1));
    Generator fresh(model);
    EXPECT_EQ(fresh.generate(next, greedy(6)).tokens, again.tokens);
}

TEST_F(GeneratorTest, StopStringsEndTokensCancellationAndContext)
{
    Generator gen(model);
    const std::vector<int32_t> prompt = {1, 2, 3};
    const auto all = gen.generate(prompt, greedy(8)).tokens;

    // A stop string spanning tokens 3 and 4 of the output: the text ends before it, nothing of it is shown.
    FakeDecoder dec;
    GenerationOptions so = greedy(8);
    so.stopStrings = {FakeDecoder::tag(all[2]) + FakeDecoder::tag(all[3])};
    std::string shown;
    auto r = gen.generate(prompt, so, [&](int32_t, const std::string &t) { shown += t; }, &dec);
    EXPECT_EQ(r.reason, StopReason::StopString);
    EXPECT_EQ(r.tokens.size(), 4u);
    EXPECT_EQ(r.text, FakeDecoder::tag(all[0]) + FakeDecoder::tag(all[1]));
    EXPECT_EQ(shown, r.text);
    EXPECT_THROW(gen.generate(prompt, so), EngineError);  // stop strings need a decoder

    // An end token.
    GenerationOptions eo = greedy(8);
    eo.ignoreEos = false;
    eo.stopTokens = {all[1]};
    r = gen.generate(prompt, eo);
    EXPECT_EQ(r.reason, StopReason::EndOfSequence);
    EXPECT_EQ(r.tokens.size(), 2u);

    // Cancellation from another thread between tokens.
    std::atomic<bool> cancel{false};
    GenerationOptions co = greedy(50);
    co.cancel = &cancel;
    int count = 0;
    r = gen.generate(prompt, co, [&](int32_t, const std::string &) {
        if (++count == 3) std::thread([&] { cancel = true; }).join();
    });
    EXPECT_EQ(r.reason, StopReason::Cancelled);
    EXPECT_EQ(r.tokens.size(), 3u);

    // The context (64) fills up.
    r = gen.generate(prompt, greedy(1000));
    EXPECT_EQ(r.reason, StopReason::ContextFull);
    EXPECT_EQ(prompt.size() + r.tokens.size(), 65u);  // 64 positions, plus the last token sampled from them

    EXPECT_THROW(gen.generate({}, greedy(1)), EngineError);
    EXPECT_THROW(gen.generate({1, 100000}, greedy(1)), EngineError);
}

TEST_F(GeneratorTest, TwoConversationsOnTwoThreads)
{
    const std::vector<int32_t> a = {4, 8, 15}, b = {16, 23, 42, 7};
    Generator ga(model), gb(model);
    const auto expectA = ga.generate(a, greedy(20)).tokens, expectB = gb.generate(b, greedy(20)).tokens;
    ga.reset();
    gb.reset();
    std::vector<int32_t> gotA, gotB;
    std::thread ta([&] { gotA = ga.generate(a, greedy(20)).tokens; });
    std::thread tb([&] { gotB = gb.generate(b, greedy(20)).tokens; });
    ta.join();
    tb.join();
    EXPECT_EQ(gotA, expectA);
    EXPECT_EQ(gotB, expectB);
}

// A provider that serves another model's experts and records what the forward pass asked for: the
// forward pass must go through it (same logits), ask only for the experts the router chose, and announce
// them with prefetch first.
class RecordingProvider : public ExpertProvider {
public:
    explicit RecordingProvider(ExpertProvider &inner) : inner_(inner) {}
    ExpertWeights get(int layer, int expert) override
    {
        EXPECT_TRUE(announced.count({layer, expert})) << "get() without prefetch for " << layer << "/" << expert;
        ++gets;
        return inner_.get(layer, expert);
    }
    void prefetch(int layer, const std::vector<int> &experts) override
    {
        for (int e : experts) announced.insert({layer, e});
    }
    std::set<std::pair<int, int>> announced;
    int gets = 0;

private:
    ExpertProvider &inner_;
};

TEST_F(GeneratorTest, ExpertsComeThroughTheProvider)
{
    auto provider = std::make_shared<RecordingProvider>(model->experts());
    ModelOptions o;
    o.maxContext = 64;
    auto viaProvider = Model::load(dir.string(), o, provider);
    const at::Tensor ids = at::arange(1, 6, at::kLong);
    KvCache a = model->impl().newCache(), b = viaProvider->impl().newCache();
    EXPECT_TRUE(at::equal(model->impl().forward(a, ids, true), viaProvider->impl().forward(b, ids, true)));
    // 5 tokens x top-2 in each of 2 layers: at most 20 distinct experts, each fetched once per layer.
    EXPECT_GT(provider->gets, 0);
    EXPECT_LE(provider->gets, 2 * 8);
    const int before = provider->gets;
    (void)viaProvider->impl().forward(b, at::full({1}, 7L, at::kLong), false);  // one decode step: top-2 per layer
    EXPECT_EQ(provider->gets - before, 2 * 2);
}

}  // namespace
