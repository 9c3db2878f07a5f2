@q 03-adaptive.w -- Chapter 3: Adagrad, RMSprop, Adam, AdamW @>
@* Adaptive methods.
\chaptervalues{03-adaptive}%
\opener{03-adaptive-paths}{Should every coordinate get a step size of its own? Below: five optimizers of the library on Rosenbrock's valley, each from the same start.}
Momentum smooths the direction of the step; it does nothing about its
size, which is one learning rate for every coordinate.  On the ravine of
Chapter~1 that single rate was pinned by the steepest direction, and the
flat direction crawled.  The adaptive methods give each coordinate its
own step, divided by a running measure of how large that coordinate's
gradients have been: where the gradients are large the step shrinks,
where they are small it grows.  This chapter follows the lineage from
Adagrad through RMSprop to Adam and AdamW, and ships each of them into
@^AdamW@>
@^RMSprop@>
@^Adagrad@>
the library exactly as PyTorch computes it.

Each method was invented to fix a defect of the one before, and each
comes with claims that the tutorials repeat.  Adagrad's step size dies as
training goes on.  RMSprop cures that with a moving average.  Adam adds
momentum and a bias correction whose first step is a factor of ten.
@^bias correction@>
Because Adam scales every coordinate separately, the ravine's two
directions converge at the same rate.  Adding $L_2$ regularization to Adam
@^L2 regularization@>
is not weight decay, and AdamW is.  Adam keeps twice the optimizer state
@^weight decay@>
of SGD with momentum (two vectors against one; with weights and
gradients, 16 bytes per parameter against 12).  And SGD with momentum generalizes better than Adam
@^generalization@>
on vision tasks.  Every one of these is measured below, and the text says
what held, what held only approximately, and what did not show up at all.

@ The chapter is a program, \.{build/bin/03-adaptive}, and every number
this chapter quotes was printed by it when the book was built.  It runs
eight experiments: the dying step size of {\it adagrad\/}; the first step
and the centered variant of {\it rmsprop\/}; the bias correction,
AMSGrad and maximization of {\it adam\/}; Adam on the {\it ravine\/};
@^AMSGrad@>
the {\it paths\/} of five optimizers on Rosenbrock's function;
$L_2$ against decoupled weight {\it decay\/}; the {\it memory\/} each
optimizer needs; and whether SGD with momentum {\it generalize\/}s better
than Adam.  Its command line and its outputs are those of Chapter~1's
program.  Each experiment draws its random numbers from its own stream,
so that \.{--only} reproduces exactly what the full run printed.  The
full run trains \val{ADnetRuns} small networks; it took
\val{runSeconds}~s on \val{runThreads} threads when this copy of the book
was built.
@c
#include <assert.h>
#include "descent.h"
@<Adaptive: types@>@;
@<Adaptive: training runs@>@;
@<Adaptive: functions@>@;
static const struct experiment experiments[] = {@/
  @[{"adagrad", adagrad_experiment, true}@],@/
  @[{"rmsprop", rmsprop_experiment, false}@],@/
  @[{"adam", adam_experiment, false}@],@/
  @[{"ravine", ravine_experiment, false}@],@/
  @[{"paths", paths_experiment, false}@],@/
  @[{"decay", decay_experiment, true}@],@/
  @[{"memory", memory_experiment, false}@],@/
  @[{"generalize", generalize_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"03-adaptive",@/
  "The experiments of chapter 3 of Descent: Adagrad, RMSprop, Adam and\n"@/
  "AdamW on toy problems and on Fashion-MNIST.\n",@/
  experiments, NULL, check_sizes, quote_totals}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@ The sizes of a run are collected in a plan, one for the full run and
one for \.{--quick}.  The networks of this chapter (the last part
describes how they are trained) learn from the first |train_n| images of
the training file, for |epochs| passes; the toy problems have |coords|
independent coordinates and run for |toy_steps| steps.
@<Adaptive: types@>=
struct ad_plan {
  size_t train_n;   /* training images of every network run */
  int epochs;       /* passes over them */
  size_t val_n;     /* validation images */
  size_t test_n;    /* test images */
  int seeds;        /* seeds per setting, in the comparisons */
  size_t coords;    /* coordinates of the toy problems */
  long toy_steps;   /* steps of the longest toy runs */
};
static const struct ad_plan full_plan = @[{10000, 6, 10000, 10000, 3, 400, 10000}@];
static const struct ad_plan quick_plan = @[{1000, 1, 1000, 1000, 3, 40, 3000}@];
static const struct ad_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }

@ The toy runs record their state at steps that are spaced about evenly
on a logarithmic axis: every step up to 8, then about 12\% apart.  (The
summaries over seeds, |spread_of| and |quantile|, are the toolkit's;
see Appendix~A.)
@<Adaptive: functions@>=
static long next_point(long t) { return t + 1 + t / 8; }

@*1 Adagrad.
The first adaptive method in wide use was Adagrad (Duchi, Hazan and
Singer, 2011).  It keeps, for every coordinate~$i$, the running sum of
the squares of that coordinate's gradients, and divides the step by its
square root:
$$s_{t,i}=s_{0}+\sum_{\tau=1}^t g_{\tau,i}^2,\qquad
\theta_{t,i}=\theta_{t-1,i}-{\eta\over\sqrt{s_{t,i}}+\epsilon}\,g_{t,i}.$$
@^epsilon, in adaptive methods@>
Three properties follow from the formula alone.  First, the step does not
care about the scale of a coordinate: multiply all of coordinate~$i$'s
gradients by $c$ and $s_i$ grows by $c^2$, so the step is unchanged
(apart from the tiny $\epsilon$).  In particular the very first step,
with $s_0=0$, is $\eta\,g/\vert g\vert$, a step of exactly $\eta$ in
every coordinate whose gradient is not zero, whatever that gradient's
size.  On the ravine $ax^2+by^2$ the factors $a$ and $b$ drop out.

Second, $s$ only grows, so the {\it effective step\/}
@^effective step size@>
$\eta/(\sqrt{s_i}+\epsilon)$ only shrinks.  If a coordinate's gradients
keep a root mean square~$\sigma$, then $s_t\approx t\sigma^2$ and
$${\eta\over\sqrt{s_t}}\approx{\eta\over\sigma\sqrt t}:$$
the step dies like $1/\sqrt t$, whether or not the coordinate has got
anywhere.  For a convex problem that is the right schedule---it is what
Adagrad's regret bound of order $\sqrt T$ rests on---and for sparse
features it is a gift: a feature seen rarely has a small sum and keeps a
large step.  In the long non-convex runs of deep learning the gradients
never vanish, because the mini-batch noise of Chapter~1 does not, and the
step keeps shrinking long after a large step would still be useful.

Third, PyTorch adds two knobs.  |lr_decay|~$\delta$ divides the rate
further, $\eta_t=\eta/\bigl(1+(t-1)\delta\bigr)$, which makes the step
die faster still.  |initial_accumulator_value| starts $s$ at $s_0>0$
instead of zero, as if some gradients had already been seen; it tames the
first steps, which $s_0=0$ makes as large as $\eta$ in every coordinate.

@q begin library part @>
@ The library's adaptive optimizers live in one file.  As for SGD, the
rule for one coordinate of each is a |static inline| function in a header
that needs nothing but \CEE/, \.{descent-adaptive.h}, shared with the
fused kernels of the trainer of Chapter~9 and any \.{CUDA} kernel.  Each step begins by
taking the gradient with the sign the caller asked for and, except in
AdamW, adding $L_2$ decay, the same $d=\pm g+\lambda\theta$ as SGD's; the
span of coordinates being updated (Appendix~A) brings its group's
learning rate and decay.
@^update rules, shared@>
@(descent-adaptive.h@>=
#ifndef DESCENT_ADAPTIVE_H
#define DESCENT_ADAPTIVE_H
#include <math.h>
#include <stdbool.h>
#ifndef descent_rule
#ifdef __CUDACC__
#define descent_rule static inline __host__ __device__
#else
#define descent_rule static inline
#endif
#endif
descent_rule float signed_grad(float g, float p, bool maximize, float wd, bool decay)
{
  float d = maximize ? -g : g;
  return decay ? d + wd * p : d;
}
@<Adaptive: the rules of one coordinate@>@;
#endif

@ The library's file of the four kinds.  (|FLT_MIN|, from \.{float.h},
serves the check of a loaded RMSprop state.)
@(adaptive.c@>=
#include <float.h>
#include <math.h>
#include "descent.h"
#include "descent-adaptive.h"
#define SIGNED(o, s, g, p) signed_grad(g, p, (o)->c.maximize, (float)(s)->weight_decay, \
  (s)->weight_decay != 0)
@<Adaptive: the Adagrad kind@>@;
@<Adaptive: the RMSprop kind@>@;
@<Adaptive: the Adam and AdamW kinds@>@;
@q end library part @>

@q begin library part @>
@ Adagrad keeps one vector, the running sum $s$ of squared gradients,
which starts filled with a constant, PyTorch's initial accumulator value
(the value itself, not its square).  Step $t$ divides the gradient by $\sqrt s+\epsilon$ and
uses the decayed learning rate $\eta_t=\eta/(1+(t-1)\delta)$, computed in
double; with $t-1$, the first step has the full $\eta$.  Note where
$\epsilon$ sits: outside the square root.
@^PyTorch compatibility@>
@<Adaptive: the Adagrad kind@>=
static void adagrad_defaults(struct opt_config *c) { c->lr = 1e-2; c->eps = 1e-10; }
static size_t one_vector(const struct opt_config *c) { (void)c; return 1; }
static void adagrad_init(struct optimizer *o)
{
  vec_fill(opt_state(o, 0), o->n, (float)o->c.initial_accumulator_value);
}
@<Adaptive: Adagrad's check@>@;
@<Adaptive: Adagrad's step@>@;
@<Adaptive: the Adagrad states a file may hold@>@;
const struct opt_kind opt_adagrad = {"adagrad",
  "lr lr_decay weight_decay initial_accumulator_value eps maximize",
  one_vector, adagrad_defaults, adagrad_check, adagrad_init, adagrad_step,
  adagrad_validate};

@ PyTorch refuses a negative value for any of Adagrad's five numbers.
@<Adaptive: Adagrad's check@>=
static int adagrad_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (c->lr_decay < 0) return opt_error(msg, len, "invalid lr_decay value: %g", c->lr_decay);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  if (c->initial_accumulator_value < 0)
    return opt_error(msg, len, "invalid initial_accumulator_value value: %g",
                     c->initial_accumulator_value);
  if (c->eps < 0) return opt_error(msg, len, "invalid epsilon value: %g", c->eps);
  return 0;
}

@ The step, in |float| and in PyTorch's order of operations:
$s\gets s+d\cdot d$, then $\theta\gets\theta+(-\eta_t d)/(\sqrt s+\epsilon)$,
the product with the step size taken before the division.
@<Adaptive: the rules of one coordinate@>=
descent_rule void adagrad_coord(float d, float neg_clr, float eps, float *p, float *s)
{
  @q solution adagrad_accum: (void)d; (void)neg_clr; (void)eps; (void)p; (void)s; @>
  *s = *s + d * d;
  *p = *p + neg_clr * d / (sqrtf(*s) + eps);
  @q end solution @>
}

@ The library's step computes the decayed rate $\eta_t$ in double, once
per span.
@<Adaptive: Adagrad's step@>=
static void adagrad_step(struct optimizer *o, float *p, const float *g,
                         const struct opt_span *sp)
{
  const double clr = sp->lr / (1.0 + (double)(o->t - 1) * o->c.lr_decay);
  const float neg_clr = (float)(-clr), eps = (float)o->c.eps;
  float *s = opt_state(o, 0);
  for (size_t i = sp->lo; i < sp->hi; i++)
    adagrad_coord(SIGNED(o, sp, g[i], p[i]), neg_clr, eps, &p[i], &s[i]);
}

@ A state read from a file (|opt_load|, Appendix~A) must be one that
these steps reach.  The sum starts at the initial accumulator value
rounded to |float|, $s_0$, and each step adds a square, $d\cdot d\ge0$;
rounding to nearest never makes a sum smaller than the number it started
from, so $s\ge s_0\ge0$ holds exactly, in |float|, at every step.  A sum
below $s_0$---a negative one in particular, whose square root is NaN---is
refused.
@<Adaptive: the Adagrad states a file may hold@>=
static int adagrad_validate(const struct optimizer *o, char *msg, size_t len)
{
  const float *s = opt_state(o, 0), s0 = (float)o->c.initial_accumulator_value;
  for (size_t i = 0; i < o->n; i++)
    if (s[i] < s0)
      return opt_error(msg, len,@/
                       "adagrad: sum[%zu] = %g is below initial_accumulator_value "@/
                       "%g, and a sum of squares never falls below its start", i, s[i], s0);
  return 0;
}
@q end library part @>

@ What a coordinate's gradient is multiplied by is the quantity this
chapter is about, and the program reads it out of an optimizer's state:
for Adagrad, $\eta_t/(\sqrt{s_i}+\epsilon)$; for RMSprop (not centered),
$\eta/(\sqrt{v_i}+\epsilon)$; for Adam and AdamW,
$\eta/(\sqrt{\hat v_i}+\epsilon)$ with $\hat v=v/(1-\beta_2^t)$, the
factor that multiplies Adam's bias-corrected average $\hat m$ (with
AMSGrad, $\bar v$ replaces $v$).  We call it the {\it effective step\/}
of coordinate~$i$, at the step just taken.
@<Adaptive: functions@>=
static double effective_step(const struct optimizer *o, size_t i)
{
  const struct opt_config *c = &o->c;
  const double t = (double)opt_steps(o);
  if (o->kind == &opt_adagrad)
    return c->lr / (1.0 + (t - 1.0) * c->lr_decay)
           / (sqrt(opt_state(o, 0)[i]) + c->eps);
  assert(!(o->kind == &opt_rmsprop && c->centered));
  if (o->kind == &opt_rmsprop)
    return c->lr / (sqrt(opt_state(o, 0)[i]) + c->eps);
  assert(o->kind == &opt_adam || o->kind == &opt_adamw);
  double vv = opt_state(o, c->amsgrad ? 2 : 1)[i];
  return c->lr / (sqrt(vv / (1.0 - pow(c->beta2, t))) + c->eps);
}

@ Over many coordinates the effective step is summarized by its median,
or another quantile.  The mean would be useless: where a gradient
happens to be tiny, $1/\sqrt s$ is huge.  The toolkit's |quantile|
sorts its argument and interpolates between neighbours, as NumPy does.
@<Adaptive: functions@>=
static double median_step(const struct optimizer *o, size_t from, size_t n,
  double *scratch)
{
  for (size_t i = 0; i < n; i++) scratch[i] = effective_step(o, from + i);
  return quantile(scratch, n, 0.5);
}

@ The dying step size can be watched directly.  The first toy problem of
this chapter is made of |coords| independent coordinates whose gradient
is pure noise: at every step each coordinate gets a fresh draw from the
normal distribution $N(0,1)$, so $\sigma=1$.  This is a weight sitting at
the bottom of its valley, pushed around only by the noise of mini-batch
gradients.  Five optimizers see the same draws, all with $\eta=0.01$:
Adagrad, Adagrad with $\delta=0.01$ (|dying_decay|), Adagrad with
$s_0=10$ (|dying_init|), RMSprop and Adam (the next two parts).  After each
recorded step the program writes the median effective step over the
coordinates.  The theory's Adagrad line is $\eta/\sqrt t$.
@d dying_lr 0.01
@d dying_decay 0.01
@d dying_init 10.0
@d n_dying 5
@<Adaptive: functions@>=
static const char *const dying_kind[n_dying] = {"adagrad", "adagrad",
  "adagrad", "rmsprop", "adam"};
static struct optimizer *dying_optimizer(int k, size_t n)
{
  struct opt_config c;
  opt_defaults(dying_kind[k], &c);
  c.lr = dying_lr;
  if (k == 1) c.lr_decay = dying_decay;
  if (k == 2) c.initial_accumulator_value = dying_init;
  return opt_new(dying_kind[k], n, &c);
}

@ The noise is drawn once per step and handed to all five optimizers.
Two slopes are fitted on the logarithmic axes as the rows go by: plain
Adagrad's over the last two decades of steps, and the decayed one's over
the last decade, where $1+(t-1)\delta$ is already large.
@<Adaptive: functions@>=
@<Adaptive: report the dying step size on noise@>@;
static void dying_noise(const struct chapter *o, const struct ad_plan *pl,@/
  struct value_file *v)
{
  size_t n = pl->coords;
  struct optimizer *opt[n_dying];
  float *p[n_dying], *g = vec_new(n);
  double *scratch = xmalloc(n * sizeof(double)), row[n_dying + 2];
  double first[n_dying + 2], fit[2][5] = @[{{0}}@];
  long join = -1;
  for (int k = 0; k < n_dying; k++) { opt[k] = dying_optimizer(k, n); p[k] = vec_new(n); }
  struct rng r;
  rng_seed(&r, o->seed, 1);
  struct tsv *t = tsv_open(o->out, "dying-noise.tsv",
    "step\tadagrad\tdecay\tinit\trmsprop\tadam\ttheory");
  for (long s = 1, next = 1; s <= pl->toy_steps; s++) {
    for (size_t i = 0; i < n; i++) g[i] = (float)rng_normal(&r);
    for (int k = 0; k < n_dying; k++) opt_step(opt[k], p[k], g);
    if (s != next) continue;
    next = next_point(s);
    @<Adaptive: write the row of step |s| and add it to the slope fits@>@;
  }
  tsv_close(t);
  dying_noise_report(v, pl, first, row, fit);
  values_put(v, "ADdyingJoin", "%ld", join);
  for (int k = 0; k < n_dying; k++) { opt_free(&opt[k]); vec_free(&p[k]); }
  vec_free(&g); free(scratch);
}

