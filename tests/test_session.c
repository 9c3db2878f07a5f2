/* tests/test_session.c -- the parameter layout, parameter groups, the sampler's
   shards and seek, the training session, and its checkpoint (Appendix A, part 4). */
#include "testutil.h"
#include <criterion/criterion.h>
#include <omp.h>
#include <zlib.h>
#include "descent.h"

/* A small synthetic data set: 3 classes, 20 features, 250 examples. */
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

static struct session_config toy_config(void)
{
  struct session_config c = {0};
  c.nlayers = 2; c.sizes[0] = 20; c.sizes[1] = 16; c.sizes[2] = 3;
  c.opt_name = "adamw";
  opt_defaults("adamw", &c.opt);
  c.opt.lr = 1e-2;
  c.sched_name = "warmup-cosine";
  sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = 1e-2; c.sched.warmup_steps = 5; c.sched.t_max = 60;
  c.clip_norm = 1.0;
  c.no_decay_bias = true;
  c.batch = 32; c.seed = 11; c.world = 1;
  return c;
}

static struct session *make(const struct session_config *c, const struct dataset *d)
{
  char msg[256];
  struct session *S = session_new(c, d, msg, sizeof msg);
  cr_assert(S, "session_new: %s", msg);
  return S;
}

static void run(struct session *S, int steps) { for (int i = 0; i < steps; i++) session_step(S); }

static bool same_bits(const float *a, const float *b, size_t n)
{ return memcmp(a, b, n * sizeof(float)) == 0; }

/* Save after k steps (mid-epoch: an epoch is 7 steps), load into a fresh session,
   continue; the weights and optimizer state equal those of an uninterrupted run. */
static void resume_case(struct session_config c, int k, int total)
{
  struct dataset d = toy();
  char *dir = tmp_dir(), path[512];
  snprintf(path, sizeof path, "%s/run.ckpt", dir);
  struct session *A = make(&c, &d), *B = make(&c, &d);
  run(A, total);
  run(B, k);
  cr_assert_eq(session_save(B, path), 0);
  session_free(&B);
  struct session *C = make(&c, &d);
  char msg[256];
  cr_assert_eq(session_load(C, path, msg, sizeof msg), 0, "%s", msg);
  cr_expect_eq(C->step, (uint64_t)k);
  run(C, total - k);
  cr_expect(same_bits(A->m->params, C->m->params, A->m->nparams), "weights differ after resume");
  cr_expect(same_bits(A->o->state, C->o->state, A->o->k * A->o->n), "optimizer state differs");
  cr_expect_eq(A->smp.pos, C->smp.pos);
  cr_expect_eq(A->smp.epoch, C->smp.epoch);
  session_free(&A); session_free(&C); dataset_free(&d); rm_tree(dir);
}

Test(session, resume_is_bit_identical_mid_epoch)
{ resume_case(toy_config(), 17, 40); }

Test(session, resume_with_fp16_gradients_and_the_scaler)
{
  struct session_config c = toy_config();
  c.fp16_grads = true;
  scaler_defaults(&c.scaler);
  c.scaler.scale = 1e30f;   /* overflows at first: skipped steps, backoff */
  c.scaler.interval = 3;
  resume_case(c, 23, 45);
}

Test(session, resume_with_sgd_and_no_schedule)
{
  struct session_config c = toy_config();
  c.opt_name = "sgd"; opt_defaults("sgd", &c.opt);
  c.opt.lr = 0.1; c.opt.momentum = 0.9; c.opt.weight_decay = 1e-3; c.opt.nesterov = true;
  c.sched_name = NULL; c.clip_norm = 0;
  resume_case(c, 9, 30);
}

/* The same seed gives the same bits with one thread or two. */
Test(session, thread_count_does_not_change_the_bits)
{
  struct dataset d = toy();
  struct session_config c = toy_config();
  c.sizes[1] = 300;
  int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  struct session *A = make(&c, &d);
  run(A, 20);
  omp_set_num_threads(2);
  struct session *B = make(&c, &d);
  run(B, 20);
  omp_set_num_threads(saved);
  cr_expect(same_bits(A->m->params, B->m->params, A->m->nparams));
  session_free(&A); session_free(&B); dataset_free(&d);
}

