#include "engine/kernels/membw.h"

#include "engine/kernels/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define BLYAN_X86_AVX512 1
#endif

namespace blyan::engine::kernels {

namespace {

constexpr std::size_t kChunk = 64 << 10;  // bytes per work item

#ifdef BLYAN_X86_AVX512
__attribute__((target("avx512f"))) uint64_t sumChunkAvx512(const std::byte *p, std::size_t n)
{
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    for (std::size_t i = 0; i < n; i += 256) {
        a0 = _mm512_xor_si512(a0, _mm512_load_si512(p + i));
        a1 = _mm512_xor_si512(a1, _mm512_load_si512(p + i + 64));
        a2 = _mm512_xor_si512(a2, _mm512_load_si512(p + i + 128));
        a3 = _mm512_xor_si512(a3, _mm512_load_si512(p + i + 192));
    }
    alignas(64) uint64_t lanes[8];
    _mm512_store_si512(lanes, _mm512_xor_si512(_mm512_xor_si512(a0, a1), _mm512_xor_si512(a2, a3)));
    uint64_t s = 0;
    for (uint64_t v : lanes) s ^= v;
    return s;
}
#endif

uint64_t sumChunk(const std::byte *p, std::size_t n)
{
#ifdef BLYAN_X86_AVX512
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (avx512) return sumChunkAvx512(p, n);
#endif
    uint64_t s = 0;
    for (std::size_t i = 0; i < n; i += 8) {
        uint64_t v;
        std::memcpy(&v, p + i, 8);
        s ^= v;
    }
    return s;
}

}  // namespace

double measureReadBandwidth(std::size_t bytes, int reps)
{
    const std::size_t chunks = std::max<std::size_t>(1, bytes / kChunk);
    // 64-byte aligned, touched once so that the pages exist before timing.
    std::unique_ptr<std::byte[]> storage(new std::byte[chunks * kChunk + 64]);
    std::byte *buf = storage.get() + (64 - reinterpret_cast<uintptr_t>(storage.get()) % 64) % 64;
    std::memset(buf, 1, chunks * kChunk);
    double best = 0;
    volatile uint64_t sink = 0;
    for (int r = 0; r < reps; ++r) {
        std::vector<uint64_t> partial(chunks);
        const auto t0 = std::chrono::steady_clock::now();
        parallelFor(static_cast<int64_t>(chunks), 8, [&](int64_t c0, int64_t c1) {
            for (int64_t c = c0; c < c1; ++c) partial[static_cast<std::size_t>(c)] = sumChunk(buf + static_cast<std::size_t>(c) * kChunk, kChunk);
        });
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (uint64_t v : partial) sink = sink ^ v;
        best = std::max(best, static_cast<double>(chunks * kChunk) / s / 1e9);
    }
    (void)sink;
    return best;
}

}  // namespace blyan::engine::kernels
