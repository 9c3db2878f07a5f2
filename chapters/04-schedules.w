@q 04-schedules.w -- Chapter 4: learning-rate schedules and the LR range test @>
@* Learning-rate schedules.
\chaptervalues{04-schedules}%
A constant learning rate is a compromise: large enough to make progress
early, small enough not to bounce around the minimum late.  A {\it
schedule} changes the rate as the run goes on.  This chapter builds the
schedules PyTorch offers, in the library, with PyTorch's exact values.

@q begin library part @>
@ The schedule interface.  A schedule is a function of the step count
$t=0,1,2,\ldots$: the value at $t$ is the learning rate the optimizer
uses for its step number~$t$ (counting from zero), exactly what PyTorch's
loop
$$\hbox{\tt for t in range(N): optimizer.step(); scheduler.step()}$$
gives, since PyTorch's scheduler already writes the value for $t=0$ when
it is constructed.  Some schedules also cycle the momentum (or Adam's
$\beta_1$) against the learning rate.  As with optimizers, a {\it kind}
knows the rule and one configuration structure holds the arguments of all
of them, under PyTorch's names; |lr| is the optimizer's initial learning
rate, the base from which most schedules start.
@^PyTorch compatibility@>
@(descent-sched.h@>=
#ifndef DESCENT_SCHED_H
#define DESCENT_SCHED_H
enum sched_mode { sched_triangular, sched_triangular2, sched_exp_range };
struct sched_config {
  double lr, gamma, eta_min, base_lr, max_lr, base_momentum, max_momentum;
  double div_factor, final_div_factor, pct_start, start_factor, end_factor;
  long step_size, t_max, warmup_steps, t_0, t_mult, total_steps, total_iters;
  long step_size_up, step_size_down;  /* |step_size_down| 0: same as up */
  long milestones[32]; size_t n_milestones;
  enum sched_mode mode;
  bool linear_anneal, cycle_momentum, three_phase;
};
@<Schedules: the kind and the schedule@>@;
@<Schedules: public functions@>@;
#endif

@ A kind names its PyTorch keyword arguments (for \.{replay}), sets the
defaults, checks a configuration, and computes the value at step~$t$;
|momentum| receives the cycled momentum when the kind cycles it, and is
left alone otherwise.  The schedule itself is only its configuration and
the step count: every value is computed in closed form from $t$, so
saving a schedule means saving $t$.
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
current step (and the momentum, NaN unless cycled); |sched_step| moves to
the next step, refusing---as PyTorch's one-cycle schedule does---to go
past the end of a schedule that has one; |sched_apply| writes the
current values into an optimizer.
@<Schedules: public functions@>=
bool sched_defaults(const char *name, struct sched_config *c);
int sched_check(const char *name, const struct sched_config *c, char *msg, size_t len);
struct schedule *sched_new(const char *name, const struct sched_config *c);
double sched_lr(const struct schedule *s, double *momentum);
int sched_step(struct schedule *s, char *msg, size_t len);
int sched_apply(const struct schedule *s, struct optimizer *o, char *msg, size_t len);
void sched_free(struct schedule **s);
const char *sched_names(void);
bool sched_takes(const char *name, const char *option);

@ The implementation file: the kinds, then the table and the functions.
@(sched.c@>=
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Schedules: the kinds@>@;
@<Schedules: the table and the functions@>@;

@ Step decay multiplies by $\gamma$ every |step_size| steps,
$\eta_t=\eta\gamma^{\lfloor t/s\rfloor}$; multi-step decay multiplies by
$\gamma$ at each milestone, counted with repetition (a milestone listed
twice applies $\gamma$ twice); exponential decay multiplies at every step.
PyTorch computes these recursively, from the optimizer's current rate;
when nothing else changes the rate the closed forms here agree with it
to rounding.  PyTorch does not check |step_size|, and divides by zero
when it is zero; here it must be positive.
@<Schedules: the kinds@>=
static int sched_error(char *msg, size_t len, const char *fmt, ...) printf_like(3, 4);
static void decay_defaults(struct sched_config *c) { c->gamma = 0.1; }
static int step_check(const struct sched_config *c, char *msg, size_t len)
{
  return c->step_size > 0 ? 0
    : sched_error(msg, len, "step: step_size must be positive (got %ld)", c->step_size);
}
static double step_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return c->lr * pow(c->gamma, (double)(t / (uint64_t)c->step_size)); }

@ Milestones before zero are never reached, as in PyTorch's loop.
@<Schedules: the kinds@>=
static int no_check(const struct sched_config *c, char *msg, size_t len)
{ (void)c; (void)msg; (void)len; return 0; }
static double multistep_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  int k = 0;
  for (size_t i = 0; i < c->n_milestones; i++)
    k += c->milestones[i] >= 0 && (uint64_t)c->milestones[i] <= t;
  return c->lr * pow(c->gamma, k);
}
static void exp_defaults(struct sched_config *c) { c->gamma = NAN; }
static int exp_check(const struct sched_config *c, char *msg, size_t len)
{ return isnan(c->gamma) ? sched_error(msg, len, "exponential: gamma is required") : 0; }
static double exp_value(const struct sched_config *c, uint64_t t, double *m)
{ (void)m; return c->lr * pow(c->gamma, (double)t); }

