/* tests/test_rng.c -- the PCG32 generator: known values, reproducibility,
   streams and splitting, bounded integers, uniforms, normals, shuffles. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

/* Known values.  The expected numbers below were computed independently of the
   library, by re-implementing in Python the reference algorithm of
   pcg-random.org's pcg_basic.c -- pcg32_srandom_r (state = 0; inc = stream<<1|1;
   step; state += seed; step), pcg32_random_r (XSH RR 64/32, multiplier
   6364136223846793005) and pcg32_boundedrand_r (threshold = -bound % bound,
   reject below it) -- and printing the outputs.  Seed 42, stream 54 is the
   reference demo's own case (pcg32-demo prints 0xa15c02b7 0x7b47f409 ...). */

Test(rng, known_values_seed42_stream54)
{
  static const uint32_t want[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                   0x83d2f293, 0xbfa4784b, 0xcbed606e};
  struct rng r;
  rng_seed(&r, 42, 54);
  for (int i = 0; i < 6; i++) {
    uint32_t x = rng_u32(&r);
    cr_expect(x == want[i], "output %d: 0x%08x, expected 0x%08x", i, x, want[i]);
  }
}

Test(rng, known_values_seed0_and_max)
{
  static const uint32_t zero[4] = {0xe4c14788, 0x379c6516, 0x5c4ab3bb, 0x601d23e0};
  static const uint32_t max[3] = {0x2675c047, 0x7779a837, 0xa145aa13};
  struct rng r;
  rng_seed(&r, 0, 0);
  for (int i = 0; i < 4; i++) {
    uint32_t x = rng_u32(&r);
    cr_expect(x == zero[i], "seed 0 output %d: 0x%08x, expected 0x%08x", i, x, zero[i]);
  }
  rng_seed(&r, UINT64_MAX, UINT64_MAX);
  for (int i = 0; i < 3; i++) {
    uint32_t x = rng_u32(&r);
    cr_expect(x == max[i], "seed 2^64-1 output %d: 0x%08x, expected 0x%08x", i, x, max[i]);
  }
}

/* rng_u64 = (first u32 << 32) | second u32 (same Python re-implementation). */
Test(rng, known_u64)
{
  static const uint64_t want[3] = {0x0f5deba95bd7525bULL, 0xb2473657741c8ff9ULL,
                                   0x226e7b9893562bffULL};
  struct rng r;
  rng_seed(&r, 1, 2);
  for (int i = 0; i < 3; i++) {
    uint64_t x = rng_u64(&r);
    cr_expect(x == want[i], "u64 %d: 0x%016llx, expected 0x%016llx", i,
              (unsigned long long)x, (unsigned long long)want[i]);
  }
}

/* rng_uniform = (rng_u64 >> 11) * 2^-53: all 53 bits (Python, as above). */
Test(rng, known_uniform)
{
  static const double want[3] = {0x1.e47262a2ff779p-1, 0x1.46a6f59f93949p-1,
                                 0x1.a6c7b6785db2ap-1};
  struct rng r;
  rng_seed(&r, 7, 0);
  for (int i = 0; i < 3; i++) {
    double u = rng_uniform(&r);
    cr_expect(u == want[i], "uniform %d: %a, expected %a", i, u, want[i]);
  }
}

/* rng_below, pcg32_boundedrand_r's rejection rule (Python, as above). */
Test(rng, known_below)
{
  static const uint32_t ten[12] = {1, 2, 7, 6, 3, 3, 7, 8, 8, 3, 8, 2};
  static const uint32_t big[6] = {1534797602, 1546786813, 1037188178,
                                  756925107, 1355340694, 88529578};
  struct rng r;
  rng_seed(&r, 3, 5);
  for (int i = 0; i < 12; i++) {
    uint32_t x = rng_below(&r, 10);
    cr_expect(x == ten[i], "below(10) %d: %u, expected %u", i, x, ten[i]);
  }
  rng_seed(&r, 3, 5);
  for (int i = 0; i < 6; i++) {
    uint32_t x = rng_below(&r, 2147483649u);
    cr_expect(x == big[i], "below(2^31+1) %d: %u, expected %u", i, x, big[i]);
  }
}

/* Durstenfeld's Fisher-Yates, i from n down to 2, j = rng_below(i), swap a[i-1], a[j]
   (Python, as above). */
Test(rng, known_shuffle)
{
  static const uint32_t want[10] = {7, 5, 8, 9, 0, 6, 4, 1, 3, 2};
  uint32_t a[10];
  for (uint32_t i = 0; i < 10; i++) a[i] = i;
  struct rng r;
  rng_seed(&r, 9, 1);
  rng_shuffle(&r, a, 10);
  for (int i = 0; i < 10; i++)
    cr_expect(a[i] == want[i], "a[%d] = %u, expected %u", i, a[i], want[i]);
}

