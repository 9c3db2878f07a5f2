/* tests/test_opt.c -- the optimizer interface and SGD: every kind's defaults,
   options and validation as PyTorch 1.13's constructors have them; SGD's steps
   (momentum, dampening, Nesterov) against hand-computed values; state layouts,
   save/load of every kind and configuration, and the maximize convention.
   (Adagrad, RMSprop, Adam and AdamW's steps: test_adaptive.c.) */
#include "testutil.h"
#include <criterion/criterion.h>
#include <ctype.h>
#include <float.h>
#include <zlib.h>
#include "descent.h"

static struct opt_config sgd_config(double lr, double wd, bool maximize)
{
  struct opt_config c;
  cr_assert(opt_defaults("sgd", &c), "opt_defaults does not know sgd");
  c.lr = lr;
  c.weight_decay = wd;
  c.maximize = maximize;
  return c;
}

/* The keyword arguments of PyTorch 1.13's constructors (inspect.signature, less
   params, foreach, capturable, differentiable, fused), per optimizer. */
static const char *const all_options[] = {"lr", "momentum", "dampening", "weight_decay",
  "nesterov", "maximize", "betas", "eps", "amsgrad", "alpha", "centered", "lr_decay",
  "initial_accumulator_value", "trust_coefficient"};
static const struct { const char *name, *takes; } torch_keywords[] = {
  {"sgd", " lr momentum dampening weight_decay nesterov maximize "},
  {"adagrad", " lr lr_decay weight_decay initial_accumulator_value eps maximize "},
  {"rmsprop", " lr alpha eps weight_decay momentum centered maximize "},
  {"adam", " lr betas eps weight_decay amsgrad maximize "},
  {"adamw", " lr betas eps weight_decay amsgrad maximize "},
};

Test(opt, names_and_takes)
{
  const char *names = opt_names();
  cr_assert(names != NULL);
  /* the kinds of chapters 2 and 3 first, in reading order; later chapters add theirs */
  cr_expect(strncmp(names, "sgd adagrad rmsprop adam adamw", 30) == 0, "opt_names() = \"%s\"", names);
  for (size_t k = 0; k < sizeof torch_keywords / sizeof torch_keywords[0]; k++)
    for (size_t i = 0; i < sizeof all_options / sizeof all_options[0]; i++) {
      char word[64];
      snprintf(word, sizeof word, " %s ", all_options[i]);
      bool torch = strstr(torch_keywords[k].takes, word) != NULL;
      cr_expect(opt_takes(torch_keywords[k].name, all_options[i]) == torch,
                "opt_takes(\"%s\", \"%s\") should be %s, as PyTorch's constructor", torch_keywords[k].name,
                all_options[i], torch ? "true" : "false");
    }
  cr_expect(opt_takes("sgd", "weight-decay"), "kebab case is accepted too");
  cr_expect(opt_takes("adagrad", "initial-accumulator-value") && opt_takes("adagrad", "lr-decay"));
  cr_expect(!opt_takes("sgd", "l"), "a prefix of an option is not the option");
  cr_expect(!opt_takes("adam", "beta"), "a prefix of an option is not the option");
  cr_expect(!opt_takes("adam", "betas1") && !opt_takes("adam", "lrx"), "nor is a longer word");
  cr_expect(!opt_takes("no-such-optimizer", "lr"));
}

Test(opt, defaults)
{
  struct opt_config c;
  memset(&c, 0x55, sizeof c);              /* garbage that defaults must overwrite */
  cr_assert(opt_defaults("sgd", &c));
  /* PyTorch: SGD(lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False,
     maximize=False) */
  cr_expect(c.momentum == 0 && c.dampening == 0 && c.weight_decay == 0);
  cr_expect(!c.nesterov && !c.maximize && !c.amsgrad && !c.centered);
  /* lr has no default in PyTorch's SGD: the library leaves it NaN, and opt_check asks for one */
  cr_expect(isnan(c.lr), "sgd's lr must have no default (got %g)", c.lr);
  char msg[256] = "";
  cr_expect(opt_check("sgd", &c, msg, sizeof msg) == -1);
  cr_expect(strstr(msg, "learning rate") != NULL, "message was '%s'", msg);
  c.lr = 0.1;
  cr_expect(opt_check("sgd", &c, msg, sizeof msg) == 0, "with an lr it is valid: %s", msg);
  struct opt_config d = c;
  cr_expect(!opt_defaults("no-such-optimizer", &d));
  cr_expect(!opt_defaults("", &d));
  cr_expect(!opt_defaults("SGD", &d), "names are lower case, as replay's");
}

/* PyTorch 1.13's constructor defaults (reference-semantics.md, section 1); the
   options a kind does not take stay 0 and false. */
Test(opt, defaults_adaptive)
{
  struct opt_config c;
  memset(&c, 0x55, sizeof c);
  cr_assert(opt_defaults("adagrad", &c));
  cr_expect(c.lr == 1e-2 && c.lr_decay == 0 && c.weight_decay == 0 &&
            c.initial_accumulator_value == 0 && c.eps == 1e-10 && !c.maximize,
            "adagrad: lr %g lr_decay %g wd %g iav %g eps %g", c.lr, c.lr_decay, c.weight_decay,
            c.initial_accumulator_value, c.eps);
  cr_expect(c.momentum == 0 && c.beta1 == 0 && c.alpha == 0 && !c.amsgrad && !c.centered);
  memset(&c, 0x55, sizeof c);
  cr_assert(opt_defaults("rmsprop", &c));
  cr_expect(c.lr == 1e-2 && c.alpha == 0.99 && c.eps == 1e-8 && c.weight_decay == 0 &&
            c.momentum == 0 && !c.centered && !c.maximize,
            "rmsprop: lr %g alpha %g eps %g wd %g momentum %g", c.lr, c.alpha, c.eps,
            c.weight_decay, c.momentum);
  memset(&c, 0x55, sizeof c);
  cr_assert(opt_defaults("adam", &c));
  cr_expect(c.lr == 1e-3 && c.beta1 == 0.9 && c.beta2 == 0.999 && c.eps == 1e-8 &&
            c.weight_decay == 0 && !c.amsgrad && !c.maximize,
            "adam: lr %g betas %g,%g eps %g wd %g", c.lr, c.beta1, c.beta2, c.eps, c.weight_decay);
  memset(&c, 0x55, sizeof c);
  cr_assert(opt_defaults("adamw", &c));
  /* AdamW differs from Adam in one default: weight_decay 1e-2 */
  cr_expect(c.lr == 1e-3 && c.beta1 == 0.9 && c.beta2 == 0.999 && c.eps == 1e-8 &&
            c.weight_decay == 1e-2 && !c.amsgrad && !c.maximize,
            "adamw: lr %g betas %g,%g eps %g wd %g", c.lr, c.beta1, c.beta2, c.eps, c.weight_decay);
  /* the defaults of the adaptive kinds are valid as they are */
  const char *kinds[] = {"adagrad", "rmsprop", "adam", "adamw"};
  for (int i = 0; i < 4; i++) {
    char msg[256] = "";
    cr_assert(opt_defaults(kinds[i], &c));
    cr_expect(opt_check(kinds[i], &c, msg, sizeof msg) == 0, "%s defaults refused: %s", kinds[i], msg);
  }
}

static void expect_check(const char *name, struct opt_config c, bool ok, const char *what)
{
  char msg[256];
  memset(msg, 0, sizeof msg);
  int rc = opt_check(name, &c, msg, sizeof msg);
  if (ok)
    cr_expect(rc == 0, "%s: %s should be accepted, got %d (%s)", name, what, rc, msg);
  else {
    cr_expect(rc == -1, "%s: %s should be rejected, got %d", name, what, rc);
    cr_expect(msg[0] != '\0', "%s: %s rejected without a message", name, what);
  }
}

/* rejected, with a message that names the culprit as PyTorch's does */
static void expect_reject(const char *name, struct opt_config c, const char *word, const char *what)
{
  char msg[256];
  memset(msg, 0, sizeof msg);
  int rc = opt_check(name, &c, msg, sizeof msg);
  cr_expect(rc == -1, "%s: %s should be rejected (PyTorch raises ValueError), got %d", name, what, rc);
  cr_expect(rc != -1 || strcasestr(msg, word) != NULL, "%s: %s: the message '%s' should say '%s'",
            name, what, msg, word);
}

