/* tests/test_mlp.c -- softmax cross-entropy and the MLP: values, layout,
   finite-difference gradient checks of every parameter tensor, He
   initialisation, determinism, evaluation. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <omp.h>
#include "descent.h"

/* -- softmax cross-entropy ---------------------------------------------------- */

/* -log softmax(z)[y], in double, the obvious way (fine for moderate z) */
static double xent_ref(const float *z, size_t K, unsigned y)
{
  double s = 0;
  for (size_t k = 0; k < K; k++) s += exp((double)z[k]);
  return log(s) - z[y];
}

Test(xent, value_and_gradient_by_hand)
{
  const float z[2 * 3] = {1, 2, 3, 0.5f, -1, 2};
  const uint8_t y[2] = {2, 0};
  float d[6];
  double L = softmax_xent(z, y, 2, 3, d);
  double want = (xent_ref(z, 3, 2) + xent_ref(z + 3, 3, 0)) / 2;
  cr_expect(fabs(L - want) <= 1e-14, "loss %.17g, expected %.17g", L, want);
  for (int i = 0; i < 2; i++) {
    double s = 0;
    for (int k = 0; k < 3; k++) s += exp((double)z[i * 3 + k]);
    double rowsum = 0;
    for (int k = 0; k < 3; k++) {
      double g = (exp((double)z[i * 3 + k]) / s - (k == y[i])) / 2;   /* (softmax - onehot)/B */
      cr_expect(fabs(d[i * 3 + k] - g) <= 1e-7 * fmax(1e-3, fabs(g)), "dlogits[%d][%d] = %.9g, expected %.9g", i,
                k, d[i * 3 + k], g);
      rowsum += d[i * 3 + k];
    }
    cr_expect(fabs(rowsum) < 1e-7, "row %d of dlogits sums to %g", i, rowsum);
  }
  cr_expect(softmax_xent(z, y, 2, 3, NULL) == L, "dlogits may be NULL, same loss");
  /* uniform logits: log K */
  const float u[4] = {0.3f, 0.3f, 0.3f, 0.3f};
  const uint8_t y3[1] = {3};
  cr_expect(fabs(softmax_xent(u, y3, 1, 4, NULL) - log(4.0)) < 1e-15);
}

Test(xent, large_logits_are_stable)
{
  const float z[3] = {1000, 0, -1000};
  uint8_t y[1] = {0};
  float d[3];
  double L = softmax_xent(z, y, 1, 3, d);
  cr_expect(isfinite(L) && fabs(L) < 1e-12, "loss %g for a confident right answer", L);
  cr_expect(vec_all_finite(d, 3) && fabsf(d[0]) < 1e-12f && d[2] == 0.0f, "dlogits %g %g %g", d[0], d[1], d[2]);
  y[0] = 1;
  L = softmax_xent(z, y, 1, 3, d);
  cr_expect(fabs(L - 1000.0) < 1e-9, "loss %g, expected 1000", L);
  cr_expect(fabsf(d[0] - 1.0f) < 1e-7f && fabsf(d[1] + 1.0f) < 1e-7f, "dlogits %g %g %g", d[0], d[1], d[2]);
  const float w[2] = {-1000, -1000};
  y[0] = 0;
  L = softmax_xent(w, y, 1, 2, d);
  cr_expect(fabs(L - log(2.0)) < 1e-12, "loss %g, expected log 2", L);
  cr_expect(fabsf(d[0] + 0.5f) < 1e-7f && fabsf(d[1] - 0.5f) < 1e-7f);
}

/* Central differences of the loss in double over float perturbations of the
   logits; the step is the float difference actually taken. */
