@q 05-clipping.w -- Chapter 5: gradient clipping @>
@* Gradient clipping.
\chaptervalues{05-clipping}%
\opener{05-clipping-spikes}{What should a step do with a gradient a hundred times longer than usual? Below: the test loss of runs with such spikes, clipped and not.}
@^gradient clipping@>
A step of gradient descent moves the weights by $\eta\Vert g\Vert$, the
learning rate times the length of the gradient.  During most of a run that
length stays within a narrow band; this chapter measures the band, and for
its network the middle 98 percent of the steps lie within a factor of
\val{CLbandRatio}.  Now and then, though, one batch produces a gradient
hundreds of times longer than usual: an image that was never normalized,
a corrupted record, a loss that briefly explodes, or, in a recurrent
@^exploding gradients@>
network, the product of many Jacobians.  With the learning rate tuned for
ordinary steps, such a step throws the weights farther than hundreds of
ordinary steps together, and the run may never come back.

{\it Clipping\/} puts a ceiling on the gradient before the optimizer
sees it.  Clipping by {\it norm\/} shrinks the whole gradient when its
length exceeds a threshold |max_norm|, keeping its direction; clipping by
{\it value\/} clamps every entry into an interval $[-v,v]$, one
coordinate at a time.  Pascanu, Mikolov and Bengio (2013) introduced norm
clipping to tame the exploding gradients of recurrent networks, and
clipping by norm, often at |max_norm|${}=1$, has since become a standard
@^clipping by norm@>
part of training large networks.  The tutorials make two claims
about it, and this chapter measures both: that when gradient spikes are
@^gradient spikes@>
injected into a run, the unclipped run diverges or jumps while the
clipped one survives; and that clipping has a cost when it is always
active.  On the way it builds PyTorch's two clipping functions into the
library, shows the small details in which they differ from the textbook
formula, measures how much value clipping turns the gradient, and turns
the measured distribution of gradient norms into a rule for choosing
|max_norm|.

