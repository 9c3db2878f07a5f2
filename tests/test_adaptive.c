/* tests/test_adaptive.c -- Adagrad, RMSprop, Adam and AdamW: first steps and
   state derived by hand from reference-semantics.md (section 1), each chosen so
   that one of the slips listed there would fail it.  (Defaults, validation and
   save/load of every kind are in test_opt.c; trajectories against PyTorch
   itself in tests/ref and tools/torch-check.py.) */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

static struct optimizer *make(const char *name, size_t n, struct opt_config *c)
{
  char msg[256] = "";
  cr_assert(opt_check(name, c, msg, sizeof msg) == 0, "%s: config refused: %s", name, msg);
  return opt_new(name, n, c);
}

static struct opt_config defaults(const char *name)
{
  struct opt_config c;
  cr_assert(opt_defaults(name, &c));
  return c;
}

/* |got - want| <= rel * |want| (want != 0) */
static bool near(double got, double want, double rel)
{
  return fabs(got - want) <= rel * fabs(want);
}

/* -- Adagrad ------------------------------------------------------------------ */

Test(adaptive, adagrad_first_step_is_lr_sign_g)
{
  /* s = 0 + g^2, p -= lr g / (|g| + 1e-10): lr sign(g) whatever |g| */
  struct opt_config c = defaults("adagrad");
  c.lr = 0.1;
  const float g[5] = {0.3f, -2.0f, 1e-3f, 50.0f, 0.0f};
  float p[5] = {0, 0, 0, 0, 1};
  struct optimizer *o = make("adagrad", 5, &c);
  cr_assert_eq(opt_nstate(o), 1);
  opt_step(o, p, g);
  for (int i = 0; i < 4; i++) {
    double want = -0.1 * g[i] / (fabs(g[i]) + 1e-10);
    cr_expect(near(p[i], want, 1e-6), "p[%d] = %.9g, want %.9g", i, p[i], want);
    cr_expect(opt_state(o, 0)[i] == g[i] * g[i], "sum of squares[%d] = %.9g", i, opt_state(o, 0)[i]);
  }
  cr_expect(p[4] == 1.0f, "a zero gradient moves nothing: %.9g", p[4]);
  opt_free(&o);
}

Test(adaptive, adagrad_initial_accumulator_is_not_squared)
{
  /* initial_accumulator_value 0.75, g = 0.5: s = 0.75 + 0.25 = 1, p moves by
     lr * 0.5 / 1 (squaring the value would give s = 0.8125 and 0.555 lr) */
  struct opt_config c = defaults("adagrad");
  c.lr = 0.2; c.initial_accumulator_value = 0.75;
  struct optimizer *o = make("adagrad", 2, &c);
  cr_expect(opt_state(o, 0)[0] == 0.75f && opt_state(o, 0)[1] == 0.75f,
            "the sum starts at initial_accumulator_value: %.9g", opt_state(o, 0)[0]);
  float p[2] = {1.0f, -1.0f};
  const float g[2] = {0.5f, -0.5f};
  opt_step(o, p, g);
  cr_expect(opt_state(o, 0)[0] == 1.0f, "s = %.9g, want 1", opt_state(o, 0)[0]);
  cr_expect(near(p[0], 0.9, 1e-6) && near(p[1], -0.9, 1e-6), "p = %.9g %.9g, want 0.9 -0.9", p[0], p[1]);
  opt_free(&o);
}

Test(adaptive, adagrad_lr_decay_uses_t_minus_1)
{
  /* g = 1 every step: s_t = t, step t moves by lr / (1 + (t - 1) lr_decay) / sqrt(t);
     step 1 uses the full lr (using t instead of t - 1 fails every step) */
  struct opt_config c = defaults("adagrad");
  c.lr = 0.1; c.lr_decay = 0.5;
  struct optimizer *o = make("adagrad", 1, &c);
  float p[1] = {0.0f};
  const float g[1] = {1.0f};
  for (int t = 1; t <= 6; t++) {
    float before = p[0];
    opt_step(o, p, g);
    double want = -0.1 / (1 + (t - 1) * 0.5) / sqrt(t);
    cr_expect(near(p[0] - before, want, 2e-6), "step %d moves by %.9g, want %.9g", t,
              p[0] - before, want);
  }
  opt_free(&o);
}

