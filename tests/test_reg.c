/* tests/test_reg.c -- Chapter 8's library part: label-smoothed cross-entropy
   against PyTorch's reference vectors (tests/ref/xent-smooth.dat, written by
   tools/make-xent-ref.py) and against the plain loss at eps = 0; dropout's
   mask statistics and its network's evaluation and gradient; the expected
   calibration error on hand-computed cases; the initialization schemes; and
   the finite-difference gradient check catching a planted error. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

/* -- label smoothing ------------------------------------------------------------ */

#define REF_FILE "tests/ref/xent-smooth.dat"
enum { ref_maxk = 128 };

/* Parses one line of the reference file: K eps target z[K] loss g[K]. */
static bool ref_line(char *line, size_t *K, double *eps, unsigned *t, float *z, double *loss,
                     double *g)
{
  char *p = line, *end;
  long k = strtol(p, &end, 10);
  if (end == p || k < 1 || k > ref_maxk) return false;
  *K = (size_t)k; p = end;
  *eps = strtod(p, &end); p = end;
  *t = (unsigned)strtol(p, &end, 10); p = end;
  for (long i = 0; i < k; i++) { z[i] = strtof(p, &end); p = end; }
  *loss = strtod(p, &end); p = end;
  for (long i = 0; i < k; i++) { g[i] = strtod(p, &end); if (end == p) return false; p = end; }
  return true;
}

Test(reg, xent_smooth_matches_pytorch)
{
  FILE *f = fopen(REF_FILE, "r");
  cr_assert(f, "cannot open %s (run the tests from the repository's root)", REF_FILE);
  char line[16384];
  size_t cases = 0;
  double worst_loss = 0, worst_grad = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    size_t K; double eps, want, g[ref_maxk]; unsigned t; float z[ref_maxk], d[ref_maxk];
    cr_assert(ref_line(line, &K, &eps, &t, z, &want, g), "bad line in %s: %.60s", REF_FILE, line);
    uint8_t y = (uint8_t)t;
    double L = xent_smooth(z, &y, 1, K, eps, d);
    double el = fabs(L - want) / fmax(1.0, fabs(want));
    cr_expect(el <= 1e-6, "case %zu (K %zu, eps %g): loss %.9g, PyTorch %.9g", cases, K, eps, L, want);
    if (el > worst_loss) worst_loss = el;
    for (size_t k = 0; k < K; k++) {
      double eg = fabs(d[k] - g[k]);
      cr_expect(eg <= 1e-6, "case %zu (K %zu, eps %g): dz[%zu] %.9g, PyTorch %.9g", cases, K, eps,
                k, d[k], g[k]);
      if (eg > worst_grad) worst_grad = eg;
    }
    cases++;
  }
  fclose(f);
  cr_expect(cases >= 50, "only %zu cases in %s", cases, REF_FILE);
  cr_log_info("xent_smooth: %zu cases, worst loss error %.3g (relative), gradient %.3g",
              cases, worst_loss, worst_grad);
}

Test(reg, xent_smooth_eps0_is_plain_cross_entropy)
{
  struct rng r;
  rng_seed(&r, 8, 1);
  enum { B = 7, K = 10 };
  float z[B * K], d0[B * K], d1[B * K];
  uint8_t y[B];
  for (int i = 0; i < B * K; i++) z[i] = (float)(3.0 * rng_normal(&r));
  for (int i = 0; i < B; i++) y[i] = (uint8_t)rng_below(&r, K);
  double a = xent_smooth(z, y, B, K, 0.0, d0), b = softmax_xent(z, y, B, K, d1);
  cr_expect(a == b, "eps 0: %.17g, softmax_xent %.17g", a, b);
  cr_expect(memcmp(d0, d1, sizeof d0) == 0, "eps 0: the gradients differ");
}

Test(reg, xent_smooth_eps1_ignores_the_label)
{
  const float z[4] = {0.5f, -1.0f, 2.0f, 0.25f};
  uint8_t y0 = 0, y2 = 2;
  float d0[4], d2[4];
  double a = xent_smooth(z, &y0, 1, 4, 1.0, d0), b = xent_smooth(z, &y2, 1, 4, 1.0, d2);
  cr_expect(a == b && memcmp(d0, d2, sizeof d0) == 0, "eps 1 depends on the label");
  double s = 0, sum = 0;
  for (int k = 0; k < 4; k++) s += exp(z[k]);
  for (int k = 0; k < 4; k++) sum += z[k];
  double want = log(s) - sum / 4;
  cr_expect(fabs(a - want) < 1e-12, "eps 1: %.17g, expected %.17g", a, want);
}

/* -- dropout --------------------------------------------------------------------- */

