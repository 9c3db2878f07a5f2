@q A3-mlp.w -- Appendix A, part 3: softmax cross-entropy and the MLP @>
@*1 Softmax cross-entropy and a multilayer perceptron.
The network that the chapters train on Fashion-MNIST is the simplest one
that is still a deep network: a multilayer perceptron (MLP), a chain of
fully connected layers with a rectifier between each two, ending in ten
@^ReLU@>
scores, the {\it logits}, one per class.  The loss is softmax
cross-entropy, the negative log-probability that the softmax of the logits
gives to the right class, averaged over the mini-batch.  This part
implements both, with the backward pass written out by hand: no automatic
@^backward pass@>
differentiation, just the two matrix products per layer that every
framework performs behind its \.{backward()}.

The layer sizes are free: $784$--$128$--$10$ for a quick experiment,
$784$--$1024$--$512$--$10$ for the trainer of Chapter~9, and a single
layer $784$--$10$ for softmax regression.  A program creates a network
with |mlp_new|, draws its initial weights with |mlp_init|, and then, for
each mini-batch, calls |mlp_loss_grad|, which leaves the gradient of the
batch's mean loss in |grads|, and hands |params| and |grads| to an
optimizer.  |mlp_evaluate| reports the loss and accuracy on a whole data
set.

