@q 08-regularization.w -- Chapter 8: regularization, initialization and the debugging ladder @>
@* Regularization, initialization and debugging.
\chaptervalues{08-regularization}%
\opener{08-regularization-init}{Where should a network start, and what keeps it from memorizing its training set? Below: how the signal fares through twenty layers at different initial scales.}
The optimizers of the earlier chapters minimize whatever loss they are
given, starting from whatever weights they are given.  This chapter is
about those two givens.  Where a network {\it starts\/} decides whether a
signal survives twenty layers at all; what the loss {\it rewards\/}
decides whether a network that fits its training set also fits images
it has never seen.  The tools are old and small: a scale for the initial
weights, weight decay, dropout, label smoothing and early stopping.
Each comes with a claim that tutorials repeat, and each claim is
measured here, on Fashion-MNIST, with the numbers the program printed.

The second half is about what to do when training does not work.
A training run that fails rarely says why: a wrong sign, a shuffled
label file or a learning rate a hundred times too large all produce the
same symptom, a loss that will not go down.  Karpathy's ``recipe for
training neural networks'' and the lore of every lab turn this into a
ladder of cheap checks, each run before the next: the initial loss; can
the network memorize one batch; a sweep of learning rates; the sizes of
activations and gradients, layer by layer; the gradient itself against
finite differences; and, when a NaN appears, where it came from.  The
chapter plants three real bugs and shows which rung catches each.  It
ends with the checkpoint: resuming a run exactly, against the common
shortcut of reloading only the weights.

@ The chapter is a program, \.{build/bin/08-regularization}, and every
number quoted here was printed by it when this book was built.  It runs
eight experiments, each selectable by \.{--only}: {\it init}, {\it
decay}, {\it dropout}, {\it smoothing}, {\it early}, {\it ladder}, {\it
gradcheck} and {\it resume}.  Its command line is that of every chapter;
\.{--quick} runs a much smaller version for the tests.  The networks are
small and the runs short, so that the whole program runs in seconds
during the build; every size is in the plan below, and a
reader who wants the larger runs changes the plan and runs it again.
The same seed gives the same bytes, however many threads run.