Test(xent, gradient_matches_finite_differences)
{
  enum { B = 4, K = 10 };
  struct rng r;
  rng_seed(&r, 10, 0);
  float z[B * K], d[B * K];
  uint8_t y[B];
  for (int i = 0; i < B * K; i++) z[i] = (float)(3 * rng_normal(&r));
  for (int i = 0; i < B; i++) y[i] = (uint8_t)rng_below(&r, K);
  softmax_xent(z, y, B, K, d);
  double worst = 0;
  for (int i = 0; i < B * K; i++) {
    float z0 = z[i];
    z[i] = z0 + 1e-3f;
    float zp = z[i];
    double Lp = softmax_xent(z, y, B, K, NULL);
    z[i] = z0 - 1e-3f;
    float zm = z[i];
    double Lm = softmax_xent(z, y, B, K, NULL);
    z[i] = z0;
    double fd = (Lp - Lm) / ((double)zp - zm);
    double err = fabs(fd - d[i]);
    if (err > worst) worst = err;
    /* truncation ~ h^2 f'''/6 ~ 1e-7; d is rounded to float (6e-8 relative) */
    cr_expect(err <= 1e-6 + 1e-5 * fabs(fd), "dlogits[%d] = %.9g, finite difference %.9g", i, d[i], fd);
  }
}

/* -- the MLP ---------------------------------------------------------------- */

/* A double-precision reference forward pass over the MLP's own float
   parameters; it also records the sign pattern of every hidden pre-activation
   (to notice when a finite-difference step crosses a ReLU kink). */
static double ref_forward(struct mlp *m, const float *x, size_t B, double *logits, unsigned char *pattern)
{
  double closest = INFINITY;      /* the smallest |hidden pre-activation| */
  size_t L = m->nlayers, widest = 0;
  for (size_t l = 0; l <= L; l++) if (m->sizes[l] > widest) widest = m->sizes[l];
  double *a = malloc(widest * sizeof *a), *z = malloc(widest * sizeof *z);
  size_t np = 0;
  for (size_t i = 0; i < B; i++) {
    for (size_t j = 0; j < m->sizes[0]; j++) a[j] = x[i * m->sizes[0] + j];
    for (size_t l = 0; l < L; l++) {
      size_t in = m->sizes[l], out = m->sizes[l + 1];
      const float *W = mlp_weights(m, l), *b = mlp_bias(m, l);
      for (size_t o = 0; o < out; o++) {
        double s = b[o];
        for (size_t k = 0; k < in; k++) s += (double)W[o * in + k] * a[k];   /* W is out x in */
        z[o] = s;
      }
      for (size_t o = 0; o < out; o++) {
        if (l + 1 < L) {
          if (pattern) pattern[np++] = z[o] > 0;
          closest = fmin(closest, fabs(z[o]));
          a[o] = z[o] > 0 ? z[o] : 0;
        } else
          logits[i * out + o] = z[o];
      }
    }
  }
  free(a);
  free(z);
  return closest;
}

static size_t n_hidden(const struct mlp *m, size_t B)
{
  size_t h = 0;
  for (size_t l = 1; l < m->nlayers; l++) h += m->sizes[l];
  return h * B;
}

Test(mlp, layout)
{
  const size_t sizes[4] = {5, 7, 6, 4};
  struct mlp *m = mlp_new(3, sizes);
  cr_assert(m != NULL);
  cr_expect(m->nlayers == 3 && m->sizes[0] == 5 && m->sizes[3] == 4);
  cr_expect(m->nparams == 7 * 5 + 7 + 6 * 7 + 6 + 4 * 6 + 4, "nparams %zu", m->nparams);
  /* W_l (out x in) then b_l, layer after layer, one flat vector */
  cr_expect(mlp_weights(m, 0) == m->params);
  cr_expect(mlp_bias(m, 0) == m->params + 35);
  cr_expect(mlp_weights(m, 1) == m->params + 42);
  cr_expect(mlp_bias(m, 1) == m->params + 84);
  cr_expect(mlp_weights(m, 2) == m->params + 90);
  cr_expect(mlp_bias(m, 2) == m->params + 114);
  cr_expect(mlp_dweights(m, 1) == m->grads + 42 && mlp_dbias(m, 2) == m->grads + 114,
            "gradient views use the same layout");
  mlp_free(&m);
  cr_expect(m == NULL, "mlp_free did not null the pointer");
}

