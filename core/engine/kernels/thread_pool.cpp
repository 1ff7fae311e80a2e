#include "engine/kernels/thread_pool.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define BLYAN_PAUSE() _mm_pause()
#else
#define BLYAN_PAUSE() std::this_thread::yield()
#endif

namespace blyan::engine::kernels {

namespace {

thread_local bool t_inPool = false;
std::atomic<int> g_threads{0};  // 0: LibTorch's intra-op thread count

class Pool {
public:
    ~Pool() { resize(0); }

    void run(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)> &fn)
    {
        const int64_t chunks = (n + grain - 1) / grain;
        const int threads = kernels::threads();
        std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
        if (chunks <= 1 || threads <= 1 || t_inPool || !lock.owns_lock()) {
            fn(0, n);
            return;
        }
        if (static_cast<int>(workers_.size()) != threads - 1) resize(threads - 1);
        fn_.store(&fn, std::memory_order_relaxed);
        n_.store(n, std::memory_order_relaxed);
        grain_.store(grain, std::memory_order_relaxed);
        chunks_.store(chunks, std::memory_order_relaxed);
        done_.store(0, std::memory_order_relaxed);
        const uint64_t e = ++epochCount_;
        state_.store(e << 32, std::memory_order_release);  // publishes the job; claims start at chunk 0
        epoch_.store(static_cast<uint32_t>(e), std::memory_order_release);
        epoch_.notify_all();
        t_inPool = true;
        work(e);
        t_inPool = false;
        for (int spins = 0; done_.load(std::memory_order_acquire) < chunks; ++spins)
            if (spins < 4096) BLYAN_PAUSE();
            else std::this_thread::yield();
    }

private:
    // Claims and runs chunks of job `e` until none is left (or a newer job replaced it).
    void work(uint64_t e)
    {
        for (;;) {
            uint64_t s = state_.load(std::memory_order_acquire);
            if ((s >> 32) != (e & 0xffffffffu) || static_cast<int64_t>(s & 0xffffffffu) >= chunks_.load(std::memory_order_relaxed))
                return;
            if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) continue;
            // The job cannot change while a claimed chunk is not done, so its fields are stable here.
            const int64_t grain = grain_.load(std::memory_order_relaxed), n = n_.load(std::memory_order_relaxed);
            const int64_t b = static_cast<int64_t>(s & 0xffffffffu) * grain;
            (*fn_.load(std::memory_order_relaxed))(b, std::min(n, b + grain));
            done_.fetch_add(1, std::memory_order_release);
        }
    }

    void loop()
    {
        t_inPool = true;
        uint32_t seen = epoch_.load(std::memory_order_acquire);
        for (;;) {
            for (int spins = 0; epoch_.load(std::memory_order_acquire) == seen && spins < 2000; ++spins) BLYAN_PAUSE();  // about 40 us
            epoch_.wait(seen, std::memory_order_acquire);
            seen = epoch_.load(std::memory_order_acquire);
            if (stop_.load(std::memory_order_acquire)) return;
            work((static_cast<uint64_t>(state_.load(std::memory_order_acquire) >> 32)));
        }
    }

    void resize(int n)
    {
        if (!workers_.empty()) {
            stop_.store(true, std::memory_order_release);
            epoch_.fetch_add(1, std::memory_order_acq_rel);
            epoch_.notify_all();
            for (auto &t : workers_) t.join();
            workers_.clear();
            stop_.store(false, std::memory_order_release);
        }
        for (int i = 0; i < n; ++i) workers_.emplace_back([this] { loop(); });
    }

    std::mutex mu_;
    std::vector<std::thread> workers_;
    uint64_t epochCount_ = 0;
    std::atomic<uint64_t> state_{0};   // (epoch << 32) | next chunk to claim
    std::atomic<uint32_t> epoch_{0};   // what sleeping workers wait on
    std::atomic<bool> stop_{false};
    std::atomic<const std::function<void(int64_t, int64_t)> *> fn_{nullptr};
    std::atomic<int64_t> n_{0}, grain_{1}, chunks_{0}, done_{0};
};

Pool &pool()
{
    static Pool p;
    return p;
}

}  // namespace

void setThreads(int n) { g_threads.store(std::max(1, n)); }

int threads()
{
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : at::get_num_threads();
}

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)> &fn)
{
    if (n <= 0) return;
    pool().run(n, std::max<int64_t>(1, grain), fn);
}

}  // namespace blyan::engine::kernels
