/* tests/test_gemm.c -- Chapter 9's sgemm: every dispatch path against the
   appendix's reference products (within a tolerance) and against each other
   (bit for bit), on odd shapes; the three transposition cases; bias and ReLU
   fused into the output; thread-count independence; the dispatch controls. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <omp.h>
#include "descent.h"

static const enum gemm_path paths[] = {gemm_scalar, gemm_avx2, gemm_avx512};

static void fill(float *x, size_t n, uint64_t seed)
{
  struct rng r;
  rng_seed(&r, seed, 7);
  for (size_t i = 0; i < n; i++) x[i] = (float)rng_normal(&r);
}

/* the reference: C = op(A) op(B) (+ bias, relu) through the appendix's loops */
static void reference(bool ta, bool tb, size_t m, size_t n, size_t k, const float *a,
                      const float *b, float *c, const float *bias, bool relu_too)
{
  if (k == 0) {
    for (size_t i = 0; i < m * n; i++) c[i] = 0.0f;
  } else if (!ta && !tb) matmul(c, a, b, m, k, n);
  else if (ta && !tb) matmul_tn(c, a, b, m, k, n);
  else if (!ta && tb) matmul_nt(c, a, b, m, k, n);
  else {  /* both transposed: transpose A by hand, then A B^T */
    float *at = malloc((m * k + 1) * sizeof(float));
    for (size_t i = 0; i < m; i++)
      for (size_t p = 0; p < k; p++) at[i * k + p] = a[p * m + i];
    matmul_nt(c, at, b, m, k, n);
    free(at);
  }
  if (bias) add_bias(c, bias, m, n);
  if (relu_too) relu(c, m * n);
}

/* |x - y| <= tol * (sum_p |a_ip b_pj| + 1e-30): the error bound of a float dot product */
static double worst_error(bool ta, bool tb, size_t m, size_t n, size_t k, const float *a,
                          const float *b, const float *c, const float *ref, const float *bias)
{
  double worst = 0;
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++) {
      double scale = 1e-30 + (bias ? fabs(bias[j]) : 0.0);
      for (size_t p = 0; p < k; p++) {
        double x = ta ? a[p * m + i] : a[i * k + p], y = tb ? b[j * k + p] : b[p * n + j];
        scale += fabs(x * y);
      }
      double e = fabs((double)c[i * n + j] - (double)ref[i * n + j]) / scale;
      if (e > worst) worst = e;
    }
  return worst;
}

static void check_shape(size_t m, size_t n, size_t k, bool ta, bool tb, bool bias_relu)
{
  size_t na = m * k + 1, nb = k * n + 1, nc = m * n;
  float *a = malloc(na * sizeof(float)), *b = malloc(nb * sizeof(float));
  float *bias = malloc((n + 1) * sizeof(float)), *ref = malloc(nc * sizeof(float));
  float *c[3];
  fill(a, na, m * 1000 + k), fill(b, nb, n * 1000 + k + 1), fill(bias, n + 1, n);
  reference(ta, tb, m, n, k, a, b, ref, bias_relu ? bias : NULL, bias_relu);
  for (int p = 0; p < 3; p++) {
    c[p] = malloc(nc * sizeof(float));
    for (size_t i = 0; i < nc; i++) c[p][i] = NAN;  /* sgemm must overwrite every element */
    if (gemm_force(paths[p]) != 0) { free(c[p]); c[p] = NULL; continue; }
    sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c[p], n,
          bias_relu ? bias : NULL, bias_relu);
    double e = worst_error(ta, tb, m, n, k, a, b, c[p], ref, bias_relu ? bias : NULL);
    /* two float sums of k terms differ by at most about 2k ulp of the sum of |terms| */
    double tol = 2.0 * (double)(k + 2) * 0x1p-24;
    cr_expect(e <= tol, "%s m=%zu n=%zu k=%zu ta=%d tb=%d: relative error %g > %g",
              gemm_path_name(paths[p]), m, n, k, ta, tb, e, tol);
    if (p > 0 && c[0])
      cr_expect(memcmp(c[p], c[0], nc * sizeof(float)) == 0,
                "%s and scalar differ (m=%zu n=%zu k=%zu ta=%d tb=%d)",
                gemm_path_name(paths[p]), m, n, k, ta, tb);
  }
  gemm_force(gemm_auto);
  for (int p = 0; p < 3; p++) free(c[p]);
  free(a), free(b), free(bias), free(ref);
}