Test(adaptive, adagrad_eps_outside_the_root)
{
  /* eps 0.01, g = 0.1: den = sqrt(0.01) + 0.01 = 0.11 (inside: sqrt(0.02) = 0.141) */
  struct opt_config c = defaults("adagrad");
  c.lr = 1.0; c.eps = 0.01;
  struct optimizer *o = make("adagrad", 1, &c);
  float p[1] = {0.0f};
  const float g[1] = {0.1f};
  opt_step(o, p, g);
  cr_expect(near(p[0], -0.1 / 0.11, 1e-6), "p = %.9g, want %.9g", p[0], -0.1 / 0.11);
  opt_free(&o);
}

/* -- RMSprop ------------------------------------------------------------------ */

Test(adaptive, rmsprop_first_step_is_ten_lr)
{
  /* alpha 0.99, no bias correction: v = 0.01 g^2, den = 0.1 |g| + 1e-8, so the
     first step is about 10 lr sign(g); reference-semantics.md ran lr 0.01,
     g 0.3: p moves by -0.09999996 */
  struct opt_config c = defaults("rmsprop");
  const float g[4] = {0.3f, -2.0f, 1e-3f, 0.0f};
  float p[4] = {0, 0, 0, 5};
  struct optimizer *o = make("rmsprop", 4, &c);
  cr_assert_eq(opt_nstate(o), 1, "plain RMSprop keeps one vector, not %zu", opt_nstate(o));
  opt_step(o, p, g);
  cr_expect(fabs(p[0] + 0.09999996) < 2e-8, "g 0.3: p = %.9g, want -0.09999996", p[0]);
  for (int i = 0; i < 3; i++) {
    double want = -0.01 * g[i] / (sqrt(0.01 * (double)g[i] * g[i]) + 1e-8);
    cr_expect(near(p[i], want, 1e-6), "p[%d] = %.9g, want %.9g", i, p[i], want);
  }
  cr_expect(p[3] == 5.0f, "a zero gradient moves nothing: %.9g", p[3]);
  opt_free(&o);
}

Test(adaptive, rmsprop_alpha_weights_the_old_average)
{
  /* alpha 0.75, d = 0.5 twice: v1 = 0.25 * 0.25 = 0.0625,
     v2 = 0.75 * 0.0625 + 0.25 * 0.25 = 0.109375 (exact in float32) */
  struct opt_config c = defaults("rmsprop");
  c.alpha = 0.75; c.lr = 0.01;
  struct optimizer *o = make("rmsprop", 1, &c);
  float p[1] = {0.0f};
  const float g[1] = {0.5f};
  opt_step(o, p, g);
  cr_expect(opt_state(o, 0)[0] == 0.0625f, "v after step 1: %.9g, want 0.0625", opt_state(o, 0)[0]);
  cr_expect(near(p[0], -0.01 * 0.5 / (0.25 + 1e-8), 1e-6), "p = %.9g", p[0]);
  opt_step(o, p, g);
  cr_expect(opt_state(o, 0)[0] == 0.109375f, "v after step 2: %.9g, want 0.109375", opt_state(o, 0)[0]);
  opt_free(&o);
}

