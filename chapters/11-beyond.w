@q 11-beyond.w -- Chapter 11: after AdamW @>
@* After AdamW.
\chaptervalues{11-beyond}%
AdamW with warmup and cosine decay is the recipe of the earlier chapters,
and of most of the networks trained today.  This chapter takes up two
newer ideas that claim to beat it, and checks each on this book's
problem with this book's code.  The first changes the optimizer:
{\it Muon\/} (Keller Jordan and others, 2024) keeps SGD's momentum for
each weight matrix but, before stepping, replaces the matrix of momentum
by the nearest {\it orthogonal\/} matrix, computed by five steps of a
Newton--Schulz iteration; its authors report about twice the compute
efficiency of AdamW when training language models.  The second changes
the schedule: {\it warmup--stable--decay\/} (WSD) holds the learning rate
constant and decays it only at the very end, so that one long run at a
constant rate can be {\it branched\/} into short cooldowns, each of which
is claimed to end as well as a cosine schedule of the same length; and
{\it linear decay to zero\/} is claimed to beat the cosine that stops at
a tenth of the peak.

A claim of a better optimizer is only as good as the tuning of the
baseline it beats.  So this chapter states its protocol first: every
method gets the same small grid of learning rates, the same number of
steps and of examples, is tuned on the loss on held-out {\it
validation\/} images (never on the test images), and is then run again
from fresh seeds; every number quoted is a mean over those seeds, with
its spread.  The problems are small, and the verdicts are verdicts about
them.

