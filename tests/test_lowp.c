/* tests/test_lowp.c -- fp16 and bf16 rounding and widening, their dispatch paths, and
   the dynamic loss scaler (chapters/06-precision.w), against PyTorch 1.13's
   tensor.to(torch.float16 / torch.bfloat16) and torch.cuda.amp.GradScaler.

   Expected bit patterns come from reference-semantics.md sections 5 and 6 and, for the
   table of hard cases, from torch 1.13 runs (the same numbers).  Beyond the tables, the
   library is compared with an oracle written here from the definition of the formats,
   independent of the library's integer tricks: the float is scaled by the quantum of
   its binade (a power of two, so exactly) and rounded with nearbyint() in double, which
   rounds to nearest, ties to even; a result reaching 2^(emax+1) is infinity.  The
   oracle itself is checked on the hard cases, whose answers are PyTorch's. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <float.h>
#include "descent.h"

static uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

/* -- the oracle ------------------------------------------------------------------ */

struct fmt { int p, emin, emax, bias; uint16_t expmask; const char *name; };
static const struct fmt formats[2] = {
  [lowp_fp16] = {10, -14, 15, 15, 0x7c00, "fp16"},      /* binary16 */
  [lowp_bf16] = {7, -126, 127, 127, 0x7f80, "bf16"},    /* bfloat16 */
};

/* The pattern of x (not NaN) rounded to the format.  With |x| in [2^e, 2^(e+1)) (e no less
   than emin: below, the quantum of the subnormals), n = nearbyint(|x| 2^(p-e)) is the
   significand in units of the quantum, rounded to nearest even (the default rounding
   mode); the scaling by a power of two is exact.  A subnormal's pattern is n itself
   (n = 2^p is the smallest normal's pattern); a normal one is the biased exponent above
   n - 2^p, where n = 2^(p+1) carries into the exponent as it should, and a pattern
   reaching the all-ones exponent is infinity.  e is read off the float's exponent field
   (a float subnormal lies below both formats' normal range). */
static double pow2_table[512];           /* 2^(i - 256) */
static uint16_t oracle(enum lowp k, float xf)
{
  const struct fmt *f = &formats[k];
  if (pow2_table[0] == 0)
    for (int i = 0; i < 512; i++) pow2_table[i] = ldexp(1.0, i - 256);
  const double a = fabs((double)xf);
  const uint16_t sign = signbit(xf) ? 0x8000 : 0;
  if (isinf(a)) return sign | f->expmask;
  if (a == 0) return sign;
  const int field = (int)((bits_of(xf) >> 23) & 0xff);
  const bool sub = field == 0 || field - 127 < f->emin;
  const int e = sub ? f->emin : field - 127;
  const double n = nearbyint(a * pow2_table[f->p - e + 256]);
  if (sub) return sign | (uint16_t)n;
  if (e > f->emax) return sign | f->expmask;
  uint32_t pat = ((uint32_t)(e + f->bias) << f->p) + (uint32_t)(n - (double)(1 << f->p));
  if (pat > f->expmask) pat = f->expmask;
  return sign | (uint16_t)pat;
}

/* the value of a bit pattern (NaN for NaN) */
static double oracle_decode(uint16_t h, const struct fmt *f)
{
  const double sign = h & 0x8000 ? -1.0 : 1.0;
  const int E = (h & f->expmask) >> f->p, M = h & ((1 << f->p) - 1);
  const int emax_field = f->expmask >> f->p;
  if (E == emax_field) return M ? NAN : sign * INFINITY;
  if (E == 0) return sign * ldexp(M, f->emin - f->p);
  return sign * ldexp(1.0 + ldexp(M, -f->p), E - f->bias);
}

static bool is_nan16(enum lowp k, uint16_t h)
{
  const uint16_t em = formats[k].expmask;
  return (h & em) == em && (h & (uint16_t)~(em | 0x8000)) != 0;
}
static bool is_quiet16(enum lowp k, uint16_t h)
{ return is_nan16(k, h) && (h & (k == lowp_fp16 ? 0x0200 : 0x0040)); }

/* the result for a NaN input: a quiet NaN with the input's sign (PyTorch defines no payload) */
static bool nan_ok(enum lowp k, uint32_t x, uint16_t h)
{ return is_quiet16(k, h) && (h >> 15) == (x >> 31); }

/* -- hard cases, bit exact --------------------------------------------------------- */

struct hard { uint32_t x; uint16_t h; const char *what; };

