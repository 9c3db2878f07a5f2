/* tests/test_beyond.c -- chapter 11: the Newton-Schulz iteration against its scalar
   map, the transpose rule, Muon's adjusted rate and first step derived by hand, the
   AdamW rule for tensors outside group 0, the adjust_lr_fn flag through a state
   file, and the wsd and linear-to-zero schedules.  (Trajectories against PyTorch
   operations are in tests/ref/muon.txt and tests/ref/schedule-{wsd,linear-to-zero}.txt.) */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"
#include "descent-beyond.h"

static double phi_times(double x, int k)
{
  for (int i = 0; i < k; i++) x = 3.4445 * x - 4.7750 * x * x * x + 2.0315 * x * x * x * x * x;
  return x;
}

/* A diagonal matrix stays diagonal: each entry follows phi five times after the
   division by the Frobenius norm. */
Test(beyond, ns_diagonal_follows_the_scalar_map)
{
  float G[9] = {1, 0, 0, 0, 0.5f, 0, 0, 0, 0.1f}, O[9];
  newton_schulz(G, O, 3, 3, 5, 1e-7f);
  const double fro = sqrt(1 + 0.25 + 0.01);
  const double want[3] = {phi_times(1 / fro, 5), phi_times(0.5 / fro, 5), phi_times(0.1 / fro, 5)};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      const double w = i == j ? want[i] : 0.0;
      cr_expect(fabs(O[3 * i + j] - w) < 1e-5, "O[%d][%d] = %g, want %g", i, j, O[3 * i + j], w);
    }
  cr_expect(want[2] > 0.5 && want[0] < 1.3, "the band: %g .. %g", want[2], want[0]);
}

/* A tall matrix is orthogonalized through its transpose: NS(G) = NS(G^T)^T, bit for bit. */
Test(beyond, ns_tall_is_the_transpose_of_wide)
{
  const float G[6] = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 0.9f};  /* 3 x 2 */
  float Gt[6], O[6], Ot[6];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++) Gt[j * 3 + i] = G[i * 2 + j];
  newton_schulz(G, O, 3, 2, 5, 1e-7f);
  newton_schulz(Gt, Ot, 2, 3, 5, 1e-7f);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++) cr_expect(O[i * 2 + j] == Ot[j * 3 + i]);
  double sv[2];
  singular_values(O, 3, 2, sv);
  cr_expect(sv[0] > 0.6 && sv[0] < 1.25 && sv[1] > 0.6 && sv[1] < 1.25,
            "singular values after NS5: %g %g", sv[0], sv[1]);
}

Test(beyond, singular_values_of_a_known_matrix)
{
  /* [[3, 0], [4, 5]] has singular values 3 sqrt 5 and sqrt 5 */
  const float G[4] = {3, 0, 4, 5};
  double sv[2];
  singular_values(G, 2, 2, sv);
  cr_expect(fabs(sv[0] - 3 * sqrt(5)) < 1e-9 && fabs(sv[1] - sqrt(5)) < 1e-9, "%g %g", sv[0], sv[1]);
}

Test(beyond, adjusted_rates)
{
  cr_expect(fabs(muon_adjusted_lr(0.1, 0, 6, 2) - 0.1 * sqrt(3)) < 1e-15);
  cr_expect(muon_adjusted_lr(0.1, 0, 2, 6) == 0.1);
  cr_expect(fabs(muon_adjusted_lr(0.1, 1, 2, 6) - 0.02 * sqrt(6)) < 1e-15);
  cr_expect(fabs(muon_adjusted_lr(0.1, 1, 9, 4) - 0.06) < 1e-15);
}

/* A 1 x 2 matrix: the Gram matrix is 1 x 1, so the first step moves p by
   -lr phi^5(1) g/|g| after the decay p(1 - lr wd), whatever the momentum. */