Test(mlp, forward_matches_reference)
{
  const size_t sizes[4] = {6, 9, 7, 5};
  struct mlp *m = mlp_new(3, sizes);
  struct rng r;
  rng_seed(&r, 3, 3);
  mlp_init(m, &r);
  /* nonzero biases too, so that their place in the computation is checked */
  for (size_t l = 0; l < 3; l++)
    for (size_t o = 0; o < sizes[l + 1]; o++) mlp_bias(m, l)[o] = (float)(0.3 * rng_normal(&r));
  enum { B = 5 };
  float x[B * 6];
  for (int i = 0; i < B * 6; i++) x[i] = (float)rng_normal(&r);
  const float *z = mlp_forward(m, x, B);
  double want[B * 5];
  ref_forward(m, x, B, want, NULL);
  int negative = 0;
  for (int i = 0; i < B * 5; i++) {
    cr_expect(fabs(z[i] - want[i]) <= 1e-5 * fmax(1, fabs(want[i])), "logit %d: %.9g, reference %.9g",
              i, z[i], want[i]);
    negative += want[i] < 0;
  }
  cr_expect(negative > 0, "no negative logits: is a ReLU applied after the last layer?");
  mlp_free(&m);
}

/* Finite-difference check of every parameter tensor of a 3-layer MLP. */
static void gradient_check(size_t nlayers, const size_t *sizes, uint64_t seed)
{
  struct mlp *m = mlp_new(nlayers, sizes);
  struct rng r;
  rng_seed(&r, seed, 0);
  mlp_init(m, &r);
  for (size_t l = 0; l < nlayers; l++)          /* small nonzero biases */
    for (size_t o = 0; o < sizes[l + 1]; o++) mlp_bias(m, l)[o] = (float)(0.1 * rng_normal(&r));
  enum { B = 8 };
  size_t in = sizes[0], K = sizes[nlayers];
  float *x = malloc(B * in * sizeof *x);
  uint8_t y[B];
  size_t nh = n_hidden(m, B);
  unsigned char *pat0 = malloc(nh + 1), *patp = malloc(nh + 1), *patm = malloc(nh + 1);
  double *lg = malloc(B * K * sizeof *lg);
  /* inputs whose hidden pre-activations all keep at least 0.01 away from the
     ReLU kink at 0, where the loss is not differentiable */
  int tries = 0;
  do {
    for (size_t i = 0; i < B * in; i++) x[i] = (float)rng_normal(&r);
    cr_assert(++tries < 1000, "no input batch away from the ReLU kinks");
  } while (ref_forward(m, x, B, lg, pat0) < 0.01);
  for (size_t i = 0; i < B; i++) y[i] = (uint8_t)rng_below(&r, (uint32_t)K);
  double L0 = mlp_loss_grad(m, x, y, B);
  cr_assert(isfinite(L0));
  float *g = malloc(m->nparams * sizeof *g);
  memcpy(g, m->grads, m->nparams * sizeof *g);
  const float h = 1e-2f;
  double worst = 0;
  for (size_t l = 0; l < nlayers; l++)
    for (int part = 0; part < 2; part++) {     /* 0: W_l, 1: b_l */
      float *t = part ? mlp_bias(m, l) : mlp_weights(m, l);
      size_t size = part ? sizes[l + 1] : sizes[l + 1] * sizes[l];
      size_t base = (size_t)(t - m->params);
      int checked = 0, skipped = 0;
      int nentries = size <= 8 ? (int)size : 8;    /* all of a small tensor, else 8 at random */
      for (int e = 0; e < nentries; e++) {
        size_t k = size <= 8 ? (size_t)e : rng_below(&r, (uint32_t)size);
        float p0 = t[k];
        t[k] = p0 + h;
        float pp = t[k];
        ref_forward(m, x, B, lg, patp);
        double Lp = softmax_xent(mlp_forward(m, x, B), y, B, K, NULL);
        t[k] = p0 - h;
        float pm = t[k];
        ref_forward(m, x, B, lg, patm);
        double Lm = softmax_xent(mlp_forward(m, x, B), y, B, K, NULL);
        t[k] = p0;
        if (memcmp(pat0, patp, nh) || memcmp(pat0, patm, nh)) { skipped++; continue; }  /* a kink */
        double fd = (Lp - Lm) / ((double)pp - pm);
        double an = g[base + k], err = fabs(fd - an);
        if (err > worst) worst = err;
        /* float forward: loss noise ~1e-7, over 2h = 0.02 gives ~5e-6;
           truncation h^2 f'''/6 ~ 1e-5 (seen: at most 1.3e-5); so 3e-5 + 0.2% */
        cr_expect(err <= 3e-5 + 2e-3 * fabs(fd),
                  "layer %zu %s[%zu]: backprop %.7g, finite difference %.7g", l, part ? "b" : "W", k,
                  an, fd);
        checked++;
      }
      cr_expect(checked >= (size < 4 ? (int)size : 4), "layer %zu %s: only %d entries checked (%d at kinks)", l,
                part ? "b" : "W", checked, skipped);
    }
  /* the whole gradient at once: the derivative along a random direction, with a
     step small enough not to cross a ReLU kink (checked as above) */
  float *dir = malloc(m->nparams * sizeof *dir), *p0 = malloc(m->nparams * sizeof *p0);
  memcpy(p0, m->params, m->nparams * sizeof *p0);
  for (size_t i = 0; i < m->nparams; i++) dir[i] = (float)rng_normal(&r);
  bool done = false;
  for (float eps = 1e-3f; eps > 1e-5f && !done; eps /= 4) {
    vec_axpy(m->params, eps, dir, m->nparams);
    ref_forward(m, x, B, lg, patp);
    double Lp = softmax_xent(mlp_forward(m, x, B), y, B, K, NULL);
    memcpy(m->params, p0, m->nparams * sizeof *p0);
    vec_axpy(m->params, -eps, dir, m->nparams);
    ref_forward(m, x, B, lg, patm);
    double Lm = softmax_xent(mlp_forward(m, x, B), y, B, K, NULL);
    memcpy(m->params, p0, m->nparams * sizeof *p0);
    if (memcmp(pat0, patp, nh) || memcmp(pat0, patm, nh)) continue;
    double fd = (Lp - Lm) / (2.0 * eps), an = vec_dot(g, dir, m->nparams);
    /* the loss noise (1e-7) over 2 eps, plus 0.1% */
    cr_expect(fabs(fd - an) <= 1e-7 / eps + 1e-3 * fabs(an),
              "directional derivative (eps %g): backprop %.7g, finite difference %.7g", eps, an, fd);
    done = true;
  }
  cr_expect(done, "every step of the directional check crossed a ReLU kink");
  free(dir); free(p0); free(x); free(g); free(pat0); free(patp); free(patm); free(lg);
  mlp_free(&m);
}