/* torch 1.13: torch.tensor(floats).to(torch.float16), and reference-semantics.md 6 */
static const struct hard fp16_hard[] = {
  {0x00000000, 0x0000, "+0"}, {0x80000000, 0x8000, "-0"},
  {0x3f800000, 0x3c00, "1"}, {0xc0000000, 0xc000, "-2"},
  {0x3f801000, 0x3c00, "1 + 2^-11: tie, to even 1"},
  {0x3f803000, 0x3c02, "1 + 3 2^-11: tie, to even 1 + 2^-9"},
  {0x3f801001, 0x3c01, "just above the tie"}, {0x3f800fff, 0x3c00, "just below the tie"},
  {0xbf803000, 0xbc02, "negative tie"},
  {0x45001000, 0x6800, "2049: tie at quantum 2, to 2048"},
  {0x45003000, 0x6802, "2051: tie, to 2052"},
  {0x44801000, 0x6400, "1024.5: tie at quantum 1, to 1024"},
  {0x44803000, 0x6402, "1025.5: tie, to 1026"},
  {0x38801000, 0x0400, "2^-14 (1 + 2^-11): tie in the smallest binade"},
  {0x38803000, 0x0402, "2^-14 (1 + 3 2^-11): tie, up"},
  {0x477fe000, 0x7bff, "65504, the largest"}, {0x477fefff, 0x7bff, "65519.996 -> 65504"},
  {0x477ff000, 0x7c00, "65520 -> inf"}, {0xc77ff000, 0xfc00, "-65520 -> -inf"},
  {0x47800000, 0x7c00, "65536 -> inf"}, {0x501502f9, 0x7c00, "1e10 -> inf"},
  {0x7f7fffff, 0x7c00, "FLT_MAX -> inf"},
  {0x7f800000, 0x7c00, "inf"}, {0xff800000, 0xfc00, "-inf"},
  {0x33800000, 0x0001, "2^-24, the smallest subnormal"},
  {0x33000000, 0x0000, "2^-25: tie, to 0"}, {0xb3000000, 0x8000, "-2^-25 -> -0"},
  {0x33000001, 0x0001, "just above 2^-25 -> 2^-24"}, {0x32800000, 0x0000, "2^-26 -> 0"},
  {0x33c00000, 0x0002, "1.5 2^-24: tie, to 2"}, {0x34200000, 0x0002, "2.5 2^-24: tie, to 2"},
  {0x34600000, 0x0004, "3.5 2^-24: tie, to 4"},
  {0xb0898d24, 0x8000, "-1e-9 -> -0"},
  {0x387fc000, 0x03ff, "1023 2^-24, the largest subnormal"},
  {0x387fe000, 0x0400, "1023.5 2^-24: tie, to the smallest normal"},
  {0x387fa000, 0x03fe, "1022.5 2^-24: tie, to 1022"},
  {0x387fd000, 0x03ff, "1023.25 2^-24"}, {0x387fffff, 0x0400, "just below 2^-14"},
  {0x38800000, 0x0400, "2^-14, the smallest normal"},
  {0x00000001, 0x0000, "float subnormal -> 0"}, {0x80000001, 0x8000, "-float subnormal -> -0"},
  {0x007fffff, 0x0000, "largest float subnormal -> 0"},
};

/* torch 1.13: .to(torch.bfloat16), and reference-semantics.md 6 */
static const struct hard bf16_hard[] = {
  {0x00000000, 0x0000, "+0"}, {0x80000000, 0x8000, "-0"},
  {0x3f800000, 0x3f80, "1"}, {0x3f808000, 0x3f80, "tie, to even 1"},
  {0x3f818000, 0x3f82, "tie, to even up"}, {0x3f808001, 0x3f81, "just above the tie"},
  {0x3f807fff, 0x3f80, "just below the tie"}, {0xbf818000, 0xbf82, "negative tie"},
  {0x7f7f0000, 0x7f7f, "the largest bf16"}, {0x7f7f7fff, 0x7f7f, "just below the midpoint"},
  {0x7f7f8000, 0x7f80, "the midpoint above the largest -> inf"},
  {0x7f7fffff, 0x7f80, "FLT_MAX -> inf"}, {0xff7f8000, 0xff80, "-midpoint -> -inf"},
  {0x7f800000, 0x7f80, "inf"}, {0xff800000, 0xff80, "-inf"},
  {0x00000001, 0x0000, "2^-149 -> 0"}, {0x00018000, 0x0002, "float subnormal tie -> 0x0002"},
  {0x00008000, 0x0000, "float subnormal tie -> 0"}, {0x00008001, 0x0001, "above it"},
  {0x00010000, 0x0001, "the smallest bf16 subnormal"}, {0x80018000, 0x8002, "negative"},
  {0x007fffff, 0x0080, "largest float subnormal -> smallest normal"},
  {0x007f8000, 0x0080, "tie -> smallest normal (even)"}, {0x007f7fff, 0x007f, "below it"},
  {0x3dcccccd, 0x3dcd, "0.1"},
};

static void check_hard(enum lowp k, const struct hard *t, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const float x = float_of(t[i].x);
    uint16_t h = lowp_from_float(k, x);
    cr_expect(h == t[i].h, "%s(%08x = %.9g, %s) = %04x, want %04x", formats[k].name, t[i].x, x,
              t[i].what, h, t[i].h);
    cr_expect(oracle(k, x) == t[i].h, "the oracle disagrees on %08x: %04x", t[i].x, oracle(k, x));
    uint16_t v[3] = {0xdead, 0xdead, 0xdead};
    for (int p = lowp_auto; p <= lowp_native; p++) {
      if (p == lowp_native && !lowp_native_available(k)) continue;
      cr_assert(lowp_round(k, (enum lowp_path)p, &x, v + 1, 1) == 0);
      cr_expect(v[1] == t[i].h && v[0] == 0xdead && v[2] == 0xdead,
                "%s path %d, %08x: %04x, want %04x", formats[k].name, p, t[i].x, v[1], t[i].h);
    }
  }
}