The chapter also adds to the library, in the file \.{reg.c} with the
header \.{descent-reg.h}, a label-smoothed cross-entropy, dropout, four
initializations, the expected calibration error and a
finite-difference check of a gradient.
@c
#include "descent.h"
@<Reg: the plan@>@;
@<Reg: helpers@>@;
@<Reg: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"init", init_experiment, true}@],@/
  @[{"decay", decay_experiment, true}@],@/
  @[{"dropout", dropout_experiment, true}@],@/
  @[{"smoothing", smoothing_experiment, true}@],@/
  @[{"early", early_experiment, true}@],@/
  @[{"ladder", ladder_experiment, true}@],@/
  @[{"gradcheck", gradcheck_experiment, true}@],@/
  @[{"resume", resume_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"08-regularization",@/
  "The experiments of chapter 8 of Descent: initialization, weight decay,\n"@/
  "dropout, label smoothing, early stopping, the debugging ladder and exact\n"@/
  "resume, on MLPs trained on Fashion-MNIST.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@*1 The library part.
Six pieces that other programs may want go into the library.
They are |xent_smooth|, cross-entropy with label smoothing;
|dropout_mask|;
|mlp_init_scheme|, four ways to draw initial weights; |calibration|,
the expected calibration error with its reliability table;
|grad_check|, a finite-difference check of any gradient; and a small
network with dropout, |struct dropnet|, that trains an MLP of the library
with dropout between its layers.  The header stands alone: it declares
the structures it points to and includes nothing else of the library.
@(descent-reg.h@>=
#ifndef DESCENT_REG_H
#define DESCENT_REG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct mlp;
struct rng;
@<Reg: public declarations@>@;
#endif

@ The implementation file.
@(reg.c@>=
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Reg: library functions@>@;

@*1 Initialization.
A layer with $n$ inputs computes $z=\sum_{p=1}^n w_ph_p+b$.  With
independent weights of mean zero and variance $\sigma^2$, independent of
the inputs, the variance of $z$ is $n\sigma^2$ times the mean square of
the inputs, $E[h^2]$.  A rectifier then keeps half of a symmetric $z$'s
mean square.  So each layer multiplies the mean square of the signal by
$$\rho={n\sigma^2\over2},$$
and twenty layers multiply it by $\rho^{20}$.  Only $\rho=1$, which is
$\sigma^2=2/n$, keeps the signal's size: that is He initialization
(He et al., 2015), the library's default (Appendix~A, part~3).  The
same argument, run backward, gives the gradients' sizes, with the
number of outputs in place of $n$.  Glorot and Bengio (2010) compromised
between the two directions, $\sigma^2=2/(n_{\rm in}+n_{\rm out})$; they
derived it for symmetric activations like $\tanh$, for which no factor
of~2 is lost, and with a rectifier and equal widths it gives $\rho=1/2$.
@^He initialization@>
@^Xavier initialization@>
@^Glorot initialization@>

Two naive choices bracket these.  $N(0,1)$, a ``standard'' normal, gives
$\rho=n/2$, which is 64 for a layer of 128 inputs; $N(0,0.01^2)$, the
small random numbers of early papers, gives $\rho=0.0064$.  And
PyTorch's default for \.{nn.Linear} is neither: it calls
\.{kaiming\_uniform\_(w, a=}$\sqrt5$\.{)}, whose gain
$\sqrt{2/(1+a^2)}=\sqrt{1/3}$ and bound ${\rm gain}\cdot\sqrt{3/n}$ come to
weights uniform on $[-1/\sqrt n,1/\sqrt n]$, variance $1/(3n)$, so
$\rho=1/6$; its bias is uniform on the same interval, which He's and
Glorot's schemes leave at zero.
@^PyTorch compatibility@>

@ The schemes, by name.  |sigma| is used only by |init_normal|.
@<Reg: public declarations@>=
enum init_scheme { init_he, init_xavier, init_normal, init_torch };
void mlp_init_scheme(struct mlp *m, enum init_scheme s, double sigma, struct rng *r);

@ Each weight matrix is drawn row by row, layer after layer, as
|mlp_init| draws it; PyTorch's default then draws the bias of each layer
after its weights, as \.{nn.Linear.reset\_parameters} does.  A uniform
number on $[-a,a)$ is $a(2u-1)$ with $u$ uniform on $[0,1)$.
@<Reg: library functions@>=
void mlp_init_scheme(struct mlp *m, enum init_scheme s, double sigma, struct rng *r)
{
  assert(m && r);
  for (size_t l = 0; l < m->nlayers; l++) {
    size_t in = m->sizes[l], out = m->sizes[l + 1];
    float *w = mlp_weights(m, l), *b = mlp_bias(m, l);
    double std = s == init_he ? sqrt(2.0 / (double)in)
      : s == init_xavier ? sqrt(2.0 / (double)(in + out)) : sigma;
    double bound = 1.0 / sqrt((double)in);
    for (size_t i = 0; i < out * in; i++)
      w[i] = (float)(s == init_torch ? bound * (2.0 * rng_uniform(r) - 1.0)
                                     : std * rng_normal(r));
    for (size_t j = 0; j < out; j++)
      b[j] = s == init_torch ? (float)(bound * (2.0 * rng_uniform(r) - 1.0)) : 0.0f;
  }
}

@*1 Label smoothing.
Cross-entropy with one-hot targets rewards a network for pushing the
right logit ever further above the others: the loss
$-\log p_y$ reaches zero only as $p_y\to1$, which needs an infinite
margin.  Label smoothing (Szegedy et al., 2016) replaces the one-hot
target by a mixture with the uniform distribution over the $K$ classes:
$q_k=(1-\varepsilon)[k=y]+\varepsilon/K$.  The loss of one example is
the cross-entropy against $q$,
$$\ell=-\sum_k q_k\log p_k=(1-\varepsilon)(-\log p_y)
  +\varepsilon\cdot{1\over K}\sum_k(-\log p_k),$$
which is exactly what \.{torch.nn.functional.cross\_entropy(z, y,
label\_smoothing=}$\varepsilon$\.{)} computes (PyTorch~1.13): the
negative log-likelihood weighted by $1-\varepsilon$ plus $\varepsilon$
times the mean over the classes of $-\log p_k$.  Its gradient with
respect to the logits is as simple as the plain one's,
$$\partial\ell/\partial z_k=p_k-q_k,$$
because $\sum_kq_k=1$.  The minimum is now at $p=q$: a logit gap of
$\log\bigl((1-\varepsilon+\varepsilon/K)/(\varepsilon/K)\bigr)$, finite.
With $\varepsilon=0$ this is plain cross-entropy; with $\varepsilon=1$
the target is uniform and the label is ignored.
@^label smoothing@>
@^PyTorch compatibility@>

@ |xent_smooth| returns the mean loss of a batch of $B$ rows of $K$
logits and, if |dlogits| is not null, writes its gradient ($B\times K$),
divided by $B$ as the mean demands.  The program \.{replay} of Appendix~B
exposes it as \.{replay loss xent --label-smoothing X}, one example per
line, and \.{make check} compares it with PyTorch: on committed
reference vectors (\.{tests/ref/loss-xent.txt} and
\.{tests/ref/xent-smooth.dat}, written by \.{tools/make-xent-ref.py}),
and on random logits, targets and smoothing values drawn afresh at every
run, with logits up to $10^4$ in size.
@<Reg: public declarations@>=
double xent_smooth(const float *logits, const uint8_t *y, size_t B, size_t K,
                   double eps, float *dlogits);

@ The log-probabilities are formed as the library's |softmax_xent| forms
them, after subtracting the row's largest logit $\mu$:
$\log p_k=z_k-\mu-\log s$ with $s=\sum_je^{z_j-\mu}$, in double, so that
logits of size $10^4$, where $e^z$ overflows, give finite results.  The
mean of $-\log p_k$ over the classes is $\mu+\log s-\bar z$, with $\bar z$
the mean logit.
@^log-sum-exp@>
@<Reg: library functions@>=
double xent_smooth(const float *logits, const uint8_t *y, size_t B, size_t K,
                   double eps, float *dlogits)
{
  assert(logits && y && B > 0 && K > 0 && eps >= 0.0 && eps <= 1.0);
  double total = 0.0;
  for (size_t i = 0; i < B; i++) {
    const float *z = logits + i * K;
    assert(y[i] < K);
    double mu = z[0], s = 0.0, zbar = 0.0;
    for (size_t k = 1; k < K; k++) if (z[k] > mu) mu = z[k];
    for (size_t k = 0; k < K; k++) { s += exp((double)z[k] - mu); zbar += z[k]; }
    double lse = mu + log(s);
    @q solution xent_smooth_loss: total += 0.0 * (lse + zbar + eps); @>
    total += (1.0 - eps) * (lse - z[y[i]]) + eps * (lse - zbar / (double)K);
    @q end solution @>
    if (dlogits) @<Reg: write the smoothed gradient of row |i|@>;
  }
  return total / (double)B;
}

@ The target puts $1-\varepsilon+\varepsilon/K$ on the label and
$\varepsilon/K$ on every other class.
@<Reg: write the smoothed gradient...@>=
{
  @q solution xent_smooth_grad: (void)s; @>
  for (size_t k = 0; k < K; k++) {
    double q = eps / (double)K + (k == y[i] ? 1.0 - eps : 0.0);
    dlogits[i * K + k] = (float)((exp((double)z[k] - mu) / s - q) / (double)B);
  }
  @q end solution @>
}

@*1 Calibration.
A classifier is {\it calibrated\/} when its confidence means what it
says: of the images it labels with confidence 0.8, about 80\% are right.
The usual measure (Guo et al., 2017) sorts the $n$ predictions by their
confidence $c_i=\max_kp_{ik}$ into $M$ bins of equal width on $[0,1]$,
and averages the gap between accuracy and confidence over the bins,
weighted by their sizes:
$${\rm ECE}=\sum_{b=1}^M{n_b\over n}\,\bigl\vert{\rm acc}_b-{\rm conf}_b\bigr\vert,$$
where ${\rm acc}_b$ is the fraction right and ${\rm conf}_b$ the mean
confidence of the $n_b$ predictions in bin~$b$.  A plot of ${\rm acc}_b$
against ${\rm conf}_b$ is a {\it reliability diagram}; a calibrated
model lies on its diagonal.  Bin $b$ (counting from 0) holds the
confidences in $(b/M,(b+1)/M]$, and a confidence of exactly 0 goes to
the first bin.
@^expected calibration error@>
@^reliability diagram@>

@ |calibration| takes the confidences and whether each prediction was
right; it returns the ECE and, if the arrays are not null, fills the
$M$ bins' mean confidence, accuracy and count (an empty bin gets NaN).
@<Reg: public declarations@>=
double calibration(const double *conf, const bool *right, size_t n, size_t M,
                   double *bin_conf, double *bin_acc, size_t *bin_n);

@ Sums in double, bin by bin.
@<Reg: library functions@>=
double calibration(const double *conf, const bool *right, size_t n, size_t M,
                   double *bin_conf, double *bin_acc, size_t *bin_n)
{
  assert(conf && right && n > 0 && M > 0);
  double *sc = xcalloc(2 * M, sizeof *sc), *sa = sc + M, ece = 0.0;
  size_t *cnt = xcalloc(M, sizeof *cnt);
  for (size_t i = 0; i < n; i++) {
    double b = ceil(conf[i] * (double)M) - 1.0;
    size_t k = b < 0.0 ? 0 : b >= (double)M ? M - 1 : (size_t)b;
    sc[k] += conf[i]; sa[k] += right[i]; cnt[k]++;
  }
  for (size_t k = 0; k < M; k++) {
    double c = cnt[k] ? sc[k] / (double)cnt[k] : NAN, a = cnt[k] ? sa[k] / (double)cnt[k] : NAN;
    if (cnt[k]) ece += (double)cnt[k] / (double)n * fabs(a - c);
    if (bin_conf) bin_conf[k] = c;
    if (bin_acc) bin_acc[k] = a;
    if (bin_n) bin_n[k] = cnt[k];
  }
  free(sc); free(cnt);
  return ece;
}

@*1 Dropout.
Dropout (Srivastava et al., 2014) sets each hidden activation to zero
with probability $p$ during training, independently for every unit and
every example, and multiplies the survivors by $1/(1-p)$.  The scaling
keeps the expected activation unchanged, $E[m h]=(1-p)\cdot h/(1-p)=h$,
so that at evaluation, when dropout is switched off, the next layer sees
inputs of the size it was trained on.  This ``inverted'' dropout is what
\.{torch.nn.Dropout} does; the original paper instead scaled the weights
by $1-p$ at test time, which is the same in expectation.  Switching it
off is PyTorch's \.{model.eval()}; forgetting the call leaves the
network dropping units while it is evaluated.
@^dropout@>
@^PyTorch compatibility@>

A mask is drawn one uniform number per unit: the unit survives when the
number is at least $p$, and its mask value is then $1/(1-p)$, rounded
to |float| once.
@<Reg: public declarations@>=
void dropout_mask(float *mask, size_t n, double p, struct rng *r);

@ With $p=0$ every unit survives with mask value exactly 1.
@<Reg: library functions@>=
void dropout_mask(float *mask, size_t n, double p, struct rng *r)
{
  assert(mask && r && p >= 0.0 && p < 1.0);
  @q solution dropout_mask: (void)p; (void)r; for (size_t i = 0; i < n; i++) mask[i] = 1.0f; @>
  float keep = (float)(1.0 / (1.0 - p));
  for (size_t i = 0; i < n; i++) mask[i] = rng_uniform(r) >= p ? keep : 0.0f;
  @q end solution @>
}

@ The library's MLP (Appendix~A, part~3) has no place for a mask
between its layers, so a network with dropout is a second pair of passes
over the same weights: |struct dropnet| borrows an MLP, keeps its own
caches, and writes the MLP's |grads|.  Dropout acts on the output of
every hidden layer, after the rectifier, never on the input or the
logits.  Its forward pass takes a generator; a null one means
evaluation, with dropout off.
@<Reg: public declarations@>=
struct dropnet {
  struct mlp *m;       /* borrowed */
  double p;            /* the dropout probability */
  size_t cap, batch;   /* rows the caches hold; rows of the last pass */
  bool train;          /* the last forward pass dropped units */
  float **h;           /* |h[l]|: the input of layer $l$, after dropout; |h[L]|: logits */
  float *g[2], *dz;    /* gradients flowing back; $\partial L/\partial z$ of the logits */
  float *wt;           /* scratch: $W_l^{\top}$ */
};
struct dropnet *dropnet_new(struct mlp *m, double p);
const float *dropnet_forward(struct dropnet *d, const float *x, size_t B, struct rng *r);
double dropnet_loss_grad(struct dropnet *d, const float *x, const uint8_t *y, size_t B,
                         double eps, struct rng *r);
void dropnet_free(struct dropnet **d);

@ The caches grow to the largest batch, as the MLP's do.
@<Reg: library functions@>=
struct dropnet *dropnet_new(struct mlp *m, double p)
{
  assert(m && p >= 0.0 && p < 1.0);
  struct dropnet *d = xcalloc(1, sizeof *d);
  d->m = m; d->p = p;
  d->h = xcalloc(m->nlayers + 1, sizeof *d->h);
  size_t wmax = 0;
  for (size_t l = 0; l < m->nlayers; l++)
    if (m->sizes[l] * m->sizes[l + 1] > wmax) wmax = m->sizes[l] * m->sizes[l + 1];
  d->wt = xmalloc(wmax * sizeof(float));
  return d;
}
static void dropnet_reserve(struct dropnet *d, size_t B)
{
  if (B <= d->cap) return;
  size_t widest = 0;
  for (size_t l = 0; l <= d->m->nlayers; l++) {
    free(d->h[l]);
    d->h[l] = xmalloc(B * d->m->sizes[l] * sizeof(float));
    if (d->m->sizes[l] > widest) widest = d->m->sizes[l];
  }
  for (int t = 0; t < 2; t++) { free(d->g[t]); d->g[t] = xmalloc(B * widest * sizeof(float)); }
  free(d->dz); d->dz = xmalloc(B * widest * sizeof(float));
  d->cap = B;
}
void dropnet_free(struct dropnet **dp)
{
  struct dropnet *d = *dp;
  if (!d) return;
  for (size_t l = 0; l <= d->m->nlayers; l++) free(d->h[l]);
  free(d->h); free(d->wt); free(d->g[0]); free(d->g[1]); free(d->dz); free(d); *dp = NULL;
}

@ The forward pass computes $Z=HW^{\top}+{\bf 1}b^{\top}$ as the MLP's
does: row $i$ of $Z$ is a sum of the rows of $W^{\top}$, the $p$-th
weighted by $h_{ip}$, added in the order $p=0,1,\ldots$ in |float|, and
the bias last.  $W^{\top}$ is formed in the scratch |wt|.  Then come the
rectifier and, when training, the mask.
@<Reg: library functions@>=
const float *dropnet_forward(struct dropnet *d, const float *x, size_t B, struct rng *r)
{
  struct mlp *m = d->m;
  dropnet_reserve(d, B);
  d->batch = B; d->train = r != NULL && d->p > 0.0;
  memcpy(d->h[0], x, B * m->sizes[0] * sizeof(float));
  for (size_t l = 0; l < m->nlayers; l++) {
    size_t in = m->sizes[l], out = m->sizes[l + 1];
    const float *w = mlp_weights(m, l), *b = mlp_bias(m, l), *h = d->h[l];
    float *z = d->h[l + 1];
    for (size_t j = 0; j < out; j++)
      for (size_t p = 0; p < in; p++) d->wt[p * out + j] = w[j * in + p];
    for (size_t i = 0; i < B; i++) {
      float *zi = z + i * out;
      for (size_t j = 0; j < out; j++) zi[j] = 0.0f;
      for (size_t p = 0; p < in; p++)
        for (size_t j = 0; j < out; j++) zi[j] += h[i * in + p] * d->wt[p * out + j];
      for (size_t j = 0; j < out; j++) zi[j] += b[j];
    }
    if (l + 1 < m->nlayers) @<Reg: rectify |z| and drop units when training@>;
  }
  return d->h[m->nlayers];
}

@ The mask is drawn into the gradient scratch, which the forward pass
does not otherwise use.
@<Reg: rectify |z|...@>=
{
  for (size_t i = 0; i < B * out; i++) z[i] = z[i] < 0.0f ? 0.0f : z[i];
  if (d->train) {
    dropout_mask(d->g[0], B * out, d->p, r);
    for (size_t i = 0; i < B * out; i++) z[i] *= d->g[0][i];
  }
}

@ The backward pass is the MLP's, with one more factor.  The gradient
reaching a hidden unit passes through its mask as it passed forward:
times $1/(1-p)$ if it survived, zero if it was dropped or if the
rectifier had cut it.  Both zeros are visible in the cached $h$, which
is positive exactly for the units that were on and kept, so no mask
needs to be stored.
@<Reg: library functions@>=
static void dropnet_backward(struct dropnet *d, const float *dz, size_t B)
{
  struct mlp *m = d->m;
  float scale = d->train ? (float)(1.0 / (1.0 - d->p)) : 1.0f;
  const float *g = dz;
  for (size_t l = m->nlayers; l-- > 0; ) {
    size_t in = m->sizes[l], out = m->sizes[l + 1];
    const float *h = d->h[l], *w = mlp_weights(m, l);
    @<Reg: the weight and bias gradients of layer |l|@>@;
    if (l == 0) break;
    float *gh = g == d->g[0] ? d->g[1] : d->g[0];
    @<Reg: the gradient with respect to |h[l]|, through mask and rectifier@>@;
    g = gh;
  }
}

@ $\partial L/\partial W=G^{\top}H$ and $\partial L/\partial b=G^{\top}{\bf 1}$,
accumulated over the rows in order.
@<Reg: the weight and bias gradients...@>=
float *dw = mlp_dweights(m, l), *db = mlp_dbias(m, l);
memset(dw, 0, out * in * sizeof(float));
memset(db, 0, out * sizeof(float));
for (size_t i = 0; i < B; i++)
  for (size_t j = 0; j < out; j++) {
    float gij = g[i * out + j];
    db[j] += gij;
    for (size_t p = 0; p < in; p++) dw[j * in + p] += gij * h[i * in + p];
  }

@ $\partial L/\partial H=GW$, then the mask.
@<Reg: the gradient with respect to |h[l]|...@>=
memset(gh, 0, B * in * sizeof(float));
for (size_t i = 0; i < B; i++)
  for (size_t j = 0; j < out; j++) {
    float gij = g[i * out + j];
    for (size_t p = 0; p < in; p++) gh[i * in + p] += gij * w[j * in + p];
  }
for (size_t i = 0; i < B * in; i++) gh[i] = h[i] > 0.0f ? gh[i] * scale : 0.0f;

@ One training step's worth: forward with dropout, the smoothed loss,
backward.  It returns the mean loss of the batch.
@<Reg: library functions@>=
double dropnet_loss_grad(struct dropnet *d, const float *x, const uint8_t *y, size_t B,
                         double eps, struct rng *r)
{
  const float *z = dropnet_forward(d, x, B, r);
  double loss = xent_smooth(z, y, B, d->m->sizes[d->m->nlayers], eps, d->dz);
  dropnet_backward(d, d->dz, B);
  return loss;
}

@*1 Checking a gradient.
A gradient computed by hand can be checked against the definition of a
derivative.  The central difference
$${L(\theta+he_i)-L(\theta-he_i)\over2h}={\partial L\over\partial\theta_i}
  +O(h^2)$$
needs two evaluations of the loss per coordinate, far too many to use
for training and few enough to test a sample of coordinates.  In
|float|, $h$ cannot be small: the loss itself is known only to about
$10^{-7}$ of its size, and that error is divided by $2h$.  And a
rectifier has a kink at zero that a step of size $h$ may cross.  So
the comparison is not coordinate by coordinate but over the sample as a
whole, by the relative error
$$r={\Vert a-n\Vert\over\Vert a\Vert+\Vert n\Vert},$$
with $a$ the analytic and $n$ the numerical gradient on the sampled
coordinates: $r=0$ for agreement, $r=1$ for a gradient of the wrong
sign, and noise and kinks give values far below that.
@^gradient checking@>
@^finite differences@>

@ |grad_check| probes |nprobe| coordinates drawn from $[0,n)$ (all of
them if |nprobe| is at least $n$), perturbing |x| in place and restoring
it; |loss| evaluates the loss at the current |x|.  The step actually
taken is $(x_i+h)-(x_i-h)$ as rounded to |float|, not $2h$.
@<Reg: public declarations@>=
double grad_check(float *x, const float *grad, size_t n, size_t nprobe, double h,
                  double (*loss)(void *ctx), void *ctx, struct rng *r);

@ The sums are in double.
@<Reg: library functions@>=
double grad_check(float *x, const float *grad, size_t n, size_t nprobe, double h,
                  double (*loss)(void *ctx), void *ctx, struct rng *r)
{
  assert(x && grad && n > 0 && h > 0.0 && loss && r);
  double dd = 0.0, aa = 0.0, nn = 0.0;
  size_t count = nprobe < n ? nprobe : n;
  for (size_t k = 0; k < count; k++) {
    size_t i = nprobe < n ? rng_below(r, (uint32_t)n) : k;
    float save = x[i], up = (float)(save + h), down = (float)(save - h);
    x[i] = up;   double lp = loss(ctx);
    x[i] = down; double lm = loss(ctx);
    x[i] = save;
    double num = (lp - lm) / ((double)up - (double)down), a = grad[i];
    dd += (a - num) * (a - num); aa += a * a; nn += num * num;
  }
  double den = sqrt(aa) + sqrt(nn);
  return den > 0.0 ? sqrt(dd) / den : 0.0;
}

@*1 The plan.
@<Reg: the plan@>=
struct rg_plan {
  size_t init_depth, init_width, init_batch;  /* the deep network of {\it init} */
  size_t hidden, batch, seeds;                /* the runs that train */
  size_t sub_n, val_n, test_n;                /* small training subset, validation, test */
  size_t steps;                               /* steps of a run of {\it decay}, {\it dropout}, {\it smoothing} */
  size_t early_epochs, patience, tiny_hidden;
  size_t sweep_steps, onebatch_steps, resume_steps;
};
static const struct rg_plan full_plan = @[{20, 128, 128, 48, 32, 5, 1000, 1000, 2000,@/
  600, 40, 5, 3, 40, 150, 600}@];
static const struct rg_plan quick_plan = @[{6, 32, 32, 16, 16, 2, 64, 64, 64,@/
  40, 6, 2, 2, 10, 30, 40}@];
static const struct rg_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }

@ The full plan, which the book's run uses: the {\it init\/}
network has |init_depth| layers of |init_width| units and is measured on
a batch of |init_batch| test images.  Every run that trains uses an MLP
$784\to|hidden|\to10$, mini-batches of |batch| images, and |seeds| seeds
where a spread is reported; the regularization runs train on the first
|sub_n| training images, small enough that the network can memorize
them, validate on the |val_n| images that follow them, and report on the
first |test_n| test images.  The sizes checked before anything is
written:
@<Reg: helpers@>=
static void check_sizes(const struct chapter *ch)
{
  static const char *const names[] = @[{"init", "decay", "dropout", "smoothing", "early",
                                      "ladder", "gradcheck", "resume"}@];
  const struct rg_plan *pl = plan_of(ch);
  size_t ntest = pl->test_n > pl->init_batch ? pl->test_n : pl->init_batch;
  for (int k = 0; k < 8; k++) chapter_need(ch, names[k], pl->sub_n + pl->val_n, ntest);
}

@ Views of the data: the first |n| rows of a set, or |n| rows starting
at |from|.  A view shares the set's arrays and is never freed.
@<Reg: helpers@>=
static struct dataset view_of(const struct dataset *d, size_t from, size_t n)
{
  struct dataset v = *d;
  v.x = d->x + from * d->dim; v.y = d->y + from; v.n = n;
  return v;
}

@ A training run is a session of the library (Appendix~A, part~4), plus
what this chapter adds to a step: dropout, label smoothing, and the
planted bugs of the debugging ladder.  |reg_run| bundles them.
@<Reg: helpers@>=
struct recipe {
  double p_drop, eps;    /* dropout probability; label smoothing */
  bool flip_sign;        /* planted bug: the loss's gradient with the wrong sign */
};
struct reg_run {
  struct session *S;
  struct dropnet *d;     /* null without dropout */
  struct recipe rc;
  float *dz;             /* $\partial L/\partial z$ for the runs without dropout */
  struct rng gen;        /* dropout's masks */
};

@ A run is created from the chapter's seed and a stream: runs with the
same stream start from the same weights and see the same batches.
@<Reg: helpers@>=
static struct reg_run run_new(const struct chapter *ch, const struct dataset *train,
  uint64_t stream, size_t hidden, const char *opt, double lr, double wd,
  bool no_decay_bias, struct recipe rc)
{
  const struct rg_plan *pl = plan_of(ch);
  struct rng r;
  rng_seed(&r, ch->seed, stream);
  struct session_config c = @[{.nlayers = 2, .sizes = {train->dim, hidden, train->classes},@/
    .opt_name = opt, .no_decay_bias = no_decay_bias, .batch = pl->batch,
    .seed = rng_u64(&r), .world = 1}@];
  opt_defaults(opt, &c.opt);
  c.opt.lr = lr; c.opt.weight_decay = wd;
  char msg[256];
  struct reg_run R = @[{.rc = rc}@];
  if (!(R.S = session_new(&c, train, msg, sizeof msg))) die("%s", msg);
  rng_seed(&R.gen, rng_u64(&r), 0);
  if (rc.p_drop > 0.0) R.d = dropnet_new(R.S->m, rc.p_drop);
  R.dz = vec_new(pl->batch * train->classes);
  return R;
}
static void run_free(struct reg_run *R)
{
  dropnet_free(&R->d); session_free(&R->S); vec_free(&R->dz);
}

@ A step gathers the session's next batch, as |session_backward| does,
but takes the loss and gradient itself; the session's own update then
steps the optimizer.  Dropout draws its masks from a generator of the
run's own, |gen|, seeded from the same stream as the session.
@<Reg: helpers@>=
static double run_step(struct reg_run *R)
{
  struct session *S = R->S;
  size_t B = S->c.batch, K = S->train->classes;
  dataset_gather(S->train, sampler_next(&S->smp), B, S->xb, S->yb);
  if (R->d) S->loss = dropnet_loss_grad(R->d, S->xb, S->yb, B, R->rc.eps, &R->gen);
  else {
    const float *z = mlp_forward(S->m, S->xb, B);
    S->loss = xent_smooth(z, S->yb, B, K, R->rc.eps, R->dz);
    if (R->rc.flip_sign) vec_scale(R->dz, -1.0f, B * K);
    mlp_backward(S->m, R->dz, B);
  }
  session_update(S);
  return S->loss;
}

@ Evaluation of the plain kind is the MLP's.  The network with dropout
is evaluated by its own forward pass, with a generator when
``\.{eval()} was forgotten''.
@<Reg: helpers@>=
static double accuracy_of(struct reg_run *R, const struct dataset *d, struct rng *drop)
{
  double acc;
  if (!R->d || !drop) { mlp_evaluate(R->S->m, d, &acc); return acc; }
  size_t K = d->classes, right = 0;
  for (size_t i = 0; i < d->n; i += 500) {
    size_t B = d->n - i < 500 ? d->n - i : 500;
    const float *z = dropnet_forward(R->d, d->x + i * d->dim, B, drop);
    for (size_t b = 0; b < B; b++) {
      size_t best = 0;
      for (size_t k = 1; k < K; k++) if (z[b * K + k] > z[b * K + best]) best = k;
      right += best == d->y[i + b];
    }
  }
  return (double)right / (double)d->n;
}

@*1 Experiment: activations through depth.
The first experiment builds the network that the argument at the start
of this chapter's part on initialization is about: |init_depth| layers, every hidden one
|init_width| wide, and puts one batch of test images through it under
each scheme.  It records, layer by layer, the root mean square of the
activations $H_l$ (and of the logits at the top) and of the weight
gradients $\partial L/\partial W_l$, and the initial loss.
@<Reg: experiments@>=
static const char *const scheme_name[] = @[{"he", "xavier", "normal1", "normal001", "torch"}@];
static void init_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  size_t L = pl->init_depth, *sizes = xcalloc(L + 1, sizeof *sizes);
  sizes[0] = ch->test->dim; sizes[L] = ch->test->classes;
  for (size_t l = 1; l < L; l++) sizes[l] = pl->init_width;
  struct mlp *m = mlp_new(L, sizes);
  double *act = xcalloc(5 * (L + 1), sizeof *act), *grad = xcalloc(5 * L, sizeof *grad);
  double loss[5];
  for (int s = 0; s < 5; s++) @<Reg: measure scheme |s|@>;
  @<Reg: write and quote the depth statistics@>@;
  mlp_free(&m); free(act); free(grad); free(sizes);
}

@ Every scheme starts from the same generator.
@<Reg: measure scheme |s|@>=
{
  struct rng r;
  rng_seed(&r, ch->seed, 100);
  static const enum init_scheme kind[5] = @[{init_he, init_xavier, init_normal, init_normal,
                                           init_torch}@];
  mlp_init_scheme(m, kind[s], s == 2 ? 1.0 : 0.01, &r);
  loss[s] = mlp_loss_grad(m, ch->test->x, ch->test->y, pl->init_batch);
  for (size_t l = 0; l <= L; l++) {
    size_t n = pl->init_batch * sizes[l];
    act[s * (L + 1) + l] = vec_norm2(m->act[l], n) / sqrt((double)n);
    if (l < L) grad[s * L + l] = vec_norm2(mlp_dweights(m, l), sizes[l] * sizes[l + 1])
                                 / sqrt((double)(sizes[l] * sizes[l + 1]));
  }
}

@ A value that is not finite, or exactly zero, cannot go on a logarithmic
axis; the table keeps it as it is and the figure leaves it out.
@<Reg: write and quote the depth statistics@>=
struct tsv *t = tsv_open(ch->out, "init.tsv",@/
  "layer\the\txavier\tnormal1\tnormal001\ttorch"@/
  "\tghe\tgxavier\tgnormal1\tgnormal001\tgtorch");
for (size_t l = 0; l <= L; l++) {
  double row[11];
  row[0] = (double)l;
  for (int s = 0; s < 5; s++) {
    row[1 + s] = act[s * (L + 1) + l];
    row[6 + s] = l < L ? grad[s * L + l] : NAN;
  }
  tsv_row(t, 11, row);
}
tsv_close(t);
printf("== init: %zu layers of %zu, rms of the activations at the top and loss\n",
       L, pl->init_width);
for (int s = 0; s < 5; s++) {
  printf("%-10s rms(H_%zu) %.4g  logits %.4g  rms(dW_0) %.4g  loss %.4g\n", scheme_name[s],
         L - 1, act[s * (L + 1) + L - 1], act[s * (L + 1) + L], grad[s * L], loss[s]);
}
@<Reg: quote the depth statistics@>@;

@ The quoted numbers: the rms of the last hidden layer and the loss, per
scheme, as \TeX.
@<Reg: quote the depth statistics@>=
for (int s = 0; s < 5; s++) {
  char buf[64], name[32];
  snprintf(name, sizeof name, "RGtopAct%c", 'A' + s);
  values_put(ch->values, name, "%s", sci_text(buf, sizeof buf, act[s * (L + 1) + L - 1]));
  snprintf(name, sizeof name, "RGgradZero%c", 'A' + s);
  values_put(ch->values, name, "%s", sci_text(buf, sizeof buf, grad[s * L]));
  snprintf(name, sizeof name, "RGinitLoss%c", 'A' + s);
  values_put(ch->values, name, "%s", sci_text(buf, sizeof buf, loss[s]));
}
values_put(ch->values, "RGdepth", "%zu", L);
values_put(ch->values, "RGwidth", "%zu", pl->init_width);
values_put(ch->values, "RGinitBatch", "%zu", pl->init_batch);

@ What the program printed, with seed~1 (the default) and every scheme
drawn from the same generator, is Figure~\figref{08-regularization-init}
and Table~\tableref{08-init}: the rms of the last hidden layer $H_{19}$ of the
\val{RGdepth}-layer network, the rms of the gradient of the first
weight matrix, and the initial loss, on a batch of \val{RGinitBatch}
test images.
\booktable{08-init}{Twenty layers at initialization: a
\val{RGdepth}-layer MLP of width \val{RGwidth} under five schemes, on a
batch of \val{RGinitBatch} test images, with seed~1.}
{\vbox{\halign{#\hfil\quad&\hfil$#$\quad&\hfil$#$\quad&\hfil$#$\cr
scheme&\hbox{rms of }H_{19}&\hbox{rms of }\partial L/\partial W_0&\hbox{initial loss}\cr
\noalign{\smallskip\hrule\smallskip}
He, $N(0,2/n)$&\RGtopActA&\RGgradZeroA&\RGinitLossA\cr
Xavier, $N(0,2/(n_{\rm in}+n_{\rm out}))$&\RGtopActB&\RGgradZeroB&\RGinitLossB\cr
$N(0,1)$&\RGtopActC&\RGgradZeroC&\RGinitLossC\cr
$N(0,0.01^2)$&\RGtopActD&\RGgradZeroD&\RGinitLossD\cr
PyTorch's default&\RGtopActE&\RGgradZeroE&\RGinitLossE\cr}}}
\noindent
He's scheme keeps the signal at the size of the input, as promised.
The others follow $\rho^{l}$ closely: $N(0,1)$ grows by a factor
$\sqrt{64}=8$ per layer until the logits are of order $10^{18}$ and
the loss is as large; $N(0,0.01^2)$ shrinks by $\sqrt{0.0064}=0.08$ per
layer to numbers that a |float| barely represents; Xavier's loses a
factor $\sqrt2$ per layer.  The three small ones all start at a loss of
$\ln10$, which looks healthy and is not: with logits near zero the
network predicts the uniform distribution whatever the image, and the
first layer's gradient is $\val{RGgradZeroB}$ (Xavier), $\val{RGgradZeroE}$
(PyTorch's default) or $\val{RGgradZeroD}$ ($N(0,0.01^2)$) against He's
$\val{RGgradZeroA}$.
PyTorch's default shrinks by $\sqrt6$ per layer until its uniform
biases, which do not shrink, hold the activations at a floor.  PyTorch's default is fine for the
shallow networks it was chosen for and wrong for a deep ReLU stack,
which is why He's scheme is the library's default.

\bookfigure{08-regularization-init}{A \val{RGdepth}-layer MLP of width
\val{RGwidth} at initialization, on one batch of test images.  Left: the
rms of each layer's activations (layer 0 is the input, layer 20 the
logits).  Right: the rms of the gradient of each weight matrix.  Values
that underflow to zero or overflow are left out.}

@*1 Experiment: weight decay on weights only.
Weight decay pulls every parameter toward zero.  For a weight that is a
prior: small weights, a smoother function.  For a bias it is not: a bias
shifts a unit's input and does not multiply anything, and pulling it to
zero only moves every unit toward firing for half of its inputs.  So
most recipes put the biases (and the gains of normalization layers) in a
second parameter group without decay: PyTorch's |param_groups|, the
library's |mlp_layout_groups| (Appendix~A, part~3), which a session
uses when asked for |no_decay_bias|.  The experiment trains the same
network with AdamW and a strong decay, |decay_wd|, on everything and on
the weights only, from the same weights and batches for each seed, and
compares the test accuracy and the size of the biases at the end.
@^weight decay@>
@^parameter groups@>
@<Reg: experiments@>=
static const double decay_lr = 1e-3, decay_wd = 0.5;
static void decay_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  struct dataset sub = view_of(ch->train, 0, pl->sub_n), test = view_of(ch->test, 0, pl->test_n);
  size_t S = pl->seeds;
  double *acc = xcalloc(4 * S, sizeof *acc), *bnorm = acc + 2 * S;
  struct tsv *t = tsv_open(ch->out, "decay.tsv", "seed\tweights_only\ttest_acc\tbias_norm");
  for (size_t k = 0; k < S; k++)
    for (int w = 0; w < 2; w++) @<Reg: train seed |k| with decay on weights only if |w|@>;
  tsv_close(t);
  @<Reg: report weight decay@>@;
  free(acc);
}

@ The bias norm is that of all the biases together.
@<Reg: train seed |k| with decay...@>=
{
  struct reg_run R = run_new(ch, &sub, 10 + k, pl->hidden, "adamw", decay_lr, decay_wd,
                             w == 1, (struct recipe)@[{0}@]);
  for (size_t s = 0; s < pl->steps; s++) run_step(&R);
  acc[w * S + k] = accuracy_of(&R, &test, NULL);
  double b0 = vec_norm2(mlp_bias(R.S->m, 0), pl->hidden), b1 = vec_norm2(mlp_bias(R.S->m, 1), 10);
  bnorm[w * S + k] = sqrt(b0 * b0 + b1 * b1);
  tsv_printf(t, "%zu\t%d\t%.9g\t%.9g\n", k, w, acc[w * S + k], bnorm[w * S + k]);
  run_free(&R);
}

@ The report: mean and spread over the seeds, and the mean difference
of the paired runs.
@<Reg: report weight decay@>=
double diff[64];
for (size_t k = 0; k < S && k < 64; k++) diff[k] = acc[S + k] - acc[k];
struct spread all = spread_of(acc, S), only = spread_of(acc + S, S), d = spread_of(diff, S);
struct spread ball = spread_of(bnorm, S), bonly = spread_of(bnorm + S, S);
printf("== decay: AdamW lr %g, weight_decay %g, %zu steps, %zu seeds\n", decay_lr, decay_wd,
       pl->steps, S);
printf("decay on everything:  test acc %.4f +- %.4f  bias norm %.4f\n", all.mean, all.sd, ball.mean);
printf("decay on weights only: test acc %.4f +- %.4f  bias norm %.4f\n", only.mean, only.sd, bonly.mean);
printf("paired difference: %.4f +- %.4f\n", d.mean, d.sd);
values_spread(ch->values, "RGdecayAll", all);
values_spread(ch->values, "RGdecayOnly", only);
values_spread(ch->values, "RGdecayDiff", d);
values_put(ch->values, "RGdecayBiasAll", "%.3f", ball.mean);
values_put(ch->values, "RGdecayBiasOnly", "%.3f", bonly.mean);
values_put(ch->values, "RGdecayWd", "%g", decay_wd);
values_put(ch->values, "RGdecayLr", "%g", decay_lr);
values_put(ch->values, "RGseeds", "%zu", S);
values_put(ch->values, "RGsteps", "%zu", pl->steps);
values_put(ch->values, "RGhidden", "%zu", pl->hidden);
values_put(ch->values, "RGbatch", "%zu", pl->batch);
values_put(ch->values, "RGsubN", "%zu", pl->sub_n);
values_put(ch->values, "RGvalN", "%zu", pl->val_n);
values_put(ch->values, "RGtestN", "%zu", pl->test_n);

@ The result, over \val{RGseeds} seeds (the seed of run $k$ is drawn
from stream $10+k$ of seed~1), \val{RGsteps} steps of AdamW at
$\eta=\val{RGdecayLr}$ with batches of \val{RGbatch} on the first
\val{RGsubN} training images, a network $784\to\val{RGhidden}\to10$,
tested on \val{RGtestN} test images: decay on everything reaches a test
accuracy of \val{RGdecayAll}, decay on the weights only
\val{RGdecayOnly}; the paired difference is \val{RGdecayDiff}.  The
biases do end smaller under decay (their norm \val{RGdecayBiasAll}
against \val{RGdecayBiasOnly}), but for this network the accuracy does not
notice.  The rule is still right, and costs nothing; its effect is
small where biases are few and their decay is weak.  A decay of
\val{RGdecayWd} is strong---AdamW's default is 0.01---and it was chosen to
make a difference visible; none was.
@^negative result@>

@*1 Experiment: dropout.
Two checks and one comparison.  The first check draws a million mask
values at $p=|drop_p|$ and measures their mean, which must be 1 within
the sampling error $\sqrt{p/(1-p)}/1000$, and the fraction dropped.  The
second puts the test images through a trained network with dropout
switched off and checks that two evaluations agree bit for bit, which
they must, since evaluation draws nothing.  The comparison trains with
and without dropout on the small subset, and evaluates the dropout
network twice: properly, and with dropout left on, the forgotten
\.{model.eval()}.
@<Reg: experiments@>=
static const double drop_p = 0.3, drop_lr = 1e-3;
static void dropout_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  @<Reg: check the mean of the mask@>@;
  struct dataset sub = view_of(ch->train, 0, pl->sub_n), test = view_of(ch->test, 0, pl->test_n);
  size_t S = pl->seeds;
  double *res = xcalloc(3 * S, sizeof *res);  /* plain, dropout, dropout without eval() */
  bool same = true;
  for (size_t k = 0; k < S; k++) @<Reg: train seed |k| with and without dropout@>;
  @<Reg: report dropout@>@;
  free(res);
}

@ The mask's mean, in double.
@<Reg: check the mean of the mask@>=
size_t n = ch->quick ? 10000 : 1000000;
float *mask = vec_new(n);
struct rng r;
rng_seed(&r, ch->seed, 200);
dropout_mask(mask, n, drop_p, &r);
double mean = 0.0, zeros = 0.0;
for (size_t i = 0; i < n; i++) { mean += mask[i]; zeros += mask[i] == 0.0f; }
mean /= (double)n; zeros /= (double)n;
vec_free(&mask);
printf("== dropout: p %g, %zu mask values: mean %.5f (sd of the mean %.5f), "@/
       "dropped %.4f\n", drop_p, n, mean, sqrt(drop_p / (1.0 - drop_p) / (double)n), zeros);
values_put(ch->values, "RGmaskMean", "%.4f", mean);
values_put(ch->values, "RGmaskSd", "%.4f", sqrt(drop_p / (1.0 - drop_p) / (double)n));
values_put(ch->values, "RGmaskZero", "%.4f", zeros);
values_put(ch->values, "RGdropP", "%g", drop_p);

@ The two runs of a seed start from the same weights and see the same
batches; they differ in the dropout alone.
@<Reg: train seed |k| with and without dropout@>=
{
  for (int w = 0; w < 2; w++) {
    struct reg_run R = run_new(ch, &sub, 20 + k, pl->hidden, "adam", drop_lr, 0.0, false,
                               (struct recipe)@[{.p_drop = w ? drop_p : 0.0}@]);
    for (size_t s = 0; s < pl->steps; s++) run_step(&R);
    res[w * S + k] = accuracy_of(&R, &test, NULL);
    if (w) {
      struct rng forgot;
      rng_seed(&forgot, ch->seed, 300 + k);
      res[2 * S + k] = accuracy_of(&R, &test, &forgot);
      @<Reg: check that evaluation is deterministic@>@;
    }
    run_free(&R);
  }
}

@ Evaluation twice, with dropout off: the logits must be identical.
@<Reg: check that evaluation is deterministic@>=
size_t B = test.n < 100 ? test.n : 100, K = test.classes;
float *first = vec_new(B * K);
vec_copy(first, dropnet_forward(R.d, test.x, B, NULL), B * K);
same = same && memcmp(first, dropnet_forward(R.d, test.x, B, NULL), B * K * sizeof(float)) == 0;
vec_free(&first);

@ The report.
@<Reg: report dropout@>=
struct spread plain = spread_of(res, S), drop = spread_of(res + S, S),@/
  forgot = spread_of(res + 2 * S, S);
printf("evaluation with dropout off is deterministic: %s\n", same ? "yes" : "NO");
printf("test acc without dropout %.4f +- %.4f, with dropout %.4f +- %.4f, "@/
       "dropout left on %.4f +- %.4f\n", plain.mean, plain.sd, drop.mean, drop.sd,@/
       forgot.mean, forgot.sd);
struct tsv *t = tsv_open(ch->out, "dropout.tsv", "seed\tplain\tdropout\tforgot_eval");
for (size_t k = 0; k < S; k++)
  tsv_printf(t, "%zu\t%.9g\t%.9g\t%.9g\n", k, res[k], res[S + k], res[2 * S + k]);
tsv_close(t);
values_spread(ch->values, "RGdropPlain", plain);
values_spread(ch->values, "RGdropOn", drop);
values_spread(ch->values, "RGdropForgot", forgot);
values_pct(ch->values, "RGdropCost", drop.mean - forgot.mean);
values_put(ch->values, "RGdropSame", "%s", same ? "identical" : "different");

@ The mask's mean over a million draws at $p=\val{RGdropP}$ is
\val{RGmaskMean}, within the sampling error \val{RGmaskSd} of~1, with a
fraction \val{RGmaskZero} dropped; evaluating twice with dropout off gives
\val{RGdropSame} logits.  Trained for \val{RGsteps} steps on the
\val{RGsubN}-image subset (seeds from streams $20+k$), the network
without dropout reaches a test accuracy of \val{RGdropPlain}, with
dropout \val{RGdropOn}: in so short a run dropout does not help.  Evaluated with dropout
left on, the same networks score \val{RGdropForgot}: the forgotten
\.{eval()} costs \val{RGdropCost} of accuracy, every time, and it also
makes the score random.
@^model.eval()@>

@*1 Experiment: label smoothing and calibration.
A network trained to memorize a small training set becomes confident:
its cross-entropy keeps falling only by pushing probabilities toward
one, on the training images, and the habit carries over to images it
gets wrong.  Label smoothing caps the confidence the loss rewards at
$1-\varepsilon+\varepsilon/K$.  The experiment trains with
$\varepsilon=0$ and $\varepsilon=|smooth_eps|$, from the same weights
and batches for each seed, and measures on the test images the accuracy,
the mean confidence and the expected calibration error in
|calib_bins| bins; it keeps the reliability table of the first seed.
@^label smoothing@>
@<Reg: experiments@>=
static const double smooth_eps = 0.1, smooth_lr = 3e-3;
static void smoothing_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  struct dataset sub = view_of(ch->train, 0, pl->sub_n), test = view_of(ch->test, 0, pl->test_n);
  size_t S = pl->seeds;
  double *acc = xcalloc(6 * S, sizeof *acc), *ece = acc + 2 * S, *conf = acc + 4 * S;
  double bc[2][calib_bins], ba[2][calib_bins];
  size_t bn[2][calib_bins];
  for (size_t k = 0; k < S; k++)
    for (int w = 0; w < 2; w++) @<Reg: train seed |k| with smoothing if |w|@>;
  @<Reg: write the reliability table@>@;
  @<Reg: report smoothing@>@;
  free(acc);
}

@ The confidence of a prediction is its largest softmax probability;
the reliability table has |calib_bins| bins, as in Guo et al.
@<Reg: helpers@>=
enum { calib_bins = 15 };
static double calib_of(struct mlp *m, const struct dataset *d, double *acc, double *mean_conf,
                       double *bc, double *ba, size_t *bn)
{
  size_t K = d->classes;
  double *conf = xcalloc(d->n, sizeof *conf), sum = 0.0;
  bool *right = xcalloc(d->n, sizeof *right);
  size_t nright = 0;
  for (size_t i0 = 0; i0 < d->n; i0 += 500) {
    size_t B = d->n - i0 < 500 ? d->n - i0 : 500;
    const float *zb = mlp_forward(m, d->x + i0 * d->dim, B);
    for (size_t i = i0; i < i0 + B; i++) {
      const float *z = zb + (i - i0) * K;
      size_t best = 0;
      double s = 0.0;
      for (size_t k = 1; k < K; k++) if (z[k] > z[best]) best = k;
      for (size_t k = 0; k < K; k++) s += exp((double)z[k] - z[best]);
      conf[i] = 1.0 / s; right[i] = best == d->y[i];
      sum += conf[i]; nright += right[i];
    }
  }
  double e = calibration(conf, right, d->n, calib_bins, bc, ba, bn);
  *acc = (double)nright / (double)d->n; *mean_conf = sum / (double)d->n;
  free(conf); free(right);
  return e;
}

@ One run.
@<Reg: train seed |k| with smoothing...@>=
{
  struct reg_run R = run_new(ch, &sub, 30 + k, pl->hidden, "adam", smooth_lr, 0.0, false,
                             (struct recipe)@[{.eps = w ? smooth_eps : 0.0}@]);
  for (size_t s = 0; s < pl->steps; s++) run_step(&R);
  double tbc[calib_bins], tba[calib_bins];
  size_t tbn[calib_bins];
  ece[w * S + k] = calib_of(R.S->m, &test, &acc[w * S + k], &conf[w * S + k], tbc, tba, tbn);
  if (k == 0) {
    memcpy(bc[w], tbc, sizeof tbc); memcpy(ba[w], tba, sizeof tba); memcpy(bn[w], tbn, sizeof tbn);
  }
  run_free(&R);
}

@ The reliability table has one row per bin; an empty bin's averages are
NaN, which gnuplot skips.
@<Reg: write the reliability table@>=
@<Reg: count the bins above and below the diagonal@>@;
struct tsv *t = tsv_open(ch->out, "reliability.tsv",
  "bin\tlo\thi\tconf0\tacc0\tn0\tconf1\tacc1\tn1");
for (int b = 0; b < calib_bins; b++)
  tsv_printf(t, "%d\t%.9g\t%.9g\t%.9g\t%.9g\t%zu\t%.9g\t%.9g\t%zu\n", b,
             (double)b / calib_bins, (double)(b + 1) / calib_bins,
             bc[0][b], ba[0][b], bn[0][b], bc[1][b], ba[1][b], bn[1][b]);
tsv_close(t);

@ The text quotes, for each $\varepsilon$, the fraction of images in the
top bin, and how many of the bins with at least ten images lie below
and above the diagonal.
@<Reg: count the bins...@>=
for (int w = 0; w < 2; w++) {
  int used = 0, below = 0, above = 0;
  for (int b = 0; b < calib_bins; b++)
    if (bn[w][b] >= 10) { used++; below += ba[w][b] < bc[w][b]; above += ba[w][b] > bc[w][b]; }
  values_letter(ch->values, "RGsmUsed", w, "%.0f", used);
  values_letter(ch->values, "RGsmBelow", w, "%.0f", below);
  values_letter(ch->values, "RGsmAbove", w, "%.0f", above);
  values_letter(ch->values, "RGsmTop", w, "%.0f\\%%", 100.0 * (double)bn[w][calib_bins - 1]
                / (double)pl->test_n);
}

@ The report.
@<Reg: report smoothing@>=
printf("== smoothing: eps 0 and %g, %zu seeds, %zu steps on %zu images\n", smooth_eps, S,
       pl->steps, pl->sub_n);
static const char *const tag[2] = @[{"A", "B"}@];
for (int w = 0; w < 2; w++) {
  struct spread a = spread_of(acc + w * S, S), e = spread_of(ece + w * S, S),@/
    c = spread_of(conf + w * S, S);
  printf("eps %-4g test acc %.4f +- %.4f  mean confidence %.4f  ECE %.4f +- %.4f\n",
         w ? smooth_eps : 0.0, a.mean, a.sd, c.mean, e.mean, e.sd);
  char name[32];
  snprintf(name, sizeof name, "RGsmAcc%s", tag[w]); values_spread(ch->values, name, a);
  snprintf(name, sizeof name, "RGsmEce%s", tag[w]); values_spread(ch->values, name, e);
  snprintf(name, sizeof name, "RGsmConf%s", tag[w]); values_put(ch->values, name, "%.3f", c.mean);
}
values_put(ch->values, "RGsmEps", "%g", smooth_eps);
values_put(ch->values, "RGsmBins", "%d", calib_bins);

@ Over \val{RGseeds} seeds (streams $30+k$), \val{RGsteps} steps at
$\eta=0.003$ on the \val{RGsubN}-image subset, long enough for the
network to memorize its training images: without smoothing the test
accuracy is \val{RGsmAccA} at a mean confidence of \val{RGsmConfA},
overconfident, with an expected calibration error of \val{RGsmEceA}.
With $\varepsilon=\val{RGsmEps}$ the accuracy is \val{RGsmAccB}, the
mean confidence \val{RGsmConfB}, and the ECE \val{RGsmEceB}.
Figure~\figref{08-regularization-reliability} shows where the change
comes from.  Without smoothing \val{RGsmTopA} of the test images land in
the top bin, confidence above $14/15=0.93$, and in \val{RGsmBelowA} of
the \val{RGsmUsedA} bins that hold at least ten images the accuracy
falls short of the confidence.  With smoothing the confidences spread out (\val{RGsmTopB} in the top
bin), and the curve moves {\it above\/} the diagonal, in
\val{RGsmAboveB} of \val{RGsmUsedB} bins: the smoothed network is
underconfident,
which is what a target of $1-\varepsilon+\varepsilon/K=0.91$ asks for.
Smoothing moves the error across the diagonal rather than removing it,
and the ECE, which does not care about the side, improves only a little.

\bookfigure{08-regularization-reliability}{Reliability diagram of the
first seed's network on the test images, \val{RGsmBins} bins of
confidence.  Left: accuracy in each bin against the bin's mean
confidence, without and with label smoothing; the dotted diagonal is
perfect calibration.  Right: how many test images fall in each bin.}

@*1 Experiment: early stopping, overfitting and underfitting.
A network with enough units memorizes a small training set: its
training loss falls toward zero while its loss on images it has not
seen falls, bottoms out, and rises again.  {\it Early stopping\/} holds
out a validation split, evaluates it after every epoch, keeps a copy of
the weights at the best validation loss so far, and stops when
|patience| epochs in a row have not improved on it; the copy, not the
last weights, is the result.  The experiment trains the chapter's
network on the |sub_n| images of the subset, validates on the |val_n|
images after them, and runs on for all |early_epochs| epochs so that the
figure shows what stopping avoided; next to it, a network of only
|tiny_hidden| hidden units on the same data {\it underfits\/}: both of
its losses stay high, close together.
@^early stopping@>
@^overfitting@>
@^underfitting@>
@<Reg: experiments@>=
static const double early_lr = 3e-3;
static void early_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  struct dataset sub = view_of(ch->train, 0, pl->sub_n),
    val = view_of(ch->train, pl->sub_n, pl->val_n), test = view_of(ch->test, 0, pl->test_n);
  size_t E = pl->early_epochs, per = pl->sub_n / pl->batch;
  double *curve = xcalloc(6 * (E + 1), sizeof *curve);  /* per epoch: 3 per network */
  long best_epoch = -1, stop_epoch = -1;
  double best_test = 0.0, last_test = 0.0, best_val = INFINITY;
  for (int w = 0; w < 2; w++) @<Reg: train network |w| for every epoch@>;
  @<Reg: report early stopping@>@;
  free(curve);
}

@ After each epoch (and before the first), the loss on the training
subset and on the validation split, and the validation accuracy.  The
best weights are a copy of the parameter vector.
@<Reg: train network |w| for every epoch@>=
{
  struct reg_run R = run_new(ch, &sub, 40, w ? pl->tiny_hidden : pl->hidden, "adam",
                             early_lr, 0.0, false, (struct recipe)@[{0}@]);
  float *best = vec_new(R.S->m->nparams);
  long since = 0;
  for (size_t e = 0; e <= E; e++) {
    if (e > 0) for (size_t s = 0; s < per; s++) run_step(&R);
    double *c = curve + 6 * e + 3 * w, vacc;
    c[0] = mlp_evaluate(R.S->m, &sub, NULL);
    c[1] = mlp_evaluate(R.S->m, &val, &vacc);
    c[2] = vacc;
    if (w == 0) @<Reg: keep the best weights and count the patience@>;
  }
  if (w == 0) {
    mlp_evaluate(R.S->m, &test, &last_test);
    vec_copy(R.S->m->params, best, R.S->m->nparams);
    mlp_evaluate(R.S->m, &test, &best_test);
  }
  vec_free(&best);
  run_free(&R);
}

@ An epoch improves when its validation loss is below the best so far.
@<Reg: keep the best weights...@>=
{
  if (c[1] < best_val) {
    best_val = c[1]; best_epoch = (long)e; since = 0;
    vec_copy(best, R.S->m->params, R.S->m->nparams);
  } else if (++since == (long)pl->patience && stop_epoch < 0) stop_epoch = (long)e;
}

@ The curves, and the numbers the text quotes.
@<Reg: report early stopping@>=
struct tsv *t = tsv_open(ch->out, "early.tsv",
  "epoch\ttrain\tval\tval_acc\ttiny_train\ttiny_val\ttiny_val_acc");
for (size_t e = 0; e <= E; e++) {
  double row[7] = @[{(double)e}@];
  memcpy(row + 1, curve + 6 * e, 6 * sizeof(double));
  tsv_row(t, 7, row);
}
tsv_close(t);
printf("== early: best validation loss %.4f at epoch %ld, "@/
       "patience %zu stops at epoch %ld;"@/
       " test acc best %.4f, last %.4f\n", best_val, best_epoch, pl->patience, stop_epoch,
       best_test, last_test);
printf("final losses: train %.4f val %.4f; tiny network train %.4f val %.4f\n",
       curve[6 * E], curve[6 * E + 1], curve[6 * E + 3], curve[6 * E + 4]);
values_put(ch->values, "RGbestEpoch", "%ld", best_epoch);
values_put(ch->values, "RGstopEpoch", "%ld", stop_epoch);
values_put(ch->values, "RGbestVal", "%.3f", best_val);
values_put(ch->values, "RGlastVal", "%.3f", curve[6 * E + 1]);
values_put(ch->values, "RGlastTrain", "%.4f", curve[6 * E]);
values_put(ch->values, "RGtinyTrain", "%.3f", curve[6 * E + 3]);
values_put(ch->values, "RGtinyVal", "%.3f", curve[6 * E + 4]);
values_pct(ch->values, "RGbestTest", best_test);
values_pct(ch->values, "RGlastTest", last_test);
values_put(ch->values, "RGepochs", "%zu", E);
values_put(ch->values, "RGpatience", "%zu", pl->patience);
values_put(ch->values, "RGtinyHidden", "%zu", pl->tiny_hidden);
values_put(ch->values, "RGearlyLr", "%g", early_lr);

@ Figure~\figref{08-regularization-early} shows the curves (seed~1,
stream~40, Adam at $\eta=\val{RGearlyLr}$).  The chapter's network
brings its training loss down to \val{RGlastTrain} after \val{RGepochs}
epochs, while its validation loss is best at epoch~\val{RGbestEpoch},
\val{RGbestVal}, and then climbs to \val{RGlastVal}: overfitting.  With
a patience of \val{RGpatience} epochs training would have stopped at
epoch~\val{RGstopEpoch}.  The kept weights score \val{RGbestTest} on the
test images, the last ones \val{RGlastTest}: the loss rose while the
accuracy barely moved, since an overfitting network becomes overconfident
on the images it gets wrong before it gets many more of them wrong.
The network of \val{RGtinyHidden} hidden units underfits: its training
loss is still \val{RGtinyTrain} after \val{RGepochs} epochs, its
validation loss \val{RGtinyVal}.  The fix for the first is more data or
regularization; for the second, a larger network.

\bookfigure{08-regularization-early}{Training and validation loss after
each epoch on \val{RGsubN} training images: the chapter's network
$784\to\val{RGhidden}\to10$ (solid, dashed) overfits, a tiny network
$784\to\val{RGtinyHidden}\to10$ underfits.  The dotted line marks the
best validation loss, whose weights early stopping keeps.}

@*1 The debugging ladder.
When a run does not learn, the cheapest checks come first, each a rung
that must hold before the next one means anything:
\smallskip
\item{1.} {\it The initial loss.}  At initialization a network with
small logits predicts nearly uniform probabilities, and its
cross-entropy on $K$ classes is $\ln K$: for the ten classes of
Fashion-MNIST, $\ln10=2.303$.  A very different start means a wrong
initialization, unnormalized inputs or a wrong loss.
\item{2.} {\it Overfit one batch.}  A network of a hundred thousand
parameters can memorize |batch| images; trained on nothing else, its
loss on them must go to nearly zero.  If it cannot, the fault is in the
model, the loss or the optimizer, not in the data.
\item{3.} {\it A learning-rate sweep.}  Short runs at rates a decade
apart; the loss on held-out images must fall at some rate, and the
configured rate should be within a decade of the best.
\item{4.} {\it Norms, layer by layer.}  The root mean square of each
layer's activations and the ratio of each step's update to the weights,
$\Vert\Delta W\Vert/\Vert W\Vert$: around $10^{-3}$ is healthy; a ratio
near 1 rewrites the weights at every step.
\item{5.} {\it The gradient against finite differences}, tensor by tensor.
\item{6.} {\it NaN hunting.}  After each step every activation, the loss,
every gradient and every weight is checked, in the order they are
computed; the first that is not finite is reported with the step, the
tensor, and the cause: an {\it overflow\/} (a finite input, an infinite
result), an {\it invalid operation\/} ($0/0$, $\infty-\infty$, $0\cdot
\infty$: a NaN from inputs without one), or the {\it log of zero}.
\smallskip\noindent
Three bugs are planted, one at a time, in an otherwise correct program:
the labels of the training images shuffled against the images (a
misaligned label file), the gradient of the loss with the wrong sign
(softmax minus target written as target minus softmax), and a learning
rate 100 times too large.  The base run is SGD with momentum $0.9$ at
rate |ladder_lr| on the chapter's network.
@^debugging ladder@>
@^NaN hunting@>
@<Reg: experiments@>=
enum { bug_none, bug_labels, bug_sign, bug_lr, nbugs };
enum { rung_init, rung_onebatch, rung_sweep, rung_norms, rung_grad, rung_nan, nrungs };
static const double ladder_lr = 0.05;
static const char *const bug_name[nbugs] = @[{"none", "labels", "sign", "lr100"}@];
@<Reg: the ladder's helpers@>@;
static void ladder_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  struct dataset sub = view_of(ch->train, 0, pl->sub_n), val = view_of(ch->train, pl->sub_n, pl->val_n);
  struct dataset shuffled = sub;
  @<Reg: shuffle the labels of |shuffled|@>@;
  double value[nrungs][nbugs];
  bool caught[nrungs][nbugs];
  struct hunt found[nbugs];
  for (int b = 0; b < nbugs; b++) {
    struct ladder_case lc = @[{ch, b == bug_labels ? &shuffled : &sub, &val, b}@];
    @<Reg: climb the ladder with bug |b|@>@;
  }
  @<Reg: report the ladder@>@;
  free(shuffled.y);
}