Test(gemm, odd_shapes_every_path_every_transpose)
{
  const size_t dims[][3] = {{1, 1, 1}, {1, 1, 7}, {2, 3, 5}, {7, 13, 11}, {8, 32, 1},
    {9, 33, 257}, {17, 31, 29}, {37, 41, 43}, {129, 67, 300}, {6, 16, 256}, {5, 100, 3},
    {130, 1030, 17}, {3, 1, 600}};
  for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
    for (int t = 0; t < 4; t++)
      check_shape(dims[d][0], dims[d][1], dims[d][2], t & 1, t >> 1, (d + (size_t)t) % 2);
}

Test(gemm, the_mlp_shapes_with_bias_and_relu)
{
  check_shape(128, 1024, 784, false, true, true);    /* X W^T + b, relu */
  check_shape(128, 784, 1024, false, false, false);  /* dY W */
  check_shape(1024, 784, 128, true, false, false);   /* dY^T X */
}

Test(gemm, empty_sum_gives_the_bias)
{
  float c[6] = {9, 9, 9, 9, 9, 9};
  const float bias[3] = {1, -2, 3};
  sgemm(false, false, 2, 3, 0, NULL, 0, NULL, 3, c, 3, bias, true);
  const float want[6] = {1, 0, 3, 1, 0, 3};
  for (int i = 0; i < 6; i++) cr_expect(c[i] == want[i], "c[%d] = %g", i, c[i]);
}

Test(gemm, relu_passes_nan_like_the_reference)
{
  float a[2] = {NAN, -1}, b[1] = {1}, c[2];
  for (int p = 0; p < 3; p++) {
    if (gemm_force(paths[p]) != 0) continue;
    sgemm(false, false, 2, 1, 1, a, 1, b, 1, c, 1, NULL, true);
    cr_expect(isnan(c[0]) && c[1] == 0.0f, "%s: relu(NaN) = %g, relu(-1) = %g",
              gemm_path_name(paths[p]), c[0], c[1]);
  }
  gemm_force(gemm_auto);
}

Test(gemm, same_bits_for_every_thread_count)
{
  const size_t m = 200, n = 300, k = 520;
  float *a = malloc(m * k * sizeof(float)), *b = malloc(k * n * sizeof(float));
  float *c1 = malloc(m * n * sizeof(float)), *c2 = malloc(m * n * sizeof(float));
  fill(a, m * k, 1), fill(b, k * n, 2);
  for (int p = 0; p < 3; p++) {
    if (gemm_force(paths[p]) != 0) continue;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    sgemm(false, true, m, n, k, a, k, b, k, c1, n, NULL, false);
    for (int t = 2; t <= 5; t += 3) {
      omp_set_num_threads(t);
      sgemm(false, true, m, n, k, a, k, b, k, c2, n, NULL, false);
      cr_expect(memcmp(c1, c2, m * n * sizeof(float)) == 0, "%s: %d threads differ from 1",
                gemm_path_name(paths[p]), t);
    }
    omp_set_num_threads(saved);
  }
  gemm_force(gemm_auto);
  free(a), free(b), free(c1), free(c2);
}

Test(gemm, dispatch_names_and_forcing)
{
  enum gemm_path p;
  cr_expect(gemm_path_parse("avx2", &p) == 0 && p == gemm_avx2);
  cr_expect(gemm_path_parse("sse9", &p) == -1);
  cr_expect(strcmp(gemm_path_name(gemm_avx512), "avx512") == 0);
  cr_expect(gemm_available(gemm_scalar));
  cr_expect(gemm_force(gemm_scalar) == 0 && gemm_current() == gemm_scalar);
  cr_expect(gemm_force(gemm_auto) == 0 && gemm_current() != gemm_auto);
  if (__builtin_cpu_supports("avx512f"))
    cr_expect(gemm_current() == gemm_avx512, "auto chose %s", gemm_path_name(gemm_current()));
}

