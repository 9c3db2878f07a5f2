@q 04-schedules.w -- Chapter 4: learning-rate schedules and the LR range test @>
@* Learning-rate schedules.
\chaptervalues{04-schedules}%
\opener{04-schedules-all}{How should the learning rate change over a run, and which of the shapes below is worth its parameters?}
A constant learning rate is a compromise.  Early in training the weights
are far from any minimum and a large step makes fast progress.  Late in
training the iterate rattles around the bottom of a valley, and the size
of that rattle, set by the step size and by the noise of the mini-batch
gradient (Chapter~1), is a floor under the loss that only a smaller step
can lower.  A {\it schedule\/} changes the rate as training goes on: it
decays it in steps or along a cosine, or cycles it up and down, and it
@^cosine annealing@>
often begins with a short {\it warmup\/} from a small rate to the full
@^warmup@>
one.

This chapter builds the schedules of PyTorch's
\.{torch.optim.lr\_scheduler} that practitioners reach for into the
library, with PyTorch's values (Appendix~B compares them number for
number), and makes them saveable, so that an interrupted run resumes on
the same schedule.  Then it tests the claims that come with them, on a
small network trained on Fashion-MNIST: that warmup prevents an early
blow-up at a high rate; that cosine decay beats step decay; that the
@^step decay@>
one-cycle policy trains in a fraction of the usual budget; that a
@^one-cycle schedule@>
per-batch schedule stepped once per epoch fails without a word; and that
the {\it learning-rate range test}, a sweep of the rate over six decades
@^learning-rate range test@>
in a few hundred steps, picks a rate that trains well.

@ The chapter is a program, \.{build/bin/04-schedules}, and everything
this chapter quotes was printed by it when the book was built.  It runs
six experiments: \.{schedules} tabulates every schedule for the figure;
\.{warmup}, \.{decay}, \.{onecycle} and \.{range} train a small network
on Fashion-MNIST; \.{resume} interrupts a training run and resumes it
from files.  Its command line and its outputs are those of Chapter~1's
program.  The full run takes \val{SCsteps} training steps, about
\val{SCepochs} passes over the training set.
@c
#include <unistd.h>
#include "descent.h"
@<Schedules: types@>@;
@<Schedules: the plan and the lab@>@;
@<Schedules: functions@>@;
static const struct experiment experiments[] = {@/
  @[{"schedules", schedules_experiment, false}@],@/
  @[{"warmup", warmup_experiment, true}@],@/
  @[{"decay", decay_experiment, true}@],@/
  @[{"onecycle", onecycle_experiment, true}@],@/
  @[{"range", range_experiment, true}@],@/
  @[{"resume", resume_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"04-schedules",@/
  "The experiments of chapter 4 of Descent: learning-rate schedules,\n"@/
  "warmup, cosine and step decay, one-cycle, the range test, resuming.\n",@/
  experiments, NULL, check_sizes, quote_steps}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@q begin library part @>
@*1 The schedule interface.
A schedule is a function of the step count $t=0,1,2,\ldots$: its value at
$t$ is the learning rate $\eta_t$ that the optimizer uses for its step
number~$t$, counting from zero.  That is exactly what PyTorch's loop
$$\hbox{\tt for t in range(N): optimizer.step(); scheduler.step()}$$
gives, because a PyTorch scheduler writes the value for $t=0$ into the
optimizer already when it is constructed, and each \.{scheduler.step()}
moves on to the next value.  The library's loop has the same shape: set
the rate, take the step, advance the schedule,
$$\hbox{|sched_apply(s,o)|;\quad|opt_step(o,p,g)|;\quad|sched_step(s)|.}$$
Some schedules also cycle the momentum---SGD's, or Adam's $\beta_1$---in
the opposite direction to the rate.

As with the optimizers, a {\it kind\/} knows the rule, and one
configuration structure holds the arguments of every kind, under
PyTorch's names.  Its |lr| is the optimizer's initial learning rate, the
base from which most schedules start; each kind reads only the fields it
takes.  The milestones of the multi-step schedule are a short list of
step numbers.
@^PyTorch compatibility@>
@(descent-sched.h@>=
#ifndef DESCENT_SCHED_H
#define DESCENT_SCHED_H
#include "descent-base.h"
enum sched_mode { sched_triangular, sched_triangular2, sched_exp_range };
struct sched_config {
  double lr, gamma, eta_min, base_lr, max_lr, base_momentum, max_momentum;
  double div_factor, final_div_factor, pct_start, start_factor, end_factor;
  long step_size, t_max, warmup_steps, t_0, t_mult, total_steps, total_iters;
  long step_size_up, step_size_down;  /* |step_size_down| $-1$: same as up */
  long milestones[32]; size_t n_milestones;
  enum sched_mode mode;
  bool linear_anneal, cycle_momentum, three_phase;
};
@<Schedules: the kind and the schedule@>@;
@<Schedules: public functions@>@;
#endif

@ A kind names its PyTorch keyword arguments (for \.{replay}), sets the
defaults, checks a configuration, and computes the value at step~$t$.
The value function writes the cycled momentum into |*momentum| when the
kind cycles it, and leaves it alone otherwise.  The schedule itself is
nothing but its configuration and its step count: every kind computes its
value in closed form from~$t$---even the position within a cycle, or
within a period of warm restarts---so the step count is the schedule's
@^warm restarts@>
whole state.
@<Schedules: the kind and the schedule@>=
struct sched_kind {
  const char *name, *options;
  void (*defaults)(struct sched_config *c);
  int (*check)(const struct sched_config *c, char *msg, size_t len);
  double (*value)(const struct sched_config *c, uint64_t t, double *momentum);
};
struct schedule {
  const struct sched_kind *kind;
  struct sched_config c;
  uint64_t t;
};

@ The public functions mirror the optimizer's.  |sched_defaults| and
|sched_check| work on a configuration; |sched_lr| gives the value at the
current step (and the momentum, NaN unless the kind cycles it);
|sched_step| moves to the next step, refusing---as PyTorch's one-cycle
schedule does---to go past the end of a schedule that has one;
|sched_apply| writes the current values into an optimizer.  |sched_save|
and |sched_load| write the schedule to a file and read it back, so that
a run resumed from its files continues on the same schedule (the last
part of this chapter shows that it does).
@<Schedules: public functions@>=
bool sched_defaults(const char *name, struct sched_config *c);
int sched_check(const char *name, const struct sched_config *c, char *msg, size_t len);
struct schedule *sched_new(const char *name, const struct sched_config *c);
double sched_lr(const struct schedule *s, double *momentum);
int sched_step(struct schedule *s, char *msg, size_t len);
int sched_apply(const struct schedule *s, struct optimizer *o, char *msg, size_t len);
int sched_save(const struct schedule *s, const char *path);
int sched_load(struct schedule *s, const char *path, char *msg, size_t len);
unsigned char *sched_bytes(const struct schedule *s, size_t *n);
int sched_unbytes(struct schedule *s, const char *path, const unsigned char *b,
                  size_t size, char *msg, size_t len);
void sched_free(struct schedule **s);
const char *sched_names(void);
bool sched_takes(const char *name, const char *option);

@ The implementation file holds the kinds, then the table of kinds with
the functions that use it, then saving and loading.  Errors in a
configuration are reported the way the optimizers report theirs: a
message in the caller's buffer (PyTorch's wording where PyTorch has one)
and a return value of~$-1$.
@(sched.c@>=
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "descent.h"
static int sched_error(char *msg, size_t len, const char *fmt, ...) printf_like(3, 4);
@<Schedules: the kinds@>@;
@<Schedules: the table and the functions@>@;
@<Schedules: the schedule file@>@;

@*1 Decay in steps and in straight lines.
The oldest schedules lower the rate by a constant factor at fixed
moments.  {\it Step decay\/} (PyTorch's \.{StepLR}) multiplies the rate
by $\gamma$ every $s$ steps,
$$\eta_t=\eta\,\gamma^{\lfloor t/s\rfloor},$$
with $\gamma=0.1$ by default: the classic recipe for image classifiers
trains at $\eta$, then at $\eta/10$, then at $\eta/100$.  PyTorch computes
these schedules recursively, each value from the optimizer's current
rate; when nothing else changes the rate the closed forms here agree with
it to rounding.  PyTorch does not check $s$, and divides by zero at $t=1$
when it is zero; here it must be positive.
@^PyTorch compatibility@>
@<Schedules: the kinds@>=
static void decay_defaults(struct sched_config *c) { c->gamma = 0.1; }
static int step_check(const struct sched_config *c, char *msg, size_t len)
{
  return c->step_size > 0 ? 0
    : sched_error(msg, len, "step: step_size must be positive (got %ld)", c->step_size);
}
static double step_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return c->lr * pow(c->gamma, (double)(t / (uint64_t)c->step_size)); }

@ {\it Multi-step decay\/} (\.{MultiStepLR}) multiplies by $\gamma$ at each
of a list of milestones, $\eta_t=\eta\gamma^k$ with $k$ the number of
milestones $\le t$.  The list is a multiset: a milestone listed twice
applies $\gamma$ twice.  Milestones below zero are never reached, as in
PyTorch's loop; any list of at most 32 is accepted.
@<Schedules: the kinds@>=
static int multistep_check(const struct sched_config *c, char *msg, size_t len)
{
  return c->n_milestones <= 32 ? 0
    : sched_error(msg, len, "multistep: at most 32 milestones (got %zu)", c->n_milestones);
}
static double multistep_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  int k = 0;
  for (size_t i = 0; i < c->n_milestones; i++)
    k += c->milestones[i] >= 0 && (uint64_t)c->milestones[i] <= t;
  return c->lr * pow(c->gamma, k);
}

@ {\it Exponential decay\/} (\.{ExponentialLR}) multiplies at every step,
$\eta_t=\eta\gamma^t$.  It has no default $\gamma$.  With $\gamma>1$ it
grows instead, which is how the range test at the end of this chapter
sweeps the rate upward.
@<Schedules: the kinds@>=
static void exp_defaults(struct sched_config *c) { c->gamma = NAN; }
static int exp_check(const struct sched_config *c, char *msg, size_t len)
{ return isnan(c->gamma) ? sched_error(msg, len, "exponential: gamma is required") : 0; }
@^exponential decay@>
static double exp_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return c->lr * pow(c->gamma, (double)t); }

@ The {\it linear\/} schedule (\.{LinearLR}) multiplies the rate by a
factor that moves in a straight line from $s$ (|start_factor|) to $e$
(|end_factor|) over $T$ (|total_iters|) steps and then stays,
$$\eta_t=\eta\bigl(s+(e-s)\min(t,T)/T\bigr).$$
Its defaults, $s=1/3$, $e=1$, $T=5$, make it a short warmup; with $s=1$
and $e$ small it is a linear decay.  PyTorch refuses factors outside
$[0,1]$; its recursive form divides by zero at $t=1$ when $s=0$, so that
is refused here too.  With $T\le0$ the recursion never moves, and neither
does the closed form here.
@<Schedules: the kinds@>=
static void linear_defaults(struct sched_config *c)
{ c->start_factor = 1.0 / 3; c->end_factor = 1.0; c->total_iters = 5; }
static int linear_check(const struct sched_config *c, char *msg, size_t len)
{
  if (!(c->start_factor > 0 && c->start_factor <= 1))
    return sched_error(msg, len, "Starting multiplicative factor expected to be in (0, 1]");
  if (!(c->end_factor >= 0 && c->end_factor <= 1))
    return sched_error(msg, len, "Ending multiplicative factor expected to be between 0 and 1.");
  return 0;
}

@ The value, in closed form.
@<Schedules: the kinds@>=
static double linear_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  const double s = c->start_factor, e = c->end_factor, T = (double)c->total_iters;
  if (c->total_iters <= 0) return c->lr * s;
  return c->lr * (s + (e - s) * fmin((double)t, T) / T);
}

@*1 Cosine annealing, warmup and warm restarts.
Instead of dropping in steps, the rate can glide: {\it cosine
annealing\/} (\.{CosineAnnealingLR}; Loshchilov and Hutter, 2017) follows
half a cosine from $\eta$ down to $\eta_{\min}$ over $T_{\max}$ steps,
$$\eta_t=\eta_{\min}+(\eta-\eta_{\min})\,{1+\cos(\pi t/T_{\max})\over2}.$$
It stays near $\eta$ for a while, falls fastest in the middle, and
flattens out at the end.  PyTorch's formula holds for {\it every\/} $t$:
past $T_{\max}$ the rate climbs again and is back at $\eta$ at
$t=2T_{\max}$.  Clamping at $\eta_{\min}$ after $T_{\max}$ would be a
different schedule; a run should simply stop at $T_{\max}$.
@^PyTorch compatibility@>
@<Schedules: the kinds@>=
static double half_cosine(double hi, double lo, double x)
{ return lo + (hi - lo) * (1 + cos(M_PI * x)) / 2; }

@ The {\it warmup-cosine\/} schedule, today's default for training
transformers, is not a PyTorch class; PyTorch users write it as a
\.{LambdaLR}.  It rises linearly from zero over $W$ steps, $\eta_t=\eta
t/W$, and then anneals over the remaining $T_{\max}-W$ steps.  At $t=0$
the rate is zero, so the first step changes nothing but the optimizer's
state (the rule $\eta(t+1)/W$ would be a different schedule).  With $W=0$
it is plain cosine annealing, and one value function serves both kinds.
The differences $t-W$ and $T_{\max}-W$ are taken in integers, where they
are exact, and only then converted to |double|: converted first, two
lengths beyond $2^{53}$ that differ by one could round to the same
|double|, and their difference to zero, a division by zero.
@<Schedules: the kinds@>=
static int cosine_check(const struct sched_config *c, char *msg, size_t len)
{
  if (c->t_max <= 0) return sched_error(msg, len, "t_max must be positive (got %ld)", c->t_max);
  if (c->warmup_steps < 0 || (c->warmup_steps > 0 && c->warmup_steps >= c->t_max))
    return sched_error(msg, len, "warmup_steps must be in [0, t_max)");
  return 0;
}
static double cosine_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  @q solution cosine_value: (void)c; (void)t; return 0.0; @>
  const uint64_t w = (uint64_t)c->warmup_steps;
  if (t < w) return c->lr * (double)t / (double)w;
  return half_cosine(c->lr, c->eta_min, (double)(t - w) / (double)(c->t_max - c->warmup_steps));
  @q end solution @>
}