Test(mlp, gradient_check_three_layers)
{
  const size_t sizes[4] = {6, 9, 7, 5};
  gradient_check(3, sizes, 1);
  gradient_check(3, sizes, 2);
  const size_t wide[4] = {20, 16, 12, 10};
  gradient_check(3, wide, 3);
}

Test(mlp, gradient_check_one_and_two_layers)
{
  const size_t one[2] = {7, 3};
  gradient_check(1, one, 4);
  const size_t two[3] = {5, 8, 4};
  gradient_check(2, two, 5);
}

Test(mlp, backward_writes_not_accumulates)
{
  const size_t sizes[3] = {4, 6, 3};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r;
  rng_seed(&r, 6, 0);
  mlp_init(m, &r);
  float x[2 * 4];
  for (int i = 0; i < 8; i++) x[i] = (float)rng_normal(&r);
  const uint8_t y[2] = {0, 2};
  double L1 = mlp_loss_grad(m, x, y, 2);
  float *g1 = malloc(m->nparams * sizeof *g1);
  memcpy(g1, m->grads, m->nparams * sizeof *g1);
  double L2 = mlp_loss_grad(m, x, y, 2);
  cr_expect(L1 == L2);
  cr_expect(memcmp(g1, m->grads, m->nparams * sizeof *g1) == 0, "a second call changed the gradient");
  /* forward + softmax_xent + backward by hand gives the same */
  float dz[2 * 3];
  vec_fill(m->grads, m->nparams, 123.0f);
  softmax_xent(mlp_forward(m, x, 2), y, 2, 3, dz);
  mlp_backward(m, dz, 2);
  cr_expect(memcmp(g1, m->grads, m->nparams * sizeof *g1) == 0, "mlp_backward differs from mlp_loss_grad");
  free(g1);
  mlp_free(&m);
}

static double sample_stats(const float *w, size_t n, double *mean, double *kurt)
{
  double s = 0, ss = 0, s4 = 0;
  for (size_t i = 0; i < n; i++) s += w[i];
  *mean = s / n;
  for (size_t i = 0; i < n; i++) {
    double d = w[i] - *mean;
    ss += d * d;
    s4 += d * d * d * d;
  }
  double var = ss / n;
  *kurt = s4 / n / (var * var);
  return sqrt(var);
}

