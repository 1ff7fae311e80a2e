// blyan-engine perplexity --model DIR (--file TEXT | --ids-file IDS) --ctx N
// The text is tokenized as llama-perplexity does (with the BOS the tokenizer adds, if any, which then also
// starts every chunk).
#include "cli_args.h"
#include "commands.h"

#include "engine/model/model.h"
#include "engine/runtime/perplexity.h"
#include "engine/runtime/text_decoder.h"
#include "engine/tokenizer/tokenizer.h"

#include <cmath>
#include <cstdio>
#include <optional>

namespace blyan::cli {

int cmdPerplexity(int argc, char **argv)
{
    Args a(argc, argv, 2, "perplexity", {"--model", "--file", "--ids-file", "-c|--ctx", "--device", "--dtype", "-t|--threads", "--bos-id"}, {});
    a.applyThreads();
    const int64_t ctx = a.integer("--ctx", 512, 4, 1 << 24);
    engine::ModelOptions mo;
    mo.device = a.str("--device", "cpu");
    mo.dtype = a.str("--dtype", "auto");
    mo.maxContext = ctx;
    if (a.has("--file") == a.has("--ids-file")) throw UsageError("perplexity: give exactly one of --file TEXT or --ids-file IDS");
    const std::string dir = a.required("--model");
    std::vector<int32_t> tokens;
    std::optional<int32_t> bos;
    if (a.has("--file")) {
        const auto tokenizer = engine::Tokenizer::loadModelDir(dir);
        tokens = tokenizer.encode(readFile(a.str("--file")), true);
        bos = engine::addedBos(tokenizer);
    } else {
        tokens = parseIds(readFile(a.str("--ids-file")), a.str("--ids-file"));
    }
    if (a.has("--bos-id")) bos = static_cast<int32_t>(a.integer("--bos-id", 0, 0, INT32_MAX));

    auto model = engine::Model::load(dir, mo);
    std::fprintf(stderr, "%zu tokens, %zu chunks of %lld\n", tokens.size(), tokens.size() / static_cast<std::size_t>(ctx),
                 static_cast<long long>(ctx));
    auto r = engine::perplexity(*model, tokens, ctx, bos, [](int64_t i, int64_t n, double ppl) {
        std::fprintf(stderr, "[%lld/%lld] %.4f\n", static_cast<long long>(i), static_cast<long long>(n), ppl);
    });
    std::printf("perplexity: %.6f\n", r.perplexity);
    std::fprintf(stderr, "Final estimate: PPL = %.4f +/- %.5f (%lld tokens scored)\n", r.perplexity, r.perplexity * r.stderrNll,
                 static_cast<long long>(r.scored));
    return 0;
}

}  // namespace blyan::cli
