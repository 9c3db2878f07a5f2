/* tests/test_opt.c -- the optimizer interface and SGD: defaults, PyTorch's
   validation, steps against hand-computed values, save/load. */
#include "testutil.h"
#include <criterion/criterion.h>
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

Test(opt, names_and_takes)
{
  const char *names = opt_names();
  cr_assert(names != NULL);
  cr_expect(strstr(names, "sgd") != NULL, "opt_names() = \"%s\"", names);
  cr_expect(opt_takes("sgd", "lr") && opt_takes("sgd", "weight_decay") && opt_takes("sgd", "maximize"));
  cr_expect(opt_takes("sgd", "weight-decay"), "kebab case is accepted too");
  cr_expect(!opt_takes("sgd", "betas") && !opt_takes("sgd", "eps") && !opt_takes("sgd", "amsgrad"));
  cr_expect(!opt_takes("sgd", "l"), "a prefix of an option is not the option");
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

/* Wrong kind: until a second optimizer exists, make one by renaming the kind in a
   saved file.  This relies on the file storing the kind's name as text and ending
   in a CRC-32 (zlib) of the rest, as A1-toolkit.w's format does; if the format
   changes, this test must change with it. */
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
