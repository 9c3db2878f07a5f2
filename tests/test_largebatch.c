/* tests/test_largebatch.c -- Lion, LARS and LAMB (chapter 7): first steps derived
   by hand from reference-semantics.md section 2, each chosen so that one of the
   slips named there would fail it; per-tensor trust ratios over a layout; the
   constructors' rejections.  (Trajectories against PyTorch operations are in
   tests/ref/{lion,lars,lamb}.txt and tools/torch-check.py.) */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

static struct opt_config lb_defaults(const char *name)
{
  struct opt_config c;
  cr_assert(opt_defaults(name, &c));
  return c;
}

static struct optimizer *lb_make(const char *name, size_t n, const struct opt_config *c)
{
  char msg[256] = "";
  cr_assert(opt_check(name, c, msg, sizeof msg) == 0, "%s: config refused: %s", name, msg);
  return opt_new(name, n, c);
}

static bool lb_near(double got, double want, double rel)
{
  return fabs(got - want) <= rel * fmax(fabs(want), 1e-30);
}

Test(largebatch, defaults_and_state)
{
  struct opt_config c = lb_defaults("lion");
  cr_expect(c.lr == 1e-4 && c.beta1 == 0.9 && c.beta2 == 0.99 && c.weight_decay == 0);
  c = lb_defaults("lars");
  cr_expect(isnan(c.lr) && c.momentum == 0 && c.weight_decay == 0 && c.trust_coefficient == 1e-3);
  char msg[128] = "";
  cr_expect(opt_check("lars", &c, msg, sizeof msg) != 0, "LARS has no default lr");
  c = lb_defaults("lamb");
  cr_expect(c.lr == 1e-3 && c.beta1 == 0.9 && c.beta2 == 0.999 && c.eps == 1e-6 && c.weight_decay == 0);
  const char *names[] = {"lion", "lars", "lamb"};
  const size_t nstate[] = {1, 1, 2};  /* Lion: one vector, half of Adam's */
  for (int k = 0; k < 3; k++) {
    c = lb_defaults(names[k]);
    if (k == 1) c.lr = 0.1;
    struct optimizer *o = lb_make(names[k], 3, &c);
    cr_expect_eq(opt_nstate(o), nstate[k], "%s keeps %zu vectors", names[k], nstate[k]);
    opt_free(&o);
  }
  cr_expect(opt_takes("lion", "betas") && !opt_takes("lion", "eps") && !opt_takes("lion", "momentum"));
  cr_expect(opt_takes("lars", "trust-coefficient") && opt_takes("lars", "momentum")
            && !opt_takes("lars", "betas") && !opt_takes("lars", "nesterov"));
  cr_expect(opt_takes("lamb", "eps") && !opt_takes("lamb", "amsgrad") && !opt_takes("lamb", "maximize"));
}

Test(largebatch, rejections)
{
  struct { const char *name; double lr, mom, wd, eps, b1, b2, tc; } bad[] = {
    {"lion", -1e-4, 0, 0, 0, 0.9, 0.99, 0}, {"lion", 1e-4, 0, -0.1, 0, 0.9, 0.99, 0},
    {"lion", 1e-4, 0, 0, 0, -0.1, 0.99, 0}, {"lion", 1e-4, 0, 0, 0, 0.9, 1.5, 0},
    {"lars", -0.1, 0, 0, 0, 0, 0, 1e-3}, {"lars", 0.1, -0.5, 0, 0, 0, 0, 1e-3},
    {"lars", 0.1, 0, -1e-4, 0, 0, 0, 1e-3}, {"lars", 0.1, 0, 0, 0, 0, 0, -1e-3},
    {"lamb", -1e-3, 0, 0, 1e-6, 0.9, 0.999, 0}, {"lamb", 1e-3, 0, 0, -1e-6, 0.9, 0.999, 0},
    {"lamb", 1e-3, 0, 0, 1e-6, 1.0, 0.999, 0}, {"lamb", 1e-3, 0, 0, 1e-6, 0.9, 1.0, 0},
    {"lamb", 1e-3, 0, -0.01, 1e-6, 0.9, 0.999, 0},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct opt_config c = lb_defaults(bad[i].name);
    c.lr = bad[i].lr; c.momentum = bad[i].mom; c.weight_decay = bad[i].wd;
    c.eps = bad[i].eps; c.beta1 = bad[i].b1; c.beta2 = bad[i].b2; c.trust_coefficient = bad[i].tc;
    char msg[128] = "";
    cr_expect(opt_check(bad[i].name, &c, msg, sizeof msg) != 0, "case %zu (%s) accepted", i, bad[i].name);
    cr_expect(msg[0] != '\0', "case %zu: no message", i);
  }
  struct opt_config c = lb_defaults("lion");
  c.beta1 = 1.0; c.beta2 = 0.0;  /* Lion accepts the closed interval */
  cr_expect(opt_check("lion", &c, NULL, 0) == 0);
}

