@q 02-momentum.w -- Chapter 2: momentum and Nesterov @>
@* Momentum and Nesterov.
\chaptervalues{02-momentum}%
\opener{02-momentum-ravine}{Can a memory of past gradients make the walk downhill faster, and by how much? Below: paths on the same ravine with and without momentum.}
Plain gradient descent forgets.  Each step looks at the gradient of the
moment and at nothing else, and Chapter~1 measured what that costs: on
an ill-conditioned quadratic the step size is pinned by the steepest
direction, the flattest direction crawls, and even the best fixed step
needs about ${\kappa\over2}\ln(1/\epsilon)$ steps, where $\kappa$ is the
condition number.  {\it Momentum\/} gives the walk a memory.  It keeps a
running sum of past gradients and steps along that sum, so that
gradients which keep pointing the same way add up, and gradients which
flip sign at every step, as they do across a ravine, cancel.  Polyak
@^ravine@>
proposed it in 1964 as the {\it heavy ball\/} method; Nesterov found a
@^Nesterov momentum@>
@^momentum, heavy-ball@>
variant in 1983 with a provably better worst case; and Sutskever,
Martens, Dahl and Hinton (2013) showed that both, with a well-chosen
schedule, train deep networks far better than plain SGD.  Today
momentum is part of nearly every optimizer that trains a network,
Adam's included.

This chapter derives momentum in the form PyTorch implements and adds
that form to the library, then measures six claims.  Momentum
remembers about $1/(1-\mu)$ steps.  PyTorch multiplies the learning rate
outside the memory, which matters when a schedule changes it.  On the
ravine momentum changes the shape of the path.  With tuned parameters it
needs about $\sqrt\kappa$ steps where gradient descent needs $\kappa$.
With the noisy gradients of a network, at a matched effective rate, it
does no better than SGD.  Nesterov's method, which the literature writes in two different-looking
ways, is one method seen from two points.  A last part reproduces a
table of three optimizers on a quadratic that circulates in tutorials,
and asks whether each was given its best learning rate.

@ The chapter is a program, \.{build/bin/02-momentum}, and every number
this chapter quotes was printed by it when the book was built.  It runs
eight experiments, all but one small enough to take a fraction of a
second: the
{\it impulse\/} response of the momentum buffer; a learning-rate {\it
schedule\/} applied to two forms of momentum; the map of the heavy
ball's {\it stability\/} on a quadratic; paths on the {\it ravine\/}
of Chapter~1; steps to converge against the condition number, {\it
kappa\/}; the MLP of Appendix~A trained on mini-batches with and
without momentum, the {\it noise\/} experiment, which takes some
seconds; the two forms of {\it nesterov\/}'s method; and the {\it
table\/} of three optimizers after 300 steps.  The toolkit's harness
(Appendix~A) runs them in order and gives the program the command line
of Chapter~1's.  The seed matters to the random quadratic of the
Nesterov comparison and to the networks of the noisy experiment (their
initial weights and batches); everything else is deterministic by
construction.
@c
#include "descent.h"
@<Momentum: types@>@;
@<Momentum: functions@>@;
static const struct experiment experiments[] = {@/
  @[{"impulse", impulse_experiment, false}@],@/
  @[{"schedule", schedule_experiment, false}@],@/
  @[{"stability", stability_experiment, false}@],@/
  @[{"ravine", ravine_experiment, false}@],@/
  @[{"kappa", kappa_experiment, false}@],@/
  @[{"noise", noise_experiment, true}@],@/
  @[{"nesterov", nesterov_experiment, false}@],@/
  @[{"table", table_experiment, false}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"02-momentum",@/
  "The experiments of chapter 2 of Descent: heavy-ball momentum and\n"@/
  "Nesterov's method on quadratics, with the library's optimizers.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@ The sizes that \.{--quick} reduces: how many condition numbers and
learning rates are tried, and how long the Nesterov comparison runs.
Both grids are evenly spaced on a logarithmic axis.
@<Momentum: types@>=
struct mo_plan {
  int kappa_per_decade;  /* condition numbers per factor of 10 */
  double kappa_max;      /* the largest one; the smallest is 10 */
  int sweep_per_decade;  /* learning rates per factor of 10, $10^{-3}$ to 10 */
  int nest_steps;        /* steps of the Nesterov comparison */
  int noise_steps;       /* steps of every network of the noisy experiment */
  size_t noise_test;     /* the test images that score them */
};
static const struct mo_plan full_plan = @[{4, 1e4, 16, 1000, 600, 10000}@];
static const struct mo_plan quick_plan = @[{2, 1e3, 2, 200, 10, 100}@];
static const struct mo_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }

@ Only the noisy experiment reads Fashion-MNIST; the harness calls this
check before it runs, so that a data set too small for it is refused in
one line.
@<Momentum: functions@>=
static void check_sizes(const struct chapter *ch)
{
  chapter_need(ch, "noise", nz_batch, plan_of(ch)->noise_test);
}

@*1 Heavy-ball momentum.
Picture the iterate as a ball rolling on the graph of the loss.  Gradient
descent moves it as if it had no mass: its velocity is the slope under
it at this instant, and it stops dead wherever the slope vanishes.  A
heavy ball keeps part of its velocity from one moment to the next, and
the slope only changes that velocity.  In steps, Polyak's {\it heavy
ball\/} method adds to each gradient step a fraction $\mu$ of the
previous step:
$$\theta_{t+1}=\theta_t-\eta\,\nabla L(\theta_t)+\mu\,(\theta_t-\theta_{t-1}).$$
The {\it momentum\/} $\mu$, between 0 and 1, is one minus the friction;
$\mu=0$ is gradient descent.

PyTorch does not store the previous iterate.  It keeps a {\it buffer\/}
$b$, one number per parameter, and with the gradient $g_t=\nabla
L(\theta_t)$ takes the step
$$b_t=\mu\,b_{t-1}+g_t,\qquad\theta_{t+1}=\theta_t-\eta\,b_t,$$
except on the first step, where the buffer is created as a copy of
$g_1$, which is the same as starting from $b_0=0$.  Since
$\theta_t-\theta_{t-1}=-\eta\,b_{t-1}$, this is Polyak's method exactly,
as long as $\eta$ does not change.  Unrolled, the buffer is a weighted
sum of every gradient seen so far,
$$b_t=g_t+\mu\,g_{t-1}+\mu^2g_{t-2}+\cdots+\mu^{t-1}g_1,$$
with weights that decay geometrically and add up to at most
$1+\mu+\mu^2+\cdots=1/(1-\mu)$.  That sum is the method's memory: a
gradient keeps acting for about $1/(1-\mu)$ steps, 10 at the usual
$\mu=0.9$, and a constant gradient $g$ is followed, once the buffer has
filled, with steps of $\eta g/(1-\mu)$, ten times those of gradient
descent.

@ Two other forms are common, and each differs from PyTorch's in a way
that matters.  The first puts the learning rate inside the memory.
CS231n's notes, and Sutskever et~al.\ (2013), write
$$v_t=\mu\,v_{t-1}+\eta\,g_t,\qquad\theta_{t+1}=\theta_t-v_t,$$
and with a constant $\eta$ this is PyTorch's method with $v=\eta b$.  But
a {\it schedule\/} changes $\eta$ between steps, and then the two part
ways: PyTorch multiplies the whole memory by the new rate at once, while
the velocity $v$ still carries the old rate in its past terms and
forgets it only gradually.  The second form {\it dampens\/} the new
gradient, $b_t=\mu b_{t-1}+(1-\tau)g_t$; with $\tau=\mu$ the weights add
up to~1 and $b$ becomes an exponential moving average of the gradients,
the form Adam uses for its first moment (Chapter~3).  PyTorch offers the
dampening $\tau$ as an option, default~0, but does not apply it on the
@^dampening@>
first step, where the buffer is a plain copy of the gradient.  Both
differences are measured below.