@ The chapter is a program, \.{build/bin/05-clipping}, and everything
this chapter quotes was printed by it when the book was built.  It runs
eight experiments: the {\it rules\/} of PyTorch's clipping, case by case;
the {\it geometry\/} of the two rules in the plane;
the {\it direction\/} of a clipped gradient; the {\it norms\/} of the
gradients of clean training runs; training with injected {\it spikes},
unclipped and clipped three ways; a sweep to {\it choose\/} |max_norm|;
clipping that is {\it always\/} active; and the {\it timing\/} of a
clipping call against a training step.  Its command line and its
outputs are those of Chapter~1's program.  The same seed gives the same
bytes with one exception: the timing experiment measures wall-clock
time, which no seed controls, and \.{--quick} leaves it out.  The full
run took \val{runSeconds}~s on \val{runThreads} threads when this copy of
the book was built.  The experiments that train
networks share their first one: the clean runs of the {\it norms\/}
experiment are the baseline of all the others, and their gradient norms
set the thresholds.
@c
#include "descent.h"
@<Clipping: types@>@;
@<Clipping: functions@>@;
@<Clipping: experiments@>@;
@<Clipping: the training experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"rules", rules_experiment, false}@],@/
  @[{"geometry", geometry_experiment, false}@],@/
  @[{"direction", direction_experiment, true}@],@/
  @[{"norms", training_experiments, true}@],@/
  @[{"spikes", training_experiments, true}@],@/
  @[{"choose", training_experiments, true}@],@/
  @[{"always", training_experiments, true}@],@/
  @[{"timing", timing_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"05-clipping",@/
  "The experiments of chapter 5 of Descent: gradient clipping by norm\n"@/
  "and by value, and an MLP on Fashion-MNIST trained with bad batches.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@*1 Two ways to clip.
Write $g$ for the gradient of a batch, all $n$ of its entries in one
vector.  Clipping by norm with threshold $m$ replaces it by
$$\tilde g=c\,g,\qquad c=\min\Bigl(1,{m\over\Vert g\Vert}\Bigr).$$
A gradient no longer than $m$ passes unchanged; a longer one is shrunk to
length exactly $m$.  Either way $\tilde g$ points where $g$ points, and
the step $\eta\tilde g$ is never longer than $\eta m$.  The norm is
usually the Euclidean one, $\Vert g\Vert_2=(\sum_ig_i^2)^{1/2}$; PyTorch
also offers any $p$-norm, and in particular the {\it max-norm\/}
@^max-norm@>
$\Vert g\Vert_\infty=\max_i\vert g_i\vert$, the largest entry.  Clipping
by the max-norm is still a rescaling of the whole vector: it makes the
largest entry at most $m$, and keeps the direction.

A network's gradient is not one vector but one tensor per layer, $g_1,
\ldots,g_k$.  PyTorch's |clip_grad_norm_| computes the {\it global\/} norm,
the $p$-norm of the tensors' $p$-norms,
$$\Vert g\Vert_p=\bigl(\Vert g_1\Vert_p^p+\cdots+\Vert g_k\Vert_p^p
\bigr)^{1/p},\qquad \Vert g\Vert_\infty=\max_j\Vert g_j\Vert_\infty,$$
which is exactly the norm of all the tensors laid end to end, and it
multiplies every tensor by the same factor.  That is what keeps the
direction of the whole gradient.  Clipping each layer by its own norm,
which is sometimes done, scales the layers by different factors and
turns the direction.

@ Clipping by value replaces each entry separately,
$$\tilde g_i=\max\bigl(-v,\min(v,g_i)\bigr).$$
Entries smaller than $v$ in size are kept, larger ones are cut to $\pm v$:
the large coordinates shrink while the small ones do not, so $\tilde g$
turns away from $g$ toward the sign vector $(\mathop{\rm sign}g_i)$.  Two
facts limit the damage, and one does not.  First, $\tilde g$ is still a
descent direction: every term of $\tilde g\cdot g=\sum_i\tilde g_ig_i$ is
at least zero, and the sum is positive unless $g=0$.  Second, as
$v\to0$ every nonzero entry is cut and $\tilde g/v$ tends to the sign
vector, so the cosine between $\tilde g$ and $g$ tends to
$$\cos(\mathop{\rm sign}g,\,g)={\Vert g\Vert_1\over\sqrt{n'}\,\Vert g
\Vert_2},$$
where $n'$ counts the nonzero entries; this is near~1 when all entries
have similar sizes and small when a few entries dominate.  What value
clipping does {\it not\/} bound usefully is the length: $\Vert\tilde
g\Vert_2$ can be as large as $v\sqrt{n}$, and for the network of this
chapter, with $n=\val{CLnparams}$ parameters, $\sqrt n\approx
\val{CLsqrtn}$.  A threshold that looks small for one entry is not small
for a hundred thousand of them.

@q begin library part @>
@ The library's two functions follow PyTorch's |clip_grad_norm_| and
|clip_grad_value_|.  |clip_grad_norm| scales a gradient of $n$ entries
in place so that its norm is at most |max_norm|, and returns the norm it
had before; |norm_type| is~2 for the Euclidean norm or |INFINITY| for the
max-norm.  |clip_grad_value| clamps each entry to $[-v,v]$.  The
library's models keep their whole gradient in one vector, so one call
computes the global norm and clips it.
@^PyTorch compatibility@>
@(descent-clip.h@>=
#ifndef DESCENT_CLIP_H
#define DESCENT_CLIP_H
#include <stddef.h>
float clip_grad_norm(float *g, size_t n, double max_norm, double norm_type);
struct layout;
float clip_grad_norm_layout(const struct layout *L, float *g, double max_norm,
                            double norm_type);
void clip_grad_value(float *g, size_t n, double v);
#endif

@ PyTorch computes, in |float|, the factor
$c=\min\bigl(1,\,m/(\Vert g\Vert+10^{-6})\bigr)$ and multiplies every
entry by it---also when it is~1.  The $10^{-6}$ is always added, so a
gradient whose norm is just below the maximum is still scaled down a
little, and a tiny maximum is not quite reached; the minimum with~1 means
that small gradients are never scaled up.  An infinite entry makes the
norm infinite and the factor zero, so that entry becomes NaN
($0\cdot\infty$); a NaN anywhere makes everything NaN.  Nothing is
checked: that is the caller's business, as it is in PyTorch.

Two details of PyTorch's arithmetic are copied exactly.  Python evaluates
|max_norm / tensor| as the tensor's reciprocal times |max_norm|, which
differs from a division in the last bit about one time in six.  And the
squares are |float|s: a square below |float|'s normal range loses
precision, and a sum of squares above its largest value is infinite, so
that a gradient with an entry of $2\cdot10^{19}$ has an infinite norm and
is zeroed.  The sum itself is accumulated in double (PyTorch's vectorized
sum of |float|s adds in another order, and may differ from this one in
the last bit); the max-norm loop stops at the first NaN, which is then the
result.
@(clip.c@>=
#include <float.h>
#include <math.h>
#include "descent.h"
static float grad_norm(const float *g, size_t n, double norm_type)
{
  float total;
  if (isinf(norm_type)) {
    total = 0;
    for (size_t i = 0; i < n && !isnan(total); i++)
      if (fabsf(g[i]) > total || isnan(g[i])) total = fabsf(g[i]);
  } else {
    @q solution grad_norm2: total = 0; @>
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += (double)(g[i] * g[i]);
    total = sum > FLT_MAX ? INFINITY : (float)sqrt((double)(float)sum);
    @q end solution @>
  }
  return total;
}
float clip_grad_norm(float *g, size_t n, double max_norm, double norm_type)
{
  float total = grad_norm(g, n, norm_type);
  @q solution clip_factor: (void)max_norm; @>
  float coef = (1.0f / (total + 1e-6f)) * (float)max_norm;
  if (coef > 1.0f) coef = 1.0f;
  for (size_t i = 0; i < n; i++) g[i] = g[i] * coef;
  @q end solution @>
  return total;
}

@ A model with several tensors is clipped as PyTorch~1.13 clips a list of
them: the norm of each tensor first, in |float|, then the norm of those
norms---for $p=2$, $\Vert g\Vert=\bigl(\sum_k\Vert g_k\Vert^2\bigr)^{1/2}$,
the same number as the norm of the whole vector up to rounding, and for
$p=\infty$ the largest of the tensors' largest entries.  The factor for
the whole gradient is then applied as before.
@(clip.c@>=
float clip_grad_norm_layout(const struct layout *L, float *g, double max_norm,
                            double norm_type)
{
  double sum = 0;
  float total = 0;
  for (size_t k = 0; k < L->ntensors; k++) {
    float nk = grad_norm(g + L->tensors[k].offset, L->tensors[k].len, norm_type);
    if (isinf(norm_type)) { if (nk > total || isnan(nk)) total = nk; }
    else sum += (double)(nk * nk);
  }
  if (!isinf(norm_type)) total = sum > FLT_MAX ? INFINITY : (float)sqrt((double)(float)sum);
  float coef = (1.0f / (total + 1e-6f)) * (float)max_norm;
  if (coef > 1.0f) coef = 1.0f;
  for (size_t i = 0; i < L->n; i++) g[i] = g[i] * coef;
  return total;
}

@ Clamping by value is simpler: each entry is limited to $[-v,v]$, with
$v$ rounded to |float|.  As in |torch.clamp|, the lower bound is applied
first and the upper one second, so that a negative $v$ (bounds in the
wrong order) sets every entry to $v$; a NaN entry stays NaN, because both
comparisons are false for it, and a NaN bound makes every entry NaN.
@(clip.c@>=
void clip_grad_value(float *g, size_t n, double v)
{
  @q solution clip_value: (void)g; (void)n; (void)v; @>
  const float hi = (float)v, lo = -hi;
  for (size_t i = 0; i < n; i++) {
    float x = isnan(hi) ? hi : g[i] < lo ? lo : g[i];
    g[i] = x > hi ? hi : x;
  }
  @q end solution @>
}
@q end library part @>

@*1 PyTorch's rules, case by case.
The formula $c=\min(1,m/(\Vert g\Vert+10^{-6}))$ differs from the textbook
$\min(1,m/\Vert g\Vert)$ in small ways that matter when one wants the same
numbers as PyTorch, and in one way that matters for training: what
happens to an infinite or NaN gradient.  The first experiment applies the
library's functions to a few short vectors, chosen so that each shows one
rule; the replay program of Appendix~B and the tests check the same
functions against PyTorch itself.  Each case is a vector of at most four
entries, a kind of clipping ($2$ and $\infty$ for the norms, 1 for
clipping by value) and a threshold.
@^clipping by value@>
@<Clipping: types@>=
struct rule_case {
  int kind;            /* 2: the 2-norm; 0: the max-norm; 1: by value */
  double max;          /* $m$, or $v$ */
  size_t n;
  float g[4];
};

@ The cases, in the order of Table~\tableref{05-rules}.
@<Clipping: functions@>=
static const struct rule_case rule_cases[] = {@/
  @[{2, 1.0, 2, {0.3f, 0.4f}}@],@/
  @[{2, 1e-6, 2, {3e-6f, 4e-6f}}@],@/
  @[{2, 1.0000005, 2, {0.6f, 0.8f}}@],@/
  @[{0, 2.0, 3, {3.0f, -4.0f, 1.0f}}@],@/
  @[{2, 1.0, 3, {1.0f, INFINITY, 2.0f}}@],@/
  @[{2, 1.0, 3, {1.0f, NAN, 2.0f}}@],@/
  @[{1, 1.0, 4, {3.0f, -4.0f, 0.5f, NAN}}@],@/
  @[{1, 1.0, 2, {3.0f, 0.5f}}@],@/
  @[{2, 1.0, 2, {3.0f, 0.5f}}@]};
#define n_rules (sizeof rule_cases / sizeof rule_cases[0])

@ Numbers go into Table~\tableref{05-rules} as \TeX: $5\times10^{-7}$
rather than \.{5e-07}, $\infty$ and NaN spelled out.  |tex_num| formats one number
with a |printf| format and rewrites an exponent; |tex_vec| writes a
vector of them in parentheses.
@<Clipping: functions@>=
static void tex_num(char *buf, size_t len, const char *fmt, double x)
{
  if (isnan(x)) { snprintf(buf, len, "{\\rm NaN}"); return; }
  if (isinf(x)) { snprintf(buf, len, "%s\\infty", x < 0 ? "-" : ""); return; }
  char s[40];
  snprintf(s, sizeof s, fmt, x);
  char *e = strchr(s, 'e');
  if (e == NULL) { snprintf(buf, len, "%s", s); return; }
  *e = '\0';
  int ex = atoi(e + 1);
  if (strcmp(s, "1") == 0) snprintf(buf, len, "10^{%d}", ex);
  else snprintf(buf, len, "%s\\times10^{%d}", s, ex);
}

@ A vector is its entries separated by thin-spaced commas.
@<Clipping: functions@>=
static void tex_vec(char *buf, size_t len, const char *fmt, const float *g,
  size_t n)
{
  size_t k = (size_t)snprintf(buf, len, "(");
  for (size_t i = 0; i < n && k < len; i++) {
    char x[64];
    tex_num(x, sizeof x, fmt, g[i]);
    k += (size_t)snprintf(buf + k, len - k, "%s%s", x, i + 1 < n ? ",\\," : ")");
  }
}

@ Each case is clipped, printed in full precision, and added to the
table as one row of \TeX; the returned norm of clipping by value, which
returns nothing, is a dash.  Inputs and returned norms are shown with
six digits, results with nine, enough to tell any two |float|s apart.
@<Clipping: experiments@>=
@<Clipping: quote the rules that the text discusses@>@;
static void rules_experiment(struct chapter *o)
{
  struct tsv *t = tsv_open(o->out, "rules.tsv", "case\tkind\tmax\treturned\tout");
  char tab[4096] = "";
  printf("== rules: PyTorch's clipping, case by case\n");
  for (size_t k = 0; k < n_rules; k++) {
    const struct rule_case *c = &rule_cases[k];
    float g[4];
    memcpy(g, c->g, sizeof g);
    float total = NAN;
    if (c->kind == 1) clip_grad_value(g, c->n, c->max);
    else total = clip_grad_norm(g, c->n, c->max, c->kind == 2 ? 2.0 : INFINITY);
    @<Clipping: print rule case |k| and add its row to |tab|@>@;
    quote_rule(o->values, k, c, g);
  }
  tsv_close(t);
  values_put(o->values, "CLrulesTable", "%s", tab);
  printf("\n");
}

@ The standard output gets every entry with nine digits, the table the
same, and \.{rules.tsv} one row per case with the result as text.
@<Clipping: print rule case |k|...@>=
static const char *const kind[] = {"max-norm", "value", "norm"};
char in[256], out[256], m[64], ret[64], plain[256] = "";
tex_vec(in, sizeof in, "%.6g", c->g, c->n);
tex_vec(out, sizeof out, "%.9g", g, c->n);
tex_num(m, sizeof m, "%.8g", c->max);
if (c->kind == 1) snprintf(ret, sizeof ret, "---");
else {
  char x[56];
  tex_num(x, sizeof x, "%.6g", total);
  snprintf(ret, sizeof ret, "$%s$", x);
}
for (size_t i = 0; i < c->n; i++) {
  if (isnan(g[i])) appendf(plain, sizeof plain, "%snan", i ? " " : "");
  else appendf(plain, sizeof plain, "%s%.9g", i ? " " : "", g[i]);
}
printf("(%zu) %-8s max %-10.8g returned %-12.9g -> %s\n",@/
       k + 1, kind[c->kind], c->max, total, plain);
tsv_printf(t, "%zu\t%s\t%.9g\t%.9g\t%s\n", k + 1, kind[c->kind], c->max, total, plain);
appendf(tab, sizeof tab, "(%zu)&$%s$&%s&$%s$&%s&$%s$\\cr\n", k + 1, in,
         kind[c->kind], m, ret, out);

@ The text quotes a few results beyond Table~\tableref{05-rules}: the length of the
clipped vector of case~2; how many |float|s lie between the first entry
of case~3 before and after clipping (for positive |float|s, the
difference of their bit patterns); and, for the last two cases, the angle that
the vector makes with the first axis before and after clipping.
@<Clipping: quote the rules...@>=
static void quote_rule(struct value_file *v, size_t k, const struct rule_case *c,
  const float *g)
{
  const double deg = 180.0 / acos(-1.0);
  if (k == 1) {
    char s[64];
    tex_num(s, sizeof s, "%.4g", vec_norm2(g, c->n));
    values_put(v, "CLtinyNorm", "%s", s);
  }
  if (k == 2) {
    uint32_t a, b;
    memcpy(&a, &c->g[0], sizeof a);
    memcpy(&b, &g[0], sizeof b);
    values_put(v, "CLbelowUlps", "%u", a - b);
  }
  if (k == 7) {
    values_put(v, "CLplaneBefore", "%.1f", atan2(c->g[1], c->g[0]) * deg);
    values_put(v, "CLplaneAfter", "%.1f", atan2(g[1], g[0]) * deg);
  }
  if (k == 8) values_put(v, "CLplaneNorm", "%.1f", atan2(g[1], g[0]) * deg);
}

@ The results are in Table~\tableref{05-rules}.
\booktable{05-rules}{The library's clipping, case by case: the gradient
$g$, the kind of clipping (by the 2-norm, by the max-norm or by value)
and its threshold, the norm that the function returns (a dash: clipping
by value returns none), and the clipped vector, with nine digits.}
{\vbox{\halign{#\hfil\quad&#\hfil\quad&#\hfil\quad&\hfil#\quad&#\hfil\quad
  &#\hfil\cr
&$g$&clip&$m$ or $v$&returned&result\cr
\noalign{\smallskip\hrule\smallskip}
\CLrulesTable}}}
\noindent
Case~(1) is the rule that makes clipping safe to leave on: a gradient
shorter than $m$ is never scaled {\it up}.  Here $m/(\Vert g\Vert+
10^{-6})$ is almost 2, the minimum with 1 caps it, and the vector comes
back bit for bit unchanged---multiplied by exactly~1, as PyTorch does
even when there is nothing to clip.  Case~(2) shows the $10^{-6}$ where
it is visible: with $\Vert g\Vert=5\times10^{-6}$ and $m=10^{-6}$ the
factor is $1/6$, not $1/5$, and the clipped vector has length
$\val{CLtinyNorm}$ rather than $m$.  No real gradient is that small, but
the guard against dividing by zero is part of the formula.  Case~(3) is
the other side of it: a norm of exactly 1, below $m=1.0000005$, is
still scaled, by $1.0000005/1.000001$, and the first entry moves down by
\val{CLbelowUlps} units in the last place.  Case~(4) clips by the max-norm: the
largest entry, $-4$, becomes $-2$ (less a hair, for the same
$10^{-6}$), and the others shrink in proportion.

Cases (5) and (6) are the ones that matter in a training loop.  An
infinite entry makes the norm infinite and the factor
$m/\infty=0$; the finite entries become 0 and the infinite one
$0\cdot\infty$, NaN.  A NaN entry makes the norm NaN, the factor NaN,
and every entry NaN.  Clipping does not protect a run from a gradient
that has overflowed: it turns the overflow into NaN everywhere, and the
optimizer then writes NaN into every weight.  The returned norm is the
only warning, and a loop that wants to survive must check it and skip
the step; PyTorch's |error_if_nonfinite| argument raises an error
instead, and the loss scaler of Chapter~6 skips steps in just this way.

Case~(7) clips by value: each entry is clamped on its own, and a NaN
passes through untouched.  The last two cases show the difference in
direction in the plane.  Clipping $(3,0.5)$ by value at $v=1$ gives
$(1,0.5)$, and the angle to the first axis grows from
$\val{CLplaneBefore}^\circ$ to $\val{CLplaneAfter}^\circ$; clipping the
same vector by norm at $m=1$ gives a vector of length just under 1 at
$\val{CLplaneNorm}^\circ$, the angle it had.

@ Before the measurement, the picture.  The {\it geometry\/} experiment
takes |n_geo| gradients in the plane, of lengths from 0.6 to 3.2 and
pointing all around, and clips each with the library's two functions at
the same threshold, 1: by norm with |clip_grad_norm| (the Euclidean
norm), which scales a long gradient back onto the unit circle, and by
value with |clip_grad_value|, which clamps each coordinate into the
square $[-1,1]^2$.  It writes the three vectors of each case and the
angle between the original and each clipped one to \.{geometry.tsv}.
Nothing is random; the quick run is the full one.
@^clipping, geometry of@>
@d n_geo 8
@<Clipping: experiments@>=
static void geometry_experiment(struct chapter *o)
{
  static const float geo[n_geo][2] = {@/
    @[{3.0f, 0.5f}, {2.4f, 1.9f}, {0.6f, 2.8f}, {-1.9f, 1.3f}@],@/
    @[{-2.7f, -0.4f}, {-0.9f, -2.3f}, {1.5f, -2.6f}, {0.5f, 0.35f}@]};
  struct tsv *t = tsv_open(o->out, "geometry.tsv",
    "gx\tgy\tnx\tny\tvx\tvy\tturn_norm\tturn_value");
  double worst_norm = 0.0, worst_value = 0.0;
  int worst = 0;
  for (int k = 0; k < n_geo; k++) {
    float g[2] = {geo[k][0], geo[k][1]}, c[2] = {g[0], g[1]}, v[2] = {g[0], g[1]};
    clip_grad_norm(c, 2, 1.0, 2.0);
    clip_grad_value(v, 2, 1.0);
    double tn = angle_deg(g, c), tv = angle_deg(g, v);
    if (tn > worst_norm) worst_norm = tn;
    if (tv > worst_value) { worst_value = tv; worst = k; }
    tsv_row(t, 8, (double[8])@[{g[0], g[1], c[0], c[1], v[0], v[1], tn, tv}@]);
  }
  tsv_close(t);
  @<Clipping: report the geometry@>@;
}

@ The angle between two vectors of the plane, in degrees, from their
cross and dot products, which stays accurate for tiny angles.
@<Clipping: functions@>=
static double angle_deg(const float a[2], const float b[2])
{
  double cr = (double)a[0] * b[1] - (double)a[1] * b[0];
  double dt = (double)a[0] * b[0] + (double)a[1] * b[1];
  return fabs(atan2(cr, dt)) * 180.0 / M_PI;
}

@ The report quotes the largest turn of each rule, and the gradient that
value clipping turns the most.
@<Clipping: report the geometry@>=
printf("== geometry: 2-D gradients clipped at 1 by norm and by value\n");
printf("largest turn: by norm %.2g degrees, "@/
       "by value %.1f degrees (g = (%.1f, %.1f))\n\n",
       worst_norm, worst_value, geo[worst][0], geo[worst][1]);
values_put(o->values, "CLgeoNormTurn", "%.1f", worst_norm);
values_put(o->values, "CLgeoValueTurn", "%.1f", worst_value);
values_put(o->values, "CLgeoWorstX", "%.1f", geo[worst][0]);
values_put(o->values, "CLgeoWorstY", "%.1f", geo[worst][1]);
values_put(o->values, "CLgeoN", "%d", n_geo);

@ Figure~\figref{05-clipping-geometry} shows the two rules side by side.
Clipping by norm moves every long gradient along its own ray onto the
circle: the largest turn among the \val{CLgeoN} gradients is
\val{CLgeoNormTurn}$^\circ$, float rounding.  Clipping by value moves it
to the nearest point of the square, which lies on the ray only when the
gradient points along an axis or a diagonal: the turns are up to
\val{CLgeoValueTurn}$^\circ$, for $g=(\val{CLgeoWorstX},\val{CLgeoWorstY})$,
whose long coordinate is cut and whose short one is kept, so the
clipped vector leans toward the axis of the short one.  A gradient that
points outside the square along a diagonal keeps its direction but ends
at a corner, of length $\sqrt2$, longer than the threshold; one that is
already inside both, like the shortest here, is left alone by both.
The next part measures the same turn in the network's hundred thousand
dimensions, where it is much larger.
\bookfigure{05-clipping-geometry}{Eight gradients $g$ in the plane
(dotted grey), clipped at 1 by norm (solid blue: scaled onto the unit
circle, the direction kept) and by value (dashed red: each coordinate
clamped into the square $[-1,1]^2$).  The number at each gradient is
the angle by which value clipping turns it; clipping by norm turns none.}

@*1 What clipping does to the direction.
In two dimensions the turn is easy to see; in a hundred thousand it has
to be measured.  The second experiment trains the chapter's network (the
next part describes it) for \val{CLdirSteps} steps, takes the gradient $g$ of
one more batch, and clips it by value at thresholds $v$ from
$\Vert g\Vert_\infty$, where nothing is clipped, down by factors of
$\sqrt2$ to $2^{-20}\Vert g\Vert_\infty$.  For each it records the cosine
between $\tilde g$ and $g$, the fraction of entries that were cut, and
the length ratio $\Vert\tilde g\Vert/\Vert g\Vert$.  It does the same
for the gradient of the same batch with its pixels multiplied by 255, the
kind of spike that the training experiments inject.  The first helpers
measure a cosine, the cosine with the sign vector, and the number of
entries larger than $v$.
@<Clipping: functions@>=
static double cosine(const float *a, const float *b, size_t n)
{
  return vec_dot(a, b, n) / (vec_norm2(a, n) * vec_norm2(b, n));
}
static double sign_cosine(const float *g, size_t n)
{
  double l1 = 0.0;
  size_t nz = 0;
  for (size_t i = 0; i < n; i++)
    if (g[i] != 0.0f) { l1 += fabsf(g[i]); nz++; }
  return l1 / (sqrt((double)nz) * vec_norm2(g, n));
}
static size_t count_above(const float *g, size_t n, float v)
{
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += fabsf(g[i]) > v;
  return c;
}

@ The experiment trains a session (described with the network, in the
next part), takes the gradient of one more batch, spikes the same batch
and takes its gradient too, quotes the two losses, and measures.
@<Clipping: experiments@>=
@<Clipping: measure the clipped gradients' directions@>@;
static void direction_experiment(struct chapter *o)
{
  struct session *S = new_session(o, 3, train_lr, 0.0);
  for (size_t t = 0; t < plan_of(o)->dir_steps; t++) session_step(S);
  size_t n = S->m->nparams;
  float *g = vec_new(n), *h = vec_new(n);
  double loss = session_backward(S);
  vec_copy(g, S->m->grads, n);
  double spiked = spike_batch(S);
  vec_copy(h, S->m->grads, n);
  values_put(o->values, "CLdirLoss", "%.2f", loss);
  values_put(o->values, "CLdirSpikeLoss", "%.0f", spiked);
  measure_directions(o, g, h, n);
  vec_free(&g); vec_free(&h); session_free(&S);
}

@ For each threshold both gradients are copied, clipped and compared
with the originals, and the results make one row of \.{direction.tsv}.
The rows at $v=\Vert g\Vert_\infty$, $2^{-4}\Vert g\Vert_\infty$ and
$2^{-8}\Vert g\Vert_\infty$ are kept for the text.
@d dir_points 41
@<Clipping: measure the clipped gradients' directions@>=
@<Clipping: report the directions@>@;
static void measure_directions(const struct chapter *o, const float *g,
  const float *h, size_t n)
{
  float *c = vec_new(n), ginf = max_abs(g, n);
  double g2 = vec_norm2(g, n), h2 = vec_norm2(h, n), row[dir_points][7];
  for (int k = 0; k < dir_points; k++) {
    double ratio = pow(2.0, -0.5 * k), v = ginf * ratio;
    vec_copy(c, g, n); clip_grad_value(c, n, v);
    double cg = cosine(c, g, n), sg = vec_norm2(c, n) / g2;
    vec_copy(c, h, n); clip_grad_value(c, n, v);
    double ch = cosine(c, h, n), sh = vec_norm2(c, n) / h2;
    double fg = (double)count_above(g, n, (float)v) / (double)n;
    double fh = (double)count_above(h, n, (float)v) / (double)n;
    memcpy(row[k], (double[7])@[{ratio, cg, fg, sg, ch, fh, sh}@], sizeof row[k]);
  }
  @<Clipping: clip both gradients by norm, for comparison@>@;
  direction_report(o, g, h, n, row);
  vec_free(&c);
}

@ Clipping by norm should leave the cosine at 1; in |float| it cannot be
exactly 1, since each entry is rounded after its multiplication, and the
program measures how far from 1 it is.  The clean gradient is clipped to
half its length, the spike to the length of the clean gradient.
@<Clipping: clip both gradients by norm...@>=
vec_copy(c, g, n); clip_grad_norm(c, n, 0.5 * g2, 2.0);
double norm_dev = 1.0 - cosine(c, g, n);
vec_copy(c, h, n); clip_grad_norm(c, n, g2, 2.0);
double norm_dev_spike = 1.0 - cosine(c, h, n);
char dev[64];
tex_num(dev, sizeof dev, "%.0e", fmax(norm_dev, norm_dev_spike));
values_put(o->values, "CLnormDev", "%s", dev);

@ The report writes the table, prints every fourth row, and quotes.  The
two sign-vector limits go to \.{direction-sign.tsv}, for the figure.
@<Clipping: report the directions@>=
static void direction_report(const struct chapter *o,@/
  const float *g, const float *h, size_t n, double row[][7])
{
  double g2 = vec_norm2(g, n), h2 = vec_norm2(h, n);
  struct tsv *t = tsv_open(o->out, "direction.tsv",
    "ratio\tcos\tfrac\tshrink\tcosspike\tfracspike\tshrinkspike");
  printf("== direction: |g|_2 %.4f, |g|_inf %.4f;", g2, max_abs(g, n));
  printf(" spiked batch |g|_2 %.4f, |g|_inf %.4f\n", h2, max_abs(h, n));
  printf("%10s %8s %9s %8s %9s %9s\n", "v/|g|_inf", "cos", "clipped", "spike cos",
         "clipped", "length");
  for (int k = 0; k < dir_points; k++) {
    tsv_row(t, 7, row[k]);
    if (k % 4 == 0)
      printf("%10.3g %8.4f %8.3f%% %8.4f %8.3f%% %9.4f\n", row[k][0], row[k][1],
             100.0 * row[k][2], row[k][4], 100.0 * row[k][5], row[k][6] * h2);
  }
  tsv_close(t);
  printf("sign vector: cos %.4f (gradient), %.4f (spike)\n\n", sign_cosine(g, n),
         sign_cosine(h, n));
  t = tsv_open(o->out, "direction-sign.tsv", "cos\tcosspike");
  tsv_row(t, 2, (double[2])@[{sign_cosine(g, n), sign_cosine(h, n)}@]);
  tsv_close(t);
  @<Clipping: quote the direction numbers@>@;
}

@ The quoted numbers: the sign limits, the lengths, and the three rows.
@<Clipping: quote the direction numbers@>=
struct value_file *v = o->values;
values_put(v, "CLsignCos", "%.2f", sign_cosine(g, n));
values_put(v, "CLsignCosSpike", "%.2f", sign_cosine(h, n));
values_put(v, "CLdirNorm", "%.2f", g2);
values_put(v, "CLdirSpikeNorm", "%.0f", h2);
values_put(v, "CLdirSpikeRatio", "%.0f", h2 / g2);
values_put(v, "CLdirSpikeCos", "%.2f", row[0][4]);
values_put(v, "CLdirSpikeFrac", "%.0f", 100.0 * row[0][5]);
values_put(v, "CLdirSpikeLen", "%.1f", row[0][6] * h2);
values_put(v, "CLdirCosA", "%.3f", row[8][1]);
values_put(v, "CLdirFracA", "%.1f", 100.0 * row[8][2]);
values_put(v, "CLdirAngleA", "%.0f", acos(row[8][1]) * 180.0 / acos(-1.0));
values_put(v, "CLdirCosB", "%.2f", row[16][1]);
values_put(v, "CLdirFracB", "%.0f", 100.0 * row[16][2]);
values_put(v, "CLdirCosC", "%.2f", row[dir_points - 1][1]);
values_put(v, "CLdirFracC", "%.0f", 100.0 * row[dir_points - 1][2]);
values_put(v, "CLnparams", "%zu\\,%03zu", n / 1000, n % 1000);
values_put(v, "CLsqrtn", "%.0f", sqrt((double)n));

@ Figure~\figref{05-clipping-direction} shows the measurement.
\bookfigure{05-clipping-direction}{Clipping a gradient of the chapter's
network by value.  Left: the cosine between the clipped gradient and the
original, against the threshold $v$ as a fraction of the clean
gradient's largest entry; solid for a batch of ordinary images, dashed for
the same batch with pixels 0..255.  Thin lines: the cosine with the sign
vector, the limit as $v\to0$.  Right: the fraction of entries cut.}
Cutting a few entries turns the gradient a long way.  At
$v=\Vert g\Vert_\infty/16$ only \val{CLdirFracA}\% of the entries of the
clean gradient are clipped, yet the cosine has fallen to \val{CLdirCosA},
an angle of \val{CLdirAngleA} degrees: the gradient is heavy-tailed, and
those few entries carried much of its length.  At
$v=\Vert g\Vert_\infty/256$, with \val{CLdirFracB}\% cut, the cosine is
\val{CLdirCosB}; at the smallest threshold, \val{CLdirFracC}\% cut, it is
\val{CLdirCosC}, close to the sign-vector limit \val{CLsignCos}.  (Not all
entries are ever cut: the weights of pixels that are black in every image
of the batch, and of hidden units that no image turns on, have exactly
zero gradient.)  Clipping by norm, in contrast, left the cosine within
$\val{CLnormDev}$ of 1, which is rounding.

The spiked batch shows why value clipping is a poor defence against
spikes.  Its gradient is \val{CLdirSpikeRatio} times as long as the clean
one (\val{CLdirSpikeNorm} against \val{CLdirNorm}).  Clipped by value at
the clean gradient's own largest entry---a threshold that leaves the
clean gradient untouched---it loses \val{CLdirSpikeFrac}\% of its
entries to the clamp and is turned to a cosine of \val{CLdirSpikeCos},
yet it is still \val{CLdirSpikeLen} long: shorter than the spike, but
many times longer than the clean gradient, and pointing somewhere else.
Clipped by norm it would have the length one chooses and the spike's own
direction, which is bad enough.

@*1 Training with bad batches.
The remaining experiments train a real network and hurt it on purpose.
The network is a multilayer perceptron with one hidden layer of
\val{CLhidden} ReLU units, $784\to\val{CLhidden}\to10$, \val{CLnparams}
parameters, trained on Fashion-MNIST by plain SGD with learning rate
$\eta=\val{CLlr}$ and batches of $B=\val{CLbatch}$ images, for
\val{CLsteps} steps---about \val{CLepochs} of an epoch, short enough that
the chapter's \val{CLruns} training runs fit into a build of the book
(the whole program took \val{runSeconds}~s for this copy), long enough
to reach a test accuracy of about \val{CLaccA}\%.

The injected fault is a realistic one.  Every \val{CLspikeEvery}th batch, at steps
\val{CLspikeSteps}, arrives with its pixels as the bytes $0..255$
instead of the fractions $0..1$: a batch that missed the division by
255, as happens when one shard of a data set was written by a different
version of the preprocessing, or one worker of a loader takes a
different code path.  Nothing else about the batch is wrong.  Backward
propagation turns the scale into a spike: the hidden pre-activations grow
by nearly 255, the logits with them, and the gradients of both weight
matrices, which are products with those activations and pixels, grow
too.  For the batch of the direction experiment the loss rose from
\val{CLdirLoss} to \val{CLdirSpikeLoss} and the gradient's norm by a
factor of \val{CLdirSpikeRatio}.  One batch in \val{CLspikeEvery} is
\val{CLspikePercent}\% of the data.
@d train_hidden 128
@d train_lr 0.1
@d spike_scale 255.0f

@ The sizes of the training runs, and of everything else that can be
made smaller for the tests, are collected in a plan.  The quick plan
trains tiny runs on small batches; its numbers mean nothing, but every
line of the program runs.  In the full plan each run is
$500\times64=32\,000$ images, a little over half an epoch.
@<Clipping: types@>=
struct sweep_point { int q; double times; };  /* |times| times a percentile */
struct cl_plan {
  size_t batch;        /* $B$ */
  size_t steps;        /* steps of every training run */
  size_t spike_every;  /* $K$: one batch in $K$ is spiked, from $K/2$ on */
  size_t eval_every;   /* the test loss is measured every so many steps */
  size_t eval_n;       /* on this many test images */
  size_t final_n;      /* and at the end on this many */
  size_t seeds;        /* runs of each configuration */
  size_t sweep_n, sweep_seeds;  /* the thresholds tried for |max_norm|, and runs of each */
  const struct sweep_point *sweep;
  size_t dir_steps;    /* training before the direction experiment */
  int timing_reps;     /* timed calls of each kind; 0: no timing */
};

@ The sweep's thresholds are given as multiples of percentiles of the
gradient norm (indices into the percentile list of the norms experiment,
below): the 10th, 50th, 90th and 99th percentile, the largest norm seen,
and 10 and 100 times that.  |plan_of| picks the plan that \.{--quick}
asks for.
@<Clipping: functions@>=
static const struct sweep_point full_sweep[] = {@[{3, 1}, {5, 1}, {7, 1}, {9, 1},@/
  {10, 1}, {10, 10}, {10, 100}@]};
static const struct sweep_point quick_sweep[] = {@[{3, 1}, {7, 1}, {10, 10}@]};
static const struct cl_plan full_plan = @[{64, 500, 100, 25, 500, 5000, 3, 7, 3,
  full_sweep, 200, 300}@];
static const struct cl_plan quick_plan = @[{8, 40, 20, 10, 50, 100, 2, 3, 1,
  quick_sweep, 20, 0}@];
static const struct cl_plan *plan_of(const struct chapter *o)
{ return o->quick ? &quick_plan : &full_plan; }

@ Every experiment that trains draws batches of $B$ images from the
training set, which must therefore hold one batch at least; the runs of
the four training experiments are also evaluated on the first |eval_n|
and the first |final_n| test images.  The timing experiment trains only
in the full plan.  The harness calls this check before anything is
written.
@<Clipping: functions@>=
static void check_sizes(const struct chapter *o)
{
  static const char *const training[] = {"norms", "spikes", "choose", "always"};
  const struct cl_plan *pl = plan_of(o);
  size_t ntest = pl->final_n > pl->eval_n ? pl->final_n : pl->eval_n;
  chapter_need(o, "direction", pl->batch, 0);
  for (int k = 0; k < 4; k++) chapter_need(o, training[k], pl->batch, ntest);
  if (pl->timing_reps > 0) chapter_need(o, "timing", pl->batch, 0);
}

@ Every run of the chapter is a training session of the library
(Appendix~A, part~4): plain SGD at rate |lr|, clipped by the global
2-norm at |clip_norm| when that is positive.  The session draws the
initial weights and the order of the batches from its seed, which is
drawn in turn from stream |stream| of the chapter's seed; runs with the
same stream start from the same weights and see the same batches.
A spike rescales the batch that the session has just gathered and takes
its loss and gradient again, in place of the clean ones.
@<Clipping: functions@>=
static struct session *new_session(const struct chapter *o, uint64_t stream,
  double lr, double clip_norm)
{
  struct rng r;
  rng_seed(&r, o->seed, stream);
  struct session_config c = @[{.nlayers = 2, .sizes = {o->train->dim, train_hidden,
    o->train->classes}, .opt_name = "sgd", .clip_norm = clip_norm,
    .batch = plan_of(o)->batch, .seed = rng_u64(&r), .world = 1}@];
  opt_defaults("sgd", &c.opt);
  c.opt.lr = lr;
  char msg[256];
  struct session *S = session_new(&c, o->train, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}
static double spike_batch(struct session *S)
{
  size_t B = S->c.batch;
  vec_scale(S->xb, spike_scale, B * S->train->dim);
  return S->loss = mlp_loss_grad(S->m, S->xb, S->yb, B);
}

@ Step $t$ (counting from 0) is a spike when $t\bmod K=K/2$, so that the
first spike comes after some training, and the last well before the end.
The test loss is measured after every |eval_every| steps, and also just
after each spike step, so that each spike has a measurement on either
side of it: after $t$ steps and after $t+1$.
@<Clipping: functions@>=
static bool spike_step(const struct cl_plan *pl, size_t t)
{
  return t % pl->spike_every == pl->spike_every / 2;
}
static bool eval_point(const struct cl_plan *pl, size_t s)
{
  return s % pl->eval_every == 0 || s == pl->steps
    || (s > 0 && spike_step(pl, s - 1));
}

@ A run is described by its configuration: how it clips, at what
threshold, at what learning rate, and whether it gets spikes.  Runs with
the same |seed_index| start from the same weights and see the same
batches in the same order, so that two configurations differ only in what
they were configured to differ in.
@<Clipping: types@>=
enum clip_mode { clip_none, clip_norm2, clip_norminf, clip_value };
struct run_spec {
  enum clip_mode mode;
  double threshold;    /* |max_norm|, or $v$ for clipping by value */
  double lr;
  bool spikes;
  size_t seed_index;
};

@ What a run leaves behind.  For every step it records the loss of the
batch and the gradient's 2-norm and max-norm before clipping, and its
2-norm after; at the evaluation points, the test loss.  At the end it
measures the loss and accuracy on the test set, and counts the hidden
units that are {\it dead}: those that no image of the evaluation set turns
on.  A ReLU that outputs zero passes no gradient, so a unit that is off
for every image no longer learns.
@<Clipping: types@>=
struct run_log {
  struct run_spec spec;
  float *loss, *norm2, *norminf, *post;  /* per step */
  size_t npts, *at;    /* the test loss after |at[k]| steps is |test[k]| */
  double *test;
  size_t clipped;      /* steps on which clipping changed the gradient */
  bool diverged;       /* stopped at a gradient that was not finite */
  double final_loss, final_acc;
  int dead;            /* hidden units that no evaluation image turns on */
};

@ The log's arrays are sized by the plan; the four arrays of a step are
one block.  Steps that a diverged run never takes stay NaN.
@<Clipping: functions@>=
static void log_alloc(struct run_log *lg, const struct cl_plan *pl)
{
  size_t S = pl->steps, P = S / pl->eval_every + S / pl->spike_every + 3;
  lg->loss = vec_new(4 * S);
  vec_fill(lg->loss, 4 * S, NAN);
  lg->norm2 = lg->loss + S; lg->norminf = lg->loss + 2 * S; lg->post = lg->loss + 3 * S;
  lg->at = xcalloc(P, sizeof *lg->at);
  lg->test = xcalloc(P, sizeof *lg->test);
}
static void log_free(struct run_log *lg)
{
  vec_free(&lg->loss); free(lg->at); free(lg->test);
}

@ One training run.  The evaluation set is a view of the first |eval_n|
test images; the final evaluation uses the first |final_n|.
@<Clipping: functions@>=
@<Clipping: the helpers of a training step@>@;
static void train(const struct chapter *o, struct run_log *lg)
{
  const struct cl_plan *pl = plan_of(o);
  const struct run_spec *sp = &lg->spec;
  struct session *S = new_session(o, 10 + sp->seed_index, sp->lr,
    sp->mode == clip_norm2 ? sp->threshold : 0.0);
  struct mlp *m = S->m;
  struct dataset probe = *o->test, fin = *o->test;
  probe.n = pl->eval_n; fin.n = pl->final_n;
  log_alloc(lg, pl);
  @<Clipping: train for |pl->steps| steps, evaluating on the way@>@;
  lg->final_loss = mlp_evaluate(m, &fin, &lg->final_acc);
  lg->dead = dead_units(m, &probe);
  session_free(&S);
}

@ The loop evaluates before each step, so the measurement after $t$
steps is taken before step $t$ (counting from 0); the last one follows
the last step.
@<Clipping: train for...@>=
for (size_t t = 0; t <= pl->steps; t++) {
  if (eval_point(pl, t)) {
    lg->at[lg->npts] = t;
    lg->test[lg->npts++] = mlp_evaluate(m, &probe, NULL);
  }
  if (t == pl->steps) break;
  @<Clipping: take step |t|, or stop if the gradient is not finite@>@;
}

@ A step: the session's backward half, with the batch spiked if it is
its turn; the norms; clipping by max-norm or by value, which the
chapter does itself; and the session's update half, which clips by the
2-norm when configured to.  A gradient that is not finite would write
NaN into the weights (clipping turns an infinity into NaN), so the run
stops there, before the update, and says so; the spike experiment counts
such runs.
@<Clipping: take step |t|...@>=
lg->loss[t] = (float)session_backward(S);
if (sp->spikes && spike_step(pl, t)) lg->loss[t] = (float)spike_batch(S);
float *g = m->grads;
size_t n = m->nparams;
lg->norm2[t] = (float)vec_norm2(g, n);
lg->norminf[t] = max_abs(g, n);
if (!isfinite(lg->norm2[t])) { lg->diverged = true; break; }
bool clipped = apply_clip(sp, g, n, lg->norminf[t]);
session_update(S);
lg->clipped += clipped || (sp->mode == clip_norm2
  && (float)sp->threshold / ((float)S->grad_norm + 1e-6f) < 1.0f);
lg->post[t] = (float)vec_norm2(g, n);

@ The largest entry in size, the max-norm, is needed by every
experiment.
@<Clipping: the helpers of a training step@>=
static float max_abs(const float *g, size_t n)
{
  float m = 0.0f;
  for (size_t i = 0; i < n; i++)
    if (fabsf(g[i]) > m) m = fabsf(g[i]);
  return m;
}

@ Clipping by max-norm or by value is one call of the library, and the
function reports whether it changed anything, by the library's own test:
the factor is below 1 exactly when |max_norm|${}/(\Vert g\Vert+10^{-6})<1$
in |float| (the step above applies the same test to the norm that the
session returns when it clips by the 2-norm).  For clipping by value it
is when some entry exceeds $v$.
@<Clipping: the helpers of a training step@>=
static bool apply_clip(const struct run_spec *sp, float *g, size_t n, float ninf)
{
  const float m = (float)sp->threshold;
  if (sp->mode == clip_norminf) clip_grad_norm(g, n, sp->threshold, INFINITY);
  if (sp->mode == clip_value) clip_grad_value(g, n, sp->threshold);
  return (sp->mode == clip_norminf && m / (ninf + 1e-6f) < 1.0f)
    || (sp->mode == clip_value && ninf > m);
}

@ A hidden unit $j$ is dead on a set of images when its pre-activation
$b_j+\sum_kW_{jk}x_k$ is at most zero for every image.  The test stops
at the first image that turns the unit on, so a healthy network costs
little.
@<Clipping: the helpers of a training step@>=
static int dead_units(struct mlp *m, const struct dataset *d)
{
  const float *W = mlp_weights(m, 0), *b = mlp_bias(m, 0);
  size_t H = m->sizes[1], D = m->sizes[0];
  int dead = 0;
  for (size_t j = 0; j < H; j++) {
    bool on = false;
    for (size_t i = 0; i < d->n && !on; i++) {
      double z = b[j];
      for (size_t k = 0; k < D; k++) z += (double)W[j * D + k] * d->x[i * D + k];
      on = z > 0.0;
    }
    dead += !on;
  }
  return dead;
}

@ A list of runs is trained in parallel, one run per thread, handed out
to the threads one at a time as they become free; each run owns its
session, and the network's own matrix products run on one thread inside
a parallel region, so the results do not depend on the number of threads.
@<Clipping: functions@>=
static struct run_log *run_all(const struct chapter *o,
  const struct run_spec *spec, size_t count, const char *what)
{
  struct run_log *lg = xcalloc(count, sizeof *lg);
  for (size_t k = 0; k < count; k++) lg[k].spec = spec[k];
  note("%s: %zu training runs of %zu steps", what, count, plan_of(o)->steps);
  @<Clipping: hand the runs to the threads@>@;
  for (size_t k = 0; k < count; k++) train(o, &lg[k]);
  return lg;
}
static void logs_free(struct run_log *lg, size_t count)
{
  for (size_t k = 0; k < count; k++) log_free(&lg[k]);
  free(lg);
}

@ The pragma has a section of its own, so that the function around it is
typeset as code.
@<Clipping: hand the runs to the threads@>=
#pragma omp parallel for schedule(dynamic, 1)

@ Results are averaged over the seeds of a configuration, whose runs
are consecutive in a list: the test loss at evaluation point $i$ (all
runs share the evaluation points), and the final test loss with its
range and the accuracy.
@<Clipping: functions@>=
static double mean_test(const struct run_log *lg, size_t seeds, size_t i)
{
  double s = 0.0;
  for (size_t k = 0; k < seeds; k++) s += i < lg[k].npts ? lg[k].test[i] : NAN;
  return s / (double)seeds;
}
static double mean_final(const struct run_log *lg, size_t seeds, double *acc,
  double *lo, double *hi)
{
  double s = 0.0, a = 0.0;
  *lo = INFINITY; *hi = -INFINITY;
  for (size_t k = 0; k < seeds; k++) {
    s += lg[k].final_loss; a += lg[k].final_acc;
    *lo = fmin(*lo, lg[k].final_loss); *hi = fmax(*hi, lg[k].final_loss);
  }
  *acc = a / (double)seeds;
  return s / (double)seeds;
}

@ The fraction of steps on which clipping was active, over all seeds.
@<Clipping: functions@>=
static double clipped_fraction(const struct run_log *lg, size_t seeds,
  size_t steps)
{
  size_t c = 0;
  for (size_t k = 0; k < seeds; k++) c += lg[k].clipped;
  return (double)c / (double)(seeds * steps);
}

@ The four training experiments run in order, since each needs the
thresholds of the first, and so they share one function: the harness
calls it for each of them that is wanted, the first call does the work
of all, and the later calls find it done.  \.{--only spikes} and the
others still run the clean runs of the norms experiment first, and write
its files.
@<Clipping: the training experiments@>=
static void training_experiments(struct chapter *o)
{
  static bool done = false;
  if (done) return;
  done = true;
  const struct cl_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  struct thresholds th;
  struct run_log *clean = norms_experiment(o, &th);
  if (chapter_wants(o, "spikes")) spikes_experiment(o, &th, clean);
  if (chapter_wants(o, "choose")) choose_experiment(o, &th, clean);
  if (chapter_wants(o, "always")) always_experiment(o, &th, clean);
  logs_free(clean, pl->seeds);
  @<Clipping: quote the sizes of the training runs@>@;
}

@ The sizes that the text quotes.
@<Clipping: quote the sizes...@>=
size_t runs = pl->seeds * 9 + pl->sweep_n * pl->sweep_seeds;
char steps[128] = "";
for (size_t t = 0, k = 0; t < pl->steps; t++)
  if (spike_step(pl, t)) {
    appendf(steps, sizeof steps, "%s%zu", k++ ? ", " : "", t);
  }
values_put(v, "CLbatch", "%zu", pl->batch);
values_put(v, "CLhidden", "%d", train_hidden);
values_put(v, "CLlr", "%g", train_lr);
values_put(v, "CLsteps", "%zu", pl->steps);
values_put(v, "CLepochs", "%.2f", (double)(pl->steps * pl->batch) / (double)o->train->n);
values_put(v, "CLruns", "%zu", runs);
values_put(v, "CLseeds", "%zu", pl->seeds);
values_put(v, "CLspikeSteps", "%s", steps);
values_put(v, "CLspikePercent", "%g", 100.0 / (double)pl->spike_every);
values_put(v, "CLspikeEvery", "%zu", pl->spike_every);
values_put(v, "CLdirSteps", "%zu", pl->dir_steps);

@*1 The length of a gradient.
To set a threshold one must know what is normal.  The norms experiment
trains \val{CLseeds} clean runs---no spikes, no clipping---and collects
the 2-norm and the max-norm of every step's gradient.  Their percentiles
describe the distribution; the thresholds of the later experiments are
read off it, the way a practitioner would read them off a pilot run:
|max_norm| is the 90th percentile of the 2-norm, $v$ (for clipping by
value and by max-norm) the 90th percentile of the max-norm, and the
deliberately low threshold of the always-on experiment a quarter of the
median 2-norm.
@<Clipping: types@>=
#define n_pct 11
struct thresholds {
  double p[n_pct], q2[n_pct], qinf[n_pct];  /* percentile, $\Vert g\Vert_2$, $\Vert g\Vert_\infty$ */
  double max_norm, value, low;
};

@ The experiment returns its runs, which the later experiments use as
their clean baseline.
@<Clipping: experiments@>=
@<Clipping: report the norm distribution@>@;
static struct run_log *norms_experiment(const struct chapter *o,
  struct thresholds *th)
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds, T = pl->steps;
  struct run_spec *spec = xcalloc(S, sizeof *spec);
  for (size_t k = 0; k < S; k++)
    spec[k] = (struct run_spec)@[{clip_none, 0.0, train_lr, false, k}@];
  struct run_log *lg = run_all(o, spec, S, "norms");
  free(spec);
  double *a2 = xmalloc(S * T * sizeof *a2), *ai = xmalloc(S * T * sizeof *ai);
  for (size_t k = 0; k < S; k++)
    for (size_t t = 0; t < T; t++) {
      a2[k * T + t] = lg[k].norm2[t];
      ai[k * T + t] = lg[k].norminf[t];
    }
  @<Clipping: compute the percentiles and the thresholds@>@;
  norms_report(o, th, lg, a2, S * T);
  free(a2); free(ai);
  return lg;
}

@ The percentiles, and the three thresholds read off them.  The
toolkit's |quantile| sorts its argument and interpolates linearly
between neighbours, as NumPy does by default; the histogram below reads
the sorted 2-norms.
@<Clipping: compute the percentiles...@>=
static const double pct[n_pct] = {0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 100};
for (int i = 0; i < n_pct; i++) {
  th->p[i] = pct[i];
  th->q2[i] = quantile(a2, S * T, pct[i] / 100.0);
  th->qinf[i] = quantile(ai, S * T, pct[i] / 100.0);
}
th->max_norm = th->q2[7];
th->value = th->qinf[7];
th->low = th->q2[5] / 4.0;

@ The report writes the percentiles to \.{norms-quantiles.tsv}, the
norms of the first run step by step to \.{norms.tsv}, and a histogram
of all the 2-norms, in |hist_bins| bins of equal width on a logarithmic
scale, to \.{norms-hist.tsv}.
@d hist_bins 30
@<Clipping: report the norm distribution@>=
static void norms_report(const struct chapter *o, const struct thresholds *th,
  const struct run_log *lg, const double *sorted, size_t N)
{
  const struct cl_plan *pl = plan_of(o);
  struct tsv *t = tsv_open(o->out, "norms-quantiles.tsv", "p\tnorm2\tnorminf");
  printf("== norms: gradient norms of %zu clean runs, %zu steps each\n", pl->seeds,
         pl->steps);
  printf("%6s %10s %10s\n", "pct", "|g|_2", "|g|_inf");
  for (int i = 0; i < n_pct; i++) {
    tsv_row(t, 3, (double[3])@[{th->p[i], th->q2[i], th->qinf[i]}@]);
    printf("%6g %10.4f %10.4f\n", th->p[i], th->q2[i], th->qinf[i]);
  }
  tsv_close(t);
  t = tsv_open(o->out, "norms.tsv", "step\tnorm2\tnorminf");
  for (size_t i = 0; i < pl->steps; i++)
    tsv_row(t, 3, (double[3])@[{(double)i, lg[0].norm2[i], lg[0].norminf[i]}@]);
  tsv_close(t);
  @<Clipping: write the histogram of the 2-norms@>@;
  @<Clipping: compare the norms early and late, and quote@>@;
}

@ The bins run from the smallest norm to the largest.
@<Clipping: write the histogram...@>=
double lo = log(sorted[0]), hi = log(sorted[N - 1]) * (1 + 1e-9) + 1e-9;
size_t count[hist_bins] = {0};
for (size_t i = 0; i < N; i++)
  count[(size_t)((log(sorted[i]) - lo) / (hi - lo) * hist_bins)]++;
t = tsv_open(o->out, "norms-hist.tsv", "lo\thi\tcount\tfraction");
for (int b = 0; b < hist_bins; b++)
  tsv_row(t, 4, (double[4])@[{exp(lo + (hi - lo) * b / hist_bins),@/
    exp(lo + (hi - lo) * (b + 1) / hist_bins), (double)count[b],
    (double)count[b] / (double)N}@]);
tsv_close(t);

@ Does the norm drift during a run?  The mean 2-norm of the first sixth
of the steps is compared with that of the last sixth, over all runs.
@<Clipping: compare the norms early...@>=
double early = 0.0, late = 0.0;
size_t w = pl->steps / 6;
for (size_t k = 0; k < pl->seeds; k++)
  for (size_t i = 0; i < w; i++) {
    early += lg[k].norm2[i];
    late += lg[k].norm2[pl->steps - 1 - i];
  }
early /= (double)(w * pl->seeds); late /= (double)(w * pl->seeds);
printf("mean |g|_2: %.3f in the first %zu steps, %.3f in the last %zu\n", early, w, late, w);
printf("thresholds: max_norm %.4f (p90), v %.4f (p90 of |g|_inf), "@/
       "low %.4f (median/4)\n\n",
       th->max_norm, th->value, th->low);
struct value_file *v = o->values;
values_put(v, "CLpMin", "%.2f", th->q2[0]);
values_put(v, "CLpOne", "%.2f", th->q2[1]);
values_put(v, "CLpTen", "%.2f", th->q2[3]);
values_put(v, "CLpMedian", "%.2f", th->q2[5]);
values_put(v, "CLpNinety", "%.2f", th->q2[7]);
values_put(v, "CLpNinetynine", "%.2f", th->q2[9]);
values_put(v, "CLpMax", "%.2f", th->q2[10]);
values_put(v, "CLbandRatio", "%.1f", th->q2[9] / th->q2[1]);
values_put(v, "CLlowRatio", "%.2f", th->q2[5] / th->q2[1]);
values_put(v, "CLhighRatio", "%.2f", th->q2[9] / th->q2[5]);
values_put(v, "CLinfMedian", "%.3f", th->qinf[5]);
values_put(v, "CLvalue", "%.3f", th->value);
values_put(v, "CLlow", "%.2f", th->low);
values_put(v, "CLearly", "%.2f", early);
values_put(v, "CLlate", "%.2f", late);
values_put(v, "CLnormSteps", "%zu", N);

@ Figure~\figref{05-clipping-norms} shows the distribution.
\bookfigure{05-clipping-norms}{Left: the gradient norm $\Vert g_t\Vert_2$
at every step of a clean run (grey), with its 50th, 90th and 99th
percentiles over all clean runs (lines), and the norms of the spiked
batches of a spiked run (red).  Right: the histogram of the
\val{CLnormSteps} norms of the clean runs, logarithmic bins.}
Over the \val{CLnormSteps} steps of the clean runs the gradient norm has
median \val{CLpMedian}; the 1st and 99th percentiles are \val{CLpOne}
and \val{CLpNinetynine}, and the extremes \val{CLpMin} and \val{CLpMax}.
On the logarithmic scale of the histogram the distribution is nearly
symmetric: the 1st percentile lies a factor of \val{CLlowRatio} below the
median, the 99th a factor of \val{CLhighRatio} above it.  It also
drifts: the mean norm is \val{CLearly} in the first sixth of the steps
and \val{CLlate} in the last.  The largest entry has median
\val{CLinfMedian}.  So the thresholds of the following experiments are
|max_norm|${}=\val{CLpNinety}$ and $v=\val{CLvalue}$, each exceeded by one
clean step in ten.  The spikes are in another world: in the spiked runs
of the next part their norms were \val{CLspikeLo} to \val{CLspikeHi}
times the clean median (Figure~\figref{05-clipping-norms}), and no
threshold read off the clean distribution comes anywhere near them.

@*1 Spikes, with and without clipping.
Now the claim.  Six configurations, each trained from the same
\val{CLseeds} seeds: the clean runs; spiked runs without clipping;
spiked runs clipped by the 2-norm at |max_norm|, by the max-norm at $v$,
and by value at $v$; and clean runs clipped by the 2-norm at |max_norm|,
to see what the clipping costs when there is nothing to protect against.
Clipping by the max-norm and by value use the same threshold, so that the
difference between them is only the difference between scaling and
clamping.
@<Clipping: functions@>=
static const char *const spike_names[] = {"no spikes, no clipping",
  "spikes, no clipping", "spikes, norm", "spikes, max-norm", "spikes, value",
  "no spikes, norm"};
#define n_spike_cfg 6

@ The five new configurations run together; the clean runs come from
the norms experiment.
@<Clipping: experiments@>=
@<Clipping: the spike experiment's report@>@;
static void spikes_experiment(const struct chapter *o,
  const struct thresholds *th, const struct run_log *clean)
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds, C = n_spike_cfg - 1;
  struct run_spec *spec = xcalloc(C * S, sizeof *spec);
  for (size_t k = 0; k < S; k++) {
    spec[0 * S + k] = (struct run_spec)@[{clip_none, 0.0, train_lr, true, k}@];
    spec[1 * S + k] = (struct run_spec)@[{clip_norm2, th->max_norm, train_lr, true, k}@];
    spec[2 * S + k] = (struct run_spec)@[{clip_norminf, th->value, train_lr, true, k}@];
    spec[3 * S + k] = (struct run_spec)@[{clip_value, th->value, train_lr, true, k}@];
    spec[4 * S + k] = (struct run_spec)@[{clip_norm2, th->max_norm, train_lr, false, k}@];
  }
  struct run_log *lg = run_all(o, spec, C * S, "spikes");
  const struct run_log *cfg[n_spike_cfg] = {clean, lg, lg + S, lg + 2 * S,
    lg + 3 * S, lg + 4 * S};
  spikes_report(o, th, cfg);
  free(spec);
  logs_free(lg, C * S);
}

@ How much does a spike hurt?  The {\it jump\/} of one spike is the
test loss just after the spike step divided by the loss just before.
The report gives the geometric mean of the jumps over all spikes and
seeds, and the worst.  For the clean runs the same ratio, measured at the
same steps where no spike happens, shows the ordinary noise of one step.
@<Clipping: functions@>=
static double mean_jump(const struct cl_plan *pl, const struct run_log *lg,
  size_t seeds, double *worst)
{
  double s = 0.0;
  size_t n = 0;
  *worst = 0.0;
  for (size_t k = 0; k < seeds; k++)
    for (size_t i = 1; i < lg[k].npts; i++)
      if (spike_step(pl, lg[k].at[i] - 1)) {
        double r = lg[k].test[i] / lg[k].test[i - 1];
        s += log(r); n++;
        *worst = fmax(*worst, r);
      }
  return n ? exp(s / (double)n) : NAN;
}

@ How quickly does a clipped run recover?  At the evaluation after the
one that follows a spike, |eval_every| steps or fewer later, the test
loss of a run is compared with that of the clean run of the same seed at
the same point.  The function returns the geometric mean of the ratios
over all spikes and seeds, as a percentage excess.
@<Clipping: functions@>=
static double mean_excess(const struct cl_plan *pl,@/
  const struct run_log *lg, const struct run_log *clean, size_t seeds)
{
  double s = 0.0;
  size_t n = 0;
  for (size_t k = 0; k < seeds; k++)
    for (size_t i = 1; i < lg[k].npts && i < clean[k].npts; i++)
      if (lg[k].at[i - 1] > 0 && spike_step(pl, lg[k].at[i - 1] - 1)) {
        s += log(lg[k].test[i] / clean[k].test[i]);
        n++;
      }
  return n ? 100.0 * (exp(s / (double)n) - 1.0) : NAN;
}

@ The report writes to \.{spikes-loss.tsv} the mean test loss of each
configuration at every evaluation point, to \.{spikes-norms.tsv} the
norms of the first spiked runs, and a table.
@<Clipping: the spike experiment's report@>=
@<Clipping: the spike table@>@;
static void spikes_report(const struct chapter *o,@/
  const struct thresholds *th, const struct run_log *const cfg[])
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds;
  struct tsv *t = tsv_open(o->out, "spikes-loss.tsv",
    "step\tclean\tspiked\tnorm\tinf\tvalue\tcleannorm");
  for (size_t i = 0; i < cfg[0][0].npts; i++) {
    double row[1 + n_spike_cfg];
    row[0] = (double)cfg[0][0].at[i];
    for (int c = 0; c < n_spike_cfg; c++) row[1 + c] = mean_test(cfg[c], S, i);
    tsv_row(t, 1 + n_spike_cfg, row);
  }
  tsv_close(t);
  @<Clipping: write the norms of the spiked runs@>@;
  spike_table(o, cfg);
  @<Clipping: quote the spike norms@>@;
}

@ For each step of the first seed: whether it is a spike, the 2-norm
before clipping in the run clipped by norm, and the 2-norm after clipping
in the runs clipped by norm, by max-norm and by value.
@<Clipping: write the norms of the spiked runs@>=
t = tsv_open(o->out, "spikes-norms.tsv",
  "step\tspike\tnorm2\tpostnorm\tpostinf\tpostvalue");
for (size_t i = 0; i < pl->steps; i++)
  tsv_row(t, 6, (double[6])@[{(double)i, spike_step(pl, i) ? 1.0 : 0.0,
    cfg[2][0].norm2[i], cfg[2][0].post[i], cfg[3][0].post[i], cfg[4][0].post[i]}@]);
tsv_close(t);

@ Over all seeds, the spikes' 2-norms in the runs clipped by norm, as
multiples of the clean median, and the 2-norm that clipping by value let
through at the spike steps, as multiples of |max_norm|.
@<Clipping: quote the spike norms@>=
double slo = INFINITY, shi = 0.0, vlo = INFINITY, vhi = 0.0;
for (size_t k = 0; k < S; k++)
  for (size_t i = 0; i < pl->steps; i++)
    if (spike_step(pl, i)) {
      slo = fmin(slo, cfg[2][k].norm2[i]); shi = fmax(shi, cfg[2][k].norm2[i]);
      vlo = fmin(vlo, cfg[4][k].post[i]); vhi = fmax(vhi, cfg[4][k].post[i]);
    }
values_put(o->values, "CLspikeLo", "%.0f", slo / th->q2[5]);
values_put(o->values, "CLspikeHi", "%.0f", shi / th->q2[5]);
values_put(o->values, "CLvalPostLo", "%.0f", vlo);
values_put(o->values, "CLvalPostHi", "%.0f", vhi);
values_put(o->values, "CLvalPostRatio", "%.0f", vlo / th->max_norm);

@ Table~\tableref{05-spikes} has one row per configuration: the share of
steps clipped, the typical and worst jump, the final test loss (mean and
range over the seeds), the accuracy, and the dead hidden units out of
|train_hidden|.
@<Clipping: the spike table@>=
static void spike_table(const struct chapter *o, const struct run_log *const cfg[])
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds;
  char tab[2048] = "";
  int stopped = 0;
  printf("== spikes: one batch in %zu has pixels 0..255, %zu seeds\n", pl->spike_every, S);
  printf("%-23s %8s %9s %9s %8s %13s %7s %5s\n", "", "clipped", "jump", "worst",
         "loss", "(range)", "acc", "dead");
  for (int c = 0; c < n_spike_cfg; c++) {
    double acc, lo, hi, worst, dead = 0.0;
    double fin = mean_final(cfg[c], S, &acc, &lo, &hi);
    double jump = mean_jump(pl, cfg[c], S, &worst);
    double frac = clipped_fraction(cfg[c], S, pl->steps);
    for (size_t k = 0; k < S; k++) dead += cfg[c][k].dead;
    dead /= (double)S;
    @<Clipping: print and quote row |c| of the spike table@>@;
  }
  printf("runs stopped at a gradient that was not finite: %d\n\n", stopped);
  values_put(o->values, "CLspikeTable", "%s", tab);
  values_put(o->values, "CLstopped", "%d", stopped);
}

@ Each row goes to the standard output and to the \TeX\ table, and its
numbers to \.{values.tex} under the configuration's letter, with the
excess 24 steps after a spike.  Runs that stopped are counted.
@<Clipping: print and quote row |c|...@>=
printf("%-23s %7.1f%% %9.3f %9.3f %8.4f %6.3f-%-6.3f %6.1f%% %5.1f\n",
       spike_names[c], 100.0 * frac, jump, worst, fin, lo, hi, 100.0 * acc, dead);
appendf(tab, sizeof tab, "%s&%.1f\\%%&%.*f&%.*f&%.3f&%.3f--%.3f&%.1f\\%%&%.0f\\cr\n",
         spike_names[c], 100.0 * frac, jump < 10 ? 2 : 0, jump, worst < 10 ? 2 : 0,
         worst, fin, lo, hi, 100.0 * acc, dead);
values_letter(o->values, "CLjump", c, jump < 10 ? "%.2f" : "%.0f", jump);
values_letter(o->values, "CLworst", c, worst < 10 ? "%.2f" : "%.0f", worst);
values_letter(o->values, "CLloss", c, "%.3f", fin);
values_letter(o->values, "CLacc", c, "%.1f", 100.0 * acc);
values_letter(o->values, "CLdead", c, "%.0f", dead);
values_letter(o->values, "CLclipped", c, "%.0f", 100.0 * frac);
double excess = mean_excess(pl, cfg[c], cfg[0], S);
values_letter(o->values, "CLexcess", c, "%.1f", fabs(excess) < 0.05 ? 0.0 : excess);
for (size_t k = 0; k < S; k++) stopped += cfg[c][k].diverged;

@ The results are in Table~\tableref{05-spikes} and in
Figure~\figref{05-clipping-spikes}.
\booktable{05-spikes}{Six configurations, each trained from the same
\val{CLseeds} seeds, spiked runs with one batch in \val{CLspikeEvery}
as bytes $0..255$: the share of steps clipped, the jump of the test loss
across a spike (geometric mean and worst), the final test loss (mean and
range over the seeds), the test accuracy, and the dead hidden units
out of \val{CLhidden}.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\quad&\hfil#\cr
&steps&\multispan2\hfil jump of the loss\hfil\quad
  &\multispan2\hfil final test loss\hfil\quad&&dead\cr
&clipped&typical&worst&mean&range&accuracy&units\cr
\noalign{\smallskip\hrule\smallskip}
\CLspikeTable}}}

\bookfigure{05-clipping-spikes}{Test loss (on 500 test images, mean of
\val{CLseeds} seeds) during training, with one batch in 100 spiked at
the steps marked by thin vertical lines.  Left, on a logarithmic scale:
clean runs, spiked runs without clipping, spiked runs clipped by norm.
Right, on a linear scale: clean runs, and spiked runs clipped by norm,
by max-norm and by value.}

@ The claim held, and the unclipped runs did not diverge: they were
wrecked.  A spike multiplied the test loss by \val{CLjumpB} as a
geometric mean, and by \val{CLworstB} at worst.  After each spike the
loss came down again within a few dozen steps, but never to the clean
curve (Figure~\figref{05-clipping-spikes}), and the runs ended at test
loss \val{CLlossB} with \val{CLaccB}\% accuracy, against \val{CLaccA}\% for
the clean runs: a network that has lost much of what it had learned.  The
reason is in the last column: of the \val{CLhidden} hidden units,
\val{CLdeadB} on average no longer respond to any image.  The giant step
pushed their weights so far that their pre-activation is negative for
every input, and a dead ReLU passes no gradient, so nothing brings them
back.  No NaN appeared, and the number of runs that stopped at a
non-finite gradient is \val{CLstopped}; in a log of the training loss alone, a run like this looks like
one that has merely reached a plateau.

Clipped by norm at |max_norm|${}=\val{CLpNinety}$, the same runs survived.
Each spike still costs something, since the clipped step has full length
and the direction of a bad batch: the typical jump of the test loss at a
spike was \val{CLjumpC}, the worst \val{CLworstC}, against
\val{CLjumpA} for the step-to-step noise of the clean runs.
Twenty-four steps after a spike the test loss was \val{CLexcessC}\% above
that of the clean run with the same seed, and the final test loss,
\val{CLlossC}, is within the spread of the clean runs' (mean
\val{CLlossA}).  Clipping by the max-norm at $v$ did the same: jump
\val{CLjumpD}, \val{CLexcessD}\% after 24 steps, final loss
\val{CLlossD}.

