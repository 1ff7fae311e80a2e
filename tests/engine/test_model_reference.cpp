// The forward pass against the independent float64 numpy reference on make-test-model checkpoints:
// logits of a prompt, greedy generations token for token, perplexity by llama-perplexity's method.
#include "engine_test_util.h"

#include "engine/model/model_impl.h"
#include "engine/runtime/generator.h"
#include "engine/runtime/perplexity.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

using namespace blyan::engine;

namespace {

struct Case {
    std::string name;
    TestModelSpec spec;
    std::string computeDtype;  // ModelOptions::dtype
    double logitTol;           // max |engine - reference| over all logits
    double pplRelTol;
    bool greedy = true;
};

std::vector<double> engineLogits(Model &m, const std::vector<int32_t> &ids)
{
    auto &impl = m.impl();
    KvCache cache = impl.newCache(256);
    at::Tensor t = at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong);
    at::Tensor l = impl.forward(cache, t, true).to(at::kDouble).contiguous();
    return std::vector<double>(l.data_ptr<double>(), l.data_ptr<double>() + l.numel());
}

// The same prompt one token at a time through the KV cache (the decode path: on CPU in bf16 the
// AVX512-BF16 loop path, otherwise the batched code with T = 1).
std::vector<double> engineDecodeLogits(Model &m, const std::vector<int32_t> &ids)
{
    auto &impl = m.impl();
    KvCache cache = impl.newCache(256);
    std::vector<double> out;
    for (int32_t id : ids) {
        at::Tensor l = impl.forward(cache, at::full({1}, static_cast<int64_t>(id), at::kLong), true).to(at::kDouble).contiguous();
        out.insert(out.end(), l.data_ptr<double>(), l.data_ptr<double>() + l.numel());
    }
    return out;
}

double maxAbsDiff(const std::vector<double> &a, const std::vector<double> &b)
{
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
    return m;
}

class ModelReference : public ::testing::TestWithParam<Case> {};

TEST_P(ModelReference, LogitsGreedyAndPerplexityMatch)
{
    if (!test::haveNumpy()) GTEST_SKIP() << "numpy is not installed for " << test::python() << " (apt-get install python3-numpy)";
    const Case &c = GetParam();
    const auto dir = test::tempDir(c.name);
    makeTestModel(c.spec, dir.string());
    ModelOptions o;
    o.dtype = c.computeDtype;
    o.maxContext = 256;
    auto model = Model::load(dir.string(), o);
    const int64_t V = model->config().vocabSize;

    // Logits of a 24-token prompt, every position.
    const auto ids = test::randomIds(24, V, 7);
    const auto ours = engineLogits(*model, ids);
    const auto ref = test::refLogits(dir.string(), ids);
    ASSERT_EQ(ours.size(), ref.size());
    double maxDiff = 0, maxAbs = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        maxDiff = std::max(maxDiff, std::fabs(ours[i] - ref[i]));
        maxAbs = std::max(maxAbs, std::fabs(ref[i]));
    }
    std::printf("[%s] max |logit diff| %.3g (largest logit %.3g)\n", c.name.c_str(), maxDiff, maxAbs);
    EXPECT_LT(maxDiff, c.logitTol);
    EXPECT_GT(maxAbs, 1.0) << "degenerate test model: logits are all near zero";
    const auto stepped = engineDecodeLogits(*model, ids);
    ASSERT_EQ(stepped.size(), ref.size());
    const double decodeDiff = maxAbsDiff(stepped, ref);
    std::printf("[%s] decode path: max |logit diff| %.3g\n", c.name.c_str(), decodeDiff);
    EXPECT_LT(decodeDiff, c.logitTol);

    // Greedy generation through the Generator (prefill + KV-cache decode) against the reference's full recompute.
    if (c.greedy) {
        const auto prompt = test::randomIds(6, V, 11);
        Generator gen(model);
        GenerationOptions go;
        go.sampler.greedy = true;
        go.maxTokens = 12;
        go.ignoreEos = true;
        const auto r = gen.generate(prompt, go);
        std::istringstream refOut(test::runRef("greedy --model " + dir.string() + " --ids " + test::joinIds(prompt) + " -n 12"));
        std::vector<int32_t> refIds;
        for (int32_t t; refOut >> t;) refIds.push_back(t);
        EXPECT_EQ(r.tokens, refIds);
    }

    // Perplexity, 3 chunks of 32 tokens.
    const auto text = test::randomIds(96, V, 13);
    const double ppl = perplexity(*model, text, 32).perplexity;
    {
        std::ofstream f(dir / "ids.txt");
        f << test::joinIds(text);
    }
    const std::string out = test::runRef("perplexity --model " + dir.string() + " --ids-file " + (dir / "ids.txt").string() + " --ctx 32");
    const double refPpl = std::stod(out.substr(out.find(':') + 1));
    std::printf("[%s] perplexity %.8f, reference %.8f, relative diff %.2g\n", c.name.c_str(), ppl, refPpl, std::fabs(ppl - refPpl) / refPpl);
    EXPECT_LT(std::fabs(ppl - refPpl) / refPpl, c.pplRelTol);
    std::filesystem::remove_all(dir);
}

