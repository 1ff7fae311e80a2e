// blyan-engine: the engine's own command-line tool, in the spirit of llama.cpp's tools.
// Built with the engine alone (no Qt), so it also runs from a CUDA-only engine build.

#include "engine/runtime.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void usage(FILE *out)
{
    std::fputs("Usage: blyan-engine COMMAND [OPTIONS]\n"
               "\n"
               "Commands available in this build:\n"
               "  info [-t N]     show the compute runtime: LibTorch version, CPU threads, CUDA devices\n"
               "\n"
               "The model commands (tokenize, perplexity, generate, bench, make-test-model) arrive with\n"
               "the inference engine; see docs/architecture.md.\n",
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
    std::fprintf(stderr, "blyan-engine: unknown command '%s'\n\n", cmd.c_str());
    usage(stderr);
    return 1;
}