@ The row is in units of $\eta$.  A fit is five running sums: the
count, $\sum x$, $\sum y$, $\sum x^2$ and $\sum xy$, with $x=\ln t$ and
$y$ the logarithm of the median effective step.  The program also notes
the first recorded step at which the curve with $s_0$ has come within
5\% of plain Adagrad's.
@<Adaptive: write the row of step |s|...@>=
row[0] = (double)s;
for (int k = 0; k < n_dying; k++) row[1 + k] = median_step(opt[k], 0, n, scratch) / dying_lr;
row[n_dying + 1] = 1.0 / sqrt((double)s);
tsv_row(t, n_dying + 2, row);
if (s == 1) memcpy(first, row, sizeof row);
if (join < 0 && row[3] >= 0.95 * row[1]) join = s;
for (int k = 0; k < 2; k++)
  if (s >= pl->toy_steps / (k == 0 ? 100 : 10)) {
    double x = log((double)s), y = log(row[1 + k]);
    fit[k][0] += 1; fit[k][1] += x; fit[k][2] += y;
    fit[k][3] += x * x; fit[k][4] += x * y;
  }

@ The report gives the slopes, the first step and the last.  The last
row is still in |row|.
@<Adaptive: report the dying step size on noise@>=
static double fit_slope(const double f[5])
{
  return (f[0] * f[4] - f[1] * f[2]) / (f[0] * f[3] - f[1] * f[1]);
}
static void dying_noise_report(struct value_file *v, const struct ad_plan *pl,@/
  const double *first, const double *last, double fit[2][5])
{
  static const char *const label[n_dying] = {"adagrad", "adagrad, lr_decay",
    "adagrad, s0", "rmsprop", "adam"};
  printf("== adagrad: median effective step / lr on N(0,1) noise, %zu coordinates\n",
         pl->coords);
  printf("%-18s %10s %10s\n", "", "step 1", "step T");
  for (int k = 0; k < n_dying; k++)
    printf("%-18s %10.4f %10.4f\n", label[k], first[1 + k],
           last[1 + k]);
  printf("T = %.0f; slope of adagrad %.3f, of adagrad with lr_decay %.3f\n",
         last[0], fit_slope(fit[0]), fit_slope(fit[1]));
  @<Adaptive: quote the dying step size on noise@>@;
}

@ The numbers quoted by the text go to \.{values.tex}.
@<Adaptive: quote the dying step size on noise@>=
values_put(v, "ADdyingT", "%.0f", last[0]);
values_put(v, "ADdyingSlope", "%.3f", fit_slope(fit[0]));
values_put(v, "ADdecaySlope", "%.2f", fit_slope(fit[1]));
values_put(v, "ADdyingFirst", "%.2f", first[1]);
values_put(v, "ADdyingInitFirst", "%.2f", first[3]);
values_put(v, "ADdyingLast", "%.4f", last[1]);
values_put(v, "ADdyingTheory", "%.4f", 1.0 / sqrt(last[0]));
values_put(v, "ADdyingRms", "%.3f", last[4]);
values_put(v, "ADdyingAdam", "%.3f", last[5]);
values_put(v, "ADdyingRmsFirst", "%.1f", first[4]);
values_put(v, "ADdyingRatio", "%.0f", last[4] / last[1]);

@ On a real network the picture is the same.  Three networks, the
chapter's 784--128--10 perceptron on Fashion-MNIST (the last part of the
chapter describes the runs), are trained from the same initial weights
on the same batches: one by Adagrad at its default $\eta=10^{-2}$, one by
RMSprop and one by Adam, both at $\eta=10^{-3}$.  After each recorded
step the program takes the median effective step over all
\val{ADmlpParams} parameters.  The three rates differ, so the figure
compares shapes, not heights.
@<Adaptive: functions@>=
static void dying_mlp(const struct chapter *o, const struct ad_plan *pl,
  struct value_file *v, const struct ad_data *d)
{
  size_t steps = run_steps(d, pl), at[max_trace], na = 0;
  for (long s = 1; (size_t)s <= steps && na < max_trace; s = next_point(s))
    at[na++] = (size_t)s;
  double trace[3][max_trace];
  struct rng r;
  rng_seed(&r, o->seed, 2);
  uint64_t seed = rng_u64(&r);
  struct ad_run run[3] = {new_run("adagrad", 1e-2, 0, seed),
    new_run("rmsprop", 1e-3, 0, seed), new_run("adam", 1e-3, 0, seed)};
  for (int k = 0; k < 3; k++) {
    run[k].ntrace = na; run[k].trace_at = at; run[k].trace = trace[k];
  }
  note("adagrad: three networks, %zu steps each", steps);
  run_all(d, pl, run, 3);
  @<Adaptive: write and quote the effective steps of the networks@>@;
}

@ The table gives the effective steps in units of each run's $\eta$.
Each curve's change is quoted as the ratio of its last value to its
value at the first recorded step at or after step~10 (before it, Adam and
RMSprop are still starting up).
@<Adaptive: write and quote the effective steps...@>=
struct tsv *t = tsv_open(o->out, "dying-mlp.tsv", "step\tadagrad\trmsprop\tadam");
size_t ten = 0;
while (ten + 1 < na && at[ten] < 10) ten++;
for (size_t k = 0; k < na; k++)
  tsv_row(t, 4, (double[4])@[{(double)at[k], trace[0][k] / run[0].c.lr,
    trace[1][k] / run[1].c.lr, trace[2][k] / run[2].c.lr}@]);
tsv_close(t);
double change[3];
for (int k = 0; k < 3; k++) change[k] = trace[k][na - 1] / trace[k][ten];
printf("%zu-parameter network, %zu steps: median effective step, last / step %zu:\n",
       run_params(d), steps, at[ten]);
printf("  adagrad %.3f, rmsprop %.3f, adam %.3f; test accuracy %.4f %.4f %.4f\n\n",
       change[0], change[1], change[2], run[0].test_acc, run[1].test_acc, run[2].test_acc);
values_put(v, "ADmlpParams", "%zu", run_params(d));
values_put(v, "ADmlpSteps", "%zu", steps);
values_put(v, "ADmlpEndAda", "%.2f", change[0]);
values_put(v, "ADmlpEndRms", "%.2f", change[1]);
values_put(v, "ADmlpEndAdam", "%.2f", change[2]);
values_put(v, "ADmlpAccAda", "%.1f", 100.0 * run[0].test_acc);
values_put(v, "ADmlpAccRms", "%.1f", 100.0 * run[1].test_acc);
values_put(v, "ADmlpAccAdam", "%.1f", 100.0 * run[2].test_acc);

@ The experiment is the two measurements.
@<Adaptive: functions@>=
static void adagrad_experiment(struct chapter *o)
{
  const struct ad_data d = split_data(o);
  dying_noise(o, plan_of(o), o->values);
  dying_mlp(o, plan_of(o), o->values, &d);
}

@ Figure~\figref{03-adaptive-dying} shows both.
\bookfigure{03-adaptive-dying}{Median effective step
$\eta_t/(\sqrt{s}+\epsilon)$, in units of $\eta$, against the step~$t$.
Left: coordinates whose gradients are pure noise $N(0,1)$; the thin
black dashed line is $1/\sqrt t$.  Right: all the parameters of a 784--128--10
network trained on Fashion-MNIST.}
On noise, plain Adagrad follows the prediction: the fitted slope over the
last two decades is $\val{ADdyingSlope}$, against $-{1\over2}$, and after
\val{ADdyingT} steps the median step is \val{ADdyingLast}$\,\eta$, where
$1/\sqrt t$ predicts \val{ADdyingTheory}$\,\eta$.  With
$\delta=0.01$ the step dies faster, with slope $\val{ADdecaySlope}$ over
the last decade (the limit is $-{3\over2}$).  The initial accumulator
$s_0=10$ changes only the beginning: the median first effective rate
is \val{ADdyingInitFirst}$\,\eta$ instead of \val{ADdyingFirst}$\,\eta$.
(That is the rate, not the step: without $s_0$ the first step is exactly
$\eta$ in every coordinate, the rate $\eta/\vert g\vert$ times the
gradient $g$, and the median of $1/\vert g\vert$ over normal gradients is
above~1.)  From step \val{ADdyingJoin} on, the two curves are within 5\% of each
other.  RMSprop and Adam, on the
same noise, settle at \val{ADdyingRms}$\,\eta$ and \val{ADdyingAdam}$\,\eta$
and stay there, \val{ADdyingRatio} times Adagrad's step at the end.

On the network the claim holds too, and the contrast is sharper than on
noise, because the gradients of a network shrink as it learns.  At step
\val{ADmlpSteps}, Adagrad's median effective step was \val{ADmlpEndAda}
of its value at step 10, while RMSprop's was \val{ADmlpEndRms} times
and Adam's \val{ADmlpEndAdam} times theirs: the moving averages follow
the gradients down, and their steps grow, while Adagrad's sum still
remembers the large gradients of the first steps.  The test accuracies after this
short run were \val{ADmlpAccAda}\% for Adagrad, \val{ADmlpAccRms}\% for
RMSprop and \val{ADmlpAccAdam}\% for Adam.  None of this makes Adagrad
useless: a run this short does not yet suffer from the decay, and on
convex problems with sparse features the decay is exactly what the
theory asks for.  It makes Adagrad a poor default for long training.

@*1 RMSprop.
Adagrad's sum remembers every gradient it has seen, with equal weight,
forever.  RMSprop, proposed by Tieleman and Hinton in a 2012 lecture and
never published as a paper, replaces the sum by an exponential moving
average,
$$v_t=\alpha v_{t-1}+(1-\alpha)g_t^2,\qquad
\theta_t=\theta_{t-1}-{\eta\over\sqrt{v_t}+\epsilon}\,g_t,$$
with $v_0=0$.  The weights $(1-\alpha)\alpha^k$ on the gradient of $k$
steps ago sum to one, and their mean age is $\alpha/(1-\alpha)$, so with
PyTorch's default $\alpha=0.99$ the average covers roughly the last 100
steps.  If the gradients keep a root mean square $\sigma$, then
$v_t\to\sigma^2$ and the effective step settles at $\eta/\sigma$ instead
of dying: that was the flat RMSprop curve of
Figure~\figref{03-adaptive-dying}.  Three details of PyTorch's version
matter when results are compared across libraries.

{\it Which weight is $\alpha$.}  PyTorch's |alpha| weights the {\it old\/}
average; the literature's decay rate $\rho$, Keras's |rho|, is the same
number.  Passing $0.01$ where $0.99$ is meant makes the average forget
everything after one step.

{\it Where $\epsilon$ goes.}  PyTorch adds $\epsilon$ outside the root,
$\sqrt v+\epsilon$.  TensorFlow's RMSprop kernel (\.{ApplyRMSProp}) adds it
inside, $\sqrt{v+\epsilon}$, where the number $10^{-8}$ would mean a floor
of $10^{-4}$ on the root; and Keras's default is $\epsilon=10^{-7}$, not
$10^{-8}$.  Which formula a given version of another library uses has
changed over the years, so a comparison across libraries should read the
update in the source, not the name of the argument.

{\it There is no bias correction.}  Because $v_0=0$, the first average is
$v_1=(1-\alpha)g_1^2$, one hundredth of the truth, and the first step is
$\eta g_1/\sqrt{0.01g_1^2}=10\,\eta\,{\rm sign}(g_1)$: ten times the
learning rate, in every coordinate.  For a constant gradient the step is
$\eta/\sqrt{1-\alpha^t}$ times the sign, which fades slowly, since
$\alpha^t$ takes 230 steps to fall below $0.1$.  Adam, two parts on,
corrects exactly this.

Two variants are built in.  The {\it centered\/} one (Graves, 2013) also
averages the gradient itself, $a_t=\alpha a_{t-1}+(1-\alpha)g_t$, and
divides by $\sqrt{v_t-a_t^2}$, an estimate of the gradient's standard
deviation rather than of its root mean square.  If a coordinate's
gradient has a steady mean $\mu$ and noise of standard deviation
$\sigma$, plain RMSprop's mean step is about $\eta\mu/\sqrt{\mu^2+\sigma^2}$,
never more than $\eta$, and the centered step is about $\eta\mu/\sigma$, the
signal-to-noise ratio: large where the gradient is consistent, small where
it is noise.  With {\it momentum\/}~$\mu$ the scaled gradient
$g/(\sqrt v+\epsilon)$ goes through a buffer, $b\gets\mu b+g/(\sqrt
v+\epsilon)$, and $\theta\gets\theta-\eta b$; a steady scaled gradient
then moves $\theta$ by $1/(1-\mu)$ times as much, ten times for $\mu=0.9$,
as in Chapter~2.

@q begin library part @>
@ RMSprop replaces Adagrad's sum by an exponential moving average,
$v\gets\alpha v+(1-\alpha)d^2$, so that old gradients are forgotten and
the step size no longer dies.  PyTorch's |alpha| weights the {\it old}
average.  The {\it centered} variant also averages the gradient itself,
$a\gets\alpha a+(1-\alpha)d$, and divides by $\sqrt{v-a^2}$, an estimate
of the gradient's standard deviation rather than its root mean square.
With momentum $\mu>0$ the scaled gradient goes through a buffer,
$b\gets\mu b+d/(\sqrt v+\epsilon)$, $\theta\gets\theta-\eta b$; the
buffer starts at zero, so there is no special first step.  The state is
$v$, then $a$ if centered, then $b$ if there is momentum.
@<Adaptive: the RMSprop kind@>=
static void rmsprop_defaults(struct opt_config *c)
{ c->lr = 1e-2; c->alpha = 0.99; c->eps = 1e-8; }
static size_t rmsprop_nstate(const struct opt_config *c)
{ return 1 + (size_t)c->centered + (size_t)(c->momentum > 0); }
@<Adaptive: RMSprop's check@>@;
@<Adaptive: RMSprop's step@>@;
@<Adaptive: the RMSprop states a file may hold@>@;
const struct opt_kind opt_rmsprop = {"rmsprop",
  "lr alpha eps weight_decay momentum centered maximize",
  rmsprop_nstate, rmsprop_defaults, rmsprop_check, NULL, rmsprop_step, rmsprop_validate};

@ PyTorch refuses negative values; it accepts $\alpha>1$, which makes the
average grow without bound.
@<Adaptive: RMSprop's check@>=
static int rmsprop_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (c->eps < 0) return opt_error(msg, len, "invalid epsilon value: %g", c->eps);
  if (c->momentum < 0)
    return opt_error(msg, len, "invalid momentum value: %g", c->momentum);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  if (c->alpha < 0) return opt_error(msg, len, "invalid alpha value: %g", c->alpha);
  return 0;
}

@ The step.  The denominator is computed once per coordinate and used
either directly or through the momentum buffer.  The centered variance
$v-a^2$ is computed with one fused multiply-add, as PyTorch's
vectorized |addcmul| does: rounding $a^2$ first would turn a huge but
finite difference into $\infty-\infty$, a NaN, where PyTorch gets a
number.
@<Adaptive: the rules of one coordinate@>=
struct rmsprop_consts { float al, keep, eps, mu, neg_lr; };
descent_rule void rmsprop_coord(const struct rmsprop_consts *k, float d, float *p,
                                float *v, float *a, float *b)
{
  float den;
  *v = *v * k->al + k->keep * d * d;
  if (a) {
    *a = *a * k->al + k->keep * d;
    den = sqrtf(fmaf(-*a, *a, *v)) + k->eps;
  } else den = sqrtf(*v) + k->eps;
  if (b) { *b = *b * k->mu + d / den; *p = *p + k->neg_lr * *b; }
  else *p = *p + k->neg_lr * d / den;
}

@ The library's step finds the optional vectors and applies the rule.
@<Adaptive: RMSprop's step@>=
static void rmsprop_step(struct optimizer *o, float *p, const float *g,
                         const struct opt_span *sp)
{
  const struct rmsprop_consts k = @[{(float)o->c.alpha, (float)(1.0 - o->c.alpha),@/
    (float)o->c.eps, (float)o->c.momentum, (float)(-sp->lr)}@];
  float *v = opt_state(o, 0), *a = o->c.centered ? opt_state(o, 1) : NULL;
  float *b = o->c.momentum > 0 ? opt_state(o, o->k - 1) : NULL;
  for (size_t i = sp->lo; i < sp->hi; i++)
    rmsprop_coord(&k, SIGNED(o, sp, g[i], p[i]), &p[i], &v[i],
                  a ? &a[i] : NULL, b ? &b[i] : NULL);
}