Test(adaptive, rmsprop_centered_and_momentum_layout)
{
  /* alpha 0.75, momentum 0.5, centered, d = 0.5 then -0.5:
     step 1: v = 0.0625, a = 0.125, den = sqrt(0.0625 - 0.015625) + eps, b = d / den;
     step 2: v = 0.109375, a = 0.75 * 0.125 - 0.125 = -0.03125,
             den = sqrt(0.109375 - 0.0009765625) + eps, b = 0.5 b1 + d / den.
     Layout: [0] v, [1] a, [2] b; p moves by -lr b. */
  struct opt_config c = defaults("rmsprop");
  c.alpha = 0.75; c.momentum = 0.5; c.centered = true; c.lr = 0.01;
  struct optimizer *o = make("rmsprop", 1, &c);
  cr_assert_eq(opt_nstate(o), 3, "centered with momentum: 3 vectors, not %zu", opt_nstate(o));
  float p[1] = {1.0f};
  const float g1[1] = {0.5f}, g2[1] = {-0.5f};
  opt_step(o, p, g1);
  double b1 = 0.5 / (sqrt(0.0625 - 0.015625) + 1e-8);
  cr_expect(opt_state(o, 0)[0] == 0.0625f && opt_state(o, 1)[0] == 0.125f,
            "step 1: v %.9g a %.9g, want 0.0625 0.125", opt_state(o, 0)[0], opt_state(o, 1)[0]);
  cr_expect(near(opt_state(o, 2)[0], b1, 1e-6), "step 1: b %.9g, want %.9g", opt_state(o, 2)[0], b1);
  cr_expect(near(p[0], 1 - 0.01 * b1, 1e-6), "step 1: p %.9g", p[0]);
  opt_step(o, p, g2);
  double b2 = 0.5 * b1 - 0.5 / (sqrt(0.109375 - 0.0009765625) + 1e-8);
  cr_expect(opt_state(o, 0)[0] == 0.109375f && opt_state(o, 1)[0] == -0.03125f,
            "step 2: v %.9g a %.9g", opt_state(o, 0)[0], opt_state(o, 1)[0]);
  cr_expect(near(opt_state(o, 2)[0], b2, 1e-6), "step 2: b %.9g, want %.9g", opt_state(o, 2)[0], b2);
  cr_expect(near(p[0], 1 - 0.01 * b1 - 0.01 * b2, 1e-6), "step 2: p %.9g", p[0]);
  opt_free(&o);

  /* the other layouts: centered alone [v, a]; momentum alone [v, b] */
  c = defaults("rmsprop");
  c.alpha = 0.75; c.centered = true;
  o = make("rmsprop", 1, &c);
  cr_assert_eq(opt_nstate(o), 2);
  p[0] = 0.0f;
  opt_step(o, p, g1);
  cr_expect(opt_state(o, 1)[0] == 0.125f, "centered: [1] = %.9g, want the mean 0.125", opt_state(o, 1)[0]);
  /* centered, first step: den = sqrt(alpha (1 - alpha)) |d| (10.05 lr for alpha 0.99) */
  cr_expect(near(p[0], -0.01 * 0.5 / (sqrt(0.046875) + 1e-8), 1e-6), "centered: p %.9g", p[0]);
  opt_free(&o);
  c = defaults("rmsprop");
  c.alpha = 0.75; c.momentum = 0.25;
  o = make("rmsprop", 1, &c);
  cr_assert_eq(opt_nstate(o), 2);
  p[0] = 0.0f;
  opt_step(o, p, g1);
  cr_expect(near(opt_state(o, 1)[0], 0.5 / (0.25 + 1e-8), 1e-6),
            "momentum: [1] = %.9g, want the buffer d/den = 2", opt_state(o, 1)[0]);
  opt_free(&o);
}

/* -- Adam and AdamW --------------------------------------------------------- */

Test(adaptive, adam_first_step_is_lr_sign_g)
{
  /* with bias correction, step 1 is lr g / (|g| + eps): lr sign(g) */
  const char *kinds[2] = {"adam", "adamw"};
  for (int k = 0; k < 2; k++) {
    struct opt_config c = defaults(kinds[k]);
    c.weight_decay = 0;
    const float g[5] = {0.3f, -2.0f, 1e-3f, 50.0f, 0.0f};
    float p[5] = {0, 0, 0, 0, 0};
    struct optimizer *o = make(kinds[k], 5, &c);
    cr_assert_eq(opt_nstate(o), 2);
    opt_step(o, p, g);
    for (int i = 0; i < 4; i++) {
      double want = -1e-3 * g[i] / (fabs(g[i]) + 1e-8);
      cr_expect(near(p[i], want, 2e-6), "%s: p[%d] = %.9g, want %.9g", kinds[k], i, p[i], want);
      /* m = (1 - beta1) g and v = (1 - beta2) g g, the factors rounded to float32 once */
      cr_expect(ulp_diff(opt_state(o, 0)[i], (float)(1 - 0.9) * g[i]) <= 1, "%s: m[%d] = %.9g",
                kinds[k], i, opt_state(o, 0)[i]);
      cr_expect(ulp_diff(opt_state(o, 1)[i], (float)(1 - 0.999) * g[i] * g[i]) <= 1, "%s: v[%d] = %.9g",
                kinds[k], i, opt_state(o, 1)[i]);
    }
    cr_expect(p[4] == 0.0f, "%s: a zero gradient moves nothing: %.9g", kinds[k], p[4]);
    opt_free(&o);
  }
}