@ The chapter is a program, \.{build/bin/11-beyond}, and every number the
text quotes was printed by it when the book was built.  It runs three
experiments: {\it ns}, the Newton--Schulz iteration on numbers and on a
real gradient matrix; {\it muon}, Muon against AdamW, both tuned; and
{\it wsd}, cooldowns branched from one constant-rate run against cosine
and linear decay at the same budget.  Its command line is that of every
chapter's program (\.{--only}, \.{--quick}, \.{--seed}, \.{--out}); the
whole run took \val{runSeconds}~s on \val{runThreads} threads when this
copy of the book was built.
@c
#include <assert.h>
#include "descent.h"
#include "descent-beyond.h"
@<Beyond: types@>@;
@<Beyond: functions@>@;
@<Beyond: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"ns", ns_experiment, true}@],@/
  @[{"muon", muon_experiment, true}@],@/
  @[{"wsd", wsd_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"11-beyond",@/
  "The experiments of chapter 11 of Descent: Muon against AdamW, and\n"@/
  "warmup-stable-decay and linear decay to zero against cosine.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@*1 Muon.
Take a weight matrix $W$ of shape $r\times c$ and the matrix $B$ of its
momentum, and write $B=U\Sigma V^{\top}$, its singular value
decomposition.  SGD with momentum steps along $B$; the step is large in
the few directions where $\Sigma$ is large and nearly nothing in the
many where it is small.  Muon steps along $UV^{\top}$ instead: the same
directions, every singular value replaced by~1.  Computing an SVD at
every step would be slow, but $UV^{\top}$ is also the limit of an
iteration that needs only matrix products.  Normalize $X_0=B/\Vert
B\Vert_F$, so that every singular value lies in $[0,1]$, and repeat
$$X_{k+1}=aX_k+b\,(X_kX_k^{\top})X_k+c\,(X_kX_k^{\top})^2X_k.$$
Each step maps every singular value $\sigma$ of $X_k$ to
$\phi(\sigma)=a\sigma+b\sigma^3+c\sigma^5$ and leaves $U$ and $V$ alone.
The classical Newton--Schulz choice $(15/8,-10/8,3/8)$ converges to~1
from anywhere in $(0,\sqrt3)$ but slowly from near~0; Muon's
coefficients $(a,b,c)=(3.4445,-4.7750,2.0315)$ buy a slope of $3.4445$
at zero and give up convergence: after five steps every singular value
that was not tiny lands somewhere between about \val{BYmapLo} and
\val{BYmapHi}, not on~1.  The first experiment measures how well that
works.
@^Muon@>
@^Newton--Schulz iteration@>
@^orthogonalization@>

@ The exact formulation is PyTorch's \.{torch.optim.Muon} (version 2.9,
\.{torch/optim/\_muon.py}), because it is the one a reader can run.  For
a matrix parameter $W$ of shape $r\times c$ with gradient $G$, learning
rate $\eta$, decay $\lambda$ and momentum $\mu$ (defaults $\eta=10^{-3}$,
$\lambda=0.1$, $\mu=0.95$, Nesterov on), one step is
$$\eqalign{B&\gets B+(1-\mu)(G-B)\qquad\hbox{(\.{lerp}: $\mu B+(1-\mu)G$, $B_0=0$)},\cr
U&=\cases{G+\mu(B-G),&Nesterov;\cr B,&otherwise;\cr}\cr
O&={\rm NS}_5(U),\qquad W\gets W(1-\eta\lambda),\qquad W\gets W-\eta'O,\cr}$$
where ${\rm NS}_5$ transposes $U$ if $r>c$ (so that the Gram matrix
$XX^{\top}$ is the smaller one), divides by $\max(\Vert U\Vert_F,
\epsilon)$ with $\epsilon=10^{-7}$, runs five steps of the iteration
above and transposes back, and $\eta'$ is the {\it adjusted\/} rate:
$$\eta'=\cases{\eta\sqrt{\max(1,r/c)},&\.{adjust\_lr\_fn} \.{original} (the default);\cr
0.2\,\eta\sqrt{\max(r,c)},&\.{match\_rms\_adamw}.\cr}$$
Details that a reimplementation easily gets wrong, each a choice of the
PyTorch code: the buffer is an exponential average (\.{lerp}), not the
sum $\mu B+G$ that PyTorch's own docstring writes; Nesterov's update is
$G+\mu(B-G)$, again a \.{lerp}; the normalization divides by the norm
clamped below at $\epsilon$, not by the norm plus~$\epsilon$; the decay
uses the unadjusted $\eta$; and the rows are the first dimension of the
weight, \.{out\_features} for a linear layer.
One deliberate difference: PyTorch runs the iteration in bfloat16 (it
casts $U$ with \.{.bfloat16()}); this book runs it in |float|, so its
Muon is PyTorch's formula in float32 arithmetic, and the reference
vectors of Appendix~B are generated that way, with PyTorch's tensor
operations.  Appendix~B's \.{replay optimizer muon} treats each input line as one
matrix, of the shape given by \.{--shape R,C}.
@^PyTorch compatibility@>

@ Muon is meant for the matrices {\it inside\/} a network.  Biases are
not matrices, and the first and last layers, which map pixels in and
classes out, are by convention left to AdamW (PyTorch's class refuses
any parameter that is not two-dimensional, and its documentation asks
for AdamW beside it).  The library's kind \.{muon} therefore is the
pair: it orthogonalizes the two-dimensional tensors of the layout's
group~0, and applies AdamW, with the betas of the configuration
(PyTorch's AdamW defaults, $0.9$ and $0.999$), $\epsilon=10^{-8}$ and
each group's own rate and decay, to every other tensor.  A program puts
the tensors that should get AdamW into a group of their own, with AdamW's
rate; a layout of one group, as in \.{replay}, is all Muon.  The state
is three vectors (Muon's buffer, AdamW's two averages), each used only
where its rule applies.
@^parameter groups@>

@q begin library part @>
@ The header: the iteration, the adjusted rate, and the coefficients.
@(descent-beyond.h@>=
#ifndef DESCENT_BEYOND_H
#define DESCENT_BEYOND_H
#include <stddef.h>
#define MUON_A 3.4445f
#define MUON_B (-4.7750f)
#define MUON_C 2.0315f
#define MUON_EPS_ADAMW 1e-8
void newton_schulz(const float *G, float *O, size_t rows, size_t cols,@/
                   int steps, float eps);
double muon_adjusted_lr(double lr, int adjust_lr_fn, size_t rows, size_t cols);
void singular_values(const float *G, size_t rows, size_t cols, double *sv);
#endif

@ The library's file of this chapter.
@(beyond.c@>=
#include <math.h>
#include <stdlib.h>
#include "descent.h"
#include "descent-adaptive.h"
#include "descent-beyond.h"
@<Beyond: matrix products@>@;
@<Beyond: the Newton--Schulz iteration@>@;
@<Beyond: singular values@>@;
@<Beyond: the Muon kind@>@;

@ Two products of row-major |float| matrices, each sum taken in |double|
and rounded once: $C=XY^{\top}$ for $X$ of $m\times k$ and $Y$ of
$n\times k$ (rows against rows, the Gram matrix when $Y=X$), and $C=XY$
for $X$ of $m\times k$ and $Y$ of $k\times n$.  The first transposes $Y$
and calls the second, whose inner loop runs along a row of the result
(an {\it axpy}, which the compiler vectorizes) instead of along a dot
product (a sum, which it may not reorder).  The matrices of this
chapter are small; these plain loops are the reference.
@<Beyond: matrix products@>=
static void mul_ab(const float *X, const float *Y, float *C, size_t m,@/
                   size_t n, size_t k);
static void mul_abt(const float *X, const float *Y, float *C, size_t m,@/
                    size_t n, size_t k)
{
  float *Yt = vec_new(k * n);
  for (size_t j = 0; j < n; j++)
    for (size_t l = 0; l < k; l++) Yt[l * n + j] = Y[j * k + l];
  mul_ab(X, Yt, C, m, n, k);
  vec_free(&Yt);
}
static void mul_ab(const float *X, const float *Y, float *C, size_t m,@/
                   size_t n, size_t k)
{
  double *row = xmalloc(n * sizeof *row);
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) row[j] = 0;
    for (size_t l = 0; l < k; l++) {
      const double x = X[i * k + l];
      for (size_t j = 0; j < n; j++) row[j] += x * Y[l * n + j];
    }
    for (size_t j = 0; j < n; j++) C[i * n + j] = (float)row[j];
  }
  free(row);
}

@ The iteration works on $X$ of $r\times c$ with $r\le c$: the input
itself, or its transpose when it has more rows than columns.  After the
normalization, each step forms the Gram matrix $A=XX^{\top}$, then
$P=bA+(cA)A$ (in |float|, in the order of PyTorch's expression
\.{b * A + c * A @@ A}, where \.{*} and \.{@@} bind equally and group from
the left), then $X\gets aX+PX$.
@<Beyond: the Newton--Schulz iteration@>=
void newton_schulz(const float *G, float *O, size_t rows, size_t cols,@/
                   int steps, float eps)
{
  const bool tr = rows > cols;
  const size_t r = tr ? cols : rows, c = tr ? rows : cols;
  float *X = vec_new(r * c), *Y = vec_new(r * c);
  float *A = vec_new(r * r), *A2 = vec_new(r * r), *cA = vec_new(r * r);
  for (size_t i = 0; i < r; i++)
    for (size_t j = 0; j < c; j++) X[i * c + j] = tr ? G[j * cols + i] : G[i * cols + j];
  @<Beyond: divide |X| by its norm, clamped below at |eps|@>@;
  for (int k = 0; k < steps; k++) {
    @q solution ns_iteration: (void)mul_abt; @>
    mul_abt(X, X, A, r, r, c);
    for (size_t i = 0; i < r * r; i++) cA[i] = MUON_C * A[i];
    mul_ab(cA, A, A2, r, r, r);
    for (size_t i = 0; i < r * r; i++) A[i] = MUON_B * A[i] + A2[i];
    mul_ab(A, X, Y, r, c, r);
    for (size_t i = 0; i < r * c; i++) X[i] = MUON_A * X[i] + Y[i];
    @q end solution @>
  }
  for (size_t i = 0; i < r; i++)
    for (size_t j = 0; j < c; j++) O[tr ? j * cols + i : i * cols + j] = X[i * c + j];
  vec_free(&X); vec_free(&Y); vec_free(&A); vec_free(&A2); vec_free(&cA);
}

@ The norm is summed in |double| and rounded to |float|, as the
PyTorch tensor's norm is a |float|.
@<Beyond: divide |X| by its norm...@>=
{
  const float nrm = (float)vec_norm2(X, r * c);
  const float den = nrm > eps ? nrm : eps;
  for (size_t i = 0; i < r * c; i++) X[i] = X[i] / den;
}

@ The adjusted rate of PyTorch's |_adjust_lr|, in |double|.
@<Beyond: the Muon kind@>=
double muon_adjusted_lr(double lr, int adjust_lr_fn, size_t rows, size_t cols)
{
  @q solution muon_adjusted_lr: (void)adjust_lr_fn; (void)rows; (void)cols; return lr; @>
  const double A = (double)rows, B = (double)cols;
  if (adjust_lr_fn == 1) return lr * 0.2 * sqrt(A > B ? A : B);
  return lr * sqrt(A / B > 1 ? A / B : 1);
  @q end solution @>
}

@ PyTorch's \.{lerp} of |float|s, |a + w (b - a)|, computed the way its
kernel computes it: from the nearer end, so that $w=1$ gives |b|
exactly.
@<Beyond: the Muon kind@>=
static inline float lerpf(float a, float b, float w)
{
  return fabsf(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1.0f - w);
}

@ One matrix's step, as the formulation above writes it.  The buffer
and the direction $U$ are elementwise; the iteration needs the whole
matrix, so $U$ goes into scratch space first.
@<Beyond: the Muon kind@>=
static void muon_matrix(const struct optimizer *o, const struct opt_span *sp,
  const struct tensor *T, float *p, const float *g, float *buf)
{
  const size_t n = T->len, lo = T->offset;
  const float keep = (float)(1 - o->c.momentum), mu = (float)o->c.momentum;
  float *u = vec_new(n), *O = vec_new(n);
  for (size_t i = 0; i < n; i++) {
    buf[lo + i] = lerpf(buf[lo + i], g[lo + i], keep);
    u[i] = o->c.nesterov ? lerpf(g[lo + i], buf[lo + i], mu) : buf[lo + i];
  }
  newton_schulz(u, O, T->shape[0], T->shape[1], 5, (float)o->c.eps);
  const double alr = muon_adjusted_lr(sp->lr, o->c.adjust_lr_fn, T->shape[0], T->shape[1]);
  const float shrink = (float)(1.0 - sp->lr * sp->weight_decay), step = (float)(-alr);
  for (size_t i = 0; i < n; i++) {
    p[lo + i] = p[lo + i] * shrink;
    p[lo + i] = p[lo + i] + step * O[i];
  }
  vec_free(&u); vec_free(&O);
}

@ Every other tensor gets AdamW's rule of Chapter~3, from its shared
header, with the step count of the whole optimizer.
@<Beyond: the Muon kind@>=
static void muon_adamw(const struct optimizer *o, const struct opt_span *sp,
  const struct tensor *T, float *p, const float *g, float *m, float *v)
{
  const double b1 = o->c.beta1, b2 = o->c.beta2, t = (double)o->t;
  const struct adam_consts k = @[{(float)b1, (float)(1 - b1), (float)b2,@/
    (float)(1 - b2), (float)sqrt(1 - pow(b2, t)), (float)MUON_EPS_ADAMW,@/
    (float)(-(sp->lr / (1 - pow(b1, t))))}@];
  const float shrink = (float)(1.0 - sp->lr * sp->weight_decay);
  for (size_t i = T->offset; i < T->offset + T->len; i++)
    adamw_coord(&k, shrink, g[i], &p[i], &m[i], &v[i], NULL);
}

@ The step walks the tensors of the span and sends each to its rule.
@<Beyond: the Muon kind@>=
static void muon_step(struct optimizer *o, float *p, const float *g,
                      const struct opt_span *sp)
{
  float *buf = opt_state(o, 0), *m = opt_state(o, 1), *v = opt_state(o, 2);
  for (size_t j = 0; j < o->L->ntensors; j++) {
    const struct tensor *T = &o->L->tensors[j];
    if (T->offset < sp->lo || T->offset >= sp->hi) continue;
    if (T->ndim == 2 && T->group == 0) muon_matrix(o, sp, T, p, g, buf);
    else muon_adamw(o, sp, T, p, g, m, v);
  }
}

@ The row of the table: PyTorch's defaults and checks (a negative rate,
momentum or decay, an unknown adjustment), the betas of the AdamW part
checked as Adam's, and a loaded state checked as Adam's is.
@<Beyond: the Muon kind@>=
static void muon_defaults(struct opt_config *c)
{
  c->lr = 1e-3; c->weight_decay = 0.1; c->momentum = 0.95; c->nesterov = true;
  c->eps = 1e-7; c->beta1 = 0.9; c->beta2 = 0.999; c->adjust_lr_fn = 0;
}
static size_t muon_nstate(const struct opt_config *c) { (void)c; return 3; }
static int muon_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "Learning rate should be >= 0 but is: %g", c->lr);
  if (c->momentum < 0)
    return opt_error(msg, len, "momentum should be >= 0 but is: %g", c->momentum);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "weight decay should be >= 0 but is: %g", c->weight_decay);
  if (c->adjust_lr_fn > 1)
    return opt_error(msg, len, "Adjust learning rate function %d is not supported",
                     c->adjust_lr_fn);
  if (!(c->beta1 >= 0 && c->beta1 < 1 && c->beta2 >= 0 && c->beta2 < 1))
    return opt_error(msg, len, "invalid beta parameters: %g, %g", c->beta1, c->beta2);
  return 0;
}
static int muon_validate(const struct optimizer *o, char *msg, size_t len)
{
  const float *v = opt_state(o, 2);
  for (size_t i = 0; i < o->n; i++)
    if (v[i] < 0)
      return opt_error(msg, len, "muon: exp_avg_sq[%zu] = %g is negative", i, v[i]);
  return 0;
}
const struct opt_kind opt_muon = {"muon",
  "lr weight_decay momentum nesterov eps adjust_lr_fn",
  muon_nstate, muon_defaults, muon_check, NULL, muon_step, muon_validate};