@ What can a loaded RMSprop state not be?  With $\alpha\le1$ both
weights, $\alpha$ and $1-\alpha$, are non-negative, so the average of
squares $v$ is never negative, exactly, in |float|.  (With $\alpha>1$,
which PyTorch accepts, $1-\alpha<0$ and $v$ does go negative in a real
run; nothing is checked then.)  The centered variant's average $a$ is
the same weighted average of the gradients, with weights
$w_i=(1-\alpha)\alpha^{t-i}$ that sum to $1-\alpha^t\le1$, that $v$ is
of their squares; by the Cauchy--Schwarz inequality
$a^2=(\sum w_id_i)^2\le\sum w_i\cdot\sum w_id_i^2\le v$.  That
relation is what the step's $\sqrt{v-a^2}$ relies on.  Floating point
bends it slightly: rounding moves $v$ and $a$ by a few units in the last
place, and a gradient smaller than about $10^{-19}$ has a square that
underflows to zero in |float|, leaving $v=0$ beside a nonzero~$a$.  So
the check leaves room for both, a factor of two and the smallest normal
|float|, |FLT_MIN|, $2^{-126}$, and refuses only $a^2>2v+2^{-126}$: an
average of gradients far larger than the average of their squares
allows, which no run writes, and from which the next step's square root
would be NaN.  The momentum buffer, like SGD's, may hold any finite
number.
@<Adaptive: the RMSprop states a file may hold@>=
static int rmsprop_validate(const struct optimizer *o, char *msg, size_t len)
{
  if (o->c.alpha > 1) return 0;
  const float *v = opt_state(o, 0), *a = o->c.centered ? opt_state(o, 1) : NULL;
  for (size_t i = 0; i < o->n; i++) {
    if (v[i] < 0)
      return opt_error(msg, len,@/
                       "rmsprop: square_avg[%zu] = %g is negative, and an average "@/
                       "of squares never is (alpha %g)", i, v[i], o->c.alpha);
    if (a && (double)a[i] * a[i] > 2.0 * v[i] + FLT_MIN)
      return opt_error(msg, len,@/
                       "rmsprop: grad_avg[%zu] = %g is too large for square_avg %g "@/
                       "(an average's square exceeds the average of squares)", i, a[i], v[i]);
  }
  return 0;
}
@q end library part @>

@ Three measurements check the claims of this part.  First, the first
step: one coordinate at $\theta=0$ with gradient $0.3$ and the default
$\eta=0.01$.
@d rms_lr 0.01
@<Adaptive: functions@>=
static struct optimizer *rmsprop_new(size_t n, bool centered, double momentum)
{
  struct opt_config c;
  opt_defaults("rmsprop", &c);
  c.lr = rms_lr;
  c.centered = centered;
  c.momentum = momentum;
  return opt_new("rmsprop", n, &c);
}
static void rmsprop_first_step(struct value_file *v)
{
  struct optimizer *o = rmsprop_new(1, false, 0.0);
  float p = 0.0f, g = 0.3f;
  opt_step(o, &p, &g);
  printf("== rmsprop: first step from 0 with gradient 0.3, lr %g: %.8f (%.6f lr)\n",
         rms_lr, p, -p / rms_lr);
  values_put(v, "ADrmsFirst", "%.8f", p);
  values_put(v, "ADrmsFirstLr", "%.6f", -p / rms_lr);
  opt_free(&o);
}

@ Second, plain against centered.  Each of |pl->coords| coordinates gets
the gradient $\mu+z$ with $z$ drawn from $N(0,1)$, for
$2\cdot|rms_window|$ steps; the mean step over the last |rms_window|
steps, in units of $\eta$, is compared with the two predictions.
@d rms_window 1000
@d n_rms_mu 6
@<Adaptive: functions@>=
static double mean_of(const float *x, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += x[i];
  return s / (double)n;
}
static void rmsprop_centered(const struct chapter *o, const struct ad_plan *pl,@/
  struct value_file *v)
{
  static const double mu[n_rms_mu] = {0.0, 0.25, 0.5, 1.0, 2.0, 4.0};
  size_t n = pl->coords;
  struct rng r;
  rng_seed(&r, o->seed, 3);
  char tab[1024] = "";
  double dev[2] = {0.0, 0.0};
  struct tsv *t = tsv_open(o->out, "rmsprop-centered.tsv",
    "mu\tplain\tplain_theory\tcentered\tcentered_theory");
  printf("mean step / lr with gradient mu + N(0,1):\n%6s %9s %9s %9s %9s\n",
         "mu", "plain", "(theory)", "centered", "(theory)");
  for (int j = 0; j < n_rms_mu; j++) {
    @<Adaptive: run plain and centered RMSprop on the gradient $\mu_j+z$@>@;
  }
  tsv_close(t);
  values_put(v, "ADcenteredTable", "%s", tab);
  values_put(v, "ADplainDev", "%.1f", 100.0 * dev[0]);
  values_put(v, "ADcenteredDev", "%.1f", 100.0 * dev[1]);
}

@ The two optimizers see the same draws.
@<Adaptive: run plain and centered RMSprop on the gradient...@>=
struct optimizer *a = rmsprop_new(n, false, 0.0), *b = rmsprop_new(n, true, 0.0);
float *pa = vec_new(n), *pb = vec_new(n), *g = vec_new(n);
double ma = 0.0, mb = 0.0;
for (long s = 1; s <= 2 * rms_window; s++) {
  for (size_t i = 0; i < n; i++) g[i] = (float)(mu[j] + rng_normal(&r));
  opt_step(a, pa, g);
  opt_step(b, pb, g);
  if (s == rms_window) { ma = mean_of(pa, n); mb = mean_of(pb, n); }
}
ma = (ma - mean_of(pa, n)) / (rms_window * rms_lr);
mb = (mb - mean_of(pb, n)) / (rms_window * rms_lr);
double ta = mu[j] / sqrt(1.0 + mu[j] * mu[j]);
if (mu[j] > 0.0) {
  dev[0] = fmax(dev[0], fabs(ma / ta - 1.0));
  dev[1] = fmax(dev[1], fabs(mb / mu[j] - 1.0));
}
tsv_row(t, 5, (double[5])@[{mu[j], ma, ta, mb, mu[j]}@]);
printf("%6.2f %9.4f %9.4f %9.4f %9.4f\n", mu[j], ma, ta, mb, mu[j]);
appendf(tab, sizeof tab, "%.2f&%.3f&%.3f&%.3f&%.2f\\cr\n",
         mu[j], ma, ta, mb, mu[j]);
opt_free(&a); opt_free(&b); vec_free(&pa); vec_free(&pb); vec_free(&g);

@ Third, the centered variant and momentum on a gradient that never
changes, $g=1$: the step, in units of $\eta$, after $t$ steps, and for the
centered variant the value exact arithmetic would give,
$1/\sqrt{(1-\alpha^t)\alpha^t}$ (the two averages are then both
$1-\alpha^t$, so $v-a^2=(1-\alpha^t)\alpha^t$).
@d n_const_t 6
@<Adaptive: functions@>=
static void rmsprop_constant(struct value_file *v)
{
  static const long at[n_const_t] = {1, 10, 100, 1000, 2000, 3000};
  struct optimizer *o[3] = {rmsprop_new(1, false, 0.0), rmsprop_new(1, true, 0.0),
    rmsprop_new(1, false, 0.9)};
  float p[3] = {0.0f, 0.0f, 0.0f}, g = 1.0f;
  char tab[1024] = "";
  printf("step / lr on the constant gradient 1:\n%6s %9s %10s %10s %9s\n",
         "t", "plain", "centered", "(exact)", "momentum");
  for (long s = 1, k = 0; k < n_const_t; s++) {
    double step[3];
    for (int j = 0; j < 3; j++) {
      float before = p[j];
      opt_step(o[j], &p[j], &g);
      step[j] = (before - p[j]) / rms_lr;
    }
    if (s == at[k]) { @<Adaptive: print and keep the row of step |s|@>@; k++; }
  }
  values_put(v, "ADconstTable", "%s", tab);
  for (int j = 0; j < 3; j++) opt_free(&o[j]);
}

@ The exact value is computed in double, from the formula, and set as
$m\times10^e$ once it has five digits.
@<Adaptive: print and keep the row of step |s|@>=
double an = pow(0.99, (double)s), exact = 1.0 / sqrt((1.0 - an) * an);
printf("%6ld %9.4f %10.2f %10.4g %9.4f\n", s, step[0], step[1], exact, step[2]);
char ex[64], m[40];
if (exact < 1e4) snprintf(ex, sizeof ex, "%.4g", exact);
else snprintf(ex, sizeof ex, "$%s$", sci_text(m, sizeof m, exact));
appendf(tab, sizeof tab, "%ld&%.3f&%.2f&%s&%.3f\\cr\n",
         s, step[0], step[1], ex, step[2]);
if (s == 1000) values_put(v, "ADcenteredThousand", "%.0f", step[1]);
if (s == 3000) {
  values_put(v, "ADcenteredEnd", "%.0f", step[1]);
  values_sci(v, "ADcenteredExact", exact);
  values_put(v, "ADmomentumEnd", "%.3f", step[2]);
}

@ The experiment is the three measurements.
@<Adaptive: functions@>=
static void rmsprop_experiment(struct chapter *o)
{
  rmsprop_first_step(o->values);
  rmsprop_centered(o, plan_of(o), o->values);
  rmsprop_constant(o->values);
  printf("\n");
}

@ The first step moved the coordinate to $\val{ADrmsFirst}$, which is
\val{ADrmsFirstLr} times the learning rate: the factor of ten, short of it
only by the $\epsilon$ in the denominator and by |float| rounding.  The
comparison of plain and centered RMSprop, in Table~\tableref{03-centered},
came out as predicted.
\booktable{03-centered}{Plain and centered RMSprop ($\eta=0.01$) on the
gradient $\mu+z$, with $z$ drawn from $N(0,1)$: the mean step over the
last 1000 of 2000 steps, in units of $\eta$, measured and as predicted.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
&\multispan2\hfil plain\hfil\quad&\multispan2\hfil centered\hfil\cr
$\mu$&measured&$\mu/\sqrt{1+\mu^2}$&measured&$\mu/\sigma$\cr
\noalign{\smallskip\hrule\smallskip}
\ADcenteredTable}}}
\noindent
For $\mu>0$ the plain column is within \val{ADplainDev}\% of its
prediction and the centered one within \val{ADcenteredDev}\%.  (The
predictions replace the average of a ratio by a ratio of averages; the
average of a hundred squared gradients varies little, so they hold
well.)  The centered variant turns a
consistent gradient into a step several times $\eta$, which is what it was
designed for; but its denominator is a difference of two averages, and
when the gradient is steady that difference goes to zero.
Table~\tableref{03-constant} shows the steps on the constant gradient.
\booktable{03-constant}{RMSprop on the constant gradient $g=1$: the step
after $t$ steps, in units of $\eta$, for plain RMSprop, for centered
RMSprop in |float| and in exact arithmetic, and for plain RMSprop with
momentum $0.9$.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
$t$&plain&centered&exact arithmetic&momentum $0.9$\cr
\noalign{\smallskip\hrule\smallskip}
\ADconstTable}}}
\noindent
Plain RMSprop's step starts at ten times $\eta$ and fades as
$1/\sqrt{1-\alpha^t}$.  The centered step grows without bound in exact
arithmetic, to $\val{ADcenteredExact}\,\eta$ at step 3000; in |float|
the averages stop moving once their increments fall below half a unit in
the last place, and the step freezes at \val{ADcenteredEnd}$\,\eta$.
Either way, centered RMSprop needs its gradients to be noisy.  With
momentum $0.9$ the steady step is \val{ADmomentumEnd}$\,\eta$, the
predicted ten.

@*1 Adam.
Adam (Kingma and Ba, 2015) puts the two ideas together: a moving average
of the gradient, as in momentum, and a moving average of its square, as
in RMSprop.  With $m_0=v_0=0$,
$$m_t=\beta_1m_{t-1}+(1-\beta_1)g_t,\qquad
v_t=\beta_2v_{t-1}+(1-\beta_2)g_t^2,$$
and the defaults $\beta_1=0.9$, $\beta_2=0.999$ give the first average a
memory of about ten steps and the second one of about a thousand.  Both
start at zero, and so both are biased toward zero at first.  Unrolled,
$m_t=(1-\beta_1)\sum_{\tau=1}^t\beta_1^{t-\tau}g_\tau$, whose weights sum
to $1-\beta_1^t$, not to one; if the gradients have a steady mean, the
expectation of $m_t$ is $1-\beta_1^t$ times it.  Adam divides the bias
out,
$$\hat m_t={m_t\over1-\beta_1^t},\qquad\hat v_t={v_t\over1-\beta_2^t},
\qquad\theta_t=\theta_{t-1}-\eta\,{\hat m_t\over\sqrt{\hat v_t}+\epsilon}.$$
At $t=1$ the first correction multiplies $m_1=0.1\,g_1$ by exactly ten,
and the second multiplies $v_1$ by a thousand, so that $\hat m_1=g_1$,
$\hat v_1=g_1^2$, and the first step is $\eta\,{\rm sign}(g_1)$, like
Adagrad's.  Without the corrections the first step would be
$\eta\cdot0.1/\sqrt{0.001}\approx3.16\,\eta$ instead, and RMSprop's, which has
only the second average and no correction, was ten times $\eta$.  The
question is how fast the corrections fade: $\beta_1^t$ and $\beta_2^t$
fade at very different rates.

For a constant gradient $g$, the corrected averages are exactly $g$ and
$g^2$ at every step, so Adam's step is $\eta$ from the first step on; the
uncorrected step would be $(1-\beta_1^t)/\sqrt{1-\beta_2^t}$ times as
large.  When the gradient's size is steady, $\vert\hat m/\sqrt{\hat v}\vert$
is about one, and smaller when its sign is noisy, so $\eta$ is the size
of Adam's typical step in every coordinate: a step {\it length}, in the
units of the parameters, not a multiplier of the gradient.  It is not a
bound.  After a long calm, one large gradient moves its coordinate by up
to $(1-\beta_1)/\sqrt{1-\beta_2}\,\eta$, about $3.16\,\eta$ at the
defaults (Kingma and Ba's own bound): $m$ forgets the calm ten times
faster than $v$ does.  The library, given a gradient of~1 after
\val{ADcalmSteps} zero gradients, moves the coordinate by
\val{ADstepBound}$\,\eta$; the measurement is with the bias experiment
below.  That is
why Adam's learning rate can be chosen without knowing the scale of the
loss, and why Chapter~2's 300-step table could give Adam a rate of
$0.2$ where SGD needed $0.04$.

Two variants complete PyTorch's Adam.  {\it AMSGrad\/} (Reddi, Kale and
Kumar, 2018) answers an example in which Adam fails to converge on a
convex problem: $v$ can shrink after large gradients pass, and the
effective step then grows again.  AMSGrad keeps the running maximum
$\bar v_t=\max(\bar v_{t-1},v_t)$ and divides by $\sqrt{\bar v_t}$
instead, so that after the bias correction has faded the effective step
never grows.  PyTorch takes the maximum of the {\it raw\/} $v$ and then
divides by the current $\sqrt{1-\beta_2^t}$; its documentation writes
the maximum of $\hat v$, which would be a different algorithm.  And {\it
maximize\/} negates the gradient before anything else, so that the same
code climbs instead of descending.

@q begin library part @>
@ Adam keeps two moving averages, of the gradient ($m$, with weight
$\beta_1$ on the old value) and of its square ($v$, weight $\beta_2$), both
starting at zero.  Because they start at zero they are biased toward it,
and step $t$ divides them by $1-\beta_1^t$ and $1-\beta_2^t$ (computed in
double):
$$\theta\gets\theta-{\eta\over1-\beta_1^t}\cdot
{m\over\sqrt v/\sqrt{1-\beta_2^t}+\epsilon}.$$
At $t=1$ with $\beta_1=0.9$ the first correction multiplies $m$ by ten.
{\it AMSGrad} keeps a third vector, the running maximum $\bar v$ of the
raw $v$, and divides by it instead, so that the denominator never
shrinks.  {\it AdamW} differs from Adam only in its decay: it does not
add $\lambda\theta$ to the gradient but shrinks the weights directly,
$\theta\gets\theta(1-\eta\lambda)$, before the step; and its default
$\lambda$ is $10^{-2}$ where Adam's is zero.
@<Adaptive: the Adam and AdamW kinds@>=
static void adam_defaults(struct opt_config *c)
{ c->lr = 1e-3; c->beta1 = 0.9; c->beta2 = 0.999; c->eps = 1e-8; }
static void adamw_defaults(struct opt_config *c)
{ adam_defaults(c); c->weight_decay = 1e-2; }
static size_t adam_nstate(const struct opt_config *c) { return 2 + (size_t)c->amsgrad; }
@<Adaptive: Adam's check@>@;
@<Adaptive: Adam's and AdamW's steps@>@;
@<Adaptive: the Adam states a file may hold@>@;
const struct opt_kind opt_adam = {"adam",
  "lr betas eps weight_decay amsgrad maximize",
  adam_nstate, adam_defaults, adam_check, NULL, adam_step, adam_validate};
const struct opt_kind opt_adamw = {"adamw",
  "lr betas eps weight_decay amsgrad maximize",
  adam_nstate, adamw_defaults, adam_check, NULL, adamw_step, adam_validate};

