// The tiered expert store's figures (issue 6): cold expert-load throughput against the disk's sequential
// read rate for the same payload files, and generation tok/s with every expert resident against a RAM
// budget of a quarter of the experts. Prints figures; asserts nothing.
//
//   bench_model_store [--hidden 1024] [--layers 8] [--experts 32] [--top-k 4] [--moe-intermediate 512]
//                     [--vocab 8192] [--tokens 64] [--threads 2] [--dir DIR]
//
// The checkpoint (make-test-model, bf16) is split into components and written to an object store in a
// temporary directory exactly as importmodel does; the experts are then served from the store's files.
// "Cold" means the payload files' pages were dropped from the page cache (posix_fadvise DONTNEED) first.

#include "engine/checkpoint/checkpoint.h"
#include "engine/checkpoint/make_test_model.h"
#include "engine/model/model.h"
#include "engine/model/tiered_expert_store.h"
#include "engine/runtime.h"
#include "engine/runtime/generator.h"
#include "model/component_writer.h"
#include "model/components.h"
#include "storage/object_store.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

using namespace blyan;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void dropFromPageCache(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

std::uint64_t readWhole(const std::string &path)
{
    static std::vector<char> buf(8 << 20);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    std::uint64_t n = 0;
    ssize_t r;
    while ((r = ::read(fd, buf.data(), buf.size())) > 0) n += static_cast<std::uint64_t>(r);
    ::close(fd);
    return n;
}

double generateTokS(const std::shared_ptr<engine::Model> &model, int tokens)
{
    engine::Generator gen(model);
    engine::GenerationOptions o;
    o.sampler.greedy = true;
    o.maxTokens = tokens;
    o.ignoreEos = true;
    std::vector<int32_t> prompt;
    for (int i = 0; i < 16; ++i) prompt.push_back(5 + 37 * i);
    gen.generate(prompt, o);  // warm-up (and the prefix stays cached, so the timed run is decode only)
    gen.reset();
    const auto r = gen.generate(prompt, o);
    return static_cast<double>(r.tokens.size()) / r.generateSeconds;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::map<std::string, std::string> opt{{"--hidden", "1024"}, {"--layers", "8"}, {"--experts", "32"}, {"--top-k", "4"},
                                           {"--moe-intermediate", "512"}, {"--vocab", "8192"}, {"--tokens", "64"},
                                           {"--threads", "2"}, {"--dir", ""}};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!opt.count(argv[i])) {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
        opt[argv[i]] = argv[i + 1];
    }
    const auto num = [&](const char *k) { return std::stoll(opt[k]); };
    engine::setCpuThreads(static_cast<int>(num("--threads")));
    QTemporaryDir tmp(opt["--dir"].empty() ? QDir::tempPath() + QStringLiteral("/bench_model_store-XXXXXX")
                                           : QString::fromStdString(opt["--dir"]) + QStringLiteral("/bench_model_store-XXXXXX"));
    const std::string ckDir = tmp.filePath(QStringLiteral("ckpt")).toStdString();

    engine::TestModelSpec spec;
    spec.hidden = num("--hidden");
    spec.layers = num("--layers");
    spec.experts = num("--experts");
    spec.topK = num("--top-k");
    spec.moeIntermediate = num("--moe-intermediate");
    spec.vocab = num("--vocab");
    spec.heads = spec.hidden / 64;
    spec.kvHeads = std::max<int64_t>(1, spec.heads / 4);
    spec.headDim = 64;
    spec.seed = 1;
    auto t0 = Clock::now();
    engine::makeTestModel(spec, ckDir);
    std::printf("checkpoint: hidden %lld, %lld layers x %lld experts (top-%lld), moe_intermediate %lld, vocab %lld, bf16 (%.1f s)\n",
                static_cast<long long>(spec.hidden), static_cast<long long>(spec.layers), static_cast<long long>(spec.experts),
                static_cast<long long>(spec.topK), static_cast<long long>(spec.moeIntermediate),
                static_cast<long long>(spec.vocab), since(t0));

    // Import into an object store as importmodel does (components -> safetensors payloads).
    auto store = storage::ObjectStore::open(tmp.filePath(QStringLiteral("objects")));
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
    auto ck = engine::Checkpoint::open(ckDir);
    auto plans = model::planComponents(*ck);
    if (!plans.ok()) return std::fprintf(stderr, "%s\n", plans.error().message.c_str()), 1;
    std::atomic<bool> cancel{false};
    std::vector<std::shared_ptr<engine::SafetensorsFile>> baseFiles;
    std::vector<engine::ExpertFile> experts(static_cast<std::size_t>(spec.layers * spec.experts));
    std::vector<std::string> expertPaths;
    std::uint64_t importBytes = 0;
    t0 = Clock::now();
    for (const auto &p : *plans) {
        auto info = model::writeComponent(p, *store, cancel, {});
        if (!info.ok()) return std::fprintf(stderr, "%s\n", info.error().message.c_str()), 1;
        importBytes += info->size;
        const std::string path = store->objectPath(info->hash).toStdString();
        if (p.kind == "expert") {
            experts[static_cast<std::size_t>(p.layer * spec.experts + p.expert)] = {path, p.name, {}};
            expertPaths.push_back(path);
        } else {
            baseFiles.push_back(engine::SafetensorsFile::open(path));
        }
    }
    const double importSecs = since(t0);
    std::printf("import: %zu components, %.1f MB in %.2f s (%.0f MB/s, hashing and fsync included)\n", plans->size(),
                static_cast<double>(importBytes) / 1e6, importSecs, static_cast<double>(importBytes) / 1e6 / importSecs);

    // Disk read rate of the expert payloads, cold.
    for (const auto &p : expertPaths) dropFromPageCache(p);
    t0 = Clock::now();
    std::uint64_t diskBytes = 0;
    for (const auto &p : expertPaths) diskBytes += readWhole(p);
    const double diskSecs = since(t0);
    const double diskMBs = static_cast<double>(diskBytes) / 1e6 / diskSecs;
    std::printf("disk: sequential read of %zu expert payloads, %.1f MB cold: %.0f MB/s\n", expertPaths.size(),
                static_cast<double>(diskBytes) / 1e6, diskMBs);

    engine::ModelOptions mo;
    const auto config = ck->config();
    const auto load = [&](std::uint64_t ramBudget) {
        engine::TieredStoreOptions to;
        to.ramBudgetBytes = ramBudget;
        auto tiered = std::make_shared<engine::TieredExpertStore>(config, mo, to, experts, nullptr);
        auto m = engine::Model::load(engine::Checkpoint::fromFiles("bench", config, baseFiles), mo, tiered);
        return std::make_pair(m, tiered);
    };

    // Cold expert loads: every expert once from dropped pages, RAM budget 0 (nothing kept), no prefetch help.
    {
        engine::TieredStoreOptions to;
        to.prefetch = false;
        engine::TieredExpertStore cold(config, mo, to, experts, nullptr);
        for (const auto &p : expertPaths) dropFromPageCache(p);
        t0 = Clock::now();
        cold.warmAll();
        const double s = since(t0);
        const auto st = cold.stats();
        std::printf("cold expert loads: %llu experts, %.1f MB in %.2f s: %.0f MB/s (%.0f%% of the disk read rate), %.2f ms per expert\n",
                    static_cast<unsigned long long>(st.coldLoads), static_cast<double>(st.coldBytes) / 1e6, s,
                    static_cast<double>(st.coldBytes) / 1e6 / s, 100.0 * static_cast<double>(st.coldBytes) / 1e6 / s / diskMBs,
                    1e3 * s / static_cast<double>(st.coldLoads));
    }

    const int tokens = static_cast<int>(num("--tokens"));
    const std::uint64_t all = static_cast<std::uint64_t>(spec.layers * spec.experts) * 3 *
                              static_cast<std::uint64_t>(spec.hidden * spec.moeIntermediate) * 2;
    {
        auto [m, tiered] = load(all);
        tiered->warmAll();
        const double tps = generateTokS(m, tokens);
        const auto st = tiered->stats();
        std::printf("generation, all %llu experts resident (%.0f MB): %.1f tok/s (cold loads during generation: %llu)\n",
                    static_cast<unsigned long long>(st.ramResident), static_cast<double>(st.ramBytes) / 1e6, tps,
                    static_cast<unsigned long long>(st.coldLoads - st.ramResident));
    }
    {
        auto [m, tiered] = load(all / 4);
        const double tps = generateTokS(m, tokens);
        const auto st = tiered->stats();
        std::printf("generation, RAM budget a quarter of the experts (%.0f MB, page cache warm): %.1f tok/s "
                    "(%llu gets: %llu RAM hits, %llu loads from the mapped files, %llu by prefetch, %llu evictions)\n",
                    static_cast<double>(all / 4) / 1e6, tps, static_cast<unsigned long long>(st.gets),
                    static_cast<unsigned long long>(st.ramHits), static_cast<unsigned long long>(st.coldLoads),
                    static_cast<unsigned long long>(st.prefetchLoads), static_cast<unsigned long long>(st.evictions));
    }
    return 0;
}