@ The singular values that the first experiment draws are computed the
slow, sure way: the eigenvalues of the Gram matrix $GG^{\top}$ (of the
smaller side) by cyclic Jacobi rotations in |double|, then their square
roots, largest first.  A rotation zeroes one off-diagonal pair; sweeps
repeat until the off-diagonal part is negligible.
@^Jacobi rotations@>
@<Beyond: singular values@>=
static int by_descending(const void *a, const void *b)
{
  const double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}
void singular_values(const float *G, size_t rows, size_t cols, double *sv)
{
  const bool tr = rows > cols;
  const size_t r = tr ? cols : rows, c = tr ? rows : cols;
  double *S = xcalloc(r * r, sizeof *S);
  for (size_t i = 0; i < r; i++)
    for (size_t k = 0; k < r; k++)
      for (size_t j = 0; j < c; j++)
        S[i * r + k] += tr ? (double)G[j * cols + i] * G[j * cols + k]@/
                           : (double)G[i * cols + j] * G[k * cols + j];
  @<Beyond: diagonalize |S| by Jacobi sweeps@>@;
  for (size_t i = 0; i < r; i++) sv[i] = sqrt(fmax(S[i * r + i], 0.0));
  qsort(sv, r, sizeof *sv, by_descending);
  free(S);
}

@ One sweep visits every pair $(p,q)$ and rotates rows and columns $p$
and $q$ so that $S_{pq}$ becomes zero.
@<Beyond: diagonalize |S|...@>=
for (int sweep = 0; sweep < 60; sweep++) {
  double off = 0, tot = 0;
  for (size_t i = 0; i < r * r; i++) tot += S[i] * S[i];
  for (size_t i = 0; i < r; i++)
    for (size_t k = 0; k < r; k++) if (i != k) off += S[i * r + k] * S[i * r + k];
  if (off <= 1e-30 * tot) break;
  for (size_t p = 0; p + 1 < r; p++)
    for (size_t q = p + 1; q < r; q++) {
      const double apq = S[p * r + q];
      if (apq == 0) continue;
      const double th = (S[q * r + q] - S[p * r + p]) / (2 * apq);
      const double t = (th >= 0 ? 1 : -1) / (fabs(th) + sqrt(th * th + 1));
      const double cs = 1 / sqrt(t * t + 1), sn = t * cs;
      for (size_t k = 0; k < r; k++) {
        const double x = S[k * r + p], y = S[k * r + q];
        S[k * r + p] = cs * x - sn * y; S[k * r + q] = sn * x + cs * y;
      }
      for (size_t k = 0; k < r; k++) {
        const double x = S[p * r + k], y = S[q * r + k];
        S[p * r + k] = cs * x - sn * y; S[q * r + k] = sn * x + cs * y;
      }
    }
}
@q end library part @>

@*1 The runs of this chapter.
Every run trains the book's multilayer perceptron on a subset of
Fashion-MNIST: the first |ntrain| training images, the next |nval| as
validation images for tuning and for the loss curves, and the first
|ntest| test images for the accuracies quoted.  The sizes are collected
in a plan; \.{--quick} picks a tiny one that runs every line.
@<Beyond: types@>=
struct by_plan {
  size_t ntrain, nval, ntest, hidden, batch;
  int tune_seeds, seeds;     /* tuning runs and fresh runs per setting */
  int muon_steps, eval_every;
  int wsd_steps, wsd_warmup, wsd_seeds;
};