@ Both constructors refuse a negative learning rate, $\epsilon$ or decay,
and either $\beta$ outside $[0,1)$.
@<Adaptive: Adam's check@>=
static int adam_check(const struct opt_config *c, char *msg, size_t len)
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

@ The shared part, for one coordinate: the two averages, the maximum for
AMSGrad (a NaN in $v$ propagates, as in |torch.maximum|), and the step.
The step size $\eta/(1-\beta_1^t)$ and $\sqrt{1-\beta_2^t}$ arrive in
|neg_step| and |bc2|, rounded to |float|; the product with $m$ comes
before the division, as in PyTorch's |addcdiv|.
@<Adaptive: the rules of one coordinate@>=
struct adam_consts { float b1, keep1, b2, keep2, bc2, eps, neg_step; };
descent_rule void adam_coord(const struct adam_consts *k, float d, float *p,
                              float *m, float *v, float *vmax)
{
  *m = *m * k->b1 + k->keep1 * d;
  *v = *v * k->b2 + k->keep2 * d * d;
  float root = sqrtf(*v);
  if (vmax) {
    if (!(*vmax >= *v) && !isnan(*vmax)) *vmax = *v;
    root = sqrtf(*vmax);
  }
  *p = *p + k->neg_step * *m / (root / k->bc2 + k->eps);
}
descent_rule void adamw_coord(const struct adam_consts *k, float shrink, float d,@/
                              float *p, float *m, float *v, float *vmax)
{
  *p = *p * shrink;
  adam_coord(k, d, p, m, v, vmax);
}

@ The two steps differ in where the decay goes: Adam adds it to the
gradient (through |signed_grad|), AdamW multiplies the weight by
$1-\eta\lambda$, computed in double and applied as one |float| product.
@<Adaptive: Adam's and AdamW's steps@>=
static struct adam_consts adam_consts(const struct optimizer *o, double lr)
{
  @q solution adam_consts: (void)o; (void)lr; return (struct adam_consts){0}; @>
  const double b1 = o->c.beta1, b2 = o->c.beta2, t = (double)o->t;
  return (struct adam_consts)@[{(float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2),
    (float)sqrt(1 - pow(b2, t)), (float)o->c.eps,
    (float)(-(lr / (1 - pow(b1, t))))}@];
  @q end solution @>
}
static void adam_step(struct optimizer *o, float *p, const float *g,
                      const struct opt_span *sp)
{
  const struct adam_consts k = adam_consts(o, sp->lr);
  float *m = opt_state(o, 0), *v = opt_state(o, 1);
  float *vm = o->c.amsgrad ? opt_state(o, 2) : NULL;
  for (size_t i = sp->lo; i < sp->hi; i++)
    adam_coord(&k, SIGNED(o, sp, g[i], p[i]), &p[i], &m[i], &v[i], vm ? &vm[i] : NULL);
}
static void adamw_step(struct optimizer *o, float *p, const float *g,
                       const struct opt_span *sp)
{
  @q solution adamw_decay: (void)o; (void)p; (void)g; (void)sp; @>
  const struct adam_consts k = adam_consts(o, sp->lr);
  const float shrink = (float)(1.0 - sp->lr * sp->weight_decay);
  float *m = opt_state(o, 0), *v = opt_state(o, 1);
  float *vm = o->c.amsgrad ? opt_state(o, 2) : NULL;
  for (size_t i = sp->lo; i < sp->hi; i++)
    adamw_coord(&k, shrink, o->c.maximize ? -g[i] : g[i], &p[i], &m[i], &v[i],
                vm ? &vm[i] : NULL);
  @q end solution @>
}

@ A state read from a file (|opt_load|, Appendix~A) is checked against
two facts of the update, both exact in |float|.  The average of squares
$v$ never goes negative: $\beta_2$ and $1-\beta_2$ are non-negative,
and so is $d\cdot d$.  And after every step AMSGrad's maximum is at least
the $v$ beside it, because |adam_coord| raises it to $v$ whenever it is
below; at $t=0$ both are zero.  A negative $v$ would make the next
square root NaN; a maximum below $v$ is not a maximum.  The average
of the gradients $m$ may be any finite number.  Adam and AdamW share the
check: their states mean the same.
@<Adaptive: the Adam states a file may hold@>=
static int adam_validate(const struct optimizer *o, char *msg, size_t len)
{
  const float *v = opt_state(o, 1), *vm = o->c.amsgrad ? opt_state(o, 2) : NULL;
  for (size_t i = 0; i < o->n; i++) {
    if (v[i] < 0)
      return opt_error(msg, len,@/
                       "%s: exp_avg_sq[%zu] = %g is negative, and an average of "@/
                       "squares never is", o->kind->name, i, v[i]);
    if (vm && vm[i] < v[i])
      return opt_error(msg, len,@/
                       "%s: max_exp_avg_sq[%zu] = %g is below exp_avg_sq %g, "@/
                       "and the maximum never is", o->kind->name, i, vm[i], v[i]);
  }
  return 0;
}
@q end library part @>

@ The corrections are a formula, but the program computes them step by
step anyway, and next to them it runs the library's Adam (with its
default $\eta=10^{-3}$) and RMSprop ($\eta=10^{-2}$) on the constant
gradient $g=1$ and records each step divided by $\eta$.  (The parameter
is set back to zero before each step, so that no rounding of a growing
parameter blurs the step; the optimizer's state does not depend on it
here.)  That measured
ratio is one for Adam, if the library corrects as it should, and
$1/\sqrt{1-\alpha^t}$ for RMSprop.  The program also finds where the
uncorrected ratio peaks, and when each correction has faded to within
1\% of one.
@d bias_steps 10000
@<Adaptive: functions@>=
static void step_bound(struct value_file *v);
static void bias_curves(const struct chapter *o, struct value_file *v)
{
  struct opt_config c;
  opt_defaults("adam", &c);
  const double b1 = c.beta1, b2 = c.beta2;
  struct optimizer *adam = opt_new("adam", 1, &c), *rms = rmsprop_new(1, false, 0.0);
  float pa = 0.0f, pr = 0.0f, g = 1.0f;
  double peak = 0.0, worst = 0.0, row[6];
  long peak_t = 0, fade1 = -1, fade2 = -1;
  struct tsv *t = tsv_open(o->out, "bias.tsv",@/
    "step\tmcorr\tvcorr\tuncorrected\tadam\trmsprop");
  for (long s = 1, next = 1; s <= bias_steps; s++) {
    @<Adaptive: take one step of each, and compute the corrections at |s|@>@;
    if (s == next) { tsv_row(t, 6, row); next = next_point(s); }
  }
  tsv_close(t);
  @<Adaptive: print and quote the bias corrections@>@;
  opt_free(&adam); opt_free(&rms);
}

@ The row holds the two corrections, the uncorrected step and the two
measured steps, all in units of $\eta$.
@<Adaptive: take one step of each...@>=
pa = 0.0f; pr = 0.0f;
opt_step(adam, &pa, &g);
opt_step(rms, &pr, &g);
double c1 = 1.0 / (1.0 - pow(b1, (double)s));
double c2 = 1.0 / sqrt(1.0 - pow(b2, (double)s));
row[0] = (double)s; row[1] = c1; row[2] = c2; row[3] = c2 / c1;
row[4] = -pa / c.lr;
row[5] = -pr / rms_lr;
if (row[3] > peak) { peak = row[3]; peak_t = s; }
if (fabs(row[4] - 1.0) > worst) worst = fabs(row[4] - 1.0);
if (fade1 < 0 && c1 < 1.01) fade1 = s;
if (fade2 < 0 && c2 < 1.01) fade2 = s;
if (s == 1) {
  values_put(v, "ADuncFirst", "%.2f", row[3]);
  values_put(v, "ADadamFirst", "%.7f", row[4]);
}
if (s == 10) values_put(v, "ADbiasMten", "%.2f", c1);
if (s == 1000) values_put(v, "ADuncThousand", "%.2f", row[3]);

@ The corrections at the first step are $1/(1-\beta_1)$ and
$1/\sqrt{1-\beta_2}$.
@<Adaptive: print and quote the bias corrections@>=
printf("== adam: bias correction (beta1 %g, beta2 %g)\n", b1, b2);
printf("step 1: m multiplied by %.4g, sqrt(v) divided by %.4g\n",
       1.0 / (1.0 - b1), 1.0 / sqrt(1.0 - b2));
printf("within 1%% of 1: m's factor from step %ld, v's from step %ld\n", fade1, fade2);
printf("uncorrected/corrected step on a constant gradient: peak %.3f at step %ld\n",
       peak, peak_t);
printf("library adam on a constant gradient: |step/lr - 1| <= %.2g\n", worst);
values_put(v, "ADbiasMone", "%.0f", 1.0 / (1.0 - b1));
values_put(v, "ADbiasVone", "%.1f", 1.0 / sqrt(1.0 - b2));
values_put(v, "ADbiasMfade", "%ld", fade1);
values_put(v, "ADbiasVfade", "%ld", fade2);
values_put(v, "ADuncPeak", "%.2f", peak);
values_put(v, "ADuncPeakT", "%ld", peak_t);
values_sci(v, "ADadamWorst", worst);

@ Figure~\figref{03-adaptive-bias} shows the corrections.
\bookfigure{03-adaptive-bias}{Adam's bias corrections with $\beta_1=0.9$,
$\beta_2=0.999$, against the step~$t$: the factor $1/(1-\beta_1^t)$ on
$m$, the factor $1/\sqrt{1-\beta_2^t}$ on $\sqrt v$, and their ratio, the
step an uncorrected Adam would take on a constant gradient, in units of
$\eta$.  Points: the library's Adam and RMSprop on the constant gradient
$g=1$, step divided by $\eta$.}
The factor of ten on $m$ is real, and brief: by step 10 it is
\val{ADbiasMten}, and from step \val{ADbiasMfade} on it is within 1\% of
one.  The correction of $v$ starts at \val{ADbiasVone} and lasts far
longer, into step \val{ADbiasVfade}.  Because the two fade at such
different rates, an Adam without corrections would not merely start
slowly.  Its first step would be \val{ADuncFirst} times $\eta$, and on a
constant gradient its step would grow to \val{ADuncPeak}$\,\eta$ at step
\val{ADuncPeakT} and still be \val{ADuncThousand}$\,\eta$ at step~1000.
The corrections make the step $\eta$ from the start, and the library's
Adam does exactly that: its first step is \val{ADadamFirst}$\,\eta$ and
no step of the \val{ADbiasSteps} differs from $\eta$ by more than
$\val{ADadamWorst}$ of it.  RMSprop's points follow
$1/\sqrt{1-\alpha^t}$, ten at the start.

@ AMSGrad's maximum is tested with one large gradient.  The |pl->coords|
coordinates get noise from $N(0,1)$ at every step except step
|spike_at|, when every coordinate gets the gradient |spike_size|, a batch
a hundred standard deviations off.  Adam's $v$ absorbs
$(1-\beta_2)\cdot100^2=10$ and forgets it again over a few thousand steps;
AMSGrad's maximum keeps it.  The table records the median effective step
of each, in units of $\eta$.
@d spike_at 2000
@d spike_size 100.0f
@<Adaptive: functions@>=
static void amsgrad_spike(const struct chapter *o, const struct ad_plan *pl,@/
  struct value_file *v)
{
  size_t n = pl->coords;
  struct opt_config c;
  opt_defaults("adam", &c);
  struct optimizer *a = opt_new("adam", n, &c);
  c.amsgrad = true;
  struct optimizer *b = opt_new("adam", n, &c);
  float *pa = vec_new(n), *pb = vec_new(n), *g = vec_new(n);
  double *scratch = xmalloc(n * sizeof(double));
  double before[2] = {0, 0}, after[2] = {0, 0}, e[2] = {0, 0};
  long back = -1;
  struct rng r;
  rng_seed(&r, o->seed, 4);
  struct tsv *t = tsv_open(o->out, "amsgrad.tsv", "step\tadam\tamsgrad");
  for (long s = 1, next = 1; s <= pl->toy_steps; s++) {
    @<Adaptive: step both on noise or on the spike, and record@>@;
  }
  tsv_close(t);
  @<Adaptive: report the spike@>@;
  opt_free(&a); opt_free(&b); vec_free(&pa); vec_free(&pb); vec_free(&g);
  free(scratch);
}

@ The effective steps are recorded at the usual points and, so that the
figure shows the spike, at the steps just before and after it.  Adam has
recovered when its step is back within 10\% of its value before the
spike.
@<Adaptive: step both on noise or on the spike...@>=
for (size_t i = 0; i < n; i++) g[i] = s == spike_at ? spike_size : (float)rng_normal(&r);
opt_step(a, pa, g);
opt_step(b, pb, g);
bool mark = s == next || s == spike_at - 1 || s == spike_at || s == pl->toy_steps;
if (mark || (back < 0 && s > spike_at)) {
  e[0] = median_step(a, 0, n, scratch) / c.lr;
  e[1] = median_step(b, 0, n, scratch) / c.lr;
  if (mark) tsv_row(t, 3, (double[3])@[{(double)s, e[0], e[1]}@]);
  if (s == spike_at - 1) { before[0] = e[0]; before[1] = e[1]; }
  if (s == spike_at) { after[0] = e[0]; after[1] = e[1]; }
  if (s > spike_at && back < 0 && e[0] >= 0.9 * before[0]) back = s - spike_at;
}
if (s == next) next = next_point(s);

@ At the end |e| holds the last step's values.
@<Adaptive: report the spike@>=
printf("spike of %g at step %d: median effective step / lr\n", spike_size, spike_at);
printf("  before: adam %.4f amsgrad %.4f; at step %ld: adam %.4f amsgrad %.4f\n",
       before[0], before[1], pl->toy_steps, e[0], e[1]);
printf("  adam back within 10%% after %ld steps\n", back);
values_put(v, "ADspikeAdamBefore", "%.3f", before[0]);
values_put(v, "ADspikeAmsBefore", "%.3f", before[1]);
values_put(v, "ADspikeAdamAfter", "%.3f", after[0]);
values_put(v, "ADspikeAmsAfter", "%.3f", after[1]);
values_put(v, "ADspikeAdamEnd", "%.3f", e[0]);
values_put(v, "ADspikeAmsEnd", "%.3f", e[1]);
values_put(v, "ADspikeBack", "%ld", back);
values_put(v, "ADspikeT", "%ld", pl->toy_steps);

@ Maximizing is checked on the ravine of Chapter~1.  For each adaptive
kind, with weight decay and the variants switched on, one run minimizes
$f$ and another maximizes $-f$, given the gradient of $-f$; the
parameters after every step must be the same bits.
@d n_max_kinds 4
@<Adaptive: functions@>=
static long maximize_check(void)
{
  static const char *const kind[n_max_kinds] = {"adagrad", "rmsprop", "adam", "adamw"};
  struct problem q = problem_ravine(20.0, 1.0);
  long differ = 0;
  for (int k = 0; k < n_max_kinds; k++) {
    struct opt_config c;
    opt_defaults(kind[k], &c);
    c.weight_decay = 0.01; c.centered = true; c.momentum = 0.9; c.amsgrad = true;
    struct optimizer *a = opt_new(kind[k], 2, &c);
    c.maximize = true;
    struct optimizer *b = opt_new(kind[k], 2, &c);
    @<Adaptive: run both for 200 steps and count the steps whose parameters differ@>@;
    opt_free(&a); opt_free(&b);
  }
  return differ;
}

@ The gradient is computed once, in double, at the point of the minimizing run.
@<Adaptive: run both for 200 steps...@>=
float pa[2] = {1.0f, 1.0f}, pb[2] = {1.0f, 1.0f};
for (int s = 0; s < 200; s++) {
  double x[2] = {pa[0], pa[1]}, gd[2];
  problem_eval(&q, x, gd);
  float ga[2] = {(float)gd[0], (float)gd[1]}, gb[2] = {-ga[0], -ga[1]};
  opt_step(a, pa, ga);
  opt_step(b, pb, gb);
  differ += memcmp(pa, pb, sizeof pa) != 0;
}

@ The step after a calm.  One coordinate of Adam at PyTorch's defaults
($\eta=10^{-3}$) sees |calm_steps| zero gradients and then a gradient
of~1; the program measures the move that one gradient causes, in units
of $\eta$, against the bound $(1-\beta_1)/\sqrt{1-\beta_2}$ and against
the exact value with the bias corrections at that step.
@^Adam, step bound@>
@d calm_steps 4999
@<Adaptive: functions@>=
static void step_bound(struct value_file *v)
{
  struct opt_config c;
  opt_defaults("adam", &c);
  struct optimizer *adam = opt_new("adam", 1, &c);
  float p = 0.0f, zero = 0.0f, one = 1.0f;
  for (long t = 0; t < calm_steps; t++) opt_step(adam, &p, &zero);
  float before = p;
  opt_step(adam, &p, &one);
  double step = fabs((double)p - before) / c.lr, T = calm_steps + 1.0;
  double bound = (1.0 - c.beta1) / sqrt(1.0 - c.beta2);
  double exact = (1.0 - c.beta1) / (1.0 - pow(c.beta1, T))
    / sqrt((1.0 - c.beta2) / (1.0 - pow(c.beta2, T)));
  printf("adam step after %d zero gradients: %.4f lr (bound %.4f, exact %.4f)\n",
         calm_steps, step, bound, exact);
  values_put(v, "ADcalmSteps", "%d", calm_steps);
  values_put(v, "ADstepBound", "%.2f", step);
  values_put(v, "ADstepBoundTheory", "%.2f", bound);
  opt_free(&adam);
}