Clipping by value at the same $v$ did not.  The spike's entries were
clamped, but a hundred thousand entries of size up to $v$ make a long
vector: at the spike steps the clipped gradient had 2-norm between
\val{CLvalPostLo} and \val{CLvalPostHi}, at least \val{CLvalPostRatio}
times |max_norm|, and it pointed along the sign vector of the bad batch.
The jumps were \val{CLjumpE} typically and \val{CLworstE} at worst,
\val{CLdeadE} hidden units died, and the final test loss of
\val{CLlossE} is far behind.  Clipping by value was active on
\val{CLclippedE}\% of all steps, although $v$ was chosen so that one
clean step in ten would reach it: the damaged network had larger
gradients.  To bring the spike steps down to |max_norm|, $v$ would have
to be about \val{CLvalPostRatio} times smaller, and at such thresholds
ordinary gradients are turned as well
(Figure~\figref{05-clipping-direction}).

Finally the cost on clean data: clipping by norm at the 90th percentile
was active on \val{CLclippedF}\% of the clean steps and ended at test
loss \val{CLlossF}, against \val{CLlossA} without it, a difference
smaller than the spread between seeds.  At this threshold, clipping is
insurance that costs nothing measurable.

@*1 Choosing the threshold.
How sensitive is this to the choice of |max_norm|?  The sweep trains
spiked runs clipped by norm at thresholds read off the clean
distribution: its 10th, 50th, 90th and 99th percentiles, its largest
value, and 10 and 100 times that, each from \val{CLsweepSeeds} seeds.
@<Clipping: experiments@>=
@<Clipping: the sweep's report@>@;
static void choose_experiment(const struct chapter *o,
  const struct thresholds *th, const struct run_log *clean)
{
  const struct cl_plan *pl = plan_of(o);
  size_t N = pl->sweep_n, S = pl->sweep_seeds;
  struct run_spec *spec = xcalloc(N * S, sizeof *spec);
  for (size_t j = 0; j < N; j++)
    for (size_t k = 0; k < S; k++)
      spec[j * S + k] = (struct run_spec)@[{clip_norm2,
        pl->sweep[j].times * th->q2[pl->sweep[j].q], train_lr, true, k}@];
  struct run_log *lg = run_all(o, spec, N * S, "choose");
  choose_report(o, th, spec, lg, clean);
  free(spec);
  logs_free(lg, N * S);
}

