// blyan-engine make-test-model --arch qwen3_moe --out DIR [shape options] --seed S
#include "cli_args.h"
#include "commands.h"

#include "engine/checkpoint/make_test_model.h"

#include <cstdio>

namespace blyan::cli {

int cmdMakeTestModel(int argc, char **argv)
{
    Args a(argc, argv, 2, "make-test-model",
           {"--arch", "--out", "--hidden", "--layers", "--experts", "--top-k", "--moe-intermediate", "--intermediate",
            "--shared-intermediate", "--heads", "--kv-heads", "--head-dim", "--vocab", "--dtype", "--seed", "--tokenizer-dir",
            "--shard-size-mb", "--fp8-block", "--max-positions", "--mlp-only-layers"},
           {"--tied", "--untied", "--norm-topk", "--no-norm-topk"});
    engine::TestModelSpec s;
    s.arch = a.str("--arch", s.arch);
    // qwen2_moe and olmoe ship norm_topk_prob false; qwen3_moe true.
    s.normTopkProb = s.arch == "qwen3_moe";
    s.hidden = a.integer("--hidden", s.hidden, 2, 1 << 16);
    s.layers = a.integer("--layers", s.layers, 1, 1024);
    s.experts = a.integer("--experts", s.experts, 1, 4096);
    s.topK = a.integer("--top-k", s.topK, 1, 4096);
    s.moeIntermediate = a.integer("--moe-intermediate", s.moeIntermediate, 1, 1 << 20);
    s.intermediate = a.integer("--intermediate", s.intermediate, 1, 1 << 20);
    s.sharedIntermediate = a.integer("--shared-intermediate", s.sharedIntermediate, 1, 1 << 20);
    s.heads = a.integer("--heads", s.heads, 1, 1024);
    s.kvHeads = a.integer("--kv-heads", s.kvHeads, 1, 1024);
    s.headDim = a.integer("--head-dim", s.headDim, 2, 4096);
    s.vocab = a.integer("--vocab", 0, 2, 1 << 24);
    s.maxPositions = a.integer("--max-positions", s.maxPositions, 1, 1 << 24);
    s.dtype = a.str("--dtype", s.dtype);
    s.fp8Block = a.integer("--fp8-block", s.fp8Block, 1, 1 << 16);
    s.seed = static_cast<uint64_t>(a.integer("--seed", 0, 0, INT64_MAX));
    s.tokenizerDir = a.str("--tokenizer-dir");
    s.maxShardBytes = static_cast<uint64_t>(a.integer("--shard-size-mb", 5000, 1, 1 << 30)) * 1'000'000ull;
    if (a.has("--tied") && a.has("--untied")) throw UsageError("make-test-model: --tied and --untied exclude each other");
    s.tied = a.has("--tied");
    if (a.has("--norm-topk")) s.normTopkProb = true;
    if (a.has("--no-norm-topk")) s.normTopkProb = false;
    for (int32_t l : parseIds(a.str("--mlp-only-layers"), "--mlp-only-layers")) s.mlpOnlyLayers.push_back(l);
    const std::string out = a.required("--out");
    engine::makeTestModel(s, out);
    std::printf("wrote %s checkpoint to %s\n", s.arch.c_str(), out.c_str());
    return 0;
}

}  // namespace blyan::cli
