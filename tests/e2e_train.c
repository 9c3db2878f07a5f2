/* tests/e2e_train.c -- the end-to-end check against PyTorch, the C half.
 *
 * Trains the book's MLP (784-64-10 by default) on the first --n-train (4096)
 * pictures of Fashion-MNIST's training set in batches of 128 drawn by the
 * library's sampler, with AdamW, the warmup-cosine schedule and clipping by
 * global norm at 1, for 60 steps, and writes
 * everything PyTorch needs to repeat the run and everything it must agree
 * with to one text dump: the hyperparameters, the initial weights, the rows
 * of every batch, per step the loss, the gradient's norm before clipping and
 * the learning rate used, the hidden activations that are barely positive
 * (near0, see NEAR_ZERO), then the final weights.  tools/e2e-torch.py reads
 * the dump, trains the same network in PyTorch and compares; tests/e2e.sh
 * runs both (see there).
 *
 *   build/bin/e2e_train [--seed N] [--dump FILE] [options]   (--help lists them)
 *
 * The loop is the one a trainer runs, in this order at every step t:
 *   lr = the schedule's value at t (sched_apply); loss and gradient of the
 *   batch (mlp_loss_grad); clip_grad_norm(grads, max_norm); opt_step;
 *   sched_step -- which is PyTorch's
 *   loss.backward(); clip_grad_norm_(...); optimizer.step(); scheduler.step().
 * It lives in one function, train(), marked below, so that it can be
 * switched to a session API without touching the rest.
 *
 * Why batches of 128 and not 32: with 32 every one of the 60 gradients has a
 * norm above 1 (1.3 to 3.8), so every step is clipped to norm 1, and Adam's
 * step m / (sqrt(v) + eps) does not change when every gradient is scaled by
 * the same factor -- a clipping threshold of 1.01 instead of 1 then shows
 * only through eps: barely in the loss (1.7e-7 to 2.9e-6 against rounding's
 * 2e-7) and in the weights within a factor of 10 of rounding (measured over
 * 10 and 30 seeds).  With 128 the norms straddle 1 (0.68 to 2.5; about a
 * third of the steps are not clipped), so the threshold changes the weights
 * of the steps in m and v against each other, and the same slip moves the
 * loss by 1.8e-4 at least (40 seeds), 750 times what rounding does.
 *
 * --slip KIND is for the test of the test only: it makes the training
 * deliberately wrong in one way while the dump still states the correct
 * hyperparameters, as a bug in the library would.  KIND is adam-l2 (the
 * library's "adam", weight decay added to the gradient, instead of
 * "adamw"), warmup-short (one warmup step fewer), clip-1.01 (threshold
 * max_norm + 0.01) or no-clip.  The dump says so in a comment line. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"

#define MAX_LAYERS 8

struct e2e_options {
  const char *data, *dump, *slip;
  bool fused;
  uint64_t seed;
  size_t sizes[MAX_LAYERS + 1], nlayers;
  long n_train, batch, steps;
  double lr, beta1, beta2, eps, weight_decay;
  long warmup_steps, t_max;   /* t_max -1: = steps */
  double eta_min, max_norm;
};

/* what the training actually uses: the options, unless a slip changes them */
struct e2e_recipe {
  const char *optimizer;      /* "adamw", or "adam" for the slip adam-l2 */
  long warmup_steps;
  double max_norm;            /* INFINITY: no clipping (the factor is then 1) */
};

/* what one run records, for the dump */
struct near0 { uint32_t t, l, i, j; float h; };
struct e2e_trace {
  uint32_t *rows;             /* steps x batch */
  double *loss, *lr;
  float *norm;
  struct near0 *near;         /* small positive hidden activations (see below) */
  size_t nnear, capnear;
};