@ The report: \.{choose.tsv} has one row per threshold, with the share of
steps clipped and the final test loss and accuracy, averaged over the
seeds; the \TeX\ table the same; \.{choose-ref.tsv} has the clean runs'
final loss and the percentiles, for the figure.
@<Clipping: the sweep's report@>=
static void choose_report(const struct chapter *o, const struct thresholds *th,
  const struct run_spec *spec, const struct run_log *lg, const struct run_log *clean)
{
  const struct cl_plan *pl = plan_of(o);
  size_t N = pl->sweep_n, S = pl->sweep_seeds;
  struct tsv *t = tsv_open(o->out, "choose.tsv",
    "maxnorm\tpercentile\ttimes\tclipped\tloss\taccuracy");
  char tab[2048] = "";
  printf("== choose: spiked runs clipped by norm, %zu seeds each\n", S);
  for (size_t j = 0; j < N; j++) {
    @<Clipping: report threshold |j| of the sweep@>@;
  }
  tsv_close(t);
  double acc, lo, hi, ref = mean_final(clean, S, &acc, &lo, &hi);
  t = tsv_open(o->out, "choose-ref.tsv", "clean\tmedian\tninety\tlargest");
  tsv_row(t, 4, (double[4])@[{ref, th->q2[5], th->q2[7], th->q2[10]}@]);
  tsv_close(t);
  values_put(o->values, "CLchooseTable", "%s", tab);
  values_put(o->values, "CLsweepSeeds", "%zu", S);
  values_put(o->values, "CLsweepClean", "%.3f", ref);
  printf("(clean runs, same seeds: test loss %.4f)\n\n", ref);
}

