@q 07-large-batch.w -- Chapter 7: large batches, layer-wise optimizers, many processes @>
@* Large batches.
\chaptervalues{07-large-batch}%
\opener{07-large-batch-scaling}{How far can the batch grow, and the learning rate with it, before the extra processors stop paying? Below: accuracy at a fixed number of examples as the batch grows.}
A step of stochastic gradient descent averages the gradients of $B$
examples.  Chapter~1 measured what that buys: the noise of the average
falls as $1/B$, and a batch of $4B$ costs four times the arithmetic of a
batch of~$B$ but, on four processors, takes no longer.  That is the whole
appeal of large batches: more processors, the same number of examples
seen, fewer steps, less time.  What it costs is what this chapter
measures.  Fewer steps means each must go farther, and the recipe for
that, Goyal et~al.'s {\it linear scaling rule}, multiplies the learning
rate by the same factor as the batch, with a warmup at the start.  It
holds up to some batch and then breaks; we find where, for this book's
network and Fashion-MNIST.

Past that batch, two {\it layer-wise\/} optimizers, LARS (You, Gitman and
Ginsburg, 2017) and LAMB (You et~al., 2020), scale each layer's step by
the ratio of the layer's weight norm to its update norm, a {\it trust
ratio}; the chapter derives them, builds them into the library exactly as
their papers write them, checks them against PyTorch operations, and
shows the ratios of our network's layers during training.  Beside them
comes Lion (Chen et~al., 2023), found by a program search: the sign of an
interpolated momentum, with one state vector where Adam keeps two.  Then
two cheap ways of squeezing more out of a finished run, averaging its
weights over the last epochs (SWA) or along the way (EMA), and the claim
that they add half a point to one and a half points of accuracy.

The last part spreads one step over several processes with MPI.  Each
process takes its share of the batch, the gradients are summed in a
fixed order, and the result is the single-process run, bit for bit, on
one, two or four processes; so is the variant that shards the optimizer's
state (ZeRO stage~1).  A latency--bandwidth model of the ring all-reduce
then says how long the communication takes for this network and for
models of $10^8$ and $7\times10^9$ parameters.

@ The chapter is a program, \.{build/bin/07-large-batch}, and every
number the text quotes was printed by it when the book was built.  It
runs six experiments: the {\it rules\/} of Lion, LARS and LAMB on a
small example; the linear {\it scaling\/} rule over batch sizes and
seeds; the {\it trust\/} ratios of LARS and LAMB over training; {\it
lion\/} against AdamW; weight {\it averaging\/} (SWA and EMA); and {\it
parallel\/} training, emulated in one process and, in the separate
program \.{build/bin/07-large-batch-mpi} built when \.{mpicc} is
installed, over MPI, with the ring model.  Its command line and its
outputs are those of Chapter~1's program; the same seed gives the same
bytes.  The runs of the book are small on purpose (subsets of
Fashion-MNIST, a narrow network, a few epochs), so that the whole
program fits into the book's build: the full run took \val{runSeconds}~s
on \val{runThreads} threads when this copy of the book was built.
@c
#include <assert.h>
#include "descent.h"
#include "descent-largebatch.h"
@<Large batches: types@>@;
@<Large batches: functions@>@;
@<Large batches: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"rules", rules_experiment, false}@],@/
  @[{"scaling", scaling_experiment, true}@],@/
  @[{"trust", trust_experiment, true}@],@/
  @[{"lion", lion_experiment, true}@],@/
  @[{"averaging", averaging_experiment, true}@],@/
  @[{"parallel", parallel_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"07-large-batch",@/
  "The experiments of chapter 7 of Descent: the linear scaling rule, LARS,\n"@/
  "LAMB and Lion, weight averaging, and data-parallel training.\n",@/
  experiments, NULL, check_sizes, NULL}@];
@<Large batches: the MPI program@>@;

@*1 Three optimizers for large batches.
All three come without a PyTorch class in version 1.13, so their exact
formulation is a choice, and this book fixes it by the papers: the
update of each, as written below, is what the library computes, what
\.{replay} prints, and what the reference vectors of Appendix~B were
generated from (with PyTorch's tensor operations, in |float|).  Each
works on the network one {\it tensor\/} at a time where it needs norms:
the parameter layout (Appendix~A) says where each weight matrix and bias
begins and ends, and a ratio of norms is taken per tensor.  \.{replay}
treats its whole input line as one tensor.
@^PyTorch compatibility@>
@^trust ratio@>

{\it Lion\/} (Chen et~al., 2023, Algorithm~2) keeps one vector $m$.
With learning rate $\eta$, weight decay $\lambda$ and two coefficients
$\beta_1,\beta_2$ (defaults $\eta=10^{-4}$, $0.9$, $0.99$, $\lambda=0$),
a step on gradient $g$ is
$$\eqalign{\theta&\gets\theta(1-\eta\lambda),\cr
c&=\beta_1m+(1-\beta_1)g,\cr
\theta&\gets\theta-\eta\,\mathop{\rm sign}(c),\cr
m&\gets\beta_2m+(1-\beta_2)g.\cr}$$
The step is the same size, $\eta$, in every coordinate that moves: only
its sign comes from the gradients.  The interpolation $c$ uses $\beta_1$
and the stored momentum uses $\beta_2$; swapping them is the classic
slip.  A coordinate with $c=0$ does not move ($\mathop{\rm sign}0=0$).

@ {\it LARS\/} (You, Gitman and Ginsburg, 2017, Algorithm~1 with their
eq.~6) is SGD with momentum in which each tensor $w$ gets its own {\it
local learning rate}
$$\lambda_w=\eta_{\rm tc}\,{\Vert w\Vert\over\Vert g\Vert+\beta\Vert w\Vert},$$
the {\it trust coefficient\/} $\eta_{\rm tc}$ (default $10^{-3}$) times
the ratio of the weight's norm to the norm of its update direction.  The
step, with global rate $\gamma$, momentum $\mu$ (default~0) and decay
$\beta$ (default~0), is
$$v\gets\mu v+\gamma\lambda_w(g+\beta w),\qquad w\gets w-v.$$
When $\Vert w\Vert=0$ (a bias that starts at zero) or the denominator is
zero, $\lambda_w=1$, so that such a tensor still moves.  The rate
$\gamma$ sits inside the buffer, as in the paper; at a constant rate this
is the same as PyTorch's habit of putting it outside.  The denominator
is $\Vert g\Vert+\beta\Vert w\Vert$, not the norm of $g+\beta w$ that
some implementations use.

@ {\it LAMB\/} (You et~al., 2020, Algorithm~2) is the same idea applied
to Adam.  With $\beta_1,\beta_2$ (defaults $0.9$, $0.999$), $\epsilon$
(default $10^{-6}$) and decay $\lambda$ (default~0):
$$\eqalign{m&\gets\beta_1m+(1-\beta_1)g,\qquad v\gets\beta_2v+(1-\beta_2)g^2,\cr
u&={m/(1-\beta_1^t)\over\sqrt{v/(1-\beta_2^t)}+\epsilon}+\lambda w,\cr
w&\gets w-\eta\,{\Vert w\Vert\over\Vert u\Vert}\,u,\cr}$$
with the ratio~1 again when either norm is zero.  The bias corrections
are on, as in the paper's final version (its first version and NVIDIA's
\.{FusedLAMB} by default leave them out); the decay is decoupled from the
moments but is part of $u$, so it counts in the ratio.  Whatever the
size of the gradient, a tensor's step has length $\eta\Vert w\Vert$: the
learning rate is a {\it relative\/} step.

@q begin library part @>
@ The rules of one coordinate, in a header of their own as in
Chapters 2 and~3, so that fused or \.{CUDA} kernels can share them.  Each
takes its constants already rounded to |float|.  Lion's sign keeps a NaN
(as |torch.sign| does) and the sign of a zero.
@^update rules, shared@>
@(descent-largebatch.h@>=
#ifndef DESCENT_LARGEBATCH_H
#define DESCENT_LARGEBATCH_H
#include <math.h>
#ifndef descent_rule
#ifdef __CUDACC__
#define descent_rule static inline __host__ __device__
#else
#define descent_rule static inline
#endif
#endif
struct lion_consts { float shrink, b1, keep1, b2, keep2, neg_lr; };
descent_rule void lion_coord(const struct lion_consts *k, float g, float *p, float *m)
{
  @q solution lion_update: (void)k; (void)g; (void)p; (void)m; @>
  *p = *p * k->shrink;
  const float c = *m * k->b1 + k->keep1 * g;
  const float s = c > 0 ? 1.0f : c < 0 ? -1.0f : c;
  *p = *p + k->neg_lr * s;
  *m = *m * k->b2 + k->keep2 * g;
  @q end solution @>
}
@<Large batches: the LARS and LAMB rules@>@;
#endif

@ LARS's coordinate is SGD's with the tensor's scaled rate |lr| ($\gamma
\lambda_w$); LAMB's is split in two, the moments and then the direction
$u$, because the norm of $u$ over the whole tensor must be known before
any weight moves.
@<Large batches: the LARS and LAMB rules@>=
struct lars_consts { float mu, wd, lr; };
descent_rule void lars_coord(const struct lars_consts *k, float g, float *p, float *v)
{
  const float d = g + k->wd * *p;
  *v = k->mu * *v + k->lr * d;
  *p = *p - *v;
}
struct lamb_consts { float b1, keep1, b2, keep2, bc1, bc2, eps, wd; };
descent_rule void lamb_moments(const struct lamb_consts *k, float g, float *m, float *v)
{
  *m = *m * k->b1 + k->keep1 * g;
  *v = *v * k->b2 + k->keep2 * g * g;
}
descent_rule float lamb_direction(const struct lamb_consts *k, float p, float m, float v)
{
  return (m / k->bc1) / (sqrtf(v / k->bc2) + k->eps) + k->wd * p;
}