@ Two newer schedules end a run the way cosine does but take a straight
line down.  {\it Linear decay to zero\/} (Bergsma et~al., 2025) warms up
as warmup-cosine does and then falls on a line from $\eta$ at $t=W$ to
zero at $t=T$, the \.{total\_steps} of the run: $\eta_t=\eta(T-t)/(T-W)$.
{\it Warmup--stable--decay\/} (WSD; Hu et~al.'s MiniCPM, 2024, and
H\"agele et~al., 2024) holds the rate at $\eta$ after the warmup and
spends only the last $D$ steps, \.{total\_iters}, on the line down, to
$\eta_{\min}$:
$$\eta_t=\cases{\eta t/W,&$t<W$;\cr
\eta,&$W\le t<T-D$;\cr
\eta_{\min}+(\eta-\eta_{\min})(T-t)/D,&$T-D\le t<T$;\cr
\eta_{\min},&$t\ge T$.\cr}$$
The last step of a run, $t=T-1$, still moves, by $(\eta-\eta_{\min})/D$
above the floor; the first, as for warmup-cosine, does not.  Linear decay
to zero is WSD with $D=T-W$ and $\eta_{\min}=0$, and one value function
serves both.  Neither is a PyTorch class (both are a \.{LambdaLR} there),
so this formula is the definition; the chapter {\it After AdamW\/} uses
them.
@^warmup--stable--decay@>
@^linear decay to zero@>
@<Schedules: the kinds@>=
static int wsd_check(const struct sched_config *c, char *msg, size_t len)
{
  if (c->total_steps <= 0)
    return sched_error(msg, len, "total_steps must be positive (got %ld)", c->total_steps);
  if (c->warmup_steps < 0 || c->warmup_steps >= c->total_steps)
    return sched_error(msg, len, "warmup_steps must be in [0, total_steps)");
  if (c->total_iters < 0 || c->total_iters > c->total_steps - c->warmup_steps)
    return sched_error(msg, len,@/
      "total_iters (the decay) must be in [0, total_steps - warmup_steps]");
  if (!(c->eta_min >= 0)) return sched_error(msg, len, "eta_min must be >= 0");
  return 0;
}
static int l2z_check(const struct sched_config *c, char *msg, size_t len)
{
  struct sched_config w = *c;
  w.total_iters = c->total_steps - c->warmup_steps;
  return wsd_check(&w, msg, len);
}
static double wsd_line(const struct sched_config *c, uint64_t t, long d, double lo)
{
  const uint64_t w = (uint64_t)c->warmup_steps, T = (uint64_t)c->total_steps;
  if (t < w) return c->lr * (double)t / (double)w;
  if (t >= T) return lo;
  if (t + (uint64_t)d < T) return c->lr;
  return lo + (c->lr - lo) * (double)(T - t) / (double)d;
}
static double wsd_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return wsd_line(c, t, c->total_iters, c->eta_min); }
static double l2z_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return wsd_line(c, t, c->total_steps - c->warmup_steps, 0.0); }

@ {\it Cosine with warm restarts\/} (\.{CosineAnnealingWarmRestarts}, the
``SGDR'' of the same paper) runs the half cosine over a period $T_i$ and
then jumps back to $\eta$; the first period is $T_0$ steps and each
restart multiplies the period by $T_{\rm mult}$.  With $T_0=5$ and
$T_{\rm mult}=2$ the restarts come at $t=5$, 15, 35, 75.  The position
$T_{\rm cur}$ within the current period follows from $t$ by subtracting
whole periods, which is what PyTorch's counter does one step at a time.
The value never quite reaches $\eta_{\min}$: the step before a restart is
still above it.  PyTorch refuses $T_0\le0$ and $T_{\rm mult}<1$.
@<Schedules: the kinds@>=
static void restarts_defaults(struct sched_config *c) { c->t_mult = 1; }
static int restarts_check(const struct sched_config *c, char *msg, size_t len)
{
  if (c->t_0 <= 0) return sched_error(msg, len, "Expected positive integer T_0, but got %ld", c->t_0);
  if (c->t_mult < 1)
    return sched_error(msg, len, "Expected integer T_mult >= 1, but got %ld", c->t_mult);
  return 0;
}

@ The position within the period; with $T_{\rm mult}=1$ it is a remainder.
Otherwise whole periods are subtracted, each $T_{\rm mult}$ times the
last, and here lies a trap: PyTorch's periods are Python integers, which
never overflow, but $T_0T_{\rm mult}^k$ soon passes $2^{64}$ when
$T_{\rm mult}$ is large, and a product that wraps around is a wrong
period---or zero, which subtracts nothing, for ever.  The loop therefore
multiplies only when the product fits in 64 bits, $T_i\le\lfloor
(2^{64}-1)/T_{\rm mult}\rfloor$.  When it does not, the next period is
longer than $2^{64}-1$ steps, longer than the steps that are left, so it
is the last one, and its length is needed only as the denominator of the
position, which $T_i\cdot T_{\rm mult}$ in |double| gives without
overflow.  The periods at least double, so the loop ends within 64
rounds, for every $t$, $T_0$ and $T_{\rm mult}$; the integers stay
exact, as PyTorch's are.
@<Schedules: the kinds@>=
static double restarts_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  const uint64_t mult = (uint64_t)c->t_mult;
  uint64_t ti = (uint64_t)c->t_0, cur = t;
  if (mult == 1) cur = t % ti;
  else while (cur >= ti) {
    cur -= ti;
    if (ti > UINT64_MAX / mult)
      return half_cosine(c->lr, c->eta_min, (double)cur / ((double)ti * (double)mult));
    ti *= mult;
  }
  return half_cosine(c->lr, c->eta_min, (double)cur / (double)ti);
}

@*1 Cycles: the cyclic and one-cycle policies.
Smith (2017) proposed to let the rate oscillate between two bounds for
the whole run.  The {\it cyclic\/} schedule (\.{CyclicLR}) moves between
@^cyclic learning rate@>
|base_lr| and |max_lr| along a triangle, up in |step_size_up| steps and
down in |step_size_down| (by default as many; zero is a length, and
makes a sawtooth).  With $u$ and $d$ those two
lengths, a cycle has $u+d$ steps, and step $t$ is at the fraction
$x=t/(u+d)-\lfloor t/(u+d)\rfloor$ of its cycle; the height of the triangle
there is $s=x/r$ on the way up, where $r=u/(u+d)$, and $s=(1-x)/(1-r)$ on
the way down, a number between 0 and~1.  Then
$$\eta_t=\eta_{\rm base}+(\eta_{\max}-\eta_{\rm base})\,s\,f,$$
where $f=1$ in |triangular| mode, $f=2^{-(c-1)}$ in cycle number~$c$ in
|triangular2| mode (each cycle half as high as the last), and
$f=\gamma^t$ in |exp_range| mode.  The momentum, when cycled, moves the
other way, from |max_momentum| at the foot of the triangle to
|base_momentum| at its top: large steps get less momentum.
@^PyTorch compatibility@>
@<Schedules: the kinds@>=
static void cyclic_defaults(struct sched_config *c)
{
  c->step_size_up = 2000; c->step_size_down = -1; c->gamma = 1.0; c->cycle_momentum = true;
  c->base_momentum = 0.8; c->max_momentum = 0.9; c->base_lr = NAN; c->max_lr = NAN;
}

@ Here is PyTorch's arithmetic, in its order, so that the rounding agrees
too.  An unset |base_lr| means the optimizer's rate.
@<Schedules: the kinds@>=
static double cyclic_value(const struct sched_config *c, uint64_t t, double *m)
{
  const double up = (double)c->step_size_up;
  const long down = c->step_size_down >= 0 ? c->step_size_down : c->step_size_up;
  const double total = up + (double)down;
  const double ratio = up / total, cycle = floor(1 + (double)t / total);
  const double x = 1. + (double)t / total - cycle;
  const double s = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const double f = c->mode == sched_triangular ? 1.0
    : c->mode == sched_triangular2 ? 1 / pow(2., cycle - 1) : pow(c->gamma, (double)t);
  const double base = isnan(c->base_lr) ? c->lr : c->base_lr;
  if (c->cycle_momentum && m)@/
    *m = c->max_momentum - (c->max_momentum - c->base_momentum) * s * f;
  return base + (c->max_lr - base) * s * f;
}

@ The cyclic schedule needs |max_lr| and a positive rise; the fall may be
zero steps long, or $-1$, the library's way of saying ``as long as the
rise'' (PyTorch's |None|).  PyTorch also accepts negative lengths, which
mean nothing; they are refused here.
@<Schedules: the kinds@>=
static int cyclic_check(const struct sched_config *c, char *msg, size_t len)
{
  if (isnan(c->max_lr)) return sched_error(msg, len, "cyclic: max_lr is required");
  if (c->step_size_up <= 0 || c->step_size_down < -1)
    return sched_error(msg, len, "cyclic: step_size_up must be positive, step_size_down not negative");
  return 0;
}

@ The {\it one-cycle\/} policy (\.{OneCycleLR}; Smith and Topin, 2019) is
a single, asymmetric cycle over the whole run of $T$ steps (|total_steps|).
The rate starts at $\eta_{\max}/\delta$ (|max_lr| over |div_factor|,
25 by default), rises to $\eta_{\max}$ over the first fraction $p$
(|pct_start|, 0.3) of the run, and then falls to the starting rate
divided by |final_div_factor| ($10^4$), far below where it began.  With
|three_phase| it first comes back down to the starting rate,
symmetrically, and only then drops to the minimum.  Within a phase the
rate follows a half cosine or, with the linear strategy, a straight line;
the momentum moves the other way, from |max_momentum| (0.95) to
|base_momentum| (0.85) and back.  The optimizer's own rate is ignored.
@<Schedules: the kinds@>=
static void onecycle_defaults(struct sched_config *c)
{
  c->pct_start = 0.3; c->div_factor = 25; c->final_div_factor = 1e4;
  c->cycle_momentum = true; c->base_momentum = 0.85; c->max_momentum = 0.95;
  c->max_lr = NAN;
}
static double anneal(const struct sched_config *c, double start, double end, double pct)
{
  if (c->linear_anneal) return (end - start) * pct + start;
  return end + (start - end) / 2.0 * (cos(M_PI * pct) + 1);
}

@ PyTorch lays the phases out by their last step, computed as a float:
$pT-1$ (not $pT$; an off-by-one here is visible in the values), $2pT-2$
and $T-1$.  Each phase also has a start and end rate and a start and end
momentum.
@<Schedules: the kinds@>=
struct phase { double end, lr0, lr1, m0, m1; };
static int onecycle_phases(const struct sched_config *c, struct phase *ph)
{
  @q solution onecycle_phases: (void)c; (void)ph; return 0; @>
  const double T = (double)c->total_steps, p = c->pct_start, hi = c->max_lr;
  const double lo = hi / c->div_factor, min = lo / c->final_div_factor;
  const double mb = c->base_momentum, mm = c->max_momentum;
  if (!c->three_phase) {
    ph[0] = (struct phase)@[{p * T - 1, lo, hi, mm, mb}@];
    ph[1] = (struct phase)@[{T - 1, hi, min, mb, mm}@];
    return 2;
  }
  ph[0] = (struct phase)@[{p * T - 1, lo, hi, mm, mb}@];
  ph[1] = (struct phase)@[{2 * p * T - 2, hi, lo, mb, mm}@];
  ph[2] = (struct phase)@[{T - 1, lo, min, mm, mm}@];
  return 3;
  @q end solution @>
}

@ Step $t$ falls in the first phase whose end it does not pass (or in the
last), at the fraction |pct| of the way from the previous phase's end.  A
phase of length zero would divide by zero, which PyTorch does while
constructing the schedule when the first phase is empty ($pT=1$); the
check below refuses that case.
@<Schedules: the kinds@>=
static double onecycle_value(const struct sched_config *c, uint64_t t, double *m)
{
  struct phase ph[3];
  int n = onecycle_phases(c, ph);
  double start = 0, tt = (double)t;
  for (int i = 0; i < n; i++) {
    if (tt <= ph[i].end || i == n - 1) {
      double pct = (tt - start) / (ph[i].end - start);
      if (c->cycle_momentum && m) *m = anneal(c, ph[i].m0, ph[i].m1, pct);
      return anneal(c, ph[i].lr0, ph[i].lr1, pct);
    }
    start = ph[i].end;
  }
  return NAN;
}

@ PyTorch refuses a non-positive |total_steps| and a |pct_start| outside
$[0,1]$; the empty first phase is refused here as well.
@<Schedules: the kinds@>=
static int onecycle_check(const struct sched_config *c, char *msg, size_t len)
{
  if (isnan(c->max_lr)) return sched_error(msg, len, "onecycle: max_lr is required");
  if (c->total_steps <= 0)
    return sched_error(msg, len, "Expected positive integer total_steps, but got %ld",
                       c->total_steps);
  if (!(c->pct_start >= 0 && c->pct_start <= 1))
    return sched_error(msg, len, "Expected float between 0 and 1 pct_start, but got %g",
                       c->pct_start);
  if (c->pct_start * (double)c->total_steps - 1 == 0)
    return sched_error(msg, len, "onecycle: the first phase is empty (pct_start * total_steps = 1)");
  return 0;
}

@*1 The table of kinds.
The kinds are listed in a table, each with the keyword arguments it
takes.  The names are the book's (and \.{replay}'s); PyTorch's classes
are \.{StepLR}, \.{MultiStepLR}, \.{ExponentialLR}, \.{CosineAnnealingLR},
a \.{LambdaLR}, \.{CosineAnnealingWarmRestarts}, \.{CyclicLR},
\.{OneCycleLR} and \.{LinearLR}; \.{wsd} and \.{linear-to-zero} are
the book's own.
@^linear schedule@>
@<Schedules: the table and the functions@>=
static void none(struct sched_config *c) { (void)c; }
static const struct sched_kind sched_kinds[] = {
  {"step", "step_size gamma", decay_defaults, step_check, step_value},
  {"multistep", "milestones gamma", decay_defaults, multistep_check, multistep_value},
  {"exponential", "gamma", exp_defaults, exp_check, exp_value},
  {"cosine", "t_max eta_min", none, cosine_check, cosine_value},
  {"warmup-cosine", "warmup_steps t_max eta_min", none, cosine_check, cosine_value},
  {"cosine-restarts", "t_0 t_mult eta_min", restarts_defaults, restarts_check, restarts_value},
  @<Schedules: the rows of the cycling kinds, and the linear one@>@;
  {"wsd", "warmup_steps total_steps total_iters eta_min", none, wsd_check, wsd_value},
  {"linear-to-zero", "warmup_steps total_steps", none, l2z_check, l2z_value},
  {NULL, NULL, NULL, NULL, NULL}};

@ The two schedules that cycle momentum take the most options.
@<Schedules: the rows of the cycling kinds...@>=
{"cyclic", "base_lr max_lr step_size_up step_size_down mode gamma cycle_momentum "@/
  "base_momentum max_momentum", cyclic_defaults, cyclic_check, cyclic_value},
{"onecycle", "max_lr total_steps pct_start anneal_strategy cycle_momentum "@/
  "base_momentum max_momentum div_factor final_div_factor three_phase",
  onecycle_defaults, onecycle_check, onecycle_value},
{"linear", "start_factor end_factor total_iters", linear_defaults, linear_check,
  linear_value},

@ Finding a kind, and listing the names.
@<Schedules: the table and the functions@>=
static const struct sched_kind *sched_find(const char *name)
{
  for (const struct sched_kind *k = sched_kinds; k->name; k++)
    if (strcmp(k->name, name) == 0) return k;
  return NULL;
}
const char *sched_names(void)
{
  static char names[160];
  if (!names[0])
    for (const struct sched_kind *k = sched_kinds; k->name; k++) {
      if (k != sched_kinds) strcat(names, " ");
      strcat(names, k->name);
    }
  return names;
}