@ One row of the sweep, quoted under the letter of its threshold.
@<Clipping: report threshold |j|...@>=
const struct sweep_point *p = &pl->sweep[j];
double acc, lo, hi, fin = mean_final(lg + j * S, S, &acc, &lo, &hi);
double frac = clipped_fraction(lg + j * S, S, pl->steps);
double m = spec[j * S].threshold;
tsv_row(t, 6, (double[6])@[{m, th->p[p->q], p->times, frac, fin, acc}@]);
printf("max_norm %9.4f (%g x p%g): clipped %5.1f%%, test loss %.4f (%.4f-%.4f), "@/
       "accuracy %.1f%%\n", m, p->times, th->p[p->q], 100 * frac, fin, lo, hi, 100 * acc);
if (p->q == n_pct - 1 && p->times == 1.0) appendf(tab, sizeof tab, "largest&");
else if (p->q == n_pct - 1) appendf(tab, sizeof tab, "$%g\\times{}$largest&", p->times);
else appendf(tab, sizeof tab, "percentile %g&", th->p[p->q]);
appendf(tab, sizeof tab, "%.3g&%.1f\\%%&%.3f&%.1f\\%%\\cr\n", m, 100 * frac,
         fin, 100 * acc);
values_letter(o->values, "CLsweepLoss", (int)j, "%.3f", fin);
values_letter(o->values, "CLsweepClip", (int)j, "%.0f", 100 * frac);