Test(lowp, fp16_hard_cases) { check_hard(lowp_fp16, fp16_hard, sizeof fp16_hard / sizeof fp16_hard[0]); }
Test(lowp, bf16_hard_cases) { check_hard(lowp_bf16, bf16_hard, sizeof bf16_hard / sizeof bf16_hard[0]); }

/* NaN stays NaN, quiet, with its sign -- signalling NaNs included, and never inf (adding
   the rounding increment to 0x7f800001 or 0x7fffffff would give inf or a wrong sign). */
Test(lowp, nan_stays_nan)
{
  const uint32_t nans[] = {0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff,
                           0x7f801000, 0x7f802000, 0x7f807fff, 0x7f808000, 0x7fa00000, 0xff8fffff};
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++) {
      uint16_t h = lowp_from_float((enum lowp)k, float_of(nans[i]));
      cr_expect(nan_ok((enum lowp)k, nans[i], h), "%s(%08x) = %04x: not a quiet NaN with the sign",
                formats[k].name, nans[i], h);
      float w = lowp_to_float((enum lowp)k, h);
      cr_expect(isnan(w) && (bool)signbit(w) == (bool)(nans[i] >> 31), "%s %04x widens to %08x",
                formats[k].name, h, bits_of(w));
    }
}

/* -- widening: every one of the 65536 patterns ---------------------------------------- */

static void check_widening(enum lowp k)
{
  const struct fmt *f = &formats[k];
  long bad = 0;
  for (uint32_t h = 0; h < 65536; h++) {
    const float w = lowp_to_float(k, (uint16_t)h);
    const double v = oracle_decode((uint16_t)h, f);
    const uint16_t back = lowp_from_float(k, w);
    if (isnan(v)) {
      if (!isnan(w) || (bool)signbit(w) != (bool)(h >> 15) || !nan_ok(k, bits_of(w), back)) {
        if (bad++ < 10)
          cr_expect(false, "%s NaN %04x widens to %08x and back to %04x", f->name, h, bits_of(w), back);
      }
      continue;
    }
    /* the widened float is exactly the value, -0 included */
    if (bits_of(w) != bits_of((float)v) || back != h) {
      if (bad++ < 10)
        cr_expect(false, "%s %04x: widened %08x (%.9g), exact value %.17g, back %04x", f->name, h,
                  bits_of(w), w, v, back);
    }
    if (k == lowp_bf16 && bits_of(w) != h << 16 && bad++ < 10)
      cr_expect(false, "bf16 %04x widens to %08x, not the top half", h, bits_of(w));
  }
  cr_expect(bad == 0, "%s: %ld of 65536 patterns do not widen exactly and round back", f->name, bad);
}

Test(lowp, fp16_widening_exact) { check_widening(lowp_fp16); }
Test(lowp, bf16_widening_exact) { check_widening(lowp_bf16); }

/* -- many patterns: the oracle, and the paths against each other ---------------------- */

enum { CHUNK = 8192 };

/* Convert x[0..n) with the portable path and the other available paths; the portable
   result must match the oracle (if asked), the others must match the portable result
   bit for bit, NaNs included.  Returns the number of disagreements (the first few are
   reported). */
struct tally { long oracle_bad, auto_bad, native_bad, checked; };
static void check_chunk(enum lowp k, const float *x, size_t n, bool with_oracle, bool with_native,
                        struct tally *t)
{
  uint16_t hp[CHUNK], ha[CHUNK], hn[CHUNK];
  cr_assert(n <= CHUNK);
  cr_assert(lowp_round(k, lowp_portable, x, hp, n) == 0);
  cr_assert(lowp_round(k, lowp_auto, x, ha, n) == 0);
  if (with_native) cr_assert(lowp_round(k, lowp_native, x, hn, n) == 0);
  for (size_t i = 0; i < n; i++) {
    const uint32_t u = bits_of(x[i]);
    if (with_oracle) {
      bool ok = isnan(x[i]) ? nan_ok(k, u, hp[i]) : hp[i] == oracle(k, x[i]);
      if (!ok && t->oracle_bad++ < 5)
        cr_expect(false, "%s portable(%08x = %.9g) = %04x, oracle %04x", formats[k].name, u, x[i],
                  hp[i], isnan(x[i]) ? 0 : oracle(k, x[i]));
    }
    if (ha[i] != hp[i] && t->auto_bad++ < 5)
      cr_expect(false, "%s auto(%08x) = %04x, portable %04x", formats[k].name, u, ha[i], hp[i]);
    if (with_native && hn[i] != hp[i] && t->native_bad++ < 5)
      cr_expect(false, "%s native %s(%08x) = %04x, portable %04x", formats[k].name,
                lowp_native_name(k), u, hn[i], hp[i]);
  }
  t->checked += (long)n;
}