/* ---- bf16 products (--precision bf16): the operands rounded to bfloat16
   (lowp_from_float, Chapter 6) and summed in float.  Against the reference
   product of the rounded operands: the same float-sum tolerance as above,
   since the products of two bf16 numbers are exact in float.  The scalar
   kernel (Intel's definition of vdpbf16ps, term by term) and the
   AVX512-BF16 instruction: bit for bit, where the processor has it. */
static void round_bf16(float *x, size_t n)
{
  for (size_t i = 0; i < n; i++) x[i] = lowp_to_float(lowp_bf16, lowp_from_float(lowp_bf16, x[i]));
}

static void check_bf16_shape(size_t m, size_t n, size_t k, bool ta, bool tb, bool bias_relu)
{
  size_t na = m * k + 1, nb = k * n + 1, nc = m * n;
  float *a = malloc(na * sizeof(float)), *b = malloc(nb * sizeof(float));
  float *ar = malloc(na * sizeof(float)), *br = malloc(nb * sizeof(float));
  float *bias = malloc((n + 1) * sizeof(float)), *ref = malloc(nc * sizeof(float));
  float *cs = malloc(nc * sizeof(float)), *cv = malloc(nc * sizeof(float));
  fill(a, na, m * 1000 + k + 5), fill(b, nb, n * 1000 + k + 6), fill(bias, n + 1, n);
  memcpy(ar, a, na * sizeof(float)), memcpy(br, b, nb * sizeof(float));
  round_bf16(ar, na), round_bf16(br, nb);
  reference(ta, tb, m, n, k, ar, br, ref, bias_relu ? bias : NULL, bias_relu);
  gemm_set_precision(gemm_bf16);
  gemm_force(gemm_scalar);
  cr_expect(!gemm_bf16_native(), "the scalar path claims the instruction");
  for (size_t i = 0; i < nc; i++) cs[i] = NAN;
  sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, cs, n, bias_relu ? bias : NULL, bias_relu);
  double e = worst_error(ta, tb, m, n, k, ar, br, cs, ref, bias_relu ? bias : NULL);
  double tol = 2.0 * (double)(k + 2) * 0x1p-24;
  cr_expect(e <= tol, "bf16 scalar m=%zu n=%zu k=%zu ta=%d tb=%d: relative error %g > %g",
            m, n, k, ta, tb, e, tol);
  if (gemm_force(gemm_avx512) == 0 && gemm_bf16_native()) {
    for (size_t i = 0; i < nc; i++) cv[i] = NAN;
    sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, cv, n, bias_relu ? bias : NULL,
          bias_relu);
    cr_expect(memcmp(cs, cv, nc * sizeof(float)) == 0,
              "bf16: the instruction and the scalar definition differ (m=%zu n=%zu k=%zu)",
              m, n, k);
  }
  gemm_set_precision(gemm_fp32);
  gemm_force(gemm_auto);
  free(a), free(b), free(ar), free(br), free(bias), free(ref), free(cs), free(cv);
}

Test(gemm, bf16_odd_shapes_scalar_and_native)
{
  const size_t dims[][3] = {{1, 1, 1}, {1, 1, 7}, {2, 3, 5}, {7, 13, 11}, {8, 32, 1},
    {9, 33, 257}, {17, 31, 29}, {37, 41, 43}, {129, 67, 301}, {5, 100, 3}, {130, 1030, 17}};
  for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
    for (int t = 0; t < 4; t++)
      check_bf16_shape(dims[d][0], dims[d][1], dims[d][2], t & 1, t >> 1, (d + (size_t)t) % 2);
  check_bf16_shape(128, 1024, 784, false, true, true);
}