@ The library's file of the three kinds, and of one function that shows
their trust ratios.
@(largebatch.c@>=
#include <math.h>
#include "descent.h"
#include "descent-largebatch.h"
@<Large batches: the Lion kind@>@;
@<Large batches: the LARS kind@>@;
@<Large batches: the LAMB kind@>@;
@<Large batches: the trust ratios@>@;

@ Lion's row.  Its constructor refuses a negative rate or decay and a
$\beta$ outside $[0,1]$ (the checks of the reference implementation,
\.{lion-pytorch}); its one vector may hold any finite number.
@<Large batches: the Lion kind@>=
static void lion_defaults(struct opt_config *c)
{ c->lr = 1e-4; c->beta1 = 0.9; c->beta2 = 0.99; }
static size_t lb_one(const struct opt_config *c) { (void)c; return 1; }
static int lion_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (!(c->beta1 >= 0 && c->beta1 <= 1))
    return opt_error(msg, len, "invalid beta parameter at index 0: %g", c->beta1);
  if (!(c->beta2 >= 0 && c->beta2 <= 1))
    return opt_error(msg, len, "invalid beta parameter at index 1: %g", c->beta2);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  return 0;
}
static void lion_step(struct optimizer *o, float *p, const float *g,
                      const struct opt_span *sp)
{
  const double b1 = o->c.beta1, b2 = o->c.beta2;
  const struct lion_consts k = @[{(float)(1.0 - sp->lr * sp->weight_decay),@/
    (float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2), (float)(-sp->lr)}@];
  float *m = opt_state(o, 0);
  for (size_t i = sp->lo; i < sp->hi; i++) lion_coord(&k, g[i], &p[i], &m[i]);
}
const struct opt_kind opt_lion = {"lion", "lr betas weight_decay",
  lb_one, lion_defaults, lion_check, NULL, lion_step, NULL};

@ LARS's row.  Like SGD's, its learning rate has no default.  The norms
are those of the tensors that lie in the span, in double, and the local
rate $\gamma\lambda_w$ is computed in double and rounded once.
@<Large batches: the LARS kind@>=
static void lars_defaults(struct opt_config *c)
{ c->lr = NAN; c->trust_coefficient = 1e-3; }
static int lars_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (c->momentum < 0)
    return opt_error(msg, len, "invalid momentum value: %g", c->momentum);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  if (c->trust_coefficient < 0)
    return opt_error(msg, len, "invalid trust_coefficient value: %g", c->trust_coefficient);
  return 0;
}
@<Large batches: LARS's local rate@>@;
static void lars_step(struct optimizer *o, float *p, const float *g,
                      const struct opt_span *sp)
{
  float *v = opt_state(o, 0);
  for (size_t j = 0; j < o->L->ntensors; j++) {
    const struct tensor *T = &o->L->tensors[j];
    if (T->offset < sp->lo || T->offset >= sp->hi) continue;
    const double tr = lars_trust(o->c.trust_coefficient, vec_norm2(p + T->offset, T->len),
                                 vec_norm2(g + T->offset, T->len), sp->weight_decay);
    const struct lars_consts k = @[{(float)o->c.momentum,@/
      (float)sp->weight_decay, (float)(sp->lr * tr)}@];
    for (size_t i = T->offset; i < T->offset + T->len; i++) lars_coord(&k, g[i], &p[i], &v[i]);
  }
}
const struct opt_kind opt_lars = {"lars", "lr momentum weight_decay trust_coefficient",
  lb_one, lars_defaults, lars_check, NULL, lars_step, NULL};

@ The local rate, with its exception for zero norms.
@<Large batches: LARS's local rate@>=
static double lars_trust(double eta, double wn, double gn, double wd)
{
  @q solution lars_trust: (void)eta; (void)wn; (void)gn; (void)wd; return 1.0; @>
  const double den = gn + wd * wn;
  return wn > 0 && den > 0 ? eta * wn / den : 1.0;
  @q end solution @>
}

@ LAMB's row: Adam's checks, $\epsilon=10^{-6}$, and two passes over each
tensor.  The first updates the moments and sums $\Vert w\Vert^2$ and
$\Vert u\Vert^2$; the second computes $u$ again, from the same numbers by
the same operations, and moves the weights.  Computing $u$ twice saves a
vector of scratch space, and gives the same bits as keeping it.  A loaded
state is checked as Adam's is: $v$ is never negative.
@<Large batches: the LAMB kind@>=
static void lamb_defaults(struct opt_config *c)
{ c->lr = 1e-3; c->beta1 = 0.9; c->beta2 = 0.999; c->eps = 1e-6; }
static size_t lb_two(const struct opt_config *c) { (void)c; return 2; }
static int lamb_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (c->eps < 0) return opt_error(msg, len, "invalid epsilon value: %g", c->eps);
  if (!(c->beta1 >= 0 && c->beta1 < 1))
    return opt_error(msg, len, "invalid beta parameter at index 0: %g", c->beta1);
  if (!(c->beta2 >= 0 && c->beta2 < 1))
    return opt_error(msg, len, "invalid beta parameter at index 1: %g", c->beta2);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  return 0;
}
static struct lamb_consts lamb_consts(const struct optimizer *o, double wd)
{
  const double b1 = o->c.beta1, b2 = o->c.beta2, t = (double)o->t;
  return (struct lamb_consts)@[{(float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2),
    (float)(1 - pow(b1, t)), (float)(1 - pow(b2, t)), (float)o->c.eps, (float)wd}@];
}
@<Large batches: LAMB's step@>@;
static int lamb_validate(const struct optimizer *o, char *msg, size_t len)
{
  const float *v = opt_state(o, 1);
  for (size_t i = 0; i < o->n; i++)
    if (v[i] < 0)
      return opt_error(msg, len, "lamb: exp_avg_sq[%zu] = %g is negative, "@/
                       "and an average of squares never is", i, v[i]);
  return 0;
}
const struct opt_kind opt_lamb = {"lamb", "lr betas eps weight_decay",
  lb_two, lamb_defaults, lamb_check, NULL, lamb_step, lamb_validate};

@ The step, tensor by tensor.
@<Large batches: LAMB's step@>=
static double lamb_ratio(double wn2, double un2)
{
  @q solution lamb_ratio: (void)wn2; (void)un2; return 1.0; @>
  return wn2 > 0 && un2 > 0 ? sqrt(wn2) / sqrt(un2) : 1.0;
  @q end solution @>
}
static void lamb_step(struct optimizer *o, float *p, const float *g,
                      const struct opt_span *sp)
{
  const struct lamb_consts k = lamb_consts(o, sp->weight_decay);
  float *m = opt_state(o, 0), *v = opt_state(o, 1);
  for (size_t j = 0; j < o->L->ntensors; j++) {
    const struct tensor *T = &o->L->tensors[j];
    if (T->offset < sp->lo || T->offset >= sp->hi) continue;
    const size_t lo = T->offset, hi = T->offset + T->len;
    double wn2 = 0, un2 = 0;
    for (size_t i = lo; i < hi; i++) {
      lamb_moments(&k, g[i], &m[i], &v[i]);
      const double u = lamb_direction(&k, p[i], m[i], v[i]);
      wn2 += (double)p[i] * p[i]; un2 += u * u;
    }
    const float step = (float)(-(sp->lr * lamb_ratio(wn2, un2)));
    for (size_t i = lo; i < hi; i++) p[i] = p[i] + step * lamb_direction(&k, p[i], m[i], v[i]);
  }
}

@ What the chapter draws: the trust ratio of every tensor.  For LARS,
|trust_ratios| computes the local rates $\lambda_w$ that a step from
weights |p| on gradient |g| will use (divided by the trust coefficient,
so that the number is the bare ratio of norms); for LAMB, the ratios
$\Vert w\Vert/\Vert u\Vert$ of the step just taken from weights |p|,
from the moments that step left behind.  Other kinds get ones.
@<Large batches: the trust ratios@>=
void trust_ratios(const struct optimizer *o, const float *p, const float *g, double *ratio)
{
  const struct layout *L = o->L;
  for (size_t j = 0; j < L->ntensors; j++) {
    const struct tensor *T = &L->tensors[j];
    const double wd = o->wd[T->group];
    ratio[j] = 1.0;
    if (o->kind == &opt_lars)
      ratio[j] = lars_trust(1.0, vec_norm2(p + T->offset, T->len),
                            vec_norm2(g + T->offset, T->len), wd);
    else if (o->kind == &opt_lamb && o->t > 0) {
      const struct lamb_consts k = lamb_consts(o, wd);
      const float *m = opt_state(o, 0), *v = opt_state(o, 1);
      double wn2 = 0, un2 = 0;
      for (size_t i = T->offset; i < T->offset + T->len; i++) {
        const double u = lamb_direction(&k, p[i], m[i], v[i]);
        wn2 += (double)p[i] * p[i]; un2 += u * u;
      }
      ratio[j] = lamb_ratio(wn2, un2);
    }
  }
}