/* One step by hand: batch, loss, per-tensor clip, the schedule's rate, AdamW
   with the biases undecayed -- what session_step must do, in that order. */
Test(session, one_step_is_the_documented_sequence)
{
  struct dataset d = toy();
  struct session_config c = toy_config();
  struct session *S = make(&c, &d);
  /* the same start, by hand */
  struct rng g; rng_seed(&g, c.seed, 0);
  struct mlp *m = mlp_new(2, c.sizes);
  mlp_init(m, &g);
  struct layout *L = mlp_layout_groups(m, 0.0);
  struct optimizer *o = opt_new_layout("adamw", L, &c.opt);
  struct schedule *s = sched_new("warmup-cosine", &c.sched);
  struct sampler smp; sampler_init(&smp, d.n, c.batch, rng_u64(&g));
  float *xb = vec_new(c.batch * d.dim); uint8_t *yb = malloc(c.batch);
  float *start = vec_new(m->nparams);
  memcpy(start, m->params, m->nparams * sizeof *start);
  for (int t = 0; t < 12; t++) {
    dataset_gather(&d, sampler_next(&smp), c.batch, xb, yb);
    double loss = mlp_loss_grad(m, xb, yb, c.batch);
    clip_grad_norm_layout(L, m->grads, 1.0, 2.0);
    sched_apply(s, o, NULL, 0);
    opt_step(o, m->params, m->grads);
    sched_step(s, NULL, 0);
    cr_expect_eq(session_step(S), loss, "step %d: loss", t);
  }
  cr_expect(same_bits(S->m->params, m->params, m->nparams));
  /* two runs that both stand still agree, and prove nothing */
  cr_expect(!same_bits(start, m->params, m->nparams), "twelve steps left the weights as they were");
  free(start); free(xb); free(yb); sampler_free(&smp); sched_free(&s); opt_free(&o); layout_free(&L);
  mlp_free(&m); session_free(&S); dataset_free(&d);
}

/* Parameter groups: no decay on biases, and a group's own rate under a schedule. */
Test(layout, groups_set_decay_and_rate_per_tensor)
{
  struct layout *L = layout_new();
  size_t w[2] = {2, 3}, b[1] = {2};
  unsigned nodecay = layout_add_group(L, NAN, 0.0), fast = layout_add_group(L, 0.2, NAN);
  layout_add(L, "W", 2, w, 0);
  layout_add(L, "b", 1, b, nodecay);
  layout_add(L, "v", 1, b, fast);
  cr_assert_eq(L->n, 10);
  struct opt_config c; opt_defaults("sgd", &c); c.lr = 0.1; c.weight_decay = 0.5;
  struct optimizer *o = opt_new_layout("sgd", L, &c);
  float p[10], g[10] = {0};
  for (int i = 0; i < 10; i++) p[i] = 1.0f;
  opt_step(o, p, g);
  cr_expect_eq(p[0], 1.0f - 0.1f * 0.5f, "W decays");
  cr_expect_eq(p[6], 1.0f, "b does not decay");
  cr_expect_eq(p[8], 1.0f + (float)-0.2 * (0.5f * 1.0f), "v: its own rate, the default decay");
  struct sched_config sc; sched_defaults("cosine", &sc); sc.lr = 0.1; sc.t_max = 10;
  struct schedule *s = sched_new("cosine", &sc);
  for (int t = 0; t < 4; t++) sched_step(s, NULL, 0);
  sched_apply(s, o, NULL, 0);
  cr_expect_float_eq(opt_group_lr(o, fast) / opt_group_lr(o, 0), 2.0, 1e-12);
  cr_expect_eq(opt_group_lr(o, nodecay), opt_group_lr(o, 0));
  double norms[3];
  layout_norms(L, p, norms);
  cr_expect_float_eq(norms[1], sqrt(2.0), 1e-12);
  sched_free(&s); opt_free(&o); layout_free(&L);
}