/* every 97th float pattern (44.3 million: all exponents, both signs, NaNs) */
static void check_strided(enum lowp k, bool with_oracle, bool with_native)
{
  static float x[CHUNK];
  struct tally t = {0, 0, 0, 0};
  uint64_t b = 0;
  while (b < (1ull << 32)) {
    size_t n = 0;
    for (; n < CHUNK && b < (1ull << 32); b += 97) x[n++] = float_of((uint32_t)b);
    check_chunk(k, x, n, with_oracle, with_native, &t);
  }
  cr_expect(t.checked == 44278014, "%ld patterns checked", t.checked);
  cr_expect(t.oracle_bad == 0 && t.auto_bad == 0 && t.native_bad == 0,
            "%s, every 97th pattern: %ld differ from the oracle, %ld auto from portable, "
            "%ld native from portable", formats[k].name, t.oracle_bad, t.auto_bad, t.native_bad);
}

/* The patterns around every rounding tie and the special boundaries:
   fp16: all 2^19 ties of the normal range (13 dropped bits = 0x1000) with their
   neighbours, the ties of every subnormal binade (14..24 dropped bits), and every pattern
   near 2^-25, 2^-24, 2^-14 and 65520; bf16: all 2^16 ties (16 dropped bits = 0x8000)
   with their neighbours, and every pattern near 0, the float subnormal/normal boundary and
   the largest bf16.  Both signs.  The caller frees the array. */
static void add(uint32_t **a, size_t *n, size_t *cap, uint32_t u)
{
  if (*n == *cap) {
    *cap = *cap ? 2 * *cap : 1u << 20;
    *a = realloc(*a, *cap * sizeof **a);
    cr_assert(*a != NULL);
  }
  (*a)[(*n)++] = u;
}
static void add_range(uint32_t **a, size_t *n, size_t *cap, uint32_t lo, uint32_t hi)
{
  for (uint64_t u = lo; u <= hi; u++) {
    add(a, n, cap, (uint32_t)u);
    add(a, n, cap, (uint32_t)u | 0x80000000u);
  }
}
static uint32_t *tie_patterns(enum lowp k, size_t *count)
{
  uint32_t *a = NULL;
  size_t n = 0, cap = 0;
  const int shift = k == lowp_fp16 ? 13 : 16;
  const uint32_t half = 1u << (shift - 1), top = 1u << (32 - shift);
  for (uint32_t hi = 0; hi < top; hi++) {
    const uint32_t base = hi << shift;
    for (int d = -2; d <= 2; d++) add(&a, &n, &cap, base + half + (uint32_t)d);
    add(&a, &n, &cap, base);
    add(&a, &n, &cap, base + 1);
    add(&a, &n, &cap, base + (1u << shift) - 1);
  }
  if (k == lowp_fp16) {
    /* float exponent e (< 113) drops s = 126 - e bits of the 24-bit significand */
    for (uint32_t e = 102; e <= 112; e++) {
      const uint32_t s = 126 - e;
      const uint32_t halfs = s <= 23 ? 1u << (s - 1) : 0;
      const uint32_t tops = s <= 23 ? 1u << (23 - s) : 1;
      for (uint32_t hi = 0; hi < tops; hi++)
        for (int d = -2; d <= 2; d++) {
          const uint32_t frac = (s <= 23 ? hi << s : 0) + halfs + (uint32_t)d;
          if (frac > 0x7fffffu) continue;                  /* d < 0 at fraction 0 */
          add(&a, &n, &cap, e << 23 | frac);
          add(&a, &n, &cap, (e << 23 | frac) | 0x80000000u);
        }
    }
    add_range(&a, &n, &cap, 0x32ffff00u, 0x33000100u);      /* 2^-25 */
    add_range(&a, &n, &cap, 0x337fff00u, 0x33800100u);      /* 2^-24 */
    add_range(&a, &n, &cap, 0x387f0000u, 0x38810000u);      /* 2^-14 */
    add_range(&a, &n, &cap, 0x477fd000u, 0x47801000u);      /* 65504 .. 65520 .. 65536 */
  } else {
    add_range(&a, &n, &cap, 0x00000000u, 0x00020000u);      /* zero and float subnormals */
    add_range(&a, &n, &cap, 0x007f0000u, 0x00810000u);      /* subnormal / normal */
    add_range(&a, &n, &cap, 0x7f7f0000u, 0x7f800100u);      /* the largest bf16 .. inf, NaNs */
  }
  *count = n;
  return a;
}

static void check_ties(enum lowp k, bool with_oracle, bool with_native)
{
  size_t n;
  uint32_t *p = tie_patterns(k, &n);
  static float x[CHUNK];
  struct tally t = {0, 0, 0, 0};
  for (size_t i = 0; i < n; i += CHUNK) {
    size_t m = n - i < CHUNK ? n - i : CHUNK;
    for (size_t j = 0; j < m; j++) x[j] = float_of(p[i + j]);
    check_chunk(k, x, m, with_oracle, with_native, &t);
  }
  free(p);
  cr_expect(t.checked > (k == lowp_fp16 ? 4000000 : 500000), "only %ld tie patterns", t.checked);
  cr_expect(t.oracle_bad == 0 && t.auto_bad == 0 && t.native_bad == 0,
            "%s, %ld patterns near ties: %ld differ from the oracle, %ld auto from portable, "
            "%ld native from portable", formats[k].name, t.checked, t.oracle_bad, t.auto_bad,
            t.native_bad);
}