Test(mlp, he_initialisation)
{
  const size_t sizes[4] = {800, 400, 100, 10};
  struct mlp *m = mlp_new(3, sizes);
  vec_fill(m->params, m->nparams, 7.0f);      /* init must overwrite everything */
  struct rng r;
  rng_seed(&r, 42, 0);
  mlp_init(m, &r);
  for (size_t l = 0; l < 3; l++) {
    size_t n = sizes[l] * sizes[l + 1];
    double mean, kurt, sd = sample_stats(mlp_weights(m, l), n, &mean, &kurt);
    double want = sqrt(2.0 / sizes[l]);          /* Kaiming normal, fan_in, ReLU gain sqrt(2) */
    double se = want / sqrt(2.0 * n);            /* standard error of the sample sd */
    cr_expect(fabs(sd - want) < 6 * se + 1e-4 * want, "layer %zu: sd %g, expected sqrt(2/%zu) = %g", l, sd,
              sizes[l], want);
    cr_expect(fabs(mean) < 6 * want / sqrt((double)n), "layer %zu: mean %g", l, mean);
    if (n >= 10000)   /* a normal, not a uniform (1.8) or a truncated normal */
      cr_expect(fabs(kurt - 3.0) < 6 * sqrt(24.0 / n), "layer %zu: kurtosis %g", l, kurt);
    const float *b = mlp_bias(m, l);
    for (size_t o = 0; o < sizes[l + 1]; o++) cr_assert(b[o] == 0.0f, "layer %zu bias %zu = %g", l, o, b[o]);
  }
  /* same seed, same weights; another seed, other weights */
  struct mlp *m2 = mlp_new(3, sizes), *m3 = mlp_new(3, sizes);
  rng_seed(&r, 42, 0);
  mlp_init(m2, &r);
  rng_seed(&r, 43, 0);
  mlp_init(m3, &r);
  cr_expect(memcmp(m->params, m2->params, m->nparams * sizeof(float)) == 0, "init is not reproducible");
  cr_expect(memcmp(m->params, m3->params, m->nparams * sizeof(float)) != 0, "seeds 42 and 43 agree");
  mlp_free(&m); mlp_free(&m2); mlp_free(&m3);
}

Test(mlp, forward_is_deterministic)
{
  const size_t sizes[4] = {784, 128, 64, 10};
  struct mlp *m = mlp_new(3, sizes);
  struct rng r;
  rng_seed(&r, 9, 9);
  mlp_init(m, &r);
  enum { B = 300 };        /* big enough for the parallel path */
  float *x = malloc(B * 784 * sizeof *x), *z1 = malloc(B * 10 * sizeof *z1), *z2 = malloc(B * 10 * sizeof *z2);
  for (size_t i = 0; i < B * 784; i++) x[i] = (float)rng_uniform(&r);
  int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  memcpy(z1, mlp_forward(m, x, B), B * 10 * sizeof *z1);
  omp_set_num_threads(4);
  memcpy(z2, mlp_forward(m, x, B), B * 10 * sizeof *z2);
  cr_expect(memcmp(z1, z2, B * 10 * sizeof *z1) == 0, "1 thread and 4 threads give different logits");
  memcpy(z2, mlp_forward(m, x, B), B * 10 * sizeof *z2);
  cr_expect(memcmp(z1, z2, B * 10 * sizeof *z1) == 0, "the same forward pass twice differs");
  omp_set_num_threads(threads);
  /* a row's logits do not depend on the rest of the batch (up to rounding) */
  for (size_t i = 0; i < B; i += 37) {
    const float *zi = mlp_forward(m, x + i * 784, 1);
    for (int k = 0; k < 10; k++)
      cr_expect(fabsf(zi[k] - z1[i * 10 + k]) <= 1e-5f * fmaxf(1, fabsf(zi[k])), "row %zu logit %d: %g alone, %g in the batch",
                i, k, zi[k], z1[i * 10 + k]);
  }
  /* grads are the same for 1 and 4 threads too */
  uint8_t y[B];
  for (int i = 0; i < B; i++) y[i] = (uint8_t)(i % 10);
  omp_set_num_threads(1);
  double L1 = mlp_loss_grad(m, x, y, B);
  float *g1 = malloc(m->nparams * sizeof *g1);
  memcpy(g1, m->grads, m->nparams * sizeof *g1);
  omp_set_num_threads(4);
  double L2 = mlp_loss_grad(m, x, y, B);
  cr_expect(L1 == L2 && memcmp(g1, m->grads, m->nparams * sizeof *g1) == 0, "gradients depend on the thread count");
  omp_set_num_threads(threads);
  free(g1); free(x); free(z1); free(z2);
  mlp_free(&m);
}