static struct opt_config defaults_of(const char *name)
{
  struct opt_config c;
  cr_assert(opt_defaults(name, &c), "opt_defaults does not know %s", name);
  if (strcmp(name, "sgd") == 0) c.lr = 0.01;
  return c;
}

Test(opt, check_sgd_like_pytorch)
{
  struct opt_config c = sgd_config(0.1, 0.0, false);
  expect_check("sgd", c, true, "lr 0.1");
  expect_check("sgd", sgd_config(0.0, 0.0, false), true, "lr 0");
  expect_check("sgd", sgd_config(5.0, 0.0, false), true, "lr 5");
  expect_check("sgd", sgd_config(-1e-3, 0.0, false), false, "lr -1e-3");
  expect_check("sgd", sgd_config(-0.0, 0.0, false), true, "lr -0.0 (not < 0)");
  expect_check("sgd", sgd_config(0.1, 0.5, true), true, "weight decay 0.5, maximize");
  expect_check("sgd", sgd_config(0.1, -1e-4, false), false, "weight decay -1e-4");
  c.momentum = -0.5;
  expect_check("sgd", c, false, "momentum -0.5");
  c = sgd_config(0.1, 0.0, false);
  c.nesterov = true;                       /* nesterov needs momentum > 0 */
  expect_check("sgd", c, false, "nesterov with momentum 0");
  expect_check("no-such-optimizer", sgd_config(0.1, 0, false), false, "an unknown name");
  /* msg may be NULL */
  struct opt_config bad = sgd_config(-1, 0, false);
  cr_expect(opt_check("sgd", &bad, NULL, 0) == -1);
  /* a short buffer is truncated, not overrun */
  char tiny[8];
  memset(tiny, 'x', sizeof tiny);
  cr_expect(opt_check("sgd", &bad, tiny, 4) == -1);
  cr_expect(memchr(tiny, '\0', 4) != NULL && tiny[4] == 'x', "msg buffer overrun");
}

/* Every ValueError of the five constructors (torch.optim in 1.13), and the
   values next to them that PyTorch accepts although a careless check would not. */
Test(opt, check_rejects_like_pytorch)
{
  struct opt_config c;
  const char *kinds[] = {"sgd", "adagrad", "rmsprop", "adam", "adamw"};
  for (int i = 0; i < 5; i++) {
    const char *k = kinds[i];
    c = defaults_of(k); c.lr = -1e-12;
    expect_reject(k, c, "learning rate", "lr -1e-12");
    c = defaults_of(k); c.lr = -0.0;
    expect_check(k, c, true, "lr -0.0 (not < 0)");
    c = defaults_of(k); c.lr = 0.0;
    expect_check(k, c, true, "lr 0");
    c = defaults_of(k); c.weight_decay = -1e-3;
    expect_reject(k, c, "weight_decay", "weight_decay -1e-3");
    c = defaults_of(k); c.weight_decay = -0.0;
    expect_check(k, c, true, "weight_decay -0.0");
    if (i > 0) {                                   /* all but SGD take eps */
      c = defaults_of(k); c.eps = -1e-8;
      expect_reject(k, c, "eps", "eps -1e-8");
      c = defaults_of(k); c.eps = 0.0;
      expect_check(k, c, true, "eps 0");
    }
    c = defaults_of(k); c.lr = NAN;
    expect_check(k, c, false, "lr NaN");
    c = defaults_of(k); c.weight_decay = INFINITY;
    expect_check(k, c, false, "weight_decay inf");
  }
  /* SGD: momentum >= 0, any dampening; nesterov needs momentum > 0 and dampening == 0 */
  c = defaults_of("sgd"); c.momentum = -0.1;
  expect_reject("sgd", c, "momentum", "momentum -0.1");
  c = defaults_of("sgd"); c.momentum = 1.5;
  expect_check("sgd", c, true, "momentum 1.5 (PyTorch accepts momentum > 1)");
  c = defaults_of("sgd"); c.momentum = 0.9; c.dampening = -0.5;
  expect_check("sgd", c, true, "dampening -0.5");
  c.dampening = 2.0;
  expect_check("sgd", c, true, "dampening 2");
  c = defaults_of("sgd"); c.dampening = 0.3;
  expect_check("sgd", c, true, "dampening without momentum");
  c = defaults_of("sgd"); c.nesterov = true;
  expect_reject("sgd", c, "nesterov", "nesterov, momentum 0");
  c.momentum = 0.9;
  expect_check("sgd", c, true, "nesterov, momentum 0.9");
  c.dampening = 0.1;
  expect_reject("sgd", c, "nesterov", "nesterov with dampening 0.1");
  c.dampening = -0.1;
  expect_reject("sgd", c, "nesterov", "nesterov with dampening -0.1");
  c.dampening = -0.0;
  expect_check("sgd", c, true, "nesterov with dampening -0.0 (== 0)");
  /* Adagrad */
  c = defaults_of("adagrad"); c.lr_decay = -1e-4;
  expect_reject("adagrad", c, "lr_decay", "lr_decay -1e-4");
  c = defaults_of("adagrad"); c.initial_accumulator_value = -1e-6;
  expect_reject("adagrad", c, "initial_accumulator_value", "initial_accumulator_value -1e-6");
  c = defaults_of("adagrad"); c.lr_decay = 10; c.initial_accumulator_value = 100;
  expect_check("adagrad", c, true, "large lr_decay and initial_accumulator_value");
  /* RMSprop: alpha >= 0 (alpha > 1 is accepted), momentum >= 0 */
  c = defaults_of("rmsprop"); c.alpha = -0.01;
  expect_reject("rmsprop", c, "alpha", "alpha -0.01");
  c = defaults_of("rmsprop"); c.momentum = -0.5;
  expect_reject("rmsprop", c, "momentum", "momentum -0.5");
  c = defaults_of("rmsprop"); c.alpha = 1.5; c.momentum = 1.5;
  expect_check("rmsprop", c, true, "alpha 1.5 and momentum 1.5");
  c = defaults_of("rmsprop"); c.alpha = 0; c.centered = true;
  expect_check("rmsprop", c, true, "alpha 0, centered");
  /* Adam and AdamW: betas in [0, 1) */
  for (int i = 3; i < 5; i++) {
    const char *k = kinds[i];
    c = defaults_of(k); c.beta1 = 1.0;
    expect_reject(k, c, "index 0", "beta1 1");
    c = defaults_of(k); c.beta1 = -1e-9;
    expect_reject(k, c, "index 0", "beta1 -1e-9");
    c = defaults_of(k); c.beta2 = 1.0;
    expect_reject(k, c, "index 1", "beta2 1");
    c = defaults_of(k); c.beta2 = 1.5;
    expect_reject(k, c, "index 1", "beta2 1.5");
    c = defaults_of(k); c.beta2 = -0.5;
    expect_reject(k, c, "index 1", "beta2 -0.5");
    c = defaults_of(k); c.beta1 = 0.0; c.beta2 = 0.0;
    expect_check(k, c, true, "betas 0,0");
    c = defaults_of(k); c.beta1 = 1 - 1e-12; c.beta2 = 1 - 1e-12; c.amsgrad = true;
    expect_check(k, c, true, "betas just below 1, amsgrad");
  }
}

/* Steps with dyadic numbers, where float32 arithmetic is exact and the result is
   known by hand: p <- p - lr * (+-g + wd * p). */
