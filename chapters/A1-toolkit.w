@q A1-toolkit.w -- Appendix A, part 1: the toolkit every chapter links @>
@* The toolkit.
Every program in this book links one small library, \.{libdescent}, and this
appendix is its source.  A chapter that needs random numbers, a test
function, an optimizer or a data file calls it here instead of writing it
again, so that the code a reader studies in chapter~1 is the code that
runs in the trainer of chapter~9.  The library is deliberately plain: \CEE/17, no
dependencies beyond the \CEE/ library, zlib and OpenMP, single precision
for everything that PyTorch keeps in single precision.

To use it, a program says \.{\#include "descent.h"} and links
\.{build/lib/libdescent.a -lz -lm}.  This first part covers errors and
memory, random numbers, float vectors, the two-dimensional test problems,
the optimizer interface (whose optimizers are derived in chapters 2
and~3), files written atomically,
tab-separated output and the command line.  The second part reads
Fashion-MNIST; the third builds the multilayer perceptron.

Every public function is covered by a test in \.{tests/}, run by
\.{make check}; the optimizers are also checked against PyTorch by the
\.{replay} program of Appendix~B.

@ The toolkit's header collects the declarations that this part writes next
to its definitions (the section $\langle\,$Toolkit: public declarations$\,\rangle$
grows throughout this appendix).  Every header of the library stands
alone: it includes what it uses and nothing more, so that a program, or a
CUDA kernel, may include just the one it needs.  The header that a
program includes, \.{descent.h}, is not written by any chapter: the
build assembles it from the list of all headers that the chapters write,
so that a chapter that ships code into the library adds its header to the
book without touching this appendix.  It also includes the standard
headers that the chapters' programs use (\.{errno.h}, \.{float.h},
\.{limits.h}, \.{math.h}, \.{stdarg.h}, \.{stdlib.h}, \.{string.h},
\.{time.h}), so that a chapter's program includes \.{descent.h} alone.
@(descent-base.h@>=
#ifndef DESCENT_BASE_H
#define DESCENT_BASE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
struct dataset;
@<Toolkit: public declarations@>@;
#endif

@*1 Errors and memory.
Three kinds of failure reach a program, and each gets one treatment,
the same in every chapter.
{\it Misuse by the caller}---a null pointer, a length of zero where
one is required---is a bug in the program, caught by |assert| at the
entry of the function.  {\it Failure of the environment}---memory
exhausted, a disk that is full---is reported by |die| in one line,
with exit status~1.  {\it Bad input from the user}---an unknown flag,
a number that is not a number, a corrupt file---is reported in one line
that says where the problem was, with exit status~2 for the command
line (|usage_error|), and as an error message returned to the caller by
the library's readers, which never exit on their own.

Every message starts with the program's name, which |main| stores in
|program_name| before anything else.
The macro |printf_like(f,a)| asks the compiler to check the arguments of
such a function against its format string, as it does for |printf|.
@<Toolkit: public declarations@>=
#define printf_like(f, a) __attribute__((format(printf, f, a)))
extern const char *program_name;
_Noreturn void die(const char *fmt, ...) printf_like(1, 2);
_Noreturn void usage_error(const char *fmt, ...) printf_like(1, 2);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);

@ The implementation file for this part.
@(util.c@>=
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
const char *program_name = "descent";
@<Toolkit: error functions@>@;
@<Toolkit: number parsing@>@;
@<Toolkit: command-line helpers@>@;
@<Toolkit: chapter functions@>@;

@ Both error functions print one line on the standard error stream and
exit.  A message never ends with a period and never contains a newline,
so that a script can read it.
@^error messages@>
@<Toolkit: error functions@>=
void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", program_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

@ A usage error also tells the user where to find help.
@.try --help@>
@<Toolkit: error functions@>=
void usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", program_name);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (try %s --help)\n", program_name);
  va_end(ap);
  exit(2);
}

@ Allocation either succeeds or ends the program; no caller in this book
has a better plan for running out of memory.  |xcalloc| also catches the
overflow of |count*size| (which |calloc| does itself, but we say so).
@.out of memory@>
@<Toolkit: error functions@>=
void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory (%zu bytes)", n);
  return p;
}
void *xcalloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) die("out of memory (%zu x %zu bytes)", count, size);
  return p;
}

@*1 Random numbers.
Every experiment in this book is repeatable: the same seed gives the same
bits.  That rules out |rand| (whose sequence differs between C libraries)
and calls for a generator we write ourselves.  We use O'Neill's PCG32,
the member ``XSH RR 64/32'' of the PCG family: a 64-bit linear congruential
generator whose state is never shown directly; each output is the high bits
of the state, shifted and then rotated by an amount that the state's own top
bits choose.  It is small (16 bytes), fast, passes the standard statistical
test batteries, and, importantly here, has {\it streams}: the increment
|inc| of the congruence selects one of $2^{63}$ independent sequences, so
that a chapter can give the data shuffler, the initializer and the dropout
masks generators that never overlap.
@^PCG32@>
@<Toolkit: public declarations@>=
struct rng { uint64_t state, inc; };
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint32_t rng_u32(struct rng *r);
uint64_t rng_u64(struct rng *r);