@ The sweep's results are in Table~\tableref{05-choose} and in
Figure~\figref{05-clipping-choose}.
\booktable{05-choose}{Spiked runs clipped by norm at thresholds read off
the distribution of the clean gradient norms, \val{CLsweepSeeds} seeds
each: the threshold, the share of steps clipped, and the final test
loss and accuracy, averaged over the seeds.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
threshold from the clean norms&|max_norm|&steps clipped&test loss&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\CLchooseTable}}}

\bookfigure{05-clipping-choose}{Final test loss of spiked runs clipped by
norm, against |max_norm| (mean of \val{CLsweepSeeds} seeds).  Dashed:
clean runs; the vertical lines mark the median, the 90th percentile and
the largest of the clean gradient norms.}
The curve has a wide, flat floor.  Clipped at the 90th and the 99th
percentile and at the largest clean norm, where clipping touches the
spikes and almost nothing else, the spiked runs ended at test loss
\val{CLsweepLossC}, \val{CLsweepLossD} and \val{CLsweepLossE}, against
\val{CLsweepClean} for clean runs from the same seeds.  Above the floor the spikes leak through: at ten
times the largest norm, the clipped spike step is still ten times longer
than any clean one, and the loss ends at \val{CLsweepLossF}; at a hundred
times, \val{CLsweepLossG}, on the way to the wrecked unclipped runs.
Below the floor, clipping is active on most steps---\val{CLsweepClipA}\%
at the 10th percentile---and the loss, \val{CLsweepLossA}, is somewhat
worse; the next part measures why.