@ Its declaration, for the library's header.
@(descent-lb.h@>=
#ifndef DESCENT_LB_H
#define DESCENT_LB_H
struct optimizer;
void trust_ratios(const struct optimizer *o, const float *p, const float *g, double *ratio);
#endif
@q end library part @>

@*1 The rules on a small example.
Before any network, the three rules on the smallest problem that shows
their character: two tensors of two coordinates each, one large
($w=(3,4)$, norm~5) and one small ($w=(0.03,0.04)$, norm $0.05$), and the
same gradient $g=(1,1)$ for both.  One step of each optimizer at its
defaults (LARS with $\gamma=1$) moves the two tensors, and the program
prints how much farther the large one went than the small one.  SGD
moves both by the same amount, $\eta g$ (ratio \val{LBruleA}); LARS and
LAMB move each tensor by an amount proportional to its own norm (ratio
\val{LBruleB} and \val{LBruleC}, the ratio of the norms); and Lion moves
every coordinate by exactly $\eta$ (ratio \val{LBruleD}: the shrinking
by decay is zero here, and the last digit is the rounding of $3-\eta$
against $0.03-\eta$ in |float|).
@<Large batches: experiments@>=
static void rules_experiment(struct chapter *ch)
{
  static const char *const kinds[] = {"sgd", "lars", "lamb", "lion"};
  printf("== rules: one step on two tensors, |w| = 5 and |w| = 0.05, g = (1,1) each\n");
  printf("%-6s %12s %12s %12s\n", "kind", "|dw| big", "|dw| small", "ratio");
  struct layout *L = layout_new();
  const size_t two = 2;
  layout_add(L, "big", 1, &two, 0);
  layout_add(L, "small", 1, &two, 0);
  for (int k = 0; k < 4; k++) {
    struct opt_config c;
    opt_defaults(kinds[k], &c);
    if (k < 2) c.lr = 1.0;
    struct optimizer *o = opt_new_layout(kinds[k], L, &c);
    float p[4] = {3, 4, 0.03f, 0.04f}, p0[4], g[4] = {1, 1, 1, 1};
    vec_copy(p0, p, 4);
    opt_step(o, p, g);
    const double big = sqrt(vec_sqdist(p, p0, 2)), small = sqrt(vec_sqdist(p + 2, p0 + 2, 2));
    printf("%-6s %12.4g %12.4g %12.4g\n", kinds[k], big, small, big / small);
    char name[32];
    snprintf(name, sizeof name, "LBrule%c", "ABCD"[k]);
    values_put(ch->values, name, "%.3g", big / small);
    opt_free(&o);
  }
  layout_free(&L);
}


@*1 The runs of this chapter.
Every training run of the chapter uses a {\it subset\/} of Fashion-MNIST,
the first |ntrain| training images and the first |ntest| test images,
so that the whole chapter fits into a build of the book (it took
\val{runSeconds}~s for this copy); each
claim below is therefore about this small problem, measured over several
seeds, and the text says so.  The network is the book's multilayer
perceptron, narrowed to one hidden layer of |hidden| rectified units
($784$--$|hidden|$--$10$), except in the trust-ratio experiment, which
looks at the layers of the full $784$--$128$--$64$--$10$ network of
Chapter~6.  The sizes are collected in a plan; \.{--quick} picks a tiny
one whose numbers mean nothing but which runs every line.
@<Large batches: types@>=
struct lb_plan {
  size_t ntrain, ntest;   /* the subset: first images of each set */
  size_t hidden;          /* width of the narrow network */
  int epochs;             /* of each run of the scaling experiment */
  size_t nbatch, batch[6];/* the batch sizes tried */
  int seeds;              /* runs of each configuration */
  size_t trust_batch; int trust_steps;
  size_t lion_batch; int lion_epochs;
  size_t avg_batch; int avg_epochs, avg_seeds;
  size_t dp_batch; int dp_steps;
};

@ The two plans, and the check, before anything is written, that the
data set holds the subset.
@<Large batches: functions@>=
static const struct lb_plan full_plan = @[{4096, 2000, 32, 4, 4,
  {16, 64, 256, 1024}, 3, 512, 30, 128, 3, 64, 5, 5, 256, 20}@];
static const struct lb_plan quick_plan = @[{512, 200, 16, 1, 3,
  {16, 64, 256}, 2, 64, 4, 64, 1, 32, 2, 2, 64, 3}@];
static const struct lb_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }
static void check_sizes(const struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  static const char *const names[] = {"scaling", "trust", "lion", "averaging",
                                      "parallel"};
  for (int k = 0; k < 5; k++) chapter_need(ch, names[k], pl->ntrain, pl->ntest);
}

@ A subset is a view of the first |n| examples of a data set: it shares
the images and labels and needs no freeing.
@<Large batches: functions@>=
static struct dataset head_of(const struct dataset *d, size_t n)
{
  struct dataset h = *d;
  h.n = n;
  return h;
}

@ Every run is a training session of the library (Appendix~A, part~4).
Run |k| of a configuration gets its session's seed from stream |k| of
the chapter's seed, so that run~$k$ of every configuration starts from
the same weights.  |lb_session| builds one, with an optional schedule.
@<Large batches: functions@>=
static struct session *lb_session(const struct chapter *ch,
  const struct dataset *d, size_t nl, const size_t *sizes, const char *opt,
  const struct opt_config *oc, size_t batch, int k,
  const char *sched, const struct sched_config *sc)
{
  struct rng r;
  rng_seed(&r, ch->seed, 700 + (uint64_t)k);
  struct session_config c = @[{.nlayers = nl, .opt_name = opt, .opt = *oc,
    .batch = batch, .seed = rng_u64(&r), .world = 1, .sched_name = sched}@];
  for (size_t l = 0; l <= nl; l++) c.sizes[l] = sizes[l];
  if (sc) c.sched = *sc;
  char msg[256];
  struct session *S = session_new(&c, d, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}

@ The test accuracy of a network, on the test subset.
@<Large batches: functions@>=
static double test_accuracy(struct mlp *m, const struct dataset *test)
{
  double acc;
  mlp_evaluate(m, test, &acc);
  return acc;
}

@*1 The linear scaling rule.
Take SGD with batch $B$ and rate $\eta$.  Over $k$ steps with the weights
nearly still, the sum of the steps is $-\eta\sum_{j<k}\bar g_j$, where
each $\bar g_j$ averages $B$ gradients: $\eta/B$ times the sum of $kB$
example gradients.  One step with a batch of $kB$ and rate $k\eta$ moves
by $k\eta/(kB)$ times the sum of the same $kB$ example gradients: the
same.  That is Goyal et~al.'s argument (2017) for the {\it linear
scaling rule\/}: multiply the batch by $k$, multiply $\eta$ by $k$, and
an epoch of training does about the same thing in $k$ times fewer steps.
The argument assumes the gradient does not change over the $k$ small
steps, which fails in two places: at the start, where the weights move
fast (hence a {\it warmup\/} that raises $\eta$ gradually), and when
$k\eta$ is so large that one step leaves the region where the gradient
at its start describes it (Chapter~1's stability limit $\eta<2/\lambda_{\max}$
does not scale with $B$).  And a fixed budget of epochs gives a large
batch fewer steps: at some point there are too few of them.

@ The experiment trains the narrow network on the subset for |epochs|
epochs at each batch size $B$ of the plan, with SGD (momentum 0.9) and
the warmup--cosine schedule of Chapter~4 (warmup over the first eighth
of the steps, at least one), in two ways: with the rate scaled,
$\eta=\eta_0B/B_0$ with $\eta_0=|lb_base_lr|$ at $B_0=16$, and with the rate
left at $\eta_0$.  Every configuration runs |seeds| times.
@d lb_base_lr 0.01
@d lb_base_batch 16
@<Large batches: experiments@>=
static double scaling_run(const struct chapter *ch, const struct dataset *tr,
  const struct dataset *te, size_t B, double lr, int k)
{
  const struct lb_plan *pl = plan_of(ch);
  const size_t sizes[] = {tr->dim, pl->hidden, tr->classes};
  struct opt_config oc;
  opt_defaults("sgd", &oc);
  oc.lr = lr; oc.momentum = 0.9;
  const long steps = pl->epochs * (long)(tr->n / B);
  struct sched_config sc;
  sched_defaults("warmup-cosine", &sc);
  sc.lr = lr; sc.t_max = steps; sc.warmup_steps = (steps + 7) / 8;
  struct session *S = lb_session(ch, tr, 2, sizes, "sgd", &oc, B, k,
                                 "warmup-cosine", &sc);
  for (long t = 0; t < steps; t++) session_step(S);
  const double acc = isfinite(S->loss) ? test_accuracy(S->m, te) : 0.1;
  session_free(&S);
  return acc;
}

@ The table has one row per batch size: the mean accuracy and its spread
over seeds, scaled and not.  The rule {\it holds\/} at a batch size if
the scaled runs' mean accuracy is within one percentage point of the
smallest batch's; the first batch size where it does not is where it
{\it breaks}.
@<Large batches: experiments@>=
static void scaling_experiment(struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  const struct dataset tr = head_of(ch->train, pl->ntrain);
  const struct dataset te = head_of(ch->test, pl->ntest);
  printf("== scaling: SGD, %d epochs of %zu images, eta = %g B/%d, %d seeds\n",
         pl->epochs, pl->ntrain, lb_base_lr, lb_base_batch, pl->seeds);
  printf("%6s %8s %6s %16s %16s\n", "B", "eta", "steps", "scaled acc",
         "fixed acc");
  struct tsv *t = tsv_open(ch->out, "scaling.tsv",
    "batch\tlr\tsteps\tscaled\tscaledsd\tfixed\tfixedsd");
  double first = 0;
  size_t breaks = 0;
  for (size_t i = 0; i < pl->nbatch; i++) {
    const size_t B = pl->batch[i];
    const double lr = lb_base_lr * (double)B / lb_base_batch;
    double a[8], b[8];
    for (int k = 0; k < pl->seeds; k++) {
      a[k] = scaling_run(ch, &tr, &te, B, lr, k);
      b[k] = scaling_run(ch, &tr, &te, B, lb_base_lr, k);
    }
    const struct spread sa = spread_of(a, (size_t)pl->seeds);
    const struct spread sb = spread_of(b, (size_t)pl->seeds);
    const long steps = pl->epochs * (long)(tr.n / B);
    @<Large batches: report one batch size of the scaling rule@>@;
  }
  tsv_close(t);
  values_put(ch->values, "LBbreak", "%zu", breaks);
  values_put(ch->values, "LBseeds", "%d", pl->seeds);
}

