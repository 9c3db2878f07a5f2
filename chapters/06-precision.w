@q 06-precision.w -- Chapter 6: low precision and loss scaling @>
@* Low precision.
\chaptervalues{06-precision}%
Half the bits per number means half the memory traffic and, on hardware
built for it, several times the arithmetic.  The price is range and
precision.  This chapter builds the two 16-bit formats of deep learning,
IEEE binary16 (``fp16'') and bfloat16 (``bf16''), bit for bit as PyTorch
converts to them, and the loss scaling that keeps fp16 gradients alive.

@q begin library part @>
@ The interface.  A 16-bit value travels as a |uint16_t| holding its bit
pattern.  |lowp_from_float| rounds one |float| to the format, to nearest
with ties to even, and |lowp_to_float| widens it back, exactly; the
vector form |lowp_round| converts many values at once and may use the
CPU's own conversion instructions, chosen at run time, which give the
same bits.  The path can be forced, so that tests can compare them.
@^PyTorch compatibility@>
@(descent-lowp.h@>=
#ifndef DESCENT_LOWP_H
#define DESCENT_LOWP_H
enum lowp { lowp_fp16, lowp_bf16 };
enum lowp_path { lowp_auto, lowp_portable, lowp_native };
uint16_t lowp_from_float(enum lowp f, float x);
float lowp_to_float(enum lowp f, uint16_t h);
int lowp_round(enum lowp f, enum lowp_path path, const float *x, uint16_t *h, size_t n);
bool lowp_native_available(enum lowp f);
const char *lowp_native_name(enum lowp f);
@<Precision: the interface of the loss scaler@>@;
#endif

@ The conversions need the bit pattern of a |float|; |memcpy| is the
portable way to get it, and compilers turn it into a register move.
@(lowp.c@>=
#include <math.h>
#include <string.h>
#include "descent.h"
static uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
@<Precision: binary16 from |float|@>@;
@<Precision: bfloat16 from |float|@>@;
@<Precision: widening back@>@;
@<Precision: the native paths@>@;
@<Precision: the vector conversion@>@;
@<Precision: the loss scaler@>@;

@ Binary16 has a sign, 5 exponent bits with bias 15 and 10 fraction bits.
Its largest finite value is $(2-2^{-10})\cdot2^{15}=65504$; anything from
the midpoint $65520$ up rounds to infinity.  A NaN stays a quiet NaN with
its sign and the top of its payload, as x86's conversion instruction
keeps them.  For normal results the rounding is one integer addition:
adding $2^{12}-1$ plus the last kept bit to the pattern carries into
the kept bits exactly when the dropped 13 bits are above half, or equal
to half with an odd last bit.  Rebiasing the exponent from 127 to 15
subtracts $112\cdot2^{23}$.
@<Precision: binary16 from |float|@>=
static uint16_t fp16_subnormal(uint32_t a);
static uint16_t fp16_from(float x)
{
  const uint32_t u = bits_of(x), a = u & 0x7fffffffu;
  const uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
  if (a > 0x7f800000u) return sign | 0x7e00u | (uint16_t)((a >> 13) & 0x3ffu);
  if (a >= 0x477ff000u) return sign | 0x7c00u;  /* $\ge65520$: infinity */
  if (a >= 0x38800000u)                         /* $\ge2^{-14}$: normal */
    return sign | (uint16_t)((a - 0x38000000u + 0xfffu + ((a >> 13) & 1u)) >> 13);
  return sign | fp16_subnormal(a);
}

@ Below $2^{-14}$ the result is a subnormal, a multiple of $2^{-24}$, and
the rounding is done on the integer significand: with $e$ the |float|'s
exponent field and $m$ its significand (hidden bit included), the value
is $m\cdot2^{e-150}$, that is $m/2^s$ quanta of $2^{-24}$ with $s=126-e$.
The quotient is rounded to nearest even by looking at the remainder.
A |float| below $2^{-25}$ ($s>24$), or a |float| subnormal, rounds to
zero; $2^{-25}$ itself is a tie and goes to the even zero.  The rounded
quotient may reach $2^{10}$, which is the smallest normal's pattern, as it
should be.
@<Precision: binary16 from |float|@>=
static uint16_t fp16_subnormal(uint32_t a)
{
  const uint32_t e = a >> 23, s = 126 - e;
  if (e == 0 || s > 24) return 0;
  const uint32_t m = (a & 0x7fffffu) | 0x800000u, q = m >> s;
  const uint32_t rem = m & ((1u << s) - 1), half = 1u << (s - 1);
  return (uint16_t)(q + (rem > half || (rem == half && (q & 1u))));
}

@ Bfloat16 is the top half of a |float|: the same sign and 8-bit
exponent, 7 fraction bits.  Rounding to nearest even is the same integer
trick on 16 dropped bits.  Because the exponent is the |float|'s, nothing
special happens to small numbers: a |float| subnormal becomes a bf16
subnormal, and only values from the midpoint above the largest bf16
(about $3.3961776\times10^{38}$) overflow, by the carry itself.  A NaN
is kept quiet, with its sign and the top of its payload.
@<Precision: bfloat16 from |float|@>=
static uint16_t bf16_from(float x)
{
  const uint32_t u = bits_of(x);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);
  return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
uint16_t lowp_from_float(enum lowp f, float x)
{ return f == lowp_fp16 ? fp16_from(x) : bf16_from(x); }

@ Widening is exact.  For bf16 it is a shift.  For binary16 the normal
numbers are rebiased, infinities and NaNs keep their fraction under the
|float| exponent 255, and subnormals $m\cdot2^{-24}$ are computed in
|float|, where both factors and the product are exact.
@<Precision: widening back@>=
float lowp_to_float(enum lowp f, uint16_t h)
{
  if (f == lowp_bf16) return float_of((uint32_t)h << 16);
  const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu;
  const uint32_t m = h & 0x3ffu;
  if (e == 0) return float_of(sign | bits_of((float)m * 0x1p-24f));
  if (e == 31) return float_of(sign | 0x7f800000u | m << 13);
  return float_of(sign | (e + 112) << 23 | m << 13);
}

@ Native conversions.  x86 processors since 2012 have F16C, whose
|vcvtps2ph| rounds eight |float|s to binary16 at once, in the current
rounding mode (to nearest even, unless a program changed it), with
subnormals and NaNs handled as above.  Some have AVX512-BF16, whose
|vcvtneps2bf16| rounds sixteen |float|s to bf16---but it treats a
subnormal input as zero, where PyTorch keeps it.  The library uses that
instruction anyway and repairs the lanes whose input was subnormal
(exponent field zero, fraction nonzero) with the portable rule, which
keeps the result bit-exact.  Each function is compiled for its
instruction set alone, with |target|, and called only after the CPU has
said it has it.
@<Precision: the native paths@>=
#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("f16c,avx")))
static void fp16_native(const float *x, uint16_t *h, size_t n)
{
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128((__m128i *)(h + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i),
                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  for (; i < n; i++) h[i] = fp16_from(x[i]);
}
@<Precision: the AVX512-BF16 path@>@;
#endif

@ Sixteen lanes at a time; the mask of subnormal inputs is usually empty.
@<Precision: the AVX512-BF16 path@>=
__attribute__((target("avx512f,avx512bf16")))
static void bf16_native(const float *x, uint16_t *h, size_t n)
{
  size_t i = 0;
  const __m512i expo = _mm512_set1_epi32(0x7f800000), frac = _mm512_set1_epi32(0x7fffff);
  for (; i + 16 <= n; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    const __m512i b = _mm512_castps_si512(v);
    __mmask16 sub = _mm512_testn_epi32_mask(b, expo) & _mm512_test_epi32_mask(b, frac);
    __m256bh r = _mm512_cvtneps_pbh(v);
    _mm256_storeu_si256((__m256i *)(h + i), (__m256i)r);
    for (int j = 0; sub; j++, sub >>= 1)
      if (sub & 1) h[i + j] = bf16_from(x[i + j]);
  }
  for (; i < n; i++) h[i] = bf16_from(x[i]);
}

@ Which native path exists on this machine?  GCC's |__builtin_cpu_supports|
asks the CPU once.
@<Precision: the vector conversion@>=
bool lowp_native_available(enum lowp f)
{
#if defined(__x86_64__)
  __builtin_cpu_init();
  return f == lowp_fp16 ? __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx")
                        : __builtin_cpu_supports("avx512bf16");
#else
  (void)f;
  return false;
#endif
}
const char *lowp_native_name(enum lowp f) { return f == lowp_fp16 ? "F16C" : "AVX512-BF16"; }

@ The dispatcher.  |lowp_auto| takes the native path when there is one;
|lowp_native| insists on it and returns $-1$ when the CPU lacks it;
|lowp_portable| never uses it.
@<Precision: the vector conversion@>=
int lowp_round(enum lowp f, enum lowp_path path, const float *x, uint16_t *h, size_t n)
{
  const bool native = path != lowp_portable && lowp_native_available(f);
  if (path == lowp_native && !native) return -1;
#if defined(__x86_64__)
  if (native) {
    if (f == lowp_fp16) fp16_native(x, h, n); else bf16_native(x, h, n);
    return 0;
  }
#endif
  for (size_t i = 0; i < n; i++) h[i] = lowp_from_float(f, x[i]);
  return 0;
}

@ Dynamic loss scaling.  Small fp16 gradients underflow to zero; multiplying
the loss by a scale $S$ multiplies every gradient by $S$ and lifts them
into range, and dividing by $S$ before the optimizer's step undoes it.
PyTorch's |GradScaler| chooses $S$ as it goes: it starts at $2^{16}$; a
step whose gradients hold an infinity or a NaN is skipped and halves the
scale; after |growth_interval| (2000) clean steps in a row the scale
doubles---unless doubling would overflow |float|.  The scale is a
|float|, the count of clean steps an integer.
@<Precision: the interface of the loss scaler@>=
struct scaler {
  float scale;
  int32_t tracker;      /* clean steps since the last change */
  double growth, backoff;
  long interval;
};
void scaler_defaults(struct scaler *s);
int scaler_check(const struct scaler *s, char *msg, size_t len);
bool scaler_unscale(const struct scaler *s, float *g, size_t n);
void scaler_update(struct scaler *s, bool found_inf);

@ The defaults and the two assertions of PyTorch's constructor.
@<Precision: the loss scaler@>=
void scaler_defaults(struct scaler *s)
{
  *s = (struct scaler)@[{65536.0f, 0, 2.0, 0.5, 2000}@];
}
int scaler_check(const struct scaler *s, char *msg, size_t len)
{
  const char *why = !(s->growth > 1.0) ? "The growth factor must be > 1.0."
    : !(s->backoff < 1.0) ? "The backoff factor must be < 1.0."
    : !isfinite(s->scale) ? "The initial scale must be finite." : NULL;
  if (why && msg && len) snprintf(msg, len, "%s", why);
  return why ? -1 : 0;
}

@ Unscaling multiplies by the reciprocal of the scale, computed in double
and rounded to |float|, and reports whether any entry was not finite
(looked at before the multiplication).  The caller skips the optimizer's
step when it was.
@<Precision: the loss scaler@>=
bool scaler_unscale(const struct scaler *s, float *g, size_t n)
{
  const float inv = (float)(1.0 / (double)s->scale);
  bool found = false;
  for (size_t i = 0; i < n; i++) {
    found |= !isfinite(g[i]);
    g[i] = g[i] * inv;
  }
  return found;
}

@ The update, as PyTorch's |_amp_update_scale_| kernel does it: products
in double rounded to |float|; the count of clean steps is reset both when
the scale grows and when growth is refused because the new scale would
not be finite.
@<Precision: the loss scaler@>=
void scaler_update(struct scaler *s, bool found_inf)
{
  if (found_inf) {
    s->scale = (float)((double)s->scale * s->backoff);
    s->tracker = 0;
    return;
  }
  const int32_t ok = s->tracker + 1;
  if (ok == s->interval) {
    const float grown = (float)((double)s->scale * s->growth);
    if (isfinite(grown)) s->scale = grown;
    s->tracker = 0;
  } else s->tracker = ok;
}
@q end library part @>
