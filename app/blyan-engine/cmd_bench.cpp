// blyan-engine bench --model DIR -p 64 -n 32 -t 2 [-r 5] [--device cpu|cuda] [--dtype ...]
#include "cli_args.h"
#include "commands.h"

#include "engine/kernels/membw.h"
#include "engine/model/model.h"
#include "engine/runtime.h"
#include "engine/runtime/bench.h"

#include <cstdio>

namespace blyan::cli {

int cmdBench(int argc, char **argv)
{
    Args a(argc, argv, 2, "bench", {"--model", "-p|--n-prompt", "-n|--n-gen", "-t|--threads", "-r|--repetitions", "--device", "--dtype"}, {});
    a.applyThreads();
    engine::BenchOptions bo;
    bo.promptTokens = static_cast<int>(a.integer("--n-prompt", 512, 0, 1 << 20));
    bo.genTokens = static_cast<int>(a.integer("--n-gen", 128, 0, 1 << 20));
    bo.repetitions = static_cast<int>(a.integer("--repetitions", 5, 1, 1000));
    engine::ModelOptions mo;
    mo.device = a.str("--device", "cpu");
    mo.dtype = a.str("--dtype", "auto");
    mo.maxContext = std::max(bo.promptTokens, bo.genTokens) + 1;
    auto model = engine::Model::load(a.required("--model"), mo);
    const auto results = engine::bench(*model, bo);
    const int threads = engine::runtimeInfo().cpuThreads;
    std::fputs(engine::benchTable(*model, threads, results).c_str(), stdout);
    for (const auto &r : results)
        if (r.test[0] == 't' && model->deviceName() == "cpu") {
            // Roofline: decoding streams each weight it uses once per token, so bytes per token over the memory
            // bandwidth measured now (a busy machine gives less than a quiet one) bounds tokens per second.
            const double bytes = static_cast<double>(model->bytesPerDecodedToken());
            const double bw = engine::kernels::measureReadBandwidth();
            const double roof = bw * 1e9 / bytes;
            std::printf("\ndecode reads %.1f MB of weights per token; memory read bandwidth now %.1f GB/s (%d threads)\n"
                        "roofline %.1f tok/s; %s at %.2f tok/s reads %.1f GB/s = %.0f%% of the roofline\n",
                        bytes / 1e6, bw, threads, roof, r.test.c_str(), r.meanTps, bytes * r.meanTps / 1e9, 100.0 * r.meanTps / roof);
        }
    return 0;
}

}  // namespace blyan::cli