@ Cosine annealing follows half a cosine from $\eta$ down to $\eta_{\min}$
over $T_{\max}$ steps:
$\eta_t=\eta_{\min}+(\eta-\eta_{\min})(1+\cos(\pi t/T_{\max}))/2$.
PyTorch's formula holds for {\it every} $t$: past $T_{\max}$ the rate
climbs again and is back at $\eta$ at $t=2T_{\max}$.  Clamping at
$\eta_{\min}$ after $T_{\max}$ would be a different schedule.  The
warmup-cosine schedule (PyTorch writes it as a |LambdaLR|) rises linearly
from zero over $W$ steps, $\eta t/W$, and then anneals over the remaining
$T_{\max}-W$; at $t=0$ its rate is zero.
@<Schedules: the kinds@>=
static double half_cosine(double hi, double lo, double x)
{ return lo + (hi - lo) * (1 + cos(M_PI * x)) / 2; }
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
  const double w = (double)c->warmup_steps, tt = (double)t;
  if (tt < w) return c->lr * tt / w;
  return half_cosine(c->lr, c->eta_min, (tt - w) / ((double)c->t_max - w));
}

@ Cosine with warm restarts runs the half cosine over a period $T_i$ that
starts at $T_0$ and is multiplied by $T_{\rm mult}$ at every restart.
The position $T_{\rm cur}$ in the current period follows from $t$ by
subtracting whole periods, which is what PyTorch's counter does one step
at a time.  PyTorch refuses $T_0\le0$ and $T_{\rm mult}<1$.
@<Schedules: the kinds@>=
static void restarts_defaults(struct sched_config *c) { c->t_mult = 1; }
static int restarts_check(const struct sched_config *c, char *msg, size_t len)
{
  if (c->t_0 <= 0) return sched_error(msg, len, "Expected positive integer T_0, but got %ld", c->t_0);
  if (c->t_mult < 1)
    return sched_error(msg, len, "Expected integer T_mult >= 1, but got %ld", c->t_mult);
  return 0;
}
static double restarts_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  uint64_t ti = (uint64_t)c->t_0, cur = t;
  if (c->t_mult == 1) cur = t % ti;
  else while (cur >= ti) { cur -= ti; ti *= (uint64_t)c->t_mult; }
  return half_cosine(c->lr, c->eta_min, (double)cur / (double)ti);
}

@ The cyclic schedule moves between |base_lr| and |max_lr| along a
triangle, up in |step_size_up| steps and down in |step_size_down|; the
position in the triangle is a scale $s\in[0,1]$.  In |triangular2| mode
the height halves every cycle, in |exp_range| it shrinks by $\gamma^t$.
The momentum, when cycled, moves the other way, from |max_momentum| at
the foot of the triangle to |base_momentum| at its top.  Here is PyTorch's
arithmetic, in its order.
@<Schedules: the kinds@>=
static void cyclic_defaults(struct sched_config *c)
{
  c->step_size_up = 2000; c->gamma = 1.0; c->cycle_momentum = true;
  c->base_momentum = 0.8; c->max_momentum = 0.9; c->base_lr = NAN; c->max_lr = NAN;
}
static double cyclic_value(const struct sched_config *c, uint64_t t, double *m)
{
  const double up = (double)c->step_size_up;
  const double total = up + (double)(c->step_size_down ? c->step_size_down : c->step_size_up);
  const double ratio = up / total, cycle = floor(1 + (double)t / total);
  const double x = 1. + (double)t / total - cycle;
  const double s = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const double f = c->mode == sched_triangular ? 1.0
    : c->mode == sched_triangular2 ? 1 / pow(2., cycle - 1) : pow(c->gamma, (double)t);
  const double base = isnan(c->base_lr) ? c->lr : c->base_lr;
  if (c->cycle_momentum && m)
    *m = c->max_momentum - (c->max_momentum - c->base_momentum) * s * f;
  return base + (c->max_lr - base) * s * f;
}

@ The cyclic schedule needs |max_lr| and positive step sizes.
@<Schedules: the kinds@>=
static int cyclic_check(const struct sched_config *c, char *msg, size_t len)
{
  if (isnan(c->max_lr)) return sched_error(msg, len, "cyclic: max_lr is required");
  if (c->step_size_up <= 0 || c->step_size_down < 0)
    return sched_error(msg, len, "cyclic: step sizes must be positive");
  return 0;
}

@ The one-cycle schedule is piecewise: from |max_lr|$/$|div_factor| up to
|max_lr| over the first |pct_start| of the run, then down to the
initial rate divided by |final_div_factor|; with |three_phase|, first
back down to the initial rate and only then to the minimum.  Each phase
ends at a step number that PyTorch computes as a float: $p T-1$ (not
$pT$), $2pT-2$ and $T-1$.  Within a phase the rate moves along a half
cosine or a straight line; momentum moves the other way, from
|max_momentum| to |base_momentum| and back.
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

