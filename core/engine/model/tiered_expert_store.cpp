// The tensor side of the tiered expert store (tiered_expert_store.h): converting a mapped expert file into
// compute-dtype tensors, the two LRU tiers, and the prefetch thread.
#include "engine/model/tiered_expert_store.h"

#include "engine/checkpoint/checkpoint.h"
#include "engine/checkpoint/tensor_loader.h"
#include "engine/model/model_impl.h"
#include "engine/model/weight_handle.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <numeric>
#include <thread>

namespace blyan::engine {

namespace {

at::ScalarType dtypeFromName(const std::string &n)
{
    if (n == "bf16") return at::kBFloat16;
    if (n == "f16") return at::kHalf;
    return at::kFloat;
}

uint64_t bytesOf(const ExpertWeights &w)
{
    return static_cast<uint64_t>(tensorOf(w.gateUp).nbytes() + tensorOf(w.down).nbytes());
}

}  // namespace

struct TieredExpertStore::Impl {
    struct Slot {
        std::shared_ptr<SafetensorsFile> file;  // the mapped tier, kept once opened
        ExpertWeights ram, gpu;
        uint64_t ramBytes = 0, gpuBytes = 0;
        std::list<std::size_t>::iterator ramPos, gpuPos;
        bool inRam = false, inGpu = false, loading = false, queued = false;
        uint32_t uses = 0;       // since resetUsage (the answer's record)
        uint64_t totalUses = 0;  // since load (the next-layer prediction)
    };

    ModelConfig config;
    at::ScalarType dtype = at::kFloat;
    at::Device device = at::kCPU;
    TieredStoreOptions options;
    std::vector<ExpertFile> files;
    VerifyFn verify;
    int layers = 0, experts = 0;

    mutable std::mutex mu;
    std::condition_variable cv;
    std::vector<Slot> slots;
    std::list<std::size_t> ramLru, gpuLru;  // front: most recently used
    uint64_t ramBytes = 0, gpuBytes = 0;
    TieredStoreStats st;

    std::thread worker;
    std::deque<std::size_t> queue;
    bool stopping = false;

    std::size_t index(int layer, int expert) const
    {
        if (layer < 0 || layer >= layers || expert < 0 || expert >= experts)
            throw EngineError("expert " + std::to_string(expert) + " of layer " + std::to_string(layer) + " does not exist");
        return static_cast<std::size_t>(layer) * static_cast<std::size_t>(experts) + static_cast<std::size_t>(expert);
    }

    // Outside the lock: verify (first time), map, convert. The slot is marked loading by the caller, so no
    // one else touches its file pointer meanwhile.
    ExpertWeights loadFromFile(std::size_t i, uint64_t &readBytes)
    {
        const ExpertFile &f = files[i];
        const int layer = static_cast<int>(i / static_cast<std::size_t>(experts));
        const int expert = static_cast<int>(i % static_cast<std::size_t>(experts));
        if (f.path.empty())
            throw EngineError("expert " + f.name + " is not available: " +
                              (f.missingReason.empty() ? std::string("no payload for it") : f.missingReason));
        Slot &s = slots[i];
        if (!s.file) {
            if (verify) verify(layer, expert);
            auto file = SafetensorsFile::open(f.path);
            std::lock_guard<std::mutex> l(mu);
            s.file = std::move(file);
            ++st.verified;
        }
        s.file->mapping()->willNeed();
        auto ck = Checkpoint::fromFiles(f.name, config, {s.file});
        const TensorTarget cpu{dtype, at::kCPU};
        const int64_t H = config.hiddenSize, I = config.moeIntermediateSize;
        const bool mixtral = config.arch == Arch::Mixtral;
        const std::string x = "model.layers." + std::to_string(layer) + (mixtral ? ".block_sparse_moe" : ".mlp") +
                              ".experts." + std::to_string(expert) + ".";
        const std::string g = x + (mixtral ? "w1.weight" : "gate_proj.weight");
        const std::string u = x + (mixtral ? "w3.weight" : "up_proj.weight");
        const std::string d = x + (mixtral ? "w2.weight" : "down_proj.weight");
        for (const auto &n : {g, u, d})
            if (!ck->find(n).entry) throw EngineError("expert " + f.name + ": its payload has no tensor '" + n + "'");
        readBytes = 0;
        for (const auto &t : s.file->tensors()) readBytes += t.nbytes();
        try {
            at::NoGradGuard noGrad;
            // Owned, contiguous copies (never views of the mapping): the RAM tier must hold what it counts,
            // and an eviction must free it. Pinned when a GPU copy follows.
            at::Tensor gateUp = at::cat({loadTensor(*ck, g, {I, H}, cpu), loadTensor(*ck, u, {I, H}, cpu)}, 0).contiguous();
            at::Tensor down = loadTensor(*ck, d, {H, I}, cpu).clone(at::MemoryFormat::Contiguous);
            if (device.is_cuda()) {
                gateUp = gateUp.pin_memory();
                down = down.pin_memory();
            }
            return ExpertWeights{makeHandle(gateUp), makeHandle(down)};
        } catch (const EngineError &) {
            throw;
        } catch (const std::exception &e) {
            rethrowTorch("expert " + f.name, e);
        }
    }