@ Whether a kind takes an option walks the kind's blank-separated list;
dashes in the option count as underscores, as for the optimizers.
@<Schedules: the table and the functions@>=
bool sched_takes(const char *name, const char *option)
{
  const struct sched_kind *k = sched_find(name);
  size_t n = strlen(option);
  for (const char *s = k ? k->options : ""; *s; ) {
    size_t w = strcspn(s, " "), i = 0;
    while (i < n && i < w && (s[i] == option[i] || (s[i] == '_' && option[i] == '-'))) i++;
    if (i == n && i == w) return true;
    s += w; s += strspn(s, " ");
  }
  return false;
}

@ Defaults start from zeros; the base rate is NaN until the caller sets
it, and |sched_check| insists on it (for the one-cycle schedule, which
ignores it, any value will do).
@<Schedules: the table and the functions@>=
bool sched_defaults(const char *name, struct sched_config *c)
{
  const struct sched_kind *k = sched_find(name);
  if (!k) return false;
  memset(c, 0, sizeof *c);
  c->lr = NAN;
  k->defaults(c);
  return true;
}

@ The error formatter, and the check: a known kind, a base rate, and
whatever the kind itself demands.
@<Schedules: the table and the functions@>=
static int sched_error(char *msg, size_t len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (msg && len) vsnprintf(msg, len, fmt, ap);
  va_end(ap);
  return -1;
}
int sched_check(const char *name, const struct sched_config *c, char *msg, size_t len)
{
  const struct sched_kind *k = sched_find(name);
  if (!k) return sched_error(msg, len, "unknown schedule '%s' (known: %s)", name, sched_names());
  if (isnan(c->lr) && strcmp(name, "onecycle") != 0)
    return sched_error(msg, len, "%s needs the optimizer's learning rate (lr)", name);
  return k->check(c, msg, len);
}

@ A new schedule starts at $t=0$.  Creating one from a configuration
that |sched_check| refuses is a mistake of the caller.
@<Schedules: the table and the functions@>=
struct schedule *sched_new(const char *name, const struct sched_config *c)
{
  const struct sched_kind *k = sched_find(name);
  assert(k && sched_check(name, c, NULL, 0) == 0);
  struct schedule *s = xcalloc(1, sizeof *s);
  s->kind = k; s->c = *c; s->t = 0;
  return s;
}
void sched_free(struct schedule **s) { free(*s); *s = NULL; }

@ The value at the current step; the momentum is NaN unless this kind
cycles it.
@<Schedules: the table and the functions@>=
double sched_lr(const struct schedule *s, double *momentum)
{
  double m = NAN;
  double lr = s->kind->value(&s->c, s->t, &m);
  if (momentum) *momentum = m;
  return lr;
}

@ Stepping.  PyTorch's one-cycle schedule raises an error when it is
asked for the value after step |total_steps|; a loop of $N$ steps
therefore fails exactly when $N>T$.  It also fails, dividing by zero,
when it steps into a phase of length zero (a last phase that starts at
$T-1$, as with |pct_start| equal to~1).  |sched_step| does the same in
both cases, and leaves the step count where it was.  Every schedule also
stops at |DESCENT_MAX_STEPS|, $2^{53}$ (Appendix~A says why that bound):
below it every step count is exactly a |double| in the closed forms, and
the count can never wrap around to zero.
@<Schedules: the table and the functions@>=
int sched_step(struct schedule *s, char *msg, size_t len)
{
  if (s->t >= DESCENT_MAX_STEPS)
    return sched_error(msg, len,@/
                       "step count %llu: a schedule stops at 2^53 steps",
                       (unsigned long long)s->t);
  if (s->kind->value == onecycle_value && s->t + 1 > (uint64_t)s->c.total_steps)@/
    return sched_error(msg, len,
      "Tried to step %llu times. The specified number of total steps is %ld",
      (unsigned long long)s->t + 2, s->c.total_steps);
  if (s->kind->value == onecycle_value && !isfinite(onecycle_value(&s->c, s->t + 1, NULL)))
    return sched_error(msg, len, "onecycle: step %llu falls in a phase of length zero",
                       (unsigned long long)s->t + 1);
  s->t++;
  return 0;
}

@ Applying a schedule to an optimizer sets its learning rate, and its
momentum when the schedule cycles it: SGD's and RMSprop's |momentum|,
or---for the one-cycle schedule only---Adam's $\beta_1$.  PyTorch~1.13's
cyclic schedule refuses an optimizer without a |momentum| option, Adam
included (later versions cycle Adam's $\beta_1$ there too; the library
follows 1.13); an optimizer with neither (Adagrad) cannot have its momentum
cycled at all; nor can one that was created
without a momentum buffer, since the library allocates the buffer only
when the momentum is nonzero at creation.

An optimizer whose parameters fall in several groups (Appendix~A) gets,
in each group, the value that the schedule computes from that group's
own initial rate, as PyTorch's schedulers compute one value per entry of
|base_lrs|: the configuration's |lr| is replaced by the group's initial
rate and the value computed again.  (The cyclic and one-cycle schedules
ignore |lr| and give every group the same value.)
@^parameter groups@>
@<Schedules: the table and the functions@>=
int sched_apply(const struct schedule *s, struct optimizer *o, char *msg, size_t len)
{
  double m, lr = sched_lr(s, &m);
  opt_set_lr(o, lr);
  for (size_t g = 1; g < opt_ngroups(o); g++) {
    struct sched_config c = s->c;
    double ignored;
    c.lr = opt_base_lr(o, g);
    opt_set_group_lr(o, g, s->kind->value(&c, s->t, &ignored));
  }
  if (isnan(m)) return 0;
  struct opt_config c = o->c;
  if (opt_takes(o->kind->name, "betas") && s->kind->value == onecycle_value) c.beta1 = m;
  else if (opt_takes(o->kind->name, "momentum")) c.momentum = m;
  else return sched_error(msg, len, "optimizer %s has no momentum to cycle", o->kind->name);
  if (o->kind->nstate(&c) != o->k)
    return sched_error(msg, len, "optimizer %s was created without momentum", o->kind->name);
  o->c = c;
  return 0;
}