Test(lowp, fp16_strided_portable_auto) { check_strided(lowp_fp16, true, false); }
Test(lowp, bf16_strided_portable_auto) { check_strided(lowp_bf16, true, false); }
Test(lowp, fp16_ties_portable_auto) { check_ties(lowp_fp16, true, false); }
Test(lowp, bf16_ties_portable_auto) { check_ties(lowp_bf16, true, false); }

/* The native paths, where the CPU has them (F16C; AVX512-BF16, whose subnormal inputs the
   library repairs): bit for bit the portable result on the same patterns. */
static void need_native(enum lowp k)
{
  if (!lowp_native_available(k))
    cr_skip_test("this CPU has no %s: lowp_native cannot be tested for %s", lowp_native_name(k),
                 formats[k].name);
}
Test(lowp, fp16_native_strided) { need_native(lowp_fp16); check_strided(lowp_fp16, false, true); }
Test(lowp, bf16_native_strided) { need_native(lowp_bf16); check_strided(lowp_bf16, false, true); }
Test(lowp, fp16_native_ties) { need_native(lowp_fp16); check_ties(lowp_fp16, false, true); }
Test(lowp, bf16_native_ties) { need_native(lowp_bf16); check_ties(lowp_bf16, false, true); }

/* lowp_native is refused (-1) exactly when the CPU lacks the instructions; the names */
Test(lowp, native_dispatch)
{
  cr_expect(strcmp(lowp_native_name(lowp_fp16), "F16C") == 0, "%s", lowp_native_name(lowp_fp16));
  cr_expect(strcmp(lowp_native_name(lowp_bf16), "AVX512-BF16") == 0, "%s", lowp_native_name(lowp_bf16));
  for (int k = 0; k < 2; k++) {
    const bool avail = lowp_native_available((enum lowp)k);
    cr_expect(lowp_native_available((enum lowp)k) == avail, "the answer is stable");
    const float x[2] = {1.0f, -2.0f};
    uint16_t h[2] = {0, 0};
    int rc = lowp_round((enum lowp)k, lowp_native, x, h, 2);
    cr_expect(rc == (avail ? 0 : -1), "%s: lowp_native returned %d, native %s", formats[k].name, rc,
              avail ? "available" : "missing");
    cr_expect(lowp_round((enum lowp)k, lowp_portable, x, h, 2) == 0 && h[0] == lowp_from_float((enum lowp)k, 1.0f) &&
              h[1] == lowp_from_float((enum lowp)k, -2.0f));
    cr_expect(lowp_round((enum lowp)k, lowp_auto, x, h, 0) == 0, "n = 0 is fine");
  }
}

/* Lengths 0..40 at offsets 0..3 exercise the 8- and 16-wide loops and their scalar tails:
   every output equals lowp_from_float of its input, nothing outside [0, n) is written.
   The inputs mix hard cases (ties, float subnormals -- the lanes AVX512-BF16 gets wrong and
   the library repairs -- NaNs, overflow) with random patterns. */