@ The shuffled labels are a copy; the images stay where they are.
@<Reg: shuffle the labels...@>=
{
  uint8_t *y = xmalloc(sub.n);
  uint32_t *perm = xmalloc(sub.n * sizeof *perm);
  struct rng r;
  rng_seed(&r, ch->seed, 400);
  for (size_t i = 0; i < sub.n; i++) perm[i] = (uint32_t)i;
  rng_shuffle(&r, perm, sub.n);
  for (size_t i = 0; i < sub.n; i++) y[i] = sub.y[perm[i]];
  shuffled.y = y;
  free(perm);
}

@ A case of the ladder: the data it trains on, the held-out split, and
the bug.  A run of the case is the base run with the bug planted; |mult|
multiplies its learning rate, for the sweep.
@<Reg: the ladder's helpers@>=
struct ladder_case {
  const struct chapter *ch;
  const struct dataset *train, *val;
  int bug;
};
static struct reg_run ladder_run(const struct ladder_case *lc, const struct dataset *d,
                                 double mult)
{
  double lr = ladder_lr * mult * (lc->bug == bug_lr ? 100.0 : 1.0);
  struct reg_run R = run_new(lc->ch, d, 50, plan_of(lc->ch)->hidden, "sgd", lr, 0.0, false,
                             (struct recipe)@[{.flip_sign = lc->bug == bug_sign}@]);
  opt_free(&R.S->o);
  struct opt_config c;
  opt_defaults("sgd", &c);
  c.lr = lr; c.momentum = 0.9;
  R.S->o = opt_new_layout("sgd", R.S->L, &c);
  return R;
}

