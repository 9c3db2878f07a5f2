@q 03-adaptive.w -- Chapter 3: Adagrad, RMSprop, Adam, AdamW @>
@* Adaptive methods.
\chaptervalues{03-adaptive}%
Momentum smooths the direction of the step; it does nothing about its
size, which is one learning rate for every coordinate.  The adaptive
methods give each coordinate its own step, divided by a running measure
of how large that coordinate's gradients have been.  This chapter follows
the lineage from Adagrad through RMSprop to Adam and AdamW, and ships each
of them into the library exactly as PyTorch computes it.

@q begin library part @>
@ The library's adaptive optimizers live in one file, with a header
shared by all four kinds: each step begins by taking the gradient with
the sign the caller asked for and, except in AdamW, adding $L_2$ decay,
the same $d=\pm g+\lambda\theta$ as SGD's.
@(adaptive.c@>=
#include <math.h>
#include "descent.h"
static inline float signed_grad(const struct optimizer *o, float g, float p)
{
  float d = o->c.maximize ? -g : g;
  return o->c.weight_decay != 0 ? d + (float)o->c.weight_decay * p : d;
}
@<Adaptive: the Adagrad kind@>@;
@<Adaptive: the RMSprop kind@>@;
@<Adaptive: the Adam and AdamW kinds@>@;

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
const struct opt_kind opt_adagrad = {"adagrad",
  "lr lr_decay weight_decay initial_accumulator_value eps maximize",
  one_vector, adagrad_defaults, adagrad_check, adagrad_init, adagrad_step};

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
@<Adaptive: Adagrad's step@>=
static void adagrad_step(struct optimizer *o, float *p, const float *g)
{
  const double clr = o->c.lr / (1.0 + (double)(o->t - 1) * o->c.lr_decay);
  const float neg_clr = (float)(-clr), eps = (float)o->c.eps;
  float *s = opt_state(o, 0);
  for (size_t i = 0; i < o->n; i++) {
    float d = signed_grad(o, g[i], p[i]);
    s[i] = s[i] + d * d;
    p[i] = p[i] + neg_clr * d / (sqrtf(s[i]) + eps);
  }
}

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
const struct opt_kind opt_rmsprop = {"rmsprop",
  "lr alpha eps weight_decay momentum centered maximize",
  rmsprop_nstate, rmsprop_defaults, rmsprop_check, NULL, rmsprop_step};

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
either directly or through the momentum buffer.
@<Adaptive: RMSprop's step@>=
static void rmsprop_step(struct optimizer *o, float *p, const float *g)
{
  const float al = (float)o->c.alpha, keep = (float)(1.0 - o->c.alpha);
  const float eps = (float)o->c.eps, mu = (float)o->c.momentum;
  const float neg_lr = (float)(-o->c.lr);
  float *v = opt_state(o, 0), *a = o->c.centered ? opt_state(o, 1) : NULL;
  float *b = o->c.momentum > 0 ? opt_state(o, o->k - 1) : NULL;
  for (size_t i = 0; i < o->n; i++) {
    float d = signed_grad(o, g[i], p[i]), den;
    v[i] = v[i] * al + keep * d * d;
    if (a) {
      a[i] = a[i] * al + keep * d;
      den = sqrtf(v[i] + -1.0f * a[i] * a[i]) + eps;
    } else den = sqrtf(v[i]) + eps;
    if (b) { b[i] = b[i] * mu + d / den; p[i] = p[i] + neg_lr * b[i]; }
    else p[i] = p[i] + neg_lr * d / den;
  }
}

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
@<Adaptive: the Adam update of one coordinate@>@;
@<Adaptive: Adam's and AdamW's steps@>@;
const struct opt_kind opt_adam = {"adam",
  "lr betas eps weight_decay amsgrad maximize",
  adam_nstate, adam_defaults, adam_check, NULL, adam_step};
const struct opt_kind opt_adamw = {"adamw",
  "lr betas eps weight_decay amsgrad maximize",
  adam_nstate, adamw_defaults, adam_check, NULL, adamw_step};

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
@<Adaptive: the Adam update of one coordinate@>=
struct adam_consts { float b1, keep1, b2, keep2, bc2, eps, neg_step; };
static inline void adam_coord(const struct adam_consts *k, float d, float *p,
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

@ The two steps differ in where the decay goes: Adam adds it to the
gradient (through |signed_grad|), AdamW multiplies the weight by
$1-\eta\lambda$, computed in double and applied as one |float| product.
@<Adaptive: Adam's and AdamW's steps@>=
static struct adam_consts adam_consts(const struct optimizer *o)
{
  const double b1 = o->c.beta1, b2 = o->c.beta2, t = (double)o->t;
  return (struct adam_consts)@[{(float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2),
    (float)sqrt(1 - pow(b2, t)), (float)o->c.eps,
    (float)(-(o->c.lr / (1 - pow(b1, t))))}@];
}
static void adam_step(struct optimizer *o, float *p, const float *g)
{
  const struct adam_consts k = adam_consts(o);
  float *m = opt_state(o, 0), *v = opt_state(o, 1);
  float *vm = o->c.amsgrad ? opt_state(o, 2) : NULL;
  for (size_t i = 0; i < o->n; i++)
    adam_coord(&k, signed_grad(o, g[i], p[i]), &p[i], &m[i], &v[i], vm ? &vm[i] : NULL);
}
static void adamw_step(struct optimizer *o, float *p, const float *g)
{
  const struct adam_consts k = adam_consts(o);
  const float shrink = (float)(1.0 - o->c.lr * o->c.weight_decay);
  float *m = opt_state(o, 0), *v = opt_state(o, 1);
  float *vm = o->c.amsgrad ? opt_state(o, 2) : NULL;
  for (size_t i = 0; i < o->n; i++) {
    p[i] = p[i] * shrink;
    adam_coord(&k, o->c.maximize ? -g[i] : g[i], &p[i], &m[i], &v[i], vm ? &vm[i] : NULL);
  }
}
@q end library part @>
