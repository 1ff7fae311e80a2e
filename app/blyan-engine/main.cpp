// blyan-engine: the engine's own command-line tool, in the spirit of llama.cpp's tools.
// Built with the engine alone (no Qt), so it also runs from a CUDA-only engine build.

#include "cli_args.h"
#include "commands.h"

#include "engine/runtime.h"

#include <cstdio>
#include <exception>
#include <cstring>
#include <string>

namespace {

void usage(FILE *out)
{
    std::fputs("Usage: blyan-engine COMMAND [OPTIONS]\n"
               "\n"
               "Commands available in this build:\n"
               "  info [-t N]     show the compute runtime: LibTorch version, CPU threads, CUDA devices\n"
               "  make-test-model --arch ARCH --out DIR [--hidden N --layers N --experts N --top-k N\n"
               "                  --moe-intermediate N --heads N --kv-heads N --head-dim N --vocab N\n"
               "                  --tied|--untied --dtype f32|bf16|f16|fp8 --tokenizer-dir DIR] --seed S\n"
               "                  a seeded random checkpoint in the Hugging Face layout\n"
               "  generate --model DIR --prompt TEXT|--prompt-ids IDS -n N [--greedy] [--ids] [--chat]\n"
               "                  [--stop S] [--temp T --top-k K --top-p P --min-p P --repeat-penalty R --seed S]\n"
               "  perplexity --model DIR --file TEXT|--ids-file FILE --ctx N   llama-perplexity's method\n"
               "  bench --model DIR -p 64 -n 32 -t 2 [-r 5]        prompt and generation tok/s\n"
               "  tokenize --model DIR|--tokenizer FILE --input FILE [--add-special-tokens]  JSON string per line -> ids\n"
               "\n"
               "Model commands also take --device cpu|cuda[:N], --dtype auto|bf16|f16|f32 and -t N.\n",
               out);
}

int cmdInfo(int argc, char **argv)
{
    for (int i = 2; i < argc; ++i) {
        if ((std::strcmp(argv[i], "-t") == 0 || std::strcmp(argv[i], "--threads") == 0) && i + 1 < argc) {
            char *end = nullptr;
            const long n = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || n < 1 || n > 1024) {
                std::fprintf(stderr, "blyan-engine: -t expects a thread count from 1 to 1024, got '%s'\n", argv[i]);
                return 1;
            }
            blyan::engine::setCpuThreads(static_cast<int>(n));
        } else {
            std::fprintf(stderr, "blyan-engine info: unknown option '%s'\n", argv[i]);
            return 1;
        }
    }
    const auto info = blyan::engine::runtimeInfo();
    std::printf("{\"backend\": \"%s\", \"cpu_threads\": %d, \"cuda_compiled\": %s, \"cuda_available\": %s, "
                "\"cuda_devices\": %d}\n",
                info.backend.c_str(), info.cpuThreads, info.cudaCompiled ? "true" : "false",
                info.cudaAvailable ? "true" : "false", info.cudaDeviceCount);
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    const std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        usage(stdout);
        return 0;
    }
    if (cmd == "info") return cmdInfo(argc, argv);
    try {
        if (cmd == "make-test-model") return blyan::cli::cmdMakeTestModel(argc, argv);
        if (cmd == "generate") return blyan::cli::cmdGenerate(argc, argv);
        if (cmd == "perplexity") return blyan::cli::cmdPerplexity(argc, argv);
        if (cmd == "bench") return blyan::cli::cmdBench(argc, argv);
        if (cmd == "tokenize") return blyan::cli::cmdTokenize(argc, argv);
    } catch (const blyan::cli::UsageError &e) {
        std::fprintf(stderr, "blyan-engine %s\n", e.what());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "blyan-engine %s: %s\n", cmd.c_str(), e.what());
        return 1;
    }
    std::fprintf(stderr, "blyan-engine: unknown command '%s'\n\n", cmd.c_str());
    usage(stderr);
    return 1;
}
