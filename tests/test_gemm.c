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