@ The rungs, each giving one number and whether it fires.  The
thresholds are rules of thumb, set once and not tuned to the bugs: the
initial loss within 0.5 of $\ln10$; one batch memorized to a loss below
0.1 in |onebatch_steps| steps; some rate of the sweep bringing the
held-out loss below 1.5, and the best rate within a decade of the
configured one; no update larger than a tenth of its weights; a relative
gradient error below 0.1; and no NaN or infinity anywhere.  A NaN never
passes a rung.
@<Reg: climb the ladder with bug |b|@>=
{
  struct reg_run R = ladder_run(&lc, lc.train, 1.0);
  value[rung_init][b] = mlp_evaluate(R.S->m, lc.val, NULL);
  caught[rung_init][b] = !(fabs(value[rung_init][b] - log(10.0)) < 0.5);
  run_free(&R);
  found[b].step = -1;
  value[rung_onebatch][b] = overfit_one_batch(&lc, &found[b]);
  caught[rung_onebatch][b] = !(value[rung_onebatch][b] < 0.1);
  @<Reg: sweep the learning rate, watching norms and NaNs at the configured rate@>@;
  value[rung_grad][b] = ladder_gradcheck(&lc);
  caught[rung_grad][b] = !(value[rung_grad][b] < 0.1);
}

@ The sweep runs the case at five rates, $10^{-3}$ to 10 times the
configured one, and compares the validation loss after |sweep_steps|
steps.  The run at the configured rate is the one whose norms are
watched.
@<Reg: sweep the learning rate...@>=
{
  static const double mult[5] = @[{1e-3, 1e-2, 1e-1, 1.0, 10.0}@];
  double best = INFINITY, best_mult = 0.0, ratio = 0.0;
  for (int k = 0; k < 5; k++) {
    struct reg_run S = ladder_run(&lc, lc.train, mult[k]);
    for (size_t s = 0; s < pl->sweep_steps; s++)
      if (k == 3) @<Reg: take a step, measuring the update and hunting NaNs@>@;
      else run_step(&S);
    double v = mlp_evaluate(S.S->m, lc.val, NULL);
    if (v < best) { best = v; best_mult = mult[k]; }
    run_free(&S);
  }
  value[rung_sweep][b] = best;
  caught[rung_sweep][b] = !(best < 1.5) || best_mult < 0.1 || best_mult > 10.0;
  value[rung_norms][b] = ratio;
  caught[rung_norms][b] = !(ratio < 0.1);
}
value[rung_nan][b] = found[b].step;
caught[rung_nan][b] = found[b].step >= 0;