Test(opt, sgd_steps_exact)
{
  float p[3] = {2.0f, -1.0f, 0.5f};
  const float g1[3] = {1.0f, 0.5f, -2.0f}, g2[3] = {-0.25f, 0.0f, 4.0f};
  struct opt_config c = sgd_config(0.5, 0.0, false);
  struct optimizer *o = opt_new("sgd", 3, &c);
  cr_assert(o != NULL);
  opt_step(o, p, g1);                      /* p - 0.5 g1 */
  cr_expect(p[0] == 1.5f && p[1] == -1.25f && p[2] == 1.5f, "step 1: %g %g %g", p[0], p[1], p[2]);
  opt_step(o, p, g2);
  cr_expect(p[0] == 1.625f && p[1] == -1.25f && p[2] == -0.5f, "step 2: %g %g %g", p[0], p[1], p[2]);
  opt_free(&o);
  cr_expect(o == NULL, "opt_free did not null the pointer");

  /* weight decay 0.25: d = g + 0.25 p */
  float q[2] = {2.0f, -4.0f};
  const float h[2] = {1.0f, 1.0f};
  c = sgd_config(0.5, 0.25, false);
  o = opt_new("sgd", 2, &c);
  opt_step(o, q, h);                       /* d = (1.5, 0): q = (1.25, -4) */
  cr_expect(q[0] == 1.25f && q[1] == -4.0f, "decay step 1: %g %g", q[0], q[1]);
  opt_step(o, q, h);                       /* d = (1.3125, 0): q = (0.59375, -4) */
  cr_expect(q[0] == 0.59375f && q[1] == -4.0f, "decay step 2: %g %g", q[0], q[1]);
  opt_free(&o);

  /* maximize negates the gradient BEFORE the decay is added (PyTorch), so the
     decay still shrinks the weights: d = -g + wd p */
  float r[2] = {2.0f, -4.0f};
  c = sgd_config(0.5, 0.25, true);
  o = opt_new("sgd", 2, &c);
  opt_step(o, r, h);                       /* d = (-0.5, -2): r = (2.25, -3) */
  cr_expect(r[0] == 2.25f && r[1] == -3.0f, "maximize step: %g %g (want 2.25 -3)", r[0], r[1]);
  opt_free(&o);

  /* lr 0 leaves the parameters alone; so does a zero gradient without decay */
  float s[2] = {3.0f, -7.0f};
  c = sgd_config(0.0, 0.5, true);
  o = opt_new("sgd", 2, &c);
  opt_step(o, s, h);
  cr_expect(s[0] == 3.0f && s[1] == -7.0f);
  opt_free(&o);
}

/* The general case, computed here the way PyTorch computes it in float32 (each
   operation rounded: d = (+-g) + float(wd) * p; p = p + float(-lr) * d), with
   the lr and wd doubles rounded to float32.  The library may order the rounding
   differently; within 2 ulp is asked, which a double-precision or a
   wrongly-ordered update over 50 steps would not meet. */
Test(opt, sgd_steps_float32_like_torch)
{
  enum { n = 7, T = 50 };
  struct rng rg;
  rng_seed(&rg, 4, 2);
  for (int variant = 0; variant < 4; variant++) {
    double lr = variant == 0 ? 0.1 : variant == 1 ? 0.0123 : variant == 2 ? 0.3 : 0.001;
    double wd = variant == 1 ? 0.01 : variant == 3 ? 0.7 : 0.0;
    bool mx = variant >= 2;
    struct opt_config c = sgd_config(lr, wd, mx);
    struct optimizer *o = opt_new("sgd", n, &c);
    float p[n], ref[n], g[n];
    for (int i = 0; i < n; i++) p[i] = ref[i] = (float)rng_normal(&rg);
    const float flr = (float)(-lr), fwd = (float)wd;
    long worst = 0;
    for (int t = 0; t < T; t++) {
      for (int i = 0; i < n; i++) g[i] = (float)rng_normal(&rg);
      opt_step(o, p, g);
      for (int i = 0; i < n; i++) {
        volatile float d = mx ? -g[i] : g[i];
        if (wd != 0) { volatile float wp = fwd * ref[i]; d = d + wp; }
        volatile float step = flr * d;
        ref[i] = ref[i] + step;
        long u = ulp_diff(p[i], ref[i]);
        if (u > worst) worst = u;
        /* within 2 ulp of the float32 computation or (near zero) 1e-7 absolute */
        cr_assert(u <= 2 || fabsf(p[i] - ref[i]) <= 1e-7f,
                  "variant %d step %d p[%d] = %.9g, float32 reference %.9g (%ld ulp)", variant, t,
                  i, p[i], ref[i], u);
      }
    }
    opt_free(&o);
  }
}

Test(opt, set_lr)
{
  struct opt_config c = sgd_config(0.5, 0.0, false);
  struct optimizer *o = opt_new("sgd", 1, &c);
  cr_expect(opt_lr(o) == 0.5);
  opt_set_lr(o, 0.25);
  cr_expect(opt_lr(o) == 0.25);
  float p[1] = {1.0f};
  const float g[1] = {1.0f};
  opt_step(o, p, g);
  cr_expect(p[0] == 0.75f, "the step uses the new lr: %g", p[0]);
  opt_free(&o);
}

Test(opt, new_asserts_invalid_config, .signal = SIGABRT)
{
  struct opt_config c = sgd_config(-1.0, 0.0, false);
  opt_new("sgd", 3, &c);                   /* caller misuse: assert */
}

/* -- save and load -------------------------------------------------------- */

static void sgd_run(struct optimizer *o, float *p, size_t n, int steps, uint64_t seed)
{
  struct rng r;
  rng_seed(&r, seed, 0);
  float *g = vec_new(n);
  for (int t = 0; t < steps; t++) {
    for (size_t i = 0; i < n; i++) g[i] = (float)rng_normal(&r);
    opt_step(o, p, g);
  }
  vec_free(&g);
}

Test(opt, save_load_round_trip)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "sgd.state");
  enum { n = 5 };
  struct opt_config c = sgd_config(0.037, 0.01, true);
  struct optimizer *a = opt_new("sgd", n, &c);
  float pa[n] = {1, -2, 3, -4, 5}, pb[n];
  sgd_run(a, pa, n, 10, 1);
  cr_assert(opt_save(a, path) == 0, "opt_save failed: %s", strerror(errno));
  cr_expect(strcmp(dir_listing(dir), "sgd.state") == 0, "after save: %s", dir_listing(dir));
  memcpy(pb, pa, sizeof pa);
  /* a fresh optimizer with other hyperparameters takes the saved ones */
  struct opt_config d = sgd_config(0.9, 0.0, false);
  struct optimizer *b = opt_new("sgd", n, &d);
  char msg[256] = "";
  cr_assert(opt_load(b, path, msg, sizeof msg) == 0, "opt_load failed: %s", msg);
  cr_expect(opt_lr(b) == 0.037, "lr after load %g", opt_lr(b));
  /* continuing both gives bit-identical parameters */
  sgd_run(a, pa, n, 20, 2);
  sgd_run(b, pb, n, 20, 2);
  cr_expect(memcmp(pa, pb, sizeof pa) == 0, "loaded optimizer diverges");
  /* saving the loaded one gives the same bytes */
  const char *path2 = path_in(dir, "again.state");
  struct optimizer *a2 = opt_new("sgd", n, &c);
  sgd_run(a2, pa, n, 10, 1);
  cr_assert(opt_save(a2, path) == 0);
  struct optimizer *b2 = opt_new("sgd", n, &d);
  cr_assert(opt_load(b2, path, msg, sizeof msg) == 0, "%s", msg);
  cr_assert(opt_save(b2, path2) == 0);
  size_t s1 = 0, s2 = 0;
  char *f1 = slurp(path, &s1), *f2 = slurp(path2, &s2);
  cr_expect(f1 && f2 && s1 == s2 && memcmp(f1, f2, s1) == 0, "save(load(save(x))) != save(x)");
  free(f1); free(f2);
  opt_free(&a); opt_free(&b); opt_free(&a2); opt_free(&b2);
  rm_tree(dir);
}

static void expect_load_fails(struct optimizer *o, const char *path, const char *what)
{
  char msg[512];
  memset(msg, 0, sizeof msg);
  double lr = opt_lr(o);
  int rc = opt_load(o, path, msg, sizeof msg);
  cr_expect(rc == -1, "loading a %s file succeeded", what);
  cr_expect(msg[0] != '\0', "loading a %s file failed without a message", what);
  cr_expect(opt_lr(o) == lr, "a failed load (%s) changed the optimizer", what);
}