@ The experiment is the three measurements.
@<Adaptive: functions@>=
static void adam_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  bias_curves(o, v);
  step_bound(v);
  amsgrad_spike(o, plan_of(o), v);
  long differ = maximize_check();
  printf("maximize -f against minimize f, 4 kinds x 200 steps: %ld steps differ\n\n",
         differ);
  values_put(v, "ADmaxDiffer", "%ld", differ);
  values_put(v, "ADbiasSteps", "%d", bias_steps);
}

@ Figure~\figref{03-adaptive-amsgrad} shows the spike.
\bookfigure{03-adaptive-amsgrad}{Median effective step of Adam and
AMSGrad ($\eta=10^{-3}$, in units of $\eta$) on coordinates whose
gradients are noise from $N(0,1)$, except at step 2000, where every
gradient is 100.}
Before the spike the two steps are nearly the same,
\val{ADspikeAdamBefore}$\,\eta$ for Adam and \val{ADspikeAmsBefore}$\,\eta$
for AMSGrad, whose maximum sits a little above the fluctuating average.
The spike cuts both to \val{ADspikeAdamAfter}$\,\eta$.  Adam is back within 10\%
of its old step after \val{ADspikeBack} steps; AMSGrad never comes back,
and at step \val{ADspikeT} it still moves at \val{ADspikeAmsEnd}$\,\eta$
against Adam's \val{ADspikeAdamEnd}$\,\eta$.  That is the trade AMSGrad
makes: a step that can never grow again, which is what its convergence
proof needs, paid for by a step that one bad batch can shrink for the
rest of training.  The maximization check found \val{ADmaxDiffer} steps
out of 800 at which minimizing $f$ and maximizing $-f$ gave different
parameters: the sign is applied first, exactly, and everything after it
is the same computation.

@*1 Adam on the ravine.
A claim often made for Adam is that, because it scales every coordinate
separately, the two directions of the ravine converge at the same rate,
so that the condition number that governed Chapter~1 no longer matters.
The argument is short.  On the ravine $f={1\over2}(ax^2+by^2)$ the
gradient is $(ax,by)$.  Adam's step in a coordinate depends on that
coordinate's gradients only through $\hat m/\sqrt{\hat v}$, which does not
change when all of them are multiplied by the same constant (as long as
$\epsilon$ is negligible).  So if $x_0=y_0$, the sequences $x_t$ and $y_t$
obey the same recurrence, one with gradients $a$ times $x_t$ and the other
$b$ times $y_t$, and by induction $x_t=y_t$ at every step: the path runs
straight down the diagonal, whatever $a$ and $b$ are.  In exact
arithmetic and with $\epsilon=0$ the claim is not approximately true but
exactly true.

Three things can break it, and the program measures each.  Rounding: in
|float| the two recurrences are rounded differently, since $20x$ and $y$
are different numbers.  The $\epsilon$: it stops being negligible when a
gradient comes near $10^{-8}$, and a flat direction gets there first.
And the axes: the argument needs the ravine's directions to be the
coordinate axes.  A Hessian that is diagonal in the parameters is a
special case; rotate the ravine by $45^\circ$, so that both coordinates
mix the steep and the flat direction, and the per-coordinate scaling has
nothing to grab.

The experiment runs Adam with $\eta=0.01$ (|rav_lr|) and counts the
steps until the distance to the minimum is at most $10^{-3}$ (|rav_tol|); it runs SGD with
Chapter~1's best fixed rate $\eta^*=2/(a+b)$ for comparison.  The
rotated ravine is $f={1\over2}(au^2+bw^2)$ with $u=(x+y)/\sqrt2$ and
$w=(y-x)/\sqrt2$, started at $(0,\sqrt2)$, which is $(u,w)=(1,1)$, at the
same distance from the minimum as $(1,1)$.
@d rav_lr 0.01
@d rav_tol 1e-3
@d rav_max 1000000
@<Adaptive: functions@>=
static double rotated_eval(const struct problem *p, const double th[2], double g[2])
{
  const double c = sqrt(0.5);
  double u = c * (th[0] + th[1]), w = c * (th[1] - th[0]);
  if (g) {
    g[0] = c * (p->a * u - p->b * w);
    g[1] = c * (p->a * u + p->b * w);
  }
  return 0.5 * (p->a * u * u + p->b * w * w);
}
static struct problem rotated_ravine(double a, double b)
{
  struct problem q = problem_ravine(a, b);
  q.name = "rotated ravine";
  q.eval = rotated_eval;
  return q;
}

@ A run follows one optimizer for at most |steps| steps and notes when
the distance to the minimum, $\vert x\vert$ and $\vert y\vert$ each first
reach |rav_tol| ($-1$ for never), and the largest $\vert x-y\vert$ on the
way.  The parameters and the optimizer's state are |float|, the gradient
is computed in double from them.  When a table is given, every point is
written to it; otherwise the run stops when everything has arrived.
@<Adaptive: types@>=
struct rav_result { long arrive, ax, ay; double maxdiff; };

@ The run itself.
@<Adaptive: functions@>=
static struct rav_result ravine_run(const struct problem *p, const char *kind,
  double lr, const double start[2], long steps, struct tsv *t)
{
  struct opt_config c;
  opt_defaults(kind, &c);
  c.lr = lr;
  struct optimizer *o = opt_new(kind, 2, &c);
  struct rav_result r = @[{-1, -1, -1, 0.0}@];
  float th[2] = {(float)start[0], (float)start[1]};
  for (long s = 0; s <= steps; s++) {
    double x[2] = {th[0], th[1]}, gd[2], dist = hypot(x[0], x[1]);
    @<Adaptive: note the arrivals at step |s|, and stop when all are in@>@;
    problem_eval(p, x, gd);
    float g[2] = {(float)gd[0], (float)gd[1]};
    opt_step(o, th, g);
  }
  opt_free(&o);
  return r;
}

@ A diverging run stops too.
@<Adaptive: note the arrivals at step |s|...@>=
if (t) tsv_row(t, 4, (double[4])@[{(double)s, x[0], x[1], dist}@]);
if (fabs(x[0] - x[1]) > r.maxdiff) r.maxdiff = fabs(x[0] - x[1]);
if (r.arrive < 0 && dist <= rav_tol) r.arrive = s;
if (r.ax < 0 && fabs(x[0]) <= rav_tol) r.ax = s;
if (r.ay < 0 && fabs(x[1]) <= rav_tol) r.ay = s;
if (!isfinite(dist) || (!t && r.arrive >= 0 && r.ax >= 0 && r.ay >= 0)) break;

@ The experiment has three parts: the paths for the figure, on
Chapter~1's ravine with $a=20$, $b=1$; the steps to arrive as the
condition number grows; and the steps to arrive as the whole loss is
scaled down, which tests $\epsilon$.
@<Adaptive: functions@>=
@<Adaptive: the ravine experiment's parts@>@;
static void ravine_experiment(struct chapter *o)
{
  printf("== ravine: Adam (lr %g) and SGD, steps to distance %g\n", rav_lr, rav_tol);
  ravine_paths(o, o->values);
  ravine_condition(o->values);
  ravine_scale(o->values);
  printf("\n");
}

@ The maps are written as in Chapter~1, one row of constant $x$ at a
time, each followed by a blank line.  The paths: Adam from $(1,1)$ on the
ravine and from $(0,\sqrt2)$ on the rotated one, and, for contrast,
Chapter~1's zig-zag of SGD with $\eta=0.095$.
@d grid_n 61
@<Adaptive: the ravine experiment's parts@>=
static void write_grid(const char *dir, const char *name, const struct problem *p)
{
  struct tsv *t = tsv_open(dir, name, "x\ty\tf");
  for (int i = 0; i < grid_n; i++) {
    for (int j = 0; j < grid_n; j++) {
      double th[2] = {-1.5 + 3.0 * i / (grid_n - 1), -0.5 + 2.1 * j / (grid_n - 1)};
      tsv_row(t, 3, (double[3])@[{th[0], th[1], problem_eval(p, th, NULL)}@]);
    }
    tsv_printf(t, "\n");
  }
  tsv_close(t);
}

@ The paths are written in full; the counts come from the same runs.
@<Adaptive: the ravine experiment's parts@>=
static void ravine_paths(const struct chapter *o, struct value_file *v)
{
  struct problem p = problem_ravine(20.0, 1.0), q = rotated_ravine(20.0, 1.0);
  const double one[2] = {1.0, 1.0}, rot[2] = {0.0, sqrt(2.0)};
  write_grid(o->out, "ravine-grid.tsv", &p);
  write_grid(o->out, "rotated-grid.tsv", &q);
  struct tsv *t = tsv_open(o->out, "ravine-adam.tsv", "step\tx\ty\tdist");
  struct rav_result a = ravine_run(&p, "adam", rav_lr, one, 400, t);
  tsv_close(t);
  t = tsv_open(o->out, "rotated-adam.tsv", "step\tx\ty\tdist");
  ravine_run(&q, "adam", rav_lr, rot, 1000, t);
  tsv_close(t);
  t = tsv_open(o->out, "ravine-sgd.tsv", "step\tx\ty\tdist");
  ravine_run(&p, "sgd", 0.095, one, 40, t);
  tsv_close(t);
  printf("a = 20, b = 1: adam arrives after %ld steps (x %ld, y %ld), "@/
         "max |x - y| %.3g\n",
         a.arrive, a.ax, a.ay, a.maxdiff);
  values_put(v, "ADravArrive", "%ld", a.arrive);
  values_sci(v, "ADravMaxDiff", a.maxdiff);
}

@ As the condition number $\kappa=a/b$ grows, with $b=1$, SGD at its best
rate needs about ${\kappa\over2}\ln(\sqrt2/10^{-3})$ steps (Chapter~1);
Adam on the aligned ravine should need the same number at every $\kappa$.
A count of $-1$, more than |rav_max| steps, is printed as a dash.
@d n_kappa 3
@<Adaptive: the ravine experiment's parts@>=
static void count_cell(char *tab, size_t size, long n, const char *sep)
{
  if (n >= 0) appendf(tab, size, "%ld%s", n, sep);
  else appendf(tab, size, "---%s", sep);
}
static void ravine_condition(struct value_file *v)
{
  static const double kappa[n_kappa] = {20.0, 1000.0, 100000.0};
  const double one[2] = {1.0, 1.0}, rot[2] = {0.0, sqrt(2.0)};
  char tab[1024] = "";
  printf("%9s %9s %9s %9s\n", "kappa", "sgd", "adam", "rotated");
  for (int k = 0; k < n_kappa; k++) {
    struct problem p = problem_ravine(kappa[k], 1.0), q = rotated_ravine(kappa[k], 1.0);
    long n[3] = {ravine_run(&p, "sgd", 2.0 / (kappa[k] + 1.0), one, rav_max, NULL).arrive,
      ravine_run(&p, "adam", rav_lr, one, rav_max, NULL).arrive,
      ravine_run(&q, "adam", rav_lr, rot, rav_max, NULL).arrive};
    printf("%9.0f %9ld %9ld %9ld\n", kappa[k], n[0], n[1], n[2]);
    appendf(tab, sizeof tab, "%.0f&", kappa[k]);
    for (int j = 0; j < 3; j++) count_cell(tab, sizeof tab, n[j], j < 2 ? "&" : "\\cr\n");
  }
  values_put(v, "ADkappaTable", "%s", tab);
}

@ Scaling the loss by $s$ scales every gradient by $s$.  Adam should not
notice until $s$ times the gradient nears $\epsilon=10^{-8}$; then the
flat coordinate $y$, whose gradient is 20 times smaller, slows down first.
@d n_scale 4
@<Adaptive: the ravine experiment's parts@>=
static void ravine_scale(struct value_file *v)
{
  static const int scale_exp[n_scale] = {0, 3, 6, 9};
  const double one[2] = {1.0, 1.0};
  char tab[1024] = "";
  printf("%9s %9s %9s %12s\n", "scale", "x", "y", "max |x - y|");
  for (int k = 0; k < n_scale; k++) {
    double s = pow(10.0, -scale_exp[k]);
    struct problem p = problem_ravine(20.0 * s, s);
    struct rav_result r = ravine_run(&p, "adam", rav_lr, one, rav_max, NULL);
    printf("%9.0e %9ld %9ld %12.3g\n", s, r.ax, r.ay, r.maxdiff);
    char sci[32];
    if (scale_exp[k] == 0) appendf(tab, sizeof tab, "1&");
    else appendf(tab, sizeof tab, "$10^{-%d}$&", scale_exp[k]);
    count_cell(tab, sizeof tab, r.ax, "&");
    count_cell(tab, sizeof tab, r.ay, "&");
    appendf(tab, sizeof tab, "$%s$\\cr\n", sci_text(sci, sizeof sci, r.maxdiff));
  }
  values_put(v, "ADscaleTable", "%s", tab);
}

@ Figure~\figref{03-adaptive-ravine} shows the paths.
\bookfigure{03-adaptive-ravine}{Left: the ravine ${1\over2}(20x^2+y^2)$
with Adam ($\eta=0.01$) from $(1,1)$, a circle every tenth step, and SGD
($\eta=0.095$) zig-zagging for 40 steps.  Right: the same ravine turned by
$45^\circ$, with Adam from $(0,\sqrt2)$, a circle every tenth step.}
On the aligned ravine the claim held as well as |float| allows: Adam's
path is the diagonal, the largest difference between $x_t$ and $y_t$ in
400 steps was $\val{ADravMaxDiff}$, and the two coordinates came within
$10^{-3}$ of zero at the same step (the first row of
Table~\tableref{03-scale}), the distance after \val{ADravArrive} steps.
Table~\tableref{03-kappa} gives the steps to arrive as the condition
number grows.
\booktable{03-kappa}{Steps until the distance to the minimum is at most
$10^{-3}$ on the ravine ${1\over2}(\kappa x^2+y^2)$: SGD at its best
fixed rate $\eta^*=2/(\kappa+1)$ and Adam ($\eta=0.01$) from $(1,1)$,
and Adam on the ravine turned by $45^\circ$, from $(0,\sqrt2)$.  A dash:
more than $10^6$ steps.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
$\kappa$&SGD, $\eta^*$&Adam&Adam, rotated\cr
\noalign{\smallskip\hrule\smallskip}
\ADkappaTable}}}
\noindent
Adam's count does not depend on $\kappa$ at all on the aligned ravine.
That is not the same as being fast: at $\kappa=20$ SGD with its best rate
arrives first, because Adam's step is about $\eta$ long wherever the
point is, so from a distance of $\sqrt2$ it needs on the order of
$\sqrt2/\eta$ steps however easy the problem.  (This is also half an
answer to the question Chapter~2 left open, why Adam's 300-step loss on
this ravine hardly depends on $\eta$: Adam does not see the steep
direction as steep, so no stability limit $2/\lambda_{\max}$ ties its
rate down, and $\eta$ mostly sets how long the approach takes.)
Turned by $45^\circ$, the same ravine costs Adam several times as many
steps already at $\kappa=20$, and the count grows with $\kappa$, more
slowly than SGD's but steadily: per-coordinate scaling is not curvature,
and a ravine that lies across the axes defeats it.  Scaling the whole
loss down tests $\epsilon$ (Table~\tableref{03-scale}).
\booktable{03-scale}{Adam ($\eta=0.01$) on the ravine
${1\over2}(20x^2+y^2)$ from $(1,1)$, with the whole loss multiplied by a
scale: the steps until $\vert x\vert$ and $\vert y\vert$ each first
reach $10^{-3}$, and the largest $\vert x-y\vert$ on the way.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
loss scale&steps, $x$&steps, $y$&largest $\vert x-y\vert$\cr
\noalign{\smallskip\hrule\smallskip}
\ADscaleTable}}}
\noindent
Adam is blind to the scale of the loss until the gradients near
$\epsilon$; from there on the flat coordinate falls behind, and the two
directions no longer converge at the same rate.  In real networks the
loss is not a rotated or an aligned ravine but something in between, and
the honest summary is that Adam removes the part of the ill-conditioning
that lies along the coordinate axes, and only that part.

@ Five optimizers on one surface show in one picture what the chapter
has said of each.  The {\it paths\/} experiment runs the library's SGD,
SGD with momentum, Adagrad, RMSprop and Adam from Chapter~1's start
$(-1.2,1)$ on Rosenbrock's function $(1-x)^2+100(y-x^2)^2$, whose
minimum $(1,1)$ lies at the end of a curved, flat-bottomed valley, for
|paths_steps| steps each, with the rates in the table |paths_cfg|:
SGD's $\eta=10^{-3}$ is Chapter~1's, half its stability limit at the
minimum; momentum keeps that step with $\mu=0.9$; the three adaptive
methods take steps of a size set by $\eta$ alone, and are given rates
that make that step a few hundredths.  Each path goes to
\.{paths-NAME.tsv}, the surface to \.{paths-grid.tsv}, and the distance
from $(1,1)$ after the last step to the report.
@^Rosenbrock's function@>
@d paths_steps 1000
@d n_paths 5
@<Adaptive: functions@>=
static const struct {
  const char *name, *kind;
  double lr, momentum;
} paths_cfg[n_paths] = {@/
  @[{"sgd", "sgd", 1e-3, 0.0}@],@/
  @[{"momentum", "sgd", 1e-3, 0.9}@],@/
  @[{"adagrad", "adagrad", 0.5, 0.0}@],@/
  @[{"rmsprop", "rmsprop", 0.01, 0.0}@],@/
  @[{"adam", "adam", 0.05, 0.0}@]};