Test(rng, reproducible_by_seed_and_stream)
{
  struct rng a, b, c, d;
  rng_seed(&a, 12345, 7);
  rng_seed(&b, 12345, 7);
  rng_seed(&c, 12345, 8);        /* same seed, another stream */
  rng_seed(&d, 12346, 7);        /* another seed, same stream */
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; i++) {
    uint32_t x = rng_u32(&a), y = rng_u32(&b), z = rng_u32(&c), w = rng_u32(&d);
    cr_assert(x == y, "same seed and stream differ at %d", i);
    same_c += x == z;
    same_d += x == w;
  }
  cr_expect(same_c < 3, "stream 7 and stream 8 agree at %d of 1000 outputs", same_c);
  cr_expect(same_d < 3, "seeds 12345 and 12346 agree at %d of 1000 outputs", same_d);
}

Test(rng, split_is_deterministic_and_independent)
{
  struct rng p1, p2;
  rng_seed(&p1, 2024, 0);
  rng_seed(&p2, 2024, 0);
  struct rng c1 = rng_split(&p1), c2 = rng_split(&p2);
  cr_assert(c1.state == c2.state && c1.inc == c2.inc, "split is not deterministic");
  cr_assert(p1.state == p2.state, "split does not leave the parent in a deterministic state");

  struct rng c3 = rng_split(&p1);          /* a second child */
  int eq_parent = 0, eq_sibling = 0;
  double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  const int n = 100000;
  for (int i = 0; i < n; i++) {
    uint32_t a = rng_u32(&c1), b = rng_u32(&p1), c = rng_u32(&c3);
    eq_parent += a == b;
    eq_sibling += a == c;
    double x = a / 4294967296.0, y = b / 4294967296.0;
    sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
  }
  cr_expect(eq_parent < 5, "child and parent agree at %d of %d outputs", eq_parent, n);
  cr_expect(eq_sibling < 5, "two children agree at %d of %d outputs", eq_sibling, n);
  double cov = sxy / n - sx / n * sy / n;
  double corr = cov / sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  /* the standard error of a sample correlation of independent streams is 1/sqrt(n) = 0.0032 */
  cr_expect(fabs(corr) < 0.016, "child and parent correlated: r = %g", corr);
}

Test(rng, below_bounds)
{
  struct rng r;
  rng_seed(&r, 99, 3);
  for (int i = 0; i < 1000; i++) cr_assert(rng_below(&r, 1) == 0);
  static const uint32_t bounds[] = {2, 3, 7, 10, 1000, 65537, 2147483648u, 2147483649u,
                                    4294967295u};
  for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
    for (int i = 0; i < 20000; i++) {
      uint32_t x = rng_below(&r, bounds[k]);
      cr_assert(x < bounds[k], "rng_below(%u) returned %u", bounds[k], x);
    }
  /* both ends are reached for a small bound */
  bool seen[7] = {false};
  for (int i = 0; i < 1000; i++) seen[rng_below(&r, 7)] = true;
  for (int v = 0; v < 7; v++) cr_expect(seen[v], "rng_below(7) never gave %d in 1000 draws", v);
}

Test(rng, below_is_unbiased)
{
  struct rng r;
  rng_seed(&r, 5, 5);
  /* bound 7: every value 10000 times in 70000 draws, sd ~ 92 */
  int count[7] = {0};
  for (int i = 0; i < 70000; i++) count[rng_below(&r, 7)]++;
  for (int v = 0; v < 7; v++)
    cr_expect(abs(count[v] - 10000) < 500, "value %d drawn %d times of 70000", v, count[v]);
  /* bound 3*2^30: plain x % bound would give values below 2^30 half the time,
     an unbiased rule one third of the time (sd ~ 82 in 30000 draws). */
  int low = 0;
  for (int i = 0; i < 30000; i++) low += rng_below(&r, 3221225472u) < 1073741824u;
  cr_expect(abs(low - 10000) < 600, "values below 2^30: %d of 30000 (want about 10000)", low);
}