static void check_tails(enum lowp_path path)
{
  static const uint32_t pool[] = {0x3f801000, 0x3f803000, 0x00018000, 0x00008000, 0x80000001,
    0x007fffff, 0x7f7f8000, 0x7fc00000, 0xff800001, 0x477ff000, 0x33000000, 0x33000001,
    0x387fe000, 0x3f808000, 0x3f818000, 0x00000000, 0x80000000, 0x7f800000, 0x00400000};
  enum { MAXN = 40, PAD = 8 };
  struct rng r;
  rng_seed(&r, 6, 0);
  for (int k = 0; k < 2; k++)
    for (int rep = 0; rep < 8; rep++)
      for (size_t n = 0; n <= MAXN; n++)
        for (size_t off = 0; off < 4; off++) {
          float xbuf[MAXN + PAD];
          uint16_t h[MAXN + PAD];
          for (size_t i = 0; i < MAXN + PAD; i++) {
            uint32_t u = rng_below(&r, 3) ? pool[rng_below(&r, sizeof pool / sizeof pool[0])]
                                          : rng_u32(&r);
            xbuf[i] = float_of(u);
            h[i] = 0xa5a5;
          }
          const float *x = xbuf + off;
          cr_assert(lowp_round((enum lowp)k, path, x, h + off, n) == 0);
          for (size_t i = 0; i < MAXN + PAD; i++) {
            if (i < off || i >= off + n) {
              cr_assert(h[i] == 0xa5a5, "%s path %d, n %zu offset %zu: wrote outside at %zu",
                        formats[k].name, (int)path, n, off, i);
              continue;
            }
            const uint16_t want = lowp_from_float((enum lowp)k, x[i - off]);
            cr_assert(h[i] == want, "%s path %d, n %zu offset %zu, element %zu (%08x): %04x, want %04x",
                      formats[k].name, (int)path, n, off, i - off, bits_of(x[i - off]), h[i], want);
          }
        }
}
Test(lowp, tails_portable) { check_tails(lowp_portable); }
Test(lowp, tails_auto) { check_tails(lowp_auto); }
Test(lowp, tails_native)
{
  if (!lowp_native_available(lowp_fp16) || !lowp_native_available(lowp_bf16))
    cr_skip_test("this CPU lacks %s%s%s: lowp_native tails cannot be tested for both formats",
                 lowp_native_available(lowp_fp16) ? "" : "F16C",
                 !lowp_native_available(lowp_fp16) && !lowp_native_available(lowp_bf16) ? " and " : "",
                 lowp_native_available(lowp_bf16) ? "" : "AVX512-BF16");
  check_tails(lowp_native);
}
/* the fp16 native tails alone, on CPUs with F16C but no AVX512-BF16 */
Test(lowp, tails_native_fp16)
{
  need_native(lowp_fp16);
  float x[41];
  uint16_t h[41], want[41];
  struct rng r;
  rng_seed(&r, 7, 0);
  for (size_t n = 0; n <= 40; n++) {
    for (size_t i = 0; i < 41; i++) { x[i] = float_of(rng_u32(&r)); h[i] = 0x5a5a; }
    for (size_t i = 0; i < n; i++) want[i] = lowp_from_float(lowp_fp16, x[i]);
    cr_assert(lowp_round(lowp_fp16, lowp_native, x, h, n) == 0);
    for (size_t i = 0; i < n; i++)
      cr_assert(h[i] == want[i], "n %zu element %zu (%08x): %04x, want %04x", n, i, bits_of(x[i]), h[i],
                want[i]);
    cr_assert(h[n] == 0x5a5a, "n %zu: wrote past the end", n);
  }
}

/* lowp_quantize: each float rounded to the format and widened back, in chunks (lengths
   around its 512-element buffer), in place as well */
Test(lowp, quantize)
{
  enum { N = 1100 };
  static float x[N], y[N], z[N];
  struct rng r;
  rng_seed(&r, 8, 0);
  for (int k = 0; k < 2; k++) {
    const size_t lens[] = {0, 1, 7, 511, 512, 513, 1024, 1025, N};
    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
      const size_t n = lens[l];
      for (size_t i = 0; i < N; i++) {
        x[i] = float_of(rng_below(&r, 4) ? (uint32_t)rng_u32(&r) : rng_below(&r, 2) ? 0x33000000u
                        : 0x3f801000u);
        y[i] = z[i] = -1234.5f;
      }
      lowp_quantize((enum lowp)k, x, y, n);
      for (size_t i = 0; i < N; i++) {
        if (i >= n) { cr_assert(y[i] == -1234.5f, "%s n %zu: wrote at %zu", formats[k].name, n, i); continue; }
        const float want = lowp_to_float((enum lowp)k, lowp_from_float((enum lowp)k, x[i]));
        cr_assert(isnan(want) ? isnan(y[i]) : bits_of(y[i]) == bits_of(want),
                  "%s n %zu, y[%zu] = %a, want %a (x %a)", formats[k].name, n, i, (double)y[i],
                  (double)want, (double)x[i]);
      }
      memcpy(z, x, sizeof x);
      lowp_quantize((enum lowp)k, z, z, n);              /* in place */
      for (size_t i = 0; i < n; i++)
        cr_assert(isnan(y[i]) ? isnan(z[i]) : bits_of(z[i]) == bits_of(y[i]),
                  "%s in place n %zu, element %zu", formats[k].name, n, i);
    }
  }
}

/* -- the loss scaler ------------------------------------------------------------------- */

/* GradScaler(init_scale=2**16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000),
   growth tracker 0 */
Test(scaler, defaults)
{
  struct scaler s;
  memset(&s, 0x55, sizeof s);
  scaler_defaults(&s);
  cr_expect(s.scale == 65536.0f && s.tracker == 0 && s.growth == 2.0 && s.backoff == 0.5 &&
            s.interval == 2000, "scale %g tracker %d growth %g backoff %g interval %ld", s.scale,
            (int)s.tracker, s.growth, s.backoff, s.interval);
  char msg[128] = "";
  cr_expect(scaler_check(&s, msg, sizeof msg) == 0, "the defaults are valid: %s", msg);
}