@*1 Saving and restoring a schedule.
An interrupted run continues exactly only if everything that determines
its next step is restored: the weights, the optimizer's state
(|opt_save|, Appendix~A), the order of the data, and the schedule.
The schedule's state is its step count---the position within a cycle or
a restart period follows from it---but the file carries the whole
configuration as well, so that a resumed run cannot silently continue on
a different schedule from the one it was started with.  The format
follows the optimizer's: fixed size, little-endian (written with the
toolkit's |put_u64| and |put_f64|), checksummed; Table~\tableref{04-file}
lists its fields.
\booktable{04-file}{The schedule file, field by field, in the order of
the file.}
{\vbox{\halign{\.{#}\hfil\quad&#\hfil\cr
DSCSCH01&8 bytes of magic\cr
name&16 bytes, the kind's name padded with zeros\cr
t&the step count, a 64-bit unsigned integer\cr
reals&the 12 doubles of |struct sched_config|, in its order\cr
counts&its 9 integer fields, as signed 64-bit integers\cr
milestones&their number, then all 32 of them\cr
mode, flags&4 bytes: |mode|, |linear_anneal|, |cycle_momentum|, |three_phase|\cr
crc&CRC-32 (zlib's) of everything before it\cr}}}
\noindent
The fields make $8+16+8+96+72+8+256+4+4=472$ bytes.
@^checkpoints@>
@<Schedules: the schedule file@>=
enum { sched_file_bytes = 472 };

@ Encoding and decoding walk the same two lists of fields, so that the
order in the file cannot differ between writing and reading.  The lists
are public: the chapter's figure lays its settings over a kind's
defaults with them.
@<Schedules: public functions@>=
enum { sched_nreal = 12, sched_ncount = 9 };
void sched_fields(struct sched_config *c, double **r, long **n);

@ The two lists themselves.
@<Schedules: the schedule file@>=
void sched_fields(struct sched_config *c, double **r, long **n)
{
  double *rr[sched_nreal] = {&c->lr, &c->gamma, &c->eta_min, &c->base_lr,
    &c->max_lr, &c->base_momentum, &c->max_momentum, &c->div_factor,
    &c->final_div_factor, &c->pct_start, &c->start_factor, &c->end_factor};
  long *nn[sched_ncount] = {&c->step_size, &c->t_max, &c->warmup_steps, &c->t_0,
    &c->t_mult, &c->total_steps, &c->total_iters, &c->step_size_up, &c->step_size_down};
  memcpy(r, rr, sizeof rr);
  memcpy(n, nn, sizeof nn);
}

@ Doubles travel as their bit patterns, signed integers as their two's
complement, so that every configuration comes back exactly.
@<Schedules: the schedule file@>=
static void sched_encode(const struct schedule *s, unsigned char *b)
{
  struct sched_config c = s->c;
  double *r[sched_nreal]; long *n[sched_ncount];
  sched_fields(&c, r, n);
  memset(b, 0, sched_file_bytes);
  memcpy(b, "DSCSCH01", 8);
  strncpy((char *)b + 8, s->kind->name, 15);
  put_u64(b + 24, s->t);
  for (int i = 0; i < sched_nreal; i++) put_f64(b + 32 + 8 * i, *r[i]);
  for (int i = 0; i < sched_ncount; i++) put_u64(b + 128 + 8 * i, (uint64_t)(int64_t)*n[i]);
  put_u64(b + 200, c.n_milestones);
  for (int i = 0; i < 32; i++) put_u64(b + 208 + 8 * i, (uint64_t)(int64_t)c.milestones[i]);
  b[464] = (unsigned char)c.mode; b[465] = c.linear_anneal;
  b[466] = c.cycle_momentum; b[467] = c.three_phase;
}

@ Decoding is the mirror image.  It reports a field that no configuration
can have---more than 32 milestones, an unknown mode, a flag that is
neither 0 nor~1---instead of trusting it.
@<Schedules: the schedule file@>=
static int sched_decode(const unsigned char *b, struct sched_config *c)
{
  double *r[sched_nreal]; long *n[sched_ncount];
  memset(c, 0, sizeof *c);
  sched_fields(c, r, n);
  for (int i = 0; i < sched_nreal; i++) *r[i] = get_f64(b + 32 + 8 * i);
  for (int i = 0; i < sched_ncount; i++) *n[i] = (long)(int64_t)get_u64(b + 128 + 8 * i);
  c->n_milestones = (size_t)get_u64(b + 200);
  for (int i = 0; i < 32; i++) c->milestones[i] = (long)(int64_t)get_u64(b + 208 + 8 * i);
  c->mode = (enum sched_mode)b[464];
  c->linear_anneal = b[465]; c->cycle_momentum = b[466]; c->three_phase = b[467];
  return c->n_milestones <= 32 && b[464] <= sched_exp_range && b[465] <= 1
    && b[466] <= 1 && b[467] <= 1 ? 0 : -1;
}

@ Saving encodes the file in memory (|sched_bytes|, which the checkpoint
of Appendix~A, part~4, also calls, as it calls |sched_unbytes| to read
them back), appends the checksum and writes it
atomically (|write_file_atomic|, Appendix~A): a crash while saving leaves
the previous file in place, never half of a new one.  It returns 0, or
$-1$ with |errno| set.
@<Schedules: the schedule file@>=
int sched_save(const struct schedule *s, const char *path)
{
  size_t n;
  unsigned char *b = sched_bytes(s, &n);
  int rc = write_file_atomic(path, b, n);
  free(b);
  return rc;
}
unsigned char *sched_bytes(const struct schedule *s, size_t *n)
{
  unsigned char *b = xmalloc(sched_file_bytes);
  sched_encode(s, b);
  uint32_t crc = (uint32_t)crc32(0L, b, sched_file_bytes - 4);
  for (int j = 0; j < 4; j++) b[sched_file_bytes - 4 + j] = (unsigned char)(crc >> (8 * j));
  *n = sched_file_bytes;
  return b;
}

@ Loading believes nothing until it has checked everything, and changes
the schedule only then: a failed load leaves it as it was.  The checks
are in the order in which a damaged file is best described.
@.not a schedule file@>
@<Schedules: the schedule file@>=
int sched_load(struct schedule *s, const char *path, char *msg, size_t len)
{
  size_t size;
  unsigned char *b = read_file(path, &size, msg, len);
  if (!b) return -1;
  int rc = sched_unbytes(s, path, b, size, msg, len);
  free(b);
  return rc;
}
int sched_unbytes(struct schedule *s, const char *path, const unsigned char *b,
                  size_t size, char *msg, size_t len)
{
  struct sched_config c;
  int rc = -1;
  @<Schedules: refuse a file that is not an intact schedule file@>@;
  @<Schedules: refuse a file of another kind, or an impossible state@>@;
  s->c = c;
  s->t = get_u64(b + 24);
  rc = 0;
done:
  return rc;
}

@ First the magic and the size, then the checksum: a file that fails
here was not written by |sched_save|, or was damaged afterwards.
@<Schedules: refuse a file that is not an intact...@>=
if (size < 8 || memcmp(b, "DSCSCH01", 8) != 0) {
  sched_error(msg, len, "%s: not a schedule file", path); goto done;
}
if (size != sched_file_bytes) {
  sched_error(msg, len, "%s: truncated or padded (%zu bytes, a schedule file has %d)",
              path, size, sched_file_bytes);
  goto done;
}
uint32_t stored = 0;
for (int j = 3; j >= 0; j--) stored = (stored << 8) | b[size - 4 + j];
if (stored != (uint32_t)crc32(0L, b, (uInt)(size - 4))) {
  sched_error(msg, len, "%s: checksum mismatch (file corrupt)", path); goto done;
}

@ An intact file must hold a schedule of the same kind as the one being
restored, with a configuration that |sched_check| accepts, and a step
count that the schedule could have reached: at most |total_steps| for the
one-cycle schedule, and at most $2^{53}$ for every kind, since
|sched_step| never goes further.  (A count of $2^{64}-1$, say, would
wrap around to zero at the next step.)  The configuration needs no
bounds beyond |sched_check|'s: every value function above computes
without overflow, and ends, for every configuration that |sched_check|
accepts and every step count; a cosine-restarts file with $T_{\rm mult}=2^{62}$ resumes on the
same values as the command line that made it.  The file's name of its kind
is quoted through |get_name| (Appendix~A), which keeps the message one line
whatever bytes the field holds.
@<Schedules: refuse a file of another kind...@>=
if (strncmp((const char *)b + 8, s->kind->name, 16) != 0) {
  char name[17];
  get_name(name, b + 8, 16);
  sched_error(msg, len, "%s: a '%s' schedule, not '%s'", path, name, s->kind->name);
  goto done;
}
if (sched_decode(b, &c) != 0 || sched_check(s->kind->name, &c, NULL, 0) != 0) {
  sched_error(msg, len, "%s: invalid configuration", path); goto done;
}
if (s->kind->value == onecycle_value && get_u64(b + 24) > (uint64_t)c.total_steps) {
  sched_error(msg, len, "%s: step count past the end of the schedule", path); goto done;
}
if (get_u64(b + 24) > DESCENT_MAX_STEPS) {
  sched_error(msg, len, "%s: step count %llu is beyond 2^53, more than any run takes", path,
              (unsigned long long)get_u64(b + 24));
  goto done;
}
@q end library part @>
@*1 The schedules side by side.
Figure~\figref{04-schedules-all} draws every kind over 300 steps, with a
base rate of~1, so that the vertical axis reads as a fraction of the
peak.  The settings are chosen to show each shape, not to recommend it:
step decay halves the rate every 60 steps, multi-step decay at steps 100,
200 and 250; exponential decay has $\gamma=0.99$; cosine annealing runs
over all 300 steps, and the warmup-cosine schedule warms up for 30 of
them; the warm restarts start with a period of 20 steps that doubles at
every restart; the linear schedule is drawn twice, as a warmup from $1/4$
over 60 steps and as a decay to $0.05$ over 250; the cyclic schedule goes
from 0.1 to~1 in 50 steps and back, in each of its three modes; the
one-cycle schedule peaks at~1 with PyTorch's other defaults, in two and
in three phases.  The program writes the table with one column per curve,
and the momentum of the cycling schedules in columns of their own.
@d figure_steps 300
@<Schedules: functions@>=
struct figure_curve {
  const char *column, *kind;  /* the column of \.{all.tsv}, and the schedule */
  struct sched_config c;
  bool momentum;              /* add a column with the cycled momentum */
};@/
static const struct figure_curve figure_curves[] = {@/
  @<Schedules: the decaying curves of the figure@>@/
  @<Schedules: the cycling curves of the figure@>@/
};
enum { n_curves = sizeof figure_curves / sizeof figure_curves[0] };

@ The decaying schedules have no momentum to cycle.
@<Schedules: the decaying curves of the figure@>=
@[{"step", "step", {.lr = 1, .step_size = 60, .gamma = 0.5}, false}@],@/
@[{"multistep", "multistep", {.lr = 1, .milestones = {100, 200, 250}, .n_milestones = 3,
  .gamma = 0.5}, false}@],@/
@[{"exponential", "exponential", {.lr = 1, .gamma = 0.99}, false}@],@/
@[{"cosine", "cosine", {.lr = 1, .t_max = 300}, false}@],@/
@[{"warmupcosine", "warmup-cosine", {.lr = 1, .t_max = 300, .warmup_steps = 30}, false}@],@/
@[{"restarts", "cosine-restarts", {.lr = 1, .t_0 = 20, .t_mult = 2}, false}@],@/
@[{"linearwarmup", "linear", {.lr = 1, .start_factor = 0.25, .end_factor = 1,
  .total_iters = 60}, false}@],@/
@[{"lineardecay", "linear", {.lr = 1, .start_factor = 1, .end_factor = 0.05,
  .total_iters = 250}, false}@],@/

@ The cycling ones name what the figure changes; the rest are the
kind's defaults, PyTorch's, as for every curve (see |figure_config|
below).
@<Schedules: the cycling curves of the figure@>=
@[{"triangular", "cyclic", {.lr = 0.1, .base_lr = 0.1, .max_lr = 1, .step_size_up = 50,
  .mode = sched_triangular, .gamma = 1, .cycle_momentum = true, .base_momentum = 0.8,
  .max_momentum = 0.9}, true}@],@/
@[{"triangulartwo", "cyclic", {.lr = 0.1, .base_lr = 0.1, .max_lr = 1, .step_size_up = 50,
  .mode = sched_triangular2, .gamma = 1}, false}@],@/
@[{"exprange", "cyclic", {.lr = 0.1, .base_lr = 0.1, .max_lr = 1, .step_size_up = 50,
  .mode = sched_exp_range, .gamma = 0.995}, false}@],@/
@[{"onecycle", "onecycle", {.max_lr = 1, .total_steps = 300, .pct_start = 0.3,
  .div_factor = 25, .final_div_factor = 1e4, .cycle_momentum = true,
  .base_momentum = 0.85, .max_momentum = 0.95}, true}@],@/
@[{"onecyclelinear", "onecycle", {.max_lr = 1, .total_steps = 300, .pct_start = 0.3,
  .div_factor = 25, .final_div_factor = 1e4, .linear_anneal = true}, false}@],@/
@[{"threephase", "onecycle", {.max_lr = 1, .total_steps = 300, .pct_start = 0.3,
  .div_factor = 25, .final_div_factor = 1e4, .three_phase = true,
  .cycle_momentum = true, .base_momentum = 0.85, .max_momentum = 0.95}, true}@]

@ A designated initializer leaves every field it does not name at zero,
and zero is a setting: a cyclic schedule with |step_size_down| zero
drops from its peak in one step, a sawtooth instead of a triangle.  So a
curve's configuration is laid over its kind's defaults: a field that the
curve sets (to anything but zero) replaces the default, the others keep
it.  The same rule protects every curve, and \.{tests/cli.sh} checks on
the quick run's table that the triangular curve rises for 50 steps and
falls for 50.
@^defaults, of a schedule@>
@<Schedules: functions@>=
static struct sched_config figure_config(const struct figure_curve *f)
{
  struct sched_config c, over = f->c;
  sched_defaults(f->kind, &c);
  double *r[sched_nreal], *ro[sched_nreal];
  long *n[sched_ncount], *no[sched_ncount];
  sched_fields(&c, r, n);
  sched_fields(&over, ro, no);
  for (int i = 0; i < sched_nreal; i++) if (*ro[i] != 0.0) *r[i] = *ro[i];
  for (int i = 0; i < sched_ncount; i++) if (*no[i] != 0) *n[i] = *no[i];
  if (over.n_milestones) {
    memcpy(c.milestones, over.milestones, sizeof c.milestones);
    c.n_milestones = over.n_milestones;
  }
  if (over.mode) c.mode = over.mode;
  c.linear_anneal |= over.linear_anneal;
  c.three_phase |= over.three_phase;
  c.cycle_momentum = over.cycle_momentum;
  return c;
}

@ The experiment steps all the schedules together, one row per step, and
then asks a few of them questions that the text answers.
@<Schedules: functions@>=
@<Schedules: the figure's helpers@>@;
static void schedules_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  struct schedule *s[n_curves];
  char header[512] = "t";
  for (int k = 0; k < n_curves; k++) {
    struct sched_config c = figure_config(&figure_curves[k]);
    s[k] = sched_new(figure_curves[k].kind, &c);
    appendf(header, sizeof header, "\t%s", figure_curves[k].column);
    if (figure_curves[k].momentum)@/
      appendf(header, sizeof header, "\t%sMom", figure_curves[k].column);
  }
  @<Schedules: write a row of \.{all.tsv} per step, and print a few@>@;
  @<Schedules: quote what the figure shows@>@;
  for (int k = 0; k < n_curves; k++) sched_free(&s[k]);
}

@ Every 50th row is printed as well, for a reader without gnuplot.
@<Schedules: write a row of \.{all.tsv} per step...@>=
struct tsv *t = tsv_open(L->o->out, "all.tsv", header);
printf("== schedules: the value at step t (base rate 1)\n%5s", "t");
for (int k = 0; k < n_curves; k++) printf(" %8.8s", figure_curves[k].column);
printf("\n");
for (int step = 0; step < figure_steps; step++) {
  double row[1 + 2 * n_curves];
  size_t n = 0;
  row[n++] = step;
  for (int k = 0; k < n_curves; k++) {
    double m, lr = sched_lr(s[k], &m);
    row[n++] = lr;
    if (figure_curves[k].momentum) row[n++] = m;
    if (sched_step(s[k], NULL, 0) != 0) die("figure: %s stopped early", figure_curves[k].column);
  }
  tsv_row(t, n, row);
  @<Schedules: print the row if |step| is a multiple of 50@>@;
}
tsv_close(t);

@ The printed row leaves out the momentum.
@<Schedules: print the row...@>=
if (step % 50 == 0 || step == figure_steps - 1) {
  printf("%5d", step);
  for (size_t i = 1, k = 0; k < n_curves; k++) {
    printf(" %8.4f", row[i]);
    i += figure_curves[k].momentum ? 2 : 1;
  }
  printf("\n");
}

@ The text quotes a few facts that the figure can only suggest, each
computed from a fresh schedule moved to the step in question.  |value_at|
sets the step count directly; that is all a schedule's state is.
@<Schedules: the figure's helpers@>=
static double value_at(int k, uint64_t t, double *m)
{
  struct schedule *s = sched_new(figure_curves[k].kind, &figure_curves[k].c);
  s->t = t;
  double lr = sched_lr(s, m);
  sched_free(&s);
  return lr;
}
static int curve(const char *column)
{
  for (int k = 0; k < n_curves; k++)
    if (strcmp(figure_curves[k].column, column) == 0) return k;
  die("no curve %s", column);
}

@ The cosine's value at $2T_{\max}$; the steps at which the warm
restarts restart; the step of the one-cycle peak and its first and last
values; the step at which the three-phase schedule is back at its
starting rate.
@<Schedules: quote what the figure shows@>=
int cosine = curve("cosine"), rs = curve("restarts"), oc = curve("onecycle");
int three = curve("threephase");
char restarts[128] = "";
for (int step = 1, n = 0; step < figure_steps; step++)
  if (value_at(rs, step, NULL) > value_at(rs, step - 1, NULL))
    appendf(restarts, sizeof restarts, "%s%d", n++ ? ", " : "", step);
int peak = 0, back = 0;
for (int step = 1; step < figure_steps; step++) {
  if (value_at(oc, step, NULL) > value_at(oc, peak, NULL)) peak = step;
  if (!back && step > peak + 1
      && value_at(three, step, NULL) <= value_at(three, 0, NULL) * (1 + 1e-12)) back = step;
}
@<Schedules: print and quote the figure's facts@>@;

@ The figure's facts are printed, and go to \.{values.tex}.
@<Schedules: print and quote the figure's facts@>=
double m0, m1;
value_at(oc, 0, &m0); value_at(oc, (uint64_t)peak, &m1);
printf("cosine, T_max 300: value at t = 600 is %g\n", value_at(cosine, 600, NULL));
printf("restarts (T_0 20, T_mult 2) at t = %s\n", restarts);
printf("onecycle: %g at t = 0, peak at t = %d, %.3g at t = %d; momentum %g -> %g\n",
       value_at(oc, 0, NULL), peak, value_at(oc, figure_steps - 1, NULL),
       figure_steps - 1, m0, m1);
printf("three phases: back at the starting rate at t = %d\n\n", back);
values_put(L->v, "SCcosBack", "%g", value_at(cosine, 600, NULL));
values_put(L->v, "SCrestarts", "%s", restarts);
values_put(L->v, "SConePeak", "%d", peak);
values_put(L->v, "SConeFirst", "%g", value_at(oc, 0, NULL));
values_sci(L->v, "SConeLast", value_at(oc, figure_steps - 1, NULL));
values_put(L->v, "SCthreeBack", "%d", back);

@ Figure~\figref{04-schedules-all} shows the result.
\bookfigure{04-schedules-all}{Every schedule in the library over 300
steps, as PyTorch computes it, with a base rate of 1.  The cyclic panel
shows the modes |triangular| (solid), |triangular2| (dashed) and
|exp_range| with $\gamma=0.995$ (dotted).  The last column of the two
lower rows: the momentum (or Adam's $\beta_1$) that the cyclic and
one-cycle schedules move against the rate.}
Three details in Figure~\figref{04-schedules-all} are easy to get wrong
when a schedule is written from its description rather than from
PyTorch.  The warm restarts come at steps \val{SCrestarts}: each period is
twice as long as the last, and the rate never reaches zero before a
restart.  The one-cycle schedule starts at $\val{SConeFirst}=1/25$ of its
peak, reaches the peak at step \val{SConePeak}---that is $0.3\cdot300-1$,
not $0.3\cdot300$---and ends at $\val{SConeLast}$, which is $1/25$ of the
peak divided by another $10^4$; in three phases it is back at the starting
rate at step \val{SCthreeBack}.  And cosine annealing is periodic: run
past its $T_{\max}=300$, PyTorch's formula climbs again, and at step 600
the program finds it back at \val{SCcosBack} times the base rate.  A run that is
lengthened without lengthening $T_{\max}$ finishes at a high rate.

@*1 Training a network on a schedule.
The experiments train the same small network under different schedules:
the multilayer perceptron of Appendix~A with one hidden layer of
128 rectified units (|hidden|), 784 inputs and 10 outputs, \val{SCparams}
parameters, with He's initial weights.  It learns from mini-batches of
Fashion-MNIST's training images, drawn by the library's sampler
(shuffled once per epoch, the last incomplete batch dropped), and it is
judged by its loss and accuracy on the 10\,000 test images.  The
optimizer is SGD with momentum 0.9 (|sgd_momentum|), or Adam with PyTorch's
defaults, each with PyTorch's exact semantics (Chapters 2 and~3); the
schedule sets the rate before every step.

The |sc_plan| structure holds the sizes.  The full plan trains on all
60\,000 training images in batches of 128, 468 steps per epoch; the decay
experiments have a budget of two epochs.  That is short by the standards
of published recipes, which train for tens of epochs, and the differences
between schedules measured here are differences after a short budget.
The \.{--quick} plan is the same program on 640 images.
@d hidden 128
@d sgd_momentum 0.9
@d max_seeds 8
@<Schedules: types@>=
struct sc_plan {
  size_t train_n;     /* training images used */
  size_t test_n;      /* test images used for evaluation */
  size_t batch;       /* $B$ */
  long epochs;        /* the budget $T$ of the decay experiments, in epochs */
  int seeds;          /* seeds per configuration, at most |max_seeds| */
  int warm_seeds;     /* seeds per warmup length */
  long range_steps;   /* the length of the range test's sweep */
  long smooth;        /* half-width of the moving average in the figures */
};
static const struct sc_plan full_plan = @[{60000, 10000, 128, 2, 4, 4, 400, 25}@];
static const struct sc_plan quick_plan = @[{640, 300, 32, 2, 2, 2, 60, 2}@];

@ Every experiment but the first trains on the plan's |train_n| training
images and is judged on its |test_n| test images.  A smaller data set
would not stop the program at once: it would shorten the epoch, and with
it every schedule, until a schedule too short to be built stopped it
halfway.  So each experiment that trains asks for the plan's sizes, and
the harness calls this check before anything is written.
@<Schedules: the plan and the lab@>=
static const struct sc_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }
static void check_sizes(const struct chapter *ch)
{
  const struct sc_plan *p = plan_of(ch);
  for (const struct experiment *e = ch->spec->experiments; e->name; e++)
    if (e->data) chapter_need(ch, e->name, p->train_n, p->test_n);
}

@ Everything the experiments share travels in one structure: the
chapter (its options and its file of values for the text), the plan, the
data cut to the plan's sizes (a cut is a view of the same images), and
the seeds.  The $k$th seed of every experiment is the same number, so
that two configurations run with seed $k$ start from the same weights
and see the data in the same order: the comparisons below are paired.
@<Schedules: types@>=
struct lab {
  const struct chapter *o;
  const struct sc_plan *p;
  struct value_file *v;
  struct dataset train, test;
  long epoch;                /* steps per epoch */
  long T;                    /* the budget, |epochs * epoch| steps */
  long steps;                /* steps trained so far, by all runs */
  uint64_t seed[max_seeds];
};

@ There is one lab, set up by the first experiment that runs; each later
one finds it as the one before left it, with the steps trained so far.
The seeds are drawn from the \.{--seed} on a stream of their own.
@<Schedules: the plan and the lab@>=
static struct lab *lab_of(const struct chapter *o)
{
  static struct lab the_lab;
  struct lab *L = &the_lab;
  if (L->o) return L;
  L->o = o; L->p = plan_of(o); L->v = o->values;
  if (o->train) {
    L->train = *o->train; L->train.n = L->p->train_n;
    L->test = *o->test; L->test.n = L->p->test_n;
  }
  L->epoch = (long)(L->train.n / L->p->batch);
  L->T = L->p->epochs * L->epoch;
  struct rng r;
  rng_seed(&r, o->seed, 4);
  for (int k = 0; k < max_seeds; k++) L->seed[k] = rng_u64(&r);
  return L;
}

@ After the last experiment, the harness calls |quote_steps|, which
quotes the number of steps trained in the whole run, for the chapter's
opening.
@<Schedules: the plan and the lab@>=
static void quote_steps(struct chapter *o)
{
  struct lab *L = lab_of(o);
  values_put(L->v, "SCsteps", "%ld", L->steps);
  values_put(L->v, "SCepochs", "%.0f",
             (double)L->steps * (double)L->p->batch / (double)L->p->train_n);
}

@ A {\it run\/} is one training run: what to train with, and what
happened.  Besides the loss of every mini-batch and the rate it was
trained at, a run records the length of its first step and of its
longest, $\Vert\theta_{t+1}-\theta_t\Vert$, for the warmup experiment.
The schedule normally advances after every step; a run whose |per| is
the number of steps in an epoch advances it once per epoch, which is
the bug studied below.
@<Schedules: types@>=
struct run {
  const char *opt, *sched;   /* the optimizer's kind and the schedule's */
  struct sched_config sc;
  long steps;                /* optimizer steps */
  long per;                  /* the schedule advances after every |per| steps */
  uint64_t seed;             /* initial weights and the order of the data */
  float *loss, *lr;          /* per step: the mini-batch loss, the rate used */
  long diverged;             /* the first step whose loss was not finite, or $-1$ */
  double first_update, max_update;
  double test_loss, test_acc, train_loss;
};

@ A new run has its two curves filled with NaN, which is what a run that
stops early leaves behind.
@<Schedules: functions@>=
static struct run new_run(const char *opt, const char *sched,
  const struct sched_config *c, long steps, uint64_t seed)
{
  struct run r = @[{.opt = opt, .sched = sched, .sc = *c,@/
    .steps = steps, .per = 1, .seed = seed, .diverged = -1}@];
  r.loss = xmalloc((size_t)steps * sizeof(float));
  r.lr = xmalloc((size_t)steps * sizeof(float));
  for (long t = 0; t < steps; t++) r.loss[t] = r.lr[t] = NAN;
  return r;
}
static void free_run(struct run *r) { free(r->loss); free(r->lr); }
static struct sched_config config_of(const char *kind, double lr)
{
  struct sched_config c;
  sched_defaults(kind, &c);
  c.lr = lr;
  return c;
}

@ A run trains in a session of the library (Appendix~A, part~4), which
builds the network, the optimizer, the sampler and the batch buffers,
drawing the initial weights and then the sampler's seed from the run's
seed.  The optimizer has PyTorch's defaults; for SGD, the momentum and a
rate that the schedule will overwrite.  The session is given no schedule
and no clipping: the run keeps its schedule itself, since it may advance
it only once every |per| steps, and it measures each step.
@<Schedules: functions@>=
static struct session *open_session(const struct lab *L, const struct run *r)
{
  char msg[256];
  struct session_config c = @[{.nlayers = 2, .sizes = {L->train.dim, hidden,
    L->train.classes}, .opt_name = r->opt, .batch = L->p->batch, .seed = r->seed,
    .world = 1}@];
  opt_defaults(r->opt, &c.opt);
  if (strcmp(r->opt, "sgd") == 0) { c.opt.lr = 0.1; c.opt.momentum = sgd_momentum; }
  struct session *S = session_new(&c, &L->train, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}

@ The training loop, PyTorch's: set the rate, compute the loss and
gradient of the next batch, step, advance the schedule.  Steps |from| to
|to|${}-1$ are taken, and a loss that is not finite ends the run.  The
length of a step is the distance between the weights before and after it.
@<Schedules: functions@>=
static void train_steps(struct session *S, struct schedule *s, struct run *r,
  long from, long to)
{
  const size_t n = S->m->nparams;
  float *before = vec_new(n);
  char msg[256];
  for (long t = from; t < to && r->diverged < 0; t++) {
    if (sched_apply(s, S->o, msg, sizeof msg) != 0) die("%s", msg);
    r->lr[t] = (float)opt_lr(S->o);
    double loss = session_backward(S);
    r->loss[t] = (float)loss;
    if (!isfinite(loss)) { r->diverged = t; break; }
    vec_copy(before, S->m->params, n);
    session_update(S);
    double u = sqrt(vec_sqdist(S->m->params, before, n));
    if (t == 0) r->first_update = u;
    if (u > r->max_update) r->max_update = u;
    if ((t + 1) % r->per == 0 && sched_step(s, msg, sizeof msg) != 0) die("%s", msg);
  }
  vec_free(&before);
}

@ At the end, the network is evaluated on the test images, and on as many
training images for the training loss.
@<Schedules: functions@>=
static void evaluate(const struct session *S, const struct lab *L, struct run *r)
{
  struct dataset tv = L->train;
  if (tv.n > L->test.n) tv.n = L->test.n;
  double acc;
  r->test_loss = r->test_acc = r->train_loss = NAN;
  if (r->diverged >= 0) return;
  r->test_loss = mlp_evaluate(S->m, &L->test, &r->test_acc);
  r->train_loss = mlp_evaluate(S->m, &tv, &acc);
}

@ A whole run is a session from start to end; asked, it returns a copy of
its final weights.  The runs of an experiment
are independent, so they are shared out among the threads.  Each run
computes exactly as it would alone (Appendix~A's products are the same
on any number of threads), so the results do not depend on how many
there are.
@<Schedules: functions@>=
static float *train(const struct lab *L, struct run *r, bool keep)
{
  struct session *S = open_session(L, r);
  struct schedule *s = sched_new(r->sched, &r->sc);
  train_steps(S, s, r, 0, r->steps);
  evaluate(S, L, r);
  float *w = keep ? vec_new(S->m->nparams) : NULL;
  if (w) vec_copy(w, S->m->params, S->m->nparams);
  sched_free(&s); session_free(&S);
  return w;
}
static void run_all(struct lab *L, struct run *runs, int n, const char *what)
{
  long steps = 0;
  for (int k = 0; k < n; k++) steps += runs[k].steps;
  note("%s: %d runs, %ld steps in all", what, n, steps);
  @<Schedules: share the iterations of the next loop among the threads@>@;
  for (int k = 0; k < n; k++) train(L, &runs[k], false);
  L->steps += steps;
}

@ The pragma gets a section of its own, so that the function above reads
as a plain loop.  Each thread takes the next run when it has finished
one (\.{schedule(dynamic,~1)}), since runs differ in length.
@<Schedules: share the iterations of the next loop among the threads@>=
#pragma omp parallel for schedule(dynamic, 1)

@ The curves in the figures are means over the seeds of a configuration,
written one row per step with the rate, the mean loss of the mini-batch,
and a centred moving average of that mean over $2h+1$ steps (fewer at
the ends), $h$ being the plan's |smooth|.
@<Schedules: functions@>=
static void write_curve(const struct lab *L, const char *name, const struct run *r, int n)
{
  const long T = r[0].steps, h = L->p->smooth;
  double *mean = xmalloc((size_t)T * sizeof(double));
  for (long t = 0; t < T; t++) {
    mean[t] = 0;
    for (int k = 0; k < n; k++) mean[t] += r[k].loss[t] / n;
  }
  struct tsv *f = tsv_open(L->o->out, name, "step\tlr\tloss\tsmooth");
  for (long t = 0; t < T; t++) {
    long a = t - h < 0 ? 0 : t - h, b = t + h >= T ? T - 1 : t + h;
    double s = 0;
    for (long u = a; u <= b; u++) s += mean[u];
    tsv_row(f, 4, (double[4])@[{(double)t, r[0].lr[t], mean[t], s / (double)(b - a + 1)}@]);
  }
  tsv_close(f);
  free(mean);
}

@ Results over seeds are summarized by the toolkit's |spread_of|; |what|
picks the number: the test loss, the test accuracy or the training loss.
@<Schedules: functions@>=
enum measure { by_test_loss, by_test_acc, by_train_loss };
static double measure(const struct run *r, enum measure what)
{
  return what == by_test_loss ? r->test_loss : what == by_test_acc ? r->test_acc : r->train_loss;
}
static struct spread spread_by(const struct run *r, int n, enum measure what)
{
  double x[max_seeds];
  if (n > max_seeds) die("spread_by: %d runs, at most %d", n, max_seeds);
  for (int k = 0; k < n; k++) x[k] = measure(&r[k], what);
  return spread_of(x, (size_t)n);
}

@*1 Warmup.
The claim: {\it at a high peak rate, training without warmup blows up
or spikes at the start, and a short linear warmup prevents it}.  Goyal
et~al.\ (2017) made a gradual warmup part of the recipe for SGD with
large batches; today it is standard for Adam.  The
reason is easiest to see in Adam.  At its first step both moments hold
one gradient, $\hat m_1=g$ and $\hat v_1=g^2$ after bias correction
(Chapter~3), so each coordinate moves by
$\eta\,g/(\vert g\vert+\epsilon)\approx\pm\eta$, whatever the size of its
gradient.  With $n$ parameters the first step has length close to
$\eta\sqrt n$---for our network $\eta\sqrt n=\val{SCwarmBound}$ at
$\eta=\val{SCwarmPeak}$, where a typical first-layer weight is of
order~0.05.  Later in training $\hat m$ averages many noisy gradients
that partly cancel, $\vert\hat m\vert/\sqrt{\hat v}$ is well below 1, and
the same rate makes much shorter steps; the rate that is right then is
far too large for the first few steps.  A warmup keeps the rate small
while the moments fill.  (For SGD the usual explanation is a different
one---early in training the loss is sharper, so the stability limit of
Chapter~1 is lower---and it is not tested here.)

The experiment trains the network with Adam for one epoch,
\val{SCwarmSteps} steps, on the warmup-cosine schedule with the peak
$\eta=\val{SCwarmPeak}$, a hundred times Adam's default rate, and
warmup lengths of 0, 1, 2, 5, 10 and 20 percent of the steps; each with
\val{SCwarmSeeds} seeds.
@d warm_peak 0.1
@d n_fracs 6
@d warm_on 3 /* the index of 5\% in |warm_fracs| */
@<Schedules: functions@>=
static const double warm_fracs[n_fracs] = {0, 0.01, 0.02, 0.05, 0.10, 0.20};
@<Schedules: the warmup experiment's report@>@;
static void warmup_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  const long Tw = L->epoch;
  const int S = L->p->warm_seeds;
  struct run runs[n_fracs * max_seeds];
  for (int f = 0; f < n_fracs; f++)
    for (int k = 0; k < S; k++) {
      struct sched_config c = config_of("warmup-cosine", warm_peak);
      c.t_max = Tw;
      c.warmup_steps = lround(warm_fracs[f] * (double)Tw);
      runs[f * S + k] = new_run("adam", "warmup-cosine", &c, Tw, L->seed[k]);
    }
  run_all(L, runs, n_fracs * S, "warmup");
  warmup_report(L, runs, S);
  for (int k = 0; k < n_fracs * S; k++) free_run(&runs[k]);
}

@ The {\it peak loss\/} of a run is its largest mini-batch loss; at the
start every loss is close to $\ln10\approx2.3$.
@<Schedules: the warmup experiment's report@>=
static double peak_loss(const struct run *r)
{
  double p = 0;
  for (long t = 0; t < r->steps; t++)
    if (!(r->loss[t] <= p)) p = r->loss[t];
  return p;
}

@ The report writes the mean curves without warmup and with 5 percent,
a table of the sweep, and the numbers the text quotes.  For each warmup
length it gives the largest peak loss and the longest step over the
seeds, and the test loss and accuracy.
@<Schedules: the warmup experiment's report@>=
static void warmup_report(const struct lab *L, const struct run *runs, int S)
{
  char tab[1024] = "";
  write_curve(L, "warmup-off.tsv", runs, S);
  write_curve(L, "warmup-on.tsv", runs + warm_on * S, S);
  struct tsv *t = tsv_open(L->o->out, "warmup-sweep.tsv", "percent\tW\tmean\tlo\thi");
  printf("== warmup: Adam, warmup-cosine to %g over %ld steps, %d seeds\n",
         warm_peak, runs[0].steps, S);
  printf("%7s %5s %10s %10s %16s %8s\n", "warmup", "W", "peak loss", "max step",
         "test loss", "accuracy");
  for (int f = 0; f < n_fracs; f++) {
    @<Schedules: report warmup length |f|@>@;
  }
  tsv_close(t);
  printf("\n");
  @<Schedules: quote the warmup numbers@>@;
}

@ One row per warmup length, on the standard output, in the table file
and in the \TeX\ table.
@<Schedules: report warmup length |f|@>=
const struct run *r = runs + f * S;
double peak = 0, step = 0;
for (int k = 0; k < S; k++) {
  peak = fmax(peak, peak_loss(&r[k]));
  step = fmax(step, r[k].max_update);
}
struct spread loss = spread_by(r, S, by_test_loss), acc = spread_by(r, S, by_test_acc);
printf("%6.0f%% %5ld %10.2f %10.2f %7.4f +- %.4f %7.2f%%\n", 100 * warm_fracs[f],
       r->sc.warmup_steps, peak, step, loss.mean, loss.sd, 100 * acc.mean);
tsv_row(t, 5, (double[5])@[{100 * warm_fracs[f], (double)r->sc.warmup_steps,
  loss.mean, loss.lo, loss.hi}@]);
appendf(tab, sizeof tab, "%.0f\\%%&%ld&%.1f&%.1f&%.3f&%.3f--%.3f&%.1f\\%%\\cr\n",
       100 * warm_fracs[f], r->sc.warmup_steps, peak, step, loss.mean, loss.lo, loss.hi,
       100 * acc.mean);
static const char *const name[n_fracs] = {"SCwarmZero", "SCwarmOne", "SCwarmTwo",@/
  "SCwarmFive", "SCwarmTen", "SCwarmTwenty"};
values_put(L->v, name[f], "%.3f", loss.mean);

@ The numbers for the text: the first step and the peak loss without
warmup and with 5 percent, the test results of both, and the sweep.
@<Schedules: quote the warmup numbers@>=
const struct run *off = runs, *on = runs + warm_on * S;
size_t n = (L->train.dim + 1) * hidden + (hidden + 1) * L->train.classes;
values_put(L->v, "SCwarmTable", "%s", tab);
values_put(L->v, "SCparams", "%zu", n);
values_put(L->v, "SCwarmPeak", "%g", warm_peak);
values_put(L->v, "SCwarmBound", "%.1f", warm_peak * sqrt((double)n));
values_put(L->v, "SCwarmSteps", "%ld", off->steps);
values_put(L->v, "SCwarmSeeds", "%d", S);
values_put(L->v, "SCwarmOnW", "%ld", on->sc.warmup_steps);
values_put(L->v, "SCwarmFirst", "%.1f", off->first_update);
values_put(L->v, "SCwarmOffPeak", "%.1f", peak_loss(off));
values_put(L->v, "SCwarmOnPeak", "%.2f", peak_loss(on));
values_put(L->v, "SCwarmOnStep", "%.2f", on->max_update);
values_spread(L->v, "SCwarmOffTest", spread_by(off, S, by_test_loss));
values_spread(L->v, "SCwarmOnTest", spread_by(on, S, by_test_loss));
values_pct(L->v, "SCwarmOffAcc", spread_by(off, S, by_test_acc).mean);
values_pct(L->v, "SCwarmOnAcc", spread_by(on, S, by_test_acc).mean);

@ The results are in Figure~\figref{04-schedules-warmup} and
Table~\tableref{04-warmup} (losses are test losses; the spread is the
lowest and highest over the seeds).
\booktable{04-warmup}{Adam at peak rate $\eta=\val{SCwarmPeak}$ for one
epoch on the warmup-cosine schedule, with a warmup of $W$ steps: the
largest mini-batch loss and the longest step of any seed, and the test
loss (mean, lowest to highest) and accuracy after the epoch, over
\val{SCwarmSeeds} seeds.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\cr
warmup&$W$&peak loss&longest step&loss&spread&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\SCwarmTable}}}
\bookfigure{04-schedules-warmup}{Adam at peak rate 0.1 on the
warmup-cosine schedule.  Left: the mini-batch loss of the first 100
steps, mean over the seeds, without warmup and with a warmup of 5
percent (dashed: the rates, right axis).  Right: the test loss after one
epoch against the length of the warmup, mean and range over the seeds.}
Without warmup the first step has length \val{SCwarmFirst}, close to the
bound $\eta\sqrt n=\val{SCwarmBound}$, and the mini-batch loss jumps from
2.3 to as much as \val{SCwarmOffPeak} within the next few steps: a spike,
not a divergence.
The network recovers within a few dozen steps, but not completely: after
the epoch its test loss is \val{SCwarmOffTest} (mean and standard
deviation over the seeds) against \val{SCwarmOnTest} with a warmup of
\val{SCwarmOnW} steps, 5 percent, and its accuracy \val{SCwarmOffAcc}
against \val{SCwarmOnAcc}.  With that warmup no step is longer than
\val{SCwarmOnStep}, and no mini-batch loss is above \val{SCwarmOnPeak}.
The claim held: a spike without warmup, none with it, and a lasting
difference.

The sweep says how much warmup is enough.  Going from no warmup through
1, 2, 5, 10 and 20 percent, the test loss is \val{SCwarmZero},
\val{SCwarmOne}, \val{SCwarmTwo}, \val{SCwarmFive}, \val{SCwarmTen} and
\val{SCwarmTwenty}.  A warmup of 1 or 2 percent shrinks the spike but
still leaves a run that is behind; 5 and 10 percent are the best and
indistinguishable from each other at \val{SCwarmSeeds} seeds, their
ranges over the seeds overlapping; 20 percent is a little worse on
average, though inside the same spread---a longer warmup leaves less of
a one-epoch run at a useful rate.  The rule of thumb of 5 to 10 percent held here.  What
the experiment cannot say is whether a warmup should scale with the
length of the run or last a fixed number of steps; Ma and Yarats (2021)
argue for the latter and recommend $2/(1-\beta_2)$ steps for Adam, 2000
with the default $\beta_2$, far more than this whole run.

@*1 Cosine annealing against step decay.
The claim: {\it cosine annealing beats step decay}.  It is usually made
for long runs of image classifiers with SGD and momentum, where a step
decay at, say, a third and two thirds of the run is the older recipe.
The experiment runs both at the same budget, $T=\val{SCdecaySteps}$ steps
(\val{SCdecayEpochs} epochs), with the same peak rate
$\eta=\val{SCdecayPeak}$ and SGD with momentum 0.9: cosine
annealing from $\eta$ to zero over all $T$ steps, and step decay by
$\gamma=0.1$ every \val{SCstepSize} steps, so that the last third trains
at $\eta/100$.  Each runs with the same \val{SCdecaySeeds} seeds.
@d decay_peak 0.1
@<Schedules: functions@>=
@<Schedules: the decay experiment's report@>@;
static void decay_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  const int S = L->p->seeds;
  struct sched_config cosine = config_of("cosine", decay_peak);
  struct sched_config step = config_of("step", decay_peak);
  cosine.t_max = L->T;
  step.step_size = (L->T + 2) / 3;
  struct run runs[2 * max_seeds];
  for (int k = 0; k < S; k++) {
    runs[k] = new_run("sgd", "cosine", &cosine, L->T, L->seed[k]);
    runs[S + k] = new_run("sgd", "step", &step, L->T, L->seed[k]);
  }
  run_all(L, runs, 2 * S, "decay");
  decay_report(L, runs, S);
  for (int k = 0; k < 2 * S; k++) free_run(&runs[k]);
}

@ Since both schedules run with the same seeds, the comparison is made
seed by seed: the difference of the test losses, step minus cosine, is
positive where cosine won.
@<Schedules: the decay experiment's report@>=
static void decay_report(const struct lab *L, const struct run *runs, int S)
{
  const struct run *cosine = runs, *step = runs + S;
  char tab[1024] = "";
  double dlo = INFINITY, dhi = -INFINITY, dmean = 0;
  int wins = 0;
  write_curve(L, "decay-cosine.tsv", cosine, S);
  write_curve(L, "decay-step.tsv", step, S);
  struct tsv *t = tsv_open(L->o->out, "decay-seeds.tsv", "seed\tcosine\tstep");
  printf("== decay: SGD (momentum %g), peak %g, %ld steps, %d seeds\n",
         sgd_momentum, decay_peak, L->T, S);
  printf("%4s %12s %12s %10s\n", "seed", "cosine", "step", "step-cos");
  for (int k = 0; k < S; k++) {
    @<Schedules: compare the two schedules on seed |k|@>@;
  }
  tsv_close(t);
  @<Schedules: print and quote the decay comparison@>@;
}

@ The per-seed rows go to every output.
@<Schedules: compare the two schedules on seed |k|@>=
double d = step[k].test_loss - cosine[k].test_loss;
dmean += d / S;
dlo = fmin(dlo, d);
dhi = fmax(dhi, d);
wins += d > 0;
printf("%4d %12.4f %12.4f %+10.4f\n", k + 1, cosine[k].test_loss, step[k].test_loss, d);
tsv_row(t, 3, (double[3])@[{(double)(k + 1), cosine[k].test_loss, step[k].test_loss}@]);
appendf(tab, sizeof tab, "%d&%.4f&%.4f&%+.4f&%.1f\\%%&%.1f\\%%\\cr\n", k + 1,
       cosine[k].test_loss, step[k].test_loss, d, 100 * cosine[k].test_acc,
       100 * step[k].test_acc);

@ The summary lines: mean and standard deviation of each, the training
losses, and the paired difference.
@<Schedules: print and quote the decay comparison@>=
struct spread cl = spread_by(cosine, S, by_test_loss), sl = spread_by(step, S, by_test_loss);
struct spread ca = spread_by(cosine, S, by_test_acc), sa = spread_by(step, S, by_test_acc);
struct spread ct = spread_by(cosine, S, by_train_loss), st = spread_by(step, S, by_train_loss);
printf("mean %12.4f %12.4f %+10.4f\n", cl.mean, sl.mean, dmean);
printf("sd   %12.4f %12.4f\n", cl.sd, sl.sd);
printf("accuracy %.2f%% (cosine), %.2f%% (step); training loss %.4f, %.4f\n\n",
       100 * ca.mean, 100 * sa.mean, ct.mean, st.mean);
values_put(L->v, "SCdecayTable", "%s", tab);
values_put(L->v, "SCdecaySteps", "%ld", L->T);
values_put(L->v, "SCdecayEpochs", "%ld", L->p->epochs);
values_put(L->v, "SCdecayPeak", "%g", decay_peak);
values_put(L->v, "SCdecaySeeds", "%d", S);
values_put(L->v, "SCstepSize", "%ld", step->sc.step_size);
values_spread(L->v, "SCcosTest", cl); values_spread(L->v, "SCstepTest", sl);
values_pct(L->v, "SCcosAcc", ca.mean); values_pct(L->v, "SCstepAcc", sa.mean);
values_spread(L->v, "SCcosTrain", ct); values_spread(L->v, "SCstepTrain", st);
values_put(L->v, "SCdiffMean", "%.3f", dmean);
values_put(L->v, "SCdiffLo", "%.3f", dlo);
values_put(L->v, "SCdiffHi", "%.3f", dhi);
values_put(L->v, "SCcosWins", "%d", wins);
values_put(L->v, "SCcosFirst", "%.3f", cosine[0].test_loss);
values_put(L->v, "SCsmooth", "%ld", 2 * L->p->smooth + 1);

@ The results are in Table~\tableref{04-decay}, seed by seed, and in
Figure~\figref{04-schedules-decay}.
\booktable{04-decay}{SGD with momentum 0.9 and peak rate
$\eta=\val{SCdecayPeak}$ for \val{SCdecayEpochs} epochs on cosine
annealing and on step decay, seed by seed: the test loss of each and
the difference, step decay minus cosine, and the test accuracy.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\cr
&\multispan2\hfil test loss\hfil\quad&&\multispan2\hfil accuracy\hfil\cr
seed&cosine&step&difference&cosine&step\cr
\noalign{\smallskip\hrule\smallskip}
\SCdecayTable}}}
\bookfigure{04-schedules-decay}{SGD with momentum 0.9 and peak rate 0.1
for two epochs on cosine annealing and on step decay.  Left: the rate.
Right: the mini-batch loss, mean over the seeds, smoothed by a centred
moving average over \val{SCsmooth} steps.}
Cosine annealing ended with the lower test loss in \val{SCcosWins} of
the \val{SCdecaySeeds} seeds: \val{SCcosTest} against \val{SCstepTest}
(mean and standard deviation over the seeds), a mean difference of
\val{SCdiffMean}, between \val{SCdiffLo} and \val{SCdiffHi} from seed to
seed; accuracy \val{SCcosAcc} against \val{SCstepAcc}.  The losses on
training images, \val{SCcosTrain} and \val{SCstepTrain}, differ the same
way.  In this setting the claim held, by a margin several times the
spread between seeds.