Test(adaptive, adam_constant_gradient_moves_lr_each_step)
{
  /* A constant gradient makes the bias-corrected moments exactly g and g^2, so
     every step moves by lr |g| / (|g| + eps).  At |g| = 1e-3 this tells eps
     outside sqrt(v_hat) (1e-5 short of lr) from eps inside it (0.5% short) and
     from Kingma & Ba's folded form, eps added to the uncorrected root (3e-4
     short at t = 1); without bias correction step 1 would be 3.2 lr. */
  struct opt_config c = defaults("adam");
  c.lr = 0.01;
  const float g[2] = {1e-3f, -5.0f};
  float p[2] = {0, 0};
  struct optimizer *o = make("adam", 2, &c);
  for (int t = 1; t <= 25; t++) {
    float before[2] = {p[0], p[1]};
    opt_step(o, p, g);
    for (int i = 0; i < 2; i++) {
      double want = -0.01 * g[i] / (fabs(g[i]) + 1e-8);
      cr_expect(near(p[i] - before[i], want, 5e-6), "step %d: p[%d] moves by %.9g, want %.9g", t, i,
                p[i] - before[i], want);
    }
  }
  cr_expect(opt_steps(o) == 25);
  opt_free(&o);
}

Test(adaptive, adam_l2_inside_adamw_decoupled)
{
  /* p = 1, g = -0.1, lr 0.1, weight_decay 0.5.
     Adam:  d = -0.1 + 0.5 = 0.4 > 0, so p moves DOWN by lr: 0.9.
     AdamW: p = 1 * (1 - 0.05) = 0.95, then d = -0.1 moves it UP by lr: 1.05. */
  struct opt_config c = defaults("adam");
  c.lr = 0.1; c.weight_decay = 0.5;
  float p[1] = {1.0f};
  const float g[1] = {-0.1f};
  struct optimizer *o = make("adam", 1, &c);
  opt_step(o, p, g);
  cr_expect(near(p[0], 1 - 0.1 * 0.4 / (0.4 + 1e-8), 1e-6), "adam: p = %.9g, want 0.9", p[0]);
  cr_expect(ulp_diff(opt_state(o, 0)[0], (float)(1 - 0.9) * 0.4f) <= 2,
            "adam: the decay is inside the moments: m = %.9g, want 0.04", opt_state(o, 0)[0]);
  opt_free(&o);
  c = defaults("adamw");
  c.lr = 0.1; c.weight_decay = 0.5;
  p[0] = 1.0f;
  o = make("adamw", 1, &c);
  opt_step(o, p, g);
  cr_expect(near(p[0], 0.95 + 0.1 * 0.1 / (0.1 + 1e-8), 1e-6), "adamw: p = %.9g, want 1.05", p[0]);
  cr_expect(ulp_diff(opt_state(o, 0)[0], (float)(1 - 0.9) * -0.1f) <= 1,
            "adamw: the moments see the gradient only: m = %.9g, want -0.01", opt_state(o, 0)[0]);
  opt_free(&o);
}