    // Under the lock.
    void evict(std::list<std::size_t> &lru, uint64_t &used, uint64_t budget, bool gpuTier)
    {
        while (used > budget && !lru.empty()) {
            Slot &s = slots[lru.back()];
            lru.pop_back();
            if (gpuTier) {
                used -= s.gpuBytes;
                s.gpu = {};
                s.inGpu = false;
            } else {
                used -= s.ramBytes;
                s.ram = {};
                s.inRam = false;
            }
            ++st.evictions;
        }
    }

    // Under the lock. An expert larger than the whole budget is not kept (it is still returned).
    void putRam(std::size_t i, ExpertWeights w)
    {
        Slot &s = slots[i];
        const uint64_t n = bytesOf(w);
        if (s.inRam || n > options.ramBudgetBytes) return;
        s.ram = std::move(w);
        s.ramBytes = n;
        s.inRam = true;
        ramLru.push_front(i);
        s.ramPos = ramLru.begin();
        ramBytes += n;
        evict(ramLru, ramBytes, options.ramBudgetBytes, false);
    }

    ExpertWeights putGpu(std::size_t i, const ExpertWeights &host)
    {
        ExpertWeights w;
        try {
            w.gateUp = makeHandle(tensorOf(host.gateUp).to(device, /*non_blocking=*/true));
            w.down = makeHandle(tensorOf(host.down).to(device, true));
        } catch (const std::exception &e) {
            rethrowTorch("expert " + files[i].name + " to " + device.str(), e);
        }
        Slot &s = slots[i];
        const uint64_t n = bytesOf(w);
        if (!s.inGpu && n <= options.gpuBudgetBytes) {
            s.gpu = w;
            s.gpuBytes = n;
            s.inGpu = true;
            gpuLru.push_front(i);
            s.gpuPos = gpuLru.begin();
            gpuBytes += n;
            evict(gpuLru, gpuBytes, options.gpuBudgetBytes, true);
        }
        return w;
    }