Figure~\figref{04-schedules-decay} shows how.  The step decay is
{\it ahead\/} for a while after its first decay: when the rate drops
tenfold at step \val{SCstepSize}, the rattle of the iterate around the
valley floor shrinks at once and the loss falls below cosine's, whose
rate is then still three quarters of the peak.  Then the step decay
stalls: its last third, at $\eta/100$, barely moves the weights, while
cosine annealing spends that time at rates that still make progress and
reaches small rates only at the very end.  Whether better-placed steps
would close the gap is Exercise~2.  The comparison covers a two-epoch
budget; it says nothing about the hundred-epoch runs where the claim is
usually made, only that the smooth schedule, which has no step positions
to choose, was the better default here.

@*1 One cycle on a short budget.
The claim: {\it with the one-cycle policy a network trains in a fraction
of the usual number of steps}---``super-convergence'' (Smith and Topin,
2019), reported for residual networks on CIFAR-10 at a tenth of the
usual budget, with a high peak rate.  The experiment gives the one-cycle
schedule a quarter of the decay experiment's budget,
\val{SCshortSteps} steps, with the peak $\eta_{\max}=0.1$ (|decay_peak|) and
with three times that, SGD with momentum cycled between 0.95 and 0.85
(PyTorch's defaults).  For comparison, cosine annealing runs on the same
short budget from the same peak; and the decay experiment has already
measured cosine annealing on the full budget.
@d short_hi 0.3
@<Schedules: functions@>=
@<Schedules: the one-cycle experiment's reports@>@;
static void onecycle_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  const int S = L->p->seeds;
  const long Ts = L->T / 4;
  struct sched_config oc = config_of("onecycle", NAN), hi;
  struct sched_config cosine = config_of("cosine", decay_peak);
  oc.max_lr = decay_peak; oc.total_steps = Ts;
  hi = oc; hi.max_lr = short_hi;
  cosine.t_max = Ts;
  struct run runs[3 * max_seeds + 2];
  for (int k = 0; k < S; k++) {
    runs[k] = new_run("sgd", "onecycle", &oc, Ts, L->seed[k]);
    runs[S + k] = new_run("sgd", "onecycle", &hi, Ts, L->seed[k]);
    runs[2 * S + k] = new_run("sgd", "cosine", &cosine, Ts, L->seed[k]);
  }
  @<Schedules: add the two runs of the per-epoch bug@>@;
  run_all(L, runs, 3 * S + 2, "onecycle");
  short_report(L, runs, S);
  bug_report(L, runs + 3 * S);
  for (int k = 0; k < 3 * S + 2; k++) free_run(&runs[k]);
}

