/* tests/test_landscape.c -- chapter 1's library part: the gradient-descent step
   and the two measurements of mini-batch gradient variance. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

/* One step on the saddle f = (a x^2 - b y^2)/2 from (1, 1): the gradient is
   (a, -b), so theta becomes (1 - eta a, 1 + eta b); the value returned is f
   at the starting point. */
Test(landscape, gd_step_moves_against_the_gradient)
{
  struct problem p = problem_saddle(4.0, 2.0);
  double th[2] = {1.0, 1.0};
  double f = gd_step(&p, 0.125, th);
  cr_expect(f == 1.0, "the loss before the step: want 1, got %g", f);
  cr_expect(th[0] == 0.5 && th[1] == 1.25, "theta after one step: want (0.5, 1.25), got (%g, %g)",
            th[0], th[1]);
  double f2 = gd_step(&p, 0.0, th);
  cr_expect(th[0] == 0.5 && th[1] == 1.25, "eta = 0 leaves theta where it was");
  cr_expect(f2 == 0.5 * (4.0 * 0.25 - 2.0 * 1.5625), "the loss at (0.5, 1.25): got %g", f2);
}

/* ||sum/B - g||^2 by hand. */
Test(landscape, sq_deviation_by_hand)
{
  const double sum[3] = {2.0, 4.0, -6.0}, g[3] = {0.0, 1.0, -1.0};
  /* sum/2 - g = (1, 1, -2): 1 + 1 + 4 */
  double d = sq_deviation(sum, 2.0, g, 3);
  cr_expect(d == 6.0, "want 6, got %g", d);
  cr_expect(sq_deviation(g, 1.0, g, 3) == 0.0, "a batch equal to g deviates by 0");
}

/* ||s/B - g||^2, written out here so that the next test checks var_theory alone */
static double dev2(const double *s, double B, const double *g, int n)
{
  double t = 0.0;
  for (int j = 0; j < n; j++) t += (s[j] / B - g[j]) * (s[j] / B - g[j]);
  return t;
}

/* The formula of the text, E||g_B - g||^2 = sigma^2/B (N-B)/(N-1) for batches drawn
   without replacement, against the exact mean over every B-subset of a small
   population of N = 7 vectors in R^3, for every B. */
Test(landscape, var_theory_is_the_mean_over_every_subset)
{
  enum { N = 7, D = 3 };
  double x[N][D], g[D] = {0};
  struct rng r;
  rng_seed(&r, 5, 0);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < D; j++) { x[i][j] = rng_uniform(&r) * 4.0 - 1.0; g[j] += x[i][j] / N; }
  double sigma2 = 0.0;
  for (int i = 0; i < N; i++) sigma2 += dev2(x[i], 1.0, g, D) / N;
  for (int B = 1; B <= N; B++) {
    double total = 0.0;
    long subsets = 0;
    for (unsigned mask = 0; mask < (1u << N); mask++) {
      if (__builtin_popcount(mask) != B) continue;
      double sum[D] = {0};
      for (int i = 0; i < N; i++)
        if (mask >> i & 1)
          for (int j = 0; j < D; j++) sum[j] += x[i][j];
      total += dev2(sum, (double)B, g, D);
      subsets++;
    }
    double mean = total / subsets, th = var_theory(sigma2, (double)B, (double)N);
    cr_expect(fabs(mean - th) <= 1e-12 * fmax(1.0, sigma2),
              "B = %d: mean over %ld subsets %.15g, theory %.15g", B, subsets, mean, th);
  }
  cr_expect(var_theory(sigma2, 1.0, N) == sigma2, "B = 1: sigma^2 itself");
  cr_expect(var_theory(sigma2, N, N) == 0.0, "B = N: no error");
}