@ Each row goes to the table, the terminal and the text.
@<Large batches: report one batch size...@>=
printf("%6zu %8.3g %6ld %9.2f%%+-%.2f %9.2f%%+-%.2f\n", B, lr, steps,
       100 * sa.mean, 100 * sa.sd, 100 * sb.mean, 100 * sb.sd);
tsv_printf(t, "%zu\t%.6g\t%ld\t%.6g\t%.6g\t%.6g\t%.6g\n", B, lr, steps,
           sa.mean, sa.sd, sb.mean, sb.sd);
if (i == 0) first = sa.mean;
else if (!breaks && sa.mean < first - 0.01) breaks = B;
values_letter(ch->values, "LBscaleB", (int)i, "%.0f", (double)B);
values_letter(ch->values, "LBscaleAcc", (int)i, "%.1f", 100 * sa.mean);
values_letter(ch->values, "LBscaleSd", (int)i, "%.1f", 100 * sa.sd);
values_letter(ch->values, "LBfixedAcc", (int)i, "%.1f", 100 * sb.mean);
values_letter(ch->values, "LBscaleSteps", (int)i, "%.0f", (double)steps);
values_letter(ch->values, "LBscaleLr", (int)i, "%.3g", lr);

@ The result, in Figure~\figref{07-large-batch-scaling}.  With $B=16$ the
network reaches \val{LBscaleAccA}\% ($\pm$\val{LBscaleSdA}, over
\val{LBseeds} seeds) in \val{LBscaleStepsA} steps.  Four times the batch
with four times the rate gives \val{LBscaleAccB}\%
($\pm$\val{LBscaleSdB}) in a quarter of the steps, where the unscaled
rate gives only \val{LBfixedAccB}\%: the rule holds.  At $B=256$ it still
helps a great deal (\val{LBscaleAccC}\% against \val{LBfixedAccC}\%) but
no longer reaches the small batch's accuracy; by our criterion it breaks
at $B=\val{LBbreak}$, where an epoch is 16 steps and the whole run
\val{LBscaleStepsC}.  At $B=1024$, with \val{LBscaleStepsD} steps and a
peak rate of \val{LBscaleLrD} under momentum 0.9, both variants fail
(\val{LBscaleAccD}\% $\pm$\val{LBscaleSdD} scaled, \val{LBfixedAccD}\%
unscaled): some seeds diverge, and none has steps enough.  On this
problem the rule buys a factor of about four in steps at no cost, and a
factor of 16 at a cost of a few points; Goyal et~al.\ found the same
shape on ImageNet, with the break near $B=8192$ for a 90-epoch run of
ResNet-50.  The break comes where the run has too few steps, or where
the scaled rate leaves the stable region, whichever comes first; the
layer-wise optimizers below attack the second.
@^linear scaling rule@>
\bookfigure{07-large-batch-scaling}{Test accuracy (2000 test images) after
4 epochs on the first 4096 training images, for batch sizes 16 to 1024:
SGD with momentum 0.9 and warmup--cosine, the rate scaled with the batch
(solid) or left at $\eta_0=0.01$ (dashed).  Mean and standard deviation
over \val{LBseeds} seeds (chapter seed 1).}

@*1 Trust ratios.
Why should one rate suit every layer?  You, Gitman and Ginsburg noticed
that in a network trained with large batches the ratio $\Vert w\Vert/
\Vert g\Vert$ differs between layers by orders of magnitude, so that a
rate small enough for the layer with the smallest ratio is uselessly
small for the others, and one large enough for those throws the first
out of its basin.  LARS gives each tensor the step its ratio allows:
$\gamma\eta_{\rm tc}\Vert w\Vert$ in length, a fixed fraction of the
tensor's own size.  LAMB does the same for Adam's direction.

The experiment trains the full network of Chapter~6 ($784$--$128$--$64$--$10$)
on batches of |trust_batch| for |trust_steps| steps, once with LARS
($\gamma=|lars_lr|$, momentum 0.9, $\eta_{\rm tc}=10^{-3}$, decay
$5\times10^{-4}$) and once with LAMB ($\eta=|lamb_lr|$, decay $0.01$),
and records at every step the trust ratio of each of its six tensors:
for LARS $\Vert w\Vert/(\Vert g\Vert+\beta\Vert w\Vert)$, for LAMB
$\Vert w\Vert/\Vert u\Vert$ (|trust_ratios|, above).
@d lars_lr 2.0
@d lamb_lr 0.01
@<Large batches: experiments@>=
static void trust_run(struct chapter *ch, const struct dataset *tr,
  const struct dataset *te, const char *kind, struct tsv *t, double *last)
{
  const struct lb_plan *pl = plan_of(ch);
  const size_t sizes[] = {tr->dim, 128, 64, tr->classes};
  struct opt_config oc;
  opt_defaults(kind, &oc);
  if (strcmp(kind, "lars") == 0) {
    oc.lr = lars_lr; oc.momentum = 0.9; oc.weight_decay = 5e-4;
  } else { oc.lr = lamb_lr; oc.weight_decay = 0.01; }
  struct session *S = lb_session(ch, tr, 3, sizes, kind, &oc,
                                 pl->trust_batch, 0, NULL, NULL);
  const size_t n = S->m->nparams, nt = S->L->ntensors;
  float *before = vec_new(n);
  for (int s = 0; s < pl->trust_steps; s++) {
    @<Large batches: take one step and record its trust ratios@>@;
  }
  printf("%-5s test accuracy after %d steps: %.2f%%\n", kind,
         pl->trust_steps, 100 * test_accuracy(S->m, te));
  vec_free(&before);
  session_free(&S);
}

@ LARS's ratios are those of the step about to be taken, from the weights
and the gradient; LAMB's are those of the step just taken, from the
weights before it and the moments after it.
@<Large batches: take one step and record...@>=
double r[8];
session_backward(S);
vec_copy(before, S->m->params, n);
if (strcmp(kind, "lars") == 0) trust_ratios(S->o, before, S->m->grads, r);
session_update(S);
if (strcmp(kind, "lamb") == 0) trust_ratios(S->o, before, S->m->grads, r);
tsv_printf(t, "%s\t%d", kind, s + 1);
for (size_t j = 0; j < nt; j++) tsv_printf(t, "\t%.6g", r[j]);
tsv_printf(t, "\n");
for (size_t j = 0; j < nt; j++) last[j] = r[j];

@ The experiment prints the last step's ratios, and the text quotes the
spread between the largest and smallest ratio of the three weight
matrices.
@<Large batches: experiments@>=
static void trust_experiment(struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  const struct dataset tr = head_of(ch->train, pl->ntrain);
  const struct dataset te = head_of(ch->test, pl->ntest);
  printf("== trust: per-tensor trust ratios, 784-128-64-10, B = %zu\n",
         pl->trust_batch);
  struct tsv *t = tsv_open(ch->out, "trust.tsv",
                           "kind\tstep\tW0\tb0\tW1\tb1\tW2\tb2");
  static const char *const kinds[] = {"lars", "lamb"};
  for (int k = 0; k < 2; k++) {
    double last[6];
    trust_run(ch, &tr, &te, kinds[k], t, last);
    printf("%-5s last ratios: W0 %.3g b0 %.3g W1 %.3g b1 %.3g W2 %.3g b2 %.3g\n",
           kinds[k], last[0], last[1], last[2], last[3], last[4], last[5]);
    const double hi = fmax(last[0], fmax(last[2], last[4]));
    const double lo = fmin(last[0], fmin(last[2], last[4]));
    values_put(ch->values, k ? "LBlambSpread" : "LBlarsSpread", "%.1f", hi / lo);
    values_put(ch->values, k ? "LBlambWzero" : "LBlarsWzero", "%.3g", last[0]);
    values_put(ch->values, k ? "LBlambWtwo" : "LBlarsWtwo", "%.3g", last[4]);
  }
  tsv_close(t);
  values_put(ch->values, "LBtrustSteps", "%d", pl->trust_steps);
  values_put(ch->values, "LBtrustBatch", "%zu", pl->trust_batch);
}

@ Figure~\figref{07-large-batch-trust} shows the ratios.  Both optimizers
see the effect that motivated them: the three weight matrices have
ratios that differ by a factor of \val{LBlarsSpread} under LARS at the
last of \val{LBtrustSteps} steps ($\Vert w\Vert/\Vert g\Vert$ is
\val{LBlarsWzero} for the first layer and \val{LBlarsWtwo} for the last),
and of \val{LBlambSpread} under LAMB.  With a single rate, the first
layer would move by a fraction of its size several times smaller than
the last; LARS and LAMB make the fraction the same.  The biases start at
zero, so their first ratio is the exception's~1, and they are the
tensors whose ratio changes most (dashed lines): a bias of norm zero has
no scale to keep.  Many implementations therefore leave biases (and
normalization layers) out of the layer-wise scaling; the formulation
of this book, as its papers write it, does not.
\bookfigure{07-large-batch-trust}{Trust ratios of the six tensors of the
784--128--64--10 network at each of \val{LBtrustSteps} steps with batches
of \val{LBtrustBatch} (first 4096 training images, seed 1).  Left: LARS
($\gamma=2$, momentum 0.9, decay $5\times10^{-4}$), the ratio before
the trust coefficient.  Right: LAMB ($\eta=0.01$, decay 0.01).  Weights
solid, biases dashed.}