@q begin library part @>
@ The library's SGD.  This is the one optimizer that every later chapter
compares against, so it is written exactly as PyTorch's
\.{torch.optim.SGD} computes it (the tests of Appendix~B check it
against PyTorch).  With learning rate $\eta$, weight decay $\lambda$,
momentum $\mu$ and dampening $\tau$, one step on the gradient $g$ is
$$\eqalign{d&=\pm g+\lambda\theta,\cr
b&\gets\cases{d&on the first step,\cr \mu b+(1-\tau)d&afterwards,}\cr
d&\gets\cases{d+\mu b&with Nesterov's correction,\cr b&otherwise,}\cr
\theta&\gets\theta-\eta d.\cr}$$
The sign of $g$ is minus when the optimizer is told to {\it maximize};
it is applied {\it before} the decay is added, so that weight decay still
pulls the weights toward zero when the objective is maximized.  Decay
added to the gradient like this is ``$L_2$ regularization'': it is the
gradient of ${\lambda\over2}\Vert\theta\Vert^2$; Chapter~3 shows why that
is not the same as decoupled weight decay once the optimizer rescales the
gradient.  Without momentum ($\mu=0$) the buffer does not exist, and the
step is plain SGD, $\theta\gets\theta-\eta(\pm g+\lambda\theta)$.
@^PyTorch compatibility@>
@(sgd.c@>=
#include <math.h>
#include "descent.h"
#include "descent-sgd.h"
@<Momentum: SGD's configuration@>@;
@<Momentum: SGD's step@>@;
const struct opt_kind opt_sgd = {"sgd",
  "lr momentum dampening weight_decay nesterov maximize",
  sgd_nstate, sgd_defaults, sgd_check, NULL, sgd_step, NULL};

@ PyTorch's \.{SGD} has no default learning rate; here the default is
NaN, which |opt_check| refuses with a message asking for one.  The
momentum buffer is the only state, and it exists only when there is
momentum.  The constructor refuses a negative learning rate, momentum or
weight decay, and Nesterov's variant without momentum or with dampening.
Dampening alone is accepted, and does nothing without momentum; momentum
above~1 is accepted too, and diverges.  A momentum buffer can hold any
finite number, so SGD needs no check of a loaded state beyond the
toolkit's own (|opt_load|), and the last entry of its row, the |validate|
hook, is null.
@<Momentum: SGD's configuration@>=
static void sgd_defaults(struct opt_config *c) { c->lr = NAN; }
static size_t sgd_nstate(const struct opt_config *c) { return c->momentum != 0; }
static int sgd_check(const struct opt_config *c, char *msg, size_t len)
{
  if (c->lr < 0) return opt_error(msg, len, "invalid learning rate: %g", c->lr);
  if (c->momentum < 0)
    return opt_error(msg, len, "invalid momentum value: %g", c->momentum);
  if (c->weight_decay < 0)
    return opt_error(msg, len, "invalid weight_decay value: %g", c->weight_decay);
  if (c->nesterov && (c->momentum <= 0 || c->dampening != 0))
    return opt_error(msg, len, "Nesterov momentum requires a momentum and zero dampening");
  return 0;
}

@ Arithmetic is in |float|, operation by operation as PyTorch's tensor
operations do it: each hyperparameter is rounded to single precision
where an operation applies it, and each product and sum is rounded.  The
first step copies $d$ into the buffer {\it without} dampening: PyTorch
creates the buffer as a copy of the first $d$.  (Damping that first copy
too is a common slip; the impulse experiment of the next part shows how
much that first copy weighs.)  The learning rate multiplies the
buffer from outside, which matters once a schedule changes $\eta$
between steps.

The rule for one coordinate is a |static inline| function in a header of
its own, \.{descent-sgd.h}, which needs nothing but \CEE/ itself: the
library's step below calls it, and so can the fused kernels of
Chapter~9 or a \.{CUDA} kernel (under \.{nvcc} the macro |descent_rule| adds
\&{\_\_host\_\_ \_\_device\_\_}), so that all of them compute the
same thing from the same source.  The constants
of a step arrive already rounded to |float| in a |struct sgd_consts|.
@^update rules, shared@>
@(descent-sgd.h@>=
#ifndef DESCENT_SGD_H
#define DESCENT_SGD_H
#include <stdbool.h>
#ifndef descent_rule
#ifdef __CUDACC__
#define descent_rule static inline __host__ __device__
#else
#define descent_rule static inline
#endif
#endif
struct sgd_consts {
  float wd, mu, keep, neg_lr;   /* $\lambda$, $\mu$, $1-\tau$, $-\eta$ */
  bool decay, maximize, momentum, nesterov, first;
};
@<Momentum: Nesterov's direction@>@;
descent_rule void sgd_coord(const struct sgd_consts *k, float *p, float g, float *b)
{
  @q solution sgd_coord: (void)k; (void)p; (void)g; (void)b; @>
  float d = k->maximize ? -g : g;
  if (k->decay) d = d + k->wd * *p;
  if (k->momentum) {
    *b = k->first ? d : k->mu * *b + k->keep * d;
    d = sgd_direction(k, d, *b);
  }
  *p = *p + k->neg_lr * d;
  @q end solution @>
}
#endif

@ The direction of the step, once the buffer $b$ is updated, is the buffer
itself for the heavy ball, and for Nesterov's variant the gradient plus
$\mu b$: the look-ahead of the part on Nesterov's method below, written in
PyTorch's variables.
@<Momentum: Nesterov's direction@>=
descent_rule float sgd_direction(const struct sgd_consts *k, float d, float b)
{
  @q solution sgd_nesterov: (void)k; (void)d; return b; @>
  return k->nesterov ? d + k->mu * b : b;
  @q end solution @>
}

@ The library's step fills in the constants of one span (a group's
coordinates, with the group's learning rate and decay) and applies the
rule to each coordinate.
@<Momentum: SGD's step@>=
static void sgd_step(struct optimizer *o, float *p, const float *g,
                     const struct opt_span *s)
{
  const struct sgd_consts k = @[{(float)s->weight_decay, (float)o->c.momentum,
    (float)(1.0 - o->c.dampening), (float)(-s->lr), s->weight_decay != 0,
    o->c.maximize, o->k > 0, o->c.nesterov, o->t == 1}@];
  float *b = o->k ? opt_state(o, 0) : NULL;
  for (size_t i = s->lo; i < s->hi; i++) sgd_coord(&k, &p[i], g[i], b ? &b[i] : NULL);
}
@q end library part @>

@*1 The memory of the buffer.
The claim ``momentum remembers about $1/(1-\mu)$ steps'' is easiest to
see in the buffer's {\it impulse response}.  Give the optimizer one
parameter, start it at~0, and feed it the gradient~1 on the first step
and~0 on every step after.  Gradient descent moves once, by $\eta$, and
stops.  The heavy ball moves by $\eta$, then $\eta\mu$, then
$\eta\mu^2$, and so on: the buffer decays as $b_t=\mu^{t-1}$, and the
total displacement is
$$\eta\,(1+\mu+\mu^2+\cdots)={\eta\over1-\mu},$$
10 steps' worth at $\mu=0.9$, 100 at $\mu=0.99$.  The decay has a
half-life of $\ln2/\ln(1/\mu)$ steps, \val{MOhalfLife} at $\mu=0.9$.

The experiment runs the library's \.{sgd} with $\eta=1$, so that the step
equals the buffer, for |impulse_steps| steps, at the momenta in
|impulse_mu|.  The table has, for every step, the buffer of each run, then
the displacement of each run, the distance it has travelled from~0.
@d impulse_steps 1000
@d n_impulse 4
@<Momentum: functions@>=
static const double impulse_mu[n_impulse] = {0.0, 0.5, 0.9, 0.99};
@<Momentum: making an optimizer from a description@>@;
@<Momentum: the impulse experiment's helpers@>@;
static void impulse_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  double moved[n_impulse];
  @<Momentum: run the impulse for every momentum, writing the table@>@;
  @<Momentum: report the impulse response@>@;
  @<Momentum: measure dampening's first step@>@;
}

@ Every experiment of the chapter describes an optimizer by the few
hyperparameters it varies, and turns that description into one of the
library's optimizers.  The library fills in PyTorch's defaults for the
rest.  Only \.{sgd} takes a momentum, a dampening and Nesterov's flag;
the last part of the chapter also uses \.{adam}, with its defaults.
@<Momentum: types@>=
struct method {
  const char *kind;   /* the library's name: \.{sgd} or \.{adam} */
  double lr, mu, dampening;
  bool nesterov;
};

@ The hyperparameters are the program's own, and valid, so |opt_new|'s
assertion is the only check they need.
@<Momentum: making an optimizer...@>=
static struct optimizer *method_new(const struct method *m, size_t n)
{
  struct opt_config c;
  opt_defaults(m->kind, &c);
  c.lr = m->lr;
  if (strcmp(m->kind, "sgd") == 0) {
    c.momentum = m->mu;
    c.dampening = m->dampening;
    c.nesterov = m->nesterov;
  }
  return opt_new(m->kind, n, &c);
}

@ One run of the impulse: |impulse_at| is the step that receives the
gradient~1; every other step receives~0.  When |steps_out| is not null
it gets the step taken at each step, which with $\eta=1$ is the buffer
(or, without momentum, the gradient itself).  The function returns the
distance travelled.
@<Momentum: the impulse experiment's helpers@>=
static double impulse_run(const struct method *m, int impulse_at,
  double *steps_out)
{
  struct optimizer *opt = method_new(m, 1);
  float p = 0.0f;
  for (int t = 1; t <= impulse_steps; t++) {
    float g = t == impulse_at ? 1.0f : 0.0f;
    opt_step(opt, &p, &g);
    if (steps_out)
      steps_out[t - 1] = opt_nstate(opt) ? opt_state(opt, 0)[0] : g;
  }
  opt_free(&opt);
  return -p;
}

@ The runs are made one after the other, each keeping its steps; the
table is written afterwards, one row per step.  The displacement column
is the running sum of the steps, which is what the iterate travelled up to
float rounding.
@<Momentum: run the impulse for every momentum...@>=
static double steps[n_impulse][impulse_steps];
for (int k = 0; k < n_impulse; k++)
  moved[k] = impulse_run(&(struct method)@[{"sgd", 1.0, impulse_mu[k], 0.0, false}@],
    1, steps[k]);
struct tsv *t = tsv_open(o->out, "impulse.tsv",@/
  "step\tb0\tb05\tb09\tb099\tx0\tx05\tx09\tx099");
double sum[n_impulse] = {0};
for (int s = 0; s < impulse_steps; s++) {
  double row[1 + 2 * n_impulse] = {s + 1};
  for (int k = 0; k < n_impulse; k++) {
    sum[k] += steps[k][s];
    row[1 + k] = steps[k][s];
    row[1 + n_impulse + k] = sum[k];
  }
  tsv_row(t, 1 + 2 * n_impulse, row);
}
tsv_close(t);

@ The theory's total after $T$ steps is $(1-\mu^T)/(1-\mu)$, short of
$1/(1-\mu)$ by the fraction $\mu^T$: at $\mu=0.99$ and $T=1000$ that is
$4.3\times10^{-5}$ of the total, or $4.3\times10^{-3}$ on a total
of~100.
@<Momentum: report the impulse response@>=
printf("== impulse: one unit gradient, then %d zeros; lr 1\n", impulse_steps - 1);
printf("%6s %12s %12s %12s\n", "mu", "moved", "theory", "1/(1-mu)");
for (int k = 0; k < n_impulse; k++) {
  double mu = impulse_mu[k];
  printf("%6g %12.6f %12.6f %12.6f\n", mu, moved[k],
         (1.0 - pow(mu, impulse_steps)) / (1.0 - mu), 1.0 / (1.0 - mu));
}
values_put(v, "MOimpHalf", "%.5f", moved[1]);
values_put(v, "MOimpNine", "%.5f", moved[2]);
values_put(v, "MOimpNineNine", "%.4f", moved[3]);
values_put(v, "MOimpNineNineTheory", "%.4f",
           (1.0 - pow(0.99, impulse_steps)) / 0.01);
values_put(v, "MOhalfLife", "%.1f", log(2.0) / log(1.0 / 0.9));
values_put(v, "MOpercentLife", "%.0f", log(100.0) / log(1.0 / 0.9));

@ Dampening by $\tau=\mu=0.9$ should turn the buffer into an average whose
weights sum to~1, and the impulse's total displacement from 10 into~1.
Because PyTorch does not dampen the buffer's first value, that depends
on {\it when\/} the impulse arrives: on the first step it is copied
whole, on any later step it is multiplied by $1-\tau$.
@<Momentum: measure dampening's first step@>=
struct method damped = @[{"sgd", 1.0, 0.9, 0.9, false}@];
double first = impulse_run(&damped, 1, NULL), second = impulse_run(&damped, 2, NULL);
printf("dampening 0.9, mu 0.9: impulse at step 1 moves %.5f, at step 2 %.5f\n\n",
       first, second);
values_put(v, "MOdampFirst", "%.4f", first);
values_put(v, "MOdampSecond", "%.4f", second);

@ Figure~\figref{02-momentum-impulse} shows the response.
\bookfigure{02-momentum-impulse}{The library's SGD with $\eta=1$, fed the
gradient~1 on step~1 and~0 afterwards, at four momenta.  Left: the step
taken at step~$t$, which is the buffer~$b_t=\mu^{t-1}$.  Right: the
distance travelled; the dashed lines are the limits $1/(1-\mu)$.}
With $\mu=0.9$ the run travels \val{MOimpNine} in all, against the
predicted 10; with $\mu=0.5$, \val{MOimpHalf} against~2; with
$\mu=0.99$, \val{MOimpNineNine} after 1000 steps, against the predicted
$(1-0.99^{1000})/0.01=\val{MOimpNineNineTheory}$: at that momentum the
impulse is still felt after a thousand steps.  The claim holds, and the
figure shows the shape behind it.  The memory is not a window of
$1/(1-\mu)$ steps but a geometric tail: at $\mu=0.9$ a gradient still acts
at half strength \val{MOhalfLife} steps later, and at $1\%$ strength
\val{MOpercentLife} steps later.  ``Effective memory $1/(1-\mu)$'' is the total weight of
the tail, which is also the factor by which momentum multiplies the step
on a constant slope.

The dampening quirk is just as visible.  With $\mu=\tau=0.9$, an
impulse on the first step moves the parameter \val{MOdampFirst}, because
the buffer's first value is an undamped copy; the same impulse one step
later moves it \val{MOdampSecond}.  A gradient on step~1 weighs ten times
as much as any later one.  In a real run that first gradient is as noisy
as any other, so a run with dampening takes one outsized first step.

@*1 The learning rate outside the buffer.
The second experiment isolates
the difference between PyTorch's form, $\theta\gets\theta-\eta b$, and
the velocity form, $v\gets\mu v+\eta g$, $\theta\gets\theta-v$.  It runs
both on a slope of constant gradient $g=1$ with $\mu=|drop_mu|$, for
|drop_step| steps at $\eta=|drop_lr|$ and then |drop_step| more at
$\eta=|drop_lr_after|$: the step decay of a typical schedule, compressed.
PyTorch's form is the library's \.{sgd}, its rate changed by
|opt_set_lr| as a scheduler would; the velocity form is a few lines of
|float| arithmetic here.
@d drop_mu 0.9
@d drop_lr 0.1
@d drop_lr_after 0.01
@d drop_step 50
@<Momentum: functions@>=
static void velocity_step(float *p, float *vel, float lr, float g)
{
  *vel = (float)drop_mu * *vel + lr * g;
  *p = *p - *vel;
}

@ Both runs take the same steps until the drop, up to rounding: the
library's step is $\eta b$ rounded, the velocity form's $v$ is rounded as
it accumulates.  The table has the learning rate, each form's step and
each form's distance travelled.
@<Momentum: functions@>=
static void schedule_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  struct optimizer *opt = method_new(&(struct method)@[{"sgd", drop_lr, drop_mu, 0.0,
    false}@], 1);
  float p = 0.0f, q = 0.0f, vel = 0.0f, one = 1.0f;
  double same = 0.0, at_drop[2] = {0, 0}, torch_step = 0, cs_step = 0;
  struct tsv *t = tsv_open(o->out, "schedule.tsv",
    "step\tlr\tstep_torch\tstep_velocity\tmoved_torch\tmoved_velocity");
  for (int s = 1; s <= 2 * drop_step; s++) {
    @<Momentum: take step |s| in both forms, with the rate of the schedule@>@;
  }
  tsv_close(t);
  opt_free(&opt);
  @<Momentum: report the schedule experiment@>@;
}

@ At the drop the rate changes for both forms before the step is taken.
The steps right after the drop, and the distances at the drop, are kept
for the report.
@<Momentum: take step |s| in both forms...@>=
float lr = s <= drop_step ? (float)drop_lr : (float)drop_lr_after;
if (s == drop_step + 1) {
  opt_set_lr(opt, drop_lr_after);
  at_drop[0] = -p; at_drop[1] = -q;
}
float p0 = p;
opt_step(opt, &p, &one);
velocity_step(&q, &vel, lr, 1.0f);
double st = (double)lr * opt_state(opt, 0)[0];
if (s <= drop_step && fabs(p - q) / fabs(p) > same) same = fabs(p - q) / fabs(p);
if (s == drop_step + 1) { torch_step = p0 - p; cs_step = vel; }
tsv_row(t, 6, (double[6])@[{s, lr, st, vel, -p, -q}@]);

@ The report compares the two forms before the drop, at the first step
after it, and over the |drop_step| steps after it.
@<Momentum: report the schedule experiment@>=
double after_torch = -p - at_drop[0], after_cs = -q - at_drop[1];
printf("== schedule: slope g = 1, mu %g, lr %g then %g after step %d\n",
       drop_mu, drop_lr, drop_lr_after, drop_step);
printf("before the drop: largest relative difference %.2g\n", same);
printf("first step after the drop: PyTorch %.4f, velocity form %.4f\n",
       torch_step, cs_step);
printf("distance in the %d steps after: PyTorch %.3f, velocity form %.3f\n\n",
       drop_step, after_torch, after_cs);
values_sci(v, "MOschedSame", same);
values_put(v, "MOschedTorch", "%.4f", torch_step);
values_put(v, "MOschedVel", "%.4f", cs_step);
values_put(v, "MOschedTorchAfter", "%.2f", after_torch);
values_put(v, "MOschedVelAfter", "%.2f", after_cs);
values_put(v, "MOschedRatio", "%.1f", after_cs / after_torch);

@ Figure~\figref{02-momentum-schedule} shows the two forms around the drop.
\bookfigure{02-momentum-schedule}{Momentum $\mu=0.9$ on a constant slope,
$\eta=0.1$ for 50 steps, then $\eta=0.01$.  The step taken at each step by
PyTorch's form ($\theta\gets\theta-\eta b$) and by the velocity form
($v\gets\mu v+\eta g$, $\theta\gets\theta-v$).  Before the drop the
two curves coincide.}
Before the drop the two forms agree to rounding, a largest relative
difference of $\val{MOschedSame}$ in the iterate.  After it they do not.
PyTorch's first step at the new rate is \val{MOschedTorch}: the whole
buffer, built at the old rate, is now multiplied by the new one, and the
step falls tenfold at once.  The velocity form's first step is
\val{MOschedVel}: its velocity still holds nine tenths of its old value
and forgets it at the rate~$\mu$.  Over the 50 steps after the drop the
velocity form travels \val{MOschedVelAfter}, PyTorch's
\val{MOschedTorchAfter}, \val{MOschedRatio} times as far.

Neither is wrong.  The two forms are the same method under a constant
rate and two different methods under a schedule, and a schedule tuned
for one is not tuned for the other.  The difference is largest exactly
where schedules act, at sudden changes: a warm restart, which raises the
rate at once, multiplies PyTorch's whole buffer by the jump; the velocity
form feels the jump only in its new gradients.  A recipe carried between
frameworks, or from a paper that uses the velocity form, has to be
translated, not copied.

@*1 Momentum on the ravine.
On a quadratic, momentum can be analysed as exactly as gradient descent
was in Chapter~1.  Take one eigen-direction, with curvature $\lambda$ and
error $e_t$ (the coordinate of $\theta_t-\theta^*$ along it), so that the
gradient is $\lambda e_t$.  Substituting $-\eta b_{t-1}=e_t-e_{t-1}$ into
PyTorch's step eliminates the buffer and leaves a recurrence of second
order,
$$e_{t+1}=(1+\mu-\eta\lambda)\,e_t-\mu\,e_{t-1},$$
whose solutions are combinations of $z^t$ for the two roots of
$$z^2-(1+\mu-\eta\lambda)\,z+\mu=0.$$
The product of the roots is $\mu$.  When they are complex they are
conjugates of equal size, so each has modulus $\sqrt\mu$, whatever
$\lambda$ is: the error spirals in at the rate $\sqrt\mu$ per step.  That
happens when $(1+\mu-\eta\lambda)^2<4\mu$, which is
$$(1-\sqrt\mu)^2<\eta\lambda<(1+\sqrt\mu)^2.$$
Outside that band the roots are real and one of them is larger than
$\sqrt\mu$.  Both lie inside the unit circle as long as
$\eta\lambda<2(1+\mu)$: momentum raises the stability limit from
$2/\lambda_{\max}$ to $2(1+\mu)/\lambda_{\max}$.

@ The band suggests how to tune.  Gradient descent's rate was set by the
worst direction; here every direction inside the band converges at the
same rate $\sqrt\mu$, so choose $\eta$ and $\mu$ to put the whole
spectrum $[\lambda_{\min},\lambda_{\max}]$ into it, with its ends on the
edges:
$$\eta\lambda_{\min}=(1-\sqrt\mu)^2,\qquad\eta\lambda_{\max}=(1+\sqrt\mu)^2.$$
Dividing, $\sqrt\kappa=(1+\sqrt\mu)/(1-\sqrt\mu)$, and so
$$\sqrt\mu={\sqrt\kappa-1\over\sqrt\kappa+1},\qquad
\eta={4\over(\sqrt{\lambda_{\max}}+\sqrt{\lambda_{\min}})^2}.$$
The rate is $(\sqrt\kappa-1)/(\sqrt\kappa+1)\approx1-2/\sqrt\kappa$,
where gradient descent's best was $(\kappa-1)/(\kappa+1)\approx1-2/\kappa$:
the same formula with $\sqrt\kappa$ in place of $\kappa$.  For the
ravine ${1\over2}(20x^2+y^2)$ of Chapter~1 the tuned values are
$\eta=\val{MOhbEta}$ and $\mu=\val{MOhbMu}$, with rate \val{MOhbRate}
against gradient descent's \val{MOgdRate}.  Note that
$\eta\lambda_{\max}=\val{MOhbSteep}$: the tuned heavy ball takes steps
that would make gradient descent diverge.

A rate function for all the methods of this chapter finds the largest
root of $z^2-c_1z+c_0$, the recurrence's characteristic polynomial, for
one curvature $\lambda$.  For the heavy ball $c_1=1+\mu-\eta\lambda$ and
$c_0=\mu$; gradient descent is the case $\mu=0$.  Nesterov's method,
derived later in the chapter, has its own $c_1$ and $c_0$.
@<Momentum: functions@>=
static double theory_rate(const struct method *m, double lambda)
{
  double h = m->lr * lambda, c1, c0;
  if (m->nesterov) { c1 = (1.0 + m->mu) * (1.0 - h); c0 = m->mu * (1.0 - h); }
  else { c1 = 1.0 + m->mu - h; c0 = m->mu; }
  double disc = c1 * c1 - 4.0 * c0;
  if (disc < 0.0) return sqrt(c0);
  return (fabs(c1) + sqrt(disc)) / 2.0;
}

@ The whole map of the heavy ball on one direction fits in a picture.
The {\it stability\/} experiment evaluates |theory_rate| on a grid of
the two numbers that matter, $h=\eta\lambda$ from 0 to |stab_h_max| and
$\mu$ from 0 to |stab_mu_max|, and writes the rate $\rho$ to
\.{stability.tsv}.  The rate is the spectral radius of the matrix that
advances the pair of errors one step,
$${e_{t+1}\choose e_t}=\pmatrix{1+\mu-h&-\mu\cr 1&0\cr}{e_t\choose e_{t-1}},$$
whose characteristic polynomial is the one above;
the edges of the region, $h=2(1+\mu)$, and of the band of complex roots,
$h=(1\pm\sqrt\mu)^2$, go to \.{stability-edges.tsv}.  Nothing is trained
and nothing is random: the map is the theory's, so the quick run draws
it whole.
@^stability of momentum@>
@d stab_h_n 221 /* values of $\eta\lambda$: steps of 0.02 */
@d stab_h_max 4.4
@d stab_mu_n 100 /* values of $\mu$: steps of 0.01 */
@d stab_mu_max 0.99
@<Momentum: functions@>=
static void stability_experiment(struct chapter *o)
{
  struct tsv *t = tsv_open(o->out, "stability.tsv", "h\tmu\trho");
  double last_stable[stab_mu_n];
  for (int i = 0; i < stab_mu_n; i++) {
    double mu = stab_mu_max * i / (stab_mu_n - 1);
    last_stable[i] = 0.0;
    for (int j = 0; j < stab_h_n; j++) {
      double h = stab_h_max * j / (stab_h_n - 1);
      const struct method m = {"sgd", h, mu, 0.0, false};
      double rho = theory_rate(&m, 1.0);
      if (rho < 1.0) last_stable[i] = h;
      tsv_row(t, 3, (double[3])@[{h, mu, rho}@]);
    }
    tsv_printf(t, "\n");
  }
  tsv_close(t);
  @<Momentum: write the edges of the stable region@>@;
  @<Momentum: report the stability map@>@;
}

@ The edges are drawn as curves over the same range of $\mu$, at a
finer step.
@<Momentum: write the edges of the stable region@>=
struct tsv *e = tsv_open(o->out, "stability-edges.tsv", "mu\tedge\tband_lo\tband_hi");
for (int i = 0; i <= 200; i++) {
  double mu = stab_mu_max * i / 200.0, r = sqrt(mu);
  tsv_row(e, 4, (double[4])@[{mu, 2.0 * (1.0 + mu), (1.0 - r) * (1.0 - r),
    (1.0 + r) * (1.0 + r)}@]);
}
tsv_close(e);

@ The report checks the grid against the algebra: the largest stable
$\eta\lambda$ found on the grid at $\mu=0$ and at $\mu=0.9$ (row 91 of
the grid), beside the edge $2(1+\mu)$; and it gives the band at
$\mu={1\over2}$.
@<Momentum: report the stability map@>=
double r5 = sqrt(0.5);
printf("== stability: heavy ball on one direction, "@/
       "rate = spectral radius\n");
printf("largest stable eta*lambda on the grid: "@/
       "%.2f at mu = 0 (edge 2), "@/
       "%.2f at mu = 0.9 (edge %.2f)\n", last_stable[0], last_stable[90],
       2.0 * 1.9);
printf("at mu = 0.5 the rate is sqrt(mu) = %.4f "@/
       "for %.3f < eta*lambda < %.3f\n\n",
       r5, (1.0 - r5) * (1.0 - r5), (1.0 + r5) * (1.0 + r5));
values_put(o->values, "MOstabGDgrid", "%.2f", last_stable[0]);
values_put(o->values, "MOstabNineGrid", "%.2f", last_stable[90]);
values_put(o->values, "MOstabNineEdge", "%.2f", 2.0 * 1.9);
values_put(o->values, "MOstabHalfRate", "%.3f", r5);
values_put(o->values, "MOstabHalfLo", "%.2f", (1.0 - r5) * (1.0 - r5));
values_put(o->values, "MOstabHalfHi", "%.2f", (1.0 + r5) * (1.0 + r5));

@ Figure~\figref{02-momentum-stability} is the map.  Everything left of
the solid curve $\eta\lambda=2(1+\mu)$ converges; on the bottom edge,
$\mu=0$, that is gradient descent's limit $\eta\lambda<2$, and each unit
of $\mu$ adds two to it, up to almost 4 as $\mu\to1$.  The grid agrees
with the algebra to its step of 0.02: its largest stable $\eta\lambda$ is
\val{MOstabGDgrid} at $\mu=0$ and \val{MOstabNineGrid} at $\mu=0.9$,
where the edge is \val{MOstabNineEdge}.  Between the dashed curves the
roots are complex and the rate is $\sqrt\mu$ whatever $\eta\lambda$ is,
which is why the shade there changes only with height: at $\mu={1\over2}$
every $\eta\lambda$ from \val{MOstabHalfLo} to \val{MOstabHalfHi}
converges at the rate \val{MOstabHalfRate}, and the band ends only
$(1-\sqrt\mu)^2$ short of the edge, 3.  That flat band is what the
tuning above exploits: it fits the whole spectrum
$[\lambda_{\min},\lambda_{\max}]$ between the dashed curves.
Gradient descent's best rate, 0 at $\eta\lambda=1$, is in the bottom
corner; with momentum no direction converges faster than $\sqrt\mu$,
but a wide range of directions converges that fast.
\bookfigure{02-momentum-stability}{Heavy-ball momentum on one direction
of a quadratic, curvature $\lambda$: the rate $\rho$ (the spectral radius
of the iteration matrix; darker converges faster) for each $\eta\lambda$
and $\mu$.  White is divergence.  The solid curve is the stability edge
$\eta\lambda=2(1+\mu)$, the circle gradient descent's limit
$\eta\lambda=2$ at $\mu=0$; between the dashed curves
$(1\pm\sqrt\mu)^2$ the rate is $\sqrt\mu$, flat along each row.}

@ The loss is a sum of squared errors, so it falls by $\rho^2$ per step
when the errors fall by $\rho$.  The theory's number of steps to divide
the loss by $1/\epsilon$ is therefore $\ln\epsilon/(2\ln\rho)$, with
$\rho$ the larger of the rates of the two directions of a ravine
$(ax^2+by^2)/2$.  The count ignores constant factors in front of
$\rho^t$, and a factor~$t$ that appears when the two roots coincide.
@<Momentum: functions@>=
static double theory_steps(const struct method *m, double a, double b)
{
  double ra = theory_rate(m, a), rb = theory_rate(m, b);
  double rho = ra > rb ? ra : rb;
  return log(tol_ratio) / (2.0 * log(rho));
}

@ All the runs on two-dimensional problems take their steps through one
function.  The iterate is a |float| pair, as any parameter vector of the
library is; the gradient is computed in double at that point by the
problem, rounded to |float|, and handed to the optimizer.  The function
returns the loss at the point it started from.
@<Momentum: functions@>=
static double walk_step(const struct problem *pb, struct optimizer *o, float p[2])
{
  double th[2] = {p[0], p[1]}, g[2];
  double f = problem_eval(pb, th, g);
  float gf[2] = {(float)g[0], (float)g[1]};
  opt_step(o, p, gf);
  return f;
}

@ The measured number of steps is the time after which the loss stays
at or below $\epsilon f(\theta_0)$, with $\epsilon=|tol_ratio|$: one more
than the last step at which it was above.  The loss of a momentum method
is not monotone, and an oscillating path can dip below the tolerance long
before it stays there, so the run goes on until it has been below for
as many steps as it took to get there, and at least |settle_steps|.  A
run that has not settled after |max_steps| steps, or has overflowed,
counts as never, $-1$.
@d tol_ratio 1e-10
@d settle_steps 100
@d max_steps 1000000
@<Momentum: functions@>=
static long steps_to_tolerance(const struct problem *pb, const struct method *m,
  const double start[2])
{
  struct optimizer *o = method_new(m, 2);
  float p[2] = {(float)start[0], (float)start[1]};
  double f0 = problem_eval(pb, start, NULL);
  long last = 0, result = -1;
  for (long t = 0; t <= max_steps; t++) {
    double th[2] = {p[0], p[1]}, f = problem_eval(pb, th, NULL);
    if (!isfinite(f)) break;
    if (f > tol_ratio * f0) last = t + 1;
    else if (t - last >= last && t - last >= settle_steps) { result = last; break; }
    walk_step(pb, o, p);
  }
  opt_free(&o);
  return result;
}

@ The experiment runs five methods on Chapter~1's ravine from $(1,1)$:
gradient descent with its best step $2/(a+b)$; the heavy ball with the
tuned $\eta$ and $\mu$; the heavy ball with the $\mu=0.9$ that most
recipes use and a small step $\eta=0.02$; Nesterov's method with the same
$\mu$ and $\eta$; and Nesterov's method with the tuning of its own theory,
$\eta=1/\lambda_{\max}$, $\mu=(\sqrt\kappa-1)/(\sqrt\kappa+1)$ (see the
part on Nesterov).  For each it records the first |rav_steps| points of
the path and the loss, the steps to tolerance, measured and predicted,
and how often the steep coordinate~$x$ changes sign along the recorded
path, a count of the zig-zag.
@d ravine_a 20.0
@d ravine_b 1.0
@d rav_steps 40
@d rav_loss_steps 150
@d n_rav 5
@<Momentum: types@>=
struct named_method { const char *name, *label; struct method m; };

@ The methods are built at run time, because the tuned ones need square
roots.  |tuned_hb| and |tuned_nag| are used again for every $\kappa$ in
the next part.
@<Momentum: functions@>=
static struct method tuned_hb(double big, double small)
{
  double sk = sqrt(big / small), r = (sk - 1.0) / (sk + 1.0);
  double s = sqrt(big) + sqrt(small);
  return (struct method)@[{"sgd", 4.0 / (s * s), r * r, 0.0, false}@];
}
static struct method tuned_nag(double big, double small)
{
  double sk = sqrt(big / small);
  return (struct method)@[{"sgd", 1.0 / big, (sk - 1.0) / (sk + 1.0), 0.0, true}@];
}
static struct method best_gd(double big, double small)
{
  return (struct method)@[{"sgd", 2.0 / (big + small), 0.0, 0.0, false}@];
}

@ One path: the first |rav_steps| points go to \.{ravine-NAME.tsv}, the
losses of the first |rav_loss_steps| steps into |loss|, and the function
returns the number of sign changes of~$x$ along the recorded points.
@<Momentum: functions@>=
static int ravine_path(const struct chapter *o, const struct problem *pb,
  const struct named_method *nm, const double start[2], double *loss)
{
  char name[40];
  snprintf(name, sizeof name, "ravine-%s.tsv", nm->name);
  struct tsv *t = tsv_open(o->out, name, "step\tx\ty\tf");
  struct optimizer *opt = method_new(&nm->m, 2);
  float p[2] = {(float)start[0], (float)start[1]};
  int flips = 0;
  for (int s = 0; s <= rav_loss_steps; s++) {
    float x = p[0], y = p[1];
    loss[s] = walk_step(pb, opt, p);
    if (s > rav_steps) continue;
    tsv_row(t, 4, (double[4])@[{s, x, y, loss[s]}@]);
    if (s < rav_steps && (p[0] < 0.0f) != (x < 0.0f)) flips++;
  }
  tsv_close(t);
  opt_free(&opt);
  return flips;
}

@ The ravine experiment writes the contour grid, then one path table per
method, then a table of the losses of all five, then its report.
@<Momentum: functions@>=
@<Momentum: the contour grid@>@;
static void ravine_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  struct problem pb = problem_ravine(ravine_a, ravine_b);
  const double start[2] = {1.0, 1.0};
  const struct named_method nm[n_rav] = {@/
    @[{"gd", "gradient descent", best_gd(ravine_a, ravine_b)}@],@/
    @[{"hb", "heavy ball, tuned", tuned_hb(ravine_a, ravine_b)}@],@/
    @[{"hb09", "heavy ball", {"sgd", 0.02, 0.9, 0.0, false}}@],@/
    @[{"nag09", "Nesterov", {"sgd", 0.02, 0.9, 0.0, true}}@],@/
    @[{"nag", "Nesterov, tuned", tuned_nag(ravine_a, ravine_b)}@]};
  write_grid(o->out, "ravine-grid.tsv", &pb);
  double loss[n_rav][rav_loss_steps + 1];
  int flips[n_rav];
  long meas[n_rav];
  for (int k = 0; k < n_rav; k++)
    flips[k] = ravine_path(o, &pb, &nm[k], start, loss[k]);
  @<Momentum: write the ravine's losses@>@;
  @<Momentum: report the ravine@>@;
}