/* bf16 is not fp32 under another name: on the forward shape it differs from
   the fp32 product, by no more than bf16's rounding of the two operands
   (2^-8 of each, relative) allows; and its bits do not depend on the threads. */
Test(gemm, bf16_rounds_and_keeps_its_bits_across_threads)
{
  const size_t m = 64, n = 96, k = 300;
  float *a = malloc(m * k * sizeof(float)), *b = malloc(k * n * sizeof(float));
  float *c32 = malloc(m * n * sizeof(float)), *c1 = malloc(m * n * sizeof(float));
  float *c2 = malloc(m * n * sizeof(float));
  fill(a, m * k, 11), fill(b, k * n, 12);
  sgemm(false, true, m, n, k, a, k, b, k, c32, n, NULL, false);
  gemm_set_precision(gemm_bf16);
  cr_expect(gemm_get_precision() == gemm_bf16);
  int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  sgemm(false, true, m, n, k, a, k, b, k, c1, n, NULL, false);
  omp_set_num_threads(3);
  sgemm(false, true, m, n, k, a, k, b, k, c2, n, NULL, false);
  omp_set_num_threads(saved);
  gemm_set_precision(gemm_fp32);
  cr_expect(memcmp(c1, c2, m * n * sizeof(float)) == 0, "bf16: 3 threads differ from 1");
  size_t differ = 0;
  for (size_t i = 0; i < m * n; i++) differ += c1[i] != c32[i];
  cr_expect(differ > m * n / 2, "bf16 equals fp32 in %zu of %zu elements", m * n - differ, m * n);
  double e = worst_error(false, true, m, n, k, a, b, c1, c32, NULL);
  cr_expect(e <= 2 * 0x1p-8 + 2.0 * (k + 2) * 0x1p-24 && e > 0x1p-16,
            "bf16 against fp32: relative error %g", e);
  free(a), free(b), free(c32), free(c1), free(c2);
}

/* the edges of the rounding: float subnormals (zero in bf16, as the
   extension's conversion makes them), the largest subnormal (which plain
   rounding would carry up to FLT_MIN), ties, large values: the scalar and the
   native packer and kernel agree bit for bit, both transposes of both operands */
Test(gemm, bf16_edges_scalar_and_native_agree)
{
  const float special[] = {0x1p-140f, -0x1.fffffcp-127f, 0x1p-126f, 1.00390625f, 1.01171875f,
    -3.0f, 3e30f, 65504.0f, 1e-30f, 0.1f, -0.0f, 7.0f, 2.5e-39f};
  const size_t ns = sizeof special / sizeof special[0], m = 9, n = 35, k = 13;
  float a[9 * 13], b[13 * 35], c1[9 * 35], c2[9 * 35];
  for (size_t i = 0; i < m * k; i++) a[i] = special[(i * 7) % ns];
  for (size_t i = 0; i < k * n; i++) b[i] = special[(i * 5 + 3) % ns];
  gemm_set_precision(gemm_bf16);
  for (int t = 0; t < 4; t++) {
    bool ta = t & 1, tb = t >> 1;
    gemm_force(gemm_scalar);
    sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c1, n, NULL, false);
    if (gemm_force(gemm_avx512) != 0 || !gemm_bf16_native()) continue;
    sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c2, n, NULL, false);
    cr_expect(memcmp(c1, c2, sizeof c1) == 0, "bf16 edges ta=%d tb=%d: paths differ", ta, tb);
  }
  /* the largest subnormal times 4, on every path: zero, not 4 FLT_MIN */
  const float sub[2] = {-0x1.fffffcp-127f, 0x1p-140f}, four[2] = {4.0f, 4.0f};
  for (int p = 0; p < 3; p++) {
    float z = 1.0f;
    if (gemm_force(paths[p]) != 0) continue;
    sgemm(false, false, 1, 1, 2, sub, 2, four, 1, &z, 1, NULL, false);
    cr_expect(z == 0.0f, "bf16 %s: a subnormal operand gave %a", gemm_path_name(paths[p]), z);
  }
  gemm_set_precision(gemm_fp32);
  gemm_force(gemm_auto);
}