Test(reg, dropout_mask_keeps_the_mean)
{
  struct rng r;
  rng_seed(&r, 8, 2);
  const size_t n = 400000;
  const double p = 0.25;
  float *m = vec_new(n);
  dropout_mask(m, n, p, &r);
  double mean = 0, zeros = 0;
  for (size_t i = 0; i < n; i++) {
    cr_assert(m[i] == 0.0f || m[i] == (float)(1.0 / (1.0 - p)), "mask[%zu] = %g", i, m[i]);
    mean += m[i]; zeros += m[i] == 0.0f;
  }
  mean /= (double)n; zeros /= (double)n;
  double sd_mean = sqrt(p / (1 - p) / (double)n), sd_zero = sqrt(p * (1 - p) / (double)n);
  cr_expect(fabs(mean - 1.0) < 5 * sd_mean, "mean of the mask %.6f, sd %.6f", mean, sd_mean);
  cr_expect(fabs(zeros - p) < 5 * sd_zero, "fraction dropped %.6f, expected %g", zeros, p);
  dropout_mask(m, n, 0.0, &r);
  for (size_t i = 0; i < n; i++) cr_assert(m[i] == 1.0f, "p = 0: mask[%zu] = %g", i, m[i]);
  vec_free(&m);
}

static struct mlp *small_mlp(uint64_t seed, const size_t *sizes, size_t L)
{
  struct mlp *m = mlp_new(L, sizes);
  struct rng r;
  rng_seed(&r, seed, 3);
  mlp_init(m, &r);
  for (size_t l = 0; l < L; l++)   /* nonzero biases, so that their gradients are tested */
    for (size_t j = 0; j < sizes[l + 1]; j++) mlp_bias(m, l)[j] = (float)(0.1 * rng_normal(&r));
  return m;
}
static void random_batch(uint64_t seed, float *x, uint8_t *y, size_t B, size_t n, size_t K)
{
  struct rng r;
  rng_seed(&r, seed, 4);
  for (size_t i = 0; i < B * n; i++) x[i] = (float)rng_uniform(&r);
  for (size_t i = 0; i < B; i++) y[i] = (uint8_t)rng_below(&r, (uint32_t)K);
}

Test(reg, dropnet_in_evaluation_is_the_mlp)
{
  const size_t sizes[4] = {20, 16, 12, 5};
  struct mlp *m = small_mlp(1, sizes, 3);
  struct dropnet *d = dropnet_new(m, 0.5);
  float x[9 * 20], z[9 * 5];
  uint8_t y[9];
  random_batch(2, x, y, 9, 20, 5);
  memcpy(z, mlp_forward(m, x, 9), sizeof z);
  const float *e1 = dropnet_forward(d, x, 9, NULL);
  for (int i = 0; i < 9 * 5; i++)
    cr_expect(fabs(e1[i] - z[i]) <= 1e-6 * fmax(1.0, fabs(z[i])), "logit %d: %.9g, mlp %.9g", i,
              e1[i], z[i]);
  float first[9 * 5];
  memcpy(first, e1, sizeof first);
  cr_expect(memcmp(first, dropnet_forward(d, x, 9, NULL), sizeof first) == 0,
            "two evaluations differ");
  struct rng r;
  rng_seed(&r, 5, 0);
  const float *t = dropnet_forward(d, x, 9, &r);
  cr_expect(memcmp(first, t, sizeof first) != 0, "training with p = 0.5 changed nothing");
  dropnet_free(&d);
  cr_expect(d == NULL, "dropnet_free clears the pointer");
  mlp_free(&m);
}

struct ctx { struct mlp *m; struct dropnet *d; const float *x; const uint8_t *y; size_t B; double eps; };
static double ctx_loss(void *p)
{
  struct ctx *c = p;
  size_t K = c->m->sizes[c->m->nlayers];
  if (!c->d) return xent_smooth(mlp_forward(c->m, c->x, c->B), c->y, c->B, K, c->eps, NULL);
  struct rng r;
  rng_seed(&r, 77, 0);
  return xent_smooth(dropnet_forward(c->d, c->x, c->B, &r), c->y, c->B, K, c->eps, NULL);
}

Test(reg, dropnet_gradient_passes_the_check)
{
  const size_t sizes[4] = {20, 16, 12, 5};
  struct mlp *m = small_mlp(3, sizes, 3);
  struct dropnet *d = dropnet_new(m, 0.4);
  float x[6 * 20];
  uint8_t y[6];
  random_batch(4, x, y, 6, 20, 5);
  struct rng r;
  rng_seed(&r, 77, 0);
  dropnet_loss_grad(d, x, y, 6, 0.2, &r);
  struct ctx c = {m, d, x, y, 6, 0.2};
  struct rng g;
  rng_seed(&g, 9, 9);
  for (size_t k = 0; k < m->tensor_layout->ntensors; k++) {
    const struct tensor *T = &m->tensor_layout->tensors[k];
    /* a check of a zero gradient against a zero loss proves nothing */
    double norm = 0;
    for (size_t i = 0; i < T->len; i++) norm += (double)m->grads[T->offset + i] * m->grads[T->offset + i];
    cr_expect(norm > 0, "dropout network, tensor %s: the gradient is zero", T->name);
    double e = grad_check(m->params + T->offset, m->grads + T->offset, T->len, 60, 1e-2,
                          ctx_loss, &c, &g);
    cr_expect(e < 0.02, "dropout network, tensor %s: relative error %.3g", T->name, e);
  }
  dropnet_free(&d);
  mlp_free(&m);
}