@ The landscape is written as in Chapter~1, a table of $f$ on a grid of
|grid_n| by |grid_n| points, one row of constant $x$ at a time, each
followed by a blank line, in the layout gnuplot expects of a surface.
The window reaches lower than Chapter~1's, because momentum carries
the path past the floor of the ravine.
@d grid_n 81
@<Momentum: the contour grid@>=
static const double grid_lo[2] = {-1.2, -0.7}, grid_hi[2] = {1.2, 1.1};
static void write_grid(const char *dir, const char *name, const struct problem *p)
{
  struct tsv *t = tsv_open(dir, name, "x\ty\tf");
  for (int i = 0; i < grid_n; i++) {
    for (int j = 0; j < grid_n; j++) {
      double th[2] = {grid_lo[0] + (grid_hi[0] - grid_lo[0]) * i / (grid_n - 1),
                      grid_lo[1] + (grid_hi[1] - grid_lo[1]) * j / (grid_n - 1)};
      tsv_row(t, 3, (double[3])@[{th[0], th[1], problem_eval(p, th, NULL)}@]);
    }
    tsv_printf(t, "\n");
  }
  tsv_close(t);
}

@ The losses of all five runs go into one table, for
Figure~\figref{02-momentum-ravineloss}.
@<Momentum: write the ravine's losses@>=
struct tsv *lt = tsv_open(o->out, "ravine-loss.tsv", "step\tgd\thb\thb09\tnag09\tnag");
for (int s = 0; s <= rav_loss_steps; s++) {
  double row[1 + n_rav] = {s};
  for (int k = 0; k < n_rav; k++) row[1 + k] = loss[k][s];
  tsv_row(lt, 1 + n_rav, row);
}
tsv_close(lt);