@ The update ratio is the largest over the weight matrices and the steps.
@<Reg: take a step, measuring...@>=
{
  struct mlp *m = S.S->m;
  float *before = vec_new(m->nparams);
  vec_copy(before, m->params, m->nparams);
  run_step(&S);
  for (size_t l = 0; l < m->nlayers; l++) {
    size_t n = m->sizes[l] * m->sizes[l + 1];
    const float *w = mlp_weights(m, l), *w0 = before + m->offset[l];
    double r = sqrt(vec_sqdist(w, w0, n)) / vec_norm2(w0, n);
    if (!(r <= ratio)) ratio = r;   /* a NaN ratio sticks */
  }
  vec_free(&before);
}

@ The hunt looks at the step's quantities in the order they were
computed: the activations and logits of the forward pass (which the MLP
keeps for the backward pass), the loss, the gradient of each tensor,
and each tensor after the update.  The first one that is not finite is
reported, with the cause read from what it holds and from its inputs,
all of which were finite, or it would not be first.
@<Reg: the ladder's helpers@>=
struct hunt { long step; char tensor[64]; const char *cause; };
static bool finite_or_say(const float *x, size_t n, const char *name, long step, struct hunt *h)
{
  size_t inf = 0, nan = 0;
  for (size_t i = 0; i < n; i++) { inf += isinf(x[i]) != 0; nan += isnan(x[i]) != 0; }
  if (!inf && !nan) return true;
  h->step = step;
  snprintf(h->tensor, sizeof h->tensor, "%s", name);
  h->cause = inf ? "overflow" : "invalid operation";
  return false;
}