/* -- gradient check ---------------------------------------------------------------- */

Test(reg, gradient_check_catches_a_planted_error)
{
  const size_t sizes[3] = {20, 16, 5};
  struct mlp *m = small_mlp(5, sizes, 2);
  float x[8 * 20], dz[8 * 5];
  uint8_t y[8];
  random_batch(6, x, y, 8, 20, 5);
  xent_smooth(mlp_forward(m, x, 8), y, 8, 5, 0.1, dz);
  mlp_backward(m, dz, 8);
  struct ctx c = {m, NULL, x, y, 8, 0.1};
  struct rng g;
  rng_seed(&g, 10, 0);
  for (size_t k = 0; k < m->tensor_layout->ntensors; k++) {
    const struct tensor *T = &m->tensor_layout->tensors[k];
    float *gr = m->grads + T->offset;
    double ok = grad_check(m->params + T->offset, gr, T->len, 1000, 1e-2, ctx_loss, &c, &g);
    cr_expect(ok < 0.02, "correct gradient of %s: relative error %.3g", T->name, ok);
    vec_scale(gr, -1.0f, T->len);                  /* the sign bug */
    double bad = grad_check(m->params + T->offset, gr, T->len, 1000, 1e-2, ctx_loss, &c, &g);
    cr_expect(bad > 0.9, "gradient of %s with the wrong sign: relative error only %.3g", T->name, bad);
    vec_scale(gr, -1.0f, T->len);
    gr[T->len / 2] += 0.5f;                        /* one wrong entry */
    double one = grad_check(m->params + T->offset, gr, T->len, 1000, 1e-2, ctx_loss, &c, &g);
    cr_expect(one > 0.1, "one wrong entry of %s: relative error only %.3g", T->name, one);
    gr[T->len / 2] -= 0.5f;
  }
  mlp_free(&m);
}

/* -- calibration ---------------------------------------------------------------------- */

Test(reg, ece_by_hand)
{
  const double c1[4] = {0.9, 0.9, 0.9, 0.9};
  const bool r1[4] = {true, true, true, false};
  cr_expect(fabs(calibration(c1, r1, 4, 10, NULL, NULL, NULL) - 0.15) < 1e-12,
            "one bin: |0.75 - 0.9| = 0.15");
  const double c2[2] = {0.2, 0.8};
  const bool r2[2] = {false, true};
  double bc[15], ba[15];
  size_t bn[15];
  double e = calibration(c2, r2, 2, 10, bc, ba, bn);
  cr_expect(fabs(e - 0.2) < 1e-12, "two bins: ECE %.17g, expected 0.2", e);
  cr_expect(bn[1] == 1 && bn[7] == 1, "0.2 falls in bin 1, 0.8 in bin 7 (counts %zu %zu)", bn[1], bn[7]);
  cr_expect(isnan(bc[0]) && isnan(ba[5]), "empty bins are NaN");
  cr_expect(bc[7] == 0.8 && ba[7] == 1.0 && ba[1] == 0.0, "bin averages");
  const double c3[3] = {1.0, 1.0, 0.0};
  const bool r3[3] = {true, true, false};
  cr_expect(calibration(c3, r3, 3, 15, bc, ba, bn) == 0.0, "perfect: ECE 0");
  cr_expect(bn[14] == 2 && bn[0] == 1, "1.0 in the last bin, 0.0 in the first");
}

/* -- initialization ------------------------------------------------------------------- */

Test(reg, init_schemes_have_their_variances)
{
  const size_t sizes[3] = {400, 300, 10};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r;
  rng_seed(&r, 11, 0);
  const size_t n = 300 * 400;
  const double want[4] = {2.0 / 400, 2.0 / 700, 0.25 * 0.25, 1.0 / (3 * 400)};
  for (int s = 0; s < 4; s++) {
    mlp_init_scheme(m, (enum init_scheme)s, 0.25, &r);
    double v = vec_dot(mlp_weights(m, 0), mlp_weights(m, 0), n) / (double)n;
    cr_expect(fabs(v / want[s] - 1) < 0.02, "scheme %d: variance %.4g, expected %.4g", s, v, want[s]);
    double bmax = 0;
    for (size_t j = 0; j < 300; j++) bmax = fmax(bmax, fabs(mlp_bias(m, 0)[j]));
    if (s == init_torch) {
      cr_expect(bmax > 0 && bmax <= 1 / sqrt(400.0), "torch's bias bound: %g", bmax);
      double wmax = 0;
      for (size_t i = 0; i < n; i++) wmax = fmax(wmax, fabs(mlp_weights(m, 0)[i]));
      cr_expect(wmax <= 1 / sqrt(400.0), "torch's weight bound: %g", wmax);
    } else cr_expect(bmax == 0, "scheme %d: biases start at zero", s);
  }
  mlp_free(&m);
}