@ The report prints, and sets as a \TeX\ table, each method's
hyperparameters, its theoretical rate, the steps to tolerance predicted
and measured, and the count of sign changes.
@<Momentum: report the ravine@>=
char tab[1024] = "";
printf("== ravine: f = (%g x^2 + %g y^2)/2 from (1, 1), loss down by %g\n",
       ravine_a, ravine_b, 1.0 / tol_ratio);
printf("%-18s %7s %6s %6s %6s %6s %6s\n", "method", "lr", "mu", "rate",
       "theory", "steps", "flips");
for (int k = 0; k < n_rav; k++) {
  @<Momentum: print and tabulate the ravine row of method |k|@>@;
}
printf("\n");
values_put(v, "MOravTable", "%s", tab);
@<Momentum: quote the ravine numbers@>@;

@ A row of the ravine table.  The measured steps and the sign changes of
each method are kept for the text.
@<Momentum: print and tabulate the ravine row of method |k|@>=
const struct method *m = &nm[k].m;
double rho = fmax(theory_rate(m, ravine_a), theory_rate(m, ravine_b));
double pred = theory_steps(m, ravine_a, ravine_b);
meas[k] = steps_to_tolerance(&pb, m, start);
printf("%-18s %7.4f %6.4f %6.4f %6.0f %6ld %6d\n", nm[k].label, m->lr,
       m->mu, rho, pred, meas[k], flips[k]);
appendf(tab, sizeof tab, "%s&%.4f&%.4f&%.4f&%.0f&%ld&%d\\cr\n",
         nm[k].label, m->lr, m->mu, rho, pred, meas[k], flips[k]);

@ The numbers that the text quotes.
@<Momentum: quote the ravine numbers@>=
const struct method *hb = &nm[1].m, *gd = &nm[0].m;
values_put(v, "MOhbEta", "%.4f", hb->lr);
values_put(v, "MOhbMu", "%.4f", hb->mu);
values_put(v, "MOhbRate", "%.4f", sqrt(hb->mu));
values_put(v, "MOgdRate", "%.4f", theory_rate(gd, ravine_a));
values_put(v, "MOhbSteep", "%.2f", hb->lr * ravine_a);
values_put(v, "MOravGD", "%ld", meas[0]);
values_put(v, "MOravHB", "%ld", meas[1]);
values_put(v, "MOravHBnine", "%ld", meas[2]);
values_put(v, "MOravNAGnine", "%ld", meas[3]);
values_put(v, "MOravNAG", "%ld", meas[4]);
values_put(v, "MOflipsGD", "%d", flips[0]);
values_put(v, "MOflipsHB", "%d", flips[1]);
values_put(v, "MOflipsHBnine", "%d", flips[2]);
values_put(v, "MOflipsNAGnine", "%d", flips[3]);
double peak = 0.0;
for (int s = 0; s <= rav_steps; s++) peak = fmax(peak, loss[1][s]);
values_put(v, "MOhbPeak", "%.1f", peak);
values_put(v, "MOhbFirstX", "%.2f", 1.0 - hb->lr * ravine_a);
values_put(v, "MOnineRate", "%.4f", sqrt(nm[2].m.mu));
values_put(v, "MOnagSteepRate", "%.4f", theory_rate(&nm[3].m, ravine_a));
values_put(v, "MOnagFlatRate", "%.4f", theory_rate(&nm[3].m, ravine_b));

@ The results are in Table~\tableref{02-ravine} and in
Figures~\figref{02-momentum-ravine} and~\figref{02-momentum-ravineloss};
``rate'' is the theory's $\rho$, the larger of the two directions' rates,
and the steps are those until the loss has fallen by $10^{10}$ for good.
\booktable{02-ravine}{Five methods on Chapter~1's ravine
${1\over2}(20x^2+y^2)$ from $(1,1)$: the theory's rate $\rho$, the steps
until the loss has fallen by $10^{10}$ for good, predicted and measured,
and the sign changes of the steep coordinate in the first 40 steps.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\cr
method&$\eta$&$\mu$&rate&steps, theory&measured&sign changes\cr
\noalign{\smallskip\hrule\smallskip}
\MOravTable}}}
\noindent
The tutorials' picture---zig-zag without momentum, a smooth path with
it---is half true, and the half that is true is not the half that makes
momentum fast.  With the recipe's $\mu=0.9$ and a small step the path
is smooth: the steep coordinate changes sign \val{MOflipsHBnine} times in
40 steps, where gradient descent's changes sign at every step,
\val{MOflipsGD} times.  But it is not fast.  It swings in wide arcs,
past the floor of the ravine and back, and needs \val{MOravHBnine} steps
where gradient descent needs \val{MOravGD}, because with $\mu=0.9$ both
directions of the ravine lie inside the band and both converge at
$\sqrt{0.9}=\val{MOnineRate}$ per step, slower than gradient descent's
\val{MOgdRate}.  The memory that smooths the path also keeps it swinging.

