@q 02-momentum.w -- Chapter 2: momentum and Nesterov @>
@* Momentum and Nesterov.
\chaptervalues{02-momentum}%
Plain gradient descent forgets: each step looks only at the gradient of
the moment.  Momentum gives the walk a memory, a running sum of past
gradients that keeps the iterate moving along a valley floor while the
oscillations across it cancel.  This chapter derives momentum in the form
PyTorch implements, and ships that form into the library.

@q begin library part @>
@ The library's SGD.  This is the one optimizer that every later chapter
compares against, so it is written exactly as PyTorch's
\.{torch.optim.SGD} computes it (see {\tt reference-semantics.md}, and the
tests of Appendix~B).  With learning rate $\eta$, weight decay $\lambda$,
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
@<Momentum: SGD's configuration@>@;
@<Momentum: SGD's step@>@;
const struct opt_kind opt_sgd = {"sgd",
  "lr momentum dampening weight_decay nesterov maximize",
  sgd_nstate, sgd_defaults, sgd_check, NULL, sgd_step};

@ PyTorch's \.{SGD} has no default learning rate; here the default is
NaN, which |opt_check| refuses with a message asking for one.  The
momentum buffer is the only state, and it exists only when there is
momentum.  The constructor refuses a negative learning rate, momentum or
weight decay, and Nesterov's variant without momentum or with dampening.
Dampening alone is accepted, and does nothing without momentum; momentum
above~1 is accepted too, and diverges.
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
too is a common slip; it changes the iterates by 9\% in the case
{\tt reference-semantics.md} quotes.)  The learning rate multiplies the
buffer from outside, which matters once a schedule changes $\eta$
between steps.
@<Momentum: SGD's step@>=
static void sgd_step(struct optimizer *o, float *p, const float *g)
{
  const float wd = (float)o->c.weight_decay, mu = (float)o->c.momentum;
  const float keep = (float)(1.0 - o->c.dampening), neg_lr = (float)(-o->c.lr);
  float *b = o->k ? opt_state(o, 0) : NULL;
  @q solution: (void)wd; (void)mu; (void)keep; (void)neg_lr; (void)b; (void)p; (void)g; @>
  for (size_t i = 0; i < o->n; i++) {
    float d = o->c.maximize ? -g[i] : g[i];
    if (o->c.weight_decay != 0) d = d + wd * p[i];
    if (b) {
      b[i] = o->t == 1 ? d : mu * b[i] + keep * d;
      d = o->c.nesterov ? d + mu * b[i] : b[i];
    }
    p[i] = p[i] + neg_lr * d;
  }
  @q end solution @>
}
@q end library part @>