Test(layout, mlp_publishes_its_tensors)
{
  const size_t sizes[3] = {5, 4, 3};
  struct mlp *m = mlp_new(2, sizes);
  const struct layout *L = m->tensor_layout;
  cr_assert_eq(L->ntensors, 4);
  cr_expect_str_eq(L->tensors[0].name, "W0");
  cr_expect_eq(L->tensors[0].shape[0], 4);
  cr_expect_eq(L->tensors[0].shape[1], 5);
  cr_expect_eq(L->tensors[1].offset, 20);
  cr_expect_str_eq(L->tensors[3].name, "b1");
  cr_expect_eq(L->n, m->nparams);
  cr_expect_eq((uintptr_t)m->params % 64, 0, "params are 64-byte aligned");
  mlp_free(&m);
}

/* The per-tensor norm of PyTorch 1.13 is the global norm up to rounding. */
Test(layout, clip_by_layout_matches_the_flat_norm)
{
  const size_t sizes[3] = {30, 20, 10};
  struct mlp *m = mlp_new(2, sizes);
  struct rng r; rng_seed(&r, 3, 3);
  for (size_t i = 0; i < m->nparams; i++) m->grads[i] = (float)rng_uniform(&r) - 0.5f;
  float *h = vec_new(m->nparams);
  vec_copy(h, m->grads, m->nparams);
  float a = clip_grad_norm_layout(m->tensor_layout, m->grads, 1.0, 2.0);
  float b = clip_grad_norm(h, m->nparams, 1.0, 2.0);
  cr_expect(fabsf(a - b) <= 2e-6f * b, "%g vs %g", a, b);
  for (size_t i = 0; i < m->nparams; i++)
    cr_assert(fabsf(m->grads[i] - h[i]) <= 1e-6f, "entry %zu", i);
  vec_free(&h); mlp_free(&m);
}

/* The shards of W processes, put side by side, are the global batch; a seek
   lands where the sequential sampler would have been. */
Test(sampler, shards_and_seek)
{
  struct sampler one, part[4];
  sampler_init(&one, 103, 8, 5);
  for (unsigned r = 0; r < 4; r++) { sampler_init(&part[r], 103, 8, 5); sampler_shard(&part[r], r, 4); }
  for (int step = 0; step < 40; step++) {
    const uint32_t *g = sampler_next(&one);
    for (unsigned r = 0; r < 4; r++) {
      const uint32_t *p = sampler_next(&part[r]);
      cr_assert_eq(memcmp(p, g + 2 * r, 2 * sizeof(uint32_t)), 0, "step %d rank %u", step, r);
    }
  }
  struct sampler jump;
  sampler_init(&jump, 103, 8, 5);
  sampler_seek(&jump, one.epoch, one.pos);
  for (int step = 0; step < 30; step++)
    cr_assert_eq(memcmp(sampler_next(&jump), sampler_next(&one), 8 * sizeof(uint32_t)), 0);
  sampler_free(&one); sampler_free(&jump);
  for (unsigned r = 0; r < 4; r++) sampler_free(&part[r]);
}

/* -- the checkpoint refuses what no run can have written ------------------ */
static unsigned char *read_whole(const char *path, size_t *n)
{
  char msg[256];
  unsigned char *b = read_file(path, n, msg, sizeof msg);
  cr_assert(b, "%s", msg);
  return b;
}
static void write_with_crc(const char *path, unsigned char *b, size_t n)
{
  uint32_t crc = (uint32_t)crc32(0L, b, (uInt)(n - 4));
  for (int j = 0; j < 4; j++) b[n - 4 + j] = (unsigned char)(crc >> (8 * j));
  cr_assert_eq(write_file_atomic(path, b, n), 0);
}
/* The offset of the first element of field NAME. */
static size_t field_at(const unsigned char *b, size_t n, const char *name)
{
  for (size_t at = 16; at + 4 < n; ) {
    size_t nl = b[at];
    int type = b[at + 1 + nl];
    uint64_t count = get_u64(b + at + 2 + nl);
    size_t es = type == 3 ? 4 : type == 4 ? 1 : 8;
    if (nl == strlen(name) && memcmp(b + at + 1, name, nl) == 0) return at + 2 + nl + 8;
    at += 2 + nl + 8 + count * es;
  }
  cr_assert_fail("no field %s", name);
  return 0;
}