Test(opt, load_rejects_bad_files)
{
  char *dir = tmp_dir();
  const char *good = path_in(dir, "good.state");
  enum { n = 4 };
  struct opt_config c = sgd_config(0.1, 0.0, false);
  struct optimizer *o = opt_new("sgd", n, &c);
  float p[n] = {1, 2, 3, 4};
  sgd_run(o, p, n, 3, 3);
  cr_assert(opt_save(o, good) == 0);
  size_t size;
  unsigned char *b = (unsigned char *)slurp(good, &size);
  cr_assert(b && size > 16);

  struct opt_config d = sgd_config(0.5, 0.0, false);
  struct optimizer *fresh = opt_new("sgd", n, &d);
  char path[4200];

  expect_load_fails(fresh, path_in(dir, "missing.state"), "missing");
  snprintf(path, sizeof path, "%s/empty.state", dir);
  spit(path, "", 0);
  expect_load_fails(fresh, path, "empty");
  for (size_t cut = 1; cut < size; cut += (cut < 16 ? 1 : 7)) {
    snprintf(path, sizeof path, "%s/cut%zu.state", dir, cut);
    spit(path, b, cut);
    char what[64];
    snprintf(what, sizeof what, "truncated to %zu of %zu bytes", cut, size);
    expect_load_fails(fresh, path, what);
  }
  snprintf(path, sizeof path, "%s/long.state", dir);
  unsigned char *longer = malloc(size + 3);
  memcpy(longer, b, size);
  memcpy(longer + size, "abc", 3);
  spit(path, longer, size + 3);
  expect_load_fails(fresh, path, "trailing-bytes");
  free(longer);
  /* corrupt: flip one bit anywhere in the file; every position must be caught */
  for (size_t k = 0; k < size; k++) {
    b[k] ^= 0x10;
    snprintf(path, sizeof path, "%s/flip%zu.state", dir, k);
    spit(path, b, size);
    b[k] ^= 0x10;
    char what[64];
    snprintf(what, sizeof what, "corrupt (bit flipped in byte %zu)", k);
    expect_load_fails(fresh, path, what);
  }
  snprintf(path, sizeof path, "%s/text.state", dir);
  spit(path, "not an optimizer state\n", 23);
  expect_load_fails(fresh, path, "text");
  /* another size */
  struct optimizer *other = opt_new("sgd", n + 1, &d);
  expect_load_fails(other, good, "wrong-size (n = 4 into n = 5)");
  opt_free(&other);
  /* the good file still loads */
  char msg[256] = "";
  cr_expect(opt_load(fresh, good, msg, sizeof msg) == 0, "%s", msg);
  free(b);
  opt_free(&o);
  opt_free(&fresh);
  rm_tree(dir);
}

/* A kind that does not exist at all: rename the kind in a saved file (the real
   kinds against each other are in load_across_kinds_and_configs).  This relies
   on the file storing the kind's name as text and ending in a CRC-32 (zlib) of
   the rest, as A1-toolkit.w's format does; if the format changes, this test
   must change with it. */
Test(opt, load_rejects_wrong_kind)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "sgd.state");
  struct opt_config c = sgd_config(0.1, 0.0, false);
  struct optimizer *o = opt_new("sgd", 2, &c);
  cr_assert(opt_save(o, path) == 0);
  size_t size;
  unsigned char *b = (unsigned char *)slurp(path, &size);
  unsigned char *at = memmem(b, size, "sgd", 4);       /* "sgd" and its NUL */
  cr_assert(at != NULL && size > 4, "the saved file does not hold the name \"sgd\"");
  memcpy(at, "sgx", 3);
  uLong crc = crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (unsigned char)(crc >> (8 * j));
  const char *bad = path_in(dir, "sgx.state");
  spit(bad, b, size);
  char msg[256] = "";
  cr_expect(opt_load(o, bad, msg, sizeof msg) == -1, "a state of kind 'sgx' loaded into sgd");
  cr_expect(strstr(msg, "sgx") != NULL, "the message should name the kind found: %s", msg);
  /* with the right name and a recomputed CRC the file loads (the patch is sound) */
  memcpy(at, "sgd", 3);
  crc = crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (unsigned char)(crc >> (8 * j));
  spit(bad, b, size);
  cr_expect(opt_load(o, bad, msg, sizeof msg) == 0, "%s", msg);
  free(b);
  opt_free(&o);
  rm_tree(dir);
}

Test(opt, save_fails_cleanly)
{
  struct opt_config c = sgd_config(0.1, 0.0, false);
  struct optimizer *o = opt_new("sgd", 2, &c);
  errno = 0;
  cr_expect(opt_save(o, "/nonexistent-dir/x/sgd.state") == -1);
  cr_expect(errno != 0, "errno not set");
  opt_free(&o);
}

Test(opt, error_helper)
{
  char msg[64];
  memset(msg, 'x', sizeof msg);
  cr_expect(opt_error(msg, sizeof msg, "bad %s: %d", "lr", -1) == -1);
  cr_expect(strcmp(msg, "bad lr: -1") == 0, "msg '%s'", msg);
  cr_expect(opt_error(NULL, 0, "no buffer %d", 1) == -1, "a NULL buffer is allowed");
  char tiny[4] = "abc";
  cr_expect(opt_error(tiny, 0, "nothing fits") == -1);
  cr_expect(strcmp(tiny, "abc") == 0, "len 0 writes nothing");
}

/* -- SGD with momentum: hand-derived steps (dyadic numbers, exact in float32) -- */

Test(opt, sgd_momentum_first_step_undamped)
{
  /* momentum 0.5, dampening 0.25, lr 0.5.  Step 1: b = d (NOT (1 - 0.25) d),
     p = 1 - 0.5 * 1 = 0.5.  Step 2 (g = 2): b = 0.5 * 1 + 0.75 * 2 = 2,
     p = 0.5 - 0.5 * 2 = -0.5. */
  struct opt_config c = sgd_config(0.5, 0.0, false);
  c.momentum = 0.5; c.dampening = 0.25;
  struct optimizer *o = opt_new("sgd", 1, &c);
  cr_assert_eq(opt_nstate(o), 1, "SGD with momentum keeps one state vector, not %zu", opt_nstate(o));
  float p[1] = {1.0f};
  const float g1[1] = {1.0f}, g2[1] = {2.0f};
  opt_step(o, p, g1);
  cr_expect(p[0] == 0.5f, "step 1: p = %.9g, want 0.5 (a damped first step gives 0.625)", p[0]);
  cr_expect(opt_state(o, 0)[0] == 1.0f, "buffer after step 1: %.9g, want 1", opt_state(o, 0)[0]);
  opt_step(o, p, g2);
  cr_expect(opt_state(o, 0)[0] == 2.0f, "buffer after step 2: %.9g, want 2", opt_state(o, 0)[0]);
  cr_expect(p[0] == -0.5f, "step 2: p = %.9g, want -0.5", p[0]);
  cr_expect(opt_steps(o) == 2);
  opt_free(&o);
  /* without momentum there is no state */
  c = sgd_config(0.5, 0.1, false);
  c.dampening = 0.5;
  o = opt_new("sgd", 3, &c);
  cr_expect_eq(opt_nstate(o), 0, "plain SGD keeps no state, not %zu vectors", opt_nstate(o));
  opt_free(&o);
}

Test(opt, sgd_nesterov_steps)
{
  /* momentum 0.5, lr 0.5, g = 1, 1: step 1: b = 1, d = 1 + 0.5 * 1 = 1.5,
     p = 1 - 0.75 = 0.25; step 2: b = 0.5 + 1 = 1.5, d = 1 + 0.75 = 1.75,
     p = 0.25 - 0.875 = -0.625 */
  struct opt_config c = sgd_config(0.5, 0.0, false);
  c.momentum = 0.5; c.nesterov = true;
  struct optimizer *o = opt_new("sgd", 1, &c);
  float p[1] = {1.0f};
  const float g[1] = {1.0f};
  opt_step(o, p, g);
  cr_expect(p[0] == 0.25f, "nesterov step 1: %.9g, want 0.25", p[0]);
  opt_step(o, p, g);
  cr_expect(p[0] == -0.625f, "nesterov step 2: %.9g, want -0.625", p[0]);
  cr_expect(opt_state(o, 0)[0] == 1.5f, "buffer %.9g, want 1.5", opt_state(o, 0)[0]);
  opt_free(&o);
}