@ The checks in order.  The parameters before the step were finite (the
previous step checked them), so a non-finite tensor after the update
overflowed there.
@<Reg: the ladder's helpers@>=
static void hunt_step(struct reg_run *R, long step, double loss, const float *before,
                      struct hunt *h)
{
  struct mlp *m = R->S->m;
  char name[64];
  if (h->step >= 0 || !vec_all_finite(before, m->nparams)) return;
  for (size_t l = 1; l <= m->nlayers; l++) {
    snprintf(name, sizeof name, l == m->nlayers ? "logits" : "H%zu", l);
    if (!finite_or_say(m->act[l], m->batch * m->sizes[l], name, step, h)) return;
  }
  if (!isfinite(loss)) {
    h->step = step; snprintf(h->tensor, sizeof h->tensor, "loss");
    h->cause = isinf(loss) ? "log of zero" : "invalid operation";
    return;
  }
  for (size_t k = 0; k < R->S->L->ntensors; k++) {
    const struct tensor *T = &R->S->L->tensors[k];
    snprintf(name, sizeof name, "grad %s", T->name);
    if (!finite_or_say(m->grads + T->offset, T->len, name, step, h)) return;
  }
  for (size_t k = 0; k < R->S->L->ntensors; k++) {
    const struct tensor *T = &R->S->L->tensors[k];
    snprintf(name, sizeof name, "%s after the update", T->name);
    if (!finite_or_say(m->params + T->offset, T->len, name, step, h)) return;
  }
}