The fast heavy ball is the tuned one, \val{MOravHB} steps, and it
zig-zags exactly as often as gradient descent, \val{MOflipsHB} times in
40 steps.  Its first step multiplies $x$ by $1-\eta\lambda_{\max}=
\val{MOhbFirstX}$, and its loss climbs from 10.5 to \val{MOhbPeak}
before it falls.  What momentum buys is speed in the {\it flat\/}
direction, where its rate is $\sqrt\mu$ instead of $1-\eta\lambda_{\min}$,
and it pays for that with a larger, not a smaller, swing in the steep
one.  Nesterov's method with the same $\mu=0.9$ and $\eta$ is both
smooth and faster than the heavy ball, \val{MOravNAGnine} steps: as the
Nesterov part below derives, it damps the steep direction by
\val{MOnagSteepRate} per step instead of \val{MOnineRate}, so that the
sideways swing dies out within a few steps and only a slow swing along the
floor is left.  Tuned by its own theory it needs \val{MOravNAG}.

The measured counts match the theory's for gradient descent and for the
heavy ball at $\mu=0.9$, whose two directions converge at the same rate,
so that the steep one, which holds 20 of the 21 parts of the starting
loss, decides.  Nesterov's method at $\mu=0.9$ arrives sooner than
predicted because it removes the steep direction quickly, and the flat
one has only a twenty-first of the loss to remove.  The tuned heavy ball
arrives later than predicted, for a reason the next part explains.

\bookfigure{02-momentum-ravine}{Chapter~1's ravine ${1\over2}(20x^2+y^2)$,
drawn to scale with the contours of Figure~\figref{01-landscape-ravine}
(from the inside: $f=0.02$, $0.1$, $0.3$, $0.7$, $1.5$, $3$, $6$, $10.5$),
and 40 steps from $(1,1)$ of gradient descent with its best
step $\eta=2/21$, and of the heavy ball and Nesterov's method, both with
$\mu=0.9$ and $\eta=0.02$.  The tuned heavy ball's path, not drawn, leaves
the window on its first step, to $x=\val{MOhbFirstX}$.}

\bookfigure{02-momentum-ravineloss}{The loss along the paths of the five
methods of Table~\tableref{02-ravine}, on the ravine of
Figure~\figref{02-momentum-ravine}.}

@*1 From $\kappa$ to $\sqrt\kappa$.
The ravine has one condition number, 20.  The claim that matters is about
how the cost grows with $\kappa$: gradient descent's steps in proportion
to $\kappa$, the tuned heavy ball's in proportion to $\sqrt\kappa$.  At
$\kappa=10^4$ that is the difference between tens of thousands of steps
and hundreds.  (The condition numbers of real networks' Hessians are
larger still, but they are not what this chapter measures: its functions
are quadratics.)  The
experiment measures it on the family of ravines $(\kappa x^2+y^2)/2$, for
$\kappa$ from 10 to $\val{MOkapMax}$, |kappa_per_decade| values per factor
of ten.  Each method is given its best hyperparameters for the $\kappa$
at hand: gradient descent $\eta=2/(\kappa+1)$, the heavy ball the tuning
derived above, Nesterov's method the tuning of its own theory (next
part).  Each run starts at $(\kappa^{-1/2},1)$, where the two directions
hold equal shares of the loss, so that neither gets a head start, and is
counted until its loss has fallen by $10^{10}$ for good, exactly as on
the ravine.

The exponents are least-squares slopes of $\log(\hbox{steps})$ against
$\log\kappa$.
@<Momentum: functions@>=
static double fit_slope(int n, const double *x, const double *y)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < n; i++) {
    sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i];
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

@ The table \.{kappa.tsv} has, for every $\kappa$, each method's measured
steps and the theory's count.  The logarithms are kept for the fits: of
the three measured counts, and of the two momentum methods' theoretical
ones.
@d max_kappas 64
@<Momentum: functions@>=
static void kappa_experiment(struct chapter *o)
{
  const struct mo_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  struct tsv *t = tsv_open(o->out, "kappa.tsv",
    "kappa\tgd\tgd_theory\thb\thb_theory\tnag\tnag_theory");
  double lk[max_kappas], ls[5][max_kappas], row[7], excess[2][2];
  int n = 0;
  printf("== kappa: f = (kappa x^2 + y^2)/2 from (kappa^-1/2, 1), loss down by %g\n",
         1.0 / tol_ratio);
  printf("%10s %8s %8s %7s %7s %7s %7s\n", "kappa", "gd", "(theory)",
         "hb", "(theory)", "nag", "(theory)");
  for (int k = 0; n < max_kappas; k++) {
    double kappa = pow(10.0, 1.0 + (double)k / pl->kappa_per_decade);
    if (kappa > pl->kappa_max * (1.0 + 1e-9)) break;
    @<Momentum: run the three tuned methods at condition number |kappa|@>@;
  }
  tsv_close(t);
  @<Momentum: fit and quote the exponents@>@;
}

@ The methods are tuned with $\lambda_{\max}=\kappa$ and $\lambda_{\min}=1$.
The ratio of measured to predicted steps of the two momentum methods is
kept at the first and the last $\kappa$.
@<Momentum: run the three tuned methods...@>=
struct problem pb = problem_ravine(kappa, 1.0);
const double start[2] = {1.0 / sqrt(kappa), 1.0};
const struct method m[3] = {best_gd(kappa, 1.0), tuned_hb(kappa, 1.0),
  tuned_nag(kappa, 1.0)};
row[0] = kappa;
lk[n] = log(kappa);
for (int j = 0; j < 3; j++) {
  long s = steps_to_tolerance(&pb, &m[j], start);
  row[1 + 2 * j] = (double)s;
  row[2 + 2 * j] = theory_steps(&m[j], kappa, 1.0);
  ls[j][n] = log((double)s);
}
ls[3][n] = log(row[4]);
ls[4][n] = log(row[6]);
for (int j = 0; j < 2; j++) excess[j][n == 0 ? 0 : 1] = row[3 + 2 * j] / row[4 + 2 * j];
n++;
tsv_row(t, 7, row);
printf("%10.1f %8.0f %8.1f %7.0f %7.1f %7.0f %7.1f\n", row[0], row[1], row[2],
       row[3], row[4], row[5], row[6]);

@ The report gives the fitted exponents, and the counts at the largest
$\kappa$, which are still in |row|.
@<Momentum: fit and quote the exponents@>=
double sg = fit_slope(n, lk, ls[0]), sh = fit_slope(n, lk, ls[1]);
double sn = fit_slope(n, lk, ls[2]), st = fit_slope(n, lk, ls[3]);
double snt = fit_slope(n, lk, ls[4]);
printf("log-log slopes: gd %.3f, hb %.3f (theory %.3f), nag %.3f (theory %.3f)\n\n",
       sg, sh, st, sn, snt);
values_put(v, "MOslopeGD", "%.3f", sg);
values_put(v, "MOslopeHB", "%.3f", sh);
values_put(v, "MOslopeNAG", "%.3f", sn);
values_put(v, "MOslopeHBtheory", "%.3f", st);
values_put(v, "MOkapMax", "10^{%d}", (int)lround(log10(row[0])));
values_put(v, "MOgdMax", "%.0f", row[1]);
values_put(v, "MOgdMaxTheory", "%.0f", row[2]);
values_put(v, "MOhbMax", "%.0f", row[3]);
values_put(v, "MOhbMaxTheory", "%.0f", row[4]);
values_put(v, "MOnagMax", "%.0f", row[5]);
values_put(v, "MOspeedup", "%.0f", row[1] / row[3]);
values_put(v, "MOslopeNAGtheory", "%.3f", snt);
values_put(v, "MOexcessLo", "%.2f", excess[0][0]);
values_put(v, "MOexcessHi", "%.2f", excess[0][1]);
values_put(v, "MOnagExcessLo", "%.2f", excess[1][0]);
values_put(v, "MOnagExcessHi", "%.2f", excess[1][1]);

@ Figure~\figref{02-momentum-kappa} shows the counts.
\bookfigure{02-momentum-kappa}{Steps until the loss has fallen by
$10^{10}$ for good, on $(\kappa x^2+y^2)/2$ from $(\kappa^{-1/2},1)$,
against the condition number: gradient descent with $\eta=2/(\kappa+1)$,
and the heavy ball and Nesterov's method, each tuned for~$\kappa$.
Points: measured, with the library's float32 steps.  Lines: the theory's
$\ln\epsilon/(2\ln\rho)$.}
The claim holds.  Fitted over the whole range, gradient descent's count
grows as $\kappa^{\val{MOslopeGD}}$, the tuned heavy ball's as
$\kappa^{\val{MOslopeHB}}$, and the tuned Nesterov method's as
$\kappa^{\val{MOslopeNAG}}$.  At $\kappa=\val{MOkapMax}$ gradient descent
needs \val{MOgdMax} steps, the theory \val{MOgdMaxTheory}; the heavy ball
needs \val{MOhbMax}, \val{MOspeedup} times fewer; Nesterov's method
\val{MOnagMax}.

Gradient descent matches its theory to the step, as it did in
Chapter~1.  The heavy ball does not: it needs \val{MOexcessLo} times the
predicted count at $\kappa=10$ and \val{MOexcessHi} times at the largest
$\kappa$, and its fitted exponent is a little above $1/2$, where the
theory's counts alone give \val{MOslopeHBtheory}.  The cause is the
tuning itself.  It puts $\lambda_{\min}$ and $\lambda_{\max}$ exactly on
the edges of the band, where the two roots of the characteristic
polynomial coincide; a double root $z$ admits the solution $t z^t$ besides
$z^t$, so the error there falls like $t\rho^t$ rather than $\rho^t$.
The factor~$t$ costs about $\ln t/\ln(1/\rho)\approx{1\over2}\sqrt\kappa
\ln t$ extra steps, and since $t$ itself grows like $\sqrt\kappa$, the
count grows like $\sqrt\kappa\,(\ln(1/\epsilon)+{1\over2}\ln\kappa)$:
slightly faster than $\sqrt\kappa$, which is the excess the fit measures.
Nesterov's method stays within a constant factor of its own theory,
\val{MOnagExcessLo} times the predicted count at $\kappa=10$ and
\val{MOnagExcessHi} at the largest; its exponent is above $1/2$ for
another reason, which its theory's counts share (their fitted exponent is
\val{MOslopeNAGtheory}): its rate $1-1/\sqrt\kappa$ makes the count
proportional to about $\sqrt\kappa-{1\over2}$, and at $\kappa=10$ that is
still far from $\sqrt\kappa$.  Tuning $\mu$ a little below the edge removes the double
root at the price of a slightly worse $\rho$; on real problems, where
$\lambda_{\min}$ and $\lambda_{\max}$ are not known to three digits,
nobody sits exactly on the edge anyway.