Test(opt, sgd_momentum_lr_outside_buffer)
{
  /* The lr multiplies the buffer from outside, so changing it between steps
     (a schedule) changes the next step at once: momentum 0.5, lr 0.5 then 0.25,
     g = 1: step 1 p = 1 - 0.5 = 0.5; step 2 b = 1.5, p = 0.5 - 0.25 * 1.5 = 0.125.
     The "v = mu v + lr g; p -= v" form gives 0 here. */
  struct opt_config c = sgd_config(0.5, 0.0, false);
  c.momentum = 0.5;
  struct optimizer *o = opt_new("sgd", 1, &c);
  float p[1] = {1.0f};
  const float g[1] = {1.0f};
  opt_step(o, p, g);
  opt_set_lr(o, 0.25);
  opt_step(o, p, g);
  cr_expect(p[0] == 0.125f, "p = %.9g, want 0.125", p[0]);
  opt_free(&o);
}

Test(opt, sgd_momentum_decay_and_maximize)
{
  /* wd 0.5, maximize, momentum 0.5, lr 0.25, p = 2, g = 1:
     d = -1 + 0.5 * 2 = 0: the decay cancels the (negated) gradient, nothing moves;
     then g = -1: d = 1 + 1 = 2, b = 0.5 * 0 + 2 = 2, p = 2 - 0.5 = 1.5 */
  struct opt_config c = sgd_config(0.25, 0.5, true);
  c.momentum = 0.5;
  struct optimizer *o = opt_new("sgd", 1, &c);
  float p[1] = {2.0f};
  const float g1[1] = {1.0f}, g2[1] = {-1.0f};
  opt_step(o, p, g1);
  cr_expect(p[0] == 2.0f && opt_state(o, 0)[0] == 0.0f, "step 1: p %.9g b %.9g", p[0], opt_state(o, 0)[0]);
  opt_step(o, p, g2);
  cr_expect(p[0] == 1.5f && opt_state(o, 0)[0] == 2.0f, "step 2: p %.9g b %.9g", p[0], opt_state(o, 0)[0]);
  opt_free(&o);
}

/* -- every kind: configurations whose state differs ------------------------- */

struct kcase { const char *name, *label; struct opt_config c; size_t k; };
enum { NKCASES = 13 };
static const struct kcase *kcases(void)
{
  static struct kcase t[NKCASES];
  static bool done;
  if (done) return t;
  int i = 0;
  struct opt_config c;
#define KCASE(NAME, LABEL, K, SET) do { cr_assert(opt_defaults(NAME, &c)); SET; \
    t[i].name = NAME; t[i].label = LABEL; t[i].c = c; t[i].k = K; i++; } while (0)
  KCASE("sgd", "sgd", 0, c.lr = 0.05; c.weight_decay = 0.01);
  KCASE("sgd", "sgd momentum", 1, c.lr = 0.05; c.momentum = 0.9; c.dampening = 0.1);
  KCASE("sgd", "sgd nesterov", 1, c.lr = 0.05; c.momentum = 0.8; c.nesterov = true; c.maximize = true);
  KCASE("adagrad", "adagrad", 1, c.lr = 0.1; c.lr_decay = 0.01; c.initial_accumulator_value = 0.1;
        c.weight_decay = 0.01);
  KCASE("rmsprop", "rmsprop", 1, c.weight_decay = 0.01);
  KCASE("rmsprop", "rmsprop centered", 2, c.centered = true);
  KCASE("rmsprop", "rmsprop momentum", 2, c.momentum = 0.9);
  KCASE("rmsprop", "rmsprop centered momentum", 3, c.centered = true; c.momentum = 0.5;
        c.maximize = true);
  KCASE("adam", "adam", 2, c.lr = 0.01; c.weight_decay = 0.01);
  KCASE("adam", "adam amsgrad", 3, c.lr = 0.01; c.amsgrad = true; c.maximize = true);
  KCASE("adamw", "adamw", 2, c.lr = 0.01);
  KCASE("adamw", "adamw amsgrad", 3, c.lr = 0.01; c.amsgrad = true; c.beta1 = 0.5);
  KCASE("adamw", "adamw other betas", 2, c.beta1 = 0.8; c.beta2 = 0.99);
#undef KCASE
  cr_assert(i == NKCASES);
  done = true;
  return t;
}

/* steps with gradients from a seed; the first steps are large, the later ones
   small, so that AMSGrad's maximum parts from the current second moment */
static void kind_run(struct optimizer *o, float *p, size_t n, int from, int steps, uint64_t seed)
{
  struct rng r;
  rng_seed(&r, seed, 0);
  float *g = vec_new(n);
  for (int t = 0; t < from + steps; t++) {
    double scale = t < 3 ? 10.0 : 0.5;
    for (size_t i = 0; i < n; i++) g[i] = (float)(scale * rng_normal(&r));
    if (t >= from) opt_step(o, p, g);
  }
  vec_free(&g);
}

/* word occurs in s, not as part of a longer name ("adam" is not in "adamw") */
static bool has_word(const char *s, const char *word)
{
  size_t w = strlen(word);
  for (const char *q = s; (q = strstr(q, word)) != NULL; q++) {
    bool left = q == s || !(isalnum((unsigned char)q[-1]) || q[-1] == '_');
    bool right = !(isalnum((unsigned char)q[w]) || q[w] == '_');
    if (left && right) return true;
  }
  return false;
}

static bool same_state(const struct optimizer *a, const struct optimizer *b)
{
  if (opt_nstate(a) != opt_nstate(b) || opt_steps(a) != opt_steps(b) || a->n != b->n) return false;
  for (size_t i = 0; i < opt_nstate(a); i++)
    if (memcmp(opt_state(a, i), opt_state(b, i), a->n * sizeof(float)) != 0) return false;
  return true;
}

Test(opt, state_layouts)
{
  const struct kcase *t = kcases();
  for (int i = 0; i < NKCASES; i++) {
    char msg[256] = "";
    cr_assert(opt_check(t[i].name, &t[i].c, msg, sizeof msg) == 0, "%s: %s", t[i].label, msg);
    struct optimizer *o = opt_new(t[i].name, 5, &t[i].c);
    cr_expect_eq(opt_nstate(o), t[i].k, "%s: %zu state vectors, want %zu", t[i].label, opt_nstate(o), t[i].k);
    cr_expect(opt_steps(o) == 0);
    /* the state vectors are distinct, n floats apart */
    for (size_t j = 1; j < opt_nstate(o); j++)
      cr_expect(opt_state(o, j) == opt_state(o, j - 1) + 5, "%s: vector %zu is not next to %zu",
                t[i].label, j, j - 1);
    float p[5] = {1, -2, 0.5f, 3, -0.25f};
    kind_run(o, p, 5, 0, 4, 9);
    cr_expect(opt_steps(o) == 4, "%s: %llu steps counted, want 4", t[i].label,
              (unsigned long long)opt_steps(o));
    opt_free(&o);
  }
}

/* Run 7 steps, save, load into a fresh optimizer, continue both for 9 steps:
   parameters and every state vector bit-identical.  And the state matters: a
   fresh optimizer continuing from the same parameters ends elsewhere. */