/* A rectifier's derivative jumps at 0, so a pre-activation within rounding
   of 0 is a coin toss: the library and PyTorch, whose sums round
   differently, may put it on different sides, and then their gradients
   differ by that unit's whole contribution and the runs part (seen: seed 89,
   step 18, z = 4.6e-8; the norm moves by 2e-4, the final weights by 5e-3).
   So the dump lists every hidden activation in (0, NEAR_ZERO) -- the
   library's side of each such coin toss -- and tools/e2e-torch.py takes
   the library's side wherever its own |z| is below a tenth of that. */
#define NEAR_ZERO 1e-3f

static void note_near_zero(struct e2e_trace *tr, const struct mlp *m, long t, size_t B)
{
  for (size_t l = 1; l < m->nlayers; l++) {
    const size_t w = m->sizes[l];
    const float *h = m->act[l];        /* this step's activations H_l, B x w */
    for (size_t k = 0; k < B * w; k++) {
      if (!(h[k] > 0.0f && h[k] < NEAR_ZERO)) continue;
      if (tr->nnear == tr->capnear) {
        tr->capnear = tr->capnear ? 2 * tr->capnear : 256;
        struct near0 *p = realloc(tr->near, tr->capnear * sizeof *p);
        if (!p) die("out of memory");
        tr->near = p;
      }
      tr->near[tr->nnear++] = (struct near0){(uint32_t)t, (uint32_t)l, (uint32_t)(k / w),
                                             (uint32_t)(k % w), h[k]};
    }
  }
}

_Noreturn static void usage(void)
{
  printf("usage: e2e_train [options]\n"
    "Train the book's MLP on Fashion-MNIST with AdamW, warmup-cosine and clipping,\n"
    "and write a dump for tools/e2e-torch.py to repeat in PyTorch and compare.\n"
    "  --data DIR           Fashion-MNIST directory (default: DESCENT_FASHION_MNIST\n"
    "                       or /usr/share/datasets/fashion-mnist)\n"
    "  --seed N             initial weights and batch order (default 1)\n"
    "  --sizes A,B,..       layer widths, 784 first and 10 last (default 784,64,10)\n"
    "  --n-train N          train on the first N pictures (default 4096)\n"
    "  --batch B            mini-batch size (default 128)\n"
    "  --steps S            optimizer steps (default 60)\n"
    "  --lr X --betas B1,B2 --eps X --weight-decay X\n"
    "                       AdamW (defaults 1e-3; 0.9,0.999; 1e-8; 0.01)\n"
    "  --warmup-steps W     linear warmup from 0 over W steps (default 6)\n"
    "  --t-max T --eta-min X  then cosine to eta-min at step T (defaults: S, 0)\n"
    "  --max-norm X         clip the gradient's 2-norm at X (default 1)\n"
    "  --fused              update through Chapter 9's fused clip and AdamW\n"
    "                       (session_update_fused), as build/bin/09-trainer does\n"
    "  --dump FILE          write the dump there (default: standard output)\n"
    "  --slip KIND          test of the test: train wrongly (adam-l2, warmup-short,\n"
    "                       clip-1.01, no-clip) while stating the right recipe\n"
    "  --help, --version\n");
  cli_exit_ok();
}

static void parse_sizes(struct e2e_options *o, const char *arg)
{
  const char *s = arg;
  o->nlayers = 0;
  for (size_t k = 0;; k++) {
    if (k > MAX_LAYERS) usage_error("--sizes: at most %d layers", MAX_LAYERS);
    char *end;
    errno = 0;
    unsigned long v = (*s >= '0' && *s <= '9') ? strtoul(s, &end, 10) : 0;
    if (v == 0 || errno || (*end != ',' && *end != '\0') || v > 100000)
      usage_error("--sizes: '%s' is not a list of positive widths like 784,64,10", arg);
    o->sizes[k] = v;
    if (*end == '\0') { o->nlayers = k; break; }
    s = end + 1;
  }
  if (o->nlayers < 1 || o->sizes[0] != 784 || o->sizes[o->nlayers] != 10)
    usage_error("--sizes: '%s' must start with 784 and end with 10, with at least two widths", arg);
}

