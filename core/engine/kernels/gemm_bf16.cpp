#include "engine/kernels/gemm_bf16.h"

#include "engine/kernels/thread_pool.h"

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
inline void store(uint16_t *p, float v)
{
    uint32_t u;
    std::memcpy(&u, &v, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) {  // NaN stays NaN
        *p = static_cast<uint16_t>((u >> 16) | 0x40);
        return;
    }
    u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest even
    *p = static_cast<uint16_t>(u >> 16);
}

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

// RT weight rows x MT activation rows: RT * MT independent accumulator chains hide VDPBF16PS latency; each
// 64-byte weight load feeds MT dot products.
template <int RT, int MT, typename Out>
BLYAN_TARGET_BF16 void tile(const uint16_t *x, const uint16_t *w, int64_t K, Out *y, int64_t ldy)
{
    __m512 acc[MT][RT];
    for (int m = 0; m < MT; ++m)
        for (int r = 0; r < RT; ++r) acc[m][r] = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 32 <= K; k += 32) {
        __m512bh wv[RT];
        for (int r = 0; r < RT; ++r) wv[r] = (__m512bh)_mm512_loadu_si512(w + r * K + k);
        for (int m = 0; m < MT; ++m) {
            const __m512bh xv = (__m512bh)_mm512_loadu_si512(x + m * K + k);
            for (int r = 0; r < RT; ++r) acc[m][r] = _mm512_dpbf16_ps(acc[m][r], wv[r], xv);
        }
    }
    if (k < K) {
        const __mmask32 mask = static_cast<__mmask32>((1ull << (K - k)) - 1);
        __m512bh wv[RT];
        for (int r = 0; r < RT; ++r) wv[r] = (__m512bh)_mm512_maskz_loadu_epi16(mask, w + r * K + k);
        for (int m = 0; m < MT; ++m) {
            const __m512bh xv = (__m512bh)_mm512_maskz_loadu_epi16(mask, x + m * K + k);
            for (int r = 0; r < RT; ++r) acc[m][r] = _mm512_dpbf16_ps(acc[m][r], wv[r], xv);
        }
    }
    for (int m = 0; m < MT; ++m)
        for (int r = 0; r < RT; ++r) store(y + m * ldy + r, hsum(acc[m][r]));
}

template <int RT, typename Out>
void rowsTile(const uint16_t *x, int64_t M, const uint16_t *w, int64_t K, Out *y, int64_t ldy)
{
    int64_t m = 0;
    for (; m + 4 <= M; m += 4) tile<RT, 4>(x + m * K, w, K, y + m * ldy, ldy);
    switch (M - m) {
    case 3: tile<RT, 3>(x + m * K, w, K, y + m * ldy, ldy); break;
    case 2: tile<RT, 2>(x + m * K, w, K, y + m * ldy, ldy); break;
    case 1: tile<RT, 1>(x + m * K, w, K, y + m * ldy, ldy); break;
    default: break;
    }
}

template <typename Out>
void rows(const uint16_t *x, int64_t M, const uint16_t *w, int64_t K, Out *y, int64_t ldy, int64_t n0, int64_t n1)
{
    int64_t n = n0;
    for (; n + 4 <= n1; n += 4) rowsTile<4>(x, M, w + n * K, K, y + n, ldy);
    for (; n < n1; ++n) rowsTile<1>(x, M, w + n * K, K, y + n, ldy);
}

template <typename Out>
void gemm(const uint16_t *x, int64_t M, const uint16_t *w, int64_t N, int64_t K, Out *y, int64_t ldy)
{
    // Pieces of 64 weight rows: small matrices stay on one thread (no hand-over cost).
    parallelFor(N, 64, [&](int64_t n0, int64_t n1) { rows(x, M, w, K, y, ldy, n0, n1); });
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