Test(opt, save_load_every_kind)
{
  const struct kcase *t = kcases();
  char *dir = tmp_dir();
  enum { n = 6 };
  for (int i = 0; i < NKCASES; i++) {
    const char *path = path_in(dir, "k.state");
    struct optimizer *a = opt_new(t[i].name, n, &t[i].c);
    float pa[n] = {1, -2, 3, -0.5f, 0, 0.25f}, pb[n], pc[n];
    kind_run(a, pa, n, 0, 7, 100 + (uint64_t)i);
    if (t[i].c.amsgrad) {            /* the maximum has parted from v: the file carries both */
      cr_assert(memcmp(opt_state(a, 1), opt_state(a, 2), n * sizeof(float)) != 0,
                "%s: test setup: max_exp_avg_sq equals exp_avg_sq", t[i].label);
    }
    cr_assert(opt_save(a, path) == 0, "%s: opt_save: %s", t[i].label, strerror(errno));
    memcpy(pb, pa, sizeof pa);
    memcpy(pc, pa, sizeof pa);
    struct optimizer *b = opt_new(t[i].name, n, &t[i].c);
    struct optimizer *fresh = opt_new(t[i].name, n, &t[i].c);
    char msg[256] = "";
    cr_assert(opt_load(b, path, msg, sizeof msg) == 0, "%s: opt_load: %s", t[i].label, msg);
    cr_expect(same_state(a, b), "%s: the loaded state differs from the saved one", t[i].label);
    cr_expect(opt_steps(b) == 7, "%s: step count after load %llu", t[i].label,
              (unsigned long long)opt_steps(b));
    kind_run(a, pa, n, 7, 9, 100 + (uint64_t)i);
    kind_run(b, pb, n, 7, 9, 100 + (uint64_t)i);
    kind_run(fresh, pc, n, 7, 9, 100 + (uint64_t)i);
    cr_expect(memcmp(pa, pb, sizeof pa) == 0, "%s: parameters differ after save/load and 9 steps",
              t[i].label);
    cr_expect(same_state(a, b), "%s: state differs after save/load and 9 steps", t[i].label);
    if (t[i].k > 0 || strcmp(t[i].name, "sgd") != 0)
      cr_expect(memcmp(pa, pc, sizeof pa) != 0,
                "%s: test is vacuous: a fresh optimizer ends at the same parameters", t[i].label);
    opt_free(&a); opt_free(&b); opt_free(&fresh);
  }
  rm_tree(dir);
}

/* A state saved by one kind or configuration loads into another only if the
   other is the same kind with the same state vectors (then it takes over the
   saved configuration, which says what the vectors mean); otherwise it is
   refused with a message, and the optimizer is left as it was. */
Test(opt, load_across_kinds_and_configs)
{
  const struct kcase *t = kcases();
  char *dir = tmp_dir();
  enum { n = 4 };
  char path[4200];
  for (int i = 0; i < NKCASES; i++) {
    snprintf(path, sizeof path, "%s/%d.state", dir, i);
    struct optimizer *a = opt_new(t[i].name, n, &t[i].c);
    float p[n] = {1, 2, -3, 0.5f};
    kind_run(a, p, n, 0, 3, 7);
    cr_assert(opt_save(a, path) == 0);
    opt_free(&a);
  }
  for (int i = 0; i < NKCASES; i++)
    for (int j = 0; j < NKCASES; j++) {
      if (i == j) continue;
      snprintf(path, sizeof path, "%s/%d.state", dir, i);
      struct optimizer *b = opt_new(t[j].name, n, &t[j].c);
      float p[n] = {0.5f, -1, 2, 1};
      kind_run(b, p, n, 0, 2, 8);
      struct optimizer *before = opt_new(t[j].name, n, &t[j].c);
      kind_run(before, (float[n]){0.5f, -1, 2, 1}, n, 0, 2, 8);
      char msg[512];
      memset(msg, 0, sizeof msg);
      int rc = opt_load(b, path, msg, sizeof msg);
      bool compatible = strcmp(t[i].name, t[j].name) == 0 && t[i].k == t[j].k;
      if (compatible) {
        cr_expect(rc == 0, "%s state into %s: refused (%s)", t[i].label, t[j].label, msg);
        cr_expect(opt_steps(b) == 3 && b->c.centered == t[i].c.centered &&
                  b->c.momentum == t[i].c.momentum && b->c.nesterov == t[i].c.nesterov &&
                  b->c.amsgrad == t[i].c.amsgrad && b->c.beta1 == t[i].c.beta1,
                  "%s state into %s: the saved configuration was not taken over", t[i].label,
                  t[j].label);
      } else {
        cr_expect(rc == -1, "%s state loaded into %s", t[i].label, t[j].label);
        cr_expect(msg[0] != '\0', "%s state into %s: refused without a message", t[i].label,
                  t[j].label);
        if (strcmp(t[i].name, t[j].name) != 0 && t[i].k == t[j].k)
          cr_expect(has_word(msg, t[i].name),
                    "%s state into %s: the message should name '%s': %s", t[i].label, t[j].label,
                    t[i].name, msg);
        cr_expect(same_state(b, before) && b->c.lr == before->c.lr,
                  "%s state into %s: a refused load changed the optimizer", t[i].label, t[j].label);
      }
      opt_free(&b); opt_free(&before);
    }
  /* another length, for a kind with state */
  snprintf(path, sizeof path, "%s/%d.state", dir, 8);         /* adam, n = 4 */
  struct optimizer *o = opt_new("adam", n + 2, &t[8].c);
  char msg[256] = "";
  cr_expect(opt_load(o, path, msg, sizeof msg) == -1 && msg[0], "adam state of 4 loaded into 6");
  opt_free(&o);
  rm_tree(dir);
}

/* maximize negates the gradient before anything else (the decay included), so
   maximizing on g is minimizing on -g, bit for bit, for every kind */
Test(opt, maximize_is_minimizing_the_negated_gradient)
{
  const struct kcase *t = kcases();
  enum { n = 5, T = 12 };
  for (int i = 0; i < NKCASES; i++) {
    struct opt_config up = t[i].c, down = t[i].c;
    up.maximize = true; down.maximize = false;
    if (up.weight_decay == 0 && strcmp(t[i].name, "adamw") != 0) up.weight_decay = down.weight_decay = 0.3;
    struct optimizer *a = opt_new(t[i].name, n, &up), *b = opt_new(t[i].name, n, &down);
    float pa[n] = {1, -2, 0.5f, 3, 0}, pb[n], g[n], ng[n];
    memcpy(pb, pa, sizeof pa);
    struct rng r;
    rng_seed(&r, 5, (uint64_t)i);
    for (int s = 0; s < T; s++) {
      for (int k = 0; k < n; k++) { g[k] = (float)rng_normal(&r); ng[k] = -g[k]; }
      opt_step(a, pa, g);
      opt_step(b, pb, ng);
    }
    cr_expect(memcmp(pa, pb, sizeof pa) == 0 && same_state(a, b),
              "%s: maximize on g differs from minimize on -g (the sign must be applied before the "
              "decay): p[0] %.9g vs %.9g", t[i].label, pa[0], pb[0]);
    opt_free(&a); opt_free(&b);
  }
}

/* A file whose checksum is right but whose configuration does not fit its
   state is refused: the configuration says what the vectors mean.  The patch
   relies on A1-toolkit.w's format (flags at bytes 136-139: nesterov, maximize,
   amsgrad, centered; lr the double at byte 48; CRC-32 of the rest at the end). */
static void patch_and_expect_refused(const char *dir, const unsigned char *file, size_t size,
                                     size_t at, const void *bytes, size_t nbytes, const char *what)
{
  unsigned char *b = malloc(size);
  memcpy(b, file, size);
  memcpy(b + at, bytes, nbytes);
  uLong crc = crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (unsigned char)(crc >> (8 * j));
  const char *path = path_in(dir, "patched.state");
  spit(path, b, size);
  struct opt_config c;
  opt_defaults("rmsprop", &c);
  c.centered = true;
  struct optimizer *o = opt_new("rmsprop", 3, &c);
  char msg[256] = "";
  cr_expect(opt_load(o, path, msg, sizeof msg) == -1, "loaded a file with %s", what);
  cr_expect(msg[0] != '\0', "%s: refused without a message", what);
  cr_expect(opt_steps(o) == 0 && o->c.centered, "%s: a refused load changed the optimizer", what);
  opt_free(&o);
  free(b);
}

