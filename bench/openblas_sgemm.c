/* bench/openblas_sgemm.c -- make bench: OpenBLAS's cblas_sgemm against the
   library's sgemm on the trainer's three shapes (batch 128, 784-1024-512-10):
   X W^T (128x1024x784), dY W (128x784x1024), dY^T X (1024x784x128).  Both
   get the same matrices and threads; each time is the median of 31 calls after
   a warm-up call.  Prints one line per shape: "shape NAME ours G openblas G ratio R"
   (G in GFLOP/s).  Built and run by bench/trainer.sh, which links -lopenblas. */
#include <cblas.h>
#include <omp.h>
#include "descent.h"

enum { reps = 31 };
static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
int main(void)
{
  static const struct { const char *name; int ta, tb; size_t m, n, k; } shapes[3] = {
    {"XWt", 0, 1, 128, 1024, 784}, {"dYW", 0, 0, 128, 784, 1024}, {"dYtX", 1, 0, 1024, 784, 128}};
  float *a = vec_new(1 << 20), *b = vec_new(1 << 20), *c = vec_new(1 << 20);
  for (size_t i = 0; i < 1 << 20; i++) { a[i] = (float)(i % 13) * 0.01f; b[i] = (float)(i % 7) * 0.02f; }
  openblas_set_num_threads(omp_get_max_threads());
  for (int s = 0; s < 3; s++) {
    size_t m = shapes[s].m, n = shapes[s].n, k = shapes[s].k;
    int ta = shapes[s].ta, tb = shapes[s].tb;
    double t[2][reps];
    for (int who = 0; who < 2; who++)
      for (int r = -1; r < reps; r++) {
        double t0 = wall_seconds();
        if (who == 0)
          sgemm(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c, n, NULL, false);
        else
          cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                      (int)m, (int)n, (int)k, 1.0f, a, ta ? (int)m : (int)k, b, tb ? (int)k : (int)n,
                      0.0f, c, (int)n);
        if (r >= 0) t[who][r] = wall_seconds() - t0;
      }
    qsort(t[0], reps, sizeof(double), cmp);
    qsort(t[1], reps, sizeof(double), cmp);
    double flops = 2.0 * (double)m * (double)n * (double)k;
    double ours = flops / t[0][reps / 2] * 1e-9, blas = flops / t[1][reps / 2] * 1e-9;
    printf("shape %s ours %.1f openblas %.1f ratio %.2f\n", shapes[s].name, ours, blas, ours / blas);
  }
  vec_free(&a), vec_free(&b), vec_free(&c);
  return 0;
}