Test(largebatch, lion_first_steps)
{
  /* step 1: m = 0, c = (1 - b1) g, p -= lr sign(g) after the decay; g = 0 does not move */
  struct opt_config c = lb_defaults("lion");
  c.lr = 0.01; c.weight_decay = 0.5; c.beta1 = 0.5; c.beta2 = 0.75;
  struct optimizer *o = lb_make("lion", 3, &c);
  float p[3] = {1, 2, 3}, g[3] = {0.3f, -7, 0};
  opt_step(o, p, g);
  const float shrink = (float)(1 - 0.01 * 0.5);
  cr_expect_float_eq(p[0], 1 * shrink - 0.01f, 1e-7);
  cr_expect_float_eq(p[1], 2 * shrink + 0.01f, 1e-7);
  cr_expect_eq(p[2], 3 * shrink, "sign(0) = 0: no step");
  const float *m = opt_state(o, 0);
  cr_expect_float_eq(m[0], 0.25f * 0.3f, 1e-8, "m uses beta2: %g", m[0]);
  /* step 2 with g = -0.1: c = 0.5 m + 0.5 g = 0.0375 - 0.05 < 0 (beta1); with the
     betas swapped c = 0.75 m + 0.25 g = 0.05625 - 0.025 > 0 */
  float q0 = p[0];
  float g2[3] = {-0.1f, 0, 0};
  opt_step(o, p, g2);
  cr_expect_float_eq(p[0], q0 * shrink + 0.01f, 1e-7, "interpolation with beta1");
  opt_free(&o);
}

Test(largebatch, lars_trust_ratio_and_zero_weights)
{
  /* w = (3,4), |w| = 5; g = (0.6, 0.8), |g| = 1; wd 0.1: lambda = 1e-3 * 5 / (1 + 0.5) */
  struct opt_config c = lb_defaults("lars");
  c.lr = 2.0; c.weight_decay = 0.1;
  struct optimizer *o = lb_make("lars", 2, &c);
  float p[2] = {3, 4}, g[2] = {0.6f, 0.8f};
  opt_step(o, p, g);
  const double lam = 1e-3 * 5 / 1.5;
  cr_expect(lb_near(p[0], 3 - 2 * lam * (0.6 + 0.3), 1e-6), "p0 = %.9g", p[0]);
  cr_expect(lb_near(p[1], 4 - 2 * lam * (0.8 + 0.4), 1e-6), "p1 = %.9g (denominator |g| + wd |w|)", p[1]);
  opt_free(&o);
  /* zero weights: ratio 1, so the first step is plain SGD */
  c = lb_defaults("lars");
  c.lr = 0.5; c.momentum = 0.9;
  o = lb_make("lars", 2, &c);
  float z[2] = {0, 0}, h[2] = {1, -2};
  opt_step(o, z, h);
  cr_expect(z[0] == -0.5f && z[1] == 1.0f, "z = %g %g", z[0], z[1]);
  opt_free(&o);
}

Test(largebatch, lamb_step_is_lr_times_norm_per_tensor)
{
  /* two tensors; whatever g, each moves by lr |w_j| (u = m_hat/(sqrt(v_hat)+eps), ratio |w|/|u|) */
  struct layout *L = layout_new();
  const size_t n2 = 2, n3 = 3;
  layout_add(L, "a", 1, &n2, 0);
  layout_add(L, "b", 1, &n3, 0);
  struct opt_config c = lb_defaults("lamb");
  c.lr = 0.01;
  struct optimizer *o = opt_new_layout("lamb", L, &c);
  float p[5] = {3, 4, 0.1f, 0.2f, 0.2f}, p0[5], g[5] = {1e-3f, -50, 7, 0.5f, -0.25f};
  vec_copy(p0, p, 5);
  opt_step(o, p, g);
  cr_expect(lb_near(sqrt(vec_sqdist(p, p0, 2)), 0.01 * 5, 1e-5));
  cr_expect(lb_near(sqrt(vec_sqdist(p + 2, p0 + 2, 3)), 0.01 * 0.3, 1e-5));
  double r[2];
  trust_ratios(o, p0, g, r);   /* the ratios of that step */
  cr_expect(lb_near(r[0], 5 / sqrt(2.0), 1e-3), "r0 = %g", r[0]);  /* |u| ~ sqrt(2) at t = 1 */
  cr_expect(lb_near(r[1], 0.3 / sqrt(3.0), 1e-3), "r1 = %g", r[1]);
  opt_free(&o);
  layout_free(&L);
}

