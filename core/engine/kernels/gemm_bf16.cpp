#include "engine/kernels/gemm_bf16.h"

#include "engine/kernels/bf16.h"
#include "engine/kernels/thread_pool.h"

#include <algorithm>
#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define BLYAN_X86_BF16 1
#define BLYAN_TARGET_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

// GCC 12 warns inside its own AVX-512 headers (the _mm*_undefined_* helpers) once they are inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace blyan::engine::kernels {

namespace {

inline void store(float *p, float v) { *p = v; }
inline void store(uint16_t *p, float v) { *p = floatToBf16(v); }

#ifdef BLYAN_X86_BF16

// Horizontal sum (GCC 12's _mm512_reduce_add_ps trips -Wuninitialized through _mm256_undefined_pd).
BLYAN_TARGET_BF16 inline float hsum(__m512 v)
{
    __m512 t = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, 0x4e));
    t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0xb1));
    __m128 s = _mm512_castps512_ps128(t);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// One weight row at a time against MT activation rows, U accumulator chains per activation row along K:
// the weights stream strictly sequentially (what the hardware prefetcher follows at full bandwidth; four
// rows read side by side at a 2 KB stride reached half of it), and MT * U >= 4 independent VDPBF16PS
// chains hide the instruction's latency. Each 64-byte weight load feeds MT dot products; the MT activation
// rows (MT * K * 2 bytes) stay in L1 while a piece of weight rows streams past them.
template <int MT, int U, typename Out>
BLYAN_TARGET_BF16 void rowBlock(const uint16_t *x, const uint16_t *w, int64_t K, Out *y, int64_t ldy, int64_t n0, int64_t n1)
{
    constexpr int64_t step = 32 * U;
    constexpr int64_t PF = 4;
    const int64_t kMain = K / step * step;
    for (int64_t n = n0; n < n1; ++n) {
        const uint16_t *wr = w + n * K;
        __m512 acc[MT][U];
        for (int m = 0; m < MT; ++m)
            for (int u = 0; u < U; ++u) acc[m][u] = _mm512_setzero_ps();
        for (int64_t k = 0; k < kMain; k += step) {
            if constexpr (MT >= 4) _mm_prefetch(reinterpret_cast<const char *>(wr + PF * K + k), _MM_HINT_T0);
            for (int u = 0; u < U; ++u) {
                const __m512bh wv = (__m512bh)_mm512_loadu_si512(wr + k + 32 * u);
                for (int m = 0; m < MT; ++m)
                    acc[m][u] = _mm512_dpbf16_ps(acc[m][u], wv, (__m512bh)_mm512_loadu_si512(x + m * K + k + 32 * u));
            }
        }
        for (int64_t k = kMain; k < K; k += 32) {
            const int64_t left = std::min<int64_t>(32, K - k);
            const __mmask32 mask = static_cast<__mmask32>(left == 32 ? ~0u : (1u << left) - 1);
            const __m512bh wv = (__m512bh)_mm512_maskz_loadu_epi16(mask, wr + k);
            for (int m = 0; m < MT; ++m)
                acc[m][0] = _mm512_dpbf16_ps(acc[m][0], wv, (__m512bh)_mm512_maskz_loadu_epi16(mask, x + m * K + k));
        }
        for (int m = 0; m < MT; ++m) {
            __m512 s = acc[m][0];
            for (int u = 1; u < U; ++u) s = _mm512_add_ps(s, acc[m][u]);
            store(y + m * ldy + n, hsum(s));
        }
    }
}

template <typename Out>
void rows(const uint16_t *x, int64_t M, const uint16_t *w, int64_t K, Out *y, int64_t ldy, int64_t n0, int64_t n1)
{
    int64_t m = 0;
    for (; m + 8 <= M; m += 8) rowBlock<8, 1>(x + m * K, w, K, y + m * ldy, ldy, n0, n1);
    switch (M - m) {
    case 7: rowBlock<7, 1>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 6: rowBlock<6, 1>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 5: rowBlock<5, 1>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 4: rowBlock<4, 1>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 3: rowBlock<3, 2>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 2: rowBlock<2, 2>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    case 1: rowBlock<1, 4>(x + m * K, w, K, y + m * ldy, ldy, n0, n1); break;
    default: break;
    }
}

template <typename Out>
void gemm(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, Out *y, int64_t ldy)
{
    // Pieces of 64 weight rows: small matrices stay on one thread (no hand-over cost).
    parallelFor(N, std::max<int64_t>(64, N / (threads() * 4)), [&](int64_t n0, int64_t n1) { rows(x, M, w, K, y, ldy, n0, n1); });
}

#endif

}  // namespace

bool bf16Available()
{
#ifdef BLYAN_X86_BF16
    static const bool ok = __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512bw");
    return ok;
#else
    return false;
#endif
}

void gemmBf16(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, float *y, int64_t ldy)
{
#ifdef BLYAN_X86_BF16
    gemm(x, M, w, N, K, y, ldy);
#else
    (void)x, (void)M, (void)w, (void)N, (void)K, (void)y, (void)ldy;
#endif
}

void gemmBf16Rows(const uint16_t *x, int64_t M, const uint16_t *w, int64_t K, uint16_t *y, int64_t ldy, int64_t n0, int64_t n1)
{
#ifdef BLYAN_X86_BF16
    rows(x, M, w, K, y, ldy, n0, n1);
#else
    (void)x, (void)M, (void)w, (void)K, (void)y, (void)ldy, (void)n0, (void)n1;
#endif
}

void gemmBf16(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, uint16_t *y, int64_t ldy)
{
#ifdef BLYAN_X86_BF16
    gemm(x, M, w, N, K, y, ldy);
#else
    (void)x, (void)M, (void)w, (void)N, (void)K, (void)y, (void)ldy;
#endif
}

}  // namespace blyan::engine::kernels