Test(beyond, first_muon_step_by_hand)
{
  struct opt_config c;
  cr_assert(opt_defaults("muon", &c));
  cr_expect(c.lr == 1e-3 && c.weight_decay == 0.1 && c.momentum == 0.95 && c.nesterov
            && c.eps == 1e-7 && c.adjust_lr_fn == 0);
  c.lr = 0.05;
  struct layout *L = layout_new();
  const size_t shape[2] = {1, 2};
  layout_add(L, "m", 2, shape, 0);
  struct optimizer *o = opt_new_layout("muon", L, &c);
  float p[2] = {1.0f, -2.0f};
  const float g[2] = {3.0f, 4.0f};
  opt_step(o, p, g);
  const double s = 0.05 * phi_times(1.0, 5);
  const double want[2] = {1.0 * (1 - 0.05 * 0.1) - s * 0.6, -2.0 * (1 - 0.05 * 0.1) - s * 0.8};
  for (int i = 0; i < 2; i++) cr_expect(fabs(p[i] - want[i]) < 2e-6, "p[%d] = %.9g, want %.9g", i, p[i], want[i]);
  cr_expect(opt_nstate(o) == 3);
  cr_expect(fabs(opt_state(o, 0)[0] - 0.15f) < 1e-7, "the buffer is an average: 0.05 g");
  opt_free(&o);
  layout_free(&L);
}

/* Tensors outside group 0, and 1-D tensors, get AdamW: the first step moves each
   coordinate by about lr (the group's own) against its gradient. */
Test(beyond, other_tensors_get_adamw)
{
  struct opt_config c;
  cr_assert(opt_defaults("muon", &c));
  c.lr = 0.02; c.weight_decay = 0;
  struct layout *L = layout_new();
  const size_t sh[2] = {2, 2}, three = 3;
  layout_add(L, "W", 2, sh, 0);
  layout_add(L, "b", 1, &three, 0);
  const unsigned g1 = layout_add_group(L, 0.001, 0.0);
  layout_add(L, "head", 2, sh, g1);
  struct optimizer *o = opt_new_layout("muon", L, &c);
  float p[11] = {0}, g[11];
  for (int i = 0; i < 11; i++) g[i] = (i % 2 ? 1.0f : -2.0f) * (float)(i + 1);
  opt_step(o, p, g);
  for (int i = 4; i < 7; i++)
    cr_expect(fabs(p[i] + 0.02f * (g[i] > 0 ? 1 : -1)) < 1e-6, "bias %d moved %g", i, p[i]);
  for (int i = 7; i < 11; i++)
    cr_expect(fabs(p[i] + 0.001f * (g[i] > 0 ? 1 : -1)) < 1e-7, "head %d moved %g", i, p[i]);
  cr_expect(opt_state(o, 0)[4] == 0 && opt_state(o, 1)[0] == 0,
            "each rule keeps its own state only");
  opt_free(&o);
  layout_free(&L);
}