@ The report of the short runs gives the mean and spread of each
configuration, and writes its mean curve.
@<Schedules: the one-cycle experiment's reports@>=
static void short_report(const struct lab *L, const struct run *runs, int S)
{
  static const char *const what[3] = {"one-cycle, peak 0.1", "one-cycle, peak 0.3",
    "cosine, peak 0.1"};
  static const char *const file[3] = {"short-onecycle.tsv", "short-onecycle-hi.tsv",
    "short-cosine.tsv"};
  static const char *const name[3][2] = {{"SConeTest", "SConeAcc"},
    {"SConeHiTest", "SConeHiAcc"}, {"SCshortCosTest", "SCshortCosAcc"}};
  printf("== onecycle: %ld steps (a quarter of %ld), %d seeds\n", runs[0].steps, L->T, S);
  for (int c = 0; c < 3; c++) {
    struct spread l = spread_by(runs + c * S, S, by_test_loss);
    struct spread a = spread_by(runs + c * S, S, by_test_acc);
    printf("%-22s test loss %.4f +- %.4f (%.4f to %.4f), accuracy %.2f%%\n",@/
           what[c], l.mean, l.sd, l.lo, l.hi, 100 * a.mean);
    write_curve(L, file[c], runs + c * S, S);
    values_spread(L->v, name[c][0], l);
    values_pct(L->v, name[c][1], a.mean);
  }
  values_put(L->v, "SCshortSteps", "%ld", runs[0].steps);
}

@ The second claim of this part is a bug, not a method.  PyTorch's
schedulers do not know whether they are stepped per batch or per epoch:
|scheduler.step()| advances $t$ by one, whenever it is called.  Old
examples step the scheduler once per epoch, after the loop over batches,
and that is right for a schedule whose steps were counted in epochs.  A
one-cycle or warmup-cosine schedule built with |total_steps| counted in
batches and stepped per epoch raises no error and prints no warning: it
simply stays near its start.  The experiment trains for the full budget
$T$ with a one-cycle schedule over $T$ steps, peak 0.1, once
stepped after every batch and once after every epoch, on the first seed.
@<Schedules: add the two runs of the per-epoch bug@>=
struct sched_config full = oc;
full.total_steps = L->T;
runs[3 * S] = new_run("sgd", "onecycle", &full, L->T, L->seed[0]);
runs[3 * S + 1] = new_run("sgd", "onecycle", &full, L->T, L->seed[0]);
runs[3 * S + 1].per = L->epoch;

