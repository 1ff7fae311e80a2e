// blyan-engine generate --model DIR (--prompt TEXT | --prompt-ids IDS) -n N [--greedy] [--ids] [--chat]
//   [--stop S]... [sampling options]
// Streams the generated text to stdout as it is decoded (or the ids with --ids); timings go to stderr.
#include "cli_args.h"
#include "commands.h"

#include "engine/model/model.h"
#include "engine/runtime/generator.h"
#include "engine/runtime/text_decoder.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

#include <cstdio>
#include <optional>

namespace blyan::cli {

int cmdGenerate(int argc, char **argv)
{
    Args a(argc, argv, 2, "generate",
           {"--model", "--prompt", "--prompt-ids", "--stop", "--system", "-n|--n-predict", "--device", "--dtype", "-t|--threads", "-c|--ctx-size", "--temp",
            "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--repeat-last-n", "--seed"},
           {"--greedy", "--ids", "--ignore-eos", "--chat", "--no-think"});
    a.applyThreads();
    engine::ModelOptions mo;
    mo.device = a.str("--device", "cpu");
    mo.dtype = a.str("--dtype", "auto");
    mo.maxContext = a.integer("--ctx-size", 4096, 8, 1 << 24);
    if (a.has("--prompt") == a.has("--prompt-ids")) throw UsageError("generate: give exactly one of --prompt TEXT or --prompt-ids IDS");
    const std::string dir = a.required("--model");
    // The tokenizer is needed for text in and out; with --prompt-ids --ids the command runs without one.
    std::optional<engine::Tokenizer> tokenizer;
    if (a.has("--prompt") || !a.has("--ids") || a.has("--stop")) tokenizer.emplace(engine::Tokenizer::loadModelDir(dir));
    std::vector<int32_t> prompt;
    if (a.has("--prompt-ids")) {
        prompt = parseIds(a.str("--prompt-ids"), "--prompt-ids");
    } else if (a.has("--chat")) {
        std::vector<engine::ChatMessage> messages;
        if (a.has("--system")) messages.push_back({"system", a.str("--system"), std::nullopt});
        messages.push_back({"user", a.str("--prompt"), std::nullopt});
        engine::ChatOptions co;
        if (a.has("--no-think")) co.enableThinking = false;
        prompt = tokenizer->encode(engine::ChatTemplate::loadModelDir(dir).render(messages, co), false);
    } else {
        prompt = tokenizer->encode(a.str("--prompt"), true);
    }

    engine::GenerationOptions go;
    go.maxTokens = static_cast<int>(a.integer("--n-predict", 128, 0, 1 << 24));
    go.ignoreEos = a.has("--ignore-eos");
    go.stopStrings = a.all("--stop");
    auto &so = go.sampler;
    so.greedy = a.has("--greedy");
    so.temperature = static_cast<float>(a.number("--temp", so.temperature, 0, 100));
    so.topK = static_cast<int>(a.integer("--top-k", so.topK, 0, 1 << 24));
    so.topP = static_cast<float>(a.number("--top-p", so.topP, 0, 1));
    so.minP = static_cast<float>(a.number("--min-p", so.minP, 0, 1));
    so.repetitionPenalty = static_cast<float>(a.number("--repeat-penalty", so.repetitionPenalty, 0.01, 100));
    so.repetitionLastN = static_cast<int>(a.integer("--repeat-last-n", so.repetitionLastN, -1, 1 << 24));
    if (a.has("--seed")) so.seed = static_cast<uint64_t>(a.integer("--seed", 0, 0, INT64_MAX));

    auto model = engine::Model::load(dir, mo);
    engine::Generator gen(model);
    const bool printIds = a.has("--ids");
    bool firstId = true;
    std::optional<engine::TokenizerTextDecoder> decoder;
    if (tokenizer) decoder.emplace(*tokenizer);
    auto r = gen.generate(
        prompt, go,
        [&](int32_t tok, const std::string &text) {
            if (printIds && tok >= 0) {
                std::printf(firstId ? "%d" : " %d", tok);
                firstId = false;
            } else if (!printIds) {
                std::fwrite(text.data(), 1, text.size(), stdout);
            }
            std::fflush(stdout);
        },
        decoder ? &*decoder : nullptr);
    std::printf("\n");
    std::fflush(stdout);  // before the stderr summary, so that merged output keeps its order
    std::fprintf(stderr, "generate: %lld prompt tokens in %.3f s, %zu tokens in %.3f s (%.2f tok/s), stop: %s\n",
                 static_cast<long long>(r.promptTokens), r.promptSeconds, r.tokens.size(), r.generateSeconds,
                 r.generateSeconds > 0 ? static_cast<double>(r.tokens.size()) / r.generateSeconds : 0.0, engine::stopReasonName(r.reason));
    return 0;
}

}  // namespace blyan::cli