@ The two plans, and the check that the data set holds them.
@<Beyond: functions@>=
static const struct by_plan full_plan = @[{8192, 500, 2000, 64, 128,@/
  2, 4, 256, 16, 384, 24, 4}@];
static const struct by_plan quick_plan = @[{512, 200, 200, 16, 32,@/
  1, 2, 20, 5, 40, 4, 2}@];
static const struct by_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }
static void check_sizes(const struct chapter *ch)
{
  const struct by_plan *pl = plan_of(ch);
  static const char *const names[] = {"ns", "muon", "wsd"};
  for (int k = 0; k < 3; k++) chapter_need(ch, names[k], pl->ntrain + pl->nval, pl->ntest);
}

@ A subset is a view of |n| examples from |first| on: it shares the
images and labels and needs no freeing.  A session keeps a pointer to
its training set, so the training subset lives in |train_set|, which
every experiment sets first.
@<Beyond: functions@>=
static struct dataset slice_of(const struct dataset *d, size_t first, size_t n)
{
  struct dataset h = *d;
  h.x = d->x + first * d->dim; h.y = d->y + first; h.n = n;
  return h;
}
static struct dataset train_set;
static const struct dataset *training(const struct chapter *ch)
{
  const struct by_plan *pl = plan_of(ch);
  train_set = slice_of(ch->train, 0, pl->ntrain);
  return &train_set;
}

