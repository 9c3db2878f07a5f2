/* tests/test_trainer.c -- chapter 9's fused clip + AdamW pass (the library's
   fused.c) against the library's unfused session_update. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

/* 3 classes, 20 features, 250 examples, as in tests/test_session.c */
static struct dataset toy(void)
{
  struct dataset d = {250, 20, NULL, NULL, 3};
  d.x = vec_new(d.n * d.dim);
  d.y = malloc(d.n);
  struct rng r;
  rng_seed(&r, 7, 7);
  for (size_t i = 0; i < d.n; i++) {
    d.y[i] = (uint8_t)rng_below(&r, 3);
    for (size_t j = 0; j < d.dim; j++)
      d.x[i * d.dim + j] = (float)rng_uniform(&r) + (j % 3 == d.y[i] ? 0.5f : 0.0f);
  }
  return d;
}

/* AdamW with decay on the weights only, a warmup-cosine schedule and clipping at
   a norm the gradients exceed: twenty steps fused and twenty through the library
   from the same start agree to float rounding (the two sum the norm's squares in
   different orders), and the weights did move. */
Test(trainer, fused_update_matches_the_library)
{
  struct dataset d = toy();
  struct session_config c = {0};
  c.nlayers = 2; c.sizes[0] = 20; c.sizes[1] = 16; c.sizes[2] = 3;
  c.opt_name = "adamw";
  opt_defaults("adamw", &c.opt);
  c.opt.lr = 1e-2; c.opt.weight_decay = 0.1;
  c.sched_name = "warmup-cosine";
  sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = 1e-2; c.sched.warmup_steps = 5; c.sched.t_max = 60;
  c.clip_norm = 0.05;
  c.no_decay_bias = true;
  c.batch = 32; c.seed = 11; c.world = 1;
  char msg[256];
  struct session *F = session_new(&c, &d, msg, sizeof msg), *U = session_new(&c, &d, msg, sizeof msg);
  cr_assert(F && U, "session_new: %s", msg);
  cr_assert(session_fusable(F), "AdamW clipped by norm is fusable");
  const size_t n = F->m->nparams;
  float *start = vec_new(n);
  memcpy(start, F->m->params, n * sizeof(float));
  for (int t = 0; t < 20; t++) {
    session_backward(F);
    cr_assert(session_update_fused(F), "step %d: the fused update refused a finite gradient", t);
    session_backward(U);
    session_update(U);
  }
  double worst = 0.0, moved = 0.0;
  for (size_t i = 0; i < n; i++) {
    worst = fmax(worst, fabs((double)F->m->params[i] - U->m->params[i]));
    moved = fmax(moved, fabs((double)U->m->params[i] - start[i]));
  }
  cr_expect(moved > 1e-3, "the weights moved (by %g at most)", moved);
  cr_expect(worst <= 1e-5, "fused and unfused weights differ by %g", worst);
  cr_expect_eq(F->step, U->step);
  vec_free(&start);
  session_free(&F); session_free(&U); dataset_free(&d);
}
