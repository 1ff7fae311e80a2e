#include "engine/kernels/elementwise.h"

#include "engine/kernels/bf16.h"

#include "engine/kernels/gemm_bf16.h"

#include <climits>
#include <cmath>
#include <cstring>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define BLYAN_X86_AVX512 1
#define BLYAN_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#endif

// GCC 12 warns inside its own AVX-512 headers (the _mm*_undefined_* helpers) once they are inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace blyan::engine::kernels {

namespace {

inline float toF(uint16_t b) { return bf16ToFloat(b); }
inline uint16_t toB(float v) { return floatToBf16(v); }
inline float r(float v) { return roundBf16(v); }

#ifdef BLYAN_X86_AVX512

// 16 bf16 values (the first `n` when masked) widened to float.
BLYAN_TARGET_AVX512 inline __m512 load(const uint16_t *p, __mmask16 m = 0xffff)
{
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
}

// Round to bf16 (nearest even; a NaN stays a quiet NaN) and keep the bit pattern in the upper half.
BLYAN_TARGET_AVX512 inline __m512i roundBits(__m512 v)
{
    const __m512i u = _mm512_castps_si512(v);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), lsb), 16);
    const __m512i quiet = _mm512_or_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40));
    return _mm512_mask_mov_epi32(rounded, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), quiet);
}

BLYAN_TARGET_AVX512 inline __m512 neg(__m512 v) { return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(v), _mm512_set1_epi32(INT32_MIN))); }

BLYAN_TARGET_AVX512 inline __m512 rv(__m512 v) { return _mm512_castsi512_ps(_mm512_slli_epi32(roundBits(v), 16)); }

BLYAN_TARGET_AVX512 inline void store(uint16_t *p, __m512 v, __mmask16 m = 0xffff)
{
    _mm256_mask_storeu_epi16(p, m, _mm512_cvtepi32_epi16(roundBits(v)));
}

// exp(x) as 2^n * p(f): n = round(x / ln 2), f = x - n ln 2 in two parts (Cody-Waite), p the degree-7 Taylor
// polynomial (|f| <= ln2/2: truncation error below 2^-27). scalef gives inf, 0 and NaN at the ends.
BLYAN_TARGET_AVX512 inline __m512 expv(__m512 x)
{
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 f = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
    f = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187045e-06f), f);
    __m512 p = _mm512_set1_ps(1.0f / 5040);
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f / 720));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f / 120));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f / 24));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f / 6));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

inline __mmask16 tailMask(int64_t left) { return static_cast<__mmask16>(left >= 16 ? 0xffff : (1u << left) - 1); }

BLYAN_TARGET_AVX512 float hsum(__m512 v)
{
    __m512 t = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, 0x4e));
    t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0xb1));
    __m128 s = _mm512_castps512_ps128(t);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

BLYAN_TARGET_AVX512 void rmsNormAvx512(const uint16_t *x, int64_t n, const uint16_t *w, float eps, uint16_t *out)
{
    __m512 ss = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) {
        const __m512 v = load(x + i, tailMask(n - i));
        ss = _mm512_fmadd_ps(v, v, ss);
    }
    const __m512 rs = _mm512_set1_ps(1.0f / std::sqrt(hsum(ss) / static_cast<float>(n) + eps));
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = tailMask(n - i);
        store(out + i, _mm512_mul_ps(load(w + i, m), rv(_mm512_mul_ps(load(x + i, m), rs))), m);
    }
}

BLYAN_TARGET_AVX512 void ropeAvx512(const uint16_t *x, int64_t d, const uint16_t *cos, const uint16_t *sin, uint16_t *out)
{
    const int64_t half = d / 2;
    for (int64_t i = 0; i < half; i += 16) {
        const __mmask16 m = tailMask(half - i);
        const __m512 x1 = load(x + i, m), x2 = load(x + half + i, m);
        const __m512 lo = _mm512_add_ps(rv(_mm512_mul_ps(x1, load(cos + i, m))), rv(_mm512_mul_ps(neg(x2), load(sin + i, m))));
        const __m512 hi = _mm512_add_ps(rv(_mm512_mul_ps(x2, load(cos + half + i, m))), rv(_mm512_mul_ps(x1, load(sin + half + i, m))));
        store(out + i, lo, m);  // x1 and x2 are in registers: out may alias x
        store(out + half + i, hi, m);
    }
}

BLYAN_TARGET_AVX512 void swigluAvx512(const uint16_t *gate, const uint16_t *up, int64_t n, uint16_t *out)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = tailMask(n - i);
        const __m512 a = load(gate + i, m);
        const __m512 silu = _mm512_div_ps(a, _mm512_add_ps(one, expv(neg(a))));
        store(out + i, _mm512_mul_ps(rv(silu), load(up + i, m)), m);
    }
}

BLYAN_TARGET_AVX512 void addScaledAvx512(float *acc, const uint16_t *y, float w, int64_t n)
{
    const __m512 wv = _mm512_set1_ps(w);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = tailMask(n - i);
        const __m512 a = _mm512_maskz_loadu_ps(m, acc + i);
        _mm512_mask_storeu_ps(acc + i, m, rv(_mm512_add_ps(a, rv(_mm512_mul_ps(load(y + i, m), wv)))));
    }
}

#endif

bool vectorised()
{
#ifdef BLYAN_X86_AVX512
    return bf16Available();  // AVX512-BF16 implies the F/BW/VL subsets used here
#else
    return false;
#endif
}

}  // namespace

void rmsNormRow(const uint16_t *x, int64_t n, const uint16_t *w, float eps, uint16_t *out)
{
#ifdef BLYAN_X86_AVX512
    if (vectorised()) return rmsNormAvx512(x, n, w, eps, out);
#endif
    float ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += toF(x[i]) * toF(x[i]);
    const float rs = 1.0f / std::sqrt(ss / static_cast<float>(n) + eps);
    for (int64_t i = 0; i < n; ++i) out[i] = toB(toF(w[i]) * r(toF(x[i]) * rs));
}

void ropeHead(const uint16_t *x, int64_t d, const uint16_t *cos, const uint16_t *sin, uint16_t *out)
{
#ifdef BLYAN_X86_AVX512
    if (vectorised()) return ropeAvx512(x, d, cos, sin, out);
#endif
    const int64_t half = d / 2;
    for (int64_t i = 0; i < half; ++i) {
        const float x1 = toF(x[i]), x2 = toF(x[i + half]);
        out[i] = toB(r(x1 * toF(cos[i])) + r(-x2 * toF(sin[i])));
        out[i + half] = toB(r(x2 * toF(cos[i + half])) + r(x1 * toF(sin[i + half])));
    }
}

void swigluRow(const uint16_t *gate, const uint16_t *up, int64_t n, uint16_t *out)
{
#ifdef BLYAN_X86_AVX512
    if (vectorised()) return swigluAvx512(gate, up, n, out);
#endif
    for (int64_t i = 0; i < n; ++i) {
        const float a = toF(gate[i]);
        out[i] = toB(r(a / (1.0f + std::exp(-a))) * toF(up[i]));
    }
}

void addScaledRounded(float *acc, const uint16_t *y, float w, int64_t n)
{
#ifdef BLYAN_X86_AVX512
    if (vectorised()) return addScaledAvx512(acc, y, w, n);
#endif
    for (int64_t i = 0; i < n; ++i) acc[i] = r(acc[i] + r(toF(y[i]) * w));
}

}  // namespace blyan::engine::kernels