    // Loads slot i (the caller set loading); returns the host weights or rethrows.
    ExpertWeights coldLoad(std::size_t i, std::unique_lock<std::mutex> &l, bool byPrefetch)
    {
        l.unlock();
        const auto t0 = std::chrono::steady_clock::now();
        uint64_t read = 0;
        ExpertWeights w;
        try {
            w = loadFromFile(i, read);
        } catch (...) {
            l.lock();
            slots[i].loading = false;
            cv.notify_all();
            throw;
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        l.lock();
        Slot &s = slots[i];
        s.loading = false;
        ++st.coldLoads;
        if (byPrefetch) ++st.prefetchLoads;
        st.coldBytes += read;
        st.coldSeconds += secs;
        putRam(i, w);
        cv.notify_all();
        return w;
    }

    void run()
    {
        std::unique_lock<std::mutex> l(mu);
        while (true) {
            cv.wait(l, [&] { return stopping || !queue.empty(); });
            if (stopping) return;
            const std::size_t i = queue.front();
            queue.pop_front();
            Slot &s = slots[i];
            s.queued = false;
            if (s.inRam || s.inGpu || s.loading || files[i].path.empty()) continue;
            s.loading = true;
            try {
                coldLoad(i, l, true);
            } catch (const std::exception &) {
                // get() loads it again and reports the error to the generation that needs it.
            }
        }
    }

    void enqueue(std::size_t i)
    {
        Slot &s = slots[i];
        if (s.inRam || s.inGpu || s.loading || s.queued || files[i].path.empty() || !s.file) return;
        // Only experts whose file is verified and mapped: verification (a full hash) stays on the path of the
        // generation that first needs the expert, so its error reaches that generation.
        s.queued = true;
        queue.push_back(i);
    }
};

TieredExpertStore::TieredExpertStore(const ModelConfig &config, const ModelOptions &model, const TieredStoreOptions &options,
                                     std::vector<ExpertFile> files, VerifyFn verify)
    : d_(std::make_unique<Impl>())
{
    Impl &m = *d_;
    m.config = config;
    m.dtype = dtypeFromName(Model::computeDtypeName(config, model));
    m.device = at::Device(model.device);
    m.options = options;
    if (!m.device.is_cuda()) m.options.gpuBudgetBytes = 0;
    m.layers = static_cast<int>(config.numLayers);
    m.experts = static_cast<int>(config.numExperts);
    const std::size_t n = static_cast<std::size_t>(m.layers) * static_cast<std::size_t>(m.experts);
    if (files.size() != n)
        throw EngineError("tiered expert store: " + std::to_string(files.size()) + " expert files for " +
                          std::to_string(m.layers) + " layers x " + std::to_string(m.experts) + " experts");
    m.files = std::move(files);
    m.verify = std::move(verify);
    m.slots.resize(n);
    m.st.gpuTier = m.device.is_cuda();
    m.st.expertBytes = static_cast<uint64_t>(3 * config.hiddenSize * config.moeIntermediateSize) *
                       static_cast<uint64_t>(at::elementSize(m.dtype));
    if (m.options.prefetch) m.worker = std::thread([&m] { m.run(); });
}

TieredExpertStore::~TieredExpertStore()
{
    {
        std::lock_guard<std::mutex> l(d_->mu);
        d_->stopping = true;
    }
    d_->cv.notify_all();
    if (d_->worker.joinable()) d_->worker.join();
}

ExpertWeights TieredExpertStore::get(int layer, int expert)
{
    Impl &m = *d_;
    const std::size_t i = m.index(layer, expert);
    std::unique_lock<std::mutex> l(m.mu);
    Impl::Slot &s = m.slots[i];
    ++m.st.gets;
    ++s.uses;
    ++s.totalUses;
    m.cv.wait(l, [&] { return !s.loading; });
    if (s.inGpu) {
        ++m.st.gpuHits;
        m.gpuLru.splice(m.gpuLru.begin(), m.gpuLru, s.gpuPos);
        return s.gpu;
    }
    ExpertWeights host;
    if (s.inRam) {
        ++m.st.ramHits;
        m.ramLru.splice(m.ramLru.begin(), m.ramLru, s.ramPos);
        host = s.ram;
    } else {
        s.loading = true;
        host = m.coldLoad(i, l, false);
    }
    if (!m.device.is_cuda()) return host;
    return m.putGpu(i, host);
}

void TieredExpertStore::prefetch(int layer, const std::vector<int> &experts)
{
    Impl &m = *d_;
    if (!m.options.prefetch) return;
    std::lock_guard<std::mutex> l(m.mu);
    // This layer's experts, last first: get() takes them in ascending order, so the thread works from the
    // other end and the two meet in the middle.
    for (auto it = experts.rbegin(); it != experts.rend(); ++it)
        if (*it >= 0 && *it < m.experts && layer >= 0 && layer < m.layers) m.enqueue(m.index(layer, *it));
    // The next layer's likely experts: its most used ones so far (as many as the router picks).
    const int next = layer + 1;
    if (next >= m.layers || !m.config.isMoeLayer(next)) return;
    std::vector<int> order(static_cast<std::size_t>(m.experts));
    std::iota(order.begin(), order.end(), 0);
    const auto uses = [&](int e) { return m.slots[m.index(next, e)].totalUses; };
    const int k = static_cast<int>(std::min<int64_t>(m.config.topK, m.experts));
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return uses(a) > uses(b); });
    for (int j = 0; j < k; ++j)
        if (uses(order[static_cast<std::size_t>(j)]) > 0) m.enqueue(m.index(next, order[static_cast<std::size_t>(j)]));
    m.cv.notify_all();
}

void TieredExpertStore::setBudgets(uint64_t gpuBytes, uint64_t ramBytes)
{
    Impl &m = *d_;
    std::lock_guard<std::mutex> l(m.mu);
    m.options.gpuBudgetBytes = m.device.is_cuda() ? gpuBytes : 0;
    m.options.ramBudgetBytes = ramBytes;
    m.evict(m.gpuLru, m.gpuBytes, m.options.gpuBudgetBytes, true);
    m.evict(m.ramLru, m.ramBytes, m.options.ramBudgetBytes, false);
}

TieredStoreStats TieredExpertStore::stats() const
{
    const Impl &m = *d_;
    std::lock_guard<std::mutex> l(m.mu);
    TieredStoreStats s = m.st;
    s.gpuBytes = m.gpuBytes;
    s.ramBytes = m.ramBytes;
    s.gpuResident = m.gpuLru.size();
    s.ramResident = m.ramLru.size();
    s.gpuBudget = m.options.gpuBudgetBytes;
    s.ramBudget = m.options.ramBudgetBytes;
    return s;
}

std::vector<uint32_t> TieredExpertStore::usage() const
{
    std::lock_guard<std::mutex> l(d_->mu);
    std::vector<uint32_t> u;
    u.reserve(d_->slots.size());
    for (const auto &s : d_->slots) u.push_back(s.uses);
    return u;
}

void TieredExpertStore::resetUsage()
{
    std::lock_guard<std::mutex> l(d_->mu);
    for (auto &s : d_->slots) s.uses = 0;
}

void TieredExpertStore::warmAll()
{
    for (int layer = 0; layer < d_->layers; ++layer) {
        if (!d_->config.isMoeLayer(layer)) continue;
        for (int e = 0; e < d_->experts; ++e) {
            get(layer, e);
            std::lock_guard<std::mutex> l(d_->mu);
            Impl::Slot &s = d_->slots[d_->index(layer, e)];
            --s.uses;  // warming is not a use
            --s.totalUses;
            --d_->st.gets;
        }
    }
}

}  // namespace blyan::engine