TestModelSpec spec(const std::string &arch, const std::string &dtype, bool tied, uint64_t seed)
{
    TestModelSpec s;
    s.arch = arch;
    s.dtype = dtype;
    s.tied = tied;
    s.seed = seed;
    s.normTopkProb = arch == "qwen3_moe";
    return s;
}

std::vector<Case> cases()
{
    std::vector<Case> v;
    v.push_back({"qwen3_moe_f32_untied", spec("qwen3_moe", "f32", false, 1), "auto", 2e-4, 1e-5});
    v.push_back({"qwen3_moe_f32_tied", spec("qwen3_moe", "f32", true, 2), "auto", 2e-4, 1e-5});
    v.push_back({"qwen3_moe_bf16_untied_f32compute", spec("qwen3_moe", "bf16", false, 3), "f32", 2e-4, 1e-5});
    // bf16 compute rounds every activation to 8 bits of mantissa: looser, and greedy may flip on near ties.
    v.push_back({"qwen3_moe_bf16_tied_bf16compute", spec("qwen3_moe", "bf16", true, 4), "auto", 0.1, 1e-2, false});
    // The bf16 CPU decode path with q/k/v biases and a shared expert, and with full-width q/k norms.
    v.push_back({"qwen2_moe_bf16_bf16compute", spec("qwen2_moe", "bf16", false, 12), "auto", 0.1, 1e-2, false});
    v.push_back({"olmoe_bf16_bf16compute", spec("olmoe", "bf16", false, 13), "auto", 0.1, 1e-2, false});
    auto fp8 = spec("qwen3_moe", "fp8", false, 5);
    fp8.fp8Block = 32;
    v.push_back({"qwen3_moe_fp8_f32compute", fp8, "f32", 2e-4, 1e-5});
    auto dense = spec("qwen3_moe", "f32", false, 6);
    dense.mlpOnlyLayers = {0};
    v.push_back({"qwen3_moe_mlp_only_layer0", dense, "auto", 2e-4, 1e-5});
    v.push_back({"mixtral_f32", spec("mixtral", "f32", false, 7), "auto", 2e-4, 1e-5});
    v.push_back({"qwen2_moe_f32_shared_expert", spec("qwen2_moe", "f32", false, 8), "auto", 2e-4, 1e-5});
    v.push_back({"olmoe_f32", spec("olmoe", "f32", false, 9), "auto", 2e-4, 1e-5});
    v.push_back({"qwen3_dense_f32", spec("qwen3", "f32", true, 10), "auto", 2e-4, 1e-5});
    v.push_back({"llama_dense_f32", spec("llama", "f32", false, 11), "auto", 2e-4, 1e-5});
    return v;
}

INSTANTIATE_TEST_SUITE_P(Architectures, ModelReference, ::testing::ValuesIn(cases()),
                         [](const auto &info) { return info.param.name; });

}  // namespace