The recipe that follows is simple, and the measurement says it is not
delicate.  Record the gradient norms (the value that |clip_grad_norm|
returns costs nothing extra) for a few hundred steps of a healthy run,
and set |max_norm| between the 90th percentile and the largest value
seen; clipping then stays off on nearly every ordinary step and caps
every spike at a length the run has already survived.  Watch the
returned norm during training: a run that is clipped on most steps has
a threshold below its typical norm, and is training with a different
learning rate (next part).  Because the norm drifts during training
(Figure~\figref{05-clipping-norms}), a fixed percentile of a pilot run
can become too low or too high later; adaptive rules that clip at a
percentile of the norms seen so far, such as AutoClip (Seetharaman
et~al., 2020), follow the drift, and are not measured here.

@*1 When clipping is always on.
If |max_norm| is below the typical gradient norm, every step is clipped,
and every step has length exactly $\eta$ times |max_norm|: the update becomes
$\eta\,m\,g/\Vert g\Vert$, {\it normalized\/} gradient descent.  Compared
with plain SGD at the same $\eta$ this is SGD with a per-step learning
rate $\eta_t=\eta\,m/\Vert g_t\Vert$, which is smaller on average, and
smaller still on steps with large gradients.  The tutorials warn that
always-active clipping has a cost; the question is whether it is more
than that of a smaller learning rate.

The experiment clips clean runs at a quarter of the median norm, so that
every step is clipped, and records the mean factor $\bar c$ of
$m/\Vert g_t\Vert$ over all steps.  Then two more configurations: plain
SGD without clipping at the learning rate $\eta\bar c$, the same average
step size; and clipping at the same low threshold with the learning rate
raised to $\eta\cdot\hbox{median}/m=4\eta$, so that a clipped step is as
long as a median unclipped one.
@<Clipping: experiments@>=
@<Clipping: the always-on experiment's report@>@;
static void always_experiment(const struct chapter *o,
  const struct thresholds *th, const struct run_log *clean)
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds;
  struct run_spec *spec = xcalloc(2 * S, sizeof *spec);
  for (size_t k = 0; k < S; k++)
    spec[k] = (struct run_spec)@[{clip_norm2, th->low, train_lr, false, k}@];
  struct run_log *low = run_all(o, spec, S, "always");
  @<Clipping: compute the mean factor $\bar c$ of the low runs@>@;
  for (size_t k = 0; k < S; k++) {
    spec[k] = (struct run_spec)@[{clip_none, 0.0, train_lr * cbar, false, k}@];
    spec[S + k] = (struct run_spec)@[{clip_norm2, th->low,
      train_lr * th->q2[5] / th->low, false, k}@];
  }
  struct run_log *more = run_all(o, spec, 2 * S, "always");
  const struct run_log *cfg[4] = {clean, low, more, more + S};
  always_report(o, th, cbar, cfg);
  free(spec);
  logs_free(low, S); logs_free(more, 2 * S);
}

@ The factor of a step is the ratio of the norms after and before
clipping.
@<Clipping: compute the mean factor...@>=
double cbar = 0.0;
for (size_t k = 0; k < S; k++)
  for (size_t i = 0; i < pl->steps; i++) cbar += low[k].post[i] / low[k].norm2[i];
cbar /= (double)(S * pl->steps);

@ The report writes the mean test losses to \.{always-loss.tsv}, and the
effective learning rate $\eta_t$ of the first low run, step by step, to
\.{always-rate.tsv}.
@<Clipping: the always-on experiment's report@>=
static void always_report(const struct chapter *o, const struct thresholds *th,
  double cbar, const struct run_log *const cfg[])
{
  const struct cl_plan *pl = plan_of(o);
  size_t S = pl->seeds;
  struct tsv *t = tsv_open(o->out, "always-loss.tsv",
    "step\tclean\tlow\tscaled\tnormalized");
  for (size_t i = 0; i < cfg[0][0].npts; i++) {
    double row[5] = {(double)cfg[0][0].at[i]};
    for (int c = 0; c < 4; c++) row[1 + c] = mean_test(cfg[c], S, i);
    tsv_row(t, 5, row);
  }
  tsv_close(t);
  t = tsv_open(o->out, "always-rate.tsv", "step\trate\tnorm2");
  for (size_t i = 0; i < pl->steps; i++)
    tsv_row(t, 3, (double[3])@[{(double)i,@/
      train_lr * cfg[1][0].post[i] / cfg[1][0].norm2[i],@/ cfg[1][0].norm2[i]}@]);
  tsv_close(t);
  @<Clipping: print and quote the always-on results@>@;
}