static void parse_betas(struct e2e_options *o, const char *arg)
{
  char buf[128];
  const char *comma = strchr(arg, ',');
  if (!comma || strlen(arg) >= sizeof buf) usage_error("--betas: '%s' is not B1,B2", arg);
  memcpy(buf, arg, (size_t)(comma - arg));
  buf[comma - arg] = '\0';
  o->beta1 = cli_double("--betas", buf, 0.0, 0.999999999);
  o->beta2 = cli_double("--betas", comma + 1, 0.0, 0.999999999);
}

static void parse_options(struct e2e_options *o, int argc, char **argv)
{
  *o = (struct e2e_options){.seed = 1, .nlayers = 2, .sizes = {784, 64, 10},
    .n_train = 4096, .batch = 128, .steps = 60, .lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999,
    .eps = 1e-8, .weight_decay = 0.01, .warmup_steps = 6, .t_max = -1, .eta_min = 0.0,
    .max_norm = 1.0};
  static const struct option longs[] = {
    {"data", 1, 0, 'D'}, {"seed", 1, 0, 's'}, {"sizes", 1, 0, 'z'}, {"n-train", 1, 0, 'n'},
    {"batch", 1, 0, 'b'}, {"steps", 1, 0, 'S'}, {"lr", 1, 0, 'l'}, {"betas", 1, 0, 'B'},
    {"eps", 1, 0, 'e'}, {"weight-decay", 1, 0, 'w'}, {"warmup-steps", 1, 0, 'W'},
    {"t-max", 1, 0, 'T'}, {"eta-min", 1, 0, 'm'}, {"max-norm", 1, 0, 'c'},
    {"dump", 1, 0, 'o'}, {"slip", 1, 0, 'x'}, {"fused", 0, 0, 'f'}, {"help", 0, 0, 'h'}, {"version", 0, 0, 'V'},
    {0, 0, 0, 0}};
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":", longs, NULL)) != -1) {
    switch (c) {
    case 'D': o->data = optarg; break;
    case 's': o->seed = cli_seed(optarg); break;
    case 'z': parse_sizes(o, optarg); break;
    case 'n': o->n_train = cli_long("--n-train", optarg, 1, 60000); break;
    case 'b': o->batch = cli_long("--batch", optarg, 1, 60000); break;
    case 'S': o->steps = cli_long("--steps", optarg, 1, 1000000); break;
    case 'l': o->lr = cli_double("--lr", optarg, 0.0, 10.0); break;
    case 'B': parse_betas(o, optarg); break;
    case 'e': o->eps = cli_double("--eps", optarg, 0.0, 1.0); break;
    case 'w': o->weight_decay = cli_double("--weight-decay", optarg, 0.0, 10.0); break;
    case 'W': o->warmup_steps = cli_long("--warmup-steps", optarg, 0, 1000000); break;
    case 'T': o->t_max = cli_long("--t-max", optarg, 1, 1000000); break;
    case 'm': o->eta_min = cli_double("--eta-min", optarg, 0.0, 10.0); break;
    case 'c': o->max_norm = cli_double("--max-norm", optarg, 1e-30, 1e30); break;
    case 'o': o->dump = optarg; break;
    case 'x': o->slip = optarg; break;
    case 'f': o->fused = true; break;
    case 'h': usage();
    case 'V': cli_version(); break;
    default: cli_bad_option(c, argv);
    }
  }
  cli_no_operands(argc, argv);
  if (o->t_max < 0) o->t_max = o->steps;
  if (o->batch > o->n_train) usage_error("--batch %ld is larger than --n-train %ld", o->batch, o->n_train);
  if (o->steps > o->t_max) usage_error("--steps %ld runs past --t-max %ld", o->steps, o->t_max);
  if (o->warmup_steps >= o->t_max)
    usage_error("--warmup-steps %ld must be below --t-max %ld", o->warmup_steps, o->t_max);
  if (o->slip && strcmp(o->slip, "adam-l2") && strcmp(o->slip, "warmup-short")
      && strcmp(o->slip, "clip-1.01") && strcmp(o->slip, "no-clip"))
    usage_error("--slip: unknown kind '%s' (adam-l2 warmup-short clip-1.01 no-clip)", o->slip);
  if (o->slip && !strcmp(o->slip, "warmup-short") && o->warmup_steps == 0)
    usage_error("--slip warmup-short needs --warmup-steps of at least 1");
}