static void paths_experiment(struct chapter *o)
{
  struct problem rb = problem_rosenbrock(1.0, 100.0);
  write_grid(o->out, "paths-grid.tsv", &rb);
  printf("== paths: %d steps on Rosenbrock's function from (-1.2, 1)\n", paths_steps);
  for (int k = 0; k < n_paths; k++) {
    @<Adaptive: run optimizer |k| of the paths, writing its path@>@;
  }
  printf("\n");
}

@ The iterate and the state are |float|, as in the ravine's runs; every
step's point is written.
@<Adaptive: run optimizer |k| of the paths...@>=
char name[64];
snprintf(name, sizeof name, "paths-%s.tsv", paths_cfg[k].name);
struct tsv *t = tsv_open(o->out, name, "step\tx\ty\tf");
struct opt_config c;
opt_defaults(paths_cfg[k].kind, &c);
c.lr = paths_cfg[k].lr;
c.momentum = paths_cfg[k].momentum;
struct optimizer *op = opt_new(paths_cfg[k].kind, 2, &c);
float th[2] = {-1.2f, 1.0f};
double x[2] = {th[0], th[1]}, gd[2], fx = 0.0;
for (int s = 0; s <= paths_steps; s++) {
  x[0] = th[0]; x[1] = th[1];
  fx = problem_eval(&rb, x, gd);
  tsv_row(t, 4, (double[4])@[{(double)s, x[0], x[1], fx}@]);
  float g[2] = {(float)gd[0], (float)gd[1]};
  if (s < paths_steps) opt_step(op, th, g);
}
opt_free(&op);
tsv_close(t);
double dist = hypot(x[0] - 1.0, x[1] - 1.0);
printf("%-9s lr %-6g f %.3g, distance to (1, 1) %.3f\n", paths_cfg[k].name,
       paths_cfg[k].lr, fx, dist);
char key[32];
snprintf(key, sizeof key, "ADpath%c%s", paths_cfg[k].name[0] - 'a' + 'A',
         paths_cfg[k].name + 1);
values_put(o->values, key, "%.2f", dist);

@ Figure~\figref{03-adaptive-paths} shows the five paths.  All of them
fall into the valley within a few dozen steps; what separates them is
the walk along its floor, where the gradient is small and points
mostly across the valley.  After 1000
steps the distances from the minimum are \val{ADpathSgd} for SGD,
which has crept only to the valley's bend; \val{ADpathAdagrad} for
Adagrad, whose step has died away as its sum of squares grew;
\val{ADpathRmsprop} for RMSprop and \val{ADpathAdam} for Adam, whose
steps keep their size in the flat valley because they are divided by
the gradient's own recent size; and \val{ADpathMomentum} for SGD with
momentum, whose buffer adds up the small gradients along the floor.
The ranking belongs to these rates and this surface, not to the
methods: the picture shows the shapes of the paths, not a contest.
\bookfigure{03-adaptive-paths}{Five optimizers of the library, 1000
steps each from $(-1.2,1)$ on Rosenbrock's function
$(1-x)^2+100(y-x^2)^2$; a mark every 100 steps.  SGD ($\eta=10^{-3}$)
crawls along the valley; momentum ($\eta=10^{-3}$, $\mu=0.9$) overshoots
at first and then runs down the floor to the minimum (cross);
Adagrad ($\eta=0.5$) first jumps up the wall and then slows as its
accumulator grows; RMSprop ($\eta=0.01$) and Adam ($\eta=0.05$) keep a
steady pace along the floor.}

@*1 Weight decay: Adam with $L_2$ against AdamW.
For SGD, ``$L_2$ regularization'' and ``weight decay'' are two names for
one thing.  Adding ${\lambda\over2}\Vert\theta\Vert^2$ to the loss adds
$\lambda\theta$ to the gradient, and the step
$\theta-\eta(g+\lambda\theta)=(1-\eta\lambda)\theta-\eta g$ shrinks every
weight by the same factor $1-\eta\lambda$ before the gradient step.  For
Adam they differ, as Loshchilov and Hutter (2019) pointed out.  Added to
the gradient, $\lambda\theta$ goes into both averages and comes out
divided by $\sqrt{\hat v}$: roughly, the decay a weight receives per step
is
$${\eta\lambda\theta\over\sqrt{\hat v}+\epsilon},\qquad
\hat v\approx\sigma^2+\lambda^2\theta^2,$$
where $\sigma$ is the root mean square of the weight's own gradient.
Relative to the uniform $\eta\lambda\theta$ of SGD, the decay is divided by
$\sqrt{\sigma^2+\lambda^2\theta^2}$.  Where the gradients are large it is
weakened, so the weights that the data push hardest are the least
regularized; where they are small it is amplified, up to a step of
about $\eta$, Adam's typical step.

AdamW {\it decouples\/} the decay: it leaves the gradient alone and
shrinks the weights directly, $\theta\gets(1-\eta\lambda)\theta$, before
the Adam step, so that every weight is decayed alike.  PyTorch multiplies
$\lambda$ by the learning rate, as SGD does.  The paper multiplies it
only by the schedule's factor, so PyTorch's |weight_decay| is the paper's
$\lambda$ divided by the base rate.  Note also that AdamW's default
$\lambda$ is $10^{-2}$ where Adam's is zero.

The prediction has a corollary the tutorials rarely mention.  ``Equal
$\lambda$'' does not mean equal regularization: the two agree only for a
weight whose gradients have $\sigma\approx1$.  In a network, most
gradients are far smaller than one, so at the same $\lambda$ Adam with
$L_2$ decays much {\it harder\/} than AdamW.

@ The effective decay is measured on toy coordinates first.  Each group
of |pl->coords| coordinates has gradients of one scale~$\sigma$, noise
from $N(0,\sigma^2)$, for thirteen scales from $10^{-5}$ to 10, half a
decade apart; every coordinate starts at $\theta=1$.  Five optimizers
with $\eta=10^{-3}$ see the same noise for |decay_T| steps: Adam without
decay, and Adam with $L_2$ and AdamW at $\lambda=10^{-2}$ and at
$\lambda=10^{-4}$.  The gradient does not depend on $\theta$, so whatever
separates a decayed run from the undecayed one is the decay.  The program
divides that separation by the decay AdamW's rule would apply to the
decayed run's own weights, $\sum_t\eta\lambda\theta_t$: the ratio is 1
for AdamW by construction, and the theory says
$1/\sqrt{\sigma^2+\lambda^2}$ for Adam with $L_2$ near $\theta=1$.
@d n_sigma 13
@d decay_T 100
@d decay_lr 1e-3
@<Adaptive: functions@>=
static const double decay_lambda[2] = {1e-2, 1e-4};
static double sigma_of(int j) { return pow(10.0, 0.5 * (j - 10)); }
static struct optimizer *decay_optimizer(int k, size_t n)
{
  const char *kind = k > 0 && k % 2 == 0 ? "adamw" : "adam";
  struct opt_config c;
  opt_defaults(kind, &c);
  c.lr = decay_lr;
  c.weight_decay = k == 0 ? 0.0 : decay_lambda[(k - 1) / 2];
  return opt_new(kind, n, &c);
}

@ Optimizer 0 has no decay; 1 and 2 are Adam with $L_2$ and AdamW at the
first $\lambda$, 3 and 4 at the second.  |nominal| accumulates
$\eta\lambda\theta_t$ for each decayed run.
@<Adaptive: functions@>=
static void decay_toy(const struct chapter *o, const struct ad_plan *pl,
  struct value_file *v)
{
  size_t per = pl->coords, n = n_sigma * per;
  struct optimizer *opt[5];
  float *p[5], *g = vec_new(n);
  double *nominal = xcalloc(5 * n, sizeof(double));
  for (int k = 0; k < 5; k++) {
    opt[k] = decay_optimizer(k, n);
    p[k] = vec_new(n);
    vec_fill(p[k], n, 1.0f);
  }
  struct rng r;
  rng_seed(&r, o->seed, 5);
  for (int s = 0; s < decay_T; s++) {
    for (size_t i = 0; i < n; i++) g[i] = (float)(sigma_of((int)(i / per)) * rng_normal(&r));
    for (int k = 1; k < 5; k++)
      for (size_t i = 0; i < n; i++)
        nominal[k * n + i] += decay_lr * decay_lambda[(k - 1) / 2] * p[k][i];
    for (int k = 0; k < 5; k++) opt_step(opt[k], p[k], g);
  }
  @<Adaptive: compare the separations with the nominal decay, group by group@>@;
  for (int k = 0; k < 5; k++) { opt_free(&opt[k]); vec_free(&p[k]); }
  vec_free(&g); free(nominal);
}

@ One row per scale $\sigma$: for each $\lambda$, the measured ratio for
Adam with $L_2$, for AdamW, and the prediction.
@<Adaptive: compare the separations...@>=
struct tsv *t = tsv_open(o->out, "decay-toy.tsv",
  "sigma\tltwoA\tadamwA\ttheoryA\tltwoB\tadamwB\ttheoryB");
double wsum[2] = {0.0, 0.0}, ratio[n_sigma][5];
printf("== decay: decay received / nominal decay, lr %g, %d steps\n", decay_lr, decay_T);
printf("%8s %10s %10s %10s %10s %10s %10s\n", "", "lambda", "1e-2", "", "",
       "lambda", "1e-4");
printf("%8s %10s %10s %10s %10s %10s %10s\n", "sigma", "adam+L2", "adamw", "theory",
       "adam+L2", "adamw", "theory");
for (int j = 0; j < n_sigma; j++) {
  double row[7] = {sigma_of(j)};
  for (int k = 1; k < 5; k++) {
    double sep = 0.0, nom = 0.0;
    for (size_t i = (size_t)j * per; i < (size_t)(j + 1) * per; i++) {
      sep += p[0][i] - p[k][i];
      nom += nominal[k * n + i];
    }
    ratio[j][k] = sep / nom;
  }
  @<Adaptive: fill, write and print the row of scale |j|@>@;
}
tsv_close(t);
@<Adaptive: quote the toy decays@>@;

@ The AdamW ratios should not depend on $\sigma$; their mean is kept.
@<Adaptive: fill, write and print the row of scale |j|@>=
for (int h = 0; h < 2; h++) {
  double lam = decay_lambda[h];
  row[1 + 3 * h] = ratio[j][1 + 2 * h];
  row[2 + 3 * h] = ratio[j][2 + 2 * h];
  row[3 + 3 * h] = 1.0 / sqrt(row[0] * row[0] + lam * lam);
  wsum[h] += row[2 + 3 * h];
}
tsv_row(t, 7, row);
printf("%8.2g %10.4g %10.6f %10.4g %10.4g %10.6f %10.4g\n", row[0], row[1], row[2],
       row[3], row[4], row[5], row[6]);

@ The text quotes four scales at the larger $\lambda$.
@<Adaptive: quote the toy decays@>=
values_put(v, "ADdecayTiny", "%.0f", ratio[0][1]);
values_put(v, "ADdecayMilli", "%.0f", ratio[4][1]);
values_put(v, "ADdecayOne", "%.2f", ratio[10][1]);
values_put(v, "ADdecayTen", "%.3f", ratio[12][1]);
values_put(v, "ADdecayTinyB", "%.0f", ratio[0][3]);
for (int h = 0; h < 2; h++) {
  double lr_wd = decay_lr * decay_lambda[h];
  double rounded = (1.0 - (double)(float)(1.0 - lr_wd)) / lr_wd;
  printf("adamw, lambda %g: mean ratio %.6f; 1 - (float)(1 - lr wd) is %.6f lr wd\n",
         decay_lambda[h], wsum[h] / n_sigma, rounded);
  values_put(v, h ? "ADdecayWB" : "ADdecayWA", "%.4f", wsum[h] / n_sigma);
  values_put(v, h ? "ADroundB" : "ADroundA", "%.4f", rounded);
}
printf("\n");

@ Figure~\figref{03-adaptive-decay} shows the toy measurement.
\bookfigure{03-adaptive-decay}{The decay that a weight receives per step
from Adam with $L_2$ (dots for $\lambda=10^{-2}$, squares for $10^{-4}$) and
from AdamW (crosses for $10^{-2}$, stars for $10^{-4}$), divided by AdamW's
nominal $\eta\lambda\theta$, against the scale $\sigma$ of the weight's
gradients.  Lines: $1/\sqrt{\sigma^2+\lambda^2}$, solid for
$\lambda=10^{-2}$, dashed for $10^{-4}$.}
The prediction holds over six decades of $\sigma$.  At $\lambda=10^{-2}$
a weight whose gradients have $\sigma=1$ receives \val{ADdecayOne} of
AdamW's decay and one with $\sigma=10$ only \val{ADdecayTen}, so there the
claim is right: large gradients weaken the decay.  But a weight with
$\sigma=10^{-3}$ receives \val{ADdecayMilli} times AdamW's decay, and
one with $\sigma=10^{-5}$ \val{ADdecayTiny} times, where the plateau at
$1/\lambda$ is reached: the decay term itself dominates $\hat v$, and
Adam takes a step of about $\eta$ toward zero.  At $\lambda=10^{-4}$ the
plateau moves up to \val{ADdecayTinyB}.  AdamW gives the same decay to
every weight, whatever its gradients, but not quite the nominal one: its
ratio is \val{ADdecayWA} at $\lambda=10^{-2}$ and \val{ADdecayWB} at
$\lambda=10^{-4}$.  The factor $1-\eta\lambda$ is rounded to |float|
before it multiplies, as in PyTorch, and near one the floats are
$2^{-24}$ apart.  With $\eta\lambda=10^{-7}$ the nearest float is
$1-2\cdot2^{-24}$, which decays by \val{ADroundB} times the intended
amount, and with $\eta\lambda=10^{-5}$ the rounding makes it
\val{ADroundA} times; the measured ratios are these, up to the rounding
of the products themselves.  A decay
per step below about $3\cdot10^{-8}$ would round to no decay at all.

@ Now a real model.  Networks are trained with Adam ($\eta=10^{-3}$) and
$L_2$, and with AdamW at the same $\lambda$, for three values of $\lambda$
and \val{ADseeds} seeds each, plus Adam without any decay; every seed
gives the same initial weights and the same batches to every setting.
The program reports the Euclidean norm of all the parameters and the
test accuracy at the end, as mean and standard deviation over the seeds.
It also reads, out of the first seed's Adam-with-$L_2$ run at
$\lambda=10^{-2}$, the factor $1/(\sqrt{\hat v}+\epsilon)$ that divides
the decay of each first-layer weight at the end of training.
@d n_lambda 3
@<Adaptive: functions@>=
static const double mlp_lambda[n_lambda] = {1e-3, 1e-2, 1e-1};
@<Adaptive: summarize the decay runs@>@;
static void decay_mlp(const struct chapter *o, const struct ad_plan *pl,
  struct value_file *v, const struct ad_data *d)
{
  const int S = pl->seeds, per = 1 + 2 * n_lambda;
  struct ad_run *run = xcalloc((size_t)(S * per), sizeof *run);
  struct rng r;
  rng_seed(&r, o->seed, 6);
  for (int s = 0; s < S; s++) {
    uint64_t seed = rng_u64(&r);
    run[s * per] = new_run("adam", 1e-3, 0.0, seed);
    for (int l = 0; l < n_lambda; l++) {
      run[s * per + 1 + 2 * l] = new_run("adam", 1e-3, mlp_lambda[l], seed);
      run[s * per + 2 + 2 * l] = new_run("adamw", 1e-3, mlp_lambda[l], seed);
    }
  }
  note("decay: %d networks, %zu steps each", S * per, run_steps(d, pl));
  run_all(d, pl, run, (size_t)(S * per));
  decay_mlp_report(o, pl, v, d, run);
  free(run);
}

@ Setting |j| of seed |s| is |run[s * per + j]|; setting 0 is the
undecayed baseline, $2l+1$ and $2l+2$ are Adam with $L_2$ and AdamW at
$\lambda_l$.  A cell of the table is a mean and a standard deviation.
@<Adaptive: summarize the decay runs@>=
static void summarize(const struct ad_run *run, int S, int per, int j,
  double stat[4])
{
  double norm[16], acc[16];
  for (int s = 0; s < S; s++) {
    norm[s] = run[s * per + j].norm;
    acc[s] = 100.0 * run[s * per + j].test_acc;
  }
  struct spread a = spread_of(norm, (size_t)S), b = spread_of(acc, (size_t)S);
  stat[0] = a.mean; stat[1] = a.sd; stat[2] = b.mean; stat[3] = b.sd;
}
static void pm_cell(char *tab, size_t size, const double *stat, const char *sep)
{
  appendf(tab, size, "%.2f$\\pm$%.2f&%.2f$\\pm$%.2f%s",
           stat[0], stat[1], stat[2], stat[3], sep);
}