Test(adaptive, adamw_default_decay_scaled_by_lr)
{
  /* weight_decay left at AdamW's default 0.01: p = 2 (1 - 0.1 * 0.01) - 0.1 = 1.898
     (forgetting the default gives 1.9; decaying by (1 - wd) gives 1.88) */
  struct opt_config c = defaults("adamw");
  c.lr = 0.1;
  float p[1] = {2.0f};
  const float g[1] = {1.0f};
  struct optimizer *o = make("adamw", 1, &c);
  opt_step(o, p, g);
  cr_expect(near(p[0], 2 * (1 - 0.001) - 0.1 / (1 + 1e-8), 1e-6), "p = %.9g, want 1.898", p[0]);
  opt_free(&o);
  /* lr 0: no decay and no step, but the moments move */
  c.lr = 0.0;
  p[0] = 2.0f;
  o = make("adamw", 1, &c);
  opt_step(o, p, g);
  cr_expect(p[0] == 2.0f && opt_state(o, 0)[0] != 0.0f, "lr 0: p = %.9g, m = %.9g", p[0],
            opt_state(o, 0)[0]);
  opt_free(&o);
}

Test(adaptive, adam_amsgrad_keeps_the_max_of_raw_v)
{
  /* g = 10 then 0.1 (lr 0.01, betas 0.9, 0.999): v1 = 0.1, v2 = 0.09991 < v1, so
     vmax = v1 (the raw second moment), divided by the CURRENT sqrt(1 - 0.999^2):
     den = sqrt(0.1) / sqrt(0.001999) + eps = 7.073; m2 = 0.91, step size lr / 0.19.
     (Without AMSGrad den = 7.070; the max of the corrected v_hat gives den = 10.) */
  const char *kinds[2] = {"adam", "adamw"};
  for (int k = 0; k < 2; k++) {
    struct opt_config c = defaults(kinds[k]);
    c.lr = 0.01; c.amsgrad = true; c.weight_decay = 0;
    struct optimizer *o = make(kinds[k], 1, &c);
    cr_assert_eq(opt_nstate(o), 3, "%s amsgrad: 3 vectors, not %zu", kinds[k], opt_nstate(o));
    float p[1] = {0.0f};
    const float g1[1] = {10.0f}, g2[1] = {0.1f};
    opt_step(o, p, g1);
    float v1 = opt_state(o, 1)[0];
    cr_expect(opt_state(o, 2)[0] == v1, "%s: after step 1 the max is v: %.9g vs %.9g", kinds[k],
              opt_state(o, 2)[0], v1);
    float p1 = p[0];
    opt_step(o, p, g2);
    cr_expect(opt_state(o, 2)[0] == v1 && opt_state(o, 1)[0] < v1,
              "%s: after step 2 the max should still be v1 = %.9g: max %.9g, v %.9g", kinds[k], v1,
              opt_state(o, 2)[0], opt_state(o, 1)[0]);
    double m2 = 0.9 * 1.0 + 0.1 * 0.1, bc1 = 1 - 0.9 * 0.9, bc2 = 1 - 0.999 * 0.999;
    double want = -0.01 / bc1 * m2 / (sqrt(0.1) / sqrt(bc2) + 1e-8);
    cr_expect(near(p[0] - p1, want, 1e-5), "%s: step 2 moves by %.9g, want %.9g", kinds[k],
              p[0] - p1, want);
    opt_free(&o);
  }
}

Test(adaptive, adam_follows_lr_changes)
{
  /* the step size lr / (1 - beta1^t) is taken from the current lr at each step */
  struct opt_config c = defaults("adam");
  c.lr = 0.01;
  struct optimizer *o = make("adam", 1, &c);
  float p[1] = {0.0f};
  const float g[1] = {1.0f};
  opt_step(o, p, g);
  opt_set_lr(o, 0.0);
  float p1 = p[0], m1 = opt_state(o, 0)[0];
  opt_step(o, p, g);
  cr_expect(p[0] == p1, "lr 0 moves nothing: %.9g -> %.9g", p1, p[0]);
  cr_expect(opt_state(o, 0)[0] != m1 && opt_steps(o) == 2, "but the moments and t go on");
  opt_set_lr(o, 0.02);
  opt_step(o, p, g);
  cr_expect(near(p[0] - p1, -0.02 / (1 + 1e-8), 1e-5), "step 3 with lr 0.02 moves by %.9g",
            p[0] - p1);
  opt_free(&o);
}