@ The report gives the rates that the buggy run trained at in each
epoch, the results of both runs, and, without training, what a
warmup-cosine schedule with 5 percent warmup would do under the same
bug: in epoch $e$ it is at step~$e$.
@<Schedules: the one-cycle experiment's reports@>=
static void bug_report(const struct lab *L, const struct run *r)
{
  const struct run *ok = r, *bug = r + 1;
  write_curve(L, "bug-batch.tsv", ok, 1);
  write_curve(L, "bug-epoch.tsv", bug, 1);
  struct sched_config wc = config_of("warmup-cosine", decay_peak);
  wc.t_max = L->T; wc.warmup_steps = lround(0.05 * (double)L->T);
  struct schedule *s = sched_new("warmup-cosine", &wc);
  double wc0 = sched_lr(s, NULL);
  s->t = 1;
  double wc1 = sched_lr(s, NULL);
  sched_free(&s);
  @<Schedules: print and quote the per-epoch bug@>@;
}

@ The rates of the buggy run are read from its record.
@<Schedules: print and quote the per-epoch bug@>=
printf("one-cycle over %ld steps, stepped per batch: test loss %.4f, accuracy %.2f%%\n",
       ok->steps, ok->test_loss, 100 * ok->test_acc);
printf("the same, stepped per epoch: rate %.4g in epoch 1, %.4g in epoch 2;"@/
       " test loss %.4f, accuracy %.2f%%\n", bug->lr[0], bug->lr[L->epoch],
       bug->test_loss, 100 * bug->test_acc);
printf("warmup-cosine (warmup %ld) stepped per epoch: rate %g in epoch 1, "@/
       "%.3g in epoch 2\n\n",
       wc.warmup_steps, wc0, wc1);
values_put(L->v, "SCbugLrOne", "%.3g", bug->lr[0]);
values_put(L->v, "SCbugLrTwo", "%.3g", bug->lr[L->epoch]);
values_put(L->v, "SCokTest", "%.3f", ok->test_loss);
values_put(L->v, "SCbugTest", "%.3f", bug->test_loss);
values_pct(L->v, "SCokAcc", ok->test_acc);
values_pct(L->v, "SCbugAcc", bug->test_acc);
values_put(L->v, "SCwcWarm", "%ld", wc.warmup_steps);
values_put(L->v, "SCwcOne", "%g", wc0);
values_sci(L->v, "SCwcTwo", wc1);

@ Figure~\figref{04-schedules-onecycle} shows both experiments.
\bookfigure{04-schedules-onecycle}{Left: a quarter of the budget,
mini-batch loss (mean over the seeds, smoothed) for the one-cycle
schedule at peaks 0.1 and 0.3 and for cosine annealing at 0.1; the grey
line marks where cosine annealing over the full budget ends.  Right:
one-cycle over two epochs, stepped after every batch and, wrongly, after
every epoch: the loss, and dashed, the rates (right axis).}
On a quarter of the budget, the one-cycle schedule at peak 0.1
ended at test loss \val{SConeTest} (accuracy \val{SConeAcc}), at peak
0.3 at \val{SConeHiTest} (\val{SConeHiAcc}), and cosine annealing
at \val{SCshortCosTest} (\val{SCshortCosAcc}).  Cosine annealing over the
full budget had reached \val{SCcosTest}.  So the one-cycle policy did
not make a quarter of the budget as good as the whole, and on the short
budget it was slightly behind plain cosine annealing; the higher peak
was worse still.  Over the full budget, one-cycle stepped correctly
(the first run of the bug experiment) ended at \val{SCokTest}, where
cosine annealing ended at \val{SCcosFirst} on the same seed: about as
good, by less than the spread between seeds, and not clearly better.  None of this refutes super-convergence, which was reported
for residual networks with batch normalization and which Smith and Topin
attribute partly to a regularizing effect of large rates; it says that
on a small perceptron the schedule alone is no shortcut.

The bug is silent and expensive.  Stepped once per epoch, the one-cycle
schedule trained at its starting rate, \val{SCbugLrOne}, $1/25$ of the
peak, for the whole first epoch, and at \val{SCbugLrTwo} for the second;
it ended at test loss \val{SCbugTest} (accuracy \val{SCbugAcc}) instead
of \val{SCokTest} (\val{SCokAcc}).  Nothing failed and nothing was
printed: the run looks like a run with a poorly chosen rate.  A
warmup-cosine schedule with a warmup of \val{SCwcWarm} steps is stranded
lower still: stepped per epoch, its rate is \val{SCwcOne} for the whole
first epoch, which therefore changes no weight at all, and
$\val{SCwcTwo}$ in the second.  The remedy is a check, not
care: look at the rate that the optimizer actually used, which this
program records at every step, before trusting a run.

@*1 The learning-rate range test.
Every schedule needs a peak rate, and the peak is the hyperparameter that
matters most.  The {\it range test\/} (Smith, 2017; popularized by the
fast.ai library) estimates it in one short run: start from the
untrained network, raise the rate exponentially from
$\val{SCrangeLo}$ to $\val{SCrangeHi}$ over \val{SCrangeSteps} steps, and
record the loss of every mini-batch.  The rate is the library's
exponential schedule with $\gamma>1$,
$\gamma=(\eta_{\rm hi}/\eta_{\rm lo})^{1/(N-1)}$.  The mini-batch losses
are noisy, so they are smoothed by an exponential moving average with
$\beta=0.98$ (|range_beta|), corrected for its start as Adam corrects its
moments; the sweep stops early when the smoothed loss exceeds 4
(|range_stop|) times its minimum so far.  On the resulting curve of loss against rate,
the advice is to pick the rate where the loss {\it falls fastest\/}, the
steepest descent of the smoothed curve, not the rate of the minimum,
where the loss is already turning up; a common alternative is a tenth of
the minimum's rate.
@d range_lo 1e-5
@d range_hi 10.0
@d range_beta 0.98
@d range_stop 4.0
@d range_span 5
@<Schedules: functions@>=
@<Schedules: the range test's sweep and picks@>@;
@<Schedules: the range test's report@>@;
static void range_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  const long N = L->p->range_steps;
  struct sched_config c = config_of("exponential", range_lo);
  c.gamma = pow(range_hi / range_lo, 1.0 / (double)(N - 1));
  struct run sweep = new_run("sgd", "exponential", &c, N, L->seed[0]);
  double *smooth = xmalloc((size_t)N * sizeof(double));
  note("range: a sweep of at most %ld steps", N);
  long n = range_sweep(L, &sweep, smooth);
  struct picks p = range_picks(&sweep, smooth, n);
  @<Schedules: train at the picked rates@>@;
  range_report(L, &sweep, smooth, n, &p, runs);
  for (int k = 0; k < 4; k++) free_run(&runs[k]);
  free_run(&sweep); free(smooth);
}

@ The sweep is a run taken one step at a time, so that it can stop as
soon as the smoothed loss has risen past the threshold.  It returns the
number of steps recorded.
@<Schedules: the range test's sweep and picks@>=
static long range_sweep(struct lab *L, struct run *r, double *smooth)
{
  struct session *S = open_session(L, r);
  struct schedule *s = sched_new(r->sched, &r->sc);
  double avg = 0, best = INFINITY;
  long t;
  for (t = 0; t < r->steps; t++) {
    train_steps(S, s, r, t, t + 1);
    if (r->diverged >= 0) break;
    avg = range_beta * avg + (1 - range_beta) * r->loss[t];
    smooth[t] = avg / (1 - pow(range_beta, (double)(t + 1)));
    best = fmin(best, smooth[t]);
    if (smooth[t] > range_stop * best) { t++; break; }
  }
  sched_free(&s); session_free(&S);
  L->steps += t;
  return t;
}

@ The picks.  The slope of the smoothed loss against $\log_{10}\eta$ is
taken as a central difference over $\pm5$ steps (|range_span|), and the
steepest descent is its most negative value before the minimum.
@<Schedules: the range test's sweep and picks@>=
struct picks { long steep, min; double slope; };
static struct picks range_picks(const struct run *r, const double *smooth, long n)
{
  struct picks p = @[{0, 0, 0}@];
  for (long t = 1; t < n; t++)
    if (smooth[t] < smooth[p.min]) p.min = t;
  for (long t = range_span; t + range_span < n && t <= p.min; t++) {
    double s = (smooth[t + range_span] - smooth[t - range_span])
      / log10((double)r->lr[t + range_span] / r->lr[t - range_span]);
    if (s < p.slope) { p.slope = s; p.steep = t; }
  }
  return p;
}

@ Does the picked rate train well?  The test is to use it: cosine
annealing over the full budget from the steepest-descent rate, from a
tenth of the minimum's rate, and from the minimum's rate itself; and, as
Smith suggests for the one-cycle policy, one-cycle with the minimum's rate
as its peak.  All four start from the first seed, like the sweep.
@<Schedules: train at the picked rates@>=
const double rate[4] = {sweep.lr[p.steep], sweep.lr[p.min] / 10, sweep.lr[p.min],
  sweep.lr[p.min]};
struct run runs[4];
for (int k = 0; k < 3; k++) {
  struct sched_config cc = config_of("cosine", rate[k]);
  cc.t_max = L->T;
  runs[k] = new_run("sgd", "cosine", &cc, L->T, L->seed[0]);
}
struct sched_config oc = config_of("onecycle", NAN);
oc.max_lr = rate[3]; oc.total_steps = L->T;
runs[3] = new_run("sgd", "onecycle", &oc, L->T, L->seed[0]);
run_all(L, runs, 4, "range");

@ The report writes the sweep, the picks, and the four runs.
@<Schedules: the range test's report@>=
static void range_report(const struct lab *L, const struct run *r, const double *smooth,
  long n, const struct picks *p, const struct run *runs)
{
  static const char *const rule[4] = {"steepest descent", "minimum / 10", "minimum",
    "one-cycle, peak at minimum"};
  static const char *const file[4] = {"range-steep.tsv", "range-tenth.tsv",
    "range-min.tsv", "range-onecycle.tsv"};
  struct tsv *t = tsv_open(L->o->out, "range.tsv", "step\tlr\tloss\tsmooth");
  for (long s = 0; s < n; s++)
    tsv_row(t, 4, (double[4])@[{(double)s, r->lr[s], r->loss[s], smooth[s]}@]);
  tsv_close(t);
  @<Schedules: write the picks for the figure@>@;
  @<Schedules: print the range test and the runs at its picks@>@;
  @<Schedules: quote the range test@>@;
}

@ The picks are marked in the figure at their place on the smoothed
curve; a tenth of the minimum's rate is marked at the nearest rate of the
sweep.
@<Schedules: write the picks for the figure@>=
long tenth = 0;
for (long s = 0; s < n; s++)
  if (fabs(log((double)r->lr[s] * 10 / r->lr[p->min]))
      < fabs(log((double)r->lr[tenth] * 10 / r->lr[p->min]))) tenth = s;
struct tsv *pk = tsv_open(L->o->out, "range-picks.tsv", "lr\tsmooth");
const long at[3] = {p->steep, tenth, p->min};
for (int k = 0; k < 3; k++)
  tsv_row(pk, 2, (double[2])@[{r->lr[at[k]], smooth[at[k]]}@]);
tsv_close(pk);

@ The standard output gets the sweep's outcome and one line per run.
@<Schedules: print the range test and the runs at its picks@>=
printf("== range: SGD (momentum %g), rate %g to %g over %ld steps, beta %g\n",
       sgd_momentum, range_lo, range_hi, r->steps, range_beta);
printf("stopped after %ld steps at rate %.4g; smoothed loss %.4f, minimum %.4f\n",
       n, (double)r->lr[n - 1], smooth[n - 1], smooth[p->min]);
printf("steepest descent at rate %.4g (slope %.3f per decade); minimum at rate %.4g\n",
       (double)r->lr[p->steep], p->slope, (double)r->lr[p->min]);
for (int k = 0; k < 4; k++) {
  printf("%-28s rate %.4g: test loss %.4f, accuracy %.2f%%\n", rule[k],
         k < 3 ? runs[k].sc.lr : runs[k].sc.max_lr,
         runs[k].test_loss, 100 * runs[k].test_acc);
  write_curve(L, file[k], &runs[k], 1);
}
printf("\n");

@ The numbers for the text.  The smoothing lags: an average with
$\beta=0.98$ remembers about $\beta/(1-\beta)$ steps, which the
sweep covers in a fraction of a decade of rates.
@<Schedules: quote the range test@>=
const double decade = (double)(r->steps - 1) / log10(range_hi / range_lo);
static const char *const name[4][2] = {{"SCrunSteep", "SCaccSteep"},
  {"SCrunTenth", "SCaccTenth"}, {"SCrunMin", "SCaccMin"}, {"SCrunOne", "SCaccOne"}};
values_sci(L->v, "SCrangeLo", range_lo);
values_put(L->v, "SCrangeHi", "%g", range_hi);
values_put(L->v, "SCrangeSteps", "%ld", r->steps);
values_put(L->v, "SCrangeDone", "%ld", n);
values_put(L->v, "SCrangeEnd", "%.2g", (double)r->lr[n - 1]);
values_put(L->v, "SCrangeRatio", "%.1f", smooth[n - 1] / smooth[p->min]);
values_put(L->v, "SCrangeLag", "%.1f", range_beta / (1 - range_beta) / decade);
values_put(L->v, "SCrangeMinLoss", "%.2f", smooth[p->min]);
values_put(L->v, "SCpickSteep", "%.2g", (double)r->lr[p->steep]);
values_put(L->v, "SCpickMin", "%.2g", (double)r->lr[p->min]);
values_put(L->v, "SCpickTenth", "%.2g", (double)r->lr[p->min] / 10);
values_put(L->v, "SCpickAbove", "%.1f", (double)r->lr[p->min] / decay_peak);
values_put(L->v, "SCsteepBelow", "%.0f", decay_peak / (double)r->lr[p->steep]);
values_put(L->v, "SCpickBelow", "%.1f", decay_peak / ((double)r->lr[p->min] / 10));
for (int k = 0; k < 4; k++) {
  values_put(L->v, name[k][0], "%.3f", runs[k].test_loss);
  values_pct(L->v, name[k][1], runs[k].test_acc);
}