Two cautions.  First, these are the library's float32 steps.  The
minimum is at the origin, where a float's relative precision, $2^{-24}$,
is the same at every scale, so the tolerance $10^{-10}$ in the loss is
far from any limit of the arithmetic.  Around a minimum $\theta^*\ne0$
the iterate can get no closer than about $6\times10^{-8}\,\vert\theta^*
\vert$, and tolerances that demand more cannot be met in float32 at all.
Second, $\sqrt\kappa$ is a statement about quadratics, and about the
exact gradient.  On a general smooth, strongly convex function the heavy
ball with this tuning can fail to converge at all (Lessard, Recht and
Packard, 2016), while Nesterov's method keeps a $\sqrt\kappa$ guarantee.
With noisy gradients, the analyses find the advantage shrinking, because
momentum accumulates the noise along with the signal (Kidambi et~al.,
2018, construct noisy least-squares problems on which the heavy ball and
Nesterov's method do no better than SGD); the next part tests that on a
network.

@*1 Momentum with noisy gradients.
Everything so far used exact gradients.  A network is trained on
mini-batch gradients, the true gradient plus noise, and there the
memory of the buffer has a plainer reading.  While the gradient changes
little over the $1/(1-\mu)$ steps the buffer remembers, the buffer
holds about $g/(1-\mu)$, and the heavy ball steps by $\eta/(1-\mu)$
times the gradient: it is SGD with the {\it effective rate\/}
@^effective learning rate@>
$\eta/(1-\mu)$.  The noise is summed by the same weights, so the
noise the two steps carry over a stretch of training is the same too.
When the rate is small against the curvature, the two are one process
seen at two settings, and momentum's advantage of the previous parts,
which came from high-curvature directions where the gradient changes
from step to step, has nowhere to show.  The claim: {\it with noisy
gradients, momentum at a matched effective rate does no better than
SGD}.

The experiment trains the multilayer perceptron of Appendix~A,
$784$--$128$--$64$--$10$, on Fashion-MNIST with batches of
\val{MOnoiseBatch} for \val{MOnoiseSteps} steps, at four effective rates:
SGD at $\eta$, and the heavy ball with $\mu=0.9$ at $\eta/10$, so that
$\eta/(1-\mu)$ is the same.  Each pair runs from \val{MOnoiseSeeds}
seeds, and seed $s$ gives both methods the same initial weights and the
same batches, so the difference can be taken seed by seed.  The score is
the loss on the \val{MOnoiseTest} test images.
@d nz_mu 0.9
@d nz_rates 4
@d nz_seeds 4
@d nz_batch 32
@<Momentum: functions@>=
static const double nz_eff[nz_rates] = {0.03, 0.1, 0.3, 1.0};
static double noise_run(const struct chapter *o, const struct dataset *test,
  double eff, double mu, uint64_t seed, int steps)
{
  char msg[256];
  struct session_config c = @[{.nlayers = 3,@/
    .sizes = {o->train->dim, 128, 64, o->train->classes},@/
    .opt_name = "sgd", .batch = nz_batch, .seed = seed, .world = 1}@];
  opt_defaults("sgd", &c.opt);
  c.opt.lr = eff * (1.0 - mu);
  c.opt.momentum = mu;
  struct session *S = session_new(&c, o->train, msg, sizeof msg);
  if (!S) die("%s", msg);
  for (int t = 0; t < steps; t++) session_step(S);
  double acc, loss = mlp_evaluate(S->m, test, &acc);
  session_free(&S);
  return loss;
}

@ The runs are independent, so they share out over the threads; each is
computed the same way on any thread, and the results do not depend on
their number.
@<Momentum: functions@>=
@<Momentum: report the noisy runs@>@;
static void noise_experiment(struct chapter *o)
{
  const struct mo_plan *pl = plan_of(o);
  struct dataset tv = *o->test;
  tv.n = pl->noise_test;
  double loss[2][nz_rates][nz_seeds];
  note("noise: %d networks of %d steps", 2 * nz_rates * nz_seeds, pl->noise_steps);
  @<Momentum: give each network a thread@>@;
  for (int k = 0; k < 2 * nz_rates * nz_seeds; k++) {
    const int m = k / (nz_rates * nz_seeds), r = k / nz_seeds % nz_rates, s = k % nz_seeds;
    loss[m][r][s] = noise_run(o, &tv, nz_eff[r], m ? nz_mu : 0.0,
                              o->seed + (uint64_t)s, pl->noise_steps);
  }
  noise_report(o, pl, loss);
}

@ The pragma has a section of its own, so that the function around it is
typeset as code.
@<Momentum: give each network a thread@>=
#pragma omp parallel for schedule(dynamic, 1)

@ For each effective rate the report gives both methods' mean test loss
and spread, and the paired difference, momentum minus SGD.  A run whose
loss is not finite diverged; a rate with a diverged run is reported as
such rather than averaged.
@<Momentum: report the noisy runs@>=
static void noise_report(const struct chapter *o, const struct mo_plan *pl,
  double loss[2][nz_rates][nz_seeds])
{
  struct tsv *t = tsv_open(o->out, "noise.tsv",
    "eff\tsgd_mean\tsgd_sd\tmom_mean\tmom_sd\tdiff_mean\tdiff_sd");
  char tab[2048] = "";
  int best[2] = {-1, -1};  /* each method's rate of lowest mean test loss */
  printf("== noise: test loss after %d steps of batch %d, %d seeds\n",
         pl->noise_steps, nz_batch, nz_seeds);
  printf("%8s %18s %18s %18s\n", "eta/(1-mu)", "SGD", "momentum 0.9", "difference");
  for (int r = 0; r < nz_rates; r++) {
    @<Momentum: summarize the runs at one effective rate@>@;
  }
  tsv_close(t);
  @<Momentum: quote each method at its best rate@>@;
  values_put(o->values, "MOnoiseTable", "%s", tab);
  values_put(o->values, "MOnoiseSteps", "%d", pl->noise_steps);
  values_put(o->values, "MOnoiseBatch", "%d", nz_batch);
  values_put(o->values, "MOnoiseSeeds", "%d", nz_seeds);
  values_put(o->values, "MOnoiseTest", "%zu", pl->noise_test);
  printf("\n");
}

@ The difference is taken seed by seed; a diverged run makes its rate's
row say so.
@<Momentum: summarize the runs at one effective rate@>=
double d[nz_seeds];
int bad = 0;
for (int s = 0; s < nz_seeds; s++) {
  d[s] = loss[1][r][s] - loss[0][r][s];
  bad += !isfinite(loss[0][r][s]) + !isfinite(loss[1][r][s]);
}
const struct spread a = spread_of(loss[0][r], nz_seeds), b = spread_of(loss[1][r], nz_seeds),
  c = spread_of(d, nz_seeds);
printf("%8g %9.3f +- %5.3f %9.3f +- %5.3f %+9.3f +- %5.3f\n", nz_eff[r], a.mean, a.sd,
       b.mean, b.sd, c.mean, c.sd);
tsv_row(t, 7, (double[7])@[{nz_eff[r], a.mean, a.sd, b.mean, b.sd, c.mean, c.sd}@]);
if (bad) note("noise: %d runs at eta/(1-mu) = %g did not end finite", bad, nz_eff[r]);
for (int m = 0; m < 2; m++) {
  const double mean = (m ? b : a).mean;
  if (isfinite(mean) && (best[m] < 0 || mean < spread_of(loss[m][best[m]], nz_seeds).mean))
    best[m] = r;
}
values_letter(o->values, "MOnoiseSgd", r, "%.3f", a.mean);
values_letter(o->values, "MOnoiseMom", r, "%.3f", b.mean);
values_letter(o->values, "MOnoiseDiff", r, "%+.3f", c.mean);
values_letter(o->values, "MOnoiseDiffSd", r, "%.3f", c.sd);
appendf(tab, sizeof tab, "%g&%g&$%.3f\\pm%.3f$", nz_eff[r], nz_eff[r], a.mean, a.sd);
appendf(tab, sizeof tab, "&%g&$%.3f\\pm%.3f$", nz_eff[r] * (1 - nz_mu), b.mean, b.sd);
appendf(tab, sizeof tab, "&$%+.3f\\pm%.3f$\\cr\n", c.mean, c.sd);

@ Best of four rates, for each method; the tuning and the test use the
same test images, which flatters both equally.
@<Momentum: quote each method at its best rate@>=
for (int m = 0; m < 2; m++) {
  if (best[m] < 0) die("noise: every run of a method diverged");
  const struct spread sp = spread_of(loss[m][best[m]], nz_seeds);
  values_put(o->values, m ? "MOnoiseMomBest" : "MOnoiseSgdBest", "%.3f", sp.mean);
  values_put(o->values, m ? "MOnoiseMomBestEff" : "MOnoiseSgdBestEff", "%g", nz_eff[best[m]]);
}

@ The results are in Table~\tableref{02-noise} and
Figure~\figref{02-momentum-noise}.
\booktable{02-noise}{The MLP of Appendix~A on Fashion-MNIST after
\val{MOnoiseSteps} steps of batch \val{MOnoiseBatch}: test loss of SGD
at rate $\eta$ and of the heavy ball ($\mu=0.9$) at $\eta(1-\mu)$, the
same effective rate; mean and standard deviation over
\val{MOnoiseSeeds} seeds, and the difference, momentum minus SGD, taken
seed by seed.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\qquad&\hfil#\quad&\hfil#\qquad
  &\hfil#\cr
effective rate&\multispan2\hfil SGD\hfil\qquad&\multispan2\hfil momentum 0.9\hfil\qquad
  &difference\cr
$\eta/(1-\mu)$&$\eta$&test loss&$\eta$&test loss&\cr
\noalign{\smallskip\hrule\smallskip}
\MOnoiseTable}}}
\bookfigure{02-momentum-noise}{Test loss of the MLP after
\val{MOnoiseSteps} steps against the effective rate $\eta/(1-\mu)$, for
SGD ($\mu=0$) and the heavy ball ($\mu=0.9$); mean and standard deviation
over \val{MOnoiseSeeds} seeds.  The dotted line is $\ln10$, the loss of
a uniform guess.}
At the two smaller effective rates the claim held: momentum's test loss
minus SGD's was $\val{MOnoiseDiffA}\pm\val{MOnoiseDiffSdA}$ at 0.03 and
$\val{MOnoiseDiffB}\pm\val{MOnoiseDiffSdB}$ at 0.1 (mean and standard
deviation of the paired differences), no better, and no further from
zero than the spread.  At 0.3 momentum was ahead by
$\val{MOnoiseDiffC}\pm\val{MOnoiseDiffSdC}$, a difference about the size
of its spread.  At 1 the two parted: SGD did not train at all, its test
loss of \val{MOnoiseSgdD} being that of a uniform guess, $\ln10=2.303$,
while momentum reached \val{MOnoiseMomD}.

The stability map of this chapter says where the equivalence ends.  On
a quadratic, SGD is stable while $\eta\lambda<2$ and the heavy ball while
$\eta\lambda<2(1+\mu)$; in terms of the effective rate
$\eta/(1-\mu)$, the heavy ball's band reaches $(1+\mu)/(1-\mu)=19$ times
as far at $\mu=0.9$.  Where the effective rate is small against the
curvature the two methods are one; where it is large, momentum still
trains and SGD does not.  So momentum's advantage on this network is not
speed at a matched rate but the wider band of rates that work.  Tuned,
the advantage is gone: each method at its best of the four rates ended
at \val{MOnoiseSgdBest} (SGD, at \val{MOnoiseSgdBestEff}) and
\val{MOnoiseMomBest} (momentum, at \val{MOnoiseMomBestEff}).  This is one
network at one batch size for \val{MOnoiseSteps} steps, and four rates a
factor of about three apart; the runs are short, and longer training or a
schedule could separate the two again.

@*1 Nesterov's method.
The heavy ball evaluates the gradient where it stands and then lets its
momentum carry it on, overshooting whenever the momentum points too far.
Nesterov's method (1983), in the form Sutskever et~al.\ (2013) brought to
deep learning, looks before it leaps: it first moves by the momentum
alone, to the {\it look-ahead point\/} $\theta_t+\mu v_t$, and takes the
gradient there,
$$v_{t+1}=\mu v_t-\eta\,\nabla L(\theta_t+\mu v_t),\qquad
\theta_{t+1}=\theta_t+v_{t+1},$$
starting from $v_0=0$.  If the momentum is about to carry the iterate up
the far wall of a ravine, the gradient at the look-ahead point already
pushes back, and the correction comes one step earlier than the heavy
ball's.

PyTorch's \.{SGD(nesterov=True)} computes something that looks
different.  It keeps the same buffer as the heavy ball, takes the
gradient $g_t=\nabla L(p_t)$ at its own iterate $p_t$, with no look-ahead,
and steps along the gradient plus $\mu$ times the new buffer:
$$b_t=\mu b_{t-1}+g_t,\qquad p_{t+1}=p_t-\eta\,(g_t+\mu b_t).$$
This reformulation, due to Bengio, Boulanger-Lewandowski and Pascanu
(2013), needs one gradient per step at the point where the parameters
are, which is all a training loop ever has.

@ The two are the same method, seen from two points.  Let $p_t=\theta_t+\mu
v_t$ be Sutskever's look-ahead point, and $g_t=\nabla L(p_t)$ the gradient
that his step takes there.  Then $v_{t+1}=\mu v_t-\eta g_t$ and
$$p_{t+1}=\theta_{t+1}+\mu v_{t+1}=\theta_t+v_{t+1}+\mu v_{t+1}
=p_t-\mu v_t+(1+\mu)v_{t+1}=p_t+\mu v_{t+1}-\eta g_t.$$
Now write the velocity as a buffer, $v_{t+1}=-\eta b_t$.  The velocity's
update becomes $b_t=\mu b_{t-1}+g_t$, and the last equation becomes
$p_{t+1}=p_t-\eta(g_t+\mu b_t)$: PyTorch's step, exactly.  At the start
$v_0=0$, so $p_0=\theta_0$, and the first buffer is $b_0=\mu\cdot0+g_0=g_0$, the copy
PyTorch makes.  So PyTorch's iterate {\it is\/} Sutskever's look-ahead
point, at every step, as long as $\eta$ is constant.  One consequence is
practical: the parameters a PyTorch run reports, evaluates and saves are
the look-ahead points, not Sutskever's $\theta_t$; both sequences converge
to the same minimum.