@*1 Lion against AdamW.
Lion's update is a sign: every coordinate moves by exactly $\eta$, so
the update's root mean square is $\eta$, where Adam's, whose
$m/\sqrt v$ is below one in size wherever the gradient is noisy, is a
fraction of its $\eta$.  Chen et~al.\ therefore advise a rate 3 to 10
times smaller than AdamW's, and a decay $\lambda$ as many times larger,
so that the decay per step, $\eta\lambda$, stays the same.  The memory
argument is simpler: Lion keeps one vector, AdamW two.

The experiment trains the narrow network on batches of |lion_batch| for
|lion_epochs| epochs with AdamW ($\eta=10^{-3}$, $\lambda=10^{-2}$),
with Lion rescaled by the two ends of the advice (rate divided by 10,
$\eta=10^{-4}$, $\lambda=0.1$; divided by about 3, $\eta=3.3\times10^{-4}$,
$\lambda=0.03$) and with Lion at AdamW's settings, |seeds| runs each; it
also measures the root mean square of each run's steps, divided by~$\eta$.
@<Large batches: experiments@>=
static double lion_run(const struct chapter *ch, const struct dataset *tr,
  const struct dataset *te, const char *kind, double lr, double wd, int k,
  double *rms)
{
  const struct lb_plan *pl = plan_of(ch);
  const size_t sizes[] = {tr->dim, pl->hidden, tr->classes};
  struct opt_config oc;
  opt_defaults(kind, &oc);
  oc.lr = lr; oc.weight_decay = wd;
  struct session *S = lb_session(ch, tr, 2, sizes, kind, &oc,
                                 pl->lion_batch, k, NULL, NULL);
  const long steps = pl->lion_epochs * (long)(tr->n / pl->lion_batch);
  const size_t n = S->m->nparams;
  float *before = vec_new(n);
  double sum = 0;
  for (long s = 0; s < steps; s++) {
    vec_copy(before, S->m->params, n);
    session_step(S);
    sum += sqrt(vec_sqdist(S->m->params, before, n) / (double)n) / lr;
  }
  *rms = sum / (double)steps;
  const double acc = test_accuracy(S->m, te);
  vec_free(&before);
  session_free(&S);
  return acc;
}

@ The three configurations, and the state each keeps.
@<Large batches: experiments@>=
static void lion_experiment(struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  const struct dataset tr = head_of(ch->train, pl->ntrain);
  const struct dataset te = head_of(ch->test, pl->ntest);
  static const struct { const char *kind, *tag; double lr, wd; } cf[] = {@/
    @[{"adamw", "AdamW", 1e-3, 1e-2}@],@/
    @[{"lion", "LionTen", 1e-4, 0.1}@],@/
    @[{"lion", "LionThree", 3.3e-4, 0.03}@],@/
    @[{"lion", "LionSame", 1e-3, 1e-2}@]};
  printf("== lion: %d epochs, B = %zu, %d seeds\n", pl->lion_epochs,
         pl->lion_batch, pl->seeds);
  struct tsv *t = tsv_open(ch->out, "lion.tsv", "config\tlr\twd\tacc\tsd\trms");
  for (int c = 0; c < 4; c++) {
    double a[8], rms[8];
    for (int k = 0; k < pl->seeds; k++)
      a[k] = lion_run(ch, &tr, &te, cf[c].kind, cf[c].lr, cf[c].wd, k, &rms[k]);
    const struct spread s = spread_of(a, (size_t)pl->seeds);
    const struct spread r = spread_of(rms, (size_t)pl->seeds);
    printf("%-11s lr %-6g wd %-5g acc %.2f%% +- %.2f  step rms/lr %.3f\n",@/
           cf[c].tag, cf[c].lr, cf[c].wd, 100 * s.mean, 100 * s.sd, r.mean);
    tsv_printf(t, "%s\t%g\t%g\t%.6g\t%.6g\t%.6g\n",@/
               cf[c].tag, cf[c].lr, cf[c].wd, s.mean, s.sd, r.mean);
    char name[40];
    snprintf(name, sizeof name, "LB%sAcc", cf[c].tag);
    values_put(ch->values, name, "%.1f", 100 * s.mean);
    snprintf(name, sizeof name, "LB%sSd", cf[c].tag);
    values_put(ch->values, name, "%.1f", 100 * s.sd);
    snprintf(name, sizeof name, "LB%sRms", cf[c].tag);
    values_put(ch->values, name, "%.2f", r.mean);
  }
  tsv_close(t);
  @<Large batches: the state each optimizer keeps@>@;
}

@ The state, in bytes of |float|: one vector for Lion, two for AdamW,
for the narrow network and for a model of $7\times10^9$ parameters.
@<Large batches: the state each...@>=
const double n = (double)(pl->hidden * (tr.dim + 1) + tr.classes * (pl->hidden + 1));
printf("state: Lion %.0f bytes, AdamW %.0f bytes for %.0f parameters; "@/
       "7e9 parameters: %.0f GB and %.0f GB\n",@/
       4 * n, 8 * n, n, 28.0, 56.0);
values_put(ch->values, "LBnarrowParams", "%.0f", n);

@ Table~\tableref{07-lion} gives the results, \val{LBseeds} seeds each,
with the test accuracy on the subset.
\booktable{07-lion}{The narrow network on the Fashion-MNIST subset,
trained by AdamW, by Lion with its rate divided by 10 and by about 3,
and by Lion at AdamW's settings: the rate and the weight decay, the test
accuracy (mean and standard deviation over \val{LBseeds} seeds), and
the root mean square of the steps divided by~$\eta$.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
&rate, decay&accuracy (\%)&step RMS$/\eta$\cr
\noalign{\smallskip\hrule\smallskip}
AdamW&$10^{-3}$, $10^{-2}$&\val{LBAdamWAcc} $\pm$ \val{LBAdamWSd}&\val{LBAdamWRms}\cr
Lion, $\eta/10$&$10^{-4}$, $0.1$&\val{LBLionTenAcc} $\pm$ \val{LBLionTenSd}&\val{LBLionTenRms}\cr
Lion, $\eta/3$&$3.3\times10^{-4}$, $0.03$&\val{LBLionThreeAcc} $\pm$ \val{LBLionThreeSd}&\val{LBLionThreeRms}\cr
Lion, same&$10^{-3}$, $10^{-2}$&\val{LBLionSameAcc} $\pm$ \val{LBLionSameSd}&\val{LBLionSameRms}\cr}}}
\noindent
AdamW's steps have a root mean square of \val{LBAdamWRms} times its rate
over this run, so Lion moves about $1/\val{LBAdamWRms}$ times as far per
step at the same rate; the advice to divide the rate by 3 to~10 is the
advice to match step sizes, and here the measured factor is near the low
end.  But in a run this short the larger steps are what helps: Lion at
AdamW's own settings is the best of the four, and the rescaled ones have
not caught up after 3 epochs.  The advice is about long runs at tuned
rates, where a too-large sign step keeps the weights rattling; this
experiment does not reach that regime and shows only that the rescaling
is a matter of step size.  Lion's state is one vector, $4n$ bytes
against AdamW's $8n$: \val{LBnarrowParams} parameters here, and for a
model of $7\times10^9$ parameters 28\,GB of optimizer state instead
of~56.
@^Lion@>

@*1 Averaging the weights.
Near the end of training with a constant rate, SGD does not settle: it
wanders around a minimum at a distance set by $\eta$ and the noise.
Izmailov et~al.\ (2018) proposed to average the weights it visits, {\it
stochastic weight averaging\/} (SWA), and reported gains of half a point
to one and a half points of test accuracy on image benchmarks; an {\it
exponential moving average\/} (EMA) of the weights, updated at every
step, is the other common form.  Both are one line of arithmetic per
weight, and both are PyTorch's |torch.optim.swa_utils.AveragedModel|
(version 1.13): its first update copies the weights, and update $n+1$
after that computes
$$\bar w\gets\bar w+{w-\bar w\over n+1}\quad\hbox{(SWA, the default)},
\qquad\bar w\gets\delta\bar w+(1-\delta)w\quad\hbox{(EMA, with |avg_fn|)},$$
in |float|, in that order of operations.  A network with batch
normalization would need its statistics recomputed for the averaged
weights (|update_bn|); ours has none.
@^PyTorch compatibility@>
@^weight averaging@>

@ The update, for $n$ weights; |count| is the number of updates so far.
@<Large batches: functions@>=
static void swa_update(float *avg, const float *w, size_t n, long count)
{
  if (count == 0) { vec_copy(avg, w, n); return; }
  const float k = (float)(count + 1);
  for (size_t i = 0; i < n; i++) avg[i] = avg[i] + (w[i] - avg[i]) / k;
}
static void ema_update(float *avg, const float *w, size_t n, long count,
                       double decay)
{
  if (count == 0) { vec_copy(avg, w, n); return; }
  const float d = (float)decay, e = (float)(1 - decay);
  for (size_t i = 0; i < n; i++) avg[i] = d * avg[i] + e * w[i];
}

