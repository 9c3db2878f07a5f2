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