@ The change of variables also gives Nesterov's method on a quadratic.
In one eigen-direction with curvature $\lambda$, $g_t=\lambda p_t$, and
eliminating the buffer leaves
$$p_{t+1}=(1+\mu)(1-\eta\lambda)\,p_t-\mu(1-\eta\lambda)\,p_{t-1}.$$
The product of the roots is now $\mu(1-\eta\lambda)$, so complex roots
@^momentum, stable band@>
have modulus $\sqrt{\mu(1-\eta\lambda)}$, smaller than the heavy ball's
$\sqrt\mu$, and smallest in the steepest directions: Nesterov's
correction damps exactly the directions that oscillate.  On the ravine
with $\mu=0.9$ and $\eta=0.02$ that is \val{MOnagSteepRate} per step in the
steep direction and \val{MOnagFlatRate} in the flat one, against
\val{MOnineRate} in both for the heavy ball.  Nesterov's own tuning for a
strongly convex function is $\eta=1/\lambda_{\max}$, which kills the
steepest direction in one step, and
$\mu=(\sqrt\kappa-1)/(\sqrt\kappa+1)$, which puts the flattest one on
the edge between real and complex roots; its rate is then
$1-1/\sqrt\kappa$.  That is the tuning used in the previous parts.

@ The experiment checks the change of variables numerically, and then
checks the library against it.  It draws a quadratic
$f(\theta)={1\over2}\sum_i\lambda_i\theta_i^2$ in |nest_n| dimensions,
with curvatures spread evenly on a logarithmic scale between 1 and
|nest_lambda_max| and a starting point with standard normal coordinates,
both from the seed; runs Sutskever's form and PyTorch's form side by side
in double precision, with $\eta=|nest_lr|$ and $\mu=|nest_mu|$; and runs
the library's \.{sgd} with \.{nesterov} set, in float, from the same
start.  The two double-precision steps are written out in full.
Sutskever's step takes the gradient at the look-ahead point:
@d nest_n 10
@d nest_lr 0.01
@d nest_mu 0.9
@d nest_lambda_max 100.0
@<Momentum: functions@>=
static void sutskever_step(const double *lam, double *th, double *vel)
{
  for (int i = 0; i < nest_n; i++) {
    double look = th[i] + nest_mu * vel[i];
    vel[i] = nest_mu * vel[i] - nest_lr * lam[i] * look;
    th[i] += vel[i];
  }
}

@ PyTorch's step takes it at the iterate, and |first| marks the step that
creates the buffer.
@<Momentum: functions@>=
static void pytorch_nesterov_step(const double *lam, double *p, double *b, bool first)
{
  for (int i = 0; i < nest_n; i++) {
    double g = lam[i] * p[i];
    b[i] = first ? g : nest_mu * b[i] + g;
    p[i] -= nest_lr * (g + nest_mu * b[i]);
  }
}

@ Differences are measured relative to the size of the iterate, the
largest $\vert p_i\vert$, because the iterates themselves shrink by
many orders of magnitude.  A rounding error committed at one step is
carried along by the later steps, so the differences are expected to
grow with the number of steps $t$; the report compares them with $t$ times
the unit roundoff $u$ of each format, $2^{-53}$ for double and $2^{-24}$
for float.
@d unit_double (1.0 / 9007199254740992.0) /* $2^{-53}$ */
@d unit_float (1.0 / 16777216.0) /* $2^{-24}$ */
@<Momentum: functions@>=
static void nesterov_experiment(struct chapter *o)
{
  const struct mo_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  double lam[nest_n], th[nest_n], vel[nest_n], p[nest_n], b[nest_n];
  float pf[nest_n], gf[nest_n];
  @<Momentum: draw the quadratic and the common starting point@>@;
  struct optimizer *opt = method_new(@/
    &(struct method)@[{"sgd", nest_lr, nest_mu, 0.0, true}@], nest_n);
  struct tsv *t = tsv_open(o->out, "nesterov.tsv", "step\tsize\traw\tdouble\tfloat");
  double worst = 0, per[2] = {0, 0}, last[2] = {0, 0}, size_end = 0;
  for (int s = 1; s <= pl->nest_steps; s++) {
    @<Momentum: take step |s| in all three, and compare@>@;
  }
  tsv_close(t);
  opt_free(&opt);
  @<Momentum: report the Nesterov comparison@>@;
}

@ The curvatures are $\lambda_i=|nest_lambda_max|^u$ with $u$ uniform in
$[0,1)$.  The starting point is drawn in double and rounded to float, so
that all three runs start from exactly the same point.
@<Momentum: draw the quadratic...@>=
struct rng r;
rng_seed(&r, o->seed, 0);
for (int i = 0; i < nest_n; i++) {
  lam[i] = exp(log(nest_lambda_max) * rng_uniform(&r));
  pf[i] = (float)rng_normal(&r);
  th[i] = p[i] = pf[i];
  vel[i] = b[i] = 0.0;
}

@ Each step advances the three runs, then measures the largest difference
of PyTorch's iterate from Sutskever's $\theta$, from his look-ahead point
$\theta+\mu v$, and from the library's float iterate.  The library's
gradient is computed in double at the float point and rounded, as
everywhere in this chapter.
@<Momentum: take step |s| in all three...@>=
sutskever_step(lam, th, vel);
pytorch_nesterov_step(lam, p, b, s == 1);
for (int i = 0; i < nest_n; i++) gf[i] = (float)(lam[i] * pf[i]);
opt_step(opt, pf, gf);
double size = 0, d[3] = {0, 0, 0};
for (int i = 0; i < nest_n; i++) {
  size = fmax(size, fabs(p[i]));
  d[0] = fmax(d[0], fabs(p[i] - th[i]));
  d[1] = fmax(d[1], fabs(p[i] - (th[i] + nest_mu * vel[i])));
  d[2] = fmax(d[2], fabs(pf[i] - p[i]));
}
for (int j = 0; j < 3; j++) d[j] /= size;
worst = fmax(worst, d[0]);
per[0] = fmax(per[0], d[1] / (s * unit_double));
per[1] = fmax(per[1], d[2] / (s * unit_float));
last[0] = d[1]; last[1] = d[2]; size_end = size;
tsv_row(t, 5, (double[5])@[{s, size, d[0], d[1], d[2]}@]);

@ The report quotes the differences at the last step, and the largest
difference per step taken, in units of $u$.
@<Momentum: report the Nesterov comparison@>=
printf("== nesterov: %d-dimensional quadratic, lr %g, mu %g, %d steps\n",
       nest_n, nest_lr, nest_mu, pl->nest_steps);
printf("PyTorch's p against Sutskever's theta: up to %.3g (relative)\n", worst);
printf("against theta + mu v (double): %.3g at the end, at most %.2f u per step\n",
       last[0], per[0]);
printf("library float32 against double: %.3g at the end, at most %.2f u per step\n\n",
       last[1], per[1]);
values_put(v, "MOnestRaw", "%.2f", worst);
values_sci(v, "MOnestDouble", last[0]);
values_put(v, "MOnestDoublePer", "%.2f", per[0]);
values_sci(v, "MOnestFloat", last[1]);
values_put(v, "MOnestFloatPer", "%.2f", per[1]);
values_put(v, "MOnestSteps", "%d", pl->nest_steps);
values_put(v, "MOnestSize", "10^{%d}", (int)floor(log10(size_end)));

@ Figure~\figref{02-momentum-nesterov} shows the differences step by step.
\bookfigure{02-momentum-nesterov}{Nesterov's method on a random quadratic
in 10 dimensions, $\eta=0.01$, $\mu=0.9$: the largest difference between
PyTorch's iterate $p_t$ and Sutskever's $\theta_t$, and his look-ahead point
$\theta_t+\mu v_t$, both computed in double; and between the library's
float32 iterate and PyTorch's form in double.  All relative to the size of
$p_t$.  Dashed: $t$ times the unit roundoff of each format.}
The change of variables holds.  PyTorch's iterate and Sutskever's
$\theta_t$ are different points, up to \val{MOnestRaw} times the iterate's
size apart; PyTorch's iterate and the look-ahead point $\theta_t+\mu v_t$
agree to rounding.  After \val{MOnestSteps} steps, with the iterate down to
about $\val{MOnestSize}$, they differ by $\val{MOnestDouble}$ of its
size, and at no step by more than \val{MOnestDoublePer} unit roundoffs per
step taken: what is left is double-precision rounding, piling up
linearly, as the dashed line shows.  The library's float32 step tracks
the double-precision one in the same way, $\val{MOnestFloat}$ apart at the
end and never more than \val{MOnestFloatPer} float unit roundoffs per
step.  The library computes PyTorch's Nesterov method, and that method is
Sutskever's.

@*1 Three optimizers, 300 steps.
A table that circulates in tutorials compares three optimizers after 300
steps on a two-dimensional quadratic: SGD with $\eta=0.04$, momentum with
$\eta=0.02$, and Adam with $\eta=0.2$, each, the text says, at its
near-best stable learning rate.  Adam comes out ahead, momentum second.
(We could not trace the table to a publication, so it is quoted here by
its settings alone, which are all the test below needs.)  This part reproduces the table and then tests its premise, by sweeping
the learning rate of each optimizer and seeing where its quoted rate
lies.  The quadratic is Chapter~1's ravine ${1\over2}(20x^2+y^2)$ from
$(1,1)$, whose stability limit for SGD, $2/\lambda_{\max}=0.1$, leaves the
quoted SGD rate safely inside; momentum is the usual $\mu=|table_mu|$,
which the table does not vary; Adam is the library's \.{adam} with
PyTorch's defaults, $\beta_1=0.9$, $\beta_2=0.999$, $\epsilon=10^{-8}$,
whose derivation is the subject of Chapter~3.  All three are the
library's float32 steps.
@d table_steps 300
@d table_mu 0.9
@d converged_ratio 1e-6
@d n_table 3
@<Momentum: functions@>=
static const struct named_method source[n_table] = {@/
  @[{"sgd", "SGD", {"sgd", 0.04, 0.0, 0.0, false}}@],@/
  @[{"momentum", "momentum", {"sgd", 0.02, table_mu, 0.0, false}}@],@/
  @[{"adam", "Adam", {"adam", 0.2, 0.0, 0.0, false}}@]};

@ One run: |steps| steps from $(1,1)$, and the loss where they end, or NaN
if the run overflowed.
@<Momentum: functions@>=
static double loss_after(const struct problem *pb, const struct method *m, int steps)
{
  struct optimizer *o = method_new(m, 2);
  float p[2] = {1.0f, 1.0f};
  for (int s = 0; s < steps; s++) walk_step(pb, o, p);
  double th[2] = {p[0], p[1]}, f = problem_eval(pb, th, NULL);
  opt_free(&o);
  return isfinite(f) ? f : NAN;
}

@ Losses span twenty orders of magnitude here, and
Table~\tableref{02-sweep} shows them as $m\times10^e$ (the toolkit's
|sci_text|); a missing value is a dash.
@<Momentum: functions@>=
static void sci(char *buf, size_t len, double x)
{
  char m[48];
  if (!isfinite(x)) snprintf(buf, len, "---");
  else snprintf(buf, len, "$%s$", sci_text(m, sizeof m, x));
}

@ The sweep runs each optimizer at learning rates from $10^{-3}$ to 10,
|sweep_per_decade| per factor of ten, and keeps for each the rate with
the lowest loss after 300 steps, and the largest rate at which the run
converged, which here means that the loss fell below |converged_ratio|
of its starting value.  Then it runs the quoted rates.
@<Momentum: functions@>=
static void table_experiment(struct chapter *o)
{
  const struct mo_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  struct problem pb = problem_ravine(ravine_a, ravine_b);
  double f0 = problem_eval(&pb, (const double[2])@[{1.0, 1.0}@], NULL);
  double best[n_table], best_eta[n_table], stable[n_table];
  double plat_lo[n_table], plat_hi[n_table], spread[2] = {INFINITY, 0.0};
  for (int j = 0; j < n_table; j++) {
    best[j] = INFINITY;
    best_eta[j] = stable[j] = plat_lo[j] = plat_hi[j] = NAN;
  }
  @<Momentum: sweep the learning rate for all three@>@;
  @<Momentum: print and tabulate the source's rates against the sweep@>@;
  @<Momentum: quote what the theory says about the sweep@>@;
}

@ The sweep's table, \.{sweep.tsv}, has one row per learning rate and one
column per optimizer; a diverged run is NaN, which gnuplot leaves out.
For the text the sweep also notes, for each optimizer, the smallest and
the largest rate at which the loss ends below |plateau_loss|, and the
spread of momentum's losses over the rates inside its band of complex
roots, from |band_lo| to |band_hi|, derived in the part on the ravine.
@d plateau_loss 1e-10
@d band_lo ((1 - sqrt(table_mu)) * (1 - sqrt(table_mu)) / ravine_b)
@d band_hi ((1 + sqrt(table_mu)) * (1 + sqrt(table_mu)) / ravine_a)
@<Momentum: sweep the learning rate...@>=
struct tsv *t = tsv_open(o->out, "sweep.tsv", "lr\tsgd\tmomentum\tadam");
for (int k = 0; k <= 4 * pl->sweep_per_decade; k++) {
  double eta = pow(10.0, -3.0 + (double)k / pl->sweep_per_decade);
  double row[1 + n_table] = {eta};
  for (int j = 0; j < n_table; j++) {
    struct method m = source[j].m;
    m.lr = eta;
    double f = row[1 + j] = loss_after(&pb, &m, table_steps);
    if (f < best[j]) { best[j] = f; best_eta[j] = eta; }
    if (f < converged_ratio * f0) stable[j] = eta;
    if (f <= plateau_loss && isnan(plat_lo[j])) plat_lo[j] = eta;
    if (f <= plateau_loss) plat_hi[j] = eta;
  }
  if (eta > band_lo && eta < band_hi) {
    spread[0] = fmin(spread[0], row[2]);
    spread[1] = fmax(spread[1], row[2]);
  }
  tsv_row(t, 1 + n_table, row);
}
tsv_close(t);