@ The network is $784$--|hidden|--|hidden|--$10$: two hidden layers, so
that one weight matrix, \.{W1}, lies between hidden layers.  For Muon
the layout puts that matrix alone in group~0; the first layer's
matrix, the last layer's and all biases go to group~1, with AdamW's
rate |adam_lr| and no decay.  Every run is a training session; run~$k$
of every configuration starts from the same weights (stream $k$ of the
chapter's seed).
@<Beyond: functions@>=
static struct layout *muon_groups(const size_t *sizes, double adam_lr)
{
  struct mlp *m = mlp_new(3, sizes);
  struct layout *L = layout_copy(m->layout);
  const unsigned g = layout_add_group(L, adam_lr, 0.0);
  for (size_t k = 0; k < L->ntensors; k++)
    if (strcmp(L->tensors[k].name, "W1") != 0) L->tensors[k].group = g;
  mlp_free(&m);
  return L;
}
static struct session *by_session(const struct chapter *ch,
  const struct dataset *d, const char *opt, const struct opt_config *oc,
  const struct layout *L, int k, const char *sched, const struct sched_config *sc)
{
  const struct by_plan *pl = plan_of(ch);
  struct rng r;
  rng_seed(&r, ch->seed, 1100 + (uint64_t)k);
  struct session_config c = @[{.nlayers = 3, .opt_name = opt, .opt = *oc,
    .batch = pl->batch, .seed = rng_u64(&r), .world = 1, .sched_name = sched,
    .groups = L}@];
  c.sizes[0] = d->dim; c.sizes[1] = c.sizes[2] = pl->hidden; c.sizes[3] = d->classes;
  if (sc) c.sched = *sc;
  char msg[256];
  struct session *S = session_new(&c, d, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}

@ Losses and accuracies are those of |mlp_evaluate| on a subset.
@<Beyond: functions@>=
static double loss_on(struct mlp *m, const struct dataset *d, double *acc)
{
  double a;
  const double l = mlp_evaluate(m, d, &a);
  if (acc) *acc = a;
  return isfinite(l) ? l : 10.0;
}

@*1 What five steps of Newton--Schulz do.
The iteration acts on each singular value separately, through $\phi$.
The experiment prints $\phi$ applied one to five times to values
in $(0,1]$, and then takes a real matrix: the gradient of \.{W1}
($|hidden|\times|hidden|$) after a few steps of AdamW training, whose
singular values it computes before and after ${\rm NS}_5$.
@<Beyond: experiments@>=
static void ns_experiment(struct chapter *ch)
{
  printf("== ns: the map x -> a x + b x^3 + c x^5, iterated\n");
  struct tsv *t = tsv_open(ch->out, "nsmap.tsv", "x\tk1\tk2\tk3\tk4\tk5");
  double lo5 = 1e9, hi5 = 0;
  for (int i = 1; i <= 400; i++) {
    const double x0 = i / 400.0;
    double x = x0;
    tsv_printf(t, "%.6g", x0);
    for (int k = 1; k <= 5; k++) {
      x = MUON_A * x + MUON_B * x * x * x + MUON_C * x * x * x * x * x;
      tsv_printf(t, "\t%.6g", x);
    }
    tsv_printf(t, "\n");
    if (x0 >= 0.01) { lo5 = fmin(lo5, x); hi5 = fmax(hi5, x); }
  }
  tsv_close(t);
  printf("five steps map [0.01, 1] into [%.3f, %.3f]\n", lo5, hi5);
  values_put(ch->values, "BYmapLo", "%.2f", lo5);
  values_put(ch->values, "BYmapHi", "%.2f", hi5);
  @<Beyond: the singular values of a real gradient@>@;
}

@ The slope at zero is $a$, so five steps multiply a small singular
value by $a^5\approx\val{BYslopeFive}$: anything above about
$1/\val{BYslopeFive}$ of the largest one is lifted into the band.
@<Beyond: the singular values of a real gradient@>=
values_put(ch->values, "BYslopeFive", "%.0f", pow(MUON_A, 5));
const struct by_plan *pl = plan_of(ch);
const struct dataset *tr = training(ch);
struct opt_config oc;
opt_defaults("adamw", &oc);
oc.lr = 1e-3; oc.weight_decay = 0;
struct session *S = by_session(ch, tr, "adamw", &oc, NULL, 0, NULL, NULL);
for (int s = 0; s < 20; s++) session_step(S);
session_backward(S);
@<Beyond: measure the gradient of \.{W1} before and after@>@;
session_free(&S);

@ The gradient is normalized as the iteration normalizes it, so that the
two columns of the table are on the same scale.
@<Beyond: measure the gradient...@>=
{
  const size_t h = pl->hidden, off = S->m->offset[1];
  float *G = vec_new(h * h), *O = vec_new(h * h);
  double *before = xmalloc(h * sizeof(double)), *after = xmalloc(h * sizeof(double));
  vec_copy(G, S->m->grads + off, h * h);
  vec_scale(G, (float)(1 / vec_norm2(G, h * h)), h * h);
  newton_schulz(G, O, h, h, 5, 1e-7f);
  singular_values(G, h, h, before);
  singular_values(O, h, h, after);
  struct tsv *t = tsv_open(ch->out, "singular.tsv", "index\tbefore\tafter");
  for (size_t i = 0; i < h; i++) tsv_printf(t, "%zu\t%.6g\t%.6g\n", i + 1, before[i], after[i]);
  tsv_close(t);
  @<Beyond: report the singular values@>@;
  vec_free(&G); vec_free(&O); free(before); free(after);
}

@ The text quotes the spread of the singular values before and after.
A gradient of \.{W1} is usually not of full rank (a hidden unit that no
example of the batch switches on has a zero row), and a zero singular
value stays zero under $\phi$; so the values are counted as {\it
null\/} below $10^{-6}$ of the largest, and the others are summarized:
before, their largest and their median; after, their smallest and
largest, and how many end inside the band $[0.5,1.5]$.
@<Beyond: report the singular values@>=
double amin = 1e9, amax = 0;
size_t inband = 0, live = 0;
for (size_t i = 0; i < h; i++) {
  if (before[i] < 1e-6 * before[0]) continue;
  live++;
  amin = fmin(amin, after[i]); amax = fmax(amax, after[i]);
  inband += after[i] >= 0.5 && after[i] <= 1.5;
}
const double median = before[live / 2];
printf("W1 gradient (%zux%zu): %zu null singular values; the others %.3g "@/
       "(largest), %.3g (median) before, %.3f .. %.3f after; "@/
       "%zu of %zu in [0.5, 1.5]\n",@/
       h, h, h - live, before[0], median, amin, amax, inband, live);
values_put(ch->values, "BYsvBeforeHi", "%.3f", before[0]);
values_put(ch->values, "BYsvMedian", "%.3f", median);
values_put(ch->values, "BYsvNull", "%zu", h - live);
values_put(ch->values, "BYsvLive", "%zu", live);
values_put(ch->values, "BYsvAfterLo", "%.2f", amin);
values_put(ch->values, "BYsvAfterHi", "%.2f", amax);
values_put(ch->values, "BYsvInBand", "%zu", inband);
values_put(ch->values, "BYhidden", "%zu", h);

@ Figure~\figref{11-beyond-nsmap} shows $\phi$ iterated: the curve after
five steps rises steeply from zero and then oscillates inside a band, and
every value from $0.01$ to~1 ends between \val{BYmapLo} and
\val{BYmapHi}---not at~1, which is what Muon's authors traded for the
steep start.  Figure~\figref{11-beyond-singular} shows the real case.
The gradient of \.{W1}, normalized, has \val{BYsvNull} null singular
values (of \val{BYhidden}: units that no image of the batch switched
on); of the other \val{BYsvLive}, the largest is \val{BYsvBeforeHi} and
the median \val{BYsvMedian}: a few directions dominate.  After ${\rm
NS}_5$ those \val{BYsvLive} lie between \val{BYsvAfterLo} and
\val{BYsvAfterHi}, \val{BYsvInBand} of them inside $[0.5,1.5]$; the
smallest, below $1/a^5$ of the largest, are lifted the least, and the
null ones stay null.  A step of Muon is thus a step of nearly equal size
in every direction the gradient has, where a step of momentum SGD is a
step mostly along the few dominant ones.
\bookfigure{11-beyond-nsmap}{The map $\phi(x)=ax+bx^3+cx^5$ with Muon's
coefficients, applied once to five times, on $(0,1]$.  The grey band is
$[0.7,1.2]$.}
\bookfigure{11-beyond-singular}{Singular values of the gradient of the
hidden matrix \.{W1} (\val{BYhidden}${}\times{}$\val{BYhidden}) after 20
steps of AdamW, normalized to Frobenius norm~1 (circles), and of its
image under five Newton--Schulz steps (squares); seed~1.  Logarithmic
scale.}

@*1 Muon against AdamW, both tuned.
Both optimizers train the same network on the same batches for
|muon_steps| steps at a constant rate, without weight decay (decay would
be one more thing to tune, for both).  The protocol: AdamW tries
$\eta\in\{10^{-3},3\times10^{-3},10^{-2}\}$; Muon, whose step is
orthogonal and has a norm near $\sqrt{\min(r,c)}$ whatever the gradient,
tries $\eta\in\{0.01,0.03,0.1\}$ for \.{W1}, with the other tensors on
AdamW's tuned rate.  Each rate runs |tune_seeds| times, scored by the
mean validation loss at the end; the best rate of each then runs
|seeds| times more from fresh seeds (streams after the tuning ones), and
those runs give every number below.  Along the way each run records its
validation loss every |eval_every| steps, and the time it took.
@<Beyond: experiments@>=
static double muon_run(const struct chapter *ch, const char *kind,@/
  double lr, double adam_lr, int k,@/
  double *curve, double *acc, double *secs)
{
  const struct by_plan *pl = plan_of(ch);
  const struct dataset *tr = training(ch);
  const struct dataset va = slice_of(ch->train, pl->ntrain, pl->nval);
  const struct dataset te = slice_of(ch->test, 0, pl->ntest);
  const size_t sizes[] = {tr->dim, pl->hidden, pl->hidden, tr->classes};
  struct opt_config oc;
  opt_defaults(kind, &oc);
  oc.lr = lr; oc.weight_decay = 0;
  struct layout *L = strcmp(kind, "muon") == 0 ? muon_groups(sizes, adam_lr) : NULL;
  struct session *S = by_session(ch, tr, kind, &oc, L, k, NULL, NULL);
  double t0 = wall_seconds(), busy = 0;
  for (int s = 0; s < pl->muon_steps; s++) {
    session_step(S);
    if ((s + 1) % pl->eval_every == 0) {
      busy += wall_seconds() - t0;
      if (curve) curve[(s + 1) / pl->eval_every - 1] = loss_on(S->m, &va, NULL);
      t0 = wall_seconds();
    }
  }
  busy += wall_seconds() - t0;
  if (secs) *secs = busy;
  const double vl = loss_on(S->m, &va, NULL);
  if (acc) loss_on(S->m, &te, acc);
  session_free(&S); layout_free(&L);
  return vl;
}

@ Tuning is the same function for both: the best of three rates by mean
validation loss over the tuning seeds.
@<Beyond: experiments@>=
static double tune(const struct chapter *ch, const char *kind,
  const double *grid, double adam_lr, struct tsv *t)
{
  const struct by_plan *pl = plan_of(ch);
  double best = INFINITY, pick = grid[0];
  for (int i = 0; i < 3; i++) {
    double s = 0;
    for (int k = 0; k < pl->tune_seeds; k++)
      s += muon_run(ch, kind, grid[i], adam_lr, k, NULL, NULL, NULL);
    s /= pl->tune_seeds;
    printf("tune %-5s lr %-6g validation loss %.4f\n", kind, grid[i], s);
    tsv_printf(t, "%s\t%g\t%.6g\n", kind, grid[i], s);
    if (s < best) { best = s; pick = grid[i]; }
  }
  return pick;
}

@ The experiment: tune, then the fresh runs, whose curves are averaged
point by point.
@<Beyond: experiments@>=
static void muon_experiment(struct chapter *ch)
{
  const struct by_plan *pl = plan_of(ch);
  static const double adam_grid[3] = {1e-3, 3e-3, 1e-2};
  static const double muon_grid[3] = {0.01, 0.03, 0.1};
  printf("== muon: 784-%zu-%zu-10, %d steps of %zu, tuned on %d seeds, %d fresh\n",
         pl->hidden, pl->hidden, pl->muon_steps, pl->batch, pl->tune_seeds, pl->seeds);
  struct tsv *tt = tsv_open(ch->out, "tuning.tsv", "kind\tlr\tvalloss");
  const double alr = tune(ch, "adamw", adam_grid, 0, tt);
  const double mlr = tune(ch, "muon", muon_grid, alr, tt);
  tsv_close(tt);
  const int np = pl->muon_steps / pl->eval_every;
  double *cv = xcalloc(2 * (size_t)np, sizeof *cv);
  double fin[2][8], acc[2][8], secs[2][8];
  for (int w = 0; w < 2; w++)
    for (int k = 0; k < pl->seeds; k++) {
      double *one = xmalloc((size_t)np * sizeof *one);
      fin[w][k] = muon_run(ch, w ? "muon" : "adamw", w ? mlr : alr, alr,
                           pl->tune_seeds + k, one, &acc[w][k], &secs[w][k]);
      for (int i = 0; i < np; i++) cv[w * np + i] += one[i] / pl->seeds;
      free(one);
    }
  @<Beyond: write the curves and find the steps to AdamW's final loss@>@;
  @<Beyond: report Muon against AdamW@>@;
  free(cv);
}

@ The efficiency claim is measured as a ratio of steps: the number of
steps AdamW's mean curve takes to reach its own final validation loss
(its whole run, or the first point where it is already there) against
the first point where Muon's mean curve is at or below the same loss.
@<Beyond: write the curves...@>=
struct tsv *t = tsv_open(ch->out, "muon.tsv", "step\tadamw\tmuon");
for (int i = 0; i < np; i++)
  tsv_printf(t, "%d\t%.6g\t%.6g\n", (i + 1) * pl->eval_every, cv[i], cv[np + i]);
tsv_close(t);
const double target = cv[np - 1];
int sa = np, sm = -1;
for (int i = np - 1; i >= 0 && cv[i] <= target; i--) sa = i + 1;
for (int i = 0; i < np && sm < 0; i++) if (cv[np + i] <= target) sm = i + 1;

@ The numbers for the text.
@<Beyond: report Muon against AdamW@>=
const size_t ns = (size_t)pl->seeds;
const struct spread fa = spread_of(fin[0], ns), fm = spread_of(fin[1], ns);
const struct spread aa = spread_of(acc[0], ns), am = spread_of(acc[1], ns);
const struct spread ta = spread_of(secs[0], ns), tm = spread_of(secs[1], ns);
printf("AdamW lr %g: val loss %.4f +- %.4f, test %.2f%% +- %.2f, %.2f s\n",
       alr, fa.mean, fa.sd, 100 * aa.mean, 100 * aa.sd, ta.mean);
printf("Muon  lr %g: val loss %.4f +- %.4f, test %.2f%% +- %.2f, %.2f s\n",
       mlr, fm.mean, fm.sd, 100 * am.mean, 100 * am.sd, tm.mean);
printf("steps to AdamW's final loss %.4f: AdamW %d, Muon %s%d\n", target,
       sa * pl->eval_every, sm < 0 ? "more than " : "", (sm < 0 ? np : sm) * pl->eval_every);
values_sci(ch->values, "BYadamLr", alr);
values_put(ch->values, "BYmuonLr", "%g", mlr);
values_put(ch->values, "BYadamLoss", "%.3f", fa.mean);
values_put(ch->values, "BYadamLossSd", "%.3f", fa.sd);
values_put(ch->values, "BYmuonLoss", "%.3f", fm.mean);
values_put(ch->values, "BYmuonLossSd", "%.3f", fm.sd);
values_put(ch->values, "BYadamAcc", "%.1f", 100 * aa.mean);
values_put(ch->values, "BYadamAccSd", "%.1f", 100 * aa.sd);
values_put(ch->values, "BYmuonAcc", "%.1f", 100 * am.mean);
values_put(ch->values, "BYmuonAccSd", "%.1f", 100 * am.sd);
values_put(ch->values, "BYstepsAdam", "%d", sa * pl->eval_every);
values_put(ch->values, "BYstepsMuon", "%s%d", sm < 0 ? "$>$" : "",
           (sm < 0 ? np : sm) * pl->eval_every);
values_put(ch->values, "BYstepRatio", "%.1f", sm < 0 ? 0.0 : (double)sa / sm);
if (!ch->quick) values_put(ch->values, "BYtimeRatio", "%.2f", tm.mean / ta.mean);
values_put(ch->values, "BYmuonSteps", "%d", pl->muon_steps);
values_put(ch->values, "BYtuneSeeds", "%d", pl->tune_seeds);
values_put(ch->values, "BYseeds", "%d", pl->seeds);

@ The result, over \val{BYseeds} fresh seeds after tuning on
\val{BYtuneSeeds}: AdamW's best rate was $\val{BYadamLr}$ and Muon's
\val{BYmuonLr}.  After \val{BYmuonSteps} steps AdamW reaches a validation
loss of \val{BYadamLoss} ($\pm$\val{BYadamLossSd}) and
\val{BYadamAcc}\% ($\pm$\val{BYadamAccSd}) test accuracy; Muon
\val{BYmuonLoss} ($\pm$\val{BYmuonLossSd}) and \val{BYmuonAcc}\%
($\pm$\val{BYmuonAccSd}).  The loss AdamW has at the end, Muon's mean
curve reaches after \val{BYstepsMuon} steps, where AdamW needs
\val{BYstepsAdam}: a ratio of \val{BYstepRatio} in steps.
Figure~\figref{11-beyond-muon} shows the two curves.  The final losses
and accuracies differ by less than their spread over seeds, so the honest
summary is: on this network Muon is at least as good as tuned AdamW and
gets to AdamW's final loss somewhat sooner, by a factor of
\val{BYstepRatio}, not~2.  Each of Muon's steps took \val{BYtimeRatio}
times as long as AdamW's in this build (wall-clock time on a shared
machine, a rough number); counted in arithmetic,
five iterations on one $64\times64$ matrix cost about $8\times10^6$
floating-point operations against about $4\times10^7$ for the forward
and backward pass of a batch of 128, so in a tuned implementation the
extra time would be some 20\%, which eats most of the gain in steps.
Only one of the three weight matrices is Muon's, and the runs are short;
the claim was made for transformers at scale, and nothing here tests
that.
\bookfigure{11-beyond-muon}{Validation loss (\val{BYseeds} fresh seeds,
mean) of the 784--64--64--10 network trained with AdamW and with Muon on
\.{W1} (AdamW on the other tensors), each at its tuned constant rate,
batches of 128, no weight decay.  The dotted line is AdamW's final
loss.}

@*1 Warmup--stable--decay, branched.
The schedules of Chapter~4 fix the length of a run in advance: cosine
must know $T_{\max}$.  WSD does not, until the end: the rate stays at
$\eta$ for as long as one likes, and a cooldown of $D$ steps finishes the
run whenever it is wanted.  So a single constant-rate run can be saved
at several points and {\it branched\/}: from a checkpoint at step $T-D$,
a cooldown of $D$ steps gives a finished run of length $T$, and another
checkpoint gives another length, without training the common part again.
The claim (H\"agele et~al., 2024) is that such a branch ends as well as
a cosine run of the same total length, with a cooldown of 10--20\% of
the run.  A second claim (Bergsma et~al., 2025) is that decaying
linearly all the way to zero beats cosine decay to 10\% of the peak,
which is a common default.
@^warmup--stable--decay@>
@^linear decay to zero@>

@ The experiment trains the network with AdamW ($\eta=|wsd_lr|$,
decay~0.01 on every tensor) for |wsd_steps| steps, all runs with a linear
warmup of |wsd_warmup| steps.  One {\it main\/} run holds the rate
constant after the warmup and writes a checkpoint (Appendix~A, part~4)
at step $T-D$ for each cooldown length $D\in\{T/20,T/10,T/5\}$; each
branch starts a new session, loads its checkpoint---weights, optimizer
state, sampler position, all---and runs the remaining $D$ steps on the
WSD schedule, whose value the branch applies itself (the checkpoint's
own schedule is the main run's).  Beside them, at the same $T$: cosine
to zero (warmup-cosine), cosine to $0.1\eta$, and linear decay to zero.
Every run records its validation loss every |eval_every| steps; the
quoted numbers are the final validation losses, over |wsd_seeds| seeds.
@d wsd_lr 3e-3
@d wsd_ncool 3
@<Beyond: experiments@>=
static void wsd_schedule(const struct chapter *ch, const char *kind, long decay,
                         double eta_min, struct sched_config *sc)
{
  const struct by_plan *pl = plan_of(ch);
  sched_defaults(kind, sc);
  sc->lr = wsd_lr; sc->warmup_steps = pl->wsd_warmup;
  sc->total_steps = sc->t_max = pl->wsd_steps;
  sc->total_iters = decay; sc->eta_min = eta_min;
}

@ One session, stepped with a schedule that the caller holds, so that a
branch can take over the schedule at any step: before each update the
schedule's rate goes into the optimizer.  The validation curve goes to
|curve| (one point every |eval_every| steps, counting from step |from|).
@<Beyond: experiments@>=
static void steps_with(const struct chapter *ch, struct session *S,
  struct schedule *sch, long from, long to, double *curve)
{
  const struct by_plan *pl = plan_of(ch);
  const struct dataset va = slice_of(ch->train, pl->ntrain, pl->nval);
  for (long s = from; s < to; s++) {
    session_backward(S);
    if (sched_apply(sch, S->o, NULL, 0) != 0) die("wsd: cannot apply the schedule");
    session_update(S);
    if (sched_step(sch, NULL, 0) != 0) die("wsd: the schedule has ended");
    if ((s + 1) % pl->eval_every == 0)
      curve[(s + 1) / pl->eval_every - 1] = loss_on(S->m, &va, NULL);
  }
}
static struct session *wsd_session(const struct chapter *ch, int k)
{
  struct opt_config oc;
  opt_defaults("adamw", &oc);
  oc.lr = wsd_lr; oc.weight_decay = 0.01;
  return by_session(ch, training(ch), "adamw", &oc, NULL, k, NULL, NULL);
}

@ A finished run on a schedule of its own, from step 0 to $T$.
@<Beyond: experiments@>=
static double wsd_full(const struct chapter *ch, int k, const char *kind,
                       long decay, double eta_min, double *curve)
{
  const struct by_plan *pl = plan_of(ch);
  struct sched_config sc;
  wsd_schedule(ch, kind, decay, eta_min, &sc);
  struct schedule *sch = sched_new(kind, &sc);
  struct session *S = wsd_session(ch, k);
  steps_with(ch, S, sch, 0, pl->wsd_steps, curve);
  const double l = curve[pl->wsd_steps / pl->eval_every - 1];
  session_free(&S); sched_free(&sch);
  return l;
}

@ The main run and its branches.  The main run's schedule is WSD with
no decay at all; at step $T-D_j$ it saves a checkpoint.  Branch $j$
builds the same session, loads the checkpoint, moves its own WSD
schedule (decay $D_j$) to step $T-D_j$, and finishes.  Its curve starts
as a copy of the main run's.
@<Beyond: experiments@>=
static void wsd_branches(const struct chapter *ch, int k, const long *cool,
                         double *curves, double *final)
{
  const struct by_plan *pl = plan_of(ch);
  const int np = pl->wsd_steps / pl->eval_every;
  const long T = pl->wsd_steps;
  char path[wsd_ncool][1024];
  struct sched_config sc;
  wsd_schedule(ch, "wsd", 0, 0, &sc);
  struct schedule *sch = sched_new("wsd", &sc);
  struct session *S = wsd_session(ch, k);
  double *main_curve = xcalloc((size_t)np, sizeof *main_curve);
  long at = 0;
  for (int j = wsd_ncool - 1; j >= 0; j--) {
    steps_with(ch, S, sch, at, T - cool[j], main_curve);
    at = T - cool[j];
    snprintf(path[j], sizeof path[j], "%s/branch%d.ckpt", ch->out, j);
    if (session_save(S, path[j]) != 0) die("cannot write %s", path[j]);
  }
  session_free(&S); sched_free(&sch);
  @<Beyond: finish each branch from its checkpoint@>@;
  free(main_curve);
}

@ Each branch is a fresh session of the same configuration, restored
from its file; the file is removed afterwards.
@<Beyond: finish each branch...@>=
for (int j = 0; j < wsd_ncool; j++) {
  struct session *B = wsd_session(ch, k);
  char msg[256];
  if (session_load(B, path[j], msg, sizeof msg) != 0) die("%s", msg);
  remove(path[j]);
  struct sched_config bc;
  wsd_schedule(ch, "wsd", cool[j], 0, &bc);
  struct schedule *bs = sched_new("wsd", &bc);
  for (long s = 0; s < T - cool[j]; s++) sched_step(bs, NULL, 0);
  double *cv = curves + (size_t)j * np;
  for (int i = 0; i < np; i++) cv[i] = main_curve[i];
  steps_with(ch, B, bs, T - cool[j], T, cv);
  final[j] = cv[np - 1];
  session_free(&B); sched_free(&bs);
}

@ The experiment: for each seed, the branches and the three finished
schedules; then the means and spreads.
@<Beyond: experiments@>=
static void wsd_experiment(struct chapter *ch)
{
  const struct by_plan *pl = plan_of(ch);
  const long T = pl->wsd_steps;
  const long cool[wsd_ncool] = {T / 20, T / 10, T / 5};
  const int np = (int)(T / pl->eval_every), nr = wsd_ncool + 3;
  printf("== wsd: AdamW eta = %g, %ld steps of %zu, warmup %d, %d seeds\n",
         wsd_lr, T, pl->batch, pl->wsd_warmup, pl->wsd_seeds);
  double fin[6][8];
  double *mean = xcalloc((size_t)nr * np, sizeof *mean);
  double *cv = xcalloc((size_t)nr * np, sizeof *cv);
  for (int k = 0; k < pl->wsd_seeds; k++) {
    double f[wsd_ncool];
    wsd_branches(ch, k, cool, cv, f);
    for (int j = 0; j < wsd_ncool; j++) fin[j][k] = f[j];
    fin[3][k] = wsd_full(ch, k, "warmup-cosine", 0, 0, cv + 3 * np);
    fin[4][k] = wsd_full(ch, k, "warmup-cosine", 0, 0.1 * wsd_lr, cv + 4 * np);
    fin[5][k] = wsd_full(ch, k, "linear-to-zero", 0, 0, cv + 5 * np);
    for (int i = 0; i < nr * np; i++) mean[i] += cv[i] / pl->wsd_seeds;
  }
  @<Beyond: write the WSD curves and the schedules@>@;
  @<Beyond: report the WSD runs@>@;
  free(mean); free(cv);
}

@ The curves, averaged over seeds, and the six schedules' rates (for
the figure), in one table each.
@<Beyond: write the WSD curves...@>=
struct tsv *t = tsv_open(ch->out, "wsd.tsv",
  "step\tcoolA\tcoolB\tcoolC\tcosine\tcosineten\tlinzero");
for (int i = 0; i < np; i++) {
  tsv_printf(t, "%d", (i + 1) * pl->eval_every);
  for (int r = 0; r < nr; r++) tsv_printf(t, "\t%.6g", mean[r * np + i]);
  tsv_printf(t, "\n");
}
tsv_close(t);
t = tsv_open(ch->out, "wsdlr.tsv", "step\tcoolA\tcoolC\tcosine\tcosineten\tlinzero");
for (long s = 0; s < T; s++) {
  struct sched_config a, c, d, e, f;
  wsd_schedule(ch, "wsd", cool[0], 0, &a); wsd_schedule(ch, "wsd", cool[2], 0, &c);
  wsd_schedule(ch, "warmup-cosine", 0, 0, &d);
  wsd_schedule(ch, "warmup-cosine", 0, 0.1 * wsd_lr, &e);
  wsd_schedule(ch, "linear-to-zero", 0, 0, &f);
  const struct sched_config *all[5] = {&a, &c, &d, &e, &f};
  static const char *const kinds[5] = {"wsd", "wsd", "warmup-cosine", "warmup-cosine",
                                       "linear-to-zero"};
  tsv_printf(t, "%ld", s);
  for (int r = 0; r < 5; r++) {
    struct schedule *x = sched_new(kinds[r], all[r]);
    for (long u = 0; u < s; u++) sched_step(x, NULL, 0);
    tsv_printf(t, "\t%.6g", sched_lr(x, NULL));
    sched_free(&x);
  }
  tsv_printf(t, "\n");
}
tsv_close(t);

@ Each final loss as a mean and spread, and the paired differences that
the two claims are about: each branch against cosine to zero, and linear
to zero against cosine to 10\%, seed by seed.
@<Beyond: report the WSD runs@>=
static const char *const names[6] = {"CoolA", "CoolB", "CoolC", "Cos", "CosTen",
                                     "LinZero"};
const size_t ns = (size_t)pl->wsd_seeds;
for (int r = 0; r < nr; r++) {
  const struct spread s = spread_of(fin[r], ns);
  printf("%-8s final validation loss %.4f +- %.4f\n", names[r], s.mean, s.sd);
  char nm[32];
  snprintf(nm, sizeof nm, "BY%s", names[r]);
  values_put(ch->values, nm, "%.3f", s.mean);
  snprintf(nm, sizeof nm, "BY%sSd", names[r]);
  values_put(ch->values, nm, "%.3f", s.sd);
}
double dl[8], dc[8];
for (int k = 0; k < pl->wsd_seeds; k++) {
  dl[k] = fin[5][k] - fin[4][k]; dc[k] = fin[1][k] - fin[3][k];
}
t = tsv_open(ch->out, "final.tsv", "index\tloss\tsd");
for (int r = 0; r < nr; r++) {
  const struct spread s = spread_of(fin[r], ns);
  tsv_printf(t, "%d\t%.6g\t%.6g\n", r, s.mean, s.sd);
}
tsv_close(t);
const struct spread sdl = spread_of(dl, ns), sdc = spread_of(dc, ns);
printf("linear-to-zero minus cosine-to-10%%: %+.4f +- %.4f; "@/
       "cooldown T/10 minus cosine: %+.4f +- %.4f\n", sdl.mean, sdl.sd, sdc.mean, sdc.sd);
values_put(ch->values, "BYlinGain", "%+.3f", sdl.mean);
values_put(ch->values, "BYlinGainSd", "%.3f", sdl.sd);
values_put(ch->values, "BYcoolGain", "%+.3f", sdc.mean);
values_put(ch->values, "BYcoolGainSd", "%.3f", sdc.sd);
values_put(ch->values, "BYwsdSeeds", "%d", pl->wsd_seeds);
values_put(ch->values, "BYwsdSteps", "%ld", T);
values_put(ch->values, "BYcoolAsteps", "%ld", cool[0]);
values_put(ch->values, "BYcoolCsteps", "%ld", cool[2]);

@ Table~\tableref{11-wsd} gives the final validation losses.
\booktable{11-wsd}{Final validation loss of the 784--64--64--10 network
trained with AdamW under each schedule, mean $\pm$ standard deviation over
\val{BYwsdSeeds} seeds, all runs \val{BYwsdSteps} steps long; the WSD
runs branch from one constant-rate run.}{\vbox{\halign{#\hfil\quad&\hfil#\cr
schedule&validation loss\cr
\noalign{\smallskip\hrule\smallskip}
WSD, cooldown $T/20$ (branched)&\val{BYCoolA} $\pm$ \val{BYCoolASd}\cr
WSD, cooldown $T/10$ (branched)&\val{BYCoolB} $\pm$ \val{BYCoolBSd}\cr
WSD, cooldown $T/5$ (branched)&\val{BYCoolC} $\pm$ \val{BYCoolCSd}\cr
warmup, cosine to 0&\val{BYCos} $\pm$ \val{BYCosSd}\cr
warmup, cosine to $0.1\eta$&\val{BYCosTen} $\pm$ \val{BYCosTenSd}\cr
warmup, linear to 0&\val{BYLinZero} $\pm$ \val{BYLinZeroSd}\cr}}}
\noindent The branch with a cooldown of $T/10$ ends \val{BYcoolGain} against cosine
(the paired difference over seeds, $\pm$\val{BYcoolGainSd}; negative
means lower, better): the first claim holds here and more than holds---every
branched cooldown ends below cosine to zero, the longer cooldowns a
little lower still, and each extra branch costs only its cooldown.  The
second claim does not show at this scale: linear decay to zero against
cosine to 10\% of the peak differs by \val{BYlinGain}
($\pm$\val{BYlinGainSd}), nothing that the seeds can tell apart; both
decaying schedules spend most of the run below the peak, where the
constant rate of WSD keeps moving.  Figure~\figref{11-beyond-wsd} shows the rates and
the curves: the branches sit on the constant run's plateau until their
cooldown begins, and then drop fast, the drop that cosine spreads over
the whole run.  The runs are short and the network small; the claims
were made for language models of $10^8$ parameters and up.
\bookfigure{11-beyond-wsd}{Left: the learning rates of the schedules
compared (WSD with the shortest and the longest cooldown,
\val{BYcoolAsteps} and \val{BYcoolCsteps} steps).  Right: validation
loss (mean of \val{BYwsdSeeds} seeds) of the three branches and of the
three finished schedules over the second half of the run.}
\bookfigure{11-beyond-final}{Final validation loss of each schedule,
mean and standard deviation over \val{BYwsdSeeds} seeds.}

@*1 What is not here.
Two more methods of the same family are left for another edition:
schedule-free AdamW (Defazio et~al., 2024), which replaces the schedule
by averaging and must be evaluated at the averaged point, and Adam with
its moments stored in 8 bits block by block (Dettmers et~al., 2022),
which cuts the optimizer's state from 8 bytes per parameter to about~2.
Neither is in the library yet, and no claim about them is made here.