@ Overfitting one batch: a training set of |batch| images, so that every
step sees the same images (in a new order), then the loss on them.  This
is the longest run of the ladder at the configured rate, so it is also
the one whose NaNs are hunted.
@<Reg: the ladder's helpers@>=
static double overfit_one_batch(const struct ladder_case *lc, struct hunt *h)
{
  const struct rg_plan *pl = plan_of(lc->ch);
  struct dataset one = view_of(lc->train, 0, pl->batch);
  struct reg_run R = ladder_run(lc, &one, 1.0);
  float *before = vec_new(R.S->m->nparams);
  for (size_t s = 0; s < pl->onebatch_steps; s++) {
    vec_copy(before, R.S->m->params, R.S->m->nparams);
    double loss = run_step(&R);
    hunt_step(&R, (long)s, loss, before, h);
  }
  double loss = mlp_evaluate(R.S->m, &one, NULL);
  vec_free(&before);
  run_free(&R);
  return loss;
}

@ The gradient check of the ladder: a fresh network, a batch of eight
training images of the case, the gradient as the case's program computes
it, and the largest relative error over the tensors.
@<Reg: the ladder's helpers@>=
@<Reg: the plain loss for the gradient check@>@;
static double ladder_gradcheck(const struct ladder_case *lc)
{
  struct reg_run R = ladder_run(lc, lc->train, 1.0);
  struct mlp *m = R.S->m;
  struct loss_ctx c = @[{m, NULL, lc->train->x, lc->train->y, 8, 0.0, 0}@];
  const float *z = mlp_forward(m, c.x, c.B);
  xent_smooth(z, c.y, c.B, 10, 0.0, R.dz);
  if (lc->bug == bug_sign) vec_scale(R.dz, -1.0f, c.B * 10);
  mlp_backward(m, R.dz, c.B);
  double worst = check_tensors(m, R.S->L, &c, lc->ch->seed, NULL);
  run_free(&R);
  return worst;
}

@ The loss at the current weights, for |grad_check|: of the plain MLP, or
of a network with dropout, whose mask is drawn from the same seed at
every call so that the loss is a function of the weights alone.
@<Reg: the plain loss for the gradient check@>=
struct loss_ctx {
  struct mlp *m;
  struct dropnet *d;
  const float *x; const uint8_t *y; size_t B;
  double eps; uint64_t mask_seed;
};
static double loss_at(void *p)
{
  struct loss_ctx *c = p;
  if (!c->d) return xent_smooth(mlp_forward(c->m, c->x, c->B), c->y, c->B, 10, c->eps, NULL);
  struct rng r;
  rng_seed(&r, c->mask_seed, 0);
  return xent_smooth(dropnet_forward(c->d, c->x, c->B, &r), c->y, c->B, 10, c->eps, NULL);
}

@ Every tensor is checked at up to 40 coordinates with $h=10^{-2}$;
|r| receives each tensor's error when it is not null, and the largest is
returned.
@<Reg: the plain loss for the gradient check@>=
static double check_tensors(struct mlp *m, const struct layout *L, struct loss_ctx *c,
                            uint64_t seed, double *r)
{
  struct rng g;
  rng_seed(&g, seed, 500);
  double worst = 0.0;
  for (size_t k = 0; k < L->ntensors; k++) {
    const struct tensor *T = &L->tensors[k];
    double e = grad_check(m->params + T->offset, m->grads + T->offset, T->len, 40, 1e-2,
                          loss_at, c, &g);
    if (r) r[k] = e;
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

@ Table~\tableref{08-ladder}: one row per rung, one column per bug, the
number each rung measured, marked with $\bullet$ where the rung fires.
@<Reg: report the ladder@>=
static const char *const rung_name[nrungs] = @[{"initial loss (vs.\\ 2.303)",
  "one batch: loss after training", "LR sweep: best held-out loss",
  "update ratio $\\Vert\\Delta W\\Vert/\\Vert W\\Vert$", "gradient check $r$",
  "NaN hunt: first step"}@];
char table[4096] = "";
struct tsv *t = tsv_open(ch->out, "ladder.tsv", "rung\tbug\tvalue\tcaught");
printf("== ladder: SGD momentum 0.9, lr %g; rung values (* = rung fires)\n", ladder_lr);
for (int k = 0; k < nrungs; k++) {
  appendf(table, sizeof table, "%s", rung_name[k]);
  printf("%-8d", k + 1);
  for (int b = 0; b < nbugs; b++) {
    @<Reg: format one cell of the ladder table@>@;
    tsv_printf(t, "%d\t%s\t%.9g\t%d\n", k + 1, bug_name[b], value[k][b], caught[k][b]);
  }
  appendf(table, sizeof table, "\\cr\n");
  printf("\n");
}
tsv_close(t);
values_put(ch->values, "RGladderTable", "%s", table);
values_put(ch->values, "RGladderLr", "%g", ladder_lr);
@<Reg: report the NaN hunt@>@;

@ A cell.  The NaN hunt shows the step, or a dash when nothing was found.
@<Reg: format one cell...@>=
char cell[64];
if (k == rung_nan) snprintf(cell, sizeof cell, value[k][b] < 0 ? "---" : "%.0f", value[k][b]);
else if (k == rung_norms) sci_text(cell, sizeof cell, value[k][b]);
else snprintf(cell, sizeof cell, isnan(value[k][b]) ? "NaN" : "%.3g", value[k][b]);
bool math = k == rung_norms && isfinite(value[k][b]);
appendf(table, sizeof table, math ? "&$%s$%s" : "&%s%s", cell,
        caught[k][b] ? "\\rlap{\\ $\\bullet$}" : "");
printf("  %-8s %10.4g%s", bug_name[b], value[k][b], caught[k][b] ? "*" : " ");

@ What the hunt found for each bug.
@<Reg: report the NaN hunt@>=
for (int b = 0; b < nbugs; b++)
  if (found[b].step >= 0) {
    printf("NaN hunt, bug %s: step %ld, %s, %s\n", bug_name[b], found[b].step,
           found[b].tensor, found[b].cause);
    if (b == bug_sign) {
      values_put(ch->values, "RGnanStep", "%ld", found[b].step);
      values_put(ch->values, "RGnanTensor", "%s", found[b].tensor);
      values_put(ch->values, "RGnanCause", "%s", found[b].cause);
    }
  } else {
    printf("NaN hunt, bug %s: nothing found\n", bug_name[b]);
    if (b == bug_sign) {
      values_put(ch->values, "RGnanStep", "---");
      values_put(ch->values, "RGnanTensor", "nothing");
      values_put(ch->values, "RGnanCause", "none");
    }
  }

@ Table~\tableref{08-ladder} gives the program's run (seed~1; every case
starts from the same weights, stream~50).
\booktable{08-ladder}{The debugging ladder: SGD with momentum $0.9$ at
rate \val{RGladderLr} on the chapter's network, without a bug and with
each of the three planted bugs, and what each rung measured.
$\bullet$: the rung fires.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\qquad\cr
rung&no bug&labels shuffled&gradient sign&rate $\times100$\cr
\noalign{\smallskip\hrule\smallskip}
\RGladderTable}}}
\noindent
The program without a bug passes every rung.  The initial loss catches
none of the three bugs: each starts from the same healthy weights, and
a shuffled label file or a wrong rate changes nothing before the first
step.  (It catches what Table~\tableref{08-init} showed, a bad initialization.)
Overfitting one batch catches the sign error, whose loss climbs until
the logits overflow, and the too-large rate, which cannot settle; it
does {\it not\/} catch the shuffled labels, because a network memorizes
random labels as easily as true ones---which is the point of the next
rung.  The sweep catches the shuffled labels (no rate brings the
held-out loss below $\ln10$), the sign error, and the rate: the best
rate of its sweep is a hundred times smaller than the configured one.
The norms catch the sign error and the rate, whose updates are as large
as the weights themselves; the gradient check catches the sign error
alone, with $r=1$ exactly, as it must; and the NaN hunt finds the sign
error's overflow at step~\val{RGnanStep}, in the \val{RGnanTensor}
(\val{RGnanCause}).  A rate a hundred times too large made no NaN here:
ReLU networks often stall, with dead units, instead of overflowing.
Every bug was caught by some rung, none by all; the ladder is worth
climbing to the top.

@*1 Experiment: the gradient, layer by layer.
The fifth rung on its own, for every tensor of three networks: the
library's MLP with three layers, $784\to32\to16\to10$; the same weights
through the dropout network of this chapter with $p=|drop_p|$ and label
smoothing $\varepsilon=|smooth_eps|$; and the MLP again with the planted
sign error.  A batch of eight training images; up to 40 coordinates per
tensor.
@<Reg: experiments@>=
static void gradcheck_experiment(struct chapter *ch)
{
  const size_t sizes[4] = @[{ch->train->dim, 32, 16, ch->train->classes}@];
  struct mlp *m = mlp_new(3, sizes);
  struct rng r;
  rng_seed(&r, ch->seed, 600);
  mlp_init(m, &r);
  struct dropnet *d = dropnet_new(m, drop_p);
  struct loss_ctx c = @[{m, NULL, ch->train->x, ch->train->y, 8, 0.0, ch->seed}@];
  struct layout *lay = mlp_layout_groups(m, 0.0);  /* the tensors; the groups do not matter */
  size_t T = lay->ntensors;
  double *err = xcalloc(3 * T, sizeof *err);
  for (int v = 0; v < 3; v++) @<Reg: compute variant |v|'s gradient and check it@>;
  @<Reg: report the gradient check@>@;
  free(err); layout_free(&lay); dropnet_free(&d); mlp_free(&m);
}