@ Figure~\figref{04-schedules-range} shows the sweep and the runs.
\bookfigure{04-schedules-range}{Left: the range test, mini-batch loss
(grey) and its smoothed value (black) against the rate, on a logarithmic
axis; the marks are the steepest descent, a tenth of the minimum's rate,
and the minimum.  Right: two epochs of cosine annealing from each of the
three rates, and one-cycle peaking at the minimum's rate (mini-batch
loss, smoothed); grey, cosine annealing from the hand-picked rate 0.1
(the decay experiment, mean over its seeds).}
The sweep ran \val{SCrangeDone} of its \val{SCrangeSteps} steps.  The
smoothed loss fell to its minimum, \val{SCrangeMinLoss}, at rate
\val{SCpickMin}, and rose to \val{SCrangeRatio} times that minimum by the
end of the sweep, at rate \val{SCrangeEnd}.  A network driven at a rate
far too high does not always explode: here its loss hovered around and
above $\ln10\approx2.3$, the loss of a uniform guess, with wild
mini-batch losses that the smoothing averaged away (grey in the figure),
so the stopping rule never fired.  The steepest descent came at rate
\val{SCpickSteep}, and a tenth of the minimum's rate is \val{SCpickTenth}.
Trained for two epochs with cosine annealing, the three picks gave test
losses of \val{SCrunSteep}, \val{SCrunTenth} and \val{SCrunMin} (accuracy
\val{SCaccSteep}, \val{SCaccTenth}, \val{SCaccMin}), and one-cycle
peaking at the minimum's rate gave \val{SCrunOne} (\val{SCaccOne}).  The
hand-picked rate 0.1 of the decay experiment gave
\val{SCcosFirst} on the same seed.  These are single runs, all on the
first seed; for scale, the same cosine run from 0.1 ended at
\val{SCcosTest} over the decay experiment's \val{SCdecaySeeds} seeds, and
the gaps that follow, of three hundredths and more, are well outside that
spread.  (The program recomputes these numbers on every build; the
sentence was checked against them.)

So none of the picks trained as well as a rate chosen by trying a few.
The steepest descent is a {\it safe\/} rate but a poor one for a short
run: it marks where the loss fell fastest during the sweep, when the
network was untrained and had taken few steps, and it lies
\val{SCsteepBelow} times below the hand-picked rate.  The two rules built on the
minimum bracket the hand-picked rate, \val{SCpickAbove} times above it
and \val{SCpickBelow} times below, and both ended behind it.  The
one-cycle schedule made better use of the minimum's rate than cosine
annealing did, since it spends only a short time near its peak.  And the
smoothing biases every pick: the moving average lags by about
$\beta/(1-\beta)$ steps, \val{SCrangeLag} decades of rate, so that in
Figure~\figref{04-schedules-range} the smoothed curve trails the raw
losses to the right, and each of its features appears at a higher rate
than the one that caused it.  The range test finds the edge of the
usable rates in a few hundred steps, which is what it is good for;
turning the edge into a peak rate took, here, a short search below it
rather than a rule.

@*1 Resuming a run exactly.
The last claim is the library's own: {\it the schedule's state saves and
loads with the optimizer's, so a resumed run continues the same schedule
exactly}.  The experiment trains the one-cycle run of the short budget
(\val{SCresumeSteps} steps, peak 0.1, momentum cycled, first
seed) three times.  Once without interruption.  Once interrupted after
\val{SCresumeAt} steps: the session's checkpoint (|session_save|,
Appendix~A, part~4: the weights, the optimizer and the position in the
data) and the schedule (|sched_save|) are written to files and
everything in memory is freed; a new session, with fresh weights,
optimizer and schedule, loads the two files and continues.  And once
interrupted and resumed in the same way, but with a fresh schedule
instead of the saved one---the mistake of restoring the optimizer and
forgetting the scheduler.  (A session that owns its schedule saves it
in the checkpoint; the runs of this chapter keep theirs apart, which is
what makes the mistake possible here.)
@<Schedules: functions@>=
@<Schedules: the files on disk@>@;
@<Schedules: damaged schedule files@>@;
@<Schedules: the resumed sessions@>@;
static void resume_experiment(struct chapter *o)
{
  struct lab *L = lab_of(o);
  const long Ts = L->T / 4, k = Ts / 2;
  struct sched_config c = config_of("onecycle", NAN);
  c.max_lr = decay_peak; c.total_steps = Ts;
  struct run r[3];
  float *w[3];
  for (int i = 0; i < 3; i++) r[i] = new_run("sgd", "onecycle", &c, Ts, L->seed[0]);
  note("resume: %ld steps, interrupted at step %ld", Ts, k);
  @<Schedules: share the iterations of the next loop among the threads@>@;
  for (int i = 0; i < 2; i++) resume_task(L, r, w, k, i);
  L->steps += 3 * Ts - k;
  resume_report(L, r, w, k);
  for (int i = 0; i < 3; i++) { free_run(&r[i]); vec_free(&w[i]); }
}

@ The files live in the output directory, under fixed names.
@<Schedules: the files on disk@>=
static void out_path(const struct lab *L, const char *name, char *buf, size_t len)
{
  if ((size_t)snprintf(buf, len, "%s/%s", L->o->out, name) >= len)
    die("%s/%s: path too long", L->o->out, name);
}

@ The interrupted run.  When |keep| is true the first session trains
|k| steps and saves, and the resumed session loads the schedule as well;
when it is false the files are already there, and the schedule is left
fresh.
@<Schedules: the resumed sessions@>=
static float *interrupted(const struct lab *L, struct run *r, long k, bool keep)
{
  char cp[1024], sp[1024], msg[1024];
  out_path(L, "resume-checkpoint.dat", cp, sizeof cp);
  out_path(L, "resume-schedule.dat", sp, sizeof sp);
  if (keep) @<Schedules: train the first |k| steps and save the two files@>@;
  struct session *S = open_session(L, r);
  struct schedule *s = sched_new(r->sched, &r->sc);
  if (session_load(S, cp, msg, sizeof msg) != 0) die("%s", msg);
  if (keep && sched_load(s, sp, msg, sizeof msg) != 0) die("%s", msg);
  train_steps(S, s, r, k, r->steps);
  evaluate(S, L, r);
  float *w = vec_new(S->m->nparams);
  vec_copy(w, S->m->params, S->m->nparams);
  sched_free(&s); session_free(&S);
  return w;
}

@ The first session ends with its files on disk and nothing in memory.
@<Schedules: train the first |k| steps and save...@>=
{
  struct session *S = open_session(L, r);
  struct schedule *s = sched_new(r->sched, &r->sc);
  train_steps(S, s, r, 0, k);
  if (session_save(S, cp) != 0) die("%s: %s", cp, strerror(errno));
  if (sched_save(s, sp) != 0) die("%s: %s", sp, strerror(errno));
  sched_free(&s); session_free(&S);
}

@ The loader must also refuse what it cannot trust.  The saved schedule
file is offered to |sched_load| in five damaged forms, and each refusal
must leave the schedule as it was.  |try_load| offers one file and counts
a refusal that left the schedule unchanged; its message is printed with
the directory cut off, so that the output does not depend on \.{--out}.
@<Schedules: damaged schedule files@>=
static void try_load(struct schedule *s, const char *path, int *refused)
{
  char msg[1024];
  struct schedule before = *s;
  if (sched_load(s, path, msg, sizeof msg) == 0) { printf("  loaded?!\n"); return; }
  const char *m = strrchr(msg, '/') ? strrchr(msg, '/') + 1 : msg;
  printf("  refused: %s\n", m);
  *refused += memcmp(&before, s, sizeof before) == 0;
}

@ The five forms are the session's checkpoint instead, the first 100 bytes of
the schedule file, a copy with one bit of the step count flipped, the
right file offered to a schedule of another kind, and a file that does
not exist.  The damaged copy is removed afterwards.
@<Schedules: damaged schedule files@>=
static int refusals(const struct lab *L, const struct sched_config *c)
{
  char sp[1024], cp[1024], bad[1024], msg[1024];
  out_path(L, "resume-schedule.dat", sp, sizeof sp);
  out_path(L, "resume-checkpoint.dat", cp, sizeof cp);
  out_path(L, "resume-damaged.dat", bad, sizeof bad);
  size_t size;
  unsigned char *b = read_file(sp, &size, msg, sizeof msg);
  if (!b) die("%s", msg);
  struct sched_config cc = config_of("cosine", 0.1);
  cc.t_max = 10;
  struct schedule *s = sched_new("onecycle", c), *other = sched_new("cosine", &cc);
  int refused = 0;
  @<Schedules: offer the five damaged files@>@;
  unlink(bad);
  free(b); sched_free(&s); sched_free(&other);
  return refused;
}

@ The five files, in order.
@<Schedules: offer the five damaged files@>=
try_load(s, cp, &refused);
if (write_file_atomic(bad, b, 100) != 0) die("%s: %s", bad, strerror(errno));
try_load(s, bad, &refused);
b[24] ^= 1;
if (write_file_atomic(bad, b, size) != 0) die("%s: %s", bad, strerror(errno));
try_load(s, bad, &refused);
try_load(other, sp, &refused);
unlink(bad);
try_load(s, bad, &refused);

@ The uninterrupted run goes on one thread, and the two interrupted ones,
which share the files, one after the other on another.
@<Schedules: the resumed sessions@>=
static void resume_task(const struct lab *L, struct run *r, float **w, long k, int i)
{
  if (i == 0) { w[0] = train(L, &r[0], true); return; }
  w[1] = interrupted(L, &r[1], k, true);
  w[2] = interrupted(L, &r[2], k, false);
}

@ The report compares the weights bit for bit and quotes the test losses
to nine significant digits.
@<Schedules: the resumed sessions@>=
static void resume_report(const struct lab *L, const struct run *r, float *const *w, long k)
{
  const size_t n = (L->train.dim + 1) * hidden + (hidden + 1) * L->train.classes;
  size_t differ = 0, differ_forgot = 0;
  double far = 0;
  for (size_t i = 0; i < n; i++) {
    differ += memcmp(&w[0][i], &w[1][i], sizeof(float)) != 0;
    differ_forgot += memcmp(&w[0][i], &w[2][i], sizeof(float)) != 0;
    far = fmax(far, fabs((double)w[0][i] - w[2][i]));
  }
  @<Schedules: print and quote the resumed runs@>@;
}

@ The rates at the step of the interruption show what the forgotten
schedule did.
@<Schedules: print and quote the resumed runs@>=
printf("== resume: one-cycle, %ld steps, interrupted after %ld\n", r[0].steps, k);
printf("uninterrupted: test loss %.9g\n", r[0].test_loss);
printf("resumed:       test loss %.9g, %zu of %zu weights differ\n", r[1].test_loss,
       differ, n);
printf("schedule not restored: test loss %.9g, %zu weights differ (by up to %.3g);"@/
       " rate at step %ld %.4g instead of %.4g\n", r[2].test_loss, differ_forgot, far, k,
       (double)r[2].lr[k], (double)r[0].lr[k]);
printf("damaged schedule files:\n");
int refused = refusals(L, &r[0].sc);
printf("%d of 5 refused, the schedule unchanged\n\n", refused);
values_put(L->v, "SCresumeSteps", "%ld", r[0].steps);
values_put(L->v, "SCresumeAt", "%ld", k);
values_put(L->v, "SCresumeLoss", "%.9g", r[0].test_loss);
values_put(L->v, "SCresumedLoss", "%.9g", r[1].test_loss);
values_put(L->v, "SCresumeDiffer", "%zu", differ);
values_put(L->v, "SCforgotLoss", "%.9g", r[2].test_loss);
values_put(L->v, "SCforgotDiffer", "%zu", differ_forgot);
values_put(L->v, "SCforgotLr", "%.3g", (double)r[2].lr[k]);
values_put(L->v, "SCrightLr", "%.3g", (double)r[0].lr[k]);
values_put(L->v, "SCrefused", "%d", refused);

@ The results.  Without the interruption the run ended with test loss
\val{SCresumeLoss}; interrupted and resumed from its files, it ended
with \val{SCresumedLoss}, and of the \val{SCparams} weights
\val{SCresumeDiffer} differ in any bit.  The claim held exactly.  The run that restored the optimizer but not the
schedule started its second half at rate \val{SCforgotLr} instead of
\val{SCrightLr}---the one-cycle schedule began again from its
start---and ended at \val{SCforgotLoss}, with \val{SCforgotDiffer}
weights different.  No error is raised by that mistake either.  Of the
five damaged files, \val{SCrefused} were refused with the schedule left
untouched, each with a message that names the problem (the program
prints them).  Exactness needs all four pieces: weights, optimizer,
schedule, and the position in the data; the session's checkpoint holds
all four when the session owns its schedule.

@*1 Summary.
The library now has nine schedules with PyTorch's values, including the
details that a schedule written from its description gets wrong: cosine
annealing is periodic past $T_{\max}$, the one-cycle peak comes at step
$pT-1$, warmup-cosine starts at rate zero.  A schedule's state is its step
count, and it saves and loads with the optimizer's, so that an
interrupted run resumes bit for bit.  On a small perceptron trained on
Fashion-MNIST: without warmup, Adam at a high rate took a first step of
length about $\eta\sqrt n$ and a loss spike from which it did not fully
recover in an epoch, and a warmup of 5 to 10 percent of the steps
removed both; cosine annealing beat step decay at the same budget and peak, seed
by seed; the one-cycle policy did not turn a quarter of the budget into
the whole, and was no better than cosine annealing; stepping a
per-batch schedule once per epoch silently trained at its starting rate;
and the range test located the usable rates in a few hundred steps, but
none of its rules picked a rate as good as a few tries would: the
steepest descent was far too cautious for a short run, and the rules
built on the minimum bracketed the good rate without hitting it.

@ The papers cited in this chapter, in the order of their appearance:
I.~Loshchilov and F.~Hutter, ``SGDR: stochastic gradient descent with
warm restarts,'' ICLR 2017;
L.~N.~Smith, ``Cyclical learning rates for training neural networks,''
WACV 2017 (also the range test);
L.~N.~Smith and N.~Topin, ``Super-convergence: very fast training of
neural networks using large learning rates,'' SPIE 11006, 2019;
P.~Goyal et~al., ``Accurate, large minibatch SGD: training ImageNet in
1 hour,'' arXiv:1706.02677, 2017 (gradual warmup);
J.~Ma and D.~Yarats, ``On the adequacy of untuned warmup for adaptive
optimization,'' AAAI 2021.

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, then change the
number in the source (the sections are given), rebuild with \.{make}, and
run \.{build/bin/04-schedules --only NAME}.

\smallskip\item{1.} Lower |warm_peak| to 0.01, ten times Adam's default.
Predict the first step's length without warmup, and whether warmup still
changes the test loss after one epoch.

\item{2.} Give the step decay of the decay experiment its steps at half
and three quarters of the run instead of every third (a multi-step
schedule with milestones $T/2$ and $3T/4$).  Predict whether it closes
the gap to cosine annealing.  Then add a constant rate (a step schedule
with $\gamma=1$): how much of cosine's result is due to decaying at all?

\item{3.} Run the decay experiment with cosine annealing over $T/2$
instead of $T$ steps (|cosine.t_max|), so that the run continues past
$T_{\max}$.  Predict the rate at the end of the run and the effect on
the test loss.

\item{4.} Change the range test's smoothing to $\beta=0.9$
(|range_beta|).  Predict how the three picked rates move, given the lag
computed in the text.

\item{5.} In the per-epoch bug, use the warmup-cosine schedule instead of
one-cycle.  Predict the test loss after two epochs from the rates the
program prints.

\item{6.} In |interrupted|, open the resumed session with another seed
(|r->seed + 1|) before it loads the checkpoint.  Predict whether the
resumed run still ends bit-identical: what does the seed decide that the
checkpoint does not hold?