Test(mlp, evaluate)
{
  /* 2500 examples: more than one evaluation batch, and a partial last one */
  const size_t sizes[3] = {6, 10, 4};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r;
  rng_seed(&r, 11, 0);
  mlp_init(m, &r);
  struct dataset d = {0};
  d.n = 2500;
  d.dim = 6;
  d.classes = 4;
  d.x = malloc(d.n * d.dim * sizeof(float));
  d.y = malloc(d.n);
  for (size_t i = 0; i < d.n * d.dim; i++) d.x[i] = (float)rng_normal(&r);
  for (size_t i = 0; i < d.n; i++) d.y[i] = (uint8_t)rng_below(&r, 4);
  double total = 0;
  size_t correct = 0;
  for (size_t i = 0; i < d.n; i++) {
    const float *z = mlp_forward(m, d.x + i * 6, 1);
    total += softmax_xent(z, d.y + i, 1, 4, NULL);
    size_t best = 0;
    for (size_t k = 1; k < 4; k++) if (z[k] > z[best]) best = k;
    correct += best == d.y[i];
  }
  double acc = -1, L = mlp_evaluate(m, &d, &acc);
  cr_expect(fabs(L - total / d.n) <= 1e-6 * fabs(L), "mean loss %.12g, expected %.12g", L, total / d.n);
  cr_expect(fabs(acc - (double)correct / d.n) < 1e-12, "accuracy %g, expected %g", acc, (double)correct / d.n);
  cr_expect(mlp_evaluate(m, &d, NULL) == L, "accuracy may be NULL");
  free(d.x); free(d.y);
  mlp_free(&m);
}

Test(mlp, sgd_learns_a_separable_problem)
{
  /* Four well separated Gaussian blobs in 2-D: SGD through the library's
     optimizer must drive the loss down and classify nearly all points. */
  const size_t sizes[3] = {2, 16, 4};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r;
  rng_seed(&r, 12, 0);
  mlp_init(m, &r);
  enum { N = 400 };
  struct dataset d = {0};
  d.n = N; d.dim = 2; d.classes = 4;
  d.x = malloc(N * 2 * sizeof(float));
  d.y = malloc(N);
  static const float cx[4] = {2, -2, 2, -2}, cy[4] = {2, 2, -2, -2};
  for (int i = 0; i < N; i++) {
    d.y[i] = (uint8_t)(i % 4);
    d.x[2 * i] = cx[i % 4] + (float)(0.5 * rng_normal(&r));
    d.x[2 * i + 1] = cy[i % 4] + (float)(0.5 * rng_normal(&r));
  }
  double acc0, L0 = mlp_evaluate(m, &d, &acc0);
  struct opt_config c;
  opt_defaults("sgd", &c);
  c.lr = 0.1;
  struct optimizer *o = opt_new("sgd", m->nparams, &c);
  struct sampler s;
  sampler_init(&s, N, 20, 5);
  float xb[20 * 2];
  uint8_t yb[20];
  for (int t = 0; t < 400; t++) {
    dataset_gather(&d, sampler_next(&s), 20, xb, yb);
    mlp_loss_grad(m, xb, yb, 20);
    opt_step(o, m->params, m->grads);
  }
  double acc, L = mlp_evaluate(m, &d, &acc);
  cr_expect(L < 0.2 * L0 && L < 0.1, "loss %g -> %g", L0, L);
  cr_expect(acc > 0.98, "accuracy %g (was %g)", acc, acc0);
  sampler_free(&s);
  opt_free(&o);
  free(d.x); free(d.y);
  mlp_free(&m);
}