Test(checkpoint, refuses_damage_and_impossible_contents)
{
  struct dataset d = toy();
  struct session_config c = toy_config();
  char *dir = tmp_dir(), path[512], bad[512], msg[256];
  snprintf(path, sizeof path, "%s/a.ckpt", dir);
  snprintf(bad, sizeof bad, "%s/b.ckpt", dir);
  struct session *S = make(&c, &d);
  run(S, 10);
  cr_assert_eq(session_save(S, path), 0);
  size_t n;
  unsigned char *orig = read_whole(path, &n), *b = malloc(n);
  struct session *T = make(&c, &d);
  float w0 = T->m->params[0];
  struct { const char *what, *field; size_t off; uint64_t v; bool crc; size_t cut; } cases[] = {
    {"truncated", NULL, 0, 0, false, 100},
    {"a flipped byte", "params", 5, 0x40, false, 0},
    {"step 2^64-1", "step", 0, UINT64_MAX, true, 0},
    {"a sampler between batches", "sampler", 16, 5, true, 0},
    {"a sampler in epoch 2^40", "sampler", 8, (uint64_t)1 << 40, true, 0},
    {"an even PCG increment", "rng", 8, 2, true, 0},
    {"a NaN weight", "params", 0, 0x7fc00000u, true, 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    memcpy(b, orig, n);
    size_t len = n - cases[k].cut;
    if (cases[k].field) {
      size_t at = field_at(b, n, cases[k].field) + cases[k].off;
      if (!cases[k].crc) b[at] ^= (unsigned char)cases[k].v;
      else if (strcmp(cases[k].field, "params") == 0)
        for (int j = 0; j < 4; j++) b[at + j] = (unsigned char)(cases[k].v >> (8 * j));
      else put_u64(b + at, cases[k].v);
    }
    if (cases[k].crc) write_with_crc(bad, b, len);
    else cr_assert_eq(write_file_atomic(bad, b, len), 0);
    cr_expect_neq(session_load(T, bad, msg, sizeof msg), 0, "%s was accepted", cases[k].what);
    cr_expect(strstr(msg, bad) != NULL, "%s: message names the file: %s", cases[k].what, msg);
    cr_expect_eq(T->step, 0, "%s: a refused load changes nothing", cases[k].what);
    cr_expect_eq(T->m->params[0], w0);
  }
  /* a checkpoint of another network */
  struct session_config c2 = c;
  c2.sizes[1] = 17;
  struct session *U = make(&c2, &d);
  cr_expect_neq(session_load(U, path, msg, sizeof msg), 0);
  cr_expect(strstr(msg, "another") != NULL, "%s", msg);
  /* and the intact file loads */
  cr_expect_eq(session_load(T, path, msg, sizeof msg), 0, "%s", msg);
  cr_expect(same_bits(T->m->params, S->m->params, S->m->nparams));
  free(orig); free(b); session_free(&S); session_free(&T); session_free(&U);
  dataset_free(&d); rm_tree(dir);
}

Test(session, refuses_a_bad_configuration)
{
  struct dataset d = toy();
  char msg[256];
  struct session_config c = toy_config();
  c.batch = 1000;
  cr_expect_null(session_new(&c, &d, msg, sizeof msg));
  cr_expect(strstr(msg, "250") != NULL, "%s", msg);
  c = toy_config(); c.sizes[0] = 21;
  cr_expect_null(session_new(&c, &d, msg, sizeof msg));
  c = toy_config(); c.world = 3;
  cr_expect_null(session_new(&c, &d, msg, sizeof msg));
  c = toy_config(); c.opt.lr = -1;
  cr_expect_null(session_new(&c, &d, msg, sizeof msg));
  cr_expect(strstr(msg, "learning rate") != NULL, "%s", msg);
  dataset_free(&d);
}