Test(opt, load_rejects_config_inconsistent_with_state)
{
  char *dir = tmp_dir();
  struct opt_config c;
  opt_defaults("rmsprop", &c);
  c.centered = true;
  struct optimizer *o = opt_new("rmsprop", 3, &c);
  float p[3] = {1, 2, 3};
  kind_run(o, p, 3, 0, 4, 1);
  char path[4200];
  snprintf(path, sizeof path, "%s/centered.state", dir);
  cr_assert(opt_save(o, path) == 0);
  size_t size;
  unsigned char *b = (unsigned char *)slurp(path, &size);
  cr_assert(b && size == 168 + 4 * 2 * 3 + 4, "unexpected file size %zu (format changed?)", size);
  cr_assert(b[139] == 1, "the centered flag is not at byte 139 (format changed?)");
  const unsigned char zero = 0;
  patch_and_expect_refused(dir, b, size, 139, &zero, 1, "centered cleared (1 vector, file has 2)");
  const double neg = -1.0;
  unsigned char le[8];
  uint64_t u;
  memcpy(&u, &neg, 8);
  for (int j = 0; j < 8; j++) le[j] = (unsigned char)(u >> (8 * j));
  patch_and_expect_refused(dir, b, size, 48, le, 8, "lr -1 (a configuration PyTorch rejects)");
  /* the unpatched file loads */
  struct optimizer *fresh = opt_new("rmsprop", 3, &c);
  char msg[256] = "";
  cr_expect(opt_load(fresh, path, msg, sizeof msg) == 0, "%s", msg);
  opt_free(&fresh);
  free(b);
  opt_free(&o);
  rm_tree(dir);
}

/* -- states that no run reaches (chapters/A1-toolkit.w, "refuse a step count or a state
   that no run reaches"; the kinds' validate hooks in chapters/02-momentum.w and
   03-adaptive.w) ---------------------------------------------------------------------- */

/* Save o (a valid checksum: opt_save computes it) and load the file into a fresh
   optimizer of the same configuration that has taken 2 steps; expect the load to be
   refused with a message that names the file and contains `word`, and the target to be
   left exactly as it was.  Returns nothing; reports through Criterion. */
static void expect_state_refused(const struct optimizer *o, const char *dir, const char *what,
                                 const char *word)
{
  const char *path = path_in(dir, "impossible.state");
  char *p = strdup(path);
  cr_assert(opt_save(o, p) == 0, "%s: opt_save: %s", what, strerror(errno));
  struct optimizer *target = opt_new(o->kind->name, o->n, &o->c);
  float *q = vec_new(o->n);
  kind_run(target, q, o->n, 0, 2, 99);
  struct optimizer *before = opt_new(o->kind->name, o->n, &o->c);
  float *q2 = vec_new(o->n);
  kind_run(before, q2, o->n, 0, 2, 99);
  char msg[512];
  memset(msg, 0, sizeof msg);
  cr_expect(opt_load(target, p, msg, sizeof msg) == -1, "%s: loaded", what);
  cr_expect(strstr(msg, p) != NULL, "%s: the message should name the file: '%s'", what, msg);
  cr_expect(strcasestr(msg, word) != NULL, "%s: the message should say '%s': '%s'", what, word, msg);
  cr_expect(same_state(target, before) && memcmp(&target->c, &before->c, sizeof target->c) == 0,
            "%s: a refused load changed the optimizer", what);
  opt_free(&target); opt_free(&before);
  vec_free(&q); vec_free(&q2);
  free(p);
}

/* the same file loads, bit for bit */
static void expect_state_loads(const struct optimizer *o, const char *dir, const char *what)
{
  char *p = strdup(path_in(dir, "possible.state"));
  cr_assert(opt_save(o, p) == 0, "%s: opt_save: %s", what, strerror(errno));
  struct optimizer *target = opt_new(o->kind->name, o->n, &o->c);
  char msg[512] = "";
  cr_expect(opt_load(target, p, msg, sizeof msg) == 0, "%s: refused: %s", what, msg);
  cr_expect(same_state(target, o), "%s: the loaded state differs from the saved one", what);
  opt_free(&target);
  free(p);
}

static struct optimizer *stepped(const char *name, const struct opt_config *c, size_t n, int steps)
{
  struct optimizer *o = opt_new(name, n, c);
  float *p = vec_new(n);
  for (size_t i = 0; i < n; i++) p[i] = (float)i - 1.5f;
  kind_run(o, p, n, 0, steps, 4242);
  vec_free(&p);
  return o;
}

/* A step count that no run reaches: 2^64 - 1 (the next step would wrap to 0), and
   anything beyond 2^53 (DESCENT_MAX_STEPS); 2^53 itself loads. */
Test(opt, load_refuses_impossible_step_counts)
{
  char *dir = tmp_dir();
  const struct kcase *t = kcases();
  for (int i = 0; i < NKCASES; i++) {
    struct optimizer *o = stepped(t[i].name, &t[i].c, 4, 3);
    char what[128];
    const uint64_t bad[] = {UINT64_MAX, UINT64_MAX - 1, DESCENT_MAX_STEPS + 1, UINT64_C(1) << 63};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
      o->t = bad[k];
      snprintf(what, sizeof what, "%s, t = %llu", t[i].label, (unsigned long long)bad[k]);
      expect_state_refused(o, dir, what, "step count");
    }
    o->t = DESCENT_MAX_STEPS;
    snprintf(what, sizeof what, "%s, t = 2^53", t[i].label);
    expect_state_loads(o, dir, what);
    opt_free(&o);
  }
  rm_tree(dir);
}

/* NaN and infinities anywhere in the state are refused, for every kind with a state */
Test(opt, load_refuses_non_finite_state)
{
  char *dir = tmp_dir();
  const struct kcase *t = kcases();
  const float bad[] = {NAN, INFINITY, -INFINITY};
  for (int i = 0; i < NKCASES; i++) {
    if (t[i].k == 0) continue;
    for (size_t j = 0; j < t[i].k; j++)
      for (size_t b = 0; b < 3; b++) {
        struct optimizer *o = stepped(t[i].name, &t[i].c, 5, 4);
        opt_state(o, j)[3] = bad[b];
        char what[128];
        snprintf(what, sizeof what, "%s, vector %zu [3] = %g", t[i].label, j, bad[b]);
        expect_state_refused(o, dir, what, "finite");
        opt_free(&o);
      }
  }
  rm_tree(dir);
}

/* Negative second moments, and the other relations the rules keep exactly. */
Test(opt, load_refuses_impossible_moments)
{
  char *dir = tmp_dir();
  struct opt_config c;
  struct optimizer *o;
  /* Adagrad: the sum of squares starts at initial_accumulator_value and never falls */
  opt_defaults("adagrad", &c);
  c.initial_accumulator_value = 0.5;
  o = stepped("adagrad", &c, 4, 3);
  opt_state(o, 0)[1] = -1.0f;
  expect_state_refused(o, dir, "adagrad sum -1", "sum[1]");
  opt_state(o, 0)[1] = 0.25f;
  expect_state_refused(o, dir, "adagrad sum 0.25 below its start 0.5", "initial_accumulator_value");
  opt_state(o, 0)[1] = 0.5f;
  expect_state_loads(o, dir, "adagrad sum at its start");
  opt_free(&o);
  /* RMSprop: square_avg never negative (alpha <= 1) */
  opt_defaults("rmsprop", &c);
  o = stepped("rmsprop", &c, 4, 3);
  opt_state(o, 0)[2] = -1e-30f;
  expect_state_refused(o, dir, "rmsprop square_avg -1e-30", "square_avg[2]");
  opt_state(o, 0)[2] = 0.0f;
  expect_state_loads(o, dir, "rmsprop square_avg 0");
  opt_free(&o);
  /* ... but with alpha > 1 (PyTorch accepts it) a real run makes it negative: accepted */
  c.alpha = 1.5;
  o = stepped("rmsprop", &c, 4, 3);
  cr_assert(opt_state(o, 0)[0] < 0, "test setup: alpha 1.5 leaves square_avg %g",
            opt_state(o, 0)[0]);
  expect_state_loads(o, dir, "rmsprop alpha 1.5, negative square_avg from a real run");
  opt_free(&o);
  /* RMSprop centered: grad_avg^2 <= square_avg (Cauchy-Schwarz), with room for rounding */
  opt_defaults("rmsprop", &c);
  c.centered = true; c.momentum = 0.9;
  o = stepped("rmsprop", &c, 4, 3);
  opt_state(o, 0)[0] = -2.0f;
  expect_state_refused(o, dir, "rmsprop centered square_avg -2", "square_avg[0]");
  opt_state(o, 0)[0] = 1.0f;
  opt_state(o, 1)[0] = 2.0f;                 /* a^2 = 4 > 2v + FLT_MIN */
  expect_state_refused(o, dir, "rmsprop centered grad_avg 2 beside square_avg 1", "grad_avg[0]");
  opt_state(o, 1)[0] = -1.0f;                /* a^2 = v: what a constant gradient gives */
  opt_state(o, 2)[0] = -1e30f;               /* the momentum buffer may hold anything finite */
  expect_state_loads(o, dir, "rmsprop centered, a^2 = v, a huge buffer");
  opt_free(&o);
  /* Adam and AdamW: exp_avg_sq never negative; AMSGrad's maximum never below it */
  const char *adams[] = {"adam", "adamw"};
  for (int k = 0; k < 2; k++) {
    char what[128];
    opt_defaults(adams[k], &c);
    c.amsgrad = true;
    o = stepped(adams[k], &c, 4, 6);
    opt_state(o, 1)[3] = -0.5f;
    opt_state(o, 2)[3] = 1.0f;
    snprintf(what, sizeof what, "%s exp_avg_sq -0.5", adams[k]);
    expect_state_refused(o, dir, what, "exp_avg_sq[3]");
    opt_state(o, 1)[3] = 2.0f;               /* the maximum 1 is below v 2 */
    snprintf(what, sizeof what, "%s max_exp_avg_sq below exp_avg_sq", adams[k]);
    expect_state_refused(o, dir, what, "max_exp_avg_sq[3]");
    opt_state(o, 1)[3] = 1.0f;
    snprintf(what, sizeof what, "%s max_exp_avg_sq = exp_avg_sq", adams[k]);
    expect_state_loads(o, dir, what);
    opt_state(o, 0)[3] = -3e38f;             /* exp_avg may be any finite number */
    snprintf(what, sizeof what, "%s exp_avg -3e38", adams[k]);
    expect_state_loads(o, dir, what);
    opt_free(&o);
    opt_defaults(adams[k], &c);
    o = stepped(adams[k], &c, 4, 6);
    opt_state(o, 1)[0] = -FLT_MIN;
    snprintf(what, sizeof what, "%s (no amsgrad) exp_avg_sq -FLT_MIN", adams[k]);
    expect_state_refused(o, dir, what, "exp_avg_sq[0]");
    opt_free(&o);
  }
  rm_tree(dir);
}