@ Variant 0 is the MLP's own gradient; 1 the dropout network's, with the
mask of the seed the loss uses; 2 the MLP's with the sign flipped.
@<Reg: compute variant...@>=
{
  float *dz = vec_new(8 * 10);
  c.d = v == 1 ? d : NULL;
  c.eps = v == 1 ? smooth_eps : 0.0;
  if (v == 1) {
    struct rng mr;
    rng_seed(&mr, c.mask_seed, 0);
    dropnet_loss_grad(d, c.x, c.y, c.B, c.eps, &mr);
  } else {
    xent_smooth(mlp_forward(m, c.x, c.B), c.y, c.B, 10, 0.0, dz);
    if (v == 2) vec_scale(dz, -1.0f, 8 * 10);
    mlp_backward(m, dz, c.B);
  }
  check_tensors(m, lay, &c, ch->seed, err + v * T);
  vec_free(&dz);
}

@ The table of errors.
@<Reg: report the gradient check@>=
struct tsv *t = tsv_open(ch->out, "gradcheck.tsv", "tensor\tmlp\tdropout_smoothing\tsign_bug");
char table[2048] = "";
printf("== gradcheck: relative error r per tensor (mlp, dropout+smoothing, sign bug)\n");
double worst[3] = @[{0, 0, 1}@];
for (size_t k = 0; k < T; k++) {
  const char *name = lay->tensors[k].name;
  tsv_printf(t, "%s\t%.9g\t%.9g\t%.9g\n", name, err[k], err[T + k], err[2 * T + k]);
  printf("%-4s %.3g %.3g %.3g\n", name, err[k], err[T + k], err[2 * T + k]);
  char a[3][48];
  for (int v = 0; v < 3; v++) sci_text(a[v], sizeof a[v], err[v * T + k]);
  appendf(table, sizeof table, "\\.{%s}&$%s$&$%s$&$%s$\\cr\n", name, a[0], a[1], a[2]);
  for (int v = 0; v < 2; v++) if (!(err[v * T + k] <= worst[v])) worst[v] = err[v * T + k];
  if (err[2 * T + k] < worst[2]) worst[2] = err[2 * T + k];
}
tsv_close(t);
values_put(ch->values, "RGgcTable", "%s", table);
values_sci(ch->values, "RGgcWorstPlain", worst[0]);
values_sci(ch->values, "RGgcWorstDrop", worst[1]);
values_put(ch->values, "RGgcLeastBug", "%.3f", worst[2]);

@ Table~\tableref{08-gradcheck} gives the relative errors, per tensor, with
$h=10^{-2}$.
\booktable{08-gradcheck}{Gradient checks, layer by layer: the relative
error $r$ of each tensor's gradient against finite differences with
$h=10^{-2}$, for the MLP $784\to32\to16\to10$, for the same weights with
dropout and label smoothing, and for the MLP with the sign bug.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
tensor&MLP&dropout and smoothing&sign bug\cr
\noalign{\smallskip\hrule\smallskip}
\RGgcTable}}}
\noindent
The correct gradients agree to at most $\val{RGgcWorstPlain}$ (the MLP)
and $\val{RGgcWorstDrop}$ (dropout with smoothing); the last layer, with no
rectifier after it, agrees to $10^{-5}$, and the hidden layers' larger
errors come from rectifiers whose input a step of $\pm h$ carries across
zero.  The sign bug gives $r=\val{RGgcLeastBug}$ or more in every tensor.

@*1 Experiment: exact resume, and the weights alone.
A checkpoint of a session (Appendix~A, part~4) holds everything the run
will read again: the weights, the optimizer's state (Adam's two moments
and its step count), the schedule's position, the sampler's epoch and
position, and the generators.  Resuming from it continues the run as if
it had never stopped, bit for bit; \.{tests/resume.sh} checks this after
a \.{kill -9}.  The common shortcut saves only the weights, the
\.{model.state\_dict()}, and restarts the script.  Then Adam's moments
start from zero again, with the bias correction of a first step; the
schedule starts from step~0, so the warmup is replayed and the cosine
never reaches its low rates; and the sampler starts again at the first
batch of the first epoch.  The experiment runs AdamW on a warmup-cosine
schedule for |resume_steps| steps three ways: straight through; saved
after half the steps, loaded into a new session and continued; and
continued from the saved weights alone, in a new session that runs the
remaining half.
@^checkpoint@>
@^exact resume@>
@<Reg: experiments@>=
static const double resume_lr = 2e-3;
static struct session *resume_session(const struct chapter *ch, size_t k)
{
  const struct rg_plan *pl = plan_of(ch);
  struct rng r;
  rng_seed(&r, ch->seed, 700 + k);
  struct session_config c = @[{.nlayers = 2, .sizes = {ch->train->dim, pl->hidden,
    ch->train->classes}, .opt_name = "adamw", .sched_name = "warmup-cosine",
    .no_decay_bias = true, .batch = pl->batch, .seed = rng_u64(&r), .world = 1}@];
  opt_defaults("adamw", &c.opt);
  c.opt.lr = resume_lr;
  sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = resume_lr;
  c.sched.t_max = (long)pl->resume_steps;
  c.sched.warmup_steps = (long)pl->resume_steps / 10;
  char msg[256];
  struct session *S = session_new(&c, ch->train, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}

@ Per seed, three runs and a comparison of the bits.  The checkpoint is
written into the output directory and removed after it has been read.
@<Reg: experiments@>=
static void resume_experiment(struct chapter *ch)
{
  const struct rg_plan *pl = plan_of(ch);
  struct dataset test = view_of(ch->test, 0, pl->test_n);
  size_t N = pl->resume_steps, H = N / 2, S = pl->seeds < 3 ? pl->seeds : 3;
  double *res = xcalloc(4 * S, sizeof *res);  /* loss and accuracy: straight, weights only */
  float *curve = vec_new(2 * N);
  bool identical = true;
  char path[512];
  snprintf(path, sizeof path, "%s/resume.ckpt", ch->out);
  for (size_t k = 0; k < S; k++) @<Reg: run seed |k| straight, resumed, and from the weights@>;
  @<Reg: report resume@>@;
  free(res); vec_free(&curve);
}

@ The three runs.
@<Reg: run seed |k| straight...@>=
{
  struct session *A = resume_session(ch, k), *B = resume_session(ch, k);
  for (size_t s = 0; s < N; s++) {
    double l = session_step(A);
    if (k == 0) curve[s] = (float)l;
  }
  for (size_t s = 0; s < H; s++) session_step(B);
  if (session_save(B, path) != 0) die("cannot write %s: %s", path, strerror(errno));
  float *weights = vec_new(B->m->nparams);
  vec_copy(weights, B->m->params, B->m->nparams);
  session_free(&B);
  @<Reg: resume from the checkpoint and compare@>@;
  @<Reg: continue from the weights alone@>@;
  res[k] = mlp_evaluate(A->m, &test, &res[S + k]);
  vec_free(&weights);
  session_free(&A);
}

@ The resumed run must end with exactly the straight run's weights.
@<Reg: resume from the checkpoint...@>=
{
  char msg[256];
  struct session *C = resume_session(ch, k);
  if (session_load(C, path, msg, sizeof msg) != 0) die("%s", msg);
  remove(path);
  for (size_t s = H; s < N; s++) session_step(C);
  identical = identical && memcmp(C->m->params, A->m->params, A->m->nparams * sizeof(float)) == 0;
  session_free(&C);
}

@ A new session, the same configuration, the saved weights, and the
remaining steps.
@<Reg: continue from the weights alone@>=
{
  struct session *D = resume_session(ch, k);
  vec_copy(D->m->params, weights, D->m->nparams);
  for (size_t s = H; s < N; s++) {
    double l = session_step(D);
    if (k == 0) curve[N + s] = (float)l;
  }
  res[2 * S + k] = mlp_evaluate(D->m, &test, &res[3 * S + k]);
  session_free(&D);
}

@ The curves are running means over 20 steps of the batch losses.
@<Reg: report resume@>=
struct tsv *t = tsv_open(ch->out, "resume.tsv", "step\tstraight\tweights_only");
for (size_t s = 19; s < N; s++) {
  double a = 0.0, b = 0.0;
  for (size_t j = s - 19; j <= s; j++) { a += curve[j]; b += curve[N + j]; }
  tsv_printf(t, "%zu\t%.9g\t", s + 1, a / 20.0);
  if (s >= H + 19) tsv_printf(t, "%.9g\n", b / 20.0); else tsv_printf(t, "NaN\n");
}
tsv_close(t);
double dl[3], da[3];
for (size_t k = 0; k < S; k++) { dl[k] = res[2 * S + k] - res[k]; da[k] = res[3 * S + k] - res[S + k]; }
struct spread ls = spread_of(res, S), la = spread_of(res + S, S),
  ws = spread_of(res + 2 * S, S), wa = spread_of(res + 3 * S, S),
  dls = spread_of(dl, S), das = spread_of(da, S);
printf("== resume: AdamW, warmup-cosine, %zu steps, saved at %zu, %zu seeds\n", N, H, S);
printf("resumed from the checkpoint equals the straight run bit for bit: %s\n",
       identical ? "yes" : "NO");
printf("test loss straight %.4f +- %.4f (acc %.4f), "@/
       "weights only %.4f +- %.4f (acc %.4f)\n", ls.mean, ls.sd, la.mean, ws.mean, ws.sd, wa.mean);
values_put(ch->values, "RGresumeSame", "%s", identical ? "identical" : "different");
values_spread(ch->values, "RGresumeLoss", ls);
values_spread(ch->values, "RGweightsLoss", ws);
values_spread(ch->values, "RGresumeDiff", dls);
values_spread(ch->values, "RGresumeAccDiff", das);
values_pct(ch->values, "RGresumeAcc", la.mean);
values_pct(ch->values, "RGweightsAcc", wa.mean);
values_put(ch->values, "RGresumeSteps", "%zu", N);
values_put(ch->values, "RGresumeSeeds", "%zu", S);
values_put(ch->values, "RGresumeLr", "%g", resume_lr);

@ The outcome, over \val{RGresumeSeeds} seeds (streams $700+k$),
\val{RGresumeSteps} steps of AdamW with peak rate \val{RGresumeLr} on
the whole training set: the run resumed from the checkpoint ends with
weights \val{RGresumeSame} to the straight run's, bit for bit.  The
straight run ends at a test loss of \val{RGresumeLoss}
(accuracy \val{RGresumeAcc}); the run continued from the weights alone
at \val{RGweightsLoss} (accuracy \val{RGweightsAcc}), a paired difference
of \val{RGresumeDiff}.  The warning, here, does not come true as a worse
number: this run is short and far from converged, and replaying the
warmup and the first half of the cosine gave it more steps at a high
rate, which helped.  What does hold is the weaker and more important
claim: the run is no longer the run that was configured.  Its schedule,
its optimizer state and its data order are those of another experiment,
and a comparison of two configurations, one of which was interrupted,
compares something else.  With the checkpoint the question does not
arise.

\bookfigure{08-regularization-resume}{The batch loss of the first seed,
running mean over 20 steps: straight through (which the resumed run
equals bit for bit), and continued at the halfway point from the saved
weights alone.}

@*1 Exercises.
\item{1.} Predict, then measure: at what depth does $N(0,1)$ overflow
|float|?  Change |init_depth| in the plan.
\item{2.} Make the weight-decay experiment show a difference: a larger
network, more biases, a longer run.  Which one matters?
\item{3.} Train the smoothing experiment for a tenth of the steps.
Is the unsmoothed network still overconfident?
\item{4.} Plant a fourth bug---the softmax taken over the batch instead
of the classes---and find the rung that catches it.
\item{5.} Make the resume experiment's warning come true: run the straight
schedule until the validation loss has converged, then compare again.