@ The header of this part.  Like the data part's, it is included by
\.{descent.h} after the toolkit's declarations and the data part's, so it
may use |struct rng| and |struct dataset|.
@(descent-mlp.h@>=
#ifndef DESCENT_MLP_H
#define DESCENT_MLP_H
#include "descent-data.h"
#include <stddef.h>
#include <stdint.h>
@<MLP: public declarations@>@;
#endif

@ The implementation.  The matrix products come first, since everything
else is written in terms of them; small helpers of the passes come before
the functions that call them.
@(mlp.c@>=
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<MLP: matrix products@>@;
@<MLP: loss functions@>@;
@<MLP: helpers@>@;
@<MLP: network functions@>@;

@ Softmax cross-entropy of a batch of $B$ rows of $K$ logits
$z_{i1},\ldots,z_{iK}$ with labels $y_i$ is
$$L={1\over B}\sum_{i=1}^B \ell_i,\qquad
  \ell_i=-\log p_{iy_i},\qquad p_{ik}={e^{z_{ik}}\over\sum_j e^{z_{ij}}},$$
exactly PyTorch's \.{nn.CrossEntropyLoss()} with its default mean
reduction.  Its gradient is remarkably simple: from
$\ell_i=\log\sum_j e^{z_{ij}}-z_{iy_i}$,
$${\partial L\over\partial z_{ik}}={1\over B}\bigl(p_{ik}-[k=y_i]\bigr),$$
where $[k=y_i]$ is 1 if $k=y_i$ and 0 otherwise: the predicted
probabilities minus the one-hot target, divided by $B$ because the loss
is a mean.  |softmax_xent| returns $L$ and, if
|dlogits| is not null, writes this gradient there ($B\times K$, like the
logits).
@^PyTorch compatibility@>
@<MLP: public declarations@>=
double softmax_xent(const float *logits, const uint8_t *y, size_t B, size_t K,
                    float *dlogits);

@ Computed as written, $e^{z}$ overflows single precision for $z>88.7$ and
double precision for $z>709.8$, and a row of very negative logits makes
every term underflow to zero and the logarithm $-\infty$.  The standard
cure subtracts the row's largest logit $\mu_i$ first:
$$\log\sum_j e^{z_{ij}}=\mu_i+\log\sum_j e^{z_{ij}-\mu_i}.$$
Now every exponent is at most zero, so no term overflows, and the
largest term is exactly~1, so the sum lies between 1 and $K$ and its
logarithm is harmless.  The probabilities $p_{ik}=e^{z_{ik}-\mu_i}/s_i$ come
from the same shifted terms.
@^overflow in softmax@>
@^log-sum-exp@>

All of this is done in |double|: the logits are |float|, but the sum
$s_i$, the logarithm and the mean over the batch are scalars that the
text reports, and the library's rule (Appendix~A, part~1) is that sums
producing a single reported number accumulate in double.  The gradient is
rounded to |float| once, at the end.
@<MLP: loss functions@>=
double softmax_xent(const float *logits, const uint8_t *y, size_t B, size_t K,
                    float *dlogits)
{
  assert(logits && y && B > 0 && K > 0);
  double total = 0.0;
  for (size_t i = 0; i < B; i++) {
    const float *z = logits + i * K;
    assert(y[i] < K);
    @<MLP: find the row's largest logit |mu| and the shifted sum |s|@>;
    total += mu + log(s) - z[y[i]];
    if (dlogits) @<MLP: write the row's gradient into |dlogits|@>;
  }
  return total / (double)B;
}

@ A logit that is not a number makes |s| not a number, and so the loss:
the comparison |z[k] > mu| is false for a NaN, but the NaN still enters
the sum.  A diverging run therefore reports a NaN loss, as PyTorch does,
rather than a plausible number.
@^NaN propagation@>
@<MLP: find the row's largest logit...@>=
double mu = z[0], s = 0.0;
for (size_t k = 1; k < K; k++) if (z[k] > mu) mu = z[k];
for (size_t k = 0; k < K; k++) s += exp((double)z[k] - mu);

@ The exponentials are computed a second time rather than stored: $K$ is
ten in this book, and a scratch array would cost more to explain than
the ten calls cost to run.
@<MLP: write the row's gradient...@>=
{
  float *d = dlogits + i * K;
  for (size_t k = 0; k < K; k++) {
    double p = exp((double)z[k] - mu) / s;
    d[k] = (float)((p - (k == y[i] ? 1.0 : 0.0)) / (double)B);
  }
}

@*1 Matrix products.
A fully connected layer applied to a batch is a matrix product, and so
are both halves of its backward pass.  Nearly all the time of training
an MLP goes into these products, so they deserve some care even in an
appendix whose first aim is clarity.  (The final trainer of Chapter~9
returns to them with blocking and explicit vector instructions, in a
function |sgemm| that the network below calls; the functions here are
the reference against which the tests check it.)  We write three:
$C=AB$, $C=A^{\top}B$ and $C=AB^{\top}$, with all matrices stored row by
row.

The obvious loop for $C=AB$ computes each $c_{ij}=\sum_p a_{ip}b_{pj}$ as a
dot product, walking down a column of $B$---a stride of $n$ floats, a new
cache line at every step.  Exchanging the two inner loops gives
$$c_{i\cdot}\gets\sum_p a_{ip}\,b_{p\cdot}:$$
row $i$ of $C$ is a combination of the rows of $B$, each added with
weight $a_{ip}$.  Now the innermost loop runs along a row of $B$ and a
row of $C$, both contiguous, and it is an ``axpy'', which the compiler
turns into vector instructions (we say so with \.{\#pragma omp simd}).
The row of $C$ stays in the first-level cache while it accumulates.
@^cache-friendly loop order@>
@^OpenMP@>

@ Two properties matter more than speed, and the loop order gives both.
{\it Precision}: $c_{ij}$ accumulates in |float|, one rounding per
addition, in the fixed order $p=0,1,\ldots,k-1$; this is single
precision like PyTorch's products (not bit for bit the same, since BLAS
libraries add in other orders).  {\it Determinism}: the rows of $C$ are
independent, so they are shared out among threads with \.{\#pragma omp
parallel for}, and each element is computed by one thread, in the same
order, whatever the number of threads---the results are identical bit for
bit on one core or sixteen.  There is no parallel reduction anywhere,
since that would make the order of additions depend on the thread count.
The |if| clause keeps small products (below about a million
multiply-adds) on one thread, where waking the others would cost more
than it saves; it changes who computes a row, not how.

A warning for shared machines.  While they wait for work, the threads of
GCC's OpenMP library spin for a while before they sleep.  If two such
programs run at once on fewer cores than they have threads between them,
each spinning thread takes the core that another needs to finish, and
both runs can become many times slower than either alone.  Setting the
environment variable \.{OMP\_WAIT\_POLICY=passive}, which makes waiting
threads sleep at once, or \.{OMP\_NUM\_THREADS=1} avoids this; neither
changes a single bit of the results.
@.OMP\_WAIT\_POLICY@>
@^oversubscription@>
@^determinism under threads@>
@^float32 accumulation@>
@<MLP: matrix products@>=
#define PARALLEL_MIN_WORK ((size_t)1 << 20) /* multiply-adds */

@ The two pragmas get names of their own, so that the products below read
as plain loops.  The first divides the iterations of the loop that follows
into as many contiguous blocks as there are threads, one block each
(\.{schedule(static)}); the second allows the compiler to compute several
consecutive iterations of the loop that follows with one vector
instruction, which is safe because they touch different elements of
$C$---it changes nothing in the order of any element's additions.
@<MLP: share the rows of $C$ among the threads@>=
#pragma omp parallel for schedule(static) if (m * k * n >= PARALLEL_MIN_WORK)

@ The pragma that asks the compiler to vectorize the loop after it; in a section of its own, so that it does not disturb the typeset function.
@<MLP: vectorize the next loop@>=
#pragma omp simd

@ $C=AB$, with $A$ of $m\times k$, $B$ of $k\times n$, $C$ of $m\times n$.
@<MLP: matrix products@>=
void matmul(float *c, const float *a, const float *b, size_t m, size_t k, size_t n)
{
  @<MLP: share the rows of $C$ among the threads@>@;
  for (size_t i = 0; i < m; i++) {
    float *ci = c + i * n;
    for (size_t j = 0; j < n; j++) ci[j] = 0.0f;
    for (size_t p = 0; p < k; p++) {
      const float aip = a[i * k + p], *bp = b + p * n;
      @<MLP: vectorize the next loop@>@;
      for (size_t j = 0; j < n; j++) ci[j] += aip * bp[j];
    }
  }
}

@ $C=A^{\top}B$, with $A$ of $k\times m$, $B$ of $k\times n$, $C$ of $m\times n$.
It is the same loop; only $a_{ip}$, which is now the element $(p,i)$ of the
stored $A$, is fetched from another place.
@<MLP: matrix products@>=
void matmul_tn(float *c, const float *a, const float *b, size_t m, size_t k, size_t n)
{
  @<MLP: share the rows of $C$ among the threads@>@;
  for (size_t i = 0; i < m; i++) {
    float *ci = c + i * n;
    for (size_t j = 0; j < n; j++) ci[j] = 0.0f;
    for (size_t p = 0; p < k; p++) {
      const float api = a[p * m + i], *bp = b + p * n;
      @<MLP: vectorize the next loop@>@;
      for (size_t j = 0; j < n; j++) ci[j] += api * bp[j];
    }
  }
}

@ The third product, $C=AB^{\top}$, with $A$ of $m\times k$ and $B$ of
$n\times k$, is what the forward pass needs, and it does not fit the
pattern: row $i$ of $C$ would combine the {\it columns} of $B$.  But
$c_{ij}$ is the dot product of row $i$ of $A$ with row $j$ of $B$, both
contiguous, and that is how the reference computes it, again adding in
the order $p=0,1,\ldots,k-1$.
@<MLP: matrix products@>=
void matmul_nt(float *c, const float *a, const float *b, size_t m, size_t k, size_t n)
{
  @<MLP: share the rows of $C$ among the threads@>@;
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++) {
      float s = 0.0f;
      for (size_t p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s;
    }
}

@ The three reference products are public, for the tests of Chapter~9's
|sgemm|.
@<MLP: public declarations@>=
void matmul(float *c, const float *a, const float *b, size_t m, size_t k, size_t n);
void matmul_tn(float *c, const float *a, const float *b, size_t m, size_t k, size_t n);
void matmul_nt(float *c, const float *a, const float *b, size_t m, size_t k, size_t n);

@ The sums of the columns of an $m\times n$ matrix, for the gradient of a
bias, again in a fixed order, row after row.
@<MLP: matrix products@>=
static void column_sums(float *s, const float *a, size_t m, size_t n)
{
  for (size_t j = 0; j < n; j++) s[j] = 0.0f;
  for (size_t i = 0; i < m; i++) {
    const float *ai = a + i * n;
    @<MLP: vectorize the next loop@>@;
    for (size_t j = 0; j < n; j++) s[j] += ai[j];
  }
}

@*1 The network.
An MLP with $L$ layers maps an input row $h_0=x$ of $n_0$ features to
$n_L$ logits through
$$z_{l+1}=W_l h_l+b_l,\qquad h_{l+1}=\max(z_{l+1},0)\quad(l<L-1),$$
and the logits are $z_L$, with no rectifier after the last layer.
Layer~$l$ has a weight matrix $W_l$ of $n_{l+1}\times n_l$ and a bias
$b_l$ of $n_{l+1}$; this is PyTorch's \.{nn.Linear}$(n_l,n_{l+1})$,
whose \.{weight} is stored {\it out by in}, row-major, so that a batch of
rows $X$ ($B\times n_l$) becomes $XW_l^{\top}+{\bf 1}b_l^{\top}$, where
${\bf 1}$ is a column of $B$ ones.  Storing the weights the same way makes
it trivial to copy a network between this library and PyTorch.
@^PyTorch compatibility@>

All weights and biases live in one flat vector |params|, layer after
layer, each layer's $W_l$ (row by row) followed by its $b_l$; the
gradient |grads| has the same layout.  An optimizer sees one vector of
|nparams| floats and needs to know nothing about layers.
@<MLP: public declarations@>=
struct mlp {
  size_t nlayers;        /* $L$, the number of linear layers */
  size_t *sizes;         /* $n_0,\ldots,n_L$: inputs, hidden widths, classes */
  size_t nparams;        /* length of |params| and of |grads| */
  float *params, *grads; /* $W_0,b_0,W_1,b_1,\ldots$, one flat vector each */
  size_t *offset;        /* where $W_l$ starts in |params|; $b_l$ follows it */
  struct layout *tensor_layout; /* the tensors \.{W0}, \.{b0}, \.{W1} and so on of |params| */
  @<MLP: fields for the forward and backward passes@>@;
};

@ The functions.  |mlp_weights| and |mlp_bias| point into |params|;
|mlp_dweights| and |mlp_dbias| point to the same places in |grads|.
@<MLP: public declarations@>=
struct mlp *mlp_new(size_t nlayers, const size_t *sizes);
struct layout *mlp_layout_groups(const struct mlp *m, double bias_weight_decay);
void mlp_init(struct mlp *m, struct rng *r);
float *mlp_weights(struct mlp *m, size_t l);
float *mlp_bias(struct mlp *m, size_t l);
float *mlp_dweights(struct mlp *m, size_t l);
float *mlp_dbias(struct mlp *m, size_t l);
const float *mlp_forward(struct mlp *m, const float *x, size_t B);
void mlp_backward(struct mlp *m, const float *dlogits, size_t B);
double mlp_loss_grad(struct mlp *m, const float *x, const uint8_t *y, size_t B);
double mlp_evaluate(struct mlp *m, const struct dataset *d, double *accuracy);
void mlp_free(struct mlp **m);

@ A new network has its layout computed and its parameters and gradients
set to zero; |mlp_init| draws the weights.  Every width must be positive.
@<MLP: network functions@>=
struct layout *mlp_layout_groups(const struct mlp *m, double bias_weight_decay)
{
  struct layout *L = layout_copy(m->tensor_layout);
  unsigned g = layout_add_group(L, NAN, bias_weight_decay);
  for (size_t k = 0; k < L->ntensors; k++)
    if (L->tensors[k].ndim == 1) L->tensors[k].group = g;
  return L;
}
struct mlp *mlp_new(size_t nlayers, const size_t *sizes)
{
  assert(nlayers >= 1 && sizes);
  struct mlp *m = xcalloc(1, sizeof *m);
  m->nlayers = nlayers;
  m->sizes = xmalloc((nlayers + 1) * sizeof(size_t));
  m->offset = xmalloc(nlayers * sizeof(size_t));
  @<MLP: record the widths and lay out the parameters@>;
  m->params = vec_new(m->nparams);
  m->grads = vec_new(m->nparams);
  @<MLP: allocate the scratch space of the passes@>;
  return m;
}

@ The widths are copied, and each must be positive.
@<MLP: record the widths...@>=
for (size_t l = 0; l <= nlayers; l++) {
  assert(sizes[l] > 0);
  m->sizes[l] = sizes[l];
}
m->nparams = 0;
for (size_t l = 0; l < nlayers; l++) {
  m->offset[l] = m->nparams;
  m->nparams += sizes[l + 1] * sizes[l] + sizes[l + 1];
}
@<MLP: publish the layout of the parameters@>@;

@ The network publishes its parameters as a layout (Appendix~A, part~1):
\.{W$l$}, of shape $n_{l+1}\times n_l$, and \.{b$l$}, of $n_{l+1}$, for
each layer, in the order of |params|, all in group~0.  A program that
wants its biases without weight decay, as most training recipes do,
calls |mlp_layout_groups|, which puts them in a group of their own.
@^parameter groups@>
@<MLP: publish the layout...@>=
m->tensor_layout = layout_new();
for (size_t l = 0; l < nlayers; l++) {
  char name[layout_max_name];
  const size_t shape[2] = {sizes[l + 1], sizes[l]};
  snprintf(name, sizeof name, "W%zu", l);
  layout_add(m->tensor_layout, name, 2, shape, 0);
  snprintf(name, sizeof name, "b%zu", l);
  layout_add(m->tensor_layout, name, 1, shape, 0);
}
assert(m->tensor_layout->n == m->nparams);
@ Views of one layer's weights and bias, in the parameters and in the gradients.
@<MLP: network functions@>=
float *mlp_weights(struct mlp *m, size_t l)
{ assert(l < m->nlayers); return m->params + m->offset[l]; }
float *mlp_bias(struct mlp *m, size_t l)
{ assert(l < m->nlayers); return m->params + m->offset[l] + m->sizes[l + 1] * m->sizes[l]; }
float *mlp_dweights(struct mlp *m, size_t l)
{ assert(l < m->nlayers); return m->grads + m->offset[l]; }
float *mlp_dbias(struct mlp *m, size_t l)
{ assert(l < m->nlayers); return m->grads + m->offset[l] + m->sizes[l + 1] * m->sizes[l]; }

@ The initial weights follow He, Zhang, Ren and Sun (2015): each entry of
$W_l$ is drawn from a normal distribution with mean zero and standard
deviation $\sqrt{2/n_l}$, where $n_l$, the layer's number of inputs, is
its {\it fan-in}; the biases start at zero.  The reasoning: with
independent weights of variance $\sigma^2$, a pre-activation $z$ has
variance $n_l\sigma^2$ times the mean square of the layer's inputs, and a
rectifier keeps half of a symmetric $z$'s mean square; $\sigma^2=2/n_l$
makes the two factors cancel, so that the size of the signal neither
grows nor shrinks from layer to layer.  This is PyTorch's
\.{nn.init.kaiming\_normal\_(w, nonlinearity="relu")}, not its default
for \.{nn.Linear}, which draws weights and biases uniformly from
$[-1/\sqrt{n_l},1/\sqrt{n_l}]$, a variance of $1/(3n_l)$, a sixth of
He's; Chapter~8 compares the choices.  The normal deviates are drawn layer
by layer, each matrix row by row, so that a seed fixes every weight.
@^He initialization@>
@^Kaiming initialization@>
@<MLP: network functions@>=
void mlp_init(struct mlp *m, struct rng *r)
{
  assert(m && r);
  for (size_t l = 0; l < m->nlayers; l++) {
    size_t in = m->sizes[l], out = m->sizes[l + 1];
    double std = sqrt(2.0 / (double)in);
    float *w = mlp_weights(m, l);
    for (size_t i = 0; i < out * in; i++) w[i] = (float)(std * rng_normal(r));
    vec_fill(mlp_bias(m, l), out, 0.0f);
  }
}

@*1 The forward pass.
The forward pass takes a batch $X$ of $B$ rows and computes, layer by layer,
$$Z_{l+1}=H_lW_l^{\top}+{\bf 1}b_l^{\top},\qquad H_{l+1}=\max(Z_{l+1},0)
  \quad(l<L-1),$$
starting from $H_0=X$; it returns the logits $Z_L$, a $B\times n_L$
matrix.

It also keeps, for the backward pass, everything that pass will need.
Going back through layer~$l$ needs the layer's input $H_l$ (the gradient
of $W_l$ is built from it) and, to go back through the rectifier that
produced $H_l$, which entries of $Z_l$ were positive.  The second is
known from the first, since $h>0$ exactly where $z>0$, so the
pre-activations $Z$ are not kept at all.  What is cached is the list
|act|: |act[0]| a copy of the input $X$, |act[l]| the activation $H_l$ of
each hidden layer, and |act[L]| the logits.  The input is copied, not
pointed to, so that the caller may reuse its batch buffer before calling
|mlp_backward|.  The caches grow to the largest batch seen and are
overwritten by the next forward pass; |batch| remembers how many rows the
last one had.
@<MLP: fields for the forward and backward passes@>=
size_t cap;            /* rows the caches can hold */
size_t batch;          /* rows of the last forward pass; 0 before the first */
float **act;           /* |act[l]|: $H_l$ ($B\times n_l$); |act[L]|: logits */
float *delta[2];       /* scratch: gradients flowing back, $B\times\max n_l$ */

@ The per-row caches wait for the first batch.
@<MLP: allocate the scratch space...@>=
m->act = xcalloc(nlayers + 1, sizeof(float *));

@ Growing the caches does not keep their contents: it happens only at the
start of a forward pass, which rewrites them anyway.
@<MLP: network functions@>=
static void mlp_reserve(struct mlp *m, size_t B)
{
  if (B <= m->cap) return;
  size_t widest = 0;
  for (size_t l = 0; l <= m->nlayers; l++) {
    free(m->act[l]);
    m->act[l] = xmalloc(B * m->sizes[l] * sizeof(float));
    if (m->sizes[l] > widest) widest = m->sizes[l];
  }
  for (int t = 0; t < 2; t++) {
    free(m->delta[t]);
    m->delta[t] = xmalloc(B * widest * sizeof(float));
  }
  m->cap = B;
}

@ The forward pass itself.  The pointer it returns is |act[L]|, valid
until the next call.
@<MLP: network functions@>=
const float *mlp_forward(struct mlp *m, const float *x, size_t B)
{
  assert(m && x && B > 0);
  mlp_reserve(m, B);
  m->batch = B;
  memcpy(m->act[0], x, B * m->sizes[0] * sizeof(float));
  for (size_t l = 0; l < m->nlayers; l++)
    @<MLP: compute |act[l+1]| from |act[l]|@>;
  return m->act[m->nlayers];
}

@ One layer is one call of Chapter~9's |sgemm|: the product
$H_lW_l^{\top}$ (the second operand transposed), the bias added to every
row, and the rectifier unless this is the last layer, all applied to
each tile of the result while it is still in the processor's registers.
Each row of the result depends only on the same row of the input,
computed the same way whatever else is in the batch: a row's logits do
not depend on its batch.  (|add_bias| and |relu| below say the same in
plain loops; the tests check |sgemm| against them.)
@<MLP: compute |act[l+1]|...@>=
{
  size_t in = m->sizes[l], out = m->sizes[l + 1];
  sgemm(false, true, B, out, in, m->act[l], in, mlp_weights(m, l), in,
        m->act[l + 1], out, mlp_bias(m, l), l + 1 < m->nlayers);
}

@ The rectifier is written |z < 0 ? 0 : z| so that a NaN passes through
it, as it does through PyTorch's \.{relu}; the other way round,
|z > 0 ? z : 0|, would quietly turn a NaN into zero and hide a diverging
run.
@^NaN propagation@>
@<MLP: public declarations@>=
void add_bias(float *z, const float *b, size_t B, size_t n);
void relu(float *z, size_t n);

@ The two loops.
@<MLP: helpers@>=
void add_bias(float *z, const float *b, size_t B, size_t n)
{
  for (size_t i = 0; i < B; i++)
    for (size_t j = 0; j < n; j++) z[i * n + j] += b[j];
}
void relu(float *z, size_t n)
{
  for (size_t i = 0; i < n; i++) z[i] = z[i] < 0.0f ? 0.0f : z[i];
}

@*1 The backward pass.
Given $G=\partial L/\partial Z_L$, the gradient of the loss with respect
to the logits (|softmax_xent| computes it), the backward pass walks the
layers from the last to the first.  At layer~$l$, with
$G=\partial L/\partial Z_{l+1}$ a $B\times n_{l+1}$ matrix and
$Z_{l+1}=H_lW_l^{\top}+{\bf 1}b_l^{\top}$, the chain rule gives
$${\partial L\over\partial W_l}=G^{\top}H_l,\qquad
  {\partial L\over\partial b_l}=G^{\top}{\bf 1},\qquad
  {\partial L\over\partial H_l}=G\,W_l,$$
and, through the rectifier $H_l=\max(Z_l,0)$,
$${\partial L\over\partial Z_l}={\partial L\over\partial H_l}\odot[H_l>0],$$
which is the $G$ of the layer below.  The first two are the gradients we
want (they sum over the batch, and the mean's factor $1/B$ is already in
$G$); the third is needed only to continue, so it is skipped at the
first layer.  In shapes: $G^{\top}H_l$ is $(n_{l+1}\times B)(B\times
n_l)$, the shape of $W_l$; $GW_l$ is $(B\times n_{l+1})(n_{l+1}\times
n_l)$, the shape of $H_l$.  So the backward pass costs two products per
layer to the forward pass's one.
@^backpropagation@>

@ The gradient {\it overwrites} |grads|; it is not added to what was there.
PyTorch accumulates into \.{.grad} and asks for \.{zero\_grad()} before
each backward pass, a design that serves gradient accumulation over
micro-batches but turns a forgotten call into a silent bug: the step then
uses the sum of all gradients so far.  Nearly every program in this book
takes one gradient per step, so overwriting is the right default, and it
saves a pass over memory; a program that wants a sum over several batches adds
copies with |vec_axpy|.
@^zero grad@>

The gradients flowing back, one $B\times n_l$ matrix per layer, alternate
between two scratch buffers: each layer writes into the buffer that does
not hold its own input.  |dlogits| may be one of them (|mlp_loss_grad|
puts it in |delta[0]|).
@<MLP: network functions@>=
void mlp_backward(struct mlp *m, const float *dlogits, size_t B)
{
  assert(m && dlogits && B > 0 && B == m->batch);
  const float *g = dlogits;
  for (size_t l = m->nlayers; l-- > 0; ) {
    size_t in = m->sizes[l], out = m->sizes[l + 1];
    @q solution mlp_weight_grad: memset(mlp_dweights(m, l), 0, out * in * sizeof(float)); @>
    sgemm(true, false, out, in, B, g, out, m->act[l], in, mlp_dweights(m, l), in, NULL, false);
    @q end solution @>
    column_sums(mlp_dbias(m, l), g, B, out);
    if (l > 0) @<MLP: replace |g| by the gradient with respect to $Z_l$@>;
  }
}

@ $\partial L/\partial H_l=GW_l$, then the rectifier's mask: the gradient
stops where $H_l$ is zero and passes elsewhere.  The test is written
|a[i] <= 0|, as PyTorch's \.{threshold\_backward} writes it, so that we
agree with it even about a NaN activation (through which the gradient
passes).
@<MLP: replace |g|...@>=
{
  float *h = g == m->delta[0] ? m->delta[1] : m->delta[0];
  sgemm(false, false, B, in, out, g, out, mlp_weights(m, l), in, h, in, NULL, false);
  const float *a = m->act[l];
  @q solution relu_backward: (void)a; @>
  for (size_t i = 0; i < B * in; i++) if (a[i] <= 0.0f) h[i] = 0.0f;
  @q end solution @>
  g = h;
}

@ The usual step: forward, loss, backward.  It returns the mean loss of
the batch and leaves its gradient in |grads|.
@<MLP: network functions@>=
double mlp_loss_grad(struct mlp *m, const float *x, const uint8_t *y, size_t B)
{
  const float *z = mlp_forward(m, x, B);
  float *dz = m->delta[0];
  double loss = softmax_xent(z, y, B, m->sizes[m->nlayers], dz);
  mlp_backward(m, dz, B);
  return loss;
}

@*1 Evaluation.
The loss and accuracy on a whole data set are computed in batches of
a thousand rows, taken straight from the data set (its rows are
contiguous, so no copying is needed) and fed to the forward pass.  The
mean losses of the batches are weighted by their sizes and summed in
double.  Since a row's logits do not depend on its batch, the accuracy
does not depend on the batch size |EVAL_BATCH|, and the loss depends on
it only through the rounding of that final sum.  Evaluation uses the
forward pass's caches, so it must not come between a forward and a
backward pass.
@<MLP: network functions@>=
#define EVAL_BATCH 1000
double mlp_evaluate(struct mlp *m, const struct dataset *d, double *accuracy)
{
  assert(m && d && d->n > 0 && d->dim == m->sizes[0]);
  size_t K = m->sizes[m->nlayers], correct = 0;
  double total = 0.0;
  for (size_t i = 0; i < d->n; i += EVAL_BATCH) {
    size_t B = d->n - i < EVAL_BATCH ? d->n - i : EVAL_BATCH;
    const float *z = mlp_forward(m, d->x + i * d->dim, B);
    total += softmax_xent(z, d->y + i, B, K, NULL) * (double)B;
    correct += count_correct(z, d->y + i, B, K);
  }
  if (accuracy) *accuracy = (double)correct / (double)d->n;
  return total / (double)d->n;
}

@ A prediction is the class with the largest logit, the first one if
several tie (as \.{torch.argmax} chooses).
@<MLP: helpers@>=
static size_t count_correct(const float *z, const uint8_t *y, size_t B, size_t K)
{
  size_t correct = 0;
  for (size_t i = 0; i < B; i++) {
    size_t best = 0;
    for (size_t k = 1; k < K; k++) if (z[i * K + k] > z[i * K + best]) best = k;
    correct += best == y[i];
  }
  return correct;
}

@ Freeing a network releases every buffer it allocated and clears the caller's pointer.
@<MLP: network functions@>=
void mlp_free(struct mlp **mp)
{
  struct mlp *m = *mp;
  if (!m) return;
  for (size_t l = 0; l <= m->nlayers; l++) free(m->act[l]);
  free(m->act); free(m->delta[0]); free(m->delta[1]);
  free(m->params); free(m->grads); free(m->sizes); free(m->offset);
  layout_free(&m->tensor_layout);
  free(m);
  *mp = NULL;
}