@ The experiment trains the narrow network with SGD (momentum 0.9) at a
constant rate $\eta=|avg_lr|$, batches of |avg_batch|, for |avg_epochs|
epochs; SWA averages the weights at the end of each epoch of the second
half, EMA after every step with $\delta=|ema_decay|$.  At the end it
scores the last weights, the SWA average and the EMA on the test subset.
@d avg_lr 0.05
@d ema_decay 0.99
@<Large batches: experiments@>=
static void averaging_run(const struct chapter *ch, const struct dataset *tr,
  const struct dataset *te, int k, double acc[3])
{
  const struct lb_plan *pl = plan_of(ch);
  const size_t sizes[] = {tr->dim, pl->hidden, tr->classes};
  struct opt_config oc;
  opt_defaults("sgd", &oc);
  oc.lr = avg_lr; oc.momentum = 0.9;
  struct session *S = lb_session(ch, tr, 2, sizes, "sgd", &oc, pl->avg_batch,
                                 k, NULL, NULL);
  const size_t n = S->m->nparams;
  const long per = (long)(tr->n / pl->avg_batch);
  float *swa = vec_new(n), *ema = vec_new(n), *last = vec_new(n);
  long nswa = 0, nema = 0;
  for (int e = 0; e < pl->avg_epochs; e++) {
    for (long s = 0; s < per; s++) {
      session_step(S);
      ema_update(ema, S->m->params, n, nema++, ema_decay);
    }
    if (2 * e >= pl->avg_epochs) swa_update(swa, S->m->params, n, nswa++);
  }
  @<Large batches: score the last, the SWA and the EMA weights@>@;
  vec_free(&swa); vec_free(&ema); vec_free(&last);
  session_free(&S);
}

@ The averages are scored by loading them into the network in turn.
@<Large batches: score the last...@>=
vec_copy(last, S->m->params, n);
acc[0] = test_accuracy(S->m, te);
vec_copy(S->m->params, swa, n);
acc[1] = test_accuracy(S->m, te);
vec_copy(S->m->params, ema, n);
acc[2] = test_accuracy(S->m, te);
vec_copy(S->m->params, last, n);

@ Over |avg_seeds| seeds, the gains of each average over the last weights,
in percentage points, run by run (the runs share their seeds, so the
differences are paired).
@<Large batches: experiments@>=
static void averaging_experiment(struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  const struct dataset tr = head_of(ch->train, pl->ntrain);
  const struct dataset te = head_of(ch->test, pl->ntest);
  printf("== averaging: SGD at constant eta = %g, %d epochs, B = %zu, %d seeds\n",
         avg_lr, pl->avg_epochs, pl->avg_batch, pl->avg_seeds);
  struct tsv *t = tsv_open(ch->out, "averaging.tsv", "seed\tlast\tswa\tema");
  double last[8], gs[8], ge[8];
  for (int k = 0; k < pl->avg_seeds; k++) {
    double a[3];
    averaging_run(ch, &tr, &te, k, a);
    last[k] = a[0]; gs[k] = 100 * (a[1] - a[0]); ge[k] = 100 * (a[2] - a[0]);
    printf("seed %d: last %.2f%%  SWA %.2f%%  EMA %.2f%%\n", k, 100 * a[0],
           100 * a[1], 100 * a[2]);
    tsv_printf(t, "%d\t%.6g\t%.6g\t%.6g\n", k, a[0], a[1], a[2]);
  }
  tsv_close(t);
  const size_t ns = (size_t)pl->avg_seeds;
  const struct spread sl = spread_of(last, ns), ss = spread_of(gs, ns),
    se = spread_of(ge, ns);
  printf("gain over the last weights: SWA %+.2f +- %.2f points, "@/
         "EMA %+.2f +- %.2f points\n", ss.mean, ss.sd, se.mean, se.sd);
  values_put(ch->values, "LBavgLast", "%.1f", 100 * sl.mean);
  values_put(ch->values, "LBavgSwaGain", "%+.2f", ss.mean);
  values_put(ch->values, "LBavgSwaSd", "%.2f", ss.sd);
  values_put(ch->values, "LBavgEmaGain", "%+.2f", se.mean);
  values_put(ch->values, "LBavgEmaSd", "%.2f", se.sd);
  values_put(ch->values, "LBavgSeeds", "%d", pl->avg_seeds);
}

@ Over \val{LBavgSeeds} seeds the last weights score \val{LBavgLast}\% on
average; SWA gains \val{LBavgSwaGain} points ($\pm$\val{LBavgSwaSd}, the
standard deviation of the paired gains) and EMA \val{LBavgEmaGain}
($\pm$\val{LBavgEmaSd}).  Both gains fall in, or just above, the claimed
range of half a point to one and a half.  Two cautions keep this from
being a verdict.  The runs use a constant, fairly large rate, the regime
where averaging helps most, and no schedule decays it at the end, which
would itself remove much of the wandering that the averages smooth out;
and the problem is small.  What the experiment does show is that
averaging costs one vector and a few operations per weight, and never
lost more than a fraction of a point on any seed here.
@^SWA@>
@^EMA of weights@>

@*1 Many processes, one result.
Data-parallel training gives each of $W$ processes, its {\it ranks}, a
copy of the network and a $1/W$ share of every batch.  Each computes the
gradient of its share; the gradients are summed across the ranks (an
{\it all-reduce\/}); every rank applies the same optimizer step to the
same sum, so the copies stay equal.  The sampler of Appendix~A already
deals the shares: all ranks draw the same global batch, and rank~$r$
takes the $r$th slice.

What the sum is, bit for bit, depends on the order of its additions:
|float| addition is not associative.  An MPI library's |MPI_Allreduce|
may add in any order it likes, and the order may change with the number
of ranks, so a run on four processes would differ from a run on one in
the last bits, and then, through training's chaos, in every bit.  We fix
the order instead.  The global batch is cut into |dp_chunks|${}=4$
chunks, and the gradient of the batch is defined as the sum of the four
chunks' gradients added as a balanced tree,
$$(g_0+g_1)+(g_2+g_3),$$
divided by~4 (exact: a power of two).  With $W=1$, 2 or~4 ranks, each
rank owns a subtree: it sums its own chunks in the tree's order, the
ranks exchange their partial sums (an all-gather), and each adds them in
the tree's order again.  Every rank computes the same bits as the one
process that adds all four itself.  That one process {\it is\/} the
reference run: it is not the same as a single backward pass over the
whole batch, whose internal sum runs in another order, and the
experiment measures how far apart those two are.
@^data parallelism@>
@^reproducibility@>
@^float32 rounding@>
@d dp_chunks 4

@ The fixed-order sum of $k$ vectors of $n$ floats stored one after the
other ($k$ a power of two): stride 1 adds neighbours, stride 2 pairs of
pairs, and so on; the sum ends in the first vector.
@<Large batches: functions@>=
static void tree_sum(float *v, size_t k, size_t n)
{
  for (size_t s = 1; s < k; s *= 2)
    for (size_t i = 0; i + s < k; i += 2 * s)
      vec_axpy(v + i * n, 1.0f, v + (i + s) * n, n);
}

@ A replica is what one rank holds: the network, its sampler sharded to
its rank, the optimizer, its slice of the batch and room for its chunks'
gradients.  With ZeRO stage~1 (Rajbhandari et~al., 2020) the optimizer
covers only the rank's slice $[|lo|,|hi|)$ of the parameters, so that
AdamW's two state vectors are divided among the ranks.
@<Large batches: types@>=
struct replica {
  unsigned rank, world;
  bool zero;              /* optimizer state sharded (ZeRO-1) */
  const struct dataset *d;
  struct mlp *m;
  struct sampler smp;
  struct optimizer *o;    /* over |params[lo..hi-1]| */
  size_t lo, hi;
  float *x; uint8_t *y;   /* this rank's slice of the batch */
  float *chunks;          /* |dp_chunks/world| gradients of |n| floats */
  float *sum;             /* room for |world| partial sums */
};

@ Every replica starts from the same weights and the same sampler seed,
both drawn from the chapter's seed as a session draws them; the
optimizer is AdamW at $\eta=10^{-3}$.
@<Large batches: functions@>=
static void replica_init(struct replica *R, const struct dataset *d,
  size_t hidden, size_t B, uint64_t seed, unsigned rank, unsigned world, bool zero)
{
  const size_t sizes[] = {d->dim, hidden, d->classes};
  struct rng g;
  rng_seed(&g, seed, 0);
  *R = (struct replica)@[{.rank = rank, .world = world, .zero = zero, .d = d}@];
  R->m = mlp_new(2, sizes);
  mlp_init(R->m, &g);
  sampler_init(&R->smp, d->n, B, rng_u64(&g));
  sampler_shard(&R->smp, rank, world);
  const size_t n = R->m->nparams;
  R->lo = zero ? n * rank / world : 0;
  R->hi = zero ? n * (rank + 1) / world : n;
  struct opt_config c;
  opt_defaults("adamw", &c);
  R->o = opt_new("adamw", R->hi - R->lo, &c);
  R->x = vec_new(B / world * d->dim);
  R->y = xmalloc(B / world);
  R->chunks = vec_new(dp_chunks / world * n);
  R->sum = vec_new(world * n);
}
static void replica_free(struct replica *R)
{
  mlp_free(&R->m); sampler_free(&R->smp); opt_free(&R->o);
  vec_free(&R->x); free(R->y); vec_free(&R->chunks); vec_free(&R->sum);
}