@ The report prints one line per $\lambda$ and builds the same table for
the text.
@<Adaptive: summarize the decay runs@>=
static void decay_mlp_report(const struct chapter *o, const struct ad_plan *pl,
  struct value_file *v, const struct ad_data *d, const struct ad_run *run)
{
  const int S = pl->seeds, per = 1 + 2 * n_lambda;
  double base[4], a[4], w[4];
  char tab[2048] = "";
  struct tsv *t = tsv_open(o->out, "decay-mlp.tsv",
    "lambda\tltwo_norm\tltwo_acc\tadamw_norm\tadamw_acc");
  summarize(run, S, per, 0, base);
  printf("%zu-parameter networks, %d seeds: |theta| and test accuracy (%%)\n",
         run_params(d), S);
  printf("no decay: %.2f +- %.2f, %.2f +- %.2f\n", base[0], base[1], base[2], base[3]);
  snprintf(tab, sizeof tab, "0&");
  pm_cell(tab, sizeof tab, base, "&");
  pm_cell(tab, sizeof tab, base, "\\cr\n");
  for (int l = 0; l < n_lambda; l++) {
    @<Adaptive: print and tabulate the runs at $\lambda_l$@>@;
  }
  tsv_close(t);
  @<Adaptive: quote the decay runs@>@;
}

@ Each $\lambda$ gives one row of the table and of the file.
@<Adaptive: print and tabulate the runs at $\lambda_l$@>=
summarize(run, S, per, 1 + 2 * l, a);
summarize(run, S, per, 2 + 2 * l, w);
printf("lambda %g: adam+L2 %.2f +- %.2f, %.2f +- %.2f; "@/
       "adamw %.2f +- %.2f, %.2f +- %.2f\n",
       mlp_lambda[l], a[0], a[1], a[2], a[3], w[0], w[1], w[2], w[3]);
tsv_row(t, 5, (double[5])@[{mlp_lambda[l], a[0], a[2], w[0], w[2]}@]);
appendf(tab, sizeof tab, "$10^{%d}$&", (int)lround(log10(mlp_lambda[l])));
pm_cell(tab, sizeof tab, a, "&");
pm_cell(tab, sizeof tab, w, "\\cr\n");

@ The quantiles were computed by the run itself; see |train|.  The last
number is the most that AdamW's decay could have removed from a weight in
a run of this length at the largest $\lambda$, $1-(1-\eta\lambda)^T$.
@<Adaptive: quote the decay runs@>=
const struct ad_run *q = &run[3];
printf("adam+L2 at lambda %g: decay factor 1/(sqrt(vhat)+eps), first layer: "@/
       "10%% %.3g, median %.3g, 90%% %.3g\n\n", q->c.weight_decay,
       q->decay_q[0], q->decay_q[1], q->decay_q[2]);
values_put(v, "ADdecayTable", "%s", tab);
values_put(v, "ADseeds", "%d", S);
values_put(v, "ADqLow", "%.0f", q->decay_q[0]);
values_put(v, "ADqMid", "%.0f", q->decay_q[1]);
values_put(v, "ADqHigh", "%.0f", q->decay_q[2]);
values_put(v, "ADwMax", "%.1f", 100.0 * (1.0 - pow(1.0 - 1e-3 * mlp_lambda[n_lambda - 1],
  (double)run_steps(d, pl))));

@ The experiment is the toy measurement and the networks.
@<Adaptive: functions@>=
static void decay_experiment(struct chapter *o)
{
  const struct ad_data d = split_data(o);
  decay_toy(o, plan_of(o), o->values);
  decay_mlp(o, plan_of(o), o->values, &d);
}

@ Table~\tableref{03-decay} shows the networks after \val{ADmlpSteps}
steps with $\eta=10^{-3}$: the norm of all parameters, and the test
accuracy in percent.
\booktable{03-decay}{Adam with $L_2$ and AdamW ($\eta=10^{-3}$) on
Fashion-MNIST after \val{ADmlpSteps} steps, at three values of $\lambda$
and without decay: the Euclidean norm of all the parameters and the test
accuracy in percent, mean and standard deviation over \val{ADseeds} seeds.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
&\multispan2\hfil Adam with $L_2$\hfil\quad&\multispan2\hfil AdamW\hfil\cr
$\lambda$&$\Vert\theta\Vert$&accuracy&$\Vert\theta\Vert$&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\ADdecayTable}}}
\noindent
The first row is Adam without decay, repeated in both columns.  At equal
$\lambda$ the two methods are different regularizers by orders of
magnitude, in the direction the toy predicted.  Adam with $L_2$ shrinks
the weights hard already at $\lambda=10^{-3}$ and ruins the network at
$\lambda=10^{-1}$; AdamW barely moves them, because in
\val{ADmlpSteps} steps its factor $1-\eta\lambda$ can remove at most
\val{ADwMax}\% of a weight even at $\lambda=10^{-1}$.  Inside the
network, the factor $1/(\sqrt{\hat v}+\epsilon)$ that multiplies the
$L_2$ decay of a first-layer weight at $\lambda=10^{-2}$ was
\val{ADqLow} at the 10th percentile, \val{ADqMid} at the median and
\val{ADqHigh} at the 90th: no weight received the nominal decay, and the
spread between weights is large, the decoupling argument in numbers.
What Table~\tableref{03-decay} does not show is that either method is better: it shows
that $\lambda$ means something different in each, so that a $\lambda$
tuned for one says nothing about the other, and that AdamW's $\lambda$
must be much larger (or the run much longer) to matter.

@*1 Memory.
An optimizer's state costs memory, and for large models it is the state,
not the arithmetic, that decides what fits on a device.  In single
precision every parameter costs four bytes for the weight and four for
its gradient; SGD needs nothing more, momentum adds a buffer, Adagrad and
plain RMSprop one average, Adam two ($m$ and $v$), AMSGrad three.  The
familiar figure for Adam is therefore
$$4+4+4+4=16\hbox{ bytes per parameter,}$$
twice SGD's eight.  The program counts the state vectors of real
optimizers with |opt_nstate| and prints the memory for the models of
this book so far: Chapter~1's softmax regression (784--10), the network
of this chapter (784--128--10), and one twice as wide (784--256--10).  Activations,
which depend on the batch size, come on top and are not counted.
@d n_models 3
@d n_memo 4
@<Adaptive: functions@>=
static size_t state_vectors(const char *kind, double momentum, bool amsgrad)
{
  struct opt_config c;
  opt_defaults(kind, &c);
  c.lr = 0.1;
  c.momentum = momentum;
  c.amsgrad = amsgrad;
  struct optimizer *o = opt_new(kind, 1, &c);
  size_t k = opt_nstate(o);
  opt_free(&o);
  return k;
}

@ The parameter counts come from the library's |mlp|; the bytes are
$4n(2+k)$ for $k$ state vectors, printed in kilobytes of 1000 bytes.
@<Adaptive: functions@>=
static void memory_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  static const size_t sizes[n_models][3] = {{784, 10, 0}, {784, 128, 10}, {784, 256, 10}};
  static const size_t layers[n_models] = {1, 2, 2};
  size_t k[n_memo] = {state_vectors("sgd", 0.0, false), state_vectors("sgd", 0.9, false),
    state_vectors("adam", 0.0, false), state_vectors("adam", 0.0, true)};
  char tab[1024] = "";
  printf("== memory: weights, gradients and optimizer state, float32, kB\n");
  printf("%-14s %9s %9s %9s %9s %9s\n",@/
         "model", "params", "sgd", "momentum",
         "adam", "amsgrad");
  for (int j = 0; j < n_models; j++) {
    @<Adaptive: count the parameters of model |j| and print its row@>@;
  }
  printf("bytes per parameter: %zu %zu %zu %zu\n\n", 4 * (2 + k[0]), 4 * (2 + k[1]),
         4 * (2 + k[2]), 4 * (2 + k[3]));
  values_put(v, "ADmemTable", "%s", tab);
  values_put(v, "ADbytesSgd", "%zu", 4 * (2 + k[0]));
  values_put(v, "ADbytesMomentum", "%zu", 4 * (2 + k[1]));
  values_put(v, "ADbytesAdam", "%zu", 4 * (2 + k[2]));
  values_put(v, "ADbytesAms", "%zu", 4 * (2 + k[3]));
  values_put(v, "ADbillionAdam", "%zu", 4 * (2 + k[2]));
  values_put(v, "ADsevenAdam", "%zu", 7 * 4 * (2 + k[2]));
}

@ The model's name is its list of widths.
@<Adaptive: count the parameters of model |j|...@>=
struct mlp *m = mlp_new(layers[j], sizes[j]);
size_t n = m->nparams;
mlp_free(&m);
char name[32] = "", *e = name;
for (size_t l = 0; l <= layers[j]; l++)
  e += snprintf(e, sizeof name - (size_t)(e - name), "%s%zu", l ? "-" : "", sizes[j][l]);
printf("%-14s %9zu", name, n);
appendf(tab, sizeof tab, "%s&%zu", name, n);
for (int c = 0; c < n_memo; c++) {
  double kb = 4.0 * (double)n * (double)(2 + k[c]) / 1000.0;
  printf(" %9.1f", kb);
  appendf(tab, sizeof tab, "&%.1f", kb);
}
printf("\n");
appendf(tab, sizeof tab, "\\cr\n");

@ Table~\tableref{03-memory} gives the memory, in kilobytes.
\booktable{03-memory}{Memory for the weights, their gradients and the
optimizer's state, in single precision, in kilobytes of 1000 bytes, for
Chapter~1's softmax regression and two perceptrons; activations are not
counted.  The last row: bytes per parameter.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
model&parameters&SGD&momentum&Adam&AMSGrad\cr
\noalign{\smallskip\hrule\smallskip}
\ADmemTable
bytes per parameter&&\ADbytesSgd&\ADbytesMomentum&\ADbytesAdam&\ADbytesAms\cr}}}
\noindent
For this book's models the numbers are small; the ratio is what
scales.  A model with a billion parameters needs \val{ADbillionAdam}\,GB
to be trained with Adam in single precision before a single activation is
stored, and a seven-billion-parameter model \val{ADsevenAdam}\,GB: more than
the 80\,GB of an NVIDIA H100, and most of the 141\,GB of an H200, before
the activations.  That is why the state is often kept in lower precision,
split across devices, or replaced by cheaper optimizers; Chapter~6 takes
up the precision, and Chapter~7 both the splitting (ZeRO) and an
optimizer with one state vector instead of two (Lion).

@*1 Generalization: momentum against Adam.
Wilson et~al.\ (2017) reported that adaptive methods reach solutions
that generalize worse than those of SGD with momentum, on image
classification among other tasks, even when they fit the training data
as well or better; the claim has been repeated ever since, often without
its conditions.  Choi et~al.\ (2019) then showed that such comparisons
depend heavily on how the hyperparameters are tuned, and that with
enough tuning Adam never did worse than momentum in their experiments.
A fair small test therefore tunes each method's learning rate, on data
that the final score does not see, and then compares over several seeds.

Here: the validation set is the last \val{ADvalN} images of the training
file, never trained on; each method's learning rate is chosen from four
values by validation accuracy after one run; then \val{ADseeds} fresh
seeds train each method at its chosen rate, and the test set scores them.
Momentum is $\mu=0.9$; Adam has its defaults apart from $\eta$.  The
seeds are shared, so that seed $s$ gives both methods the same initial
weights and batches, and the difference can be taken seed by seed.
@d n_sweep 4
@<Adaptive: functions@>=
static const double sweep_lr[2][n_sweep] = {@[{0.01, 0.03, 0.1, 0.3}@],
  @[{3e-4, 1e-3, 3e-3, 1e-2}@]};
static struct ad_run gen_run(int which, double lr, uint64_t seed)
{
  struct ad_run r = new_run(which == 0 ? "sgd" : "adam", lr, 0.0, seed);
  if (which == 0) r.c.momentum = 0.9;
  r.all_sets = true;
  return r;
}

@ The sweep runs first, all eight networks in parallel, then the final
runs.  A tie in validation accuracy goes to the smaller rate.
@<Adaptive: functions@>=
@<Adaptive: report the generalization runs@>@;
static void generalize_experiment(struct chapter *o)
{
  const struct ad_plan *pl = plan_of(o);
  const struct ad_data data = split_data(o), *d = &data;
  const int S = pl->seeds;
  struct rng r;
  rng_seed(&r, o->seed, 7);
  uint64_t tune = rng_u64(&r), seed[16];
  for (int s = 0; s < S; s++) seed[s] = rng_u64(&r);
  struct ad_run sweep[2 * n_sweep], fin[32];
  for (int w = 0; w < 2; w++)
    for (int k = 0; k < n_sweep; k++) sweep[w * n_sweep + k] = gen_run(w, sweep_lr[w][k], tune);
  note("generalize: %d networks for the learning rates", 2 * n_sweep);
  run_all(d, pl, sweep, 2 * n_sweep);
  int best[2] = {0, 0};
  for (int w = 0; w < 2; w++)
    for (int k = 1; k < n_sweep; k++)
      if (sweep[w * n_sweep + k].val_acc > sweep[w * n_sweep + best[w]].val_acc) best[w] = k;
  for (int w = 0; w < 2; w++)
    for (int s = 0; s < S; s++) fin[w * S + s] = gen_run(w, sweep_lr[w][best[w]], seed[s]);
  note("generalize: %d networks at the chosen rates", 2 * S);
  run_all(d, pl, fin, (size_t)(2 * S));
  generalize_report(o, pl, o->values, d, sweep, best, fin);
}

@ The report has two tables: the sweep, with validation accuracy, and
the final runs, with training, validation and test accuracy and the
difference in test accuracy, Adam minus momentum, seed by seed.
@<Adaptive: report the generalization runs@>=
static void generalize_report(const struct chapter *o, const struct ad_plan *pl,
  struct value_file *v, const struct ad_data *d, const struct ad_run *sweep,
  const int best[2], const struct ad_run *fin)
{
  const int S = pl->seeds;
  char tab[1024] = "";
  @<Adaptive: write and print the sweep@>@;
  double stat[2][6], diff[16], dm, ds;
  for (int w = 0; w < 2; w++) {
    double tr[16], va[16], te[16];
    for (int s = 0; s < S; s++) {
      tr[s] = 100.0 * fin[w * S + s].train_acc;
      va[s] = 100.0 * fin[w * S + s].val_acc;
      te[s] = 100.0 * fin[w * S + s].test_acc;
    }
    struct spread a = spread_of(tr, (size_t)S), b = spread_of(va, (size_t)S),@/
      c = spread_of(te, (size_t)S);
    stat[w][0] = a.mean; stat[w][1] = a.sd; stat[w][2] = b.mean;
    stat[w][3] = b.sd; stat[w][4] = c.mean; stat[w][5] = c.sd;
  }
  for (int s = 0; s < S; s++) diff[s] = 100.0 * (fin[S + s].test_acc - fin[s].test_acc);
  struct spread dd = spread_of(diff, (size_t)S);
  dm = dd.mean; ds = dd.sd;
  @<Adaptive: print and quote the final runs@>@;
}

@ The sweep's table: one row per rate index, momentum's rate and
accuracy, then Adam's; the chosen rates go to a table of their own, for
the figure.
@<Adaptive: write and print the sweep@>=
struct tsv *t = tsv_open(o->out, "sweep.tsv", "sgd_lr\tsgd_val\tadam_lr\tadam_val");
printf("== generalize: %d epochs on %zu images; validation accuracy (%%)\n",
       pl->epochs, d->fit.n);
for (int k = 0; k < n_sweep; k++) {
  const struct ad_run *a = &sweep[k], *b = &sweep[n_sweep + k];
  tsv_row(t, 4, (double[4])@[{a->c.lr, 100.0 * a->val_acc, b->c.lr, 100.0 * b->val_acc}@]);
  printf("momentum lr %-6g %6.2f   adam lr %-6g %6.2f\n", a->c.lr, 100.0 * a->val_acc,
         b->c.lr, 100.0 * b->val_acc);
  appendf(tab, sizeof tab, "%g&%.2f&%g&%.2f\\cr\n", a->c.lr,
           100.0 * a->val_acc, b->c.lr, 100.0 * b->val_acc);
}
double lo = 100.0, hi = 0.0;
for (int k = 0; k < n_sweep; k++) {
  lo = fmin(lo, 100.0 * sweep[k].val_acc);
  hi = fmax(hi, 100.0 * sweep[k].val_acc);
}
values_put(v, "ADsweepSpan", "%.0f", hi - lo);
tsv_close(t);
t = tsv_open(o->out, "chosen.tsv", "sgd_lr\tsgd_val\tadam_lr\tadam_val");
tsv_row(t, 4, (double[4])@[{sweep[best[0]].c.lr, 100.0 * sweep[best[0]].val_acc,
  sweep[n_sweep + best[1]].c.lr, 100.0 * sweep[n_sweep + best[1]].val_acc}@]);
tsv_close(t);
values_put(v, "ADsweepTable", "%s", tab);

