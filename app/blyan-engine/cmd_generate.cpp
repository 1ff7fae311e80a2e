// blyan-engine generate --model DIR (--prompt TEXT | --prompt-ids IDS) -n N [--greedy] [--ids] [sampling]
#include "cli_args.h"
#include "commands.h"

#include "engine/model/model.h"
#include "engine/runtime/generator.h"

#include <cstdio>

namespace blyan::cli {

int cmdGenerate(int argc, char **argv)
{
    Args a(argc, argv, 2, "generate",
           {"--model", "--prompt-ids", "-n|--n-predict", "--device", "--dtype", "-t|--threads", "-c|--ctx-size", "--temp",
            "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--repeat-last-n", "--seed"},
           {"--greedy", "--ids", "--ignore-eos"});
    a.applyThreads();
    engine::ModelOptions mo;
    mo.device = a.str("--device", "cpu");
    mo.dtype = a.str("--dtype", "auto");
    mo.maxContext = a.integer("--ctx-size", 4096, 8, 1 << 24);
    if (!a.has("--prompt-ids")) throw UsageError("generate: --prompt-ids is required (comma-separated token ids)");
    const std::vector<int32_t> prompt = parseIds(a.str("--prompt-ids"), "--prompt-ids");

    engine::GenerationOptions go;
    go.maxTokens = static_cast<int>(a.integer("--n-predict", 128, 0, 1 << 24));
    go.ignoreEos = a.has("--ignore-eos");
    auto &so = go.sampler;
    so.greedy = a.has("--greedy");
    so.temperature = static_cast<float>(a.number("--temp", so.temperature, 0, 100));
    so.topK = static_cast<int>(a.integer("--top-k", so.topK, 0, 1 << 24));
    so.topP = static_cast<float>(a.number("--top-p", so.topP, 0, 1));
    so.minP = static_cast<float>(a.number("--min-p", so.minP, 0, 1));
    so.repetitionPenalty = static_cast<float>(a.number("--repeat-penalty", so.repetitionPenalty, 0.01, 100));
    so.repetitionLastN = static_cast<int>(a.integer("--repeat-last-n", so.repetitionLastN, -1, 1 << 24));
    if (a.has("--seed")) so.seed = static_cast<uint64_t>(a.integer("--seed", 0, 0, INT64_MAX));

    auto model = engine::Model::load(a.required("--model"), mo);
    engine::Generator gen(model);
    const bool printIds = a.has("--ids");
    bool firstId = true;
    auto r = gen.generate(prompt, go, [&](int32_t tok, const std::string &) {
        if (!printIds || tok < 0) return;
        std::printf(firstId ? "%d" : " %d", tok);
        firstId = false;
        std::fflush(stdout);
    });
    std::printf("\n");
    std::fprintf(stderr, "generate: %lld prompt tokens in %.3f s, %zu tokens in %.3f s (%.2f tok/s), stop: %s\n",
                 static_cast<long long>(r.promptTokens), r.promptSeconds, r.tokens.size(), r.generateSeconds,
                 r.generateSeconds > 0 ? static_cast<double>(r.tokens.size()) / r.generateSeconds : 0.0, engine::stopReasonName(r.reason));
    return 0;
}

}  // namespace blyan::cli