Test(largebatch, lamb_bias_correction)
{
  /* t = 1: m_hat = g exactly, so u = g / (|g| + eps) = +-1 (eps tiny): a slip that
     drops the correction gives u = 0.1 g / (sqrt(0.001) |g|) = +-3.16 -- the same
     direction but, with decay, another ratio.  With wd = 1 and w = (1, 0): */
  struct opt_config c = lb_defaults("lamb");
  c.lr = 0.1; c.weight_decay = 1.0;
  struct optimizer *o = lb_make("lamb", 2, &c);
  float p[2] = {1, 0}, g[2] = {0, 2};
  opt_step(o, p, g);
  /* u = (0, 1) + (1, 0), to 5e-7; |w| = 1, |u| = sqrt 2 */
  cr_expect(lb_near(p[0], 1 - 0.1 / sqrt(2.0), 2e-6), "p0 = %.9g", p[0]);
  cr_expect(lb_near(p[1], -0.1 / sqrt(2.0), 2e-6), "p1 = %.9g", p[1]);
  opt_free(&o);
}

Test(largebatch, lars_ratios_per_layer_of_mlp)
{
  const size_t sizes[] = {6, 5, 3};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r;
  rng_seed(&r, 7, 0);
  mlp_init(m, &r);
  for (size_t i = 0; i < m->nparams; i++) m->grads[i] = (float)rng_normal(&r);
  struct opt_config c = lb_defaults("lars");
  c.lr = 1;
  struct optimizer *o = opt_new_layout("lars", m->tensor_layout, &c);
  double ratio[4];
  trust_ratios(o, m->params, m->grads, ratio);
  for (size_t j = 0; j < m->tensor_layout->ntensors; j++) {
    const struct tensor *T = &m->tensor_layout->tensors[j];
    const double wn = vec_norm2(m->params + T->offset, T->len), gn = vec_norm2(m->grads + T->offset, T->len);
    cr_expect(lb_near(ratio[j], wn > 0 ? wn / gn : 1.0, 1e-12), "tensor %s", T->name);
  }
  opt_free(&o);
  mlp_free(&m);
}

Test(largebatch, save_load_resumes_bit_for_bit)
{
  /* each kind: 3 steps, save, load into a fresh optimizer, 3 more steps on both */
  const char *names[] = {"lion", "lars", "lamb"};
  char *dir = tmp_dir();
  char path[512];
  snprintf(path, sizeof path, "%s/opt.bin", dir);
  for (int k = 0; k < 3; k++) {
    struct opt_config c = lb_defaults(names[k]);
    c.lr = 0.01; c.weight_decay = 0.1;
    if (k == 1) c.momentum = 0.9;
    struct optimizer *a = lb_make(names[k], 4, &c), *b = lb_make(names[k], 4, &c);
    float p[4] = {1, -2, 0.5f, 0}, q[4], g[4];
    for (int s = 0; s < 6; s++) {
      for (int i = 0; i < 4; i++) g[i] = (float)sin(3.0 * s + i);
      if (s == 3) {
        cr_assert(opt_save(a, path) == 0);
        char msg[256] = "";
        cr_assert(opt_load(b, path, msg, sizeof msg) == 0, "%s: %s", names[k], msg);
        vec_copy(q, p, 4);
      }
      opt_step(a, p, g);
      if (s >= 3) opt_step(b, q, g);
    }
    cr_expect(memcmp(p, q, sizeof p) == 0, "%s: resumed run differs", names[k]);
    opt_free(&a); opt_free(&b);
  }
  /* a LAMB state with a negative second moment is refused */
  struct opt_config c = lb_defaults("lamb");
  struct optimizer *a = lb_make("lamb", 2, &c), *b = lb_make("lamb", 2, &c);
  opt_state(a, 1)[1] = -1.0f;
  cr_assert(opt_save(a, path) == 0);
  char msg[256] = "";
  cr_expect(opt_load(b, path, msg, sizeof msg) != 0 && strstr(msg, "negative"), "msg: %s", msg);
  opt_free(&a); opt_free(&b);
  rm_tree(dir);
}