@ The phases as PyTorch lays them out: end step, start and end rate, start
and end momentum.
@<Schedules: the kinds@>=
struct phase { double end, lr0, lr1, m0, m1; };
static int onecycle_phases(const struct sched_config *c, struct phase *ph)
{
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
}

@ Step $t$ falls in the first phase whose end it does not pass (or in
the last).  A phase of length zero would divide by zero, which PyTorch
does already while constructing the schedule when the first phase is
empty ($pT=1$); the check refuses that case.
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

@ The linear schedule multiplies the rate by a factor that moves in a
straight line from |start_factor| to |end_factor| over |total_iters|
steps and then stays.  PyTorch refuses factors outside $[0,1]$; its
recursive form divides by zero at $t=1$ when |start_factor| is zero, so
that is refused here too.  With |total_iters| zero or negative the
recursion never moves, and neither does the closed form here.
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
static double linear_value(const struct sched_config *c, uint64_t t, double *m)
{
  (void)m;
  const double s = c->start_factor, e = c->end_factor, T = (double)c->total_iters;
  if (c->total_iters <= 0) return c->lr * s;
  return c->lr * (s + (e - s) * fmin((double)t, T) / T);
}

@ The table of kinds, with the keyword arguments each takes.  The names
are the book's (and \.{replay}'s); PyTorch's classes are \.{StepLR},
\.{MultiStepLR}, \.{ExponentialLR}, \.{CosineAnnealingLR}, a
\.{LambdaLR}, \.{CosineAnnealingWarmRestarts}, \.{CyclicLR},
\.{OneCycleLR} and \.{LinearLR}.
@<Schedules: the table and the functions@>=
static void none(struct sched_config *c) { (void)c; }
static const struct sched_kind sched_kinds[] = {
  {"step", "step_size gamma", decay_defaults, step_check, step_value},
  {"multistep", "milestones gamma", decay_defaults, no_check, multistep_value},
  {"exponential", "gamma", exp_defaults, exp_check, exp_value},
  {"cosine", "t_max eta_min", none, cosine_check, cosine_value},
  {"warmup-cosine", "warmup_steps t_max eta_min", none, cosine_check, cosine_value},
  {"cosine-restarts", "t_0 t_mult eta_min", restarts_defaults, restarts_check, restarts_value},
  @<Schedules: the cyclic rows@>@;
  {NULL, NULL, NULL, NULL, NULL}};

@ The two schedules that cycle momentum take the most options.
@<Schedules: the cyclic rows@>=
{"cyclic", "base_lr max_lr step_size_up step_size_down mode gamma cycle_momentum "
  "base_momentum max_momentum", cyclic_defaults, cyclic_check, cyclic_value},
{"onecycle", "max_lr total_steps pct_start anneal_strategy cycle_momentum "
  "base_momentum max_momentum div_factor final_div_factor three_phase",
  onecycle_defaults, onecycle_check, onecycle_value},
{"linear", "start_factor end_factor total_iters", linear_defaults, linear_check,
  linear_value},

@ Finding a kind, listing the names, and asking whether a kind takes an
option (dashes count as underscores, as for optimizers).
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

@ The option lookup walks the kind's blank-separated list.
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

@ The error formatter, and the check.
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

@ A new schedule starts at $t=0$.
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
therefore fails exactly when $N>T$.  |sched_step| does the same, and
leaves the step count where it was.
@<Schedules: the table and the functions@>=
int sched_step(struct schedule *s, char *msg, size_t len)
{
  if (s->kind->value == onecycle_value && s->t + 1 > (uint64_t)s->c.total_steps)
    return sched_error(msg, len,
      "Tried to step %llu times. The specified number of total steps is %ld",
      (unsigned long long)s->t + 2, s->c.total_steps);
  s->t++;
  return 0;
}

@ Applying a schedule to an optimizer sets its learning rate, and its
momentum when the schedule cycles it: SGD's and RMSprop's |momentum|,
or Adam's $\beta_1$.  An optimizer with neither (Adagrad) cannot have its
momentum cycled, which PyTorch also refuses; nor can one that was created
without a momentum buffer, since the library allocates the buffer only
when the momentum is nonzero at creation.
@<Schedules: the table and the functions@>=
int sched_apply(const struct schedule *s, struct optimizer *o, char *msg, size_t len)
{
  double m, lr = sched_lr(s, &m);
  opt_set_lr(o, lr);
  if (isnan(m)) return 0;
  struct opt_config c = o->c;
  if (opt_takes(o->kind->name, "betas")) c.beta1 = m;
  else if (opt_takes(o->kind->name, "momentum")) c.momentum = m;
  else return sched_error(msg, len, "optimizer %s has no momentum to cycle", o->kind->name);
  if (o->kind->nstate(&c) != o->k)
    return sched_error(msg, len, "optimizer %s was created without momentum", o->kind->name);
  o->c = c;
  return 0;
}
@q end library part @>