/* the recipe the options state, changed in one place by a slip */
static struct e2e_recipe recipe_of(const struct e2e_options *o)
{
  struct e2e_recipe r = {"adamw", o->warmup_steps, o->max_norm};
  if (!o->slip) return r;
  if (!strcmp(o->slip, "adam-l2")) r.optimizer = "adam";
  else if (!strcmp(o->slip, "warmup-short")) r.warmup_steps--;
  else if (!strcmp(o->slip, "clip-1.01")) r.max_norm += 0.01;
  else if (!strcmp(o->slip, "no-clip")) r.max_norm = INFINITY;
  return r;
}

/* ======================================================================
 * The training session: the library's (Appendix A, part 4), the same that
 * the chapters and the trainer use.  session_new draws the initial weights
 * and the sampler's seed from the seed; each step is session_backward (the
 * next batch, loss and gradient) and session_update (the global norm, per
 * tensor as PyTorch 1.13 computes it, the clip, the schedule's rate, the
 * optimizer, the schedule's step).  What the run records goes into *tr.
 * ====================================================================== */
static struct session *open_session(const struct e2e_options *o, const struct e2e_recipe *rc,
                                    const struct dataset *d)
{
  char msg[256];
  struct session_config c = {0};
  c.nlayers = o->nlayers;
  if (c.nlayers > session_max_layers) usage_error("--sizes: at most %d layers", session_max_layers);
  memcpy(c.sizes, o->sizes, (o->nlayers + 1) * sizeof c.sizes[0]);
  c.opt_name = rc->optimizer;
  opt_defaults(rc->optimizer, &c.opt);
  c.opt.lr = o->lr; c.opt.beta1 = o->beta1; c.opt.beta2 = o->beta2; c.opt.eps = o->eps;
  c.opt.weight_decay = o->weight_decay;
  c.sched_name = "warmup-cosine";
  sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = o->lr; c.sched.warmup_steps = rc->warmup_steps; c.sched.t_max = o->t_max;
  c.sched.eta_min = o->eta_min;
  c.clip_norm = isfinite(rc->max_norm) ? rc->max_norm : 0;
  c.batch = (size_t)o->batch; c.seed = o->seed; c.world = 1;
  struct session *S = session_new(&c, d, msg, sizeof msg);
  if (!S) usage_error("%s", msg);
  return S;
}
static void train(const struct e2e_options *o, struct session *S, struct e2e_trace *tr)
{
  const size_t B = (size_t)o->batch;
  for (long t = 0; t < o->steps; t++) {
    tr->loss[t] = session_backward(S);
    memcpy(tr->rows + (size_t)t * B, S->smp.perm + S->smp.pos - B, B * sizeof *tr->rows);
    note_near_zero(tr, S->m, t, B);
    if (!o->fused) session_update(S);
    else if (!session_update_fused(S)) die("step %ld: the gradient's norm is not finite", t);
    tr->norm[t] = (float)S->grad_norm;
    tr->lr[t] = opt_lr(S->o);
  }
}
/* ====================================================================== */

static void put_floats(FILE *f, const char *key, const float *v, size_t n)
{
  fputs(key, f);
  for (size_t i = 0; i < n; i++) fprintf(f, " %.9g", (double)v[i]);
  fputc('\n', f);
}