/* The constructor's assertions: growth_factor > 1.0, backoff_factor < 1.0 */
Test(scaler, check)
{
  struct scaler s;
  char msg[128];
  const struct { double growth, backoff; bool ok; const char *word; } cases[] = {
    {1.0, 0.5, false, "growth"}, {0.5, 0.5, false, "growth"}, {-2.0, 0.5, false, "growth"},
    {NAN, 0.5, false, "growth"}, {2.0, 1.0, false, "backoff"}, {2.0, 1.5, false, "backoff"},
    {2.0, NAN, false, "backoff"}, {1.0000001, 0.5, true, ""}, {2.0, 0.0, true, ""},
    {2.0, -0.5, true, ""} /* PyTorch asserts only < 1 */, {1e10, 0.9999999, true, ""}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    scaler_defaults(&s);
    s.growth = cases[i].growth;
    s.backoff = cases[i].backoff;
    memset(msg, 0, sizeof msg);
    int rc = scaler_check(&s, msg, sizeof msg);
    if (cases[i].ok)
      cr_expect(rc == 0, "growth %g backoff %g should pass: %s", cases[i].growth, cases[i].backoff, msg);
    else {
      cr_expect(rc == -1, "growth %g backoff %g should be refused", cases[i].growth, cases[i].backoff);
      cr_expect(strcasestr(msg, cases[i].word) != NULL, "message '%s' should name the %s factor", msg,
                cases[i].word);
    }
  }
  scaler_defaults(&s);
  s.growth = 1.0;
  cr_expect(scaler_check(&s, NULL, 0) == -1, "msg may be NULL");
}

/* The scale grows after exactly growth_interval clean steps in a row, and the tracker
   starts over (reference-semantics.md 5: doubles at steps 2000, 4000, ... of a clean run) */
Test(scaler, growth_after_interval)
{
  struct scaler s;
  scaler_defaults(&s);
  for (int i = 1; i <= 6000; i++) {
    scaler_update(&s, false);
    const float want = i < 2000 ? 65536.0f : i < 4000 ? 131072.0f : i < 6000 ? 262144.0f : 524288.0f;
    cr_assert(s.scale == want, "after %d clean steps scale %g, want %g", i, s.scale, want);
    cr_assert(s.tracker == i % 2000, "after %d clean steps tracker %d, want %d", i, (int)s.tracker,
              i % 2000);
  }
  /* a short interval and a non-dyadic growth: float(scale * growth) in double */
  scaler_defaults(&s);
  s.interval = 3; s.scale = 1.0f; s.growth = 1.1;
  scaler_update(&s, false); scaler_update(&s, false);
  cr_expect(s.scale == 1.0f && s.tracker == 2);
  scaler_update(&s, false);
  cr_expect(s.scale == (float)1.1 && s.tracker == 0, "scale %.9g tracker %d", s.scale, (int)s.tracker);
  scaler_update(&s, false); scaler_update(&s, false); scaler_update(&s, false);
  cr_expect(s.scale == (float)((double)(float)1.1 * 1.1), "scale %.9g, want float(float(1.1) * 1.1)",
            s.scale);
  /* the product is formed in double and rounded once: (1 + 2^-23)(1 + 2^-24 - 2^-50) lies
     just above a midpoint and rounds to 1 + 2^-22, where float(growth) = 1 would leave
     1 + 2^-23 */
  s.scale = 0x1.000002p0f; s.growth = 1 + 0x1p-24 - 0x1p-50; s.interval = 1; s.tracker = 0;
  scaler_update(&s, false);
  cr_expect(s.scale == 0x1.000004p0f, "scale %a, want 0x1.000004p0 (one rounding)", (double)s.scale);
}

/* An overflow halves the scale (float(scale * backoff)) and resets the tracker, so the
   clean count starts again; there is no lower floor. */
Test(scaler, backoff_resets_tracker)
{
  struct scaler s;
  scaler_defaults(&s);
  s.interval = 3;
  scaler_update(&s, false); scaler_update(&s, false);
  cr_expect(s.tracker == 2);
  scaler_update(&s, true);
  cr_expect(s.scale == 32768.0f && s.tracker == 0, "after inf: scale %g tracker %d", s.scale,
            (int)s.tracker);
  scaler_update(&s, false); scaler_update(&s, false);
  cr_expect(s.scale == 32768.0f, "two clean steps after the inf are not yet three");
  scaler_update(&s, false);
  cr_expect(s.scale == 65536.0f && s.tracker == 0);
  /* repeated overflows: halving every time, down through the subnormals */
  scaler_defaults(&s);
  for (int i = 1; i <= 165; i++) {
    scaler_update(&s, true);
    cr_assert(s.scale == ldexpf(1.0f, 16 - i), "after %d overflows scale %g", i, s.scale);
  }
  cr_expect(s.scale == 0x1p-149f, "2^16 halved 165 times is the smallest float");
  scaler_update(&s, true);
  cr_expect(s.scale == 0.0f, "2^-150 rounds to 0 (ties to even): %g", s.scale);
  /* a non-dyadic backoff rounds the double product: 65536 * 0.3 = 19660.8 */
  scaler_defaults(&s);
  s.backoff = 0.3;
  scaler_update(&s, true);
  cr_expect(s.scale == (float)19660.8, "scale %.9g, want float(19660.8)", s.scale);
  /* one rounding of the double product: (1 + 3 2^-23)(0.75 + 2^-26) gives 0x1.80000ap-1;
     multiplying by float(backoff) in float would give 0x1.800008p-1 */
  s.scale = 0x1.000006p0f; s.backoff = 0.75 + 0x1p-26;
  scaler_update(&s, true);
  cr_expect(s.scale == 0x1.80000ap-1f, "scale %a, want 0x1.80000ap-1", (double)s.scale);
}