@ The random-number file.
@(rng.c@>=
#include <assert.h>
#include <math.h>
#include "descent.h"
@<Toolkit: RNG functions@>@;

@ One step advances the state by the congruence
$s\gets a s+c \pmod{2^{64}}$ with O'Neill's multiplier
$a=6364136223846793005$, then outputs the 32-bit rotation of
$((s\oplus s/2^{18})/2^{27}) \bmod 2^{32}$ by $\lfloor s/2^{59}\rfloor$
places, computed from the {\it old} state.  The expression |(-rot)&31|
is the left rotation's count, written so that no shift by 32 occurs.
@<Toolkit: RNG functions@>=
uint32_t rng_u32(struct rng *r)
{
  uint64_t old = r->state;
  r->state = old * 6364136223846793005ULL + r->inc;
  uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
  uint32_t rot = (uint32_t)(old >> 59);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

@ Seeding follows the reference implementation exactly, so that our
numbers can be checked against it: the increment is made odd, the state
starts at zero, and the seed is added between two steps.  With seed~42
and stream~54 the first three outputs are \.{0xa15c02b7}, \.{0x7b47f409}
and \.{0xba1d3330}---the values printed by O'Neill's \.{pcg32-demo},
which the tests check.
@<Toolkit: RNG functions@>=
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
  r->state = 0;
  r->inc = (stream << 1) | 1;
  rng_u32(r);
  r->state += seed;
  rng_u32(r);
}
uint64_t rng_u64(struct rng *r)
{
  uint64_t hi = rng_u32(r);
  return (hi << 32) | rng_u32(r);
}

@ A number below |bound| must not be |rng_u32(r)%bound|: unless |bound|
divides $2^{32}$, the small remainders come up slightly more often.  We
reject the $2^{32}\bmod |bound|$ lowest outputs, after which every remainder
is equally likely; at most half the draws are rejected, usually almost
none.
@^modulo bias@>
@<Toolkit: public declarations@>=
uint32_t rng_below(struct rng *r, uint32_t bound);
double rng_uniform(struct rng *r);
double rng_normal(struct rng *r);

@ The rejection loop, with the threshold computed in 32-bit unsigned arithmetic, where $-|bound|$ is $2^{32}-|bound|$.
@<Toolkit: RNG functions@>=
uint32_t rng_below(struct rng *r, uint32_t bound)
{
  assert(bound > 0);
  uint32_t threshold = (uint32_t)(-bound) % bound;
  for (;;) {
    uint32_t x = rng_u32(r);
    if (x >= threshold) return x % bound;
  }
}

@ A uniform double in $[0,1)$ takes the top 53 bits of a 64-bit draw, so
that every value is a multiple of $2^{-53}$ and all of them are equally
likely.  A normal deviate uses the Box--Muller transform,
$z=\sqrt{-2\ln u_1}\,\cos(2\pi u_2)$, with $u_1=1-|rng_uniform|$ in
$(0,1]$ so that the logarithm is finite.  The transform yields two
deviates per pair; we keep one and throw the other away, so that the
generator's state is all there is to save---a checkpoint of a
generator is its 16 bytes, never a hidden cached value.
@<Toolkit: RNG functions@>=
double rng_uniform(struct rng *r)
{
  return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}
double rng_normal(struct rng *r)
{
  double u1 = 1.0 - rng_uniform(r), u2 = rng_uniform(r);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

@ A shuffle is Fisher and Yates's: walk from the end, swapping each
element with a uniformly chosen one at or before it.  Every permutation
comes out with probability $1/n!$ (given a perfect |rng_below|).
A child generator for a separate purpose takes its seed and its stream
from two draws of the parent; children of different draws land on
different streams.
@<Toolkit: public declarations@>=
void rng_shuffle(struct rng *r, uint32_t *a, size_t n);
struct rng rng_split(struct rng *r);

@ The shuffle and the split, as just described.
@<Toolkit: RNG functions@>=
void rng_shuffle(struct rng *r, uint32_t *a, size_t n)
{
  assert(n <= UINT32_MAX);
  for (size_t i = n; i > 1; i--) {
    uint32_t j = rng_below(r, (uint32_t)i);
    uint32_t t = a[i - 1]; a[i - 1] = a[j]; a[j] = t;
  }
}
struct rng rng_split(struct rng *r)
{
  struct rng child;
  uint64_t seed = rng_u64(r), stream = rng_u64(r);
  rng_seed(&child, seed, stream);
  return child;
}

@*1 Float vectors.
Parameters, gradients and optimizer state are arrays of |float|, as they
are in PyTorch by default; a ``vector'' here is nothing more than a pointer
and a length.  The few operations that every chapter needs live here.
Sums that produce a single number (dot products, norms) accumulate in
|double|: a million single-precision additions would otherwise lose about
three decimal digits, and these numbers are the ones that the text reports.
@<Toolkit: public declarations@>=
float *vec_new(size_t n);
void vec_free(float **v);
void vec_copy(float *dst, const float *src, size_t n);
void vec_fill(float *x, size_t n, float v);
void vec_axpy(float *y, float a, const float *x, size_t n);
void vec_scale(float *x, float a, size_t n);
double vec_dot(const float *x, const float *y, size_t n);
double vec_norm2(const float *x, size_t n);
double vec_sqdist(const float *x, const float *y, size_t n);
bool vec_all_finite(const float *x, size_t n);

@ The vector file.
@(vec.c@>=
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Toolkit: vector functions@>@;

@ A new vector is zeroed and starts on a 64-byte boundary, the width of a
cache line and of an AVX-512 register, so that the vectorized kernels of
Chapter~9 may load whole registers from any vector the library hands
out; |aligned_alloc| wants a size that is a multiple of the alignment.
Freeing takes the address of the pointer and clears it, so that a second
free is harmless.
@^alignment@>
@<Toolkit: vector functions@>=
float *vec_new(size_t n)
{
  if (n > (SIZE_MAX - 64) / sizeof(float)) die("out of memory (%zu floats)", n);
  size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
  float *v = aligned_alloc(64, bytes ? bytes : 64);
  if (!v) die("out of memory (%zu bytes)", bytes);
  memset(v, 0, bytes);
  return v;
}
void vec_free(float **v) { free(*v); *v = NULL; }
void vec_copy(float *dst, const float *src, size_t n)
{ memmove(dst, src, n * sizeof(float)); }
void vec_fill(float *x, size_t n, float v)
{ for (size_t i = 0; i < n; i++) x[i] = v; }

@ The BLAS names: |axpy| is $y\gets ax+y$.
@<Toolkit: vector functions@>=
void vec_axpy(float *y, float a, const float *x, size_t n)
{ for (size_t i = 0; i < n; i++) y[i] += a * x[i]; }
void vec_scale(float *x, float a, size_t n)
{ for (size_t i = 0; i < n; i++) x[i] *= a; }

@ Dot products and norms accumulate in |double|, as promised.
@<Toolkit: vector functions@>=
double vec_dot(const float *x, const float *y, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += (double)x[i] * y[i];
  return s;
}
double vec_norm2(const float *x, size_t n) { return sqrt(vec_dot(x, x, n)); }

@ The squared distance, and the test that a vector holds no infinity or NaN.
@<Toolkit: vector functions@>=
double vec_sqdist(const float *x, const float *y, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++) {
    double d = (double)x[i] - y[i];
    s += d * d;
  }
  return s;
}
bool vec_all_finite(const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++) if (!isfinite(x[i])) return false;
  return true;
}

@*1 Test problems.
Chapters 1--3 study optimizers on functions of two variables, where a
trajectory can be drawn on a contour map and every number can be checked
by hand.  Three shapes cover the cases that matter.
The {\it ravine} $f(x,y)={1\over2}(a x^2+b y^2)$ with $a\gg b$ is the
simplest ill-conditioned problem: its Hessian is $\hbox{diag}(a,b)$, its
condition number $\kappa=a/b$, and gradient descent's behaviour on it is
the behaviour of any smooth function near a minimum.
The {\it Rosenbrock} function $f=(a-x)^2+b(y-x^2)^2$ has its minimum
$(a,a^2)$ at the end of a long curved valley, where the direction of
steepest descent keeps changing.  The {\it saddle}
$f={1\over2}(a x^2-b y^2)$ has a stationary point that is not a minimum:
the gradient vanishes at the origin, and only the $y$ direction leads away.

Each problem carries its parameters, a function that returns the value and,
if |g| is not null, writes the gradient, and a point of interest.  The
problems are evaluated in double precision: they are the landscape, not the
learner.
@<Toolkit: public declarations@>=
struct problem {
  const char *name;
  double a, b;
  double (*eval)(const struct problem *p, const double x[2], double g[2]);
  double xmin[2]; /* the minimizer (for the saddle: the saddle point) */
};
struct problem problem_ravine(double a, double b);
struct problem problem_rosenbrock(double a, double b);
struct problem problem_saddle(double a, double b);
double problem_eval(const struct problem *p, const double x[2], double g[2]);

@ The test-problem file.
@(problems.c@>=
#include "descent.h"
@<Toolkit: problem functions@>@;

@ The gradients are $\nabla f=(ax,\,by)$ for the ravine and
$(ax,\,-by)$ for the saddle.
@<Toolkit: problem functions@>=
static double ravine_eval(const struct problem *p, const double x[2], double g[2])
{
  @q solution ravine_grad: if (g) { g[0] = 0.0; g[1] = 0.0; } @>
  if (g) { g[0] = p->a * x[0]; g[1] = p->b * x[1]; }
  @q end solution @>
  return 0.5 * (p->a * x[0] * x[0] + p->b * x[1] * x[1]);
}
static double saddle_eval(const struct problem *p, const double x[2], double g[2])
{
  if (g) { g[0] = p->a * x[0]; g[1] = -p->b * x[1]; }
  return 0.5 * (p->a * x[0] * x[0] - p->b * x[1] * x[1]);
}

@ For Rosenbrock, with $r=y-x^2$:
$\partial f/\partial x=-2(a-x)-4bxr$ and $\partial f/\partial y=2br$.
@<Toolkit: problem functions@>=
static double rosenbrock_eval(const struct problem *p, const double x[2],
  double g[2])
{
  double u = p->a - x[0], r = x[1] - x[0] * x[0];
  @q solution rosenbrock_grad: if (g) { g[0] = 0.0; g[1] = 0.0; } @>
  if (g) {
    g[0] = -2.0 * u - 4.0 * p->b * x[0] * r;
    g[1] = 2.0 * p->b * r;
  }
  @q end solution @>
  return u * u + p->b * r * r;
}

@ The constructors fill in the structure; |problem_eval| is a convenience
that reads better at the call site than |p->eval(p,x,g)|.
@<Toolkit: problem functions@>=
struct problem problem_ravine(double a, double b)
{ return (struct problem)@[{"ravine", a, b, ravine_eval, {0.0, 0.0}}@]; }
struct problem problem_saddle(double a, double b)
{ return (struct problem)@[{"saddle", a, b, saddle_eval, {0.0, 0.0}}@]; }
struct problem problem_rosenbrock(double a, double b)
{ return (struct problem)@[{"rosenbrock", a, b, rosenbrock_eval, {a, a * a}}@]; }
double problem_eval(const struct problem *p, const double x[2], double g[2])
{ return p->eval(p, x, g); }

@*1 The parameter layout.
A network's parameters live in one flat array of |float|s, as the
optimizers of this book want them: a rule applied coordinate by
coordinate does not care where one weight matrix ends and the next
begins.  But some things do care.  Weight decay is usually applied to the
weights and not to the biases; the layer-wise optimizers of Chapter~7,
LARS and LAMB, scale each tensor's step by the ratio of its own norms; a checkpoint
should say which numbers are which.  So next to the flat array we keep a
{\it layout}: a table of its tensors, each with a name, an offset and a
length in the array, a shape, and a {\it group}.  Groups are PyTorch's
|param_groups|: each carries its own learning rate and weight decay, and
a NaN in either means ``the optimizer's own''.  Group~0 always exists and
starts with both NaN, so that a layout of one tensor in one group is the
plain vector of the earlier chapters.  The tensors follow each other
without gaps and cover the whole array.
@^parameter layout@>
@^parameter groups@>
@<Toolkit: public declarations@>=
enum { layout_max_dims = 4, layout_max_name = 24 };
struct tensor {
  char name[layout_max_name];
  size_t offset, len;               /* in |float|s, into the flat array */
  unsigned ndim;
  size_t shape[layout_max_dims];
  unsigned group;
};
struct param_group { double lr, weight_decay; };
struct layout {
  size_t n, ntensors, ngroups;      /* floats, tensors, groups */
  struct tensor *tensors;
  struct param_group *groups;
};
struct layout *layout_new(void);
struct layout *layout_single(size_t n);
struct layout *layout_copy(const struct layout *L);
void layout_add(struct layout *L, const char *name, unsigned ndim,@/
                const size_t *shape, unsigned group);
unsigned layout_add_group(struct layout *L, double lr, double weight_decay);
void layout_norms(const struct layout *L, const float *x, double *norms);
void layout_free(struct layout **L);

@ The layout file.
@(layout.c@>=
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Toolkit: layout functions@>@;

@ A new layout has no tensors and the one default group.  Tables grow
one row at a time; layouts have a handful of rows, so each addition
simply reallocates.
@<Toolkit: layout functions@>=
struct layout *layout_new(void)
{
  struct layout *L = xcalloc(1, sizeof *L);
  L->groups = xmalloc(sizeof *L->groups);
  L->groups[0] = (struct param_group)@[{NAN, NAN}@];
  L->ngroups = 1;
  return L;
}
unsigned layout_add_group(struct layout *L, double lr, double weight_decay)
{
  L->groups = realloc(L->groups, (L->ngroups + 1) * sizeof *L->groups);
  if (!L->groups) die("out of memory");
  L->groups[L->ngroups] = (struct param_group)@[{lr, weight_decay}@];
  return (unsigned)L->ngroups++;
}

@ A tensor is appended after the last one; its length is the product of
its shape.  Misuse---too many dimensions, a group that does not exist, a
name too long---is a bug in the calling program.
@<Toolkit: layout functions@>=
void layout_add(struct layout *L, const char *name, unsigned ndim,@/
                const size_t *shape, unsigned group)
{
  assert(ndim >= 1 && ndim <= layout_max_dims && group < L->ngroups);
  assert(strlen(name) < layout_max_name);
  L->tensors = realloc(L->tensors, (L->ntensors + 1) * sizeof *L->tensors);
  if (!L->tensors) die("out of memory");
  struct tensor *t = &L->tensors[L->ntensors++];
  memset(t, 0, sizeof *t);
  strcpy(t->name, name);
  t->offset = L->n; t->ndim = ndim; t->group = group; t->len = 1;
  for (unsigned d = 0; d < ndim; d++) { t->shape[d] = shape[d]; t->len *= shape[d]; }
  L->n += t->len;
}

@ The layout of a single vector: one tensor, \.{params}, in group~0.
@<Toolkit: layout functions@>=
struct layout *layout_single(size_t n)
{
  struct layout *L = layout_new();
  layout_add(L, "params", 1, &n, 0);
  return L;
}

@ A copy owns its tables, so that an optimizer may keep the layout it was
made with, whatever becomes of the caller's.
@<Toolkit: layout functions@>=
struct layout *layout_copy(const struct layout *L)
{
  struct layout *C = xcalloc(1, sizeof *C);
  *C = *L;
  C->tensors = xmalloc((L->ntensors ? L->ntensors : 1) * sizeof *C->tensors);
  C->groups = xmalloc(L->ngroups * sizeof *C->groups);
  memcpy(C->tensors, L->tensors, L->ntensors * sizeof *C->tensors);
  memcpy(C->groups, L->groups, L->ngroups * sizeof *C->groups);
  return C;
}
void layout_free(struct layout **L)
{
  if (!*L) return;
  free((*L)->tensors); free((*L)->groups); free(*L); *L = NULL;
}

@ The Euclidean norm of each tensor of |x|, in double, into |norms[0..ntensors-1]|:
what a layer-wise optimizer reads before it scales a layer's step.
@<Toolkit: layout functions@>=
void layout_norms(const struct layout *L, const float *x, double *norms)
{
  for (size_t k = 0; k < L->ntensors; k++)
    norms[k] = vec_norm2(x + L->tensors[k].offset, L->tensors[k].len);
}

@*1 The optimizer interface.
An optimizer, in PyTorch and here, is a rule that turns the current
parameters $\theta$ and a gradient $g$ into new parameters, possibly
keeping some {\it state} between steps (a momentum buffer, running
averages of $g$ and $g^2$).  Every optimizer of the book has the same
shape: a {\it kind}, which knows the rule; a {\it configuration}, which
holds the hyperparameters under PyTorch's names; a step counter~$t$;
and $k$ state vectors of the same length $n$ as the parameters, where
$k$ depends on the configuration (SGD needs a buffer only when it has
momentum, Adam a third vector only for AMSGrad).
One structure holds the configuration of all of them, so that a program
can set options without knowing which optimizer it is talking to;
each kind reads only its own fields.
@<Toolkit: public declarations@>=
struct opt_config {
  double lr, momentum, dampening, weight_decay, eps, alpha, lr_decay;
  double initial_accumulator_value, beta1, beta2, trust_coefficient;
  bool nesterov, maximize, amsgrad, centered;
  unsigned char adjust_lr_fn;  /* Muon: 0 original, 1 match\_rms\_adamw */
  double r, weight_lr_power;   /* schedule-free AdamW's average weights */
  long warmup_steps;           /* schedule-free AdamW's own warmup */
};

@ A kind is a row of a table: its name, the keyword arguments its PyTorch
constructor takes (so that a program like \.{replay} can refuse an option
that PyTorch would refuse), the number of state vectors a configuration
needs, its PyTorch defaults, the checks its PyTorch constructor makes, an
optional initializer of the state (null when zeros will do), the
step itself, and an optional check of a state read from a file (null when
every finite state is one that the rule can reach; see |opt_load|).
The rows are written in the chapters that derive them:
SGD in Chapter~2, Adagrad, RMSprop, Adam and AdamW in Chapter~3.  The
optimizer's structure is public, so that those chapters can write their
steps against it.
@<Toolkit: public declarations@>=
struct optimizer;
struct opt_span;
struct opt_kind {
  const char *name;
  const char *options; /* PyTorch's keyword names, separated by blanks */
  size_t (*nstate)(const struct opt_config *c);
  void (*defaults)(struct opt_config *c);
  int (*check)(const struct opt_config *c, char *msg, size_t len);
  void (*init)(struct optimizer *o);
  void (*step)(struct optimizer *o, float *p, const float *g, const struct opt_span *s);
  int (*validate)(const struct optimizer *o, char *msg, size_t len);
};
struct optimizer {
  const struct opt_kind *kind;
  struct opt_config c;
  size_t n;      /* number of parameters */
  uint64_t t;    /* steps taken so far */
  size_t k;      /* number of state vectors, |kind->nstate(&c)| */
  float *state;  /* |k| vectors of |n| floats, back to back */
  struct layout *L;      /* the tensors and their groups */
  double *lr, *base_lr;  /* per group: the current and the initial learning rate */
  double *wd;            /* per group: the weight decay */
};

@ A kind's step does not run over the whole vector at once.  The
optimizer hands it one {\it span\/} at a time: a range of coordinates
that belong to one group, with that group's learning rate and weight
decay, which the step must use instead of the configuration's |lr| and
|weight_decay|.  For a one-group layout there is one span, the whole
vector, with the configuration's own values.
@<Toolkit: public declarations@>=
struct opt_span {
  size_t lo, hi;              /* coordinates |lo..hi-1| */
  double lr, weight_decay;    /* of their group */
};

@ Step counts are 64-bit, but no count in this book may exceed
$2^{53}$, |DESCENT_MAX_STEPS|.  Two reasons make that the bound.  Every
integer up to $2^{53}$ is exactly a |double|, and the rules convert the
count to |double| ($\beta^t$ in Adam, $1+(t-1)\delta$ in Adagrad, the
closed forms of the schedules in Chapter~4), so below the bound no
rounding of~$t$ ever enters a result.  And a count this far below
$2^{64}$ can be advanced for ever without wrapping around to zero.  Nothing
real is lost: at a million steps a second, $2^{53}$ steps take 285 years.
The bound matters only for counts read from files, which the loaders check
against it (and for |sched_step|, which refuses to pass it).
@^step counts, bound on@>
@<Toolkit: public declarations@>=
#define DESCENT_MAX_STEPS (UINT64_C(1) << 53)

@ The public functions.  |opt_defaults| fills a configuration with the
defaults of the named optimizer's PyTorch constructor and reports whether
the name is known; |opt_check| refuses what that constructor refuses, with
PyTorch's reason; |opt_new| trusts its caller to have checked.
@<Toolkit: public declarations@>=
bool opt_defaults(const char *name, struct opt_config *c);
int opt_check(const char *name, const struct opt_config *c, char *msg, size_t len);
struct optimizer *opt_new(const char *name, size_t n, const struct opt_config *c);
struct optimizer *opt_new_layout(const char *name, const struct layout *L,
                                 const struct opt_config *c);
void opt_step(struct optimizer *o, float *p, const float *g);
double opt_lr(const struct optimizer *o);
void opt_set_lr(struct optimizer *o, double lr);
size_t opt_ngroups(const struct optimizer *o);
double opt_group_lr(const struct optimizer *o, size_t g);
double opt_base_lr(const struct optimizer *o, size_t g);
void opt_set_group_lr(struct optimizer *o, size_t g, double lr);
int opt_save(const struct optimizer *o, const char *path);
int opt_load(struct optimizer *o, const char *path, char *msg, size_t len);
unsigned char *opt_encode(const struct optimizer *o, size_t *len);
int opt_decode(struct optimizer *o, const char *path, const unsigned char *b,
               size_t size, char *msg, size_t len);
void opt_free(struct optimizer **o);
const char *opt_names(void);
bool opt_takes(const char *name, const char *option);
size_t opt_nstate(const struct optimizer *o);
float *opt_state(const struct optimizer *o, size_t i);
uint64_t opt_steps(const struct optimizer *o);

@ The optimizer file: the functions that dispatch to the kinds, then saving and loading.
@(optim.c@>=
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "descent.h"
@<Toolkit: optimizer functions@>@;
@<Toolkit: saving and loading optimizer state@>@;

@ The kinds known to the library, in the order the book derives them,
end with a null pointer.  The table is not written here: the build
collects every |const struct opt_kind| that a chapter defines into the
file \.{opt-kinds.c}, so that a chapter adds an optimizer to the library,
to \.{replay} and to every program's list of names by defining its kind,
and touches no other file.
@^registration of optimizers@>
@<Toolkit: optimizer functions@>=
extern const struct opt_kind *const opt_kinds[];
static const struct opt_kind *opt_find(const char *name)
{
  for (size_t i = 0; opt_kinds[i]; i++)
    if (strcmp(opt_kinds[i]->name, name) == 0) return opt_kinds[i];
  return NULL;
}

@ The names of all kinds, separated by blanks, for messages and usage
texts.  The string is built from the table once, so that a new row can
never be forgotten in it.
@<Toolkit: optimizer functions@>=
const char *opt_names(void)
{
  static char names[128];
  if (!names[0])
    for (size_t i = 0; opt_kinds[i]; i++) {
      if (i) strcat(names, " ");
      strcat(names, opt_kinds[i]->name);
    }
  return names;
}

@ Does the named optimizer take the keyword |option|?  Dashes in |option|
count as underscores, so that \.{weight-decay} finds \.{weight\_decay}.
@<Toolkit: optimizer functions@>=
bool opt_takes(const char *name, const char *option)
{
  const struct opt_kind *k = opt_find(name);
  size_t n = strlen(option);
  for (const char *s = k ? k->options : ""; *s; ) {
    size_t w = strcspn(s, " "), i = 0;
    while (i < n && i < w && (s[i] == option[i] || (s[i] == '_' && option[i] == '-'))) i++;
    if (i == n && i == w) return true;
    s += w; s += strspn(s, " ");
  }
  return false;
}

@ A configuration starts from zeros and |false|, then the kind sets its
defaults.  PyTorch's \.{SGD} has no default learning rate; its default
here is NaN, which |opt_check| refuses with a message asking for one.
@<Toolkit: optimizer functions@>=
bool opt_defaults(const char *name, struct opt_config *c)
{
  const struct opt_kind *k = opt_find(name);
  if (!k) return false;
  memset(c, 0, sizeof *c);
  k->defaults(c);
  return true;
}

@ An error message is formatted into the caller's buffer by |opt_error|,
which every kind's check uses and which always returns $-1$.  |opt_check|
also catches an unknown name and a non-finite hyperparameter, which
Python would let through and which no rule in this book survives.
@<Toolkit: public declarations@>=
int opt_error(char *msg, size_t len, const char *fmt, ...) printf_like(3, 4);

@ The error formatter.
@<Toolkit: optimizer functions@>=
int opt_error(char *msg, size_t len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (msg && len) vsnprintf(msg, len, fmt, ap);
  va_end(ap);
  return -1;
}

@ The check: unknown names, unset learning rates and non-finite values first, then the kind's own rules.
@<Toolkit: optimizer functions@>=
int opt_check(const char *name, const struct opt_config *c, char *msg, size_t len)
{
  const struct opt_kind *k = opt_find(name);
  if (!k) return opt_error(msg, len, "unknown optimizer '%s' (known: %s)",
                           name, opt_names());
  if (isnan(c->lr))
    return opt_error(msg, len, "%s needs a learning rate (lr has no default)", name);
  const double v[] = {c->lr, c->momentum, c->dampening, c->weight_decay,
    c->eps, c->alpha, c->lr_decay, c->initial_accumulator_value, c->beta1,
    c->beta2, c->trust_coefficient, c->r, c->weight_lr_power};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    if (!isfinite(v[i])) return opt_error(msg, len, "hyperparameters must be finite");
  return k->check(c, msg, len);
}

@ A new optimizer owns a copy of its configuration, of its layout and its
state, zeroed unless the kind initializes it otherwise.  Each group's
learning rate and decay are its own where the layout sets them, the
configuration's where it leaves them NaN; the initial rates are kept,
as PyTorch keeps |initial_lr|, for the schedules to scale.  The
one-vector constructor is the layout constructor on a layout of one
tensor.
@<Toolkit: optimizer functions@>=
struct optimizer *opt_new_layout(const char *name, const struct layout *L,
                                 const struct opt_config *c)
{
  const struct opt_kind *k = opt_find(name);
  assert(k && opt_check(name, c, NULL, 0) == 0);
  struct optimizer *o = xcalloc(1, sizeof *o);
  o->kind = k; o->c = *c; o->n = L->n; o->t = 0; o->k = k->nstate(c);
  o->state = vec_new(o->k * o->n);
  o->L = layout_copy(L);
  o->lr = xmalloc(L->ngroups * sizeof(double));
  o->base_lr = xmalloc(L->ngroups * sizeof(double));
  o->wd = xmalloc(L->ngroups * sizeof(double));
  for (size_t g = 0; g < L->ngroups; g++) {
    o->lr[g] = o->base_lr[g] = isnan(L->groups[g].lr) ? c->lr : L->groups[g].lr;
    o->wd[g] = isnan(L->groups[g].weight_decay) ? c->weight_decay
                                                 : L->groups[g].weight_decay;
  }
  if (k->init) k->init(o);
  return o;
}
struct optimizer *opt_new(const char *name, size_t n, const struct opt_config *c)
{
  struct layout *L = layout_single(n);
  struct optimizer *o = opt_new_layout(name, L, c);
  layout_free(&L);
  return o;
}

@ The step counter is advanced {\it before} the kind's rule runs, so that
the rule sees $t=1$ on the first step, as the formulas (and PyTorch's
\.{state["step"]}) count.  Learning-rate schedules change |c.lr| between
steps through |opt_set_lr|.
@<Toolkit: optimizer functions@>=
void opt_step(struct optimizer *o, float *p, const float *g)
{
  o->t++;
  const struct layout *L = o->L;
  for (size_t a = 0, b; a < L->ntensors; a = b) {
    unsigned grp = L->tensors[a].group;
    for (b = a + 1; b < L->ntensors && L->tensors[b].group == grp; b++) ;
    const struct opt_span s = @[{L->tensors[a].offset,
      L->tensors[b - 1].offset + L->tensors[b - 1].len, o->lr[grp], o->wd[grp]}@];
    o->kind->step(o, p, g, &s);
  }
}

@ Setting the learning rate sets it for every group, as a loop over
PyTorch's |param_groups| does; a schedule that respects each group's
own initial rate sets them one by one.  The configuration's |lr| follows
group~0, so that a program that never heard of groups reads the rate it
set.
@<Toolkit: optimizer functions@>=
void opt_set_lr(struct optimizer *o, double lr)
{
  o->c.lr = lr;
  for (size_t g = 0; g < o->L->ngroups; g++) o->lr[g] = lr;
}
void opt_set_group_lr(struct optimizer *o, size_t g, double lr)
{
  assert(g < o->L->ngroups);
  o->lr[g] = lr;
  if (g == 0) o->c.lr = lr;
}
size_t opt_ngroups(const struct optimizer *o) { return o->L->ngroups; }
double opt_group_lr(const struct optimizer *o, size_t g) { return o->lr[g]; }
double opt_base_lr(const struct optimizer *o, size_t g) { return o->base_lr[g]; }
double opt_lr(const struct optimizer *o) { return o->c.lr; }
size_t opt_nstate(const struct optimizer *o) { return o->k; }
float *opt_state(const struct optimizer *o, size_t i)
{ assert(i < o->k); return o->state + i * o->n; }
uint64_t opt_steps(const struct optimizer *o) { return o->t; }
void opt_free(struct optimizer **o)
{
  if (!*o) return;
  layout_free(&(*o)->L);
  free((*o)->lr); free((*o)->base_lr); free((*o)->wd);
  free((*o)->state); free(*o); *o = NULL;
}

@*1 Saving and restoring optimizer state.
A training run that is interrupted must be able to continue exactly where
it stopped, and ``exactly'' includes the optimizer: its step count and its
state vectors are as much a part of the run as the weights.  The file
format is a fixed header, the configuration, the state and a checksum,
all little-endian (Table~\tableref{A1-optfile}).
\booktable{A1-optfile}{The optimizer's state file, field by field, in
the order of the file.}
{\vbox{\halign{\.{#}\hfil\quad&#\hfil\cr
DSCOPT02&8 bytes of magic\cr
name&16 bytes, the first 15 bytes of the kind's name padded with zeros\cr
n, t, k&three 64-bit unsigned integers: parameters, steps, state vectors\cr
config&11 doubles, 5 flag bytes, 3 of padding, 2 doubles and a 64-bit integer,\cr
&\quad in the order of |struct opt_config|\cr
state&$k\cdot n$ floats\cr
crc&CRC-32 (zlib's) of everything before it\cr}}}
\noindent
@^CRC-32@>
The file is written through |afile| (below), so that a crash while saving
leaves the previous file intact, never half of a new one.
@<Toolkit: saving and loading optimizer state@>=
@<Toolkit: little-endian encoding@>@;
@<Toolkit: |opt_save|@>@;
@<Toolkit: |opt_load|@>@;

@ Numbers are written byte by byte, least significant first, so that the
file reads the same on any machine; floating-point values travel as their
bit patterns.  These four functions are public: every binary file of the
book (the schedule file of Chapter~4, say) encodes its numbers with them.
@<Toolkit: public declarations@>=
void put_u64(unsigned char *b, uint64_t v);
uint64_t get_u64(const unsigned char *b);
void put_f64(unsigned char *b, double x);
double get_f64(const unsigned char *b);
void get_name(char *out, const unsigned char *b, size_t n);

@ Their definitions.
@<Toolkit: little-endian encoding@>=
void put_u64(unsigned char *b, uint64_t v)
{ for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i)); }
uint64_t get_u64(const unsigned char *b)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}
void put_f64(unsigned char *b, double x)
{ uint64_t u; memcpy(&u, &x, 8); put_u64(b, u); }
double get_f64(const unsigned char *b)
{ uint64_t u = get_u64(b); double x; memcpy(&x, &u, 8); return x; }

@ A file names the kind whose state it holds, in a field of zero-padded
bytes, and a loader quotes that name when it is the wrong one.  A damaged
or hostile file may put anything there, a newline or a terminal's control
codes among it, and a quoted error message must stay one line of text; so
the name is read back by |get_name|, which copies at most |n| bytes, up to
the first zero, into |out| (of $n+1$ bytes) and turns every byte that is
not printable ASCII into a question mark.  (The fuzzer of
\.{tests/fuzz/fuzz\_opt.c} found the newline.)
@<Toolkit: little-endian encoding@>=
void get_name(char *out, const unsigned char *b, size_t n)
{
  size_t i = 0;
  for (; i < n && b[i]; i++) out[i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '?';
  out[i] = '\0';
}

@ The header and configuration take a fixed 168 bytes: magic 8, name 16,
three counts 24, eleven doubles 88, four flags 4, Muon's choice of rate
adjustment 1 (chapter {\it After AdamW\/}), 3 bytes of padding (zero),
and schedule-free AdamW's $r$, weight power and warmup (the same
chapter), 24.  Those last three made the format version 02 (the magic);
a file of version 01 is refused as not an optimizer state file.  A kind's
name may be longer than the field: the field holds its first 15 bytes,
and no two kinds agree in their first 15 (a test checks it).
@<Toolkit: little-endian encoding@>=
enum { opt_header_bytes = 168 };
static void opt_encode_header(const struct optimizer *o, unsigned char *b)
{
  const struct opt_config *c = &o->c;
  const double v[11] = {c->lr, c->momentum, c->dampening, c->weight_decay,
    c->eps, c->alpha, c->lr_decay, c->initial_accumulator_value, c->beta1,
    c->beta2, c->trust_coefficient};
  memset(b, 0, opt_header_bytes);
  memcpy(b, "DSCOPT02", 8);
  strncpy((char *)b + 8, o->kind->name, 15);
  put_u64(b + 24, o->n); put_u64(b + 32, o->t); put_u64(b + 40, o->k);
  for (int i = 0; i < 11; i++) put_f64(b + 48 + 8 * i, v[i]);
  b[136] = c->nesterov; b[137] = c->maximize; b[138] = c->amsgrad;
  b[139] = c->centered; b[140] = c->adjust_lr_fn;
  put_f64(b + 144, c->r); put_f64(b + 152, c->weight_lr_power);
  put_u64(b + 160, (uint64_t)c->warmup_steps);
}

@ Saving encodes the whole file in memory---state vectors are at most a
few hundred megabytes in this book---computes the checksum and writes it
atomically.  The encoding alone, |opt_encode|, is public: the checkpoint
of a whole training session (Appendix~A, part~4) carries these same
bytes as one of its fields, and |opt_decode| reads them back.
@<Toolkit: |opt_save|@>=
int opt_save(const struct optimizer *o, const char *path)
{
  size_t len;
  unsigned char *b = opt_encode(o, &len);
  int rc = write_file_atomic(path, b, len);
  free(b);
  return rc;
}
unsigned char *opt_encode(const struct optimizer *o, size_t *lenp)
{
  size_t ns = o->k * o->n, len = opt_header_bytes + 4 * ns + 4;
  unsigned char *b = xmalloc(len);
  opt_encode_header(o, b);
  for (size_t i = 0; i < ns; i++) {
    uint32_t u; memcpy(&u, &o->state[i], 4);
    for (int j = 0; j < 4; j++) b[opt_header_bytes + 4 * i + j] = (unsigned char)(u >> (8 * j));
  }
  uLong crc = crc32(0L, b, (uInt)(len - 4));
  for (int j = 0; j < 4; j++) b[len - 4 + j] = (unsigned char)(crc >> (8 * j));
  *lenp = len;
  return b;
}

@ Loading reads the whole file and hands it to |opt_decode|, which
believes nothing until it has been checked (the checkpoint of
Appendix~A, part~4, decodes the same bytes from inside its own file): the size must be what the header announces, the checksum must
match, and the kind and length must be those of the optimizer being
restored; then the contents must be a state that the optimizer could
have reached.  The state is decoded into a vector |st| of its own for
that last check.  Only when everything has passed are the step count,
the configuration and the state taken over, so that a failed load leaves
the optimizer untouched.
@.not an optimizer state file@>
@<Toolkit: |opt_load|@>=
int opt_load(struct optimizer *o, const char *path, char *msg, size_t len)
{
  size_t size;
  unsigned char *b = read_file(path, &size, msg, len);
  if (!b) return -1;
  int rc = opt_decode(o, path, b, size, msg, len);
  free(b);
  return rc;
}
int opt_decode(struct optimizer *o, const char *path, const unsigned char *b,
               size_t size, char *msg, size_t len)
{
  int rc = -1;
  float *st = NULL;
  @<Toolkit: validate the state file in |b|, or |goto done| with a message@>@;
  @<Toolkit: refuse a step count or a state that no run reaches@>@;
  @<Toolkit: copy the step count, configuration and state from |b|@>@;
  rc = 0;
done:
  free(st);
  return rc;
}

@ A file is refused if it lacks the magic, if it holds the state of another kind of optimizer, or if its size is not exactly what a state of this optimizer must have.
@<Toolkit: validate the state file...@>=
size_t ns = o->k * o->n;
if (size < opt_header_bytes + 4 || memcmp(b, "DSCOPT02", 8) != 0) {
  opt_error(msg, len, "%s: not an optimizer state file", path); goto done;
}
if (strncmp((const char *)b + 8, o->kind->name, 15) != 0 || b[23] != 0) {
  char name[16];
  get_name(name, b + 8, 15);
  opt_error(msg, len, "%s: state of optimizer '%s', not '%s'", path, name, o->kind->name);
  goto done;
}
if (size != opt_header_bytes + 4 * ns + 4 || get_u64(b + 24) != o->n
    || get_u64(b + 40) != o->k) {
  opt_error(msg, len, "%s: truncated, or saved for another size (%zu bytes, expected %zu)",
            path, size, opt_header_bytes + 4 * ns + 4);
  goto done;
}
@<Toolkit: check the checksum and the configuration@>@;

@ Then the checksum must match.
@<Toolkit: check the checksum and the configuration@>=
uint32_t stored = 0;
for (int j = 3; j >= 0; j--) stored = (stored << 8) | b[size - 4 + j];
if (stored != (uint32_t)crc32(0L, b, (uInt)(size - 4))) {
  opt_error(msg, len, "%s: checksum mismatch (file corrupt)", path); goto done;
}

@ A checksum protects against damage, not against a file written by a
different program: the configuration it carries must also be one that the
kind accepts, and one that needs exactly the state vectors the file holds
(an RMSprop with momentum and one with centering both keep two vectors,
but not the same two: the configuration travels with the state for that
reason).  The four flags are bytes that |opt_save| writes as 0 or~1;
any other byte there did not come from it.
@<Toolkit: check the checksum and the configuration@>=
double v[11];
for (int i = 0; i < 11; i++) v[i] = get_f64(b + 48 + 8 * i);
struct opt_config c = @[{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
  v[8], v[9], v[10], b[136], b[137], b[138], b[139], b[140],@/
  get_f64(b + 144), get_f64(b + 152), (long)get_u64(b + 160)}@];
if ((b[136] | b[137] | b[138] | b[139] | b[140]) > 1 || opt_check(o->kind->name, &c, NULL, 0) != 0@/
    || o->kind->nstate(&c) != o->k) {
  opt_error(msg, len, "%s: configuration invalid or inconsistent with its state", path);
  goto done;
}

@ An intact file with a valid configuration can still hold a state that
no run reaches, and resuming from it would silently give wrong numbers
(a negative average of squares, say, whose square root is NaN).  Three
checks catch what can be caught.  The step count must not exceed
|DESCENT_MAX_STEPS|, $2^{53}$: a larger count was not counted by any run,
and $2^{64}-1$ would wrap around to zero at the next step.  Every number
of the state must be finite: an infinity or a NaN, once in the state,
stays there and spreads (every update scales the old value and adds to
it), so a run whose state overflowed has failed, and there is nothing to
resume.
And the kind's own |validate|, where it has one, checks what its rule
guarantees: Chapter~3's adaptive optimizers keep averages of squares,
which are never negative, and a few relations between their
vectors.  The hook sees an optimizer whose configuration, step count
and state are the file's; the real one is not touched.
@.impossible state@>
@<Toolkit: refuse a step count or a state that no run reaches@>=
const uint64_t t = get_u64(b + 32);
if (t > DESCENT_MAX_STEPS) {
  opt_error(msg, len, "%s: step count %llu is beyond 2^53, more than any run takes", path,
            (unsigned long long)t);
  goto done;
}
st = vec_new(ns);
@<Toolkit: decode the |ns| numbers of the state into |st|@>@;
for (size_t i = 0; i < ns; i++)
  if (!isfinite(st[i])) {
    opt_error(msg, len, "%s: state vector %zu holds %g at %zu (a state must be finite)",
              path, i / o->n, st[i], i % o->n);
    goto done;
  }
struct optimizer trial = *o;
trial.c = c; trial.t = t; trial.state = st;
char why[192];
if (o->kind->validate && o->kind->validate(&trial, why, sizeof why) != 0) {
  opt_error(msg, len, "%s: %s", path, why); goto done;
}

@ Each |float| of the state is its four bytes, least significant first.
@<Toolkit: decode the |ns| numbers...@>=
for (size_t i = 0; i < ns; i++) {
  const unsigned char *q = b + opt_header_bytes + 4 * i;
  uint32_t u = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16
             | (uint32_t)q[3] << 24;
  memcpy(&st[i], &u, 4);
}

@ Only now is the file trusted: the step count and configuration are
copied in, and the decoded state, which has the size of the old one,
replaces it.
@<Toolkit: copy the step count...@>=
o->t = t;
o->c = c;
free(o->state);
o->state = st;
st = NULL;

@ The file carries the configuration's learning rate and decay, which
are those of every group that the layout leaves to the configuration.
@<Toolkit: copy the step count...@>=
for (size_t g = 0; g < o->L->ngroups; g++) {
  if (isnan(o->L->groups[g].lr)) o->lr[g] = c.lr;
  if (isnan(o->L->groups[g].weight_decay)) o->wd[g] = c.weight_decay;
}

@*1 Files written atomically.
A program that is killed while writing a file must not leave half a file
behind under the real name: a figure drawn from a truncated table, or a
checkpoint that loads as garbage, is worse than no file at all.  So every
file this book writes is written {\it atomically}: into a temporary file
in the same directory, flushed to the disk with |fsync|, and then renamed
over the final name.  On a POSIX file system |rename| replaces the name in
one step, so a reader sees either the old file or the complete new one.
Finally the directory itself is synchronized, so that the rename survives
a power failure.
@^atomic file writing@>
@<Toolkit: public declarations@>=
struct afile;
struct afile *afile_open(const char *path);
FILE *afile_stream(struct afile *a);
int afile_commit(struct afile *a);
void afile_abort(struct afile *a);
int write_file_atomic(const char *path, const void *data, size_t len);
unsigned char *read_file(const char *path, size_t *size, char *msg, size_t len);
int make_dirs(const char *path);

@ The file-handling part: atomic files, tables and \.{values.tex}.
@(files.c@>=
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "descent.h"
struct afile { FILE *f; char *path, *tmp; };
@<Toolkit: atomic file functions@>@;
@<Toolkit: TSV functions@>@;
@<Toolkit: values functions@>@;

@ The temporary name is the final name followed by \.{.tmp.XXXXXX}, made
unique by |mkstemp|; being in the same directory, it is on the same file
system, which |rename| requires.
@<Toolkit: atomic file functions@>=
struct afile *afile_open(const char *path)
{
  struct afile *a = xcalloc(1, sizeof *a);
  size_t n = strlen(path);
  a->path = xmalloc(n + 1); memcpy(a->path, path, n + 1);
  a->tmp = xmalloc(n + 12); snprintf(a->tmp, n + 12, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(a->tmp);
  if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
    int e = errno;
    if (fd >= 0) { close(fd); unlink(a->tmp); }
    free(a->path); free(a->tmp); free(a); errno = e;
    return NULL;
  }
  return a;
}
FILE *afile_stream(struct afile *a) { return a->f; }

@ Committing checks every step, because each can fail on a full disk:
the buffered writes (|fflush| and |ferror|), the trip to the disk
(|fsync|), the close, and the rename.  On any failure the temporary file
is removed and |errno| tells why.  |mkstemp| creates the file readable
by its owner only; a data file should have the usual permissions, so we
widen them to what the |umask| allows.
@<Toolkit: atomic file functions@>=
int afile_commit(struct afile *a)
{
  int fd = fileno(a->f), ok = fflush(a->f) == 0 && !ferror(a->f);
  mode_t mask = umask(0); umask(mask);
  ok = ok && fchmod(fd, 0666 & ~mask) == 0 && fsync(fd) == 0;
  ok = (fclose(a->f) == 0) && ok;
  ok = ok && rename(a->tmp, a->path) == 0;
  int e = errno;
  if (!ok) unlink(a->tmp);
  else @<Toolkit: synchronize the directory of |a->path|@>@;
  free(a->path); free(a->tmp); free(a);
  errno = e;
  return ok ? 0 : -1;
}

@ |dirname| may modify its argument, so it gets a copy.
@<Toolkit: synchronize the directory...@>=
{
  char *dir = xmalloc(strlen(a->path) + 1);
  strcpy(dir, a->path);
  int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) { fsync(dfd); close(dfd); }
  free(dir);
}

@ Aborting throws the temporary file away and leaves any earlier file
under the final name untouched.
@<Toolkit: atomic file functions@>=
void afile_abort(struct afile *a)
{
  fclose(a->f);
  unlink(a->tmp);
  free(a->path); free(a->tmp); free(a);
}

@ Two conveniences: write a whole buffer atomically, and read a whole file
into memory (with a message, not an exit, on failure, because the caller
knows better what a missing file means).
@<Toolkit: atomic file functions@>=
int write_file_atomic(const char *path, const void *data, size_t len)
{
  struct afile *a = afile_open(path);
  if (!a) return -1;
  if (fwrite(data, 1, len, a->f) != len) {
    int e = errno; afile_abort(a); errno = e; return -1;
  }
  return afile_commit(a);
}

@ Reading grows the buffer by doubling until the end of the file.
@<Toolkit: atomic file functions@>=
unsigned char *read_file(const char *path, size_t *size, char *msg, size_t len)
{
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(msg, len, "%s: %s", path, strerror(errno)); return NULL; }
  size_t cap = 1 << 16, n = 0;
  unsigned char *b = xmalloc(cap);
  for (size_t got; (got = fread(b + n, 1, cap - n, f)) > 0; ) {
    n += got;
    if (n == cap) { cap *= 2; unsigned char *nb = realloc(b, cap);
      if (!nb) die("out of memory (%zu bytes)", cap);
      b = nb; }
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) { snprintf(msg, len, "%s: read error", path); free(b); return NULL; }
  *size = n;
  return b;
}

@ |make_dirs| is \.{mkdir -p}: it creates each missing component of the
path in turn, and succeeds if the directory already exists.
@<Toolkit: atomic file functions@>=
int make_dirs(const char *path)
{
  size_t n = strlen(path);
  char *p = xmalloc(n + 1);
  memcpy(p, path, n + 1);
  int rc = 0;
  for (size_t i = 1; i <= n && rc == 0; i++)
    if (p[i] == '/' || p[i] == '\0') {
      char c = p[i]; p[i] = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
      p[i] = c;
    }
  free(p);
  return rc;
}

@*1 Tables for gnuplot, and numbers for the text.
Programs write their results as tab-separated values: one header line
naming the columns, then one line per row, numbers printed with |"%.9g"|,
enough digits to read a |float| back exactly.  gnuplot, a spreadsheet and
\.{awk} all read that format, and the column names let a figure's script
say \.{using 'step':'loss'} instead of counting columns.
A table is written atomically, so a figure is never drawn from half a
run; errors here are failures of the environment, so they |die|.
@<Toolkit: public declarations@>=
struct tsv;
struct tsv *tsv_open(const char *dir, const char *name, const char *header);
void tsv_row(struct tsv *t, size_t n, const double *v);
void tsv_printf(struct tsv *t, const char *fmt, ...) printf_like(2, 3);
void tsv_close(struct tsv *t);

@ A table remembers its path for error messages.
@<Toolkit: TSV functions@>=
struct tsv { struct afile *a; char *path; };
static char *join_path(const char *dir, const char *name)
{
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}
struct tsv *tsv_open(const char *dir, const char *name, const char *header)
{
  struct tsv *t = xcalloc(1, sizeof *t);
  t->path = join_path(dir, name);
  if (!(t->a = afile_open(t->path))) die("cannot create %s: %s", t->path, strerror(errno));
  fprintf(t->a->f, "%s\n", header);
  return t;
}

@ A row is written with tabs between values; a raw line is written as given; closing commits the file.
@<Toolkit: TSV functions@>=
void tsv_row(struct tsv *t, size_t n, const double *v)
{
  for (size_t i = 0; i < n; i++)
    fprintf(t->a->f, i ? "\t%.9g" : "%.9g", v[i]);
  fputc('\n', t->a->f);
}
void tsv_printf(struct tsv *t, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vfprintf(t->a->f, fmt, ap);
  va_end(ap);
}
void tsv_close(struct tsv *t)
{
  if (afile_commit(t->a) != 0) die("cannot write %s: %s", t->path, strerror(errno));
  free(t->path); free(t);
}

@ The numbers that a chapter's prose quotes are not typed into the text.
The program writes them to \.{values.tex} in its output directory, one
\TeX\ definition per number, \.{\\def\\LSslope\{-1.00\}}, and the chapter
prints them with \.{\\val\{LSslope\}}.  When the program changes, the text
changes with it; a number in this book is always the one the code printed.
\TeX\ control-sequence names are letters only, which |values_put| asserts.
@<Toolkit: public declarations@>=
struct value_file;
struct value_file *values_open(const char *dir);
void values_put(struct value_file *v, const char *name, const char *fmt, ...)
  printf_like(3, 4);
void values_close(struct value_file *v);

@ The values file is a table without a header, so it borrows |struct tsv|.
@<Toolkit: values functions@>=
struct value_file { struct tsv t; };
struct value_file *values_open(const char *dir)
{
  struct value_file *v = xcalloc(1, sizeof *v);
  v->t.path = join_path(dir, "values.tex");
  if (!(v->t.a = afile_open(v->t.path)))
    die("cannot create %s: %s", v->t.path, strerror(errno));
  fprintf(v->t.a->f, "%% written by %s; do not edit\n", program_name);
  return v;
}

@ Each value becomes one \TeX\ definition; the name is checked first.
@<Toolkit: values functions@>=
void values_put(struct value_file *v, const char *name, const char *fmt, ...)
{
  if (!*name) die("values_put: empty macro name");
  for (const char *s = name; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
      die("values_put: '%s' is not a TeX macro name (letters only)", name);
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  const int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0) die("values_put: cannot format %s", name);
  char *text = xmalloc((size_t)len + 1);
  vsnprintf(text, (size_t)len + 1, fmt, again);
  va_end(again);
  fprintf(v->t.a->f, "\\def\\%s{", name);
  @<Toolkit: write |text|, its long integers grouped by thin spaces@>@;
  fprintf(v->t.a->f, "}\n");
  free(text);
}

@ The book sets a number of five digits or more with thin spaces between
groups of three, 60\,000 and not 60000, in the prose and in the tables
that programs write alike; so the values file does it for every value.
A run of five or more digits is grouped from its right end, unless it
follows a decimal point (the digits of a fraction), a letter, a
backslash or another character of a name.
@<Toolkit: write |text|, its long integers...@>=
for (const char *s = text; *s; ) {
  size_t ndig = 0;
  while (s[ndig] >= '0' && s[ndig] <= '9') ndig++;
  const char prev = s == text ? ' ' : s[-1];
  const bool name_like = prev == '.' || prev == '_' || prev == '\\'@/
    || (prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z');
  if (ndig >= 5 && !name_like) {
    for (size_t i = 0; i < ndig; i++) {
      if (i > 0 && (ndig - i) % 3 == 0) fputs("\\,", v->t.a->f);
      fputc(s[i], v->t.a->f);
    }
    s += ndig;
  } else if (ndig > 0) { fwrite(s, 1, ndig, v->t.a->f); s += ndig; }
  else fputc(*s++, v->t.a->f);
}

@ Closing the values file writes it, atomically.
@<Toolkit: values functions@>=
void values_close(struct value_file *v)
{
  if (afile_commit(v->t.a) != 0) die("cannot write %s: %s", v->t.path, strerror(errno));
  free(v->t.path); free(v);
}

@*1 Summaries of runs.
Most claims in this book rest on several runs, one per seed, and are
quoted as a mean with its spread; a distribution is quoted by its
quantiles; a time, by the median of several repetitions.  The
functions that compute these, and that set the numbers in the form the
text wants, are the same in every chapter, so they live here.

A list of results is summarized by its mean, its sample standard
deviation (divisor $n-1$; zero for one result) and its extremes.
@^standard deviation@>
@<Toolkit: public declarations@>=
struct spread { double mean, sd, lo, hi; };
struct spread spread_of(const double *x, size_t n);
double quantile(double *x, size_t n, double q);
double wall_seconds(void);

@ The summary file.
@(summary.c@>=
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "descent.h"
@<Toolkit: summary functions@>@;

@ The mean is formed first, then the squared deviations from it: two
passes, which lose nothing to cancellation when the spread is small
against the mean, as it is for a loss over seeds.
@<Toolkit: summary functions@>=
struct spread spread_of(const double *x, size_t n)
{
  struct spread s = @[{0.0, 0.0, INFINITY, -INFINITY}@];
  if (n == 0) return (struct spread)@[{NAN, NAN, NAN, NAN}@];
  for (size_t i = 0; i < n; i++) {
    s.mean += x[i];
    s.lo = fmin(s.lo, x[i]); s.hi = fmax(s.hi, x[i]);
  }
  s.mean /= (double)n;
  for (size_t i = 0; i < n; i++) s.sd += (x[i] - s.mean) * (x[i] - s.mean);
  s.sd = n > 1 ? sqrt(s.sd / (double)(n - 1)) : 0.0;
  return s;
}

@ The quantile $q$ of $n$ numbers sorts them and interpolates linearly
between the two that stand around position $q(n-1)$, as NumPy's
|quantile| does by default; $q={1\over2}$ is the median, the mean of the
middle two when $n$ is even.  The argument is sorted in place.
@^quantile@>
@<Toolkit: summary functions@>=
static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
double quantile(double *x, size_t n, double q)
{
  if (n == 0) return NAN;
  qsort(x, n, sizeof *x, cmp_double);
  double h = q * (double)(n - 1);
  size_t i = (size_t)h;
  return i + 1 >= n ? x[n - 1] : x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}

@ Times are read from the monotonic clock, which no change of the
system's date can move.
@<Toolkit: summary functions@>=
double wall_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

@ Four ways of putting a number into \.{values.tex}.  A small number
is set as $m\times10^e$ in math mode, with one decimal of $m$ unless
it is whole; a mean over seeds as $0.123\pm0.004$, in math mode with
its dollars; a fraction as a percentage; and a number of a family
under a stem and a letter, \.{CLjumpA}, \.{CLjumpB}, \dots, for
configuration number 0, 1, \dots.  |sci_text| writes into the
caller's buffer and returns it, for tables built by hand.
@<Toolkit: public declarations@>=
char *sci_text(char *buf, size_t len, double x);
void values_sci(struct value_file *v, const char *name, double x);
void values_spread(struct value_file *v, const char *name, struct spread s);
void values_pct(struct value_file *v, const char *name, double fraction);
void values_letter(struct value_file *v, const char *stem, int k, const char *fmt, double x);
void appendf(char *buf, size_t size, const char *fmt, ...) printf_like(3, 4);

@ Tables that the text sets are built as strings, a row at a time, by
|appendf|, which formats at the end of what |buf| already holds.  A
table too long for its buffer is a mistake in the program, and one
that must not pass silently as a table cut short.
@<Toolkit: summary functions@>=
void appendf(char *buf, size_t size, const char *fmt, ...)
{
  size_t len = strnlen(buf, size);
  va_list ap;
  va_start(ap, fmt);
  int n = len < size ? vsnprintf(buf + len, size - len, fmt, ap) : -1;
  va_end(ap);
  if (n < 0 || (size_t)n >= size - len) die("appendf: a table outgrew its %zu bytes", size);
}

@ The mantissa is rounded before it is printed, so that $9.96\times10^{-3}$
becomes $1\times10^{-2}$, not $10.0\times10^{-3}$.
@<Toolkit: summary functions@>=
char *sci_text(char *buf, size_t len, double x)
{
  if (x == 0.0 || !isfinite(x)) {
    snprintf(buf, len, x == 0.0 ? "0" : "%g", x);
    return buf;
  }
  int e = (int)floor(log10(fabs(x)));
  double m = round(10.0 * x / pow(10.0, e)) / 10.0;
  if (fabs(m) >= 10.0) { m /= 10.0; e++; }
  snprintf(buf, len, m == round(m) ? "%.0f\\times10^{%d}" : "%.1f\\times10^{%d}", m, e);
  return buf;
}
void values_sci(struct value_file *v, const char *name, double x)
{
  char buf[64];
  values_put(v, name, "%s", sci_text(buf, sizeof buf, x));
}
void values_spread(struct value_file *v, const char *name, struct spread s)
{ values_put(v, name, "$%.3f\\pm%.3f$", s.mean, s.sd); }
void values_pct(struct value_file *v, const char *name, double fraction)
{ values_put(v, name, "%.1f\\%%", 100.0 * fraction); }
void values_letter(struct value_file *v, const char *stem, int k, const char *fmt, double x)
{
  char name[64];
  if (k < 0 || k >= 26) die("values_letter: %s needs a letter for number %d", stem, k);
  snprintf(name, sizeof name, "%s%c", stem, 'A' + k);
  values_put(v, name, fmt, x);
}

@*1 The command line.
Every program follows the same conventions: \.{--help} prints the usage
on the standard output and exits~0; \.{--version} prints the program's
name and the book's version; \.{--seed N} fixes every random choice;
\.{--out DIR} says where the data go.  Options are parsed with
|getopt_long|, given an option string that starts with a colon and
|opterr=0|, so that it reports problems to us instead of printing its own
two-line complaints; we then print one line and exit with status~2.
@<Toolkit: public declarations@>=
int parse_double(const char *s, double *out);
int parse_long(const char *s, long *out);
double cli_double(const char *opt, const char *arg, double lo, double hi);
long cli_long(const char *opt, const char *arg, long lo, long hi);
uint64_t cli_seed(const char *arg);
void cli_bad_option(int c, char **argv);
_Noreturn void cli_version(void);
_Noreturn void cli_exit_ok(void);
void cli_no_operands(int argc, char **argv);
const char *fmnist_dir(const char *flag);

@ Numbers on the command line and in \.{replay}'s input are parsed
strictly.  |strtod| alone is too forgiving: it skips leading blanks,
stops silently at trailing garbage (\.{0.1x} reads as $0.1$), accepts
\.{nan} and \.{inf}, and returns $\pm$\.{HUGE\_VAL} on overflow.  We
accept a string only if it is entirely one finite number that did not
overflow; an underflow to a subnormal or zero is refused too, since no
hyperparameter of this book is that small on purpose.
@^strict number parsing@>
@<Toolkit: number parsing@>=
int parse_double(const char *s, double *out)
{
  if (!s || !*s || isspace((unsigned char)*s)) return -1;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end != '\0' || errno == ERANGE || !isfinite(x)) return -1;
  *out = x;
  return 0;
}

@ Integers likewise: base 10, all of the string, no overflow.
@<Toolkit: number parsing@>=
int parse_long(const char *s, long *out)
{
  if (!s || !*s || isspace((unsigned char)*s)) return -1;
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (*end != '\0' || errno == ERANGE) return -1;
  *out = x;
  return 0;
}

@ The |cli_| versions turn a bad value into a usage error that names the
option and the range.
@.is not a number@>
@<Toolkit: command-line helpers@>=
double cli_double(const char *opt, const char *arg, double lo, double hi)
{
  double x;
  if (parse_double(arg, &x) != 0)
    usage_error("%s: '%s' is not a finite number", opt, arg);
  if (x < lo || x > hi)
    usage_error("%s: %s is out of range [%g, %g]", opt, arg, lo, hi);
  return x;
}
long cli_long(const char *opt, const char *arg, long lo, long hi)
{
  long x;
  if (parse_long(arg, &x) != 0) usage_error("%s: '%s' is not an integer", opt, arg);
  if (x < lo || x > hi) usage_error("%s: %s is out of range [%ld, %ld]", opt, arg, lo, hi);
  return x;
}

@ A seed is any 64-bit unsigned integer, written in decimal.  |strtoull|
would accept \.{-1} and wrap it around, so a leading digit is required.
@<Toolkit: command-line helpers@>=
uint64_t cli_seed(const char *arg)
{
  char *end;
  errno = 0;
  unsigned long long x = 0;
  if (arg[0] >= '0' && arg[0] <= '9') x = strtoull(arg, &end, 10);
  if (!(arg[0] >= '0' && arg[0] <= '9') || *end != '\0' || errno == ERANGE)
    usage_error("--seed: '%s' is not an integer in [0, 2^64)", arg);
  return (uint64_t)x;
}

@ When |getopt_long| returns |':'| an option lacked its value; when it
returns |'?'| the option was unknown (or took no value and was given one).
Usually |argv[optind-1]| is the offending word.  The exception is a
cluster of short options, \.{-xyz}: |getopt_long| moves |optind| past a
cluster only after its last letter, and no program of this book has a
short option, so the cluster fails at its first letter, |optopt|, while
|optind| still points {\it at\/} it and |argv[optind-1]| is whatever came
before (\.{sgd}, in \.{replay optimizer sgd -xyz}).  So a word at
|argv[optind]| that starts with a dash and that letter, and goes on, is
the culprit, and the message names the letter and the word.
@.needs a value@>
@.unknown option@>
@<Toolkit: command-line helpers@>=
void cli_bad_option(int c, char **argv)
{
  const char *word = argv[optind - 1], *eq = strchr(word, '='), *next = argv[optind];
  if (c == ':') usage_error("option '%s' needs a value", word);
  if (optopt != 0 && optopt < 256 && next && next[0] == '-' && next[1] == (char)optopt
      && next[1] != '-' && next[2] != '\0')
    usage_error("unknown option '-%c' (in '%s')", optopt, next);
  if (optopt && eq && word[1] == '-')
    usage_error("option '%.*s' takes no value", (int)(eq - word), word);
  if (optopt && word[0] == '-' && word[1] != '-')
    usage_error("unknown option '-%c'", optopt);
  usage_error("unknown option '%s'", word);
}

@ \.{--version} and the refusal of stray operands.  What was asked
for must arrive: \.{--help} and \.{--version} leave through
|cli_exit_ok|, which says so when the standard output could not be
written (a full disk, a closed pipe) instead of exiting~0 as if it had.
@<Toolkit: command-line helpers@>=
void cli_exit_ok(void)
{
  if (fflush(stdout) != 0 || ferror(stdout)) die("write error on standard output");
  exit(0);
}
void cli_version(void)
{
  printf("%s (Descent) %s\n", program_name, DESCENT_VERSION);
  cli_exit_ok();
}
void cli_no_operands(int argc, char **argv)
{
  if (optind < argc) usage_error("unexpected argument '%s'", argv[optind]);
}

@ The version string comes from the Makefile; a program compiled by hand
still gets one.
@<Toolkit: public declarations@>=
#ifndef DESCENT_VERSION
#define DESCENT_VERSION "unknown"
#endif

@ Fashion-MNIST is found where the Debian package \.{dataset-fashion-mnist}
installs it, unless the user says otherwise with a \.{--data} flag or the
environment variable \.{DESCENT\_FASHION\_MNIST}.
@<Toolkit: command-line helpers@>=
const char *fmnist_dir(const char *flag)
{
  if (flag) return flag;
  const char *env = getenv("DESCENT_FASHION_MNIST");
  if (env && *env) return env;
  return "/usr/share/datasets/fashion-mnist";
}

@*1 The chapter harness.
Every chapter's program is a list of experiments run in order, each
writing its tables and the numbers its chapter quotes.  What surrounds
them is the same in every chapter: read the command line, load
Fashion-MNIST if a wanted experiment trains on it, check that the data
set is large enough, create the output directory, open \.{values.tex},
run the experiments that \.{--only} selects, and close everything.  That
harness lives here, driven by two tables that a chapter fills in, so
that a chapter opens with its idea and not with |main|.
@^chapter harness@>

The first table is the command line itself.  An option is a row: its
long name, the type of its value, where the value goes, the range a
number must lie in, and the two texts of its line in the usage.  The
five types cover every option of the book: a flag (no value), an integer,
a real number, a text (a file or directory name, never empty), and a
64-bit seed.
@<Toolkit: public declarations@>=
enum cli_type { cli_flag, cli_int, cli_real, cli_text, cli_u64 };
struct cli_option {
  const char *name;   /* the long name, without its dashes */
  enum cli_type type;
  void *dest;         /* |bool|, |long|, |double|, |const char *| or |uint64_t| */
  double lo, hi;      /* the range of a number */
  const char *arg;    /* the value's name in the usage: \.{N}, \.{DIR} */
  const char *help;   /* its line in the usage (may contain newlines) */
};
struct cli_spec {
  const char *usage;              /* what follows the program's name */
  const char *summary;            /* what the program does */
  const struct cli_option *opts;  /* ends with a null |name| */
};
void cli_parse(const struct cli_spec *s, int argc, char **argv);
void cli_usage(const struct cli_spec *s, FILE *f);

@ The parser lends the table to |getopt_long|, one |struct option| per
row, with the row's index (plus 256, past every character) as the value
|getopt_long| returns, so that the row is found without comparing names
again.  \.{--help} and \.{--version} are added to every table.  A text
may not be empty: \.{--out ''} would otherwise mean the root of the file
system to |make_dirs| and \.{--data ''} the current directory.
@.is empty@>
@<Toolkit: command-line helpers@>=
void cli_parse(const struct cli_spec *s, int argc, char **argv)
{
  size_t n = 0;
  while (s->opts[n].name) n++;
  struct option *lo = xcalloc(n + 3, sizeof *lo);
  for (size_t i = 0; i < n; i++)
    lo[i] = (struct option)@[{s->opts[i].name,
      s->opts[i].type == cli_flag ? no_argument : required_argument, NULL, (int)(256 + i)}@];
  lo[n] = (struct option)@[{"help", no_argument, NULL, 'h'}@];
  lo[n + 1] = (struct option)@[{"version", no_argument, NULL, 'V'}@];
  opterr = 0;
  for (int c; (c = getopt_long(argc, argv, ":", lo, NULL)) != -1; ) {
    if (c == 'h') { cli_usage(s, stdout); free(lo); cli_exit_ok(); }
    if (c == 'V') { free(lo); cli_version(); }
    if (c < 256) cli_bad_option(c, argv);
    @<Toolkit: store |optarg| as row |c-256| asks@>@;
  }
  free(lo);
  cli_no_operands(argc, argv);
}

@ Each type has its parser, all of which refuse what they cannot read
with a usage error naming the option.
@<Toolkit: store |optarg|...@>=
const struct cli_option *o = &s->opts[c - 256];
char flag[64];
snprintf(flag, sizeof flag, "--%s", o->name);
switch (o->type) {
case cli_flag: *(bool *)o->dest = true; break;
case cli_int: *(long *)o->dest = cli_long(flag, optarg, (long)o->lo, (long)o->hi); break;
case cli_real: *(double *)o->dest = cli_double(flag, optarg, o->lo, o->hi); break;
case cli_u64: *(uint64_t *)o->dest = cli_seed(optarg); break;
case cli_text:
  if (!*optarg) usage_error("%s: the value is empty", flag);
  *(const char **)o->dest = optarg; break;
}

@ The usage is generated from the same table, so that it cannot forget
an option.  It goes to the standard output, because it was asked for.
A help text with newlines continues on lines of its own, indented.
@<Toolkit: command-line helpers@>=
void cli_usage(const struct cli_spec *s, FILE *f)
{
  fprintf(f, "Usage: %s %s\n%s\n", program_name, s->usage, s->summary);
  for (const struct cli_option *o = s->opts; o->name; o++) {
    char left[40];
    snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
    fprintf(f, "  %-13s", left);
    for (const char *h = o->help; *h; h++) {
      fputc(*h, f);
      if (*h == '\n') fprintf(f, "  %-13s", "");
    }
    fputc('\n', f);
  }
  fprintf(f, "  %-13sprint this help and exit\n  %-13sprint the version and exit\n",
          "--help", "--version");
}

@ The second table is the chapter's list of experiments: a name for
\.{--only}, the function that runs it, and whether it trains on
Fashion-MNIST.  A chapter describes itself by its program's name, a
summary for the usage, its experiments, its own options (most chapters
have none), optionally a function that checks before anything is
written that the data set is large enough for what was asked, and
optionally one that runs after the last experiment (to quote a total
over all of them, say).
Everything an experiment may need arrives in one |struct chapter|: the
common options, the values file, and the data.
@<Toolkit: public declarations@>=
struct chapter;
struct experiment {
  const char *name;
  void (*perform)(struct chapter *ch);
  bool data;   /* trains on Fashion-MNIST */
};
struct chapter_spec {
  const char *name, *summary;
  const struct experiment *experiments;  /* ends with a null |name| */
  const struct cli_option *options;      /* the chapter's own, or null */
  void (*check)(const struct chapter *ch);
  void (*finish)(struct chapter *ch);    /* after the last experiment, or null */
};
struct chapter {
  const struct chapter_spec *spec;
  uint64_t seed;
  const char *out, *data, *only;
  bool quick;
  struct value_file *values;
  struct dataset *train, *test;  /* null unless a wanted experiment needs them */
};
int chapter_main(const struct chapter_spec *s, int argc, char **argv);
bool chapter_wants(const struct chapter *ch, const char *name);
void chapter_need(const struct chapter *ch, const char *name,
                  size_t ntrain, size_t ntest);
void note(const char *fmt, ...) printf_like(1, 2);

@ |chapter_main| is the whole |main| of a chapter.  Its order matters:
nothing is written until the command line has been read, the data set
loaded and its size checked, so that a mistake costs nothing.  It also
times the run and quotes the time, in seconds, and the number of
threads as \.{runSeconds} and \.{runThreads}, so that a chapter that says
how long its program runs says what this copy's build measured.  A quick
run, which the tests repeat and compare byte for byte, quotes no time.
@<Toolkit: chapter functions@>=
int chapter_main(const struct chapter_spec *s, int argc, char **argv)
{
  char outdir[256];
  snprintf(outdir, sizeof outdir, "build/data/%s", s->name);
  struct chapter ch = @[{.spec = s, .seed = 1, .out = outdir}@];
  program_name = s->name;
  @<Toolkit: read the chapter's command line into |ch|@>@;
  struct dataset train = @[{0}@], test = @[{0}@];
  @<Toolkit: load Fashion-MNIST if a wanted experiment needs it@>@;
  if (s->check) s->check(&ch);
  if (make_dirs(ch.out) != 0) die("cannot create %s: %s", ch.out, strerror(errno));
  ch.values = values_open(ch.out);
  double start = wall_seconds();
  for (const struct experiment *e = s->experiments; e->name; e++)
    if (chapter_wants(&ch, e->name)) e->perform(&ch);
  if (s->finish) s->finish(&ch);
  if (!ch.quick) {
    values_put(ch.values, "runSeconds", "%.0f", wall_seconds() - start);
#ifdef _OPENMP
    values_put(ch.values, "runThreads", "%d", omp_get_max_threads());
#else
    values_put(ch.values, "runThreads", "%d", 1);
#endif
  }
  values_close(ch.values);
  if (ch.train) { dataset_free(&train); dataset_free(&test); }
  if (fflush(stdout) != 0 || ferror(stdout)) die("write error on standard output");
  return 0;
}

@ The common options come first in the table, the chapter's own after
them; \.{--data} is offered only by a chapter that has an experiment on
Fashion-MNIST.  The list of experiments for \.{--only} is written into
its help line from the table.
@<Toolkit: read the chapter's command line...@>=
bool any_data = false;
size_t nown = 0, nexp = 0;
char names[512] = "", onlyhelp[640];
for (const struct experiment *e = s->experiments; e->name; e++, nexp++) {
  any_data = any_data || e->data;
  if (strlen(names) + strlen(e->name) + 3 < sizeof names) {
    if (nexp) strcat(names, nexp % 6 ? ", " : ",\n");
    strcat(names, e->name);
  }
}
snprintf(onlyhelp, sizeof onlyhelp, "one experiment: %s", names);
while (s->options && s->options[nown].name) nown++;
char outhelp[300];
snprintf(outhelp, sizeof outhelp, "where the tables go (default %s)", outdir);
const struct cli_option common[] = {@/
  @[{"seed", cli_u64, &ch.seed, 0, 0, "N", "seed of every random choice (default 1)"}@],@/
  @[{"out", cli_text, &ch.out, 0, 0, "DIR", outhelp}@],@/
  @[{"data", cli_text, &ch.data, 0, 0, "DIR", "the Fashion-MNIST files (default "@/
    "$DESCENT_FASHION_MNIST,\nelse /usr/share/datasets/fashion-mnist)"}@],@/
  @[{"quick", cli_flag, &ch.quick, 0, 0, NULL, "a much smaller run, for tests"}@],@/
  @[{"only", cli_text, &ch.only, 0, 0, "NAME", onlyhelp}@]};
struct cli_option *opts = xcalloc(5 + nown + 1, sizeof *opts);
size_t k = 0;
for (size_t i = 0; i < 5; i++)
  if (i != 2 || any_data) opts[k++] = common[i];
for (size_t i = 0; i < nown; i++) opts[k++] = s->options[i];
const struct cli_spec spec = @[{"[OPTION]...", s->summary, opts}@];
cli_parse(&spec, argc, argv);
free(opts);
@<Toolkit: refuse an unknown experiment@>@;
ch.data = fmnist_dir(ch.data);

@ An experiment's name must be one in the table.
@.unknown experiment@>
@<Toolkit: refuse an unknown experiment@>=
if (ch.only) {
  const struct experiment *e = s->experiments;
  while (e->name && strcmp(e->name, ch.only) != 0) e++;
  if (!e->name) {
    for (char *p = names; *p; p++) if (*p == '\n') *p = ' ';
    usage_error("--only: unknown experiment '%s' (%s)", ch.only, names);
  }
}

@ The data are loaded before anything is written.  A missing or damaged
file is reported in the loader's own one line, which names the file and
says how to get it, and the program exits with status~1.
@<Toolkit: load Fashion-MNIST if a wanted experiment needs it@>=
bool need = false;
for (const struct experiment *e = s->experiments; e->name; e++)
  need = need || (e->data && chapter_wants(&ch, e->name));
if (need) {
  char msg[512];
  if (fmnist_load(ch.data, true, &train, msg, sizeof msg) != 0
      || fmnist_load(ch.data, false, &test, msg, sizeof msg) != 0)
    die("%s", msg);
  ch.train = &train; ch.test = &test;
}

@ An experiment runs when \.{--only} names it, or when \.{--only} is
absent.  |chapter_need| is what a chapter's |check| calls for each
experiment that trains: it refuses, in one line and with status~1, a
data set with fewer images than the experiment needs.
@.needs at least@>
@<Toolkit: chapter functions@>=
bool chapter_wants(const struct chapter *ch, const char *name)
{
  return ch->only == NULL || strcmp(ch->only, name) == 0;
}
void chapter_need(const struct chapter *ch, const char *name,
                  size_t ntrain, size_t ntest)
{
  if (!ch->train || !chapter_wants(ch, name)) return;
  if (ch->train->n < ntrain || ch->test->n < ntest)
    die("%s needs at least %zu training and %zu test images; %s has %zu and %zu",
        name, ntrain, ntest, ch->data, ch->train->n, ch->test->n);
}

@ Anything that takes more than a second says so on the standard error
stream, one line at a time, so that the standard output holds only
results.
@<Toolkit: chapter functions@>=
void note(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", program_name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}