@ The first half of a step, before any communication: the rank's slice
of the batch, its chunks' gradients, their sum in the tree's order, left
in the first chunk.
@<Large batches: functions@>=
static const float *replica_partial(struct replica *R)
{
  const size_t n = R->m->nparams, local = sampler_local(&R->smp);
  const size_t cb = R->smp.batch / dp_chunks, k = dp_chunks / R->world;
  dataset_gather(R->d, sampler_next(&R->smp), local, R->x, R->y);
  for (size_t c = 0; c < k; c++) {
    mlp_loss_grad(R->m, R->x + c * cb * R->d->dim, R->y + c * cb, cb);
    vec_copy(R->chunks + c * n, R->m->grads, n);
  }
  tree_sum(R->chunks, k, n);
  return R->chunks;
}

@ The second half, once the |world| partial sums lie in |R->sum| in rank
order: their sum in the tree's order, divided by the number of chunks,
and the optimizer's step on the rank's slice (the whole vector without
ZeRO).  With ZeRO the other slices are then brought in by an all-gather
of the parameters.
@<Large batches: functions@>=
static void replica_apply(struct replica *R)
{
  const size_t n = R->m->nparams;
  tree_sum(R->sum, R->world, n);
  vec_scale(R->sum, 1.0f / dp_chunks, n);
  opt_step(R->o, R->m->params + R->lo, R->sum + R->lo);
}

@ In one process, $W$ replicas can play the ranks in turn: each computes
its partial sum, the sums are copied to every replica (the all-gather),
and each replica applies the step; with ZeRO every replica then copies
the other replicas' slices of the parameters.  At the end every replica
must hold the same weights, which go to |out|.
@<Large batches: functions@>=
static void emulate(const struct dataset *d, size_t hidden, size_t B,
  uint64_t seed, unsigned W, bool zero, int steps, float *out)
{
  assert(W >= 1 && W <= dp_chunks && dp_chunks % W == 0);
  struct replica R[dp_chunks];
  replica_init(&R[0], d, hidden, B, seed, 0, W, zero);
  for (unsigned r = 1; r < W; r++) replica_init(&R[r], d, hidden, B, seed, r, W, zero);
  const size_t n = R[0].m->nparams;
  for (int s = 0; s < steps; s++) {
    for (unsigned r = 0; r < W; r++) {
      const float *p = replica_partial(&R[r]);
      for (unsigned q = 0; q < W; q++) vec_copy(R[q].sum + r * n, p, n);
    }
    for (unsigned r = 0; r < W; r++) replica_apply(&R[r]);
    for (unsigned r = 0; zero && r < W; r++)
      for (unsigned q = 0; q < W; q++)
        if (q != r) vec_copy(R[q].m->params + R[r].lo, R[r].m->params + R[r].lo,
                             R[r].hi - R[r].lo);
  }
  for (unsigned r = 1; r < W; r++)
    if (memcmp(R[r].m->params, R[0].m->params, n * sizeof(float)) != 0)
      die("emulated rank %u of %u disagrees with rank 0", r, W);
  vec_copy(out, R[0].m->params, n);
  for (unsigned r = 0; r < W; r++) replica_free(&R[r]);
}

@ The run that the fixed order is {\it not\/} equal to: one backward pass
over the whole batch, with the same weights, batches and optimizer.
@<Large batches: functions@>=
static void whole_batch(const struct dataset *d, size_t hidden, size_t B,
  uint64_t seed, int steps, float *out)
{
  struct replica R;
  replica_init(&R, d, hidden, B, seed, 0, 1, false);
  for (int s = 0; s < steps; s++) {
    dataset_gather(d, sampler_next(&R.smp), B, R.x, R.y);
    mlp_loss_grad(R.m, R.x, R.y, B);
    opt_step(R.o, R.m->params, R.m->grads);
  }
  vec_copy(out, R.m->params, R.m->nparams);
  replica_free(&R);
}

@ The experiment runs the six combinations of $W\in\{1,2,4\}$ with and
without ZeRO, compares each bit for bit with $W=1$, and measures the
largest difference between the fixed-order run and the whole-batch one.
@<Large batches: experiments@>=
static void parallel_experiment(struct chapter *ch)
{
  const struct lb_plan *pl = plan_of(ch);
  const struct dataset tr = head_of(ch->train, pl->ntrain);
  const size_t sizes[] = {tr.dim, pl->hidden, tr.classes};
  struct mlp *probe = mlp_new(2, sizes);
  const size_t n = probe->nparams;
  mlp_free(&probe);
  printf("== parallel: AdamW, B = %zu in %d chunks, %d steps, emulated ranks\n",
         pl->dp_batch, dp_chunks, pl->dp_steps);
  @<Large batches: say whether this program speaks MPI@>@;
  float *ref = vec_new(n), *w = vec_new(n);
  emulate(&tr, pl->hidden, pl->dp_batch, ch->seed, 1, false, pl->dp_steps, ref);
  int same = 0;
  for (unsigned W = 1; W <= dp_chunks; W *= 2)
    for (int z = 0; z < 2; z++) {
      emulate(&tr, pl->hidden, pl->dp_batch, ch->seed, W, z, pl->dp_steps, w);
      const bool eq = memcmp(w, ref, n * sizeof(float)) == 0;
      same += eq;
      printf("W = %u%s: %s\n", W, z ? " ZeRO-1" : "       ",
             eq ? "bit-identical to W = 1" : "DIFFERS from W = 1");
    }
  if (same != 6) die("data-parallel runs differ from the one-process run");
  @<Large batches: compare with one backward pass over the whole batch@>@;
  vec_free(&ref); vec_free(&w);
  values_put(ch->values, "LBdpSteps", "%d", pl->dp_steps);
  values_put(ch->values, "LBdpBatch", "%zu", pl->dp_batch);
  const size_t book[] = {tr.dim, 128, 64, tr.classes};
  probe = mlp_new(3, book);
  ring_model(ch, probe->nparams);
  mlp_free(&probe);
}

@ The difference, in the largest change of a weight and in the number of
weights whose bits differ.
@<Large batches: compare with one backward...@>=
whole_batch(&tr, pl->hidden, pl->dp_batch, ch->seed, pl->dp_steps, w);
double worst = 0;
size_t differ = 0;
for (size_t i = 0; i < n; i++) {
  worst = fmax(worst, fabs((double)w[i] - ref[i]));
  differ += memcmp(&w[i], &ref[i], sizeof(float)) != 0;
}
printf("one backward pass over the whole batch: %zu of %zu weights differ, "@/
       "by up to %.3g\n", differ, n, worst);
values_put(ch->values, "LBdpDiffer", "%zu", differ);
values_put(ch->values, "LBdpN", "%zu", n);
values_sci(ch->values, "LBdpWorst", worst);

@ This program is the one-process build: the MPI build is a separate
binary from the same source (below).
@<Large batches: say whether this program speaks MPI@>=
printf("MPI: not in this program; build/bin/07-large-batch-mpi (built where "@/
       "mpicc exists) runs the same steps over MPI\n");

@ The emulation runs \val{LBdpSteps} steps of AdamW on batches of
\val{LBdpBatch} with $W=1$, 2 and~4 ranks, with and without ZeRO-1, and
every one of the six runs ends with weights equal, bit for bit, to the
one-process run.  (If one did not, the program would stop.)  The same
holds over MPI: \.{tests/mpi.sh} checks it in \.{make check} with
\.{mpirun -np 1}, 2 and~4.  The run that does one backward pass over the
whole batch instead of four chunks differs: \val{LBdpDiffer} of its
\val{LBdpN} weights have other bits after \val{LBdpSteps} steps, by up to
$\val{LBdpWorst}$.  Small, and growing: two trajectories of a chaotic
system that differ in the last bit part eventually.  Fixing the order
costs nothing measurable here; in a real system it means choosing the
reduction rather than taking the library's, and NCCL and MPI offer no
such guarantee across different numbers of ranks.

ZeRO-1 changes nothing in the arithmetic because AdamW is a rule of one
coordinate: the slice a rank updates is updated exactly as the whole
vector would be.  It would not be true of LAMB or LARS as written here:
their norms are per tensor, and a slice boundary inside a tensor would
need one more all-reduce, of the partial squared norms, before the step.
@^ZeRO@>

@*1 What the communication costs.
A {\it ring all-reduce\/} of $n$ bytes over $p$ ranks (Patarasuk and
Yuan, 2009; the algorithm of Horovod and NCCL) arranges the ranks in a
ring, cuts the vector into $p$ pieces, and passes pieces around the ring
in $p-1$ steps to reduce them and $p-1$ more to distribute the results.
Every step sends $n/p$ bytes to the neighbour, so with a latency
$\alpha$ per message and a bandwidth $\beta$ per link it takes
$$T_{\rm ring}(p)=2(p-1)\,\alpha+2\,{p-1\over p}\,{n\over\beta}.$$
The second term barely grows with $p$: the ring uses every link at once.
The first grows linearly, and it is what ends the scaling of a small
model.  The computation of one step, with the global batch fixed, is
$T_1/p$.  The model below takes $\alpha=|ring_alpha|$\,s and
$\beta=|ring_beta|$ bytes per second (a 200\,Gb/s link), no overlap of
communication with computation, and three networks: this book's
$784$--$128$--$64$--$10$ network (fp32 gradients, a batch of 256, on
ranks of $5\times10^{10}$ floating-point operations per second, a good
CPU core), and transformers of $10^8$ and $7\times10^9$ parameters (bf16
gradients, $6N$ operations per token, batches of $6.4\times10^4$ and
$10^6$ tokens, on accelerators sustaining $4\times10^{14}$ operations per
second).
@d ring_alpha 5e-6
@d ring_beta 25e9
@<Large batches: functions@>=
static double ring_time(double p, double bytes)
{
  return 2 * (p - 1) * ring_alpha + 2 * (p - 1) / p * bytes / ring_beta;
}