@ The numbers for the text.
@<Adaptive: print and quote the final runs@>=
static const char *const who[2] = {"momentum", "adam"};
for (int w = 0; w < 2; w++)
  printf("%-8s lr %-6g: train %.2f +- %.2f, validation %.2f +- %.2f, "@/
         "test %.2f +- %.2f\n",
         who[w], sweep_lr[w][best[w]], stat[w][0], stat[w][1], stat[w][2], stat[w][3],
         stat[w][4], stat[w][5]);
printf("test accuracy, adam minus momentum, seed by seed: %.2f +- %.2f\n\n", dm, ds);
values_put(v, "ADgenSgdLr", "%g", sweep_lr[0][best[0]]);
values_put(v, "ADgenAdamLr", "%g", sweep_lr[1][best[1]]);
char tab2[512] = "";
for (int w = 0; w < 2; w++) {
  appendf(tab2, sizeof tab2, "%s&%g", w ? "Adam" : "momentum",
           sweep_lr[w][best[w]]);
  for (int j = 0; j < 3; j++) {
    appendf(tab2, sizeof tab2, "&%.2f$\\pm$%.2f", stat[w][2 * j],
             stat[w][2 * j + 1]);
  }
  appendf(tab2, sizeof tab2, "\\cr\n");
}
values_put(v, "ADgenTable", "%s", tab2);
values_put(v, "ADgenDiff", "%+.2f", dm);
values_put(v, "ADgenDiffSd", "%.2f", ds);
values_put(v, "ADgenSgdTest", "%.2f", stat[0][4]);
values_put(v, "ADgenAdamTest", "%.2f", stat[1][4]);
values_put(v, "ADgenSgdTrain", "%.2f", stat[0][0]);
values_put(v, "ADgenAdamTrain", "%.2f", stat[1][0]);
values_put(v, "ADgenSgdGap", "%.2f", stat[0][0] - stat[0][4]);
values_put(v, "ADgenAdamGap", "%.2f", stat[1][0] - stat[1][4]);
values_put(v, "ADvalN", "%zu", d->val.n);

@ Table~\tableref{03-sweep} gives the learning-rate sweep, with validation
accuracy in percent (Figure~\figref{03-adaptive-sweep} draws it), and
Table~\tableref{03-final} the final runs at the chosen rates,
\val{ADseeds} seeds each, in percent.
\booktable{03-sweep}{The learning-rate sweep on Fashion-MNIST, one
tuning seed: validation accuracy in percent after \val{ADmlpSteps}
steps, for SGD with momentum $0.9$ and for Adam.}
{\vbox{\halign{\hfil#\quad&\hfil#\qquad&\hfil#\quad&\hfil#\cr
\multispan2\hfil SGD with momentum\hfil\qquad&\multispan2\hfil Adam\hfil\cr
$\eta$&validation&$\eta$&validation\cr
\noalign{\smallskip\hrule\smallskip}
\ADsweepTable}}}
\booktable{03-final}{SGD with momentum $0.9$ and Adam at the rates that
the sweep of Table~\tableref{03-sweep} chose: training, validation and
test accuracy in percent, mean and standard deviation over \val{ADseeds}
seeds.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
&$\eta$&training&validation&test\cr
\noalign{\smallskip\hrule\smallskip}
\ADgenTable}}}

\bookfigure{03-adaptive-sweep}{Validation accuracy after
\val{ADmlpSteps} steps against the learning rate, for SGD with momentum
$0.9$ and for Adam, one seed; the chosen rates are marked.}
Seed by seed, Adam's test accuracy minus momentum's was
$\val{ADgenDiff}$ points on average, with a standard deviation of
\val{ADgenDiffSd} over the \val{ADseeds} seeds: here Adam did better, not
worse, by more than the spread between seeds.  The claim that momentum
generalizes better did not show up, and neither did its usual symptom, a
smaller gap between training and test accuracy for momentum: the gaps
were \val{ADgenSgdGap} points for momentum and \val{ADgenAdamGap} for
Adam, at training accuracies of \val{ADgenSgdTrain}\% and
\val{ADgenAdamTrain}\%.
None of this is evidence against the claim in general.  This is a
small perceptron, not the convolutional networks of the original
reports; the runs are short, \val{ADmlpSteps} steps on
\val{ADtrainN} images, and end far from the point where either method
has fitted the training set, which is where the generalization gap was
reported; there is no schedule and no weight decay, both of which the
original comparisons tuned; and four learning rates and one tuning seed
are a coarse search.  What the test does show survives all of those
caveats: each method's result depends far more on its learning rate than
on the choice between the two (momentum's validation accuracy spans
\val{ADsweepSpan} points across the sweep), and at this scale the
difference between the two tuned methods, though larger than the spread
between seeds, is a fraction of what a poorly chosen rate costs either
of them.

@*1 Training runs on Fashion-MNIST.
The networks of this chapter are all the same multilayer perceptron, 784
inputs, one hidden layer of |run_hidden| ReLU units and 10 outputs,
\.{libdescent}'s |mlp| with He initialization, trained with the
cross-entropy loss on batches of |run_batch| images (Appendix~A).  The
budget decides the rest.  The whole program is meant to fit into a
build of the book (it took \val{runSeconds}~s on \val{runThreads} threads
for this copy), and it trains \val{ADnetRuns} networks, so each run
learns from only the first \val{ADtrainN} images of the training file,
for \val{ADepochs} passes, \val{ADmlpSteps} steps in all.  That is enough
for the comparisons of this chapter, which are between optimizers on the
same short budget, and it keeps the accuracies well below what the same
network reaches with the whole training set and longer training; no
number here should be read as the best this network can do.  The last
10\,000 images of the training file are held out as a validation set,
and the test set is the 10\,000 test images.
@d run_hidden 128
@d run_batch 128
@d val_start 50000
@<Adaptive: types@>=
struct ad_data {
  struct dataset fit, val, eval;  /* views: training, validation, test images */
};

@ The views share the images that the harness loaded.  Only the
generalization experiment scores validation images, and only for it must
the training file reach past |val_start| (see |check_sizes|), so the
validation view is made only where its images exist.
@<Adaptive: training runs@>=
static struct ad_data split_data(const struct chapter *o)
{
  const struct ad_plan *pl = plan_of(o);
  struct ad_data d = @[{.fit = *o->train, .eval = *o->test}@];
  d.fit.n = pl->train_n;
  d.eval.n = pl->test_n;
  if (o->train->n >= val_start + pl->val_n) {
    d.val = *o->train;
    d.val.x += val_start * d.val.dim;
    d.val.y += val_start;
    d.val.n = pl->val_n;
  }
  return d;
}

@ An experiment that trains needs the images its views cover: the plan's
training images, from which the sampler draws batches of |run_batch|, and
its test images; the generalization experiment also needs the validation
images at |val_start|, past the training images.  The harness calls this
check before anything is written.
@<Adaptive: training runs@>=
static void check_sizes(const struct chapter *ch)
{
  const struct ad_plan *pl = plan_of(ch);
  size_t held = val_start + pl->val_n;
  chapter_need(ch, "adagrad", pl->train_n, pl->test_n);
  chapter_need(ch, "decay", pl->train_n, pl->test_n);
  chapter_need(ch, "generalize", held > pl->train_n ? held : pl->train_n, pl->test_n);
}

@ A run is described by its optimizer, its configuration and its seed,
and comes back with its results: always the test accuracy, and the
accuracies on the validation images and on its own training images when
|all_sets| is set (scoring takes time).  When |ntrace| is positive the run also
records the median effective step of all its parameters after each of
the steps listed in |trace_at|.
@d max_trace 64
@<Adaptive: types@>=
struct ad_run {
  const char *kind;          /* the optimizer */
  struct opt_config c;       /* its configuration */
  uint64_t seed;             /* of the initial weights and the batch order */
  size_t ntrace;             /* steps at which to record the effective step */
  const size_t *trace_at;    /* those steps, increasing */
  double *trace;             /* the medians */
  bool all_sets;             /* score the training and validation images too */
  double val_acc, test_acc, train_acc;  /* accuracies at the end */
  double norm;               /* $\Vert\theta\Vert$ at the end */
  double decay_q[3];         /* Adam with $L_2$ only: see below */
};

@ A new run takes PyTorch's defaults for its optimizer and sets the
learning rate and the decay.
@<Adaptive: training runs@>=
static int net_runs;
static struct ad_run new_run(const char *kind, double lr, double wd, uint64_t seed)
{
  struct ad_run r = @[{.kind = kind, .seed = seed}@];
  opt_defaults(kind, &r.c);
  r.c.lr = lr;
  r.c.weight_decay = wd;
  return r;
}
static size_t run_steps(const struct ad_data *d, const struct ad_plan *pl)
{
  return (size_t)pl->epochs * (d->fit.n / run_batch);
}
static size_t run_params(const struct ad_data *d)
{
  return d->fit.dim * run_hidden + run_hidden + run_hidden * d->fit.classes
         + d->fit.classes;
}

@ A run builds its network from its seed, draws the seed of its batch
order from the same generator, and trains.  It owns everything it
touches, so that runs can go in parallel.
@<Adaptive: training runs@>=
static double median_step(const struct optimizer *o, size_t from, size_t n,
  double *scratch);
static double effective_step(const struct optimizer *o, size_t i);
static void train(const struct ad_data *d, const struct ad_plan *pl, struct ad_run *r)
{
  struct session_config c = @[{.nlayers = 2, .sizes = {d->fit.dim, run_hidden,
    d->fit.classes}, .opt_name = r->kind, .opt = r->c, .batch = run_batch,
    .seed = r->seed, .world = 1}@];
  struct session *S = session_new(&c, &d->fit, NULL, 0);
  assert(S);
  struct mlp *m = S->m;
  struct optimizer *o = S->o;
  double *scratch = xmalloc(m->nparams * sizeof(double));
  @<Adaptive: take the run's steps, recording its trace@>@;
  @<Adaptive: measure the trained network@>@;
  free(scratch); session_free(&S);
}

@ A run is a training session of the library (Appendix~A, part~4) with a
constant rate and no clipping: each step takes the next batch, computes
its loss and gradient, and lets the optimizer step.  The session draws
the initial weights, and then the sampler's seed, from the run's seed,
as every network of the book does.
@<Adaptive: take the run's steps...@>=
size_t steps = run_steps(d, pl), k = 0;
for (size_t t = 1; t <= steps; t++) {
  session_step(S);
  if (k < r->ntrace && r->trace_at[k] == t)
    r->trace[k++] = median_step(o, 0, m->nparams, scratch);
}

@ At the end: the test accuracy, and if asked the other two, the norm, and for Adam with $L_2$ the
10th, 50th and 90th percentiles over the first layer's weights of the
factor $1/(\sqrt{\hat v}+\epsilon)$ by which the optimizer divides the
decay.
@<Adaptive: measure the trained network@>=
mlp_evaluate(m, &d->eval, &r->test_acc);
if (r->all_sets) {
  mlp_evaluate(m, &d->val, &r->val_acc);
  mlp_evaluate(m, &d->fit, &r->train_acc);
}
r->norm = vec_norm2(m->params, m->nparams);
if (o->kind == &opt_adam && r->c.weight_decay > 0) {
  size_t nw = d->fit.dim * run_hidden;
  for (size_t i = 0; i < nw; i++) scratch[i] = effective_step(o, i) / r->c.lr;
  r->decay_q[0] = quantile(scratch, nw, 0.1);
  r->decay_q[1] = quantile(scratch, nw, 0.5);
  r->decay_q[2] = quantile(scratch, nw, 0.9);
}

@ The runs of one experiment are shared among the threads.  A network
is small, and its matrix products do not gain from a second thread, so
each run keeps to one (OpenMP does not nest parallel regions unless told
to) and two runs go at a time.  Each result lands in its own slot, so
nothing depends on which thread ran what.
@<Adaptive: training runs@>=
static void run_all(const struct ad_data *d, const struct ad_plan *pl,@/
  struct ad_run *r, size_t n)
{
  net_runs += (int)n;
  @<Adaptive: train the runs |r[0..n-1]|, two at a time@>@;
}

@ The loop is a section of its own, so that its pragma stays on a line of
its own in the typeset code.
@<Adaptive: train the runs...@>=
#pragma omp parallel for schedule(dynamic, 1)
for (size_t k = 0; k < n; k++) train(d, pl, &r[k]);

@ The text quotes how many networks the whole program trained, and the
size of each run's training; the harness calls this after the last
experiment.
@<Adaptive: training runs@>=
static void quote_totals(struct chapter *o)
{
  values_put(o->values, "ADnetRuns", "%d", net_runs);
  values_put(o->values, "ADtrainN", "%zu", plan_of(o)->train_n);
  values_put(o->values, "ADepochs", "%d", plan_of(o)->epochs);
}

@*1 Summary.
Adagrad divides each coordinate's step by the root of its summed squared
gradients; the step dies like $1/\sqrt t$, exactly so on noise (slope
$\val{ADdyingSlope}$) and to \val{ADmlpEndAda} of its early value over a
short network run, while RMSprop's and Adam's grew.  RMSprop forgets old gradients and keeps its step, but
without a bias correction its first step is ten times $\eta$, and its
centered variant divides by a standard deviation that vanishes when the
gradient is steady.  Adam corrects both averages; the factor of ten on
$m$ is gone within a few dozen steps, the correction of $v$ lasts
thousands, and the library's Adam takes a step of exactly $\eta$ on a
constant gradient from the first step on.  On an axis-aligned ravine
Adam's two coordinates move as one and its step count does not depend on
the condition number; rotate the ravine, or shrink the gradients toward
$\epsilon$, and that stops.  Adam with $L_2$ divides the decay by
$\sqrt{\hat v}$: weakened for large gradients, amplified by up to
$1/\lambda$ for small ones, so that at equal $\lambda$ it regularizes far
harder than AdamW on a real network.  Adam needs \val{ADbytesAdam} bytes
per parameter in single precision, twice plain SGD and $4/3$ of SGD with
momentum.  And on a small
Fashion-MNIST perceptron with tuned rates, Adam's test accuracy was
$\val{ADgenDiff}\pm\val{ADgenDiffSd}$ points above momentum's, seed by
seed: momentum did not generalize better here.

@ The papers cited in this chapter, in the order of their appearance:
J.~Duchi, E.~Hazan and Y.~Singer, ``Adaptive subgradient methods for
online learning and stochastic optimization,'' {\it JMLR\/} 12, 2011;
T.~Tieleman and G.~Hinton, Lecture 6.5, ``RMSprop: divide the gradient by
a running average of its recent magnitude,'' {\it Neural Networks for
Machine Learning}, Coursera, 2012;
A.~Graves, ``Generating sequences with recurrent neural networks,''
arXiv:1308.0850, 2013;
D.~P.~Kingma and J.~Ba, ``Adam: a method for stochastic optimization,''
ICLR 2015;
S.~J.~Reddi, S.~Kale and S.~Kumar, ``On the convergence of Adam and
beyond,'' ICLR 2018;
I.~Loshchilov and F.~Hutter, ``Decoupled weight decay regularization,''
ICLR 2019;
A.~C.~Wilson, R.~Roelofs, M.~Stern, N.~Srebro and B.~Recht, ``The
marginal value of adaptive gradient methods in machine learning,''
NeurIPS 2017;
D.~Choi, C.~J.~Shallue, Z.~Nado, J.~Lee, C.~J.~Maddison and G.~E.~Dahl,
``On empirical comparisons of optimizers for deep learning,''
arXiv:1910.05446, 2019.

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, then change the
number in the source (the sections are given), rebuild with \.{make}, and
run \.{build/bin/03-adaptive --only NAME}.

\smallskip\item{1.} In the noise experiment of the Adagrad part, make the
gradients' standard deviation 10 instead of 1.  Predict the new median
effective steps of all five optimizers at the last step, and the new
slope.  Then change only the first 100 steps to have standard deviation
10: which curves remember it, and for how long?

\item{2.} Give RMSprop $\alpha=0.9$ (in |rmsprop_new|).  Predict its first
step, the step after 10 steps on a constant gradient, and the measured
plain and centered columns of Table~\tableref{03-centered}.

\item{3.} Set $\beta_2=0.99$ in |bias_curves|.  Predict the peak of the
uncorrected step and the step at which the correction of $v$ is within
1\% of one.  Then set $\beta_1=0.99$, $\beta_2=0.999$: can the uncorrected
step now be {\it smaller\/} than $\eta$?

\item{4.} On the ravine, give Adam $\epsilon=10^{-3}$ (in |ravine_run|) and
predict at which loss scale the two coordinates stop arriving together.
Does the rotated ravine change?

\item{5.} Find, by a few runs of the decay experiment, the AdamW $\lambda$
that gives the same final norm as Adam with $L_2$ at $\lambda=10^{-3}$.
Predict it first from the median factor $1/(\sqrt{\hat v}+\epsilon)$ the
program prints.  Compare the two runs' test accuracies.

\item{6.} Train the networks on 30\,000 images for 2 epochs instead of
\val{ADtrainN} images for \val{ADepochs} (in |full_plan|): the same
number of steps, with fewer repeats of each image.  Predict whether the
training accuracies, the gap between training and test accuracy, and the
difference between the two methods grow or shrink, and whether the chosen
learning rates move.  (The run takes about as long; why?)