Test(rng, uniform_range_and_moments)
{
  struct rng r;
  rng_seed(&r, 1234, 0);
  const int n = 200000;
  double s = 0, ss = 0;
  int odd = 0;
  for (int i = 0; i < n; i++) {
    double u = rng_uniform(&r);
    cr_assert(u >= 0.0 && u < 1.0, "uniform %.17g out of [0,1)", u);
    s += u; ss += u * u;
    odd += fmod(ldexp(u, 53), 2.0) == 1.0;    /* the 53rd bit is used */
  }
  double mean = s / n, var = ss / n - mean * mean;
  cr_expect(fabs(mean - 0.5) < 0.004, "mean %g", mean);            /* sd 0.00065 */
  cr_expect(fabs(var - 1.0 / 12) < 0.002, "variance %g", var);      /* sd 0.00019 */
  cr_expect(odd > 0.45 * n && odd < 0.55 * n, "lowest of 53 bits set in %d of %d", odd, n);
}

Test(rng, normal_moments)
{
  struct rng r;
  rng_seed(&r, 77, 1);
  const int n = 400000;
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  int within1 = 0, within2 = 0, above3 = 0;
  for (int i = 0; i < n; i++) {
    double x = rng_normal(&r);
    cr_assert(isfinite(x), "rng_normal returned %g", x);
    m1 += x; m2 += x * x; m3 += x * x * x; m4 += x * x * x * x;
    within1 += fabs(x) < 1.0;
    within2 += fabs(x) < 2.0;
    above3 += x > 3.0;
  }
  m1 /= n; m2 /= n; m3 /= n; m4 /= n;
  double var = m2 - m1 * m1;
  double skew = (m3 - 3 * m1 * m2 + 2 * m1 * m1 * m1) / pow(var, 1.5);
  double kurt = m4 / (var * var);   /* mean is ~0; N(0,1) has kurtosis 3 */
  /* tolerances are about 6 standard errors: sd(mean) = 0.0016, sd(var) = 0.0022,
     sd(skew) = 0.0039, sd(kurt) = 0.0077.  The sum of 12 uniforms minus 6 has
     kurtosis 2.9 and would fail; so would a uniform (1.8) or a wrong scale. */
  cr_expect(fabs(m1) < 0.01, "mean %g", m1);
  cr_expect(fabs(var - 1.0) < 0.015, "variance %g", var);
  cr_expect(fabs(skew) < 0.025, "skewness %g", skew);
  cr_expect(fabs(kurt - 3.0) < 0.05, "kurtosis %g", kurt);
  cr_expect(fabs((double)within1 / n - 0.682689) < 0.005, "P(|x|<1) = %g", (double)within1 / n);
  cr_expect(fabs((double)within2 / n - 0.954500) < 0.003, "P(|x|<2) = %g", (double)within2 / n);
  /* P(x > 3) = 0.0013499: 540 expected, sd 23 */
  cr_expect(above3 > 420 && above3 < 660, "%d of %d above 3 (expect ~540)", above3, n);
}

Test(rng, shuffle_is_a_permutation)
{
  struct rng r;
  rng_seed(&r, 31, 4);
  enum { n = 1000 };
  static uint32_t a[n];
  for (uint32_t i = 0; i < n; i++) a[i] = i;
  rng_shuffle(&r, a, n);
  static bool seen[n];
  int fixed = 0;
  for (uint32_t i = 0; i < n; i++) {
    cr_assert(a[i] < n, "a[%u] = %u", i, a[i]);
    cr_assert(!seen[a[i]], "value %u appears twice", a[i]);
    seen[a[i]] = true;
    fixed += a[i] == i;
  }
  cr_expect(fixed < 10, "%d fixed points of 1000: not shuffled", fixed);
  /* n = 0 and n = 1 are no-ops */
  uint32_t one = 42;
  rng_shuffle(&r, &one, 1);
  cr_expect(one == 42);
  rng_shuffle(&r, NULL, 0);
}

Test(rng, shuffle_is_uniform)
{
  /* all 6 orders of 3 elements equally often: 60000 shuffles, 10000 +- 91 each.
     The classic slip (j drawn from all n positions every time) gives counts
     8889, 11111, ... and fails. */
  struct rng r;
  rng_seed(&r, 8, 8);
  int count[3][3][3] = {{{0}}};
  for (int k = 0; k < 60000; k++) {
    uint32_t a[3] = {0, 1, 2};
    rng_shuffle(&r, a, 3);
    count[a[0]][a[1]][a[2]]++;
  }
  int orders = 0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 3; k++)
        if (i != j && j != k && i != k) {
          orders++;
          cr_expect(abs(count[i][j][k] - 10000) < 500, "order %d%d%d: %d of 60000", i, j, k,
                    count[i][j][k]);
        } else
          cr_expect(count[i][j][k] == 0, "%d%d%d is not a permutation", i, j, k);
  cr_expect(orders == 6);
}