@ The table has one row per number of ranks, $1$ to $2^{14}$; for each
model the step time and the compute time alone.  The text quotes, for
each model, the first $p$ at which the all-reduce takes longer than the
computation.
@<Large batches: functions@>=
static void ring_model(struct chapter *ch, size_t mlp_n)
{
  const double N[3] = {(double)mlp_n, 1e8, 7e9}, bytes[3] = {4, 2, 2};
  const double T1[3] = {6 * N[0] * 256 / 5e10, 6 * N[1] * 6.4e4 / 4e14,
                        6 * N[2] * 1e6 / 4e14};
  struct tsv *t = tsv_open(ch->out, "ring.tsv",
    "ranks\tmlp\tmlpcompute\tm100\tm100compute\tm7b\tm7bcompute");
  double cross[3] = {0, 0, 0};
  for (double p = 1; p <= 16384; p *= 2) {
    tsv_printf(t, "%.0f", p);
    for (int k = 0; k < 3; k++) {
      const double comm = ring_time(p, N[k] * bytes[k]), comp = T1[k] / p;
      tsv_printf(t, "\t%.6g\t%.6g", comp + comm, comp);
      if (!cross[k] && comm > comp) cross[k] = p;
    }
    tsv_printf(t, "\n");
  }
  tsv_close(t);
  static const char *const tag[3] = {"Mlp", "Hundred", "Seven"};
  for (int k = 0; k < 3; k++) {
    char name[32];
    printf("ring model, %.3g parameters: one step %.3g s on 1 rank; "@/
           "communication exceeds computation from p = %.0f\n",@/
           N[k], T1[k], cross[k]);
    snprintf(name, sizeof name, "LBcross%s", tag[k]);
    values_put(ch->values, name, "%.0f", cross[k]);
    snprintf(name, sizeof name, "LBstep%s", tag[k]);
    values_sci(ch->values, name, T1[k]);
  }
}

@*1 The same steps over MPI.
The emulation above plays the ranks in one process; the program
\.{build/bin/07-large-batch-mpi} runs them as processes that talk through
MPI, from the same source compiled with \.{mpicc} and |DESCENT_MPI|
defined (the Makefile does this only where \.{mpicc} exists, and the
plain program says so in one line).  Each process is one replica; the
exchange of partial sums is one |MPI_Allgather|, and ZeRO's exchange of
parameter slices one |MPI_Allgatherv|.  At the end rank~0 gathers every
rank's weights, runs the one-process reference itself, and reports
whether all of them are equal to it bit for bit; the exit status says
the same.  \.{tests/mpi.sh} (part of \.{make check}) runs it with
\.{mpirun -np 1}, 2 and~4, with and without \.{--zero}.
@^MPI@>
@<Large batches: the MPI program@>=
#ifdef DESCENT_MPI
#include <mpi.h>
@<Large batches: the main program over MPI@>@;
#else
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }
#endif

@ The command line is short: \.{--zero}, \.{--steps N}, \.{--seed N} and
\.{--data DIR}; the run is the full plan's parallel run.
@.unknown argument@>
@<Large batches: the main program over MPI@>=
@<Large batches: one data-parallel run over MPI@>@;
int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  int rank, world;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  program_name = "07-large-batch-mpi";
  bool zero = false;
  long steps = full_plan.dp_steps;
  uint64_t seed = 1;
  const char *data = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      if (rank == 0) printf("Usage: mpirun -np 1|2|4 %s "@/
        "[--zero] [--steps N] [--seed N] [--data DIR]\n"@/
        "Chapter 7's data-parallel AdamW run over MPI, "@/
        "checked bit for bit against the one-process run.\n", program_name);
      MPI_Finalize();
      return 0;
    }
    if (strcmp(argv[i], "--zero") == 0) zero = true;
    else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
      steps = cli_long("--steps", argv[++i], 1, 1000000);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = cli_seed(argv[++i]);
    else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) data = argv[++i];
    else usage_error("unknown argument '%s' "@/
                     "(usage: 07-large-batch-mpi [--zero] [--steps N] [--seed N] "@/
                     "[--data DIR])", argv[i]);
  }
  if (world != 1 && world != 2 && world != 4) {
    if (rank == 0) fprintf(stderr, "%s: runs on 1, 2 or 4 processes, not %d\n",
                           program_name, world);
    MPI_Finalize();
    return 2;
  }
  const int ok = mpi_run(rank, (unsigned)world, zero, steps, seed, fmnist_dir(data));
  MPI_Finalize();
  return ok ? 0 : 1;
}

@ One run: the replica, the steps with their two exchanges, the timing,
and the comparison.
@<Large batches: one data-parallel run over MPI@>=
static int mpi_run(int rank, unsigned world, bool zero, long steps,
                   uint64_t seed, const char *dir)
{
  const struct lb_plan *pl = &full_plan;
  struct dataset train;
  char msg[512];
  if (fmnist_load(dir, true, &train, msg, sizeof msg) != 0) die("%s", msg);
  if (train.n < pl->ntrain) die("needs %zu training images", pl->ntrain);
  const struct dataset tr = head_of(&train, pl->ntrain);
  struct replica R;
  replica_init(&R, &tr, pl->hidden, pl->dp_batch, seed, (unsigned)rank, world, zero);
  const size_t n = R.m->nparams;
  int counts[dp_chunks], displs[dp_chunks];
  for (unsigned r = 0; r < world; r++) {
    displs[r] = (int)(n * r / world);
    counts[r] = (int)(n * (r + 1) / world) - displs[r];
  }
  const double t0 = MPI_Wtime();
  @<Large batches: the steps over MPI@>@;
  const double dt = (MPI_Wtime() - t0) / (double)steps;
  @<Large batches: compare every rank with the one-process run@>@;
  replica_free(&R);
  dataset_free(&train);
  return ok;
}

@ The steps: the partial sum, the all-gather of the partial sums, the
update, and with ZeRO the all-gather of the updated slices.
@<Large batches: the steps over MPI@>=
for (long s = 0; s < steps; s++) {
  const float *p = replica_partial(&R);
  MPI_Allgather(p, (int)n, MPI_FLOAT, R.sum, (int)n, MPI_FLOAT, MPI_COMM_WORLD);
  replica_apply(&R);
  if (zero)
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, R.m->params, counts,
                   displs, MPI_FLOAT, MPI_COMM_WORLD);
}

@ Rank~0 gathers all weights and compares each rank's with its own run
of the one-process reference.
@<Large batches: compare every rank...@>=
float *all = rank == 0 ? vec_new(world * n) : NULL;
MPI_Gather(R.m->params, (int)n, MPI_FLOAT, all, (int)n, MPI_FLOAT, 0, MPI_COMM_WORLD);
int ok = 1;
if (rank == 0) {
  float *ref = vec_new(n);
  emulate(&tr, pl->hidden, pl->dp_batch, seed, 1, false, (int)steps, ref);
  for (unsigned r = 0; r < world; r++)
    ok = ok && memcmp(all + r * n, ref, n * sizeof(float)) == 0;
  printf("np %u%s, %ld steps: %s; %.3g ms per step\n", world, zero ? " ZeRO-1" : "",
         steps, ok ? "every rank bit-identical to the one-process run"
                   : "DIFFERS from the one-process run", 1e3 * dt);
  vec_free(&ref); vec_free(&all);
}
MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);

@ Figure~\figref{07-large-batch-ring} shows the model.  For this book's
network a step takes $\val{LBstepMlp}$\,s on one rank in the model, and
the all-reduce, all latency at this size, overtakes the computation from
$p=\val{LBcrossMlp}$ ranks on: beyond that, more ranks make the step
slower.  The $10^8$-parameter model, whose 200\,MB of bf16 gradients
take 16\,ms to pass around the ring whatever $p$, is
communication-bound from $p=\val{LBcrossHundred}$ with its
$6.4\times10^4$-token batches; the $7\times10^9$-parameter model with
batches of a million tokens ($\val{LBstepSeven}$\,s of computation on one
accelerator) from $p=\val{LBcrossSeven}$.  Those are the reasons real
systems overlap the all-reduce with the backward pass, compress or
quantize gradients, shard more than the optimizer state (ZeRO stages 2
and~3), and grow the batch with the number of ranks, which brings back
the first half of this chapter.
\bookfigure{07-large-batch-ring}{Modelled time per step against the
number of ranks, with the global batch fixed: computation $T_1/p$
(dashed) plus a ring all-reduce with $\alpha=5\,\mu$s and
$\beta=25$\,GB/s (solid), for the 784--128--64--10 network (fp32
gradients, batch 256, $5\times10^{10}$ operations per second per rank)
and for models of $10^8$ and $7\times10^9$ parameters (bf16 gradients,
$6.4\times10^4$ and $10^6$ tokens per step, $4\times10^{14}$ operations per
second per rank).}

@ Exercises.
(1) Predict, then measure: with warmup removed (|warmup_steps| $=0$),
at which batch size does the linear rule break?
(2) Add a third variant to the scaling experiment, the square-root rule
$\eta=\eta_0\sqrt{B/B_0}$ (proposed for adaptive optimizers); where does
it beat the linear rule?
(3) Exclude the biases from LARS's trust ratio (ratio 1 for every
one-dimensional tensor) and compare the accuracy after
\val{LBtrustSteps} steps.
(4) Make ZeRO-1 work for LAMB: which partial norms must the ranks
exchange, and can the result still be bit-identical to one process?
(5) In the ring model, at what bandwidth does the $10^8$-parameter model
stop being communication-bound at 64 ranks?
