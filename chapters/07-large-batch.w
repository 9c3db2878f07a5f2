@q 07-large-batch.w -- Chapter 7: large batches, layer-wise optimizers, many processes @>
@* Large batches.
\chaptervalues{07-large-batch}%
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
Fashion-MNIST, a narrow network, a few epochs): the whole program runs
in about half a minute on two cores.
@c
#include "descent.h"
#include "descent-largebatch.h"
@<Large batches: types@>@;
@<Large batches: functions@>@;
@<Large batches: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"rules", rules_experiment, false}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"07-large-batch",
  "The experiments of chapter 7 of Descent: the linear scaling rule, LARS,\n"
  "LAMB and Lion, weight averaging, and data-parallel training.\n",
  experiments, NULL, NULL, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

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
  *p = *p * k->shrink;
  const float c = *m * k->b1 + k->keep1 * g;
  const float s = c > 0 ? 1.0f : c < 0 ? -1.0f : c;
  *p = *p + k->neg_lr * s;
  *m = *m * k->b2 + k->keep2 * g;
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
  const struct lion_consts k = @[{(float)(1.0 - sp->lr * sp->weight_decay), (float)b1,
    (float)(1 - b1), (float)b2, (float)(1 - b2), (float)(-sp->lr)}@];
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
    const struct lars_consts k = @[{(float)o->c.momentum, (float)sp->weight_decay,
      (float)(sp->lr * tr)}@];
    for (size_t i = T->offset; i < T->offset + T->len; i++) lars_coord(&k, g[i], &p[i], &v[i]);
  }
}
const struct opt_kind opt_lars = {"lars", "lr momentum weight_decay trust_coefficient",
  lb_one, lars_defaults, lars_check, NULL, lars_step, NULL};

@ The local rate, with its exception for zero norms.
@<Large batches: LARS's local rate@>=
static double lars_trust(double eta, double wn, double gn, double wd)
{
  const double den = gn + wd * wn;
  return wn > 0 && den > 0 ? eta * wn / den : 1.0;
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
      return opt_error(msg, len, "lamb: exp_avg_sq[%zu] = %g is negative, and an average "
                       "of squares never is", i, v[i]);
  return 0;
}
const struct opt_kind opt_lamb = {"lamb", "lr betas eps weight_decay",
  lb_two, lamb_defaults, lamb_check, NULL, lamb_step, lamb_validate};

@ The step, tensor by tensor.
@<Large batches: LAMB's step@>=
static double lamb_ratio(double wn2, double un2)
{ return wn2 > 0 && un2 > 0 ? sqrt(wn2) / sqrt(un2) : 1.0; }
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
defaults (LARS with $\gamma=1$) moves the two tensors as the program
prints below.  SGD would move both by the same amount, $\eta g$; LARS
and LAMB move each tensor by an amount proportional to its own norm, and
Lion moves every coordinate by exactly $\eta$.
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

@ The chapter's types.
@<Large batches: types@>=
struct lb_plan;

@ The chapter's functions.
@<Large batches: functions@>=