static void write_header(FILE *f, const struct e2e_options *o, size_t nparams)
{
  fprintf(f, "# e2e_train dump: tools/e2e-torch.py reads it (numbers %%.9g; lr in double %%.17g)\n");
  if (o->slip)
    fprintf(f, "# slip %s: the training below deliberately does NOT follow the recipe stated here\n",
            o->slip);
  fprintf(f, "format e2e-dump 1\nseed %llu\nsizes", (unsigned long long)o->seed);
  for (size_t l = 0; l <= o->nlayers; l++) fprintf(f, "%s%zu", l ? "," : " ", o->sizes[l]);
  fprintf(f, "\nn_train %ld\nbatch %ld\nsteps %ld\n", o->n_train, o->batch, o->steps);
  fprintf(f, "optimizer adamw\nlr %.17g\nbetas %.17g,%.17g\neps %.17g\nweight_decay %.17g\n",
          o->lr, o->beta1, o->beta2, o->eps, o->weight_decay);
  fprintf(f, "schedule warmup-cosine\nwarmup_steps %ld\nt_max %ld\neta_min %.17g\n",
          o->warmup_steps, o->t_max, o->eta_min);
  fprintf(f, "max_norm %.17g\nnparams %zu\n", o->max_norm, nparams);
}

int main(int argc, char **argv)
{
  program_name = "e2e_train";
  struct e2e_options o;
  parse_options(&o, argc, argv);
  const struct e2e_recipe rc = recipe_of(&o);

  char msg[512];
  struct dataset d;
  if (fmnist_load(fmnist_dir(o.data), true, &d, msg, sizeof msg) != 0) die("%s", msg);
  if ((size_t)o.n_train > d.n) die("--n-train %ld: the training set has %zu pictures", o.n_train, d.n);
  d.n = (size_t)o.n_train;   /* the first n_train pictures; the rest is never read */

  struct session *sess = open_session(&o, &rc, &d);
  if (o.fused && !session_fusable(sess))
    usage_error("--fused: the fused update serves AdamW clipped by norm only (not --slip %s)",
                o.slip ? o.slip : "");
  struct mlp *m = sess->m;

  struct afile *a = NULL;
  FILE *f = stdout;
  if (o.dump) {
    if (!(a = afile_open(o.dump))) die("cannot create %s: %s", o.dump, strerror(errno));
    f = afile_stream(a);
  }
  write_header(f, &o, m->nparams);
  put_floats(f, "init", m->params, m->nparams);

  struct e2e_trace tr = {0};
  const size_t S = (size_t)o.steps, B = (size_t)o.batch;
  tr.rows = xmalloc(S * B * sizeof *tr.rows);
  tr.loss = xmalloc(S * sizeof *tr.loss);
  tr.lr = xmalloc(S * sizeof *tr.lr);
  tr.norm = xmalloc(S * sizeof *tr.norm);
  train(&o, sess, &tr);

  for (size_t t = 0; t < S; t++) {
    fprintf(f, "rows %zu", t);
    for (size_t i = 0; i < B; i++) fprintf(f, " %u", tr.rows[t * B + i]);
    fputc('\n', f);
  }
  for (size_t k = 0; k < tr.nnear; k++)
    fprintf(f, "near0 %u %u %u %u %.9g\n", tr.near[k].t, tr.near[k].l, tr.near[k].i,
            tr.near[k].j, (double)tr.near[k].h);
  for (size_t t = 0; t < S; t++)
    fprintf(f, "step %zu %.9g %.9g %.17g\n", t, tr.loss[t], (double)tr.norm[t], tr.lr[t]);
  put_floats(f, "final", m->params, m->nparams);
  if (a && afile_commit(a) != 0) die("cannot write %s: %s", o.dump, strerror(errno));
  if (!a && (fflush(stdout) != 0 || ferror(stdout))) die("cannot write the dump: %s", strerror(errno));

  free(tr.rows); free(tr.loss); free(tr.lr); free(tr.norm); free(tr.near);
  session_free(&sess);
  dataset_free(&d);
  return 0;
}