@ The table proper: for each optimizer, the quoted rate and its loss, the
sweep's best rate and its loss, and the largest converging rate, marked
$\ge$ when it is the top of the grid, 10, where the sweep stopped
looking.  It goes
to the standard output, to \.{table.tsv}, and as \TeX\ rows to
\.{values.tex}.
@<Momentum: print and tabulate the source's rates...@>=
char tab[1024] = "";
struct tsv *tt = tsv_open(o->out, "table.tsv",
  "lr\tloss\tbest_lr\tbest_loss\tlargest_stable_lr");
printf("== table: f = (%g x^2 + %g y^2)/2 from (1, 1), %d steps; momentum %g\n",
       ravine_a, ravine_b, table_steps, table_mu);
printf("%-9s %6s %10s %8s %10s %8s\n", "", "lr", "loss", "best lr", "loss", "stable");
for (int j = 0; j < n_table; j++) {
  double f = loss_after(&pb, &source[j].m, table_steps);
  char a[64], b[64];
  sci(a, sizeof a, f); sci(b, sizeof b, best[j]);
  printf("%-9s %6g %10.3g %8.4g %10.3g %8.4g\n", source[j].label, source[j].m.lr,
         f, best_eta[j], best[j], stable[j]);
  tsv_row(tt, 5, (double[5])@[{source[j].m.lr, f, best_eta[j], best[j], stable[j]}@]);
  appendf(tab, sizeof tab, "%s&%g&%s&%.3g&%s&%s%.3g\\cr\n",
           source[j].label, source[j].m.lr, a, best_eta[j], b,
           stable[j] >= 10.0 ? "$\\ge$" : "", stable[j]);
}
tsv_close(tt);
values_put(v, "MOtable", "%s", tab);

@ Two numbers from the theory complete the picture: SGD at its best fixed
step $2/(a+b)$, which the sweep's grid misses, and the loss that
momentum's rate $\sqrt\mu$ predicts after 300 steps,
$f(\theta_0)\,\mu^{300}$, for every rate inside the band.
@<Momentum: quote what the theory says...@>=
struct method opt_sgd_step = best_gd(ravine_a, ravine_b);
double f_opt = loss_after(&pb, &opt_sgd_step, table_steps);
double plateau = f0 * pow(table_mu, table_steps);
printf("SGD at 2/(a+b) = %.4f: loss %.3g\n", opt_sgd_step.lr, f_opt);
printf("momentum %g: rate sqrt(mu) for %.4f < lr < %.4f, loss about %.3g\n",
       table_mu, band_lo, band_hi, plateau);
printf("momentum %g: measured %.3g to %.3g inside the band\n", table_mu,
       spread[0], spread[1]);
printf("Adam: loss below %g from lr %.3g to %.3g\n\n", plateau_loss, plat_lo[2],
       plat_hi[2]);
values_sci(v, "MOsgdOpt", f_opt);
values_sci(v, "MOsgdBest", best[0]);
values_put(v, "MObandLo", "%.4f", band_lo);
values_put(v, "MObandHi", "%.3f", band_hi);
values_sci(v, "MOspreadLo", spread[0]);
values_sci(v, "MOspreadHi", spread[1]);
values_put(v, "MOadamLo", "%.3g", plat_lo[2]);
values_put(v, "MOadamHi", "%.3g", plat_hi[2]);
values_sci(v, "MOplateau", plateau);

@ Table~\tableref{02-sweep} and Figure~\figref{02-momentum-sweep} give the
results.
\booktable{02-sweep}{The tutorials' three optimizers on the ravine
${1\over2}(20x^2+y^2)$ from $(1,1)$, 300 steps, momentum with $\mu=0.9$:
the loss at the quoted rate; the best rate of the sweep and its loss; and
the largest rate at which the loss fell below $10^{-6}$ of its starting
value ($\ge$: the top of the grid, 10).}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\cr
&quoted&loss after&best $\eta$&loss after&largest\cr
optimizer&$\eta$&300 steps&of the sweep&300 steps&converging $\eta$\cr
\noalign{\smallskip\hrule\smallskip}
\MOtable}}}
\bookfigure{02-momentum-sweep}{Loss after 300 steps on the ravine
${1\over2}(20x^2+y^2)$ from $(1,1)$ against the learning rate, for SGD,
momentum ($\mu=0.9$) and Adam; runs that diverged are left out.  Circles:
the quoted rates, each its own run; Adam's $\eta=0.2$ falls between two
points of the sweep's grid, where Adam's final loss jumps by two decades
from one rate to the next, so its circle need not sit on the curve.  Dashed: the stability limits $2/\lambda_{\max}=0.1$ of
SGD and $2(1+\mu)/\lambda_{\max}=0.19$ of momentum.}
The ranking reproduces: at the quoted rates Adam ends lowest, momentum
second, SGD last.  The premise does not hold for all three.

For momentum it holds, in a way that makes it nearly empty.  Every rate
between \val{MObandLo} and \val{MObandHi} puts both directions of the ravine
inside the band of complex roots, where the rate of convergence is
$\sqrt\mu$ whatever $\eta$ is; the loss after 300 steps is then about
$f(\theta_0)\,\mu^{300}=\val{MOplateau}$ for all of them; measured, it
lies between $\val{MOspreadLo}$ and $\val{MOspreadHi}$ at every rate of
the sweep inside the band, and the figure shows the plateau, nearly two
decades wide.  The quoted 0.02 lies on it, and so
would almost anything else.  What limits momentum here is $\mu$, which
the table fixes at 0.9; the tuned heavy ball of this chapter converges at
\val{MOhbRate} per step instead of $\sqrt{0.9}=\val{MOnineRate}$.

For Adam it holds too: its loss after 300 steps is below $10^{-10}$ at
every rate of the sweep from \val{MOadamLo} up to~\val{MOadamHi}, and the
quoted 0.2 lies in the middle of that range.  Why Adam's result depends so little on
$\eta$ on this problem is a question for Chapter~3.

For SGD it does not.  The quoted 0.04 is less than half the stability
limit, and its flat direction shrinks by $1-0.04=0.96$ per step; the best
rate of the sweep ends at $\val{MOsgdBest}$, and the theory's best fixed step,
$2/(a+b)=0.095$, at $\val{MOsgdOpt}$.  At that rate plain SGD beats both
momentum with $\mu=0.9$ and Adam at their quoted rates by many orders of
magnitude.  The table's ranking is a ranking of the hyperparameters it
chose, not of the optimizers.  All of its entries are ``converged'' for
any practical purpose, which is the other lesson: on a two-dimensional
quadratic, 300 steps is a long time, and small differences in rate
become enormous differences in the final loss.

@*1 Summary.
Momentum keeps a buffer, $b\gets\mu b+g$, and steps along it,
$\theta\gets\theta-\eta b$; PyTorch creates the buffer as a copy of the
first gradient and multiplies it by the learning rate from outside.  A
single gradient acts for a geometric tail of steps whose total weight is
$1/(1-\mu)$: \val{MOimpNine} measured against 10 at $\mu=0.9$.  Putting
the learning rate inside the buffer instead, as the velocity form does,
changes nothing at a constant rate and a great deal under a schedule:
after a tenfold drop the velocity form travelled \val{MOschedRatio} times
as far.  On the ravine, momentum did not so much remove the zig-zag as
trade it: with $\mu=0.9$ the path was smooth and slower than gradient
descent, while the tuned heavy ball zig-zagged as hard as gradient
descent and converged in \val{MOravHB} steps instead of
\val{MOravGD}.  Over
condition numbers from 10 to $\val{MOkapMax}$ the steps of gradient
descent grew as $\kappa^{\val{MOslopeGD}}$ and those of the tuned heavy
ball as $\kappa^{\val{MOslopeHB}}$, the excess over $1/2$ explained by the
double root that the tuning creates.  On mini-batches of a real
network, at a matched effective rate $\eta/(1-\mu)$, momentum was no
better than SGD ($\val{MOnoiseDiffA}$ and $\val{MOnoiseDiffB}$ in test
loss at the two smaller rates), but it kept training at a rate where SGD
stalled, as the wider stable band predicts.  Nesterov's method in Sutskever's
look-ahead form and in PyTorch's form are one method: PyTorch's iterate is
the look-ahead point, to within about one unit roundoff per step.  And the
300-step table of three optimizers ranks the learning rates it chose
rather than the optimizers: SGD at its best rate would have won it.

@ The papers cited in this chapter, in the order of their appearance:
B.~T.~Polyak, ``Some methods of speeding up the convergence of iteration
methods,'' {\it USSR Computational Mathematics and Mathematical Physics\/}
4(5), 1964;
Y.~Nesterov, ``A method for solving the convex programming problem with
convergence rate $O(1/k^2)$,'' {\it Soviet Mathematics Doklady\/} 27, 1983;
I.~Sutskever, J.~Martens, G.~Dahl and G.~Hinton, ``On the importance of
initialization and momentum in deep learning,'' ICML 2013;
A.~Karpathy et~al., CS231n course notes, ``Neural networks part~3:
learning and evaluation,'' Stanford, 2015--;
L.~Lessard, B.~Recht and A.~Packard, ``Analysis and design of
optimization algorithms via integral quadratic constraints,'' {\it SIAM
Journal on Optimization\/} 26(1), 2016;
Y.~Bengio, N.~Boulanger-Lewandowski and R.~Pascanu, ``Advances in
optimizing recurrent networks,'' ICASSP 2013.
G.~Goh, ``Why momentum really works,'' {\it Distill}, 2017, draws the
ravine analysis of this chapter with interactive figures.

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, then change the
source where the exercise says, rebuild with \.{make}, and run
\.{build/bin/02-momentum --only NAME}.

\smallskip\item{1.} In the impulse experiment, dampen the run with
$\tau=0.5$ instead of $0.9$ (in |damped|).  Predict the distance travelled
when the impulse arrives on step~1 and on step~2.

\item{2.} Turn the schedule's drop into a warm restart: $\eta=0.01$ for 50
steps, then $0.1$ (swap |drop_lr| and |drop_lr_after|).  Predict the
first step after the change in both forms, and which form travels
farther in the 50 steps after it.

\item{3.} On the ravine, give the heavy ball $\mu=0.99$ and keep
$\eta=0.02$ (in |nm|).  Is $\eta$ inside the band?  Predict the rate per
step and the number of steps to reduce the loss by $10^{10}$.  Then try
$\mu=1.01$, which PyTorch accepts.

\item{4.} In the $\kappa$ experiment, give gradient descent the textbook
step $\eta=1/\lambda_{\max}$ instead of $2/(\lambda_{\max}+\lambda_{\min})$
(in |best_gd|).  Predict the fitted exponent and the count at
$\kappa=10^4$.

\item{5.} The tuned heavy ball sits on the double root.  Give it $\mu$
equal to $0.98$ times the tuned value, with the tuned $\eta$ (in
|tuned_hb|), and predict whether the fitted exponent moves toward $1/2$.
What happens to the count at $\kappa=10$?

\item{6.} Write the Nesterov case of |sgd_direction|, the library's
direction of the step, from the formula at the start of the Nesterov
part.  (In the student version of the book its body is missing.)  The
Nesterov experiment is its test: if the direction is right, PyTorch's
iterate and Sutskever's look-ahead point agree to about one unit
roundoff per step.  Predict what the experiment prints if the direction
is the buffer $b$ alone, and then if it is $g+b$ without the factor~$\mu$.

\item{7.} Repeat the noisy experiment with $\mu=0.99$ (|nz_mu|), so
that the heavy ball runs at a hundredth of each effective rate.  From the
stable bands, predict at which of the four effective rates the two
methods part, and whether they agree below it.

\item{8.} PyTorch refuses Nesterov's method with dampening.  Repeat the
change of variables with $b_t=\mu b_{t-1}+(1-\tau)g_t$ and find what the
damped PyTorch step corresponds to in Sutskever's form.  Is it still
Nesterov's method with some other $\eta$ and $\mu$?