Test(beyond, rejects_and_keeps_adjust_lr_fn)
{
  struct opt_config c;
  cr_assert(opt_defaults("muon", &c));
  char msg[128] = "";
  c.momentum = -0.1;
  cr_expect(opt_check("muon", &c, msg, sizeof msg) != 0 && strstr(msg, "momentum"));
  c.momentum = 0.9; c.adjust_lr_fn = 2;
  cr_expect(opt_check("muon", &c, msg, sizeof msg) != 0);
  c.adjust_lr_fn = 1;
  cr_assert(opt_check("muon", &c, msg, sizeof msg) == 0);
  cr_expect(opt_takes("muon", "adjust-lr-fn") && !opt_takes("muon", "betas"));
  char *dir = tmp_dir(), path[512];
  snprintf(path, sizeof path, "%s/muon.opt", dir);
  struct optimizer *o = opt_new("muon", 4, &c);
  float p[4] = {1, 2, 3, 4}, g[4] = {1, -1, 1, -1};
  opt_step(o, p, g);
  cr_assert(opt_save(o, path) == 0);
  struct opt_config d;
  opt_defaults("muon", &d);
  struct optimizer *q = opt_new("muon", 4, &d);
  cr_assert(opt_load(q, path, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(q->c.adjust_lr_fn == 1 && q->c.momentum == 0.9 && opt_steps(q) == 1);
  opt_free(&o); opt_free(&q);
  rm_tree(dir);
}

static double value_at(const char *kind, const struct sched_config *c, long t)
{
  struct schedule *s = sched_new(kind, c);
  for (long u = 0; u < t; u++) sched_step(s, NULL, 0);
  const double v = sched_lr(s, NULL);
  sched_free(&s);
  return v;
}

Test(beyond, wsd_values)
{
  struct sched_config c;
  cr_assert(sched_defaults("wsd", &c));
  c.lr = 1; c.warmup_steps = 2; c.total_steps = 10; c.total_iters = 4; c.eta_min = 0.1;
  cr_assert(sched_check("wsd", &c, NULL, 0) == 0);
  const double want[12] = {0, 0.5, 1, 1, 1, 1, 1, 0.775, 0.55, 0.325, 0.1, 0.1};
  for (long t = 0; t < 12; t++)
    cr_expect(fabs(value_at("wsd", &c, t) - want[t]) < 1e-15, "t = %ld: %g", t, value_at("wsd", &c, t));
  c.total_iters = 9;
  cr_expect(sched_check("wsd", &c, NULL, 0) != 0, "a decay longer than the run after warmup");
  c.total_iters = 0;
  cr_expect(value_at("wsd", &c, 9) == 1, "no decay: constant after the warmup");
}

Test(beyond, linear_to_zero_values)
{
  struct sched_config c;
  cr_assert(sched_defaults("linear-to-zero", &c));
  c.lr = 2; c.total_steps = 4;
  const double want[6] = {2, 1.5, 1, 0.5, 0, 0};
  for (long t = 0; t < 6; t++) cr_expect(value_at("linear-to-zero", &c, t) == want[t]);
  c.warmup_steps = 4;
  cr_expect(sched_check("linear-to-zero", &c, NULL, 0) != 0);
  cr_expect(!sched_takes("linear-to-zero", "total-iters") && sched_takes("wsd", "total-iters"));
}

/* Schedule-free AdamW, first step by hand: c_1 = 1, so x = z after it;
   gamma_1 = lr sqrt(1 - beta2) (no warmup), v = (1 - beta2) g^2, and
   z = p - gamma_1 g / (sqrt(v) + eps); y = beta1 x + (1 - beta1) z = z. */
Test(beyond, schedulefree_first_step_by_hand)
{
  struct opt_config c;
  cr_assert(opt_defaults("adamw-schedulefree", &c));
  cr_expect(c.lr == 0.0025 && c.beta1 == 0.9 && c.beta2 == 0.999 && c.eps == 1e-8
            && c.weight_decay == 0 && c.warmup_steps == 0 && c.r == 0 && c.weight_lr_power == 2);
  c.lr = 0.1;
  struct optimizer *o = opt_new("adamw-schedulefree", 2, &c);
  float p[2] = {1.0f, -2.0f}, x[2];
  const float g[2] = {0.5f, -0.25f};
  opt_step(o, p, g);
  schedulefree_eval_point(o, p, x);
  const double gamma = 0.1 * sqrt(1 - 0.999);
  for (int i = 0; i < 2; i++) {
    const double v = 0.001 * g[i] * g[i];
    const double want = (i ? -2.0 : 1.0) - gamma * g[i] / (sqrt(v) + 1e-8);
    cr_expect(fabs(x[i] - want) < 1e-6 && fabs(p[i] - want) < 1e-6, "x %g y %g want %g",
              x[i], p[i], want);
  }
  opt_free(&o);
}

/* The weights of the average: with P = 0 and r = 0 every step weighs 1, so c_t = 1/t;
   during a warmup with P = 2 they follow gamma_t^2 / sum gamma_j^2. */
Test(beyond, schedulefree_weights)
{
  for (uint64_t t = 1; t < 50; t++)
    cr_expect(fabs(schedulefree_weight(0.01, 0.999, 0, 0, 0, t) - 1.0 / (double)t) < 1e-15);
  double sum = 0;
  for (uint64_t t = 1; t <= 10; t++) {
    const double gm = 0.01 * (double)t / 10 * sqrt(1 - pow(0.999, (double)t));
    sum += gm * gm;
    cr_expect(fabs(schedulefree_weight(0.01, 0.999, 10, 0, 2, t) - gm * gm / sum) < 1e-12,
              "t = %d", (int)t);
  }
  cr_expect(schedulefree_weight(0.0, 0.999, 0, 0, 2, 5) == 0.0, "lr 0: the sum is 0, c = 0");
}

/* The replay-facing checks: the options the kind takes, and its refusals. */
Test(beyond, schedulefree_options_and_checks)
{
  cr_expect(opt_takes("adamw-schedulefree", "warmup-steps") && opt_takes("adamw-schedulefree", "r")
            && opt_takes("adamw-schedulefree", "weight-lr-power")
            && !opt_takes("adamw-schedulefree", "momentum") && !opt_takes("adamw", "r"));
  struct opt_config c;
  opt_defaults("adamw-schedulefree", &c);
  char msg[256];
  struct opt_config b = c; b.warmup_steps = -1;
  cr_expect(opt_check("adamw-schedulefree", &b, msg, sizeof msg) != 0);
  b = c; b.r = -0.5;
  cr_expect(opt_check("adamw-schedulefree", &b, msg, sizeof msg) != 0);
  b = c; b.weight_lr_power = NAN;
  cr_expect(opt_check("adamw-schedulefree", &b, msg, sizeof msg) != 0);
  b = c; b.beta1 = 1;
  cr_expect(opt_check("adamw-schedulefree", &b, msg, sizeof msg) != 0);
  b = c; b.warmup_steps = 7; b.r = 0.5; b.weight_lr_power = 1.5;
  cr_expect(opt_check("adamw-schedulefree", &b, msg, sizeof msg) == 0, "%s", msg);
}

/* Its configuration and state survive a state file (format 02): the r, power and
   warmup are in the file, and the resumed run is bit for bit the unbroken one. */
Test(beyond, schedulefree_resumes_exactly)
{
  struct opt_config c;
  opt_defaults("adamw-schedulefree", &c);
  c.lr = 0.05; c.warmup_steps = 3; c.r = 0.5; c.weight_lr_power = 1.5; c.weight_decay = 0.01;
  struct optimizer *a = opt_new("adamw-schedulefree", 3, &c), *b;
  float pa[3] = {1, 2, 3}, pb[3];
  struct rng r;
  rng_seed(&r, 7, 0);
  float g[20][3];
  for (int s = 0; s < 20; s++)
    for (int i = 0; i < 3; i++) g[s][i] = (float)rng_normal(&r);
  for (int s = 0; s < 8; s++) opt_step(a, pa, g[s]);
  char *dir = tmp_dir(), path[4200];
  snprintf(path, sizeof path, "%s/sf.state", dir);
  cr_assert(opt_save(a, path) == 0);
  struct opt_config d;
  opt_defaults("adamw-schedulefree", &d);
  b = opt_new("adamw-schedulefree", 3, &d);
  char msg[256];
  cr_assert(opt_load(b, path, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(b->c.warmup_steps == 3 && b->c.r == 0.5 && b->c.weight_lr_power == 1.5);
  memcpy(pb, pa, sizeof pa);
  for (int s = 8; s < 20; s++) { opt_step(a, pa, g[s]); opt_step(b, pb, g[s]); }
  cr_expect(memcmp(pa, pb, sizeof pa) == 0, "the resumed run differs");
  opt_free(&a); opt_free(&b);
  rm_tree(dir);
}

/* Kind names are stored in 15 bytes: no two kinds may agree in their first 15. */
Test(beyond, kind_names_differ_in_fifteen_bytes)
{
  char names[256];
  snprintf(names, sizeof names, "%s", opt_names());
  char *w[32]; int n = 0;
  for (char *s = strtok(names, " "); s && n < 32; s = strtok(NULL, " ")) w[n++] = s;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) cr_expect(strncmp(w[i], w[j], 15) != 0, "%s %s", w[i], w[j]);
}

/* The maps: 256 sorted values, 0 and 1 among them, symmetric for the signed one but
   for its missing -1; the linear ones evenly spaced. */
Test(beyond, q8_maps)
{
  float s[256], u[256], l[256];
  q8_map(true, false, s); q8_map(false, false, u); q8_map(true, true, l);
  for (int i = 1; i < 256; i++) cr_expect(s[i] > s[i - 1] && u[i] > u[i - 1] && l[i] > l[i - 1]);
  cr_expect(s[255] == 1.0f && u[255] == 1.0f && u[0] == 0.0f && s[0] > -1.0f && s[0] < -0.99f);
  cr_expect(u[1] > 0 && u[1] < 1e-6f, "the smallest unsigned code %g", u[1]);
  cr_expect(l[0] == -1.0f && l[127] == 0.0f && l[254] == 1.0f);
}

/* Round trip within the code's bound: each value comes back within half the gap of
   the two codes around x/absmax (or the distance to the end code), times absmax. */
Test(beyond, q8_round_trip_within_the_bound)
{
  enum { n = 5000, B = 256 };
  static float x[n], y[n], absmax[(n + B - 1) / B];
  static unsigned char q[n];
  struct rng r;
  rng_seed(&r, 11, 0);
  for (int kind = 0; kind < 3; kind++) {
    const bool sgn = kind != 1;
    float code[256];
    q8_map(sgn, kind == 2, code);
    for (int i = 0; i < n; i++) {
      const double e = rng_normal(&r);
      x[i] = (float)(exp(4 * rng_normal(&r)) * (sgn ? e : e * e));
    }
    q8_quantize(code, x, n, B, q, absmax);
    q8_dequantize(code, q, absmax, n, B, y);
    int bad = 0;
    for (int i = 0; i < n; i++) {
      const float M = absmax[i / B], u = x[i] / M;
      int k = 0;
      while (k < 255 && code[k + 1] < u) k++;
      double h = u <= code[0] ? code[0] - u : u >= code[255] ? u - code[255]
               : (code[k + 1] - code[k]) / 2.0;
      bad += fabs((double)y[i] - x[i]) > h * M * (1 + 1e-5) + 1e-30;
    }
    cr_expect(bad == 0, "map %d: %d values outside the bound", kind, bad);
  }
}

/* Eight-bit AdamW tracks fp32 AdamW: the same hyperparameters, 300 steps on a noisy
   quadratic of 3000 parameters (two blocks of 2048), the same noise.  Measured
   (seed 5): the two end 2.4 apart, 2.7% of the 89 that fp32 travelled, and at
   distances 40.95 (8-bit) and 41.52 (fp32) from the minimum.  The test asks for
   under 5% of the distance travelled, and distances to the minimum within 2%. */
Test(beyond, adam8_tracks_fp32_adamw)
{
  enum { n = 3000 };
  static float p8[n], p32[n], p0[n], g[n], g8[n], target[n];
  struct rng r;
  rng_seed(&r, 5, 0);
  for (int i = 0; i < n; i++) {
    target[i] = (float)rng_normal(&r);
    p0[i] = p8[i] = p32[i] = (float)(2 * rng_normal(&r));
  }
  struct opt_config c;
  opt_defaults("adamw", &c);
  c.lr = 0.01; c.weight_decay = 0.01;
  struct optimizer *o = opt_new("adamw", n, &c);
  struct adam8_state *A = adam8_new(n, 2048, 0.9, 0.999, 1e-8, false);
  cr_expect(adam8_bytes(A) == 2 * n + 2 * 2 * sizeof(float));
  for (int s = 0; s < 300; s++) {
    for (int i = 0; i < n; i++) {
      const float noise = (float)(0.1 * rng_normal(&r));
      g[i] = (1 + i % 7) * (p32[i] - target[i]) + noise;
      g8[i] = (1 + i % 7) * (p8[i] - target[i]) + noise;
    }
    opt_step(o, p32, g);
    adam8_step(A, p8, g8, 0.01, 0.01);
  }
  double apart = 0, travel = 0, d32 = 0, d8 = 0;
  for (int i = 0; i < n; i++) {
    apart += (p8[i] - p32[i]) * (p8[i] - p32[i]);
    travel += (p32[i] - p0[i]) * (p32[i] - p0[i]);
    d32 += (p32[i] - target[i]) * (p32[i] - target[i]);
    d8 += (p8[i] - target[i]) * (p8[i] - target[i]);
  }
  apart = sqrt(apart); travel = sqrt(travel); d32 = sqrt(d32); d8 = sqrt(d8);
  cr_expect(apart < 0.05 * travel, "8-bit and fp32 %g apart, fp32 travelled %g", apart, travel);
  cr_expect(fabs(d8 - d32) < 0.02 * d32, "distances to the minimum: 8-bit %g, fp32 %g", d8, d32);
  adam8_free(&A); opt_free(&o);
}