/* Every state that real runs write loads, bit for bit: every configuration of kcases,
   after long runs on gradients of very different sizes, among them gradients whose
   squares underflow (the case the centered check leaves room for). */
Test(opt, load_accepts_states_real_runs_reach)
{
  char *dir = tmp_dir();
  const struct kcase *t = kcases();
  const double scales[] = {1.0, 1e-21, 1e-30, 1e18, 3e-19};
  enum { n = 16, T = 3000 };
  for (int i = 0; i < NKCASES; i++)
    for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
      struct optimizer *o = opt_new(t[i].name, n, &t[i].c);
      float p[n], g[n];
      struct rng r;
      rng_seed(&r, 11 + s, (uint64_t)i);
      for (int k = 0; k < n; k++) p[k] = (float)rng_normal(&r);
      for (int step = 0; step < T; step++) {
        for (int k = 0; k < n; k++)
          g[k] = (float)(scales[s] * (0.3 + rng_normal(&r)) * (step % 97 == 0 ? 50 : 1));
        opt_step(o, p, g);
      }
      bool finite = true;
      for (size_t j = 0; j < opt_nstate(o); j++) finite = finite && vec_all_finite(opt_state(o, j), n);
      if (!finite) { opt_free(&o); continue; }   /* a diverged run has nothing to resume */
      char what[128];
      snprintf(what, sizeof what, "%s after %d steps at scale %g", t[i].label, T, scales[s]);
      expect_state_loads(o, dir, what);
      opt_free(&o);
    }
  rm_tree(dir);
}

/* A file built byte by byte (put_u64, put_f64, zlib's crc32), as another program would
   write it: with sane contents it is exactly opt_save's file and loads; with the step
   count 2^64 - 1, or a flag byte that is not 0 or 1, its checksum is right and it is
   refused all the same. */
static size_t build_adam_file(unsigned char *b, uint64_t t, unsigned char flag, const float *state,
                              size_t n)
{
  memset(b, 0, 168);
  memcpy(b, "DSCOPT02", 8);
  strcpy((char *)b + 8, "adam");
  put_u64(b + 24, n); put_u64(b + 32, t); put_u64(b + 40, 2);
  const double v[11] = {1e-3, 0, 0, 0, 1e-8, 0, 0, 0, 0.9, 0.999, 0};
  for (int i = 0; i < 11; i++) put_f64(b + 48 + 8 * i, v[i]);
  b[137] = flag;                                       /* maximize */
  for (size_t i = 0; i < 2 * n; i++) {
    uint32_t u;
    memcpy(&u, &state[i], 4);
    for (int j = 0; j < 4; j++) b[168 + 4 * i + j] = (unsigned char)(u >> (8 * j));
  }
  size_t size = 168 + 8 * n + 4;
  uLong crc = crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (unsigned char)(crc >> (8 * j));
  return size;
}

Test(opt, load_hand_built_files)
{
  char *dir = tmp_dir();
  enum { n = 3 };
  const float state[2 * n] = {0.1f, -0.2f, 0.3f, 0.01f, 0.04f, 0.09f};
  unsigned char b[168 + 8 * n + 4];
  struct opt_config c;
  opt_defaults("adam", &c);
  char msg[512];
  /* sane: loads, and is byte for byte what opt_save writes for the same optimizer */
  size_t size = build_adam_file(b, 5, 0, state, n);
  char *good = strdup(path_in(dir, "good.state"));
  spit(good, b, size);
  struct optimizer *o = opt_new("adam", n, &c);
  memset(msg, 0, sizeof msg);
  cr_assert(opt_load(o, good, msg, sizeof msg) == 0, "a sane hand-built file: %s", msg);
  cr_expect(opt_steps(o) == 5 && memcmp(opt_state(o, 0), state, sizeof state) == 0,
            "the hand-built state did not come back bit for bit");
  char *again = strdup(path_in(dir, "again.state"));
  cr_assert(opt_save(o, again) == 0);
  size_t size2;
  unsigned char *b2 = (unsigned char *)slurp(again, &size2);
  cr_expect(size2 == size && memcmp(b, b2, size) == 0, "opt_save writes another file");
  free(b2);
  /* the step count 2^64 - 1, and a flag byte 2, with right checksums */
  struct { uint64_t t; unsigned char flag; const char *word; } bad[] = {
    {UINT64_MAX, 0, "step count"}, {DESCENT_MAX_STEPS + 1, 0, "step count"},
    {5, 2, "configuration"}};
  for (size_t k = 0; k < 3; k++) {
    size = build_adam_file(b, bad[k].t, bad[k].flag, state, n);
    char *path = strdup(path_in(dir, "bad.state"));
    spit(path, b, size);
    struct optimizer *fresh = opt_new("adam", n, &c);
    memset(msg, 0, sizeof msg);
    cr_expect(opt_load(fresh, path, msg, sizeof msg) == -1, "case %zu: loaded", k);
    cr_expect(strcasestr(msg, bad[k].word) != NULL && strstr(msg, path) != NULL,
              "case %zu: message '%s'", k, msg);
    cr_expect(opt_steps(fresh) == 0 && !fresh->c.maximize, "case %zu: the optimizer changed", k);
    opt_free(&fresh);
    free(path);
  }
  /* a negative exp_avg_sq, likewise */
  float neg[2 * n];
  memcpy(neg, state, sizeof neg);
  neg[n + 1] = -0.04f;
  size = build_adam_file(b, 5, 0, neg, n);
  char *path = strdup(path_in(dir, "neg.state"));
  spit(path, b, size);
  struct optimizer *fresh = opt_new("adam", n, &c);
  memset(msg, 0, sizeof msg);
  cr_expect(opt_load(fresh, path, msg, sizeof msg) == -1 && strstr(msg, "exp_avg_sq[1]"),
            "a negative exp_avg_sq: '%s'", msg);
  opt_free(&fresh);
  free(path);
  opt_free(&o);
  free(good); free(again);
  rm_tree(dir);
}