@ One line per configuration, and its numbers quoted under a letter.
@<Clipping: print and quote the always-on results@>=
static const char *const nm[] = {"clean", "low", "scaled", "normalized"};
printf("== always: max_norm %.4f (median/4), mean factor %.4f\n", th->low, cbar);
for (int c = 0; c < 4; c++) {
  double acc, lo, hi, fin = mean_final(cfg[c], S, &acc, &lo, &hi);
  double frac = clipped_fraction(cfg[c], S, pl->steps);
  printf("%-10s lr %.4f clipped %5.1f%%, test loss %.4f (%.4f-%.4f), accuracy %.1f%%\n",
         nm[c], cfg[c][0].spec.lr, 100 * frac, fin, lo, hi, 100 * acc);
  values_letter(o->values, "CLalways", c, "%.3f", fin);
  values_letter(o->values, "CLalwaysClip", c, "%.1f", 100 * frac);
  char name[32];
  snprintf(name, sizeof name, "CLalwaysRange%c", 'A' + c);
  values_put(o->values, name, "%.3f--%.3f", lo, hi);
}
printf("\n");
values_put(o->values, "CLcbar", "%.3f", cbar);
values_put(o->values, "CLscaledLr", "%.4f", train_lr * cbar);
values_put(o->values, "CLnormLr", "%.2f", train_lr * th->q2[5] / th->low);

@ Figure~\figref{05-clipping-always} shows the runs.
\bookfigure{05-clipping-always}{Clipping that is always active.  Left:
test loss (mean of \val{CLseeds} seeds) of clean runs without clipping
($\eta=0.1$), clipped at a quarter of the median norm ($\eta=0.1$),
unclipped at the mean effective rate $\eta\bar c$, and clipped at the
same threshold with $\eta=0.4$.  Right: the effective learning rate
$\eta\,m/\Vert g_t\Vert$ of one clipped run, step by step, and its mean.}
At $m=\val{CLlow}$ clipping was active on \val{CLalwaysClipB}\% of the
steps, and the mean factor was $\bar c=\val{CLcbar}$.  The clipped runs
ended at test loss \val{CLalwaysB}, against \val{CLalwaysA} for plain
SGD at the same $\eta$: the cost is real.  But plain SGD at
$\eta\bar c=\val{CLscaledLr}$, without any clipping, ended at
\val{CLalwaysC}, the same to within the seed-to-seed spread
(\val{CLalwaysRangeB} and \val{CLalwaysRangeC}), and the two curves
of Figure~\figref{05-clipping-always} lie on top of each other.  In
this run, always-active clipping behaved exactly like the smaller
learning rate that it implies.  Raising $\eta$ to \val{CLnormLr} to give the clipped steps their
median length brought the loss back to \val{CLalwaysD}, within the
spread of the unclipped runs (\val{CLalwaysRangeA}).  So the cost of
always-on clipping is the cost of an untuned learning rate: its effective
rate is $\eta\,m/\Vert g_t\Vert$, not $\eta$, and it moves as the norm
moves (right panel), which a learning-rate schedule would have to take
into account.  In this run normalized steps were not harmful in
themselves.  (With Adam, which divides each coordinate by its own running
scale, a common factor on the gradient should largely cancel; Exercise~6
asks how much remains.)

@ The other cost is time.  |clip_grad_norm| makes two passes over the
gradient, one for the norm and one to multiply (also by~1), whether or
not it clips; |clip_grad_value| makes one.  The timing experiment
measures the median time of |timing_reps| training steps of a session
($B=64$: the batch's forward and backward passes, the gradient's 2-norm
that the session measures on every step, and the SGD update) and of as
many calls of each clipping function on the fresh gradient, restored from a copy before each call so that every call sees
the same numbers.  Only in the full run: wall-clock times are not
reproducible, and the quick run must be.  The clock and the median
are the toolkit's |wall_seconds| and |quantile|.

@ The kinds of call that are timed: a step, and clipping by 2-norm
(not active, and active at half the norm), by max-norm, and by value.
@<Clipping: types@>=
enum { time_step, time_off, time_on, time_inf, time_value, n_timed };

@ The experiment interleaves the calls, so that a disturbance from
elsewhere on the machine hits all kinds alike.  Everything runs on one
thread, as each training run of this chapter does: the loop is the body
of a parallel region of one thread, inside which the network's own
parallel loops run on that thread alone.
@<Clipping: experiments@>=
@<Clipping: report the timing@>@;
static void timing_experiment(struct chapter *o)
{
  const struct cl_plan *pl = plan_of(o);
  if (pl->timing_reps == 0) return;
  struct session *S = new_session(o, 4, train_lr, 0.0);
  struct mlp *m = S->m;
  size_t n = m->nparams, R = (size_t)pl->timing_reps;
  float *g0 = vec_new(n);
  double *ts = xmalloc(n_timed * R * sizeof *ts);
  note("timing: %zu steps and clipping calls", R);
  @<Clipping: time |R| steps and calls of each kind, on one thread@>@;
  timing_report(o, ts, R, n);
  free(ts); vec_free(&g0); session_free(&S);
}

@ The loop is the body of a parallel region of one thread.
@<Clipping: time |R| steps...@>=
#pragma omp parallel num_threads(1)
for (size_t k = 0; k < R; k++) {
  @<Clipping: time one step and one call of each kind@>@;
}

@ A step, then the four clipping calls, each timed on its own and each
starting from the gradient of the step just taken.
@<Clipping: time one step and one call of each kind@>=
double t0 = wall_seconds();
session_step(S);
ts[time_step * R + k] = wall_seconds() - t0;
vec_copy(g0, m->grads, n);
double half = 0.5 * vec_norm2(g0, n);
t0 = wall_seconds(); clip_grad_norm(m->grads, n, 1e30, 2.0); ts[time_off * R + k] = wall_seconds() - t0;
vec_copy(m->grads, g0, n);
t0 = wall_seconds(); clip_grad_norm(m->grads, n, half, 2.0); ts[time_on * R + k] = wall_seconds() - t0;
vec_copy(m->grads, g0, n);
t0 = wall_seconds(); clip_grad_norm(m->grads, n, 1e30, INFINITY); ts[time_inf * R + k] = wall_seconds() - t0;
vec_copy(m->grads, g0, n);
t0 = wall_seconds(); clip_grad_value(m->grads, n, 1e30); ts[time_value * R + k] = wall_seconds() - t0;

@ The report gives each median, in seconds and as a fraction of the step.
@<Clipping: report the timing@>=
static void timing_report(const struct chapter *o, double *ts, size_t R, size_t n)
{
  static const char *const what[n_timed] = {"step", "norm2-inactive", "norm2-active",
    "norminf", "value"};
  static const char *const name[n_timed] = {"CLtStep", "CLtOff", "CLtOn", "CLtInf",@/
    "CLtValue"};
  double med[n_timed];
  for (int k = 0; k < n_timed; k++) med[k] = quantile(ts + k * R, R, 0.5);
  struct tsv *t = tsv_open(o->out, "timing.tsv", "what\tseconds\tfraction");
  printf("== timing: medians of %zu calls, B = %zu, %zu parameters\n",@/ R,
         plan_of(o)->batch, n);
  for (int k = 0; k < n_timed; k++) {
    tsv_printf(t, "%s\t%.6g\t%.6g\n", what[k], med[k], med[k] / med[time_step]);
    printf("%-15s %9.1f us  %6.2f%% of a step\n", what[k], 1e6 * med[k],
           100 * med[k] / med[time_step]);
    values_put(o->values, name[k], "%.0f", 1e6 * med[k]);
  }
  tsv_close(t);
  printf("\n");
  values_put(o->values, "CLtPercent", "%.1f", 100 * med[time_on] / med[time_step]);
  values_put(o->values, "CLtPercentValue", "%.1f", 100 * med[time_value] / med[time_step]);
}

@ A training step of $B=64$ took \val{CLtStep}~$\mu$s.
|clip_grad_norm| by the 2-norm took \val{CLtOn}~$\mu$s when it clipped and
\val{CLtOff}~$\mu$s when it did not---the same work, since the factor 1
is applied too---which is \val{CLtPercent}\% of a step;
by the max-norm it took \val{CLtInf}~$\mu$s, and |clip_grad_value|
\val{CLtValue}~$\mu$s (\val{CLtPercentValue}\%).  These are this
machine's numbers, on one core, and the comparison is not flattering to
clipping: the step's matrix products run in vector instructions, while
the 2-norm is summed in double precision one term after another, so that
its speed is set by the latency of an addition rather than by memory,
and the max-norm loop tests every entry for NaN with a branch, to return
NaN as PyTorch does.  Both are properties of the library's plain loops,
not of the norms: a vectorized maximum would take no longer than a
vectorized sum, and neither would cost more than one pass over the
gradient at memory speed, which is what the fused update of Chapter~9
achieves.  The ratio falls as the
batch grows: the cost of a step grows with the batch and with the work
per parameter, the cost of clipping only with the number of parameters.

@*1 Summary.
Two ways to clip, and they are not alike.  Clipping by norm rescales the
whole gradient, keeps its direction to within rounding, and bounds the
step; clipping by value clamps entries one by one, turns the gradient
toward its sign vector---a cosine of \val{CLdirCosA} after cutting only
\val{CLdirFracA}\% of the entries---and bounds the step only by
$v\sqrt n$.  PyTorch's version of the first adds $10^{-6}$ to the norm,
never scales up, multiplies by the factor even when it is 1, and turns
an infinite gradient into NaN rather than into a safe one: the returned
norm must be checked.

The claims of the tutorials both held, measured on a small network with
injected spikes (one batch in 100 with pixels 0..255).  Without clipping
the spikes did not make the loss diverge, but wrecked the network:
\val{CLdeadB} of \val{CLhidden} hidden units dead, test accuracy
\val{CLaccB}\%.  Clipped by norm at the 90th percentile of the clean
gradient norms, the runs ended where clean runs end (test loss
\val{CLlossC} against \val{CLlossA}); clipped by value at the
corresponding threshold, they did not (\val{CLlossE}).  Any |max_norm|
from the 90th percentile to the largest clean norm worked equally well.
Always-active clipping cost as much as the smaller learning rate
it amounts to, and its run time was \val{CLtPercent}\% of a step here.

@ The papers cited in this chapter, in the order of their appearance:
R.~Pascanu, T.~Mikolov and Y.~Bengio, ``On the difficulty of training
recurrent neural networks,'' ICML 2013;
P.~Seetharaman, G.~Wichern, B.~Pardo and J.~Le~Roux, ``AutoClip: adaptive
gradient clipping for source separation networks,'' IEEE MLSP 2020.

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, then change
the source as the exercise says, rebuild with \.{make}, and run
\.{build/bin/05-clipping --only NAME}.

\smallskip\item{1.} In the rules experiment, add the case $g=(0.6,0.8)$,
$m=1.000001$.  Predict the factor and the result to nine digits, then
check.  For which $m$ does a vector of norm exactly 1 come back
unchanged?

\item{2.} Change |spike_scale| to 10, a batch that was scaled wrongly
but not absurdly.  Predict, from Figure~\figref{05-clipping-norms},
whether such spikes are above the 99th percentile, and whether the
unclipped runs will still be wrecked.

\item{3.} Clip each of the two layers by its own norm instead of the
global norm: one call of |clip_grad_norm| per layer $l$, on the part of
|m->grads| that starts at |mlp_dweights(m, l)|, the layer's weights
followed by its biases.  Predict the cosine
between the per-layer clipped gradient and the original for a spike, and
whether the spiked runs still survive.

\item{4.} Give the optimizer momentum 0.9 (in |new_session|).  The momentum
buffer keeps a fraction of every gradient for many steps.  Predict what
happens to the unclipped spiked runs, and whether clipping the gradient
before the optimizer still protects them.

\item{5.} Replace the fixed |max_norm| by an adaptive one: at each step,
the 90th percentile of the norms seen so far in the run.  Predict how it
behaves in the first steps, and whether it catches the first spike.

\item{6.} Make the always-on runs use Adam (Chapter~3) with its default
rate.  Adam divides each coordinate by its own running scale, so a
common factor on the gradient almost cancels.  Predict the difference
between clipped and unclipped runs, and measure it.