/* Growth that would overflow float is refused, but the tracker is reset anyway: from 2^127
   with growth 2 the scale stays 2^127 (reference-semantics.md 5) */
Test(scaler, growth_refused_at_overflow)
{
  struct scaler s;
  scaler_defaults(&s);
  s.scale = 0x1p127f; s.interval = 2;
  scaler_update(&s, false);
  cr_expect(s.scale == 0x1p127f && s.tracker == 1);
  scaler_update(&s, false);
  cr_expect(s.scale == 0x1p127f, "scale %g, want 2^127 (2^128 is not finite)", s.scale);
  cr_expect(s.tracker == 0, "the tracker is reset even when growth is refused, got %d", (int)s.tracker);
  for (int i = 0; i < 10; i++) scaler_update(&s, false);
  cr_expect(s.scale == 0x1p127f && isfinite(s.scale));
  /* growth 1.5: 1.25 2^127 grows to 1.875 2^127 (finite); 1.5 2^127 would become 2.25 2^127
     (not finite) and stays */
  s.scale = 0x1.4p127f; s.growth = 1.5; s.tracker = 0; s.interval = 1;
  scaler_update(&s, false);
  cr_expect(s.scale == 0x1.ep127f && s.tracker == 0, "1.25 2^127 * 1.5: scale %g", s.scale);
  s.scale = 0x1.8p127f;
  scaler_update(&s, false);
  cr_expect(s.scale == 0x1.8p127f && s.tracker == 0, "1.5 2^127 * 1.5 > FLT_MAX: refused, %g", s.scale);
  /* the largest float itself, growth just above 1: float(FLT_MAX * 1.0000001) overflows */
  s.scale = FLT_MAX; s.growth = 1.0000001;
  scaler_update(&s, false);
  cr_expect(s.scale == FLT_MAX, "%g", s.scale);
}

/* Unscaling multiplies by float(1 / double(scale)) -- for scale 3 that is
   0.3333333432674408, so 5 becomes 1.6666667461395264, not 5/3 = 1.6666666269302368 --
   and reports whether any entry was inf or NaN, judged before the multiplication. */
Test(scaler, unscale)
{
  struct scaler s;
  scaler_defaults(&s);
  s.scale = 3.0f;
  float g[3] = {5.0f, -1.0f, 0.0f};
  cr_expect(!scaler_unscale(&s, g, 3), "finite gradients are not reported");
  const float inv = (float)(1.0 / 3.0);
  volatile float five = 5.0f, three = 3.0f;
  cr_expect(five / three != five * inv, "the test distinguishes the two");
  cr_expect(g[0] == 1.6666667461395264f && g[0] == five * inv, "5 unscaled by 3: %.17g", g[0]);
  cr_expect(g[1] == -inv && g[2] == 0.0f);
  /* the default scale: an exact power of two */
  scaler_defaults(&s);
  float h[2] = {65536.0f, -3.0f};
  cr_expect(!scaler_unscale(&s, h, 2));
  cr_expect(h[0] == 1.0f && h[1] == -3.0f / 65536.0f);
  /* non-finite entries are reported, and still multiplied */
  const float bad[3] = {INFINITY, -INFINITY, NAN};
  for (int i = 0; i < 3; i++) {
    float q[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    q[i + 1] = bad[i];
    cr_expect(scaler_unscale(&s, q, 4), "%g must be reported", bad[i]);
    for (int j = 0; j < 4; j++)
      if (j == i + 1)
        cr_expect(!isfinite(q[j]), "the bad entry stays non-finite, got %g", q[j]);
      else
        cr_expect(q[j] == (float)(j + 1) / 65536, "q[%d] = %g: the others are unscaled", j, q[j]);
  }
  /* finite entries that overflow only after multiplying (scale 0.5: x 2) are not reported,
     as in PyTorch's kernel, which tests the value before unscaling */
  s.scale = 0.5f;
  float big[2] = {3e38f, 1.0f};
  cr_expect(!scaler_unscale(&s, big, 2), "3e38 is finite before unscaling");
  cr_expect(isinf(big[0]) && big[1] == 2.0f);
  /* n = 0 */
  cr_expect(!scaler_unscale(&s, NULL, 0));
}

/* A scaled training loop in miniature: a skipped step on overflow, the scale halving, then
   growth after the interval. */
Test(scaler, loop)
{
  struct scaler s;
  scaler_defaults(&s);
  s.interval = 4;
  const bool overflow[12] = {false, true, false, false, false, false, true, true, false, false,
                             false, false};
  const float want[12] = {65536, 32768, 32768, 32768, 32768, 65536, 32768, 16384, 16384, 16384,
                          16384, 32768};
  int skipped = 0;
  for (int i = 0; i < 12; i++) {
    float g[2] = {1.0f, overflow[i] ? INFINITY : 2.0f};
    bool found = scaler_unscale(&s, g, 2);
    cr_expect(found == overflow[i], "step %d: found_inf %d", i, (int)found);
    skipped += found;
    scaler_update(&s, found);
    cr_expect(s.scale == want[i], "step %d: scale %g, want %g", i, s.scale, want[i]);
  }
  cr_expect(skipped == 3);
}
