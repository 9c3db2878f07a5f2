@q 09-trainer.w -- Chapter 9: the trainer @>
@* The trainer.
\chaptervalues{09-trainer}%
\opener{09-trainer-roofline}{How fast can one processor train this network, and where does the time go? Below: the machine's limits, and where the trainer's kernels sit against them.}
Everything the earlier chapters built now goes into one program, the
trainer: an MLP of any widths on Fashion-MNIST, trained with AdamW,
a linear warmup over the first 5~percent of the steps and a cosine
decay after it, clipping at global norm~1, batches of 128.  Each of those
choices is a flag, and the optimizer, schedule and clipping of
Chapters~2--6 can be chosen by name.  It reports its progress, logs
every epoch, prints a confusion matrix, writes a checkpoint every epoch
and when it is interrupted, resumes from it bit for bit, and stops with
a diagnosis when a number goes bad.

The other half of the chapter is speed.  An MLP spends nearly all its time
in three matrix products per layer, and the appendix's products are
written for clarity.  Here we write a single-precision matrix product
(an SGEMM, in BLAS's name) the way fast libraries do: packed,
blocked for the caches, with a small kernel in vector registers chosen
at run time for the processor it finds.  It goes into the library, so
that every chapter's MLP runs on it; this chapter measures what it gains
and how close it comes to what the machine can do.

@ The program, \.{build/bin/09-trainer}, is a chapter program like the
others (Chapter~1 describes its command line and outputs), with the
trainer's own flags added.  It runs four experiments: {\it train}, the
trainer itself; {\it bf16}, the same run with its matrix products in
bfloat16; {\it kernels}, which times the matrix products against
the machine's peak; and {\it phases}, which measures where a training
step's time goes.  The last two measure wall-clock time, which no seed
controls, and \.{--quick} leaves them out; \.{--quick} also shrinks the
training run to a few hundred images, so that the tests can run it under
the sanitizers.

The run this chapter quotes was made when the book was built, and it is
shorter than the trainer's default, so that the whole build of the book
stays within its budget of four minutes on two cores: \val{TRepochs} epochs on the first \val{TRtrainN} training
images, \val{TRsteps} steps in all, seed~1, tested on all 10\,000 test
images (the Makefile adds \.{--epochs 3 --train-size 30000}).  The full
recipe, ten epochs on all 60\,000 images, is \.{build/bin/09-trainer}
with no flags, and \.{make bench} runs it beside PyTorch.
@c
#include <immintrin.h>
#include <omp.h>
#include <signal.h>
#include <unistd.h>
#include "descent.h"
@<Trainer: types and globals@>@;
@<Trainer: functions@>@;
@<Trainer: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"train", train_experiment, true}@],@/
  @[{"bf16", bf16_experiment, true}@],@/
  @[{"kernels", kernels_experiment, true}@],@/
  @[{"phases", phases_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"09-trainer",@/
  "The trainer of chapter 9 of Descent: an MLP on Fashion-MNIST with AdamW,\n"@/
  "warmup and cosine, clipping, checkpoints; and the speed of its kernels.\n",@/
  experiments, trainer_options, check_config, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@*1 A fast matrix product.
Every product the MLP needs has the form
$$C\gets \mathop{\rm op}(A)\,\mathop{\rm op}(B),$$
with $\mathop{\rm op}(A)$ an $m\times k$ matrix that is either the stored
$A$ or its transpose, and likewise $\mathop{\rm op}(B)$, $k\times n$.  The
forward pass of a layer is $HW^{\top}$ (op of $B$ a transpose), the
gradient with respect to its input $GW$ (no transposes), the gradient of
its weights $G^{\top}H$ (op of $A$ a transpose).  At the default widths
a training step computes about $6\times128\times(784\cdot1024+1024\cdot512
+512\cdot10)\approx1.0\times10^9$ floating-point operations, all in
these products: everything else is noise by comparison.
@^SGEMM@>

A product of $m\times k$ by $k\times n$ does $2mkn$ operations on
$mk+kn+mn$ numbers: for the forward product at batch~128 that is about
160 operations per number loaded.  So the product is limited by
arithmetic, not by memory---{\it if\/} each number, once loaded, is used
many times before it leaves the processor.  The naive loops of the
appendix use each loaded element of $B$ once per row of $A$, and the
rows of $B$ leave the cache between uses.  Three ideas fix this, and they
are the whole of a fast GEMM (Goto and van de Geijn, 2008; the BLIS
framework of Van~Zee and van de Geijn, 2015, is the clearest modern
account):
\item{1.} {\it A micro-kernel\/} computes a small tile of $C$, $m_r$ rows
by $n_r$ columns, entirely in vector registers.  It walks $p=0,1,\ldots$
and at each step loads $n_r$ numbers of a row of $B$ and $m_r$ numbers
of a column of $A$, and performs $m_rn_r$ multiply-adds: with $m_r=8$,
$n_r=32$ that is 256 multiply-adds for 40 numbers loaded.
\item{2.} {\it Packing\/} copies the pieces of $A$ and $B$ that the
micro-kernel reads into buffers laid out exactly in the order it reads
them, so that its loads are consecutive, aligned, and need no index
arithmetic.  The copy also takes care of transposes: a transposed
operand is packed from other addresses, and the micro-kernel never knows.
\item{3.} {\it Blocking\/} chooses the pieces so that they stay in the
caches while they are reused: a $k_c\times n_c$ block of $B$ lives in
the second-level cache while every row of $A$ passes over it, an
$m_c\times k_c$ block of $A$ in the first- and second-level caches while
the micro-kernel sweeps along the block of $B$.
@^packing@>
@^cache blocking@>
@^micro-kernel@>

@ The library's header for the product.  |sgemm| overwrites $C$ ($m\times n$,
rows |ldc| apart) with $\mathop{\rm op}(A)\mathop{\rm op}(B)$; |ta| says that
$A$ is stored transposed ($k\times m$, rows |lda| apart), |tb| the same of
$B$ ($n\times k$).  When |bias| is not null, |bias[j]| is added to every
element of column~$j$, and when |relu| is true the rectifier follows: the
forward pass of a whole layer in one call.
@s __m512 int
@s __m256 int
@s _Thread_local static
@s sig_atomic_t int
@s __m512bh int
@s __m512i int
@s __mmask16 int
@s __mmask32 int
@s line x
@(descent-gemm.h@>=
#ifndef DESCENT_GEMM_H
#define DESCENT_GEMM_H
#include <stdbool.h>
#include <stddef.h>
@<Trainer: public declarations@>@;
#endif

@ One function does it all; everything else in this part is its machinery.
@<Trainer: public declarations@>=
void sgemm(bool ta, bool tb, size_t m, size_t n, size_t k,
           const float *a, size_t lda, const float *b, size_t ldb,
           float *c, size_t ldc, const float *bias, bool relu);

@ The implementation file.  The vector instructions come from the
compiler's intrinsics, one C function per instruction.
@(gemm.c@>=
#include <assert.h>
#include <float.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Trainer: kernels@>@;
@<Trainer: dispatch@>@;
@<Trainer: packing@>@;
@<Trainer: the blocked product@>@;

@*1 One order of additions.
Before any speed, a promise about the result.  Each element
$c_{ij}=\sum_p a_{ip}b_{pj}$ is computed as one chain of fused
multiply-adds, $s\gets a_{ip}b_{pj}+s$ for $p=0,1,\ldots,k-1$ in this
order, starting from $s=0$, each rounded once; then the bias is added,
then the rectifier applied.  A block of $k_c$ terms ends by storing $s$ into
$C$, and the next block starts by loading it back, which continues the
same chain: blocking changes where the partial sum lives, not the order
in which terms are added.  Every path---the scalar one, AVX2, AVX-512---and
every block size and thread count therefore gives the {\it same bits}.
The threads share out tiles of $C$, never the sum over~$p$; a tile is
computed the same way whoever computes it.
@^determinism under threads@>
@^fused multiply-add@>

The appendix's reference products round the product and the sum
separately (the book compiles with \.{-ffp-contract=off}, so the
compiler may not fuse them), so they differ from |sgemm| in the last
bits; the tests compare the two within a tolerance and the paths with
each other exactly.

@ The micro-kernels share one signature.  |kc| steps of $p$; |a| is a
packed sliver of $A$, $m_r$ numbers per step; |b| a packed sliver of
$B$, $n_r$ numbers per step; |c| the tile, rows |ldc| apart.  |first|
says whether the chain starts at zero or continues from what is in |c|;
|bias| (null for none) and |relu| are applied by the call that ends the
chain, and are null and false otherwise.
@<Trainer: kernels@>=
typedef void micro_kernel(size_t kc, const float *restrict a, const float *restrict b,
                          float *restrict c, size_t ldc, bool first,
                          const float *bias, bool relu);

@ The scalar kernel is the definition made executable: a $4\times8$ tile
in an array, |fmaf| for each step.  It is the path of last resort, and it
is what the others must equal.
@<Trainer: kernels@>=
enum { scalar_mr = 4, scalar_nr = 8 };
static void micro_scalar(size_t kc, const float *restrict a, const float *restrict b,
                         float *restrict c, size_t ldc, bool first,
                         const float *bias, bool relu)
{
  float s[scalar_mr][scalar_nr];
  for (int i = 0; i < scalar_mr; i++)
    for (int j = 0; j < scalar_nr; j++) s[i][j] = first ? 0.0f : c[i * ldc + j];
  @q solution micro_scalar: (void)kc; (void)a; (void)b; @>
  for (size_t p = 0; p < kc; p++, a += scalar_mr, b += scalar_nr)
    for (int i = 0; i < scalar_mr; i++)
      for (int j = 0; j < scalar_nr; j++) s[i][j] = fmaf(a[i], b[j], s[i][j]);
  @q end solution @>
  for (int i = 0; i < scalar_mr; i++)
    for (int j = 0; j < scalar_nr; j++) {
      float z = bias ? s[i][j] + bias[j] : s[i][j];
      c[i * ldc + j] = relu && z < 0.0f ? 0.0f : z;
    }
}

@ The AVX-512 kernel keeps a tile of $8\times32$ in sixteen of the 32
registers of 16 floats: two registers per row.  Each step loads the two
registers of $B$'s sliver, and for each of the eight rows broadcasts
$a_{ip}$ to all 16 lanes and issues two fused multiply-adds.  Sixteen
independent chains are enough to keep two fused multiply-add units busy
through their latency of four cycles.  The rectifier is |max(0,z)| with
the zero first: the instruction returns its second operand when either
is a NaN, so a NaN passes, as it does through the appendix's
|z < 0 ? 0 : z|.
@^AVX-512@>
@^NaN propagation@>
@<Trainer: kernels@>=
enum { avx512_mr = 8, avx512_nr = 32 };
@<Trainer: compile what follows for AVX-512@>@;
static void micro_avx512(size_t kc, const float *restrict a, const float *restrict b,
                         float *restrict c, size_t ldc, bool first,
                         const float *bias, bool relu)
{
  __m512 s0[avx512_mr], s1[avx512_mr];
  @<Trainer: unroll the next loop@>@;
  for (int i = 0; i < avx512_mr; i++) {
    s0[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc);
    s1[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc + 16);
  }
  for (size_t p = 0; p < kc; p++, a += avx512_mr, b += avx512_nr) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    @<Trainer: unroll the next loop@>@;
    for (int i = 0; i < avx512_mr; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      s0[i] = _mm512_fmadd_ps(ai, b0, s0[i]);
      s1[i] = _mm512_fmadd_ps(ai, b1, s1[i]);
    }
  }
  @<Trainer: add the bias, rectify and store the AVX-512 tile@>@;
}
@<Trainer: compile what follows for the default target again@>@;

@ The end of the chain: bias, rectifier, store.
@<Trainer: add the bias, rectify and store the AVX-512 tile@>=
const __m512 zero = _mm512_setzero_ps();
@<Trainer: unroll the next loop@>@;
for (int i = 0; i < avx512_mr; i++) {
  if (bias) {
    s0[i] = _mm512_add_ps(s0[i], _mm512_loadu_ps(bias));
    s1[i] = _mm512_add_ps(s1[i], _mm512_loadu_ps(bias + 16));
  }
  if (relu) { s0[i] = _mm512_max_ps(zero, s0[i]); s1[i] = _mm512_max_ps(zero, s1[i]); }
  _mm512_storeu_ps(c + i * ldc, s0[i]);
  _mm512_storeu_ps(c + i * ldc + 16, s1[i]);
}

@ The AVX2 kernel is the same with registers of 8 floats, of which there
are sixteen: a $6\times16$ tile in twelve of them, two for $B$'s sliver and
one for the broadcast.
@^AVX2@>
@<Trainer: kernels@>=
enum { avx2_mr = 6, avx2_nr = 16 };
@<Trainer: compile what follows for AVX2@>@;
static void micro_avx2(size_t kc, const float *restrict a, const float *restrict b,
                       float *restrict c, size_t ldc, bool first,
                       const float *bias, bool relu)
{
  __m256 s0[avx2_mr], s1[avx2_mr];
  @<Trainer: unroll the next loop@>@;
  for (int i = 0; i < avx2_mr; i++) {
    s0[i] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + i * ldc);
    s1[i] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + i * ldc + 8);
  }
  for (size_t p = 0; p < kc; p++, a += avx2_mr, b += avx2_nr) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    @<Trainer: unroll the next loop@>@;
    for (int i = 0; i < avx2_mr; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      s0[i] = _mm256_fmadd_ps(ai, b0, s0[i]);
      s1[i] = _mm256_fmadd_ps(ai, b1, s1[i]);
    }
  }
  const __m256 zero = _mm256_setzero_ps();
  @<Trainer: unroll the next loop@>@;
  for (int i = 0; i < avx2_mr; i++) {
    if (bias) {
      s0[i] = _mm256_add_ps(s0[i], _mm256_loadu_ps(bias));
      s1[i] = _mm256_add_ps(s1[i], _mm256_loadu_ps(bias + 8));
    }
    if (relu) { s0[i] = _mm256_max_ps(zero, s0[i]); s1[i] = _mm256_max_ps(zero, s1[i]); }
    _mm256_storeu_ps(c + i * ldc, s0[i]);
    _mm256_storeu_ps(c + i * ldc + 8, s1[i]);
  }
}
@<Trainer: compile what follows for the default target again@>@;

@ The library is compiled for any x86-64 processor, so the vector
instructions may be used only inside functions compiled for them, and
only called when the processor has them.  GCC's \.{target} pragmas do the
first: between a push and a pop, functions are compiled as if for a
machine with the named extensions.  (Clang, which compiles the library
for the fuzzers, says the same with an attribute pushed on every
function.)  The loops over the rows of a tile
are unrolled completely, so that each register of the tile is a variable
of its own.
@^system dependencies@>
@<Trainer: compile what follows for AVX-512@>=
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("avx512f,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,fma")
#endif

@ The same for AVX2.
@<Trainer: compile what follows for AVX2@>=
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

@ And back to the default target.
@<Trainer: compile what follows for the default target again@>=
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

@ The loops over a tile's rows are unrolled by this pragma.
@<Trainer: unroll the next loop@>=
#pragma GCC unroll 16

@*1 Products in bfloat16.
Half the bits per number means half the memory traffic, and on a
processor with AVX512-BF16 twice the multiply-adds per instruction:
\.{vdpbf16ps} takes a register of 32 bf16 pairs from each operand and
adds, to each of 16 |float| lanes, the two products of its pair.  The
trainer's \.{--precision bf16} uses it for all three products of a step,
forward and backward, while everything else stays in |float|: the
weights the optimizer updates (the {\it master\/} copy), the moments,
the loss, the bias and the rectifier.  Only the operands of the products
are rounded, to nearest even, as they are packed; the sums are |float|.
This is what PyTorch's autocast does on a CPU with bf16, at the level of
one product.
@^bfloat16@>
@^mixed precision@>

Intel's manual defines the instruction term by term: for lane~$i$,
$$s\gets s+a_{2i+1}b_{2i+1},\qquad s\gets s+a_{2i}b_{2i},$$
the odd pair first, each product exact (two 8-bit significands fit a
|float|'s 24), each sum rounded to nearest even, subnormal inputs and
results flushed to zero.  The scalar kernel below does exactly that, with
|fmaf| and a flush, and the tests hold the instruction to it bit for
bit; on the build's machine, \val{TRbfCheck}.  So the bf16 product, like
the |float| one, has one order of additions and the same bits on every
path and thread count.
@.vdpbf16ps@>

@ A packed pair of bf16 numbers fills exactly one 32-bit slot, so the
packing buffers stay arrays of |float|: a sliver of $k_c$ steps holds
$\lceil k_c/2\rceil$ slots per row or column, the two numbers of steps
$2q$ and $2q+1$ side by side in slot~$q$ (a missing last step is a zero).
|bf16_bits| is the rounding of Chapter~6 (|lowp_from_float|) written
inline, because the packing calls it on every element it copies, with
one difference: a subnormal |float| becomes a zero, as the extension's
conversion instructions make it.
@<Trainer: public declarations@>=
enum gemm_precision { gemm_fp32, gemm_bf16 };
void gemm_set_precision(enum gemm_precision p);
enum gemm_precision gemm_get_precision(void);
bool gemm_bf16_native(void);

@ The rounding, and its inverse.
@<Trainer: kernels@>=
static inline uint16_t bf16_bits(float x)
{
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);
  if ((u & 0x7f800000u) == 0) return (uint16_t)((u >> 16) & 0x8000u);
  return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
static inline float bf16_value(uint16_t h)
{
  const uint32_t u = (uint32_t)h << 16;
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

@ The scalar kernel, the instruction's definition: a $4\times8$ tile,
|kc| steps taken in pairs.  The flush turns a subnormal into a zero of
the same sign.
@<Trainer: kernels@>=
static inline float flush(float x)
{ return fabsf(x) < FLT_MIN ? copysignf(0.0f, x) : x; }
static inline float low_half(uint32_t slot) { return flush(bf16_value((uint16_t)slot)); }
static inline float high_half(uint32_t slot)
{ return flush(bf16_value((uint16_t)(slot >> 16))); }
static void micro_bf16_scalar(size_t kc, const float *restrict a, const float *restrict b,
                              float *restrict c, size_t ldc, bool first,
                              const float *bias, bool relu)
{
  const uint32_t *a32 = (const uint32_t *)a, *b32 = (const uint32_t *)b;
  float s[scalar_mr][scalar_nr];
  for (int i = 0; i < scalar_mr; i++)
    for (int j = 0; j < scalar_nr; j++) s[i][j] = first ? 0.0f : c[i * ldc + j];
  for (size_t q = 0; q < (kc + 1) / 2; q++, a32 += scalar_mr, b32 += scalar_nr)
    for (int i = 0; i < scalar_mr; i++)
      for (int j = 0; j < scalar_nr; j++) {
        const float a0 = low_half(a32[i]), a1 = high_half(a32[i]);
        const float b0 = low_half(b32[j]), b1 = high_half(b32[j]);
        s[i][j] = flush(fmaf(a0, b0, flush(fmaf(a1, b1, s[i][j]))));
      }
  for (int i = 0; i < scalar_mr; i++)
    for (int j = 0; j < scalar_nr; j++) {
      float z = bias ? s[i][j] + bias[j] : s[i][j];
      c[i * ldc + j] = relu && z < 0.0f ? 0.0f : z;
    }
}

@ The AVX512-BF16 kernel is the AVX-512 kernel with the multiply-add
replaced: the same $8\times32$ tile in sixteen registers, but each step
consumes a pair of $p$s.  The broadcast copies row~$i$'s pair (one 32-bit
slot) to all 16 lanes.
@^AVX512-BF16@>
@<Trainer: kernels@>=
@<Trainer: compile what follows for AVX512-BF16@>@;
static void micro_bf16_avx512(size_t kc, const float *restrict a, const float *restrict b,
                              float *restrict c, size_t ldc, bool first,
                              const float *bias, bool relu)
{
  __m512 s0[avx512_mr], s1[avx512_mr];
  @<Trainer: unroll the next loop@>@;
  for (int i = 0; i < avx512_mr; i++) {
    s0[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc);
    s1[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc + 16);
  }
  for (size_t q = 0; q < (kc + 1) / 2; q++, a += avx512_mr, b += avx512_nr) {
    const __m512bh b0 = (__m512bh)_mm512_load_si512(b);
    const __m512bh b1 = (__m512bh)_mm512_load_si512(b + 16);
    @<Trainer: unroll the next loop@>@;
    for (int i = 0; i < avx512_mr; i++) {
      const __m512bh ai = (__m512bh)_mm512_set1_epi32((int)((const uint32_t *)a)[i]);
      s0[i] = _mm512_dpbf16_ps(s0[i], ai, b0);
      s1[i] = _mm512_dpbf16_ps(s1[i], ai, b1);
    }
  }
  @<Trainer: add the bias, rectify and store the AVX-512 tile@>@;
}
@<Trainer: compile what follows for the default target again@>@;

@ The compiler's name for the extension.
@<Trainer: compile what follows for AVX512-BF16@>=
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("avx512f,avx512bf16"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bf16")
#endif

@*1 Choosing a kernel at run time.
The processor is asked once, with GCC's |__builtin_cpu_supports|, which
reads the \.{cpuid} instruction's answer: AVX-512 if it has it, else AVX2
with FMA, else the scalar kernel.  The environment variable
\.{DESCENT\_GEMM} (\.{scalar}, \.{avx2}, \.{avx512}) or |gemm_force|
overrides the choice, for the tests and the benchmarks; asking for a
path the processor lacks is refused.
@.DESCENT\_GEMM@>
@<Trainer: public declarations@>=
enum gemm_path { gemm_auto, gemm_scalar, gemm_avx2, gemm_avx512 };
bool gemm_available(enum gemm_path p);
int gemm_force(enum gemm_path p);
enum gemm_path gemm_current(void);
const char *gemm_path_name(enum gemm_path p);
int gemm_path_parse(const char *name, enum gemm_path *p);

@ A path is a kernel, its tile, and whether it reads bf16 pairs.  In
bf16 there are two: the instruction, taken on the AVX-512 path of a
processor that has it, and the scalar definition everywhere else.
@<Trainer: dispatch@>=
struct gemm_kernel { micro_kernel *f; size_t mr, nr; bool bf16; };
static const struct gemm_kernel kernels[4] = @[{
  {micro_scalar, scalar_mr, scalar_nr, false}, {micro_scalar, scalar_mr, scalar_nr, false},
  {micro_avx2, avx2_mr, avx2_nr, false}, {micro_avx512, avx512_mr, avx512_nr, false}}@];
static const struct gemm_kernel bf16_scalar = @[{micro_bf16_scalar, scalar_mr, scalar_nr,
  true}@], bf16_avx512 = @[{micro_bf16_avx512, avx512_mr, avx512_nr, true}@];
static enum gemm_path chosen = gemm_auto;
static enum gemm_precision precision = gemm_fp32;
static const char *const path_names[4] = @[{"auto", "scalar", "avx2", "avx512"}@];

@ The precision is a setting of the process, like the path.
@<Trainer: dispatch@>=
void gemm_set_precision(enum gemm_precision p) { precision = p; }
enum gemm_precision gemm_get_precision(void) { return precision; }
bool gemm_bf16_native(void)
{
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") && gemm_current() == gemm_avx512;
}
static struct gemm_kernel kernel_now(void)
{
  if (precision == gemm_bf16) return gemm_bf16_native() ? bf16_avx512 : bf16_scalar;
  return kernels[gemm_current()];
}

@ The processor's answer, and the names of the paths.
@<Trainer: dispatch@>=
bool gemm_available(enum gemm_path p)
{
  __builtin_cpu_init();
  switch (p) {
  case gemm_avx512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  case gemm_avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  default: return true;
  }
}
const char *gemm_path_name(enum gemm_path p)
{ return p >= gemm_auto && p <= gemm_avx512 ? path_names[p] : "?"; }
int gemm_path_parse(const char *name, enum gemm_path *p)
{
  for (int i = 0; i < 4; i++)
    if (strcmp(name, path_names[i]) == 0) { *p = (enum gemm_path)i; return 0; }
  return -1;
}

@ Forcing a path the processor lacks returns $-1$ and changes nothing;
|gemm_auto| goes back to the processor's best.
@<Trainer: dispatch@>=
int gemm_force(enum gemm_path p)
{
  if (p == gemm_auto)
    p = gemm_available(gemm_avx512) ? gemm_avx512
      : gemm_available(gemm_avx2) ? gemm_avx2 : gemm_scalar;
  if (!gemm_available(p)) return -1;
  chosen = p;
  return 0;
}
enum gemm_path gemm_current(void)
{
  if (chosen == gemm_auto) {
    enum gemm_path p = gemm_auto;
    const char *env = getenv("DESCENT_GEMM");
    if (env && *env && (gemm_path_parse(env, &p) != 0 || gemm_force(p) != 0))
      die("DESCENT_GEMM=%s: not a path this processor has (scalar, avx2, avx512)", env);
    if (chosen == gemm_auto) gemm_force(gemm_auto);
  }
  return chosen;
}

@*1 Packing.
The micro-kernel reads $A$ as slivers of $m_r$ rows: at each step $p$
the $m_r$ numbers $a_{ip}$ of one column of the sliver, consecutively.
|pack_a| copies an $m_c\times k_c$ block of $\mathop{\rm op}(A)$, starting
at row |i0| and column |p0|, into that order, sliver after sliver.  Rows
past the end of the matrix are filled with zeros, so that the
micro-kernel always computes a whole tile; the zeros add exact zeros to
rows that are thrown away.  The loops run along the stored rows of $A$,
whichever way it is stored: $p$ inside for a plain $A$, $i$ inside for a
transposed one, so that the reads are consecutive.
@<Trainer: packing@>=
static void pack_a(bool ta, const float *a, size_t lda, size_t m, size_t i0, size_t mc,@/
                   size_t p0, size_t kc, size_t mr, float *restrict dst)
{
  for (size_t ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    size_t rows = mc - ir < mr ? mc - ir : mr;
    if (i0 + ir + rows > m) rows = m - (i0 + ir);
    if (ta)
      for (size_t p = 0; p < kc; p++) {
        const float *src = a + (p0 + p) * lda + i0 + ir;
        for (size_t i = 0; i < mr; i++) dst[p * mr + i] = i < rows ? src[i] : 0.0f;
      }
    else
      for (size_t i = 0; i < mr; i++) {
        const float *src = a + (i0 + ir + i) * lda + p0;
        for (size_t p = 0; p < kc; p++) dst[p * mr + i] = i < rows ? src[p] : 0.0f;
      }
  }
}

@ |pack_b| does the same for a $k_c\times n_c$ block of $\mathop{\rm
op}(B)$: slivers of $n_r$ columns, each step's $n_r$ numbers consecutive.
It packs only the slivers from |jr0| to |jr1| (counted in slivers), so
that the threads can share the work.
@<Trainer: packing@>=
static void pack_b(bool tb, const float *b, size_t ldb, size_t n, size_t j0, size_t nc,
                   size_t p0, size_t kc, size_t nr, size_t jr0, size_t jr1,
                   float *restrict dst)
{
  for (size_t s = jr0; s < jr1; s++) {
    float *d = dst + s * nr * kc;
    for (size_t j = 0; j < nr; j++) {
      size_t col = j0 + s * nr + j;
      if (col >= n || s * nr + j >= nc)
        for (size_t p = 0; p < kc; p++) d[p * nr + j] = 0.0f;
      else if (tb)
        for (size_t p = 0; p < kc; p++) d[p * nr + j] = b[col * ldb + p0 + p];
      else
        for (size_t p = 0; p < kc; p++) d[p * nr + j] = b[(p0 + p) * ldb + col];
    }
  }
}

@ In bf16 a sliver is packed in pairs.  Whether it comes from $A$ or
$B$, a sliver is $w$ lines ($w=m_r$ rows of $A$, or $n_r$ columns of
$B$) of $k_c$ steps, and the packer needs to know only how its numbers
lie in memory: {\it along\/} a line, step after step (a plain $A$, a
transposed $B$: element $(x,p)$ at |base[x * ld + p]|), or {\it across\/}
the lines (element $(x,p)$ at |base[p * ld + x]|).  Slot $q$ of line $x$
gets steps $2q$ and $2q+1$; lines from |lines| on, and a last step past
$k_c$, are zeros.  The scalar packer says it plainly, one slot at a
time; a vector one (below) does sixteen.
@<Trainer: packing@>=
static inline uint32_t pair(float lo, float hi)
{ return (uint32_t)bf16_bits(lo) | (uint32_t)bf16_bits(hi) << 16; }
static void pack_pairs_scalar(const float *base, size_t ld, bool along, size_t lines,
                              size_t w, size_t kc, uint32_t *restrict dst)
{
  for (size_t q = 0; q < (kc + 1) / 2; q++)
    for (size_t x = 0; x < w; x++) {
      const size_t p = 2 * q;
      float lo = 0.0f, hi = 0.0f;
      if (x < lines) {
        lo = along ? base[x * ld + p] : base[p * ld + x];
        if (p + 1 < kc) hi = along ? base[x * ld + p + 1] : base[(p + 1) * ld + x];
      }
      dst[q * w + x] = pair(lo, hi);
    }
}

@ The vector packer converts with the extension's own instructions,
which round exactly as |bf16_bits| does.  Across the lines, two steps'
worth of sixteen lines are loaded (masked, past the last line), each
narrowed to sixteen bf16 numbers, widened again to 32-bit lanes and
merged, the second step in the high halves: sixteen slots in one store.
Along a line, 32 consecutive steps are narrowed at once, which lays them
out as sixteen slots already, and a scatter puts them $w$ slots apart.
@<Trainer: packing@>=
@<Trainer: compile what follows for AVX512-BF16@>@;
static void pack_pairs_avx512(const float *base, size_t ld, bool along, size_t lines,
                              size_t w, size_t kc, uint32_t *restrict dst)
{
  const size_t nq = (kc + 1) / 2;
  if (!along)
    for (size_t q = 0; q < nq; q++)
      for (size_t x = 0; x < w; x += 16) {
        const size_t n = x < lines ? (lines - x < 16 ? lines - x : 16) : 0;
        const size_t fill = w - x < 16 ? w - x : 16;
        const __mmask16 live = (__mmask16)((1u << n) - 1);
        const __mmask16 keep = (__mmask16)((1u << fill) - 1);
        const __m512 zero = _mm512_setzero_ps();
        const __m512 lo = n ? _mm512_maskz_loadu_ps(live, base + 2 * q * ld + x) : zero;
        const float *next = base + (2 * q + 1) * ld + x;
        const __m512 hi = n && 2 * q + 1 < kc ? _mm512_maskz_loadu_ps(live, next) : zero;
        const __m512i l = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(lo));
        const __m512i h = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(hi));
        const __m512i both = _mm512_or_si512(l, _mm512_slli_epi32(h, 16));
        _mm512_mask_storeu_epi32(dst + q * w + x, keep, both);
      }
  else {
    const __m512i stride = _mm512_mullo_epi32(_mm512_set1_epi32((int)w),
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    for (size_t x = 0; x < w; x++)
      for (size_t q = 0; q < nq; q += 16) {
        const size_t left = 2 * (nq - q) < 32 ? 2 * (nq - q) : 32, p = 2 * q;
        const size_t n = x < lines ? (kc - p < left ? kc - p : left) : 0;
        const __mmask32 live = (__mmask32)((n == 32 ? 0xffffffffu : (1u << n) - 1));
        const float *from = x < lines ? base + x * ld + p : base;
        const __m512 lo = _mm512_maskz_loadu_ps((__mmask16)live, from);
        const __m512 hi = _mm512_maskz_loadu_ps((__mmask16)(live >> 16), x < lines ? from + 16 : base);
        const __m512i v = (__m512i)_mm512_cvtne2ps_pbh(hi, lo);
        const __mmask16 slots16 = (__mmask16)((1u << (left / 2 < 16 ? left / 2 : 16)) - 1);
        _mm512_mask_i32scatter_epi32(dst + q * w + x, slots16, stride, v, 4);
      }
  }
}
@<Trainer: compile what follows for the default target again@>@;

@ One sliver in bf16, by whichever packer the processor allows.
@<Trainer: packing@>=
static void pack_pairs(const float *base, size_t ld, bool along, size_t lines, size_t w,
                       size_t kc, float *dst)
{
  (gemm_bf16_native() ? pack_pairs_avx512 : pack_pairs_scalar)(base, ld, along, lines, w,
                                                               kc, (uint32_t *)dst);
}

@ The two copies in bf16, sliver by sliver.  The first address of a
sliver that lies wholly past the matrix is never formed.
@<Trainer: packing@>=
static void pack_a_bf16(bool ta, const float *a, size_t lda, size_t m, size_t i0,
                        size_t mc, size_t p0, size_t kc, size_t mr, float *restrict dst)
{
  for (size_t ir = 0; ir < mc; ir += mr, dst += mr * ((kc + 1) / 2)) {
    size_t rows = mc - ir < mr ? mc - ir : mr;
    if (i0 + ir + rows > m) rows = m - (i0 + ir);
    const float *base = rows == 0 ? a : ta ? a + p0 * lda + i0 + ir : a + (i0 + ir) * lda + p0;
    pack_pairs(base, lda, !ta, rows, mr, kc, dst);
  }
}
static void pack_b_bf16(bool tb, const float *b, size_t ldb, size_t n, size_t j0, size_t nc,
                        size_t p0, size_t kc, size_t nr, size_t jr0, size_t jr1,
                        float *restrict dst)
{
  for (size_t s = jr0; s < jr1; s++) {
    const size_t first = j0 + s * nr;
    size_t cols = first >= n || s * nr >= nc ? 0 : nr;
    if (cols && first + cols > n) cols = n - first;
    if (cols && s * nr + cols > nc) cols = nc - s * nr;
    const float *base = cols == 0 ? b : tb ? b + first * ldb + p0 : b + p0 * ldb + first;
    pack_pairs(base, ldb, tb, cols, nr, kc, dst + s * nr * ((kc + 1) / 2));
  }
}

@*1 The blocked product.
Three loops around the micro-kernel choose the blocks.  The outermost
takes $n_c$ columns of $C$ at a time; inside it, $k_c$ steps of $p$; for
those, the $k_c\times n_c$ block of $B$ is packed once and then reused
by every row of $A$; the third loop takes $m_c$ rows at a time and packs
their $m_c\times k_c$ block of $A$.  Then the {\it macro-kernel\/} sweeps
the block of $C$ tile by tile.  With $k_c=256$ a sliver of $B$ is
$256\times32$ floats, 32~KiB, and a sliver of $A$ 8~KiB: together they fit
the 48~KiB first-level cache of the machine this book was built on, and the
whole packed block of $A$ ($m_c=128$ rows, 128~KiB) fits in its
1~MiB second-level cache with the block of $B$.
@^cache blocking@>
@<Trainer: the blocked product@>=
enum { gemm_kc = 256, gemm_mc = 128, gemm_nc = 1024 };

@ The packing buffers are allocated once per calling thread, at their
largest size, and kept: a training loop calls |sgemm| thousands of times
and none of those calls allocates.  The buffers are aligned to 64 bytes,
the width of a cache line and of an AVX-512 register, which the aligned
loads of the kernels require.
@^no allocation in the loop@>
@<Trainer: the blocked product@>=
static _Thread_local float *abuf, *bbuf;
static void gemm_buffers(void)
{
  if (abuf) return;
  abuf = aligned_alloc(64, (size_t)gemm_mc * gemm_kc * sizeof(float));
  bbuf = aligned_alloc(64, (size_t)gemm_kc * (gemm_nc + 32) * sizeof(float));
  if (!abuf || !bbuf) die("out of memory for the matrix product's buffers");
}

@ The product itself.  All the threads run the three loops together, each
with the same bounds; the work inside is shared with \.{omp for}, whose
end is a barrier, so that no thread reads a packed block before it is
complete, nor overwrites one that another still reads.  Small products
(below about a million multiply-adds) stay on one thread.  An empty sum
($k=0$) leaves the bias alone.
@^OpenMP@>
@<Trainer: the blocked product@>=
void sgemm(bool ta, bool tb, size_t m, size_t n, size_t k,
           const float *a, size_t lda, const float *b, size_t ldb,
           float *c, size_t ldc, const float *bias, bool relu)
{
  if (m == 0 || n == 0) return;
  if (k == 0) { @<Trainer: set |c| to the bias alone@>@; return; }
  const struct gemm_kernel K = kernel_now();
  const size_t mr = K.mr, nr = K.nr, mcmax = gemm_mc / mr * mr;
  gemm_buffers();
  float *ap = abuf, *bp = bbuf;
  const bool parallel = (double)m * (double)n * (double)k >= 1048576.0;
  (void)parallel;  /* unused where OpenMP is not (the fuzzing build) */
  @<Trainer: let the threads share what follows@>@;
  for (size_t jc = 0; jc < n; jc += gemm_nc) {
    const size_t nc = n - jc < gemm_nc ? n - jc : gemm_nc, nslivers = (nc + nr - 1) / nr;
    for (size_t pc = 0; pc < k; pc += gemm_kc) {
      const size_t kc = k - pc < gemm_kc ? k - pc : gemm_kc;
      const bool first = pc == 0, last = pc + kc == k;
      @<Trainer: pack the block of $B$, sliver by sliver among the threads@>@;
      for (size_t ic = 0; ic < m; ic += mcmax) {
        const size_t mc = m - ic < mcmax ? m - ic : mcmax;
        @<Trainer: pack the block of $A$ on one thread@>@;
        @<Trainer: share the tiles of the block among the threads@>@;
      }
    }
  }
}

@ The pragmas are sections of their own, so that the function above reads
as the three loops it is.
@<Trainer: let the threads share what follows@>=
#pragma omp parallel if (parallel)

@ The slivers of $B$ are packed by all the threads, each its own range.
@<Trainer: pack the block of $B$...@>=
#pragma omp for schedule(static)
for (size_t s = 0; s < nslivers; s++)
  (K.bf16 ? pack_b_bf16 : pack_b)(tb, b, ldb, n, jc, nc, pc, kc, nr, s, s + 1, bp);

@ The block of $A$ is smaller (at most $128\times256$), and one thread
packs it while the others wait at the barrier.
@<Trainer: pack the block of $A$...@>=
#pragma omp single
(K.bf16 ? pack_a_bf16 : pack_a)(ta, a, lda, m, ic, mc, pc, kc, mr, ap);

@ The tiles of a block are independent.  Each thread takes a fixed,
contiguous range of them, and every tile is computed by one call of the
micro-kernel, the same whatever the thread.
@<Trainer: share the tiles...@>=
const size_t mtiles = (mc + mr - 1) / mr;
#pragma omp for schedule(static)
for (size_t t = 0; t < nslivers * mtiles; t++) {
  const size_t s = t / mtiles, ir = (t % mtiles) * mr, jr = s * nr;
  @<Trainer: compute the tile at rows |ic+ir|, columns |jc+jr|@>@;
}

@ A tile that lies wholly inside $C$ is computed in place.  One that
sticks out of its last rows or columns is computed in a scratch tile
(holding the part of $C$ it continues, and zeros elsewhere) and its
inside copied back; the bias is padded the same way.
@<Trainer: compute the tile...@>=
const size_t i = ic + ir, j = jc + jr;
const size_t ks = K.bf16 ? (kc + 1) / 2 : kc;
const float *as = ap + ir * ks, *bs = bp + s * nr * ks;
const float *bj = last && bias ? bias + j : NULL;
if (i + mr <= m && j + nr <= n)
  K.f(kc, as, bs, c + i * ldc + j, ldc, first, bj, last && relu);
else {
  @<Trainer: compute an edge tile through a scratch tile@>@;
}

@ The scratch tile is as large as the largest kernel's.
@<Trainer: compute an edge tile...@>=
float tile[avx512_mr * avx512_nr], pad[avx512_nr];
const size_t ri = m - i < mr ? m - i : mr, cj = n - j < nr ? n - j : nr;
memset(tile, 0, sizeof tile);
memset(pad, 0, sizeof pad);
for (size_t x = 0; x < ri; x++)
  for (size_t y = 0; y < cj; y++) tile[x * nr + y] = first ? 0.0f : c[(i + x) * ldc + j + y];
if (bj) memcpy(pad, bj, cj * sizeof(float));
K.f(kc, as, bs, tile, nr, first, bj ? pad : NULL, last && relu);
for (size_t x = 0; x < ri; x++)
  for (size_t y = 0; y < cj; y++) c[(i + x) * ldc + j + y] = tile[x * nr + y];

@ With no terms to sum, $C$ is the bias (or zero), rectified if asked.
@<Trainer: set |c| to the bias alone@>=
for (size_t i = 0; i < m; i++)
  for (size_t j = 0; j < n; j++) {
    float z = bias ? 0.0f + bias[j] : 0.0f;
    c[i * ldc + j] = relu && z < 0.0f ? 0.0f : z;
  }

@*1 The trainer's command line.
The trainer's own flags add to the common ones of every chapter
program.  The defaults are the recipe of the book's closing pages, as
the issue of this chapter fixed it: widths $784$--$1024$--$512$--$10$,
AdamW with $\beta=(0.9,0.999)$, learning rate $10^{-3}$, weight decay
0.01 (on the weights only, as Chapter~3 recommends), a linear warmup over
the first 5~percent of the steps and then a cosine decay to zero,
clipping at global norm~1, batches of 128, ten epochs.
@<Trainer: types and globals@>=
struct trainer_flags {
  const char *sizes, *opt_name, *sched_name, *checkpoint, *gemm, *precision;
  long epochs, batch, train_n, inject_nan;
  double lr, wd, momentum, warmup, clip;
  bool resume, no_fuse;
};
static struct trainer_flags flags = @[{.sizes = "784,1024,512,10", .opt_name = "adamw",@/
  .sched_name = "warmup-cosine", .precision = "fp32", .epochs = 10, .batch = 128,@/
  .inject_nan = -1, .lr = 1e-3, .wd = 0.01, .momentum = 0.9, .warmup = 0.05, .clip = 1.0}@];

@ The table of the trainer's options, in the harness's format.
@<Trainer: types and globals@>=
static const struct cli_option trainer_options[] = {@/
  @[{"sizes", cli_text, &flags.sizes, 0, 0, "N,N,..", "layer widths, inputs first "
    "(default 784,1024,512,10)"}@],@/
  @[{"epochs", cli_int, &flags.epochs, 1, 100000, "N", "passes over the training set "
    "(default 10)"}@],@/
  @[{"batch", cli_int, &flags.batch, 1, 60000, "N", "images per step (default 128)"}@],@/
  @[{"train-size", cli_int, &flags.train_n, 0, 60000, "N", "train on the first N images "
    "only (default all)"}@],@/
  @[{"optimizer", cli_text, &flags.opt_name, 0, 0, "NAME", "sgd, adagrad, rmsprop, adam, "
    "adamw, ... (default adamw)"}@],@/
  @[{"lr", cli_real, &flags.lr, 0, 1e6, "X", "peak learning rate (default 1e-3)"}@],@/
  @[{"wd", cli_real, &flags.wd, 0, 1e6, "X", "weight decay of the weights "
    "(default 0.01)"}@],@/
  @[{"momentum", cli_real, &flags.momentum, 0, 1, "X", "momentum, for the optimizers "
    "that have one (default 0.9)"}@],@/
  @[{"schedule", cli_text, &flags.sched_name, 0, 0, "NAME", "warmup-cosine, cosine, "
    "linear, onecycle, step, none\n(default warmup-cosine)"}@],@/
  @[{"warmup", cli_real, &flags.warmup, 0, 0.99, "X", "fraction of the steps spent "
    "warming up (default 0.05)"}@],@/
  @[{"clip", cli_real, &flags.clip, 0, 1e30, "X", "clip the global gradient norm at X; "
    "0: off (default 1)"}@],@/
  @[{"checkpoint", cli_text, &flags.checkpoint, 0, 0, "FILE", "checkpoint "
    "(default DIR/trainer.ckpt of --out)"}@],@/
  @[{"resume", cli_flag, &flags.resume, 0, 0, NULL, "continue from the checkpoint"}@],@/
  @[{"gemm", cli_text, &flags.gemm, 0, 0, "PATH", "matrix-product kernel: auto, avx512, "
    "avx2, scalar"}@],@/
  @[{"precision", cli_text, &flags.precision, 0, 0, "P", "operands of the matrix products: "
    "fp32 or bf16 (default fp32)"}@],@/
  @[{"no-fuse", cli_flag, &flags.no_fuse, 0, 0, NULL, "clip and step through the library, "
    "unfused"}@],@/
  @[{"inject-nan", cli_int, &flags.inject_nan, 0, 1e12, "STEP", "make a weight NaN "
    "before STEP (a test of the detector)"}@],@/
  @[{NULL, 0, NULL, 0, 0, NULL, NULL}@]};

@ With \.{--quick} the run shrinks to something the tests can afford
under the sanitizers: a network $784$--$64$--$10$, 1024 training images in
batches of 64, two epochs, 500 test images.  The plan is the flags,
adjusted.
@<Trainer: types and globals@>=
struct run_plan {
  size_t nlayers, sizes[session_max_layers + 1];
  size_t train_n, test_n, batch, epochs, steps_per_epoch, steps;
};
static struct run_plan plan;
static struct session *the_session;  /* of the train experiment */
static char ckpt[4096];              /* its checkpoint's path */
static struct dataset train_view;    /* the images it trains on */
static struct session *new_session(const struct chapter *ch, const struct dataset *train);

@ Everything about the configuration is checked before anything is
written, and a mistake is a usage error (exit status~2) in one line.
The data set's size is the harness's business, once it is loaded.
@.layer widths@>
@<Trainer: functions@>=
static void parse_sizes(const char *text)
{
  const char *p = text;
  plan.nlayers = 0;
  for (size_t i = 0; ; i++) {
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || errno || v < 1 || v > 100000 || (*end != ',' && *end != '\0')
        || i > session_max_layers)
      usage_error("--sizes: '%s' is not 2 to %d comma-separated widths of 1 to 100000",
                  text, session_max_layers + 1);
    plan.sizes[i] = (size_t)v;
    if (*end == '\0') { plan.nlayers = i; break; }
    p = end + 1;
  }
  if (plan.nlayers < 1)
    usage_error("--sizes: '%s' needs at least an input and an output width", text);
}

@ The check that the harness calls after loading the data.
@<Trainer: functions@>=
static void check_config(const struct chapter *ch)
{
  struct opt_config oc;
  struct sched_config sc;
  parse_sizes(ch->quick ? "784,64,10" : flags.sizes);
  if (flags.gemm) {
    enum gemm_path p;
    if (gemm_path_parse(flags.gemm, &p) != 0)
      usage_error("--gemm: unknown path '%s' (auto, avx512, avx2, scalar)", flags.gemm);
    if (gemm_force(p) != 0) usage_error("--gemm: this processor has no %s", flags.gemm);
  }
  if (strcmp(flags.precision, "fp32") != 0 && strcmp(flags.precision, "bf16") != 0)
    usage_error("--precision: '%s' is neither fp32 nor bf16", flags.precision);
  gemm_set_precision(strcmp(flags.precision, "bf16") == 0 ? gemm_bf16 : gemm_fp32);
  if (!opt_defaults(flags.opt_name, &oc))
    usage_error("--optimizer: unknown optimizer '%s' (%s)", flags.opt_name, opt_names());
  if (strcmp(flags.sched_name, "none") != 0 && !sched_defaults(flags.sched_name, &sc))
    usage_error("--schedule: unknown schedule '%s'", flags.sched_name);
  if (!ch->train) return;
  @<Trainer: fix the sizes of the run and check them against the data@>@;
}

@ The sizes of the run.  A network whose first width is not the
images' 784 pixels, or whose last is not the ten classes, is refused
here, naming both; a data set too small for the run is refused by the
harness's |chapter_need|, in its words.
@<Trainer: fix the sizes...@>=
if (plan.sizes[0] != ch->train->dim || plan.sizes[plan.nlayers] != ch->train->classes)
  usage_error("--sizes: the network must have %zu inputs and %zu outputs (got %s)",
              ch->train->dim, ch->train->classes, flags.sizes);
plan.batch = ch->quick ? 64 : (size_t)flags.batch;
plan.epochs = ch->quick ? 2 : (size_t)flags.epochs;
const size_t want = ch->quick ? 1024 : flags.train_n ? (size_t)flags.train_n : plan.batch;
chapter_need(ch, "train", want > plan.batch ? want : plan.batch, ch->quick ? 500 : 1);
chapter_need(ch, "bf16", want > plan.batch ? want : plan.batch, ch->quick ? 500 : 1);
if (flags.train_n && (size_t)flags.train_n < plan.batch)
  usage_error("--train-size %ld is smaller than a batch (%zu)", flags.train_n, plan.batch);
if (!ch->quick) {
  chapter_need(ch, "kernels", 128, 0);
  chapter_need(ch, "phases", 128, 0);
}
plan.train_n = ch->quick ? 1024 : flags.train_n ? (size_t)flags.train_n : ch->train->n;
plan.test_n = ch->quick ? 500 : ch->test->n;
plan.steps_per_epoch = plan.train_n / plan.batch;
plan.steps = plan.steps_per_epoch * plan.epochs;
@<Trainer: make the session, and resume it if asked@>@;

@*1 The session.
The trainer is a session of the library (Appendix~A, part~4): the
session owns the network, the optimizer, the schedule, the clipping
threshold, the sampler and the checkpoint.  The optimizer comes by name
with PyTorch's defaults and the flags that apply to it; the schedule by
name, given the run's length.  The weights get weight decay, the
biases none.
@<Trainer: functions@>=
static struct session *new_session(const struct chapter *ch, const struct dataset *train)
{
  struct session_config c = @[{.nlayers = plan.nlayers, .opt_name = flags.opt_name,
    .clip_norm = flags.clip, .no_decay_bias = true, .batch = plan.batch, .seed = ch->seed,
    .world = 1}@];
  memcpy(c.sizes, plan.sizes, sizeof c.sizes);
  opt_defaults(flags.opt_name, &c.opt);
  c.opt.lr = flags.lr;
  if (opt_takes(flags.opt_name, "weight_decay")) c.opt.weight_decay = flags.wd;
  if (opt_takes(flags.opt_name, "momentum")) c.opt.momentum = flags.momentum;
  if (strcmp(flags.sched_name, "none") != 0) {
    c.sched_name = flags.sched_name;
    @<Trainer: configure the schedule |c.sched| for the run's length@>@;
  }
  char msg[256];
  struct session *S = session_new(&c, train, msg, sizeof msg);
  if (!S) usage_error("%s", msg);
  return S;
}

@ Each schedule is told the run's length in its own terms: cosine
annealing over all the steps, after a warmup of the asked fraction;
one-cycle peaking at the learning rate; a step decay halving the rate
every epoch; a linear decay to zero.
@<Trainer: configure the schedule...@>=
sched_defaults(flags.sched_name, &c.sched);
const long T = (long)plan.steps;
c.sched.lr = flags.lr;
c.sched.t_max = T;
c.sched.warmup_steps = strcmp(flags.sched_name, "warmup-cosine") == 0
  ? (long)(flags.warmup * (double)T + 0.5) : 0;
c.sched.max_lr = flags.lr; c.sched.total_steps = T + 1;
c.sched.step_size = (long)plan.steps_per_epoch; c.sched.gamma = 0.5;
c.sched.start_factor = 1.0; c.sched.end_factor = 0.0; c.sched.total_iters = T;
c.sched.t_0 = T;
char msg[256];
if (sched_check(flags.sched_name, &c.sched, msg, sizeof msg) != 0)
  usage_error("--schedule %s: %s", flags.sched_name, msg);

@*1 Clipping and AdamW in two passes.
The library's update, |session_update|, is three passes over the
gradient: one to measure its norm, one to scale it, one for the
optimizer's step, which reads the gradient again with the weights and
the two moments.  Each pass streams the whole gradient through memory,
and at 1.3 million parameters that is 5~MiB per pass, more than the
caches hold.  Two passes are the least the mathematics allows: the
scale factor $c=\min(1,m/\Vert g\Vert)$ depends on every coordinate of
the gradient, so no coordinate can be updated before all have been
read once.  The second pass then does everything else at once, coordinate
by coordinate: scale, update the moments, the weight, its decay.  The
per-coordinate arithmetic is Chapter~3's |adamw_coord|, the very
function the library's AdamW calls, so that the two cannot drift apart.
@^fused kernels@>
@^AdamW@>

The norm is summed in double over fixed chunks of 4096 coordinates, the
chunks shared among the threads, and the chunks' sums added in their
order: a partition fixed by the data, not by the number of threads, so
the result does not depend on the threads.  It is not the library's
order (one sum per tensor, coordinate after coordinate), so the fused and
the unfused trainer differ in the last bits of the clipping factor; each is
deterministic, and the tests check that the two agree to rounding.
The end-to-end check of the test suite (\.{tests/e2e.sh}) then trains
the default network for 30 steps through this update, and PyTorch~1.13
from the same weights on the same batches: the losses must agree to a
relative $5\times10^{-5}$ and the final weights to $2\times10^{-6}$ in
relative 2-norm, which over seeds 1 to~8 they did with margins of 7 to 10
(at worst $6.1\times10^{-6}$ and $2.6\times10^{-7}$); clipping at 1.01
instead of~1, run through the same check, fails it.

The fused update is part of the library, in a file of its own, so that
the end-to-end check against PyTorch (Appendix~B) can train through it
as the trainer does.
@<Trainer: public declarations@>=
struct session;
bool session_fusable(const struct session *S);
bool session_update_fused(struct session *S);

@ The file.
@(fused.c@>=
#include <float.h>
#include <immintrin.h>
#include <math.h>
#include <string.h>
#include "descent.h"
@<Trainer: the fused update@>@;

@ The chunks' sums go into a buffer that grows to the largest network
seen and is then kept, so that no step after the first allocates.
@<Trainer: the fused update@>=
enum { norm_chunk = 4096 };
static void adamw_pass_avx512(const struct adam_consts *k, float shrink, float coef,
  size_t lo, size_t hi, float *restrict p, const float *restrict g, float *restrict m1,
  float *restrict m2);
static void adamw_pass(const struct adam_consts *k, float shrink, float coef,
  size_t lo, size_t hi, float *restrict p, const float *restrict g, float *restrict m1,
  float *restrict m2);
static float *chunk_sums;
static size_t chunk_cap;
static float fused_norm(const struct layout *L, const float *g)
{
  double total = 0;
  for (size_t t = 0; t < L->ntensors; t++) {
    const size_t nch = (L->tensors[t].len + norm_chunk - 1) / norm_chunk;
    if (nch > chunk_cap) {
      chunk_sums = xmalloc(nch * sizeof(float));
      chunk_cap = nch;
    }
  }
  for (size_t t = 0; t < L->ntensors; t++) {
    const float *x = g + L->tensors[t].offset;
    const size_t n = L->tensors[t].len, nch = (n + norm_chunk - 1) / norm_chunk;
    double sum = 0;
    @<Trainer: sum the squares of |x| chunk by chunk into |sum|@>@;
    float nk = sum > FLT_MAX ? INFINITY : (float)sqrt(sum);
    total += (double)nk * (double)nk;
  }
  return total > FLT_MAX ? INFINITY : (float)sqrt(total);
}

@ The chunks of one tensor, on all the threads.
@<Trainer: sum the squares...@>=
#pragma omp parallel for schedule(static)
for (size_t c = 0; c < nch; c++) {
  const size_t lo = c * norm_chunk, hi = lo + norm_chunk < n ? lo + norm_chunk : n;
  double s = 0;
  for (size_t i = lo; i < hi; i++) s += (double)x[i] * (double)x[i];
  chunk_sums[c] = (float)s;
}
for (size_t c = 0; c < nch; c++) sum += (double)chunk_sums[c];

@ The fused update mirrors |session_update| move for move: the
schedule sets this step's rates, the optimizer's step count goes up,
and then each group of parameters (weights with decay, biases without)
gets one pass.  It returns false, changing nothing, when the norm is
not finite: the caller reports the bad gradient.  It serves AdamW without
AMSGrad; any other optimizer goes through the library.
@<Trainer: the fused update@>=
bool session_update_fused(struct session *S)
{
  float *p = S->m->params, *g = S->m->grads;
  struct optimizer *o = S->o;
  const float total = fused_norm(S->L, g);
  if (!isfinite(total)) return false;
  float coef = (1.0f / (total + 1e-6f)) * (float)S->c.clip_norm;
  if (coef > 1.0f) coef = 1.0f;
  if (S->s && sched_apply(S->s, o, NULL, 0) != 0) {
    die("the schedule cannot drive %s", S->o->kind->name);
  }
  o->t++;
  float *m1 = opt_state(o, 0), *m2 = opt_state(o, 1);
  @<Trainer: one pass per group of parameters@>@;
  if (S->s && sched_step(S->s, NULL, 0) != 0) die("the schedule has ended");
  S->grad_norm = total; S->skipped = false; S->step++;
  return true;
}

@ A group is a run of consecutive tensors in the layout.  Its constants
are those of the library's |adam_consts|: $\beta_1$, $1-\beta_1$, $\beta_2$,
$1-\beta_2$, the bias correction $\sqrt{1-\beta_2^t}$, $\epsilon$ and the
step $-\eta/(1-\beta_1^t)$; the decay shrinks the weight by $1-\eta\lambda$.
@<Trainer: one pass per group...@>=
const struct layout *L = o->L;
for (size_t a = 0, b; a < L->ntensors; a = b) {
  const unsigned grp = L->tensors[a].group;
  for (b = a + 1; b < L->ntensors && L->tensors[b].group == grp; b++) continue;
  const size_t lo = L->tensors[a].offset, hi = L->tensors[b - 1].offset + L->tensors[b - 1].len;
  @q solution fused_consts: const struct adam_consts k = {0}; const float shrink = 1.0f; @>
  const double lr = o->lr[grp], b1 = o->c.beta1, b2 = o->c.beta2, t = (double)o->t;
  const struct adam_consts k = @[{(float)b1, (float)(1 - b1), (float)b2, (float)(1 - b2),
    (float)sqrt(1 - pow(b2, t)), (float)o->c.eps, (float)(-(lr / (1 - pow(b1, t))))}@];
  const float shrink = (float)(1.0 - lr * o->wd[grp]);
  @q end solution @>
  @<Trainer: update coordinates |lo| to |hi| on every thread@>@;
}

@ The pass itself, on the AVX-512 path when the processor has it.
@<Trainer: update coordinates...@>=
(gemm_available(gemm_avx512) ? adamw_pass_avx512 : adamw_pass)@/
  (&k, shrink, coef, lo, hi, p, g, m1, m2);

@ Each thread takes a contiguous range, and within it the compiler computes
sixteen coordinates at once (the \.{simd} of the pragma); each coordinate
is independent of the others, so neither changes a bit.  The square
root must not set |errno| for this to be possible---it cannot fail here,
since $v\ge0$---so the library's \.{fused.c} is compiled with
\.{-fno-math-errno}, the Makefile's one concession to it.  The pass is
compiled twice, once for AVX-512 and once for any processor, from the
same text.
@^system dependencies@>
@<Trainer: the update loop@>=
#pragma omp parallel for simd schedule(static)
for (size_t i = lo; i < hi; i++)
  adamw_coord(k, shrink, g[i] * coef, &p[i], &m1[i], &m2[i], NULL);

@ The two versions of the pass.
@<Trainer: the fused update@>=
@<Trainer: compile what follows for AVX-512@>@;
static void adamw_pass_avx512(const struct adam_consts *k, float shrink, float coef,
  size_t lo, size_t hi, float *restrict p, const float *restrict g, float *restrict m1,
  float *restrict m2)
{
  @<Trainer: the update loop@>@;
}
@<Trainer: compile what follows for the default target again@>@;
static void adamw_pass(const struct adam_consts *k, float shrink, float coef,
  size_t lo, size_t hi, float *restrict p, const float *restrict g, float *restrict m1,
  float *restrict m2)
{
  @<Trainer: the update loop@>@;
}

@ The fused path computes what the library would for AdamW without
AMSGrad or maximization, clipped by norm, with float gradients.
@<Trainer: the fused update@>=
bool session_fusable(const struct session *S)
{
  return strcmp(S->o->kind->name, "adamw") == 0 && !S->c.opt.amsgrad
    && !S->c.opt.maximize && !S->c.fp16_grads && S->c.clip_norm > 0;
}

@ The trainer takes it unless told not to.
@<Trainer: functions@>=
static bool can_fuse(const struct session *S) { return !flags.no_fuse && session_fusable(S); }

@*1 When a number goes bad.
A NaN or an infinity, once in the weights, spreads to every weight in a
few steps and the run is lost; continuing only wastes the time left and
overwrites good checkpoints with bad ones.  So the trainer looks at the
loss of every batch and at the gradient's norm (which is not finite
exactly when some coordinate is not, or when the squares overflow), and
stops at the first bad one, without updating the weights and without
writing a checkpoint, with a line that says the step, the first tensor
holding a bad number, and what that means: bad weights (they went bad
in an earlier update, or were loaded so), or a bad gradient from finite
weights (the forward or backward pass overflowed: too large a
learning rate, bad input).
@.is not finite@>
@^NaN detection@>
@<Trainer: functions@>=
static bool first_bad(const struct layout *L, const float *x, const char **name,
                      size_t *at, float *value)
{
  for (size_t t = 0; t < L->ntensors; t++)
    for (size_t i = 0; i < L->tensors[t].len; i++)
      if (!isfinite(x[L->tensors[t].offset + i])) {
        *name = L->tensors[t].name; *at = i; *value = x[L->tensors[t].offset + i];
        return true;
      }
  return false;
}
static _Noreturn void report_bad(const struct session *S, double loss)
{
  const char *name; size_t at; float v;
  unsigned long long step = (unsigned long long)S->step;
  if (first_bad(S->L, S->m->params, &name, &at, &v)) {
    die("step %llu: loss %g; weight %s[%zu] is %g: "@/
        "the weights went bad before this step", step, loss, name, at, (double)v);
  }
  if (first_bad(S->L, S->m->grads, &name, &at, &v))
    die("step %llu: loss %g; gradient %s[%zu] is %g: "@/
        "the forward or backward pass overflowed (learning rate too high?)",@/
        step, loss, name, at, (double)v);
  die("step %llu: loss %g, gradient norm not finite: "@/
      "its squares overflow (learning rate too high?)", step, loss);
}

@*1 The training loop.
An epoch is |steps_per_epoch| steps; after each, the trainer evaluates
the test set, appends a line to the log, rewrites \.{epochs.tsv}, and
writes the checkpoint.  The loop also stops, cleanly, when the process
is asked to: SIGINT (Control-C) and SIGTERM only set a flag, which the
loop reads after every step; it then writes a checkpoint of the exact
step it reached and exits.  (The handler does nothing else because
nearly nothing is safe inside a signal handler; writing a file certainly
is not.)  A run killed outright, by SIGKILL or a power cut, leaves the
last epoch's checkpoint, which was written atomically.
@^signals@>
@^checkpoint@>
@<Trainer: types and globals@>=
static volatile sig_atomic_t stop_signal;
static void on_signal(int sig) { stop_signal = sig; }

@ One line of the log per epoch.
@<Trainer: types and globals@>=
struct epoch_row { double train_loss, test_loss, test_acc, lr, grad_norm, samples_per_s; };
static void write_log(const struct chapter *ch, const struct epoch_row *log, size_t n);

@ The evaluation walks the test set in batches of 1000 and counts, for
each true class, how often each class was predicted: the confusion
matrix, from which the accuracy and its per-class parts follow.
@<Trainer: functions@>=
static double evaluate(struct mlp *m, const struct dataset *d, size_t n, double *acc,
                       size_t conf[10][10])
{
  const size_t K = m->sizes[m->nlayers];
  size_t correct = 0;
  double total = 0;
  if (conf) memset(conf, 0, 100 * sizeof(size_t));
  for (size_t i = 0; i < n; i += 1000) {
    const size_t B = n - i < 1000 ? n - i : 1000;
    const float *z = mlp_forward(m, d->x + i * d->dim, B);
    total += softmax_xent(z, d->y + i, B, K, NULL) * (double)B;
    for (size_t r = 0; r < B; r++) {
      size_t best = 0;
      for (size_t k = 1; k < K; k++) if (z[r * K + k] > z[r * K + best]) best = k;
      correct += best == d->y[i + r];
      if (conf && K == 10) conf[d->y[i + r]][best]++;
    }
  }
  *acc = (double)correct / (double)n;
  return total / (double)n;
}

@ A step is the session's backward half, then either the fused update
or the library's, and the check of the numbers in between.
@<Trainer: functions@>=
static double train_step(struct session *S, bool fuse)
{
  double loss = session_backward(S);
  if (!isfinite(loss)) report_bad(S, loss);
  if (fuse) { if (!session_update_fused(S)) report_bad(S, loss); }
  else {
    if (!vec_all_finite(S->m->grads, S->m->nparams)) report_bad(S, loss);
    session_update(S);
  }
  return loss;
}

@ The loop.  It starts from the session's step, which is zero for a new
run and the checkpoint's step for a resumed one; the log of the epochs
before it is read back from \.{epochs.tsv}.
@<Trainer: functions@>=
static void run_training(struct chapter *ch, struct session *S, struct epoch_row *log)
{
  const bool fuse = can_fuse(S), tty = isatty(2);
  for (size_t e = S->step / plan.steps_per_epoch; e < plan.epochs; e++) {
    double sum = 0, t0 = wall_seconds(), shown = t0;
    size_t done = 0;
    while (S->step < (e + 1) * plan.steps_per_epoch) {
      @<Trainer: take one step, stopping at a bad number@>@;
      @<Trainer: stop cleanly if a signal came@>@;
      if (tty && wall_seconds() - shown > 0.25) {
        @<Trainer: redraw the progress bar@>@;
        shown = wall_seconds();
      }
    }
    double secs = wall_seconds() - t0;
    @<Trainer: evaluate, log and checkpoint epoch |e|@>@;
  }
}

@ A step, unless the test of the detector wants a NaN first.
@<Trainer: take one step...@>=
if (flags.inject_nan >= 0 && S->step == (uint64_t)flags.inject_nan)
  S->m->params[0] = NAN;
sum += train_step(S, fuse); done++;

@ A signal's checkpoint is of the step just finished.  The message is the
one line a user sees; the exit status is~1, an interrupted run.
@.interrupted@>
@<Trainer: stop cleanly...@>=
if (stop_signal) {
  if (session_save(S, ckpt) != 0) die("cannot write %s: %s", ckpt, strerror(errno));
  if (tty) fputc('\n', stderr);
  die("interrupted by signal %d at step %llu; --resume continues from %s",
      (int)stop_signal, (unsigned long long)S->step, ckpt);
}

@ On a terminal, a bar redrawn in place four times a second: the epoch,
how far into it, the speed, the mean loss so far and the time left.
@<Trainer: redraw the progress bar@>=
{
  const double now = wall_seconds(), rate = (double)(done * plan.batch) / (now - t0);@/
  const size_t in_epoch = (size_t)(S->step - e * plan.steps_per_epoch), w = 30;@/
  const size_t filled = in_epoch * w / plan.steps_per_epoch;@/
  const double left = (double)((plan.steps - S->step) * plan.batch) / rate;
  char bar[32];
  for (size_t i = 0; i < w; i++) bar[i] = i < filled ? '#' : '.';
  bar[w] = '\0';
  fprintf(stderr, "\r%s: epoch %zu/%zu [%s] %6.0f samples/s  loss %.4f  ETA %4.0f s ",
          program_name, e + 1, plan.epochs, bar, rate, sum / (double)done, left);
}

@ The end of an epoch: the test set, a line of the log, the log file
and the checkpoint.  The checkpoint is written last, so that a run
killed in between redoes the evaluation rather than skipping it.
@<Trainer: evaluate, log...@>=
struct epoch_row *r = &log[e];
r->train_loss = done ? sum / (double)done : NAN;
r->test_loss = evaluate(S->m, ch->test, plan.test_n, &r->test_acc, NULL);
r->lr = opt_group_lr(S->o, 0);
r->grad_norm = S->grad_norm;
r->samples_per_s = (double)(done * plan.batch) / secs;
if (tty) fputc('\r', stderr);
note("epoch %zu/%zu: train loss %.4f, test loss %.4f, "@/
     "test accuracy %.2f%%, %.0f samples/s", e + 1, plan.epochs, r->train_loss, r->test_loss,
     100 * r->test_acc, r->samples_per_s);
write_log(ch, log, e + 1);
if (session_save(S, ckpt) != 0) die("cannot write %s: %s", ckpt, strerror(errno));

@ The log, rewritten whole after every epoch (the toolkit's TSV files
are written atomically).  The speed is left out of a \.{--quick} run,
whose files must be the same on every run.
@<Trainer: functions@>=
static void write_log(const struct chapter *ch, const struct epoch_row *log, size_t n)
{
  struct tsv *t = tsv_open(ch->out, "epochs.tsv", ch->quick
    ? "epoch\ttrain_loss\ttest_loss\ttest_acc\tlr\tgrad_norm"
    : "epoch\ttrain_loss\ttest_loss\ttest_acc\tlr\tgrad_norm\tsamples_per_s");
  for (size_t e = 0; e < n; e++) {
    const double v[7] = @[{(double)(e + 1), log[e].train_loss, log[e].test_loss,
      log[e].test_acc, log[e].lr, log[e].grad_norm, log[e].samples_per_s}@];
    tsv_row(t, ch->quick ? 6 : 7, v);
  }
  tsv_close(t);
}

@ A resumed run reads back the lines of the epochs it has done.  A
missing or short log leaves the missing lines empty (NaN), and is not an
error: the checkpoint, not the log, is the run's state.
@<Trainer: functions@>=
static void read_log(const struct chapter *ch, struct epoch_row *log, size_t n)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/epochs.tsv", ch->out);
  FILE *f = fopen(path, "r");
  char line[512];
  for (size_t e = 0; e < n; e++)
    log[e] = (struct epoch_row)@[{NAN, NAN, NAN, NAN, NAN, NAN}@];
  if (f && fgets(line, sizeof line, f))
    for (size_t e = 0; e < n && fgets(line, sizeof line, f); e++) {
      double ep;
      struct epoch_row *r = &log[e];
      if (sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &ep, &r->train_loss, &r->test_loss,
                 &r->test_acc, &r->lr, &r->grad_norm, &r->samples_per_s) < 6)
        break;
    }
  if (f) fclose(f);
}

@*1 The train experiment.
The experiment sets up the run, trains, and reports: the final
accuracy, the confusion matrix and the accuracy of each class, on the
standard output and in TSV files for the figures.
@<Trainer: experiments@>=
static void train_experiment(struct chapter *ch)
{
  struct session *S = the_session;
  struct epoch_row *log = xcalloc(plan.epochs, sizeof *log);
  if (flags.resume) {
    read_log(ch, log, (size_t)(S->step / plan.steps_per_epoch));
    note("train: resumed from %s at step %llu", ckpt, (unsigned long long)S->step);
  }
  @<Trainer: catch SIGINT and SIGTERM@>@;
  note("train: %zu-layer MLP, %zu parameters, %s, "@/
       "%zu epochs of %zu steps, %s kernels%s",@/
       plan.nlayers, S->m->nparams, flags.opt_name, plan.epochs, plan.steps_per_epoch,
       gemm_path_name(gemm_current()), can_fuse(S) ? ", fused AdamW" : "");
  run_training(ch, S, log);
  @<Trainer: report the confusion matrix and the per-class accuracy@>@;
  session_free(&the_session); free(log);
}

@ The session of the train experiment is made, and the checkpoint loaded
into it, by |check_config|, before anything is written: a damaged
checkpoint, or one of another network, ends the run with the session's
one line and status~1, and leaves the output directory as it was.
@<Trainer: make the session, and resume it if asked@>=
train_view = *ch->train;
train_view.n = plan.train_n;   /* a view of the first images, not a copy */
if (chapter_wants(ch, "train")) {
  the_session = new_session(ch, &train_view);
  snprintf(ckpt, sizeof ckpt, "%s%s%s", flags.checkpoint ? flags.checkpoint : ch->out,
           flags.checkpoint ? "" : "/", flags.checkpoint ? "" : "trainer.ckpt");
  if (flags.resume) {
    char msg[512];
    if (session_load(the_session, ckpt, msg, sizeof msg) != 0) die("%s", msg);
    if (the_session->step > plan.steps)
      die("%s: the checkpoint is at step %llu, past this run's %zu steps", ckpt,
          (unsigned long long)the_session->step, plan.steps);
  }
}

@ The two signals get the handler that only sets the flag.
@<Trainer: catch SIGINT...@>=
struct sigaction sa;
memset(&sa, 0, sizeof sa);
sa.sa_handler = on_signal;
sigaction(SIGINT, &sa, NULL);
sigaction(SIGTERM, &sa, NULL);

@ The report.  Fashion-MNIST's ten classes have names, which the
per-class table gives.
@<Trainer: report the confusion...@>=
size_t conf[10][10];
double acc, loss = evaluate(S->m, ch->test, plan.test_n, &acc, conf);
static const char *const names[10] = @[{"T-shirt/top", "Trouser", "Pullover", "Dress",
  "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}@];
printf("train: test loss %.4f, test accuracy %.2f%% after %zu epochs\n", loss, 100 * acc,
       plan.epochs);
struct tsv *tc = tsv_open(ch->out, "confusion.tsv", "true\tpredicted\tcount\tfraction");
struct tsv *tk = tsv_open(ch->out, "classes.tsv", "class\taccuracy\tname");
for (int y = 0; y < 10; y++) {
  size_t row = 0;
  for (int k = 0; k < 10; k++) row += conf[y][k];
  for (int k = 0; k < 10; k++)
    tsv_printf(tc, "%d\t%d\t%zu\t%.6f\n", y, k, conf[y][k],
               row ? (double)conf[y][k] / (double)row : 0.0);
  const double a = row ? (double)conf[y][y] / (double)row : 0.0;
  tsv_printf(tk, "%d\t%.6f\t\"%s\"\n", y, a, names[y]);
  printf("  %-12s %6.2f%%\n", names[y], 100 * a);
  values_letter(ch->values, "TRclassAcc", y, "%.1f", 100 * a);
}
tsv_close(tc); tsv_close(tk);
values_put(ch->values, "TRtestAcc", "%.2f", 100 * acc);
values_put(ch->values, "TRtestLoss", "%.3f", loss);
values_put(ch->values, "TRepochs", "%zu", plan.epochs);
values_put(ch->values, "TRtrainN", "%zu", plan.train_n);
values_put(ch->values, "TRsteps", "%zu", plan.steps);
values_put(ch->values, "TRparams", "%zu", S->m->nparams);
if (!ch->quick) {
  double rates[1024];
  size_t nr = 0;
  for (size_t e = 0; e < plan.epochs && nr < 1024; e++)
    if (isfinite(log[e].samples_per_s)) rates[nr++] = log[e].samples_per_s;
  if (nr) values_put(ch->values, "TRrate", "%.0f", quantile(rates, nr, 0.5));
}


@ The bf16 experiment repeats the train experiment's run---the same
seed, so the same initial weights and the same batches---with the
operands of every matrix product rounded to bfloat16, and evaluates it
the same way (the evaluation's products in bf16 too).  It writes no
checkpoint; its log, \.{bf16.tsv}, has the test accuracy and loss after
each epoch and the speed.
@<Trainer: experiments@>=
static double bf16_epoch(struct session *S, size_t e, bool fuse)
{
  const double t0 = wall_seconds();
  while (S->step < (e + 1) * plan.steps_per_epoch) train_step(S, fuse);
  return (double)(plan.steps_per_epoch * plan.batch) / (wall_seconds() - t0);
}
static void bf16_experiment(struct chapter *ch)
{
  const enum gemm_precision before = gemm_get_precision();
  struct session *S = new_session(ch, &train_view);
  const bool fuse = can_fuse(S);
  note("bf16: the train experiment's run, products in bf16 (%s)",
       gemm_bf16_native() ? "AVX512-BF16" : "the scalar definition");
  const char *head = ch->quick ? "epoch\ttest_acc\ttest_loss"
                               : "epoch\ttest_acc\ttest_loss\tsamples_per_s";
  struct tsv *t = tsv_open(ch->out, "bf16.tsv", head);
  double acc = 0, loss = 0, *rates = xcalloc(plan.epochs, sizeof *rates);
  gemm_set_precision(gemm_bf16);
  for (size_t e = 0; e < plan.epochs; e++) {
    rates[e] = bf16_epoch(S, e, fuse);
    loss = evaluate(S->m, ch->test, plan.test_n, &acc, NULL);
    tsv_row(t, ch->quick ? 3 : 4, (const double[4])@[{(double)(e + 1), acc, loss,
            rates[e]}@]);
    note("bf16: epoch %zu/%zu: test accuracy %.2f%%, %.0f samples/s", e + 1, plan.epochs,
         100 * acc, rates[e]);
  }
  gemm_set_precision(before);
  tsv_close(t);
  printf("bf16: test loss %.4f, test accuracy %.2f%% after %zu epochs\n", loss, 100 * acc,
         plan.epochs);
  values_put(ch->values, "TRbfAcc", "%.2f", 100 * acc);
  values_put(ch->values, "TRbfLoss", "%.3f", loss);
  if (!ch->quick) values_put(ch->values, "TRbfRate", "%.0f", quantile(rates, plan.epochs, 0.5));
  free(rates);
  session_free(&S);
}

@*1 What the run reached.
Figure~\figref{09-trainer-epochs} is the log of the build's run.  The test accuracy after
\val{TRepochs} epochs is \val{TRtestAcc}\%, the test loss \val{TRtestLoss};
the network has \val{TRparams} parameters.  The training loss falls below
the test loss from the second epoch on: the network begins to fit its
training images better than new ones, which the weight decay slows but
does not stop (Chapter~8 is about what else does).  The cosine schedule
brings the learning rate to nearly zero at the last step, so the last
epoch is one of fine adjustment, and its gain is the smallest.

The bf16 experiment's run, the same seed and batches with every matrix
product's operands rounded to bfloat16, ended at \val{TRbfAcc}\% (test
loss \val{TRbfLoss}), against \val{TRtestAcc}\% in |float|: one run of
each, so the difference between them says only that rounding the
operands to 8 significant bits did not cost this network anything a
single seed can see.  The master weights, the moments and every sum
stayed in |float|; Chapter~6 explains why that is what keeps bf16
training safe, and why bf16, unlike fp16, needs no loss scaling.

\bookfigure{09-trainer-epochs}{The build's run: mean training loss over
each epoch and test loss after it (left), test accuracy (right), with
the same run's in bf16 (dotted).
Widths 784--1024--512--10, AdamW, warmup and cosine, clipping at 1,
batches of 128, seed 1.}

@ The confusion matrix (Figure~\figref{09-trainer-confusion}) shows where the errors are.  They are
not spread evenly: footwear and trousers are nearly always right
(sandals \val{TRclassAccF}\%, trousers \val{TRclassAccB}\%, bags
\val{TRclassAccI}\%), while the upper-body garments are confused with
each other---shirts are recognized only \val{TRclassAccG}\% of the time,
mistaken mostly for T-shirts, pullovers and coats, and those in turn for
shirts.  At $28\times28$ grey pixels a shirt and a pullover differ by a
collar and buttons, a few pixels; an MLP, which sees the image as a
vector without any notion of neighbouring pixels, has to learn each such
detail at each position separately.  This, not the optimizer, is what
limits it to about 90 percent on Fashion-MNIST, where convolutional
networks reach 93 and more.
@^confusion matrix@>

\bookfigure{09-trainer-confusion}{Confusion matrix of the build's run on
the 10\,000 test images: row the true class, column the predicted one;
each row's percentages (rounded; blank below 0.5) sum to 100.}

@*1 Measuring the machine.
How fast could the trainer be?  Two numbers bound any program on a
given machine: the rate at which its cores can do arithmetic, and the
rate at which memory can feed them.  The {\it roofline\/} model (Williams,
Waterman and Patterson, 2009) combines them: a kernel that performs $F$
operations on $Q$ bytes of memory traffic has the {\it arithmetic
intensity\/} $I=F/Q$, and it can run no faster than
$$\min(P,\;I\cdot W)$$
operations per second, where $P$ is the peak arithmetic rate and $W$ the
memory bandwidth.  Below the ridge point $I=P/W$ a kernel is limited by
memory, above it by arithmetic.  The experiment measures $P$ and $W$ on
the machine at hand, with two small probes, and places the three matrix
products and the AdamW step on the picture.
@^roofline@>
@^arithmetic intensity@>

@ The peak probe keeps sixteen independent chains of fused multiply-adds
in AVX-512 registers, on every thread at once, and counts: two
operations per lane, sixteen lanes, sixteen chains, per iteration.  It is
the same instruction the micro-kernel issues, without loads; no real
kernel can beat it.  On a processor without AVX-512 it reports zero, and
the experiment uses the fastest product measured instead.
@<Trainer: functions@>=
@<Trainer: compile what follows for AVX-512@>@;
static double fma_probe_avx512(long iters)
{
  double ops = 0;
  @<Trainer: every thread runs the probe, adding its count to |ops|@>@;
  {
    __m512 x[16];
    const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(1e-3f);
    for (int j = 0; j < 16; j++) x[j] = _mm512_set1_ps((float)j);
    for (long i = 0; i < iters; i++) {
      @<Trainer: unroll the next loop@>@;
      for (int j = 0; j < 16; j++) x[j] = _mm512_fmadd_ps(x[j], a, b);
    }
    float sink[16];
    __m512 t = x[0];
    for (int j = 1; j < 16; j++) t = _mm512_add_ps(t, x[j]);
    _mm512_storeu_ps(sink, t);
    ops = 2.0 * 16 * 16 * (double)iters + (sink[0] == 12345.0f);
  }
  return ops;
}
@<Trainer: compile what follows for the default target again@>@;

@ The pragma is a section of its own, as in the matrix product.
@<Trainer: every thread runs the probe...@>=
#pragma omp parallel reduction(+ : ops)

@ The bandwidth probe streams the access pattern of the AdamW step over
arrays of the same size: it reads four arrays and writes three of them,
$p\gets ap+g$, $m\gets bm+g$, $v\gets cv+g$, which is as little
arithmetic as that pattern allows.  It returns the bytes moved.
@<Trainer: functions@>=
static double stream_probe(float *p, float *m, float *v, const float *g, size_t n)
{
  #pragma omp parallel for schedule(static)
  for (size_t i = 0; i < n; i++) {
    p[i] = 0.5f * p[i] + g[i]; m[i] = 0.5f * m[i] + g[i]; v[i] = 0.5f * v[i] + g[i];
  }
  return 28.0 * (double)n;
}

@ Timings are medians: the machine this book was built on is shared,
and a median ignores the runs that another program interrupted.
@<Trainer: functions@>=
static double median_seconds(void (*f)(void *), void *arg, int reps)
{
  double t[64];
  if (reps > 64) reps = 64;
  f(arg);  /* once to warm the caches and wake the threads */
  for (int r = 0; r < reps; r++) {
    double t0 = wall_seconds();
    f(arg);
    t[r] = wall_seconds() - t0;
  }
  return quantile(t, (size_t)reps, 0.5);
}

@ The three products of the default network's first two layers at a batch
of 128, as the training step calls them.
@<Trainer: types and globals@>=
struct gemm_case {
  const char *name; bool ta, tb; size_t m, n, k;
  const float *a, *b; float *c;
};
static void run_gemm_case(void *arg)
{
  struct gemm_case *g = arg;
  sgemm(g->ta, g->tb, g->m, g->n, g->k, g->a, g->ta ? g->m : g->k, g->b,
        g->tb ? g->k : g->n, g->c, g->n, NULL, false);
}

@ The experiment: the probes, every available path on the three shapes,
and the AdamW step of the default network.
@<Trainer: experiments@>=
static void kernels_experiment(struct chapter *ch)
{
  if (ch->quick) return;
  note("kernels: peak, bandwidth, three products on every path, the AdamW step");
  const int reps = 21;
  @<Trainer: measure the peak |peak| and the bandwidth |bw|@>@;
  struct tsv *t = tsv_open(ch->out, "kernels.tsv",
                           "kernel\tpath\tintensity\tgflops\tfraction_of_peak");
  @<Trainer: time the three products on every path@>@;
  @<Trainer: time the fused AdamW step@>@;
  tsv_close(t);
  struct tsv *r = tsv_open(ch->out, "roofline.tsv", "intensity\tbound");
  for (double I = 0.05; I < 2000; I *= 1.1) {
    const double v[2] = @[{I, I * bw < peak ? I * bw : peak}@];
    tsv_row(r, 2, v);
  }
  tsv_close(r);
}

@ The arrays of the probe are the AdamW step's size at the default widths.
@<Trainer: measure the peak...@>=
const int nth = omp_get_max_threads();
double best = 0;
if (gemm_available(gemm_avx512))
  for (int r = 0; r < 41; r++) {
    double t0 = wall_seconds(), ops = fma_probe_avx512(200000);
    double rate = ops / (wall_seconds() - t0) * 1e-9;
    if (rate > best) best = rate;
  }
double peak = best;
const size_t np = 784 * 1024 + 1024 + 1024 * 512 + 512 + 512 * 10 + 10;
float *pa = vec_new(np), *pm = vec_new(np), *pv = vec_new(np), *pg = vec_new(np);
vec_fill(pg, np, 1e-3f);
double bw_t[32];
for (int r = 0; r < reps; r++) {
  double t0 = wall_seconds(), bytes = stream_probe(pa, pm, pv, pg, np);
  bw_t[r] = bytes / (wall_seconds() - t0) * 1e-9;
}
double bw = quantile(bw_t, (size_t)reps, 0.5);
values_put(ch->values, "TRthreads", "%d", nth);
values_put(ch->values, "TRpeak", "%.0f", peak);
values_put(ch->values, "TRbw", "%.0f", bw);
printf("kernels: %d threads, FMA peak %.0f GFLOP/s, AdamW-pattern bandwidth %.0f GB/s\n",
       nth, peak, bw);

@ Each path in turn, then back to the processor's best.  The scalar
path is a hundred times slower, so it gets fewer repetitions.
@<Trainer: time the three products...@>=
float *A = vec_new(1024 * 1024), *Bm = vec_new(1024 * 1024), *C = vec_new(1024 * 1024);
struct rng g;
rng_seed(&g, ch->seed, 9);
for (size_t i = 0; i < 1024 * 1024; i++) {
  A[i] = (float)rng_normal(&g); Bm[i] = (float)rng_normal(&g);
}
struct gemm_case cases[3] = @[{{"XWt", false, true, 128, 1024, 784, A, Bm, C},
  {"dYW", false, false, 128, 784, 1024, A, Bm, C},
  {"dYtX", true, false, 1024, 784, 128, A, Bm, C}}@];
const enum gemm_path before = gemm_current();
for (int p = gemm_avx512; p >= gemm_scalar; p--) {
  if (gemm_force((enum gemm_path)p) != 0) continue;
  for (int s = 0; s < 3; s++) {
    const struct gemm_case *g = &cases[s];
    const double flops = 2.0 * (double)(g->m * g->n * g->k);
    const double bytes = 4.0 * (double)(g->m * g->k + g->k * g->n + g->m * g->n);
    double sec = median_seconds(run_gemm_case, &cases[s], p == gemm_scalar ? 3 : reps);
    double gf = flops / sec * 1e-9;
    if (peak == 0) peak = gf;
    tsv_printf(t, "%s\t%s\t%.3f\t%.3f\t%.4f\n", g->name, gemm_path_name((enum gemm_path)p),
               flops / bytes, gf, gf / peak);
    printf("kernels: %-5s %-7s %8.1f GFLOP/s (%.0f%% of peak)\n", g->name,
           gemm_path_name((enum gemm_path)p), gf, 100 * gf / peak);
    if (p == gemm_avx512 || (p == gemm_avx2 && !gemm_available(gemm_avx512))) {
      char name[32];
      snprintf(name, sizeof name, "TRgf%s", s == 0 ? "Fwd" : s == 1 ? "Bwd" : "Grad");
      values_put(ch->values, name, "%.0f", gf);
      snprintf(name, sizeof name, "TRpk%s", s == 0 ? "Fwd" : s == 1 ? "Bwd" : "Grad");
      values_put(ch->values, name, "%.0f", 100 * gf / peak);
    }
  }
}
gemm_force(before);
@<Trainer: bf16 products: timed, and the two paths compared@>@;
vec_free(&A); vec_free(&Bm); vec_free(&C);

@ In bf16 the instruction is timed on the three shapes, and then the
scalar definition recomputes each product so that every element of the
two can be compared: the claim of the section on bf16 products, checked
on the build's machine.
@<Trainer: bf16 products...@>=
gemm_set_precision(gemm_bf16);
if (gemm_force(gemm_avx512) == 0 && gemm_bf16_native()) {
  float *C2 = vec_new(1024 * 1024);
  size_t lanes = 0, differ = 0;
  for (int s = 0; s < 3; s++) {
    struct gemm_case *g = &cases[s];
    const double flops = 2.0 * (double)(g->m * g->n * g->k);
    const double bytes = 2.0 * (double)(g->m * g->k + g->k * g->n) + 4.0 * (double)(g->m * g->n);
    const double gf = flops / median_seconds(run_gemm_case, g, reps) * 1e-9;
    tsv_printf(t, "%s\tbf16\t%.3f\t%.3f\t%.4f\n", g->name, flops / bytes, gf, gf / peak);
    printf("kernels: %-5s bf16    %8.1f GFLOP/s (%.0f%% of the fp32 peak)\n", g->name, gf,
           100 * gf / peak);
    values_letter(ch->values, "TRbfGf", s, "%.0f", gf);
    gemm_force(gemm_scalar);
    g->c = C2; run_gemm_case(g); g->c = C;
    gemm_force(gemm_avx512);
    for (size_t i = 0; i < g->m * g->n; i++) differ += memcmp(&C[i], &C2[i], sizeof *C) != 0;
    lanes += g->m * g->n;
  }
  printf("kernels: bf16 instruction against its definition: "@/
         "%zu of %zu elements differ\n", differ, lanes);
  char differed[64] = "none of them differed";
  if (differ) snprintf(differed, sizeof differed, "%zu of them differed", differ);
  values_put(ch->values, "TRbfCheck", "the kernels experiment below compared "@/
             "the two on the three products of a training step, "@/
             "%zu numbers, and %s", lanes, differed);
  vec_free(&C2);
} else {
  values_put(ch->values, "TRbfCheck", "which has no AVX512-BF16, only the definition ran");
  values_put(ch->values, "TRbfGfA", "---"); values_put(ch->values, "TRbfGfB", "---");
  values_put(ch->values, "TRbfGfC", "---");
}
gemm_set_precision(gemm_fp32);
gemm_force(before);

@ The AdamW step is timed on a session of the default network, with a
gradient of ones (clipped, since its norm is over a thousand).  Its
traffic is seven arrays of floats: the gradient, weights and moments read,
the weights and moments written; about fourteen operations per
coordinate make its intensity a half---far below the ridge.
@<Trainer: time the fused AdamW step@>=
struct session_config sc = @[{.nlayers = 3, .sizes = {784, 1024, 512, 10},@/
  .opt_name = "adamw", .clip_norm = 1.0, .no_decay_bias = true,@/
  .batch = 128, .seed = ch->seed, .world = 1}@];
opt_defaults("adamw", &sc.opt);
char msg[256];
struct session *S = session_new(&sc, ch->train, msg, sizeof msg);
if (!S) die("%s", msg);
vec_fill(S->m->grads, S->m->nparams, 1.0f);
double at[32];
for (int r = 0; r < reps; r++) {
  double t0 = wall_seconds();
  session_update_fused(S);
  at[r] = wall_seconds() - t0;
}
double sec = quantile(at, (size_t)reps, 0.5), gbs = 28.0 * (double)np / sec * 1e-9;
tsv_printf(t, "AdamW\tfused\t%.3f\t%.3f\t%.4f\n", 14.0 / 28.0, 14.0 * (double)np / sec * 1e-9,
           14.0 * (double)np / sec * 1e-9 / peak);
printf("kernels: AdamW step %.3f ms, %.0f GB/s (%.0f%% of the probe's %.0f GB/s)\n",
       1e3 * sec, gbs, 100 * gbs / bw, bw);
values_put(ch->values, "TRadamMs", "%.2f", 1e3 * sec);
values_put(ch->values, "TRadamGBs", "%.0f", gbs);
values_put(ch->values, "TRadamPct", "%.0f", 100 * gbs / bw);
session_free(&S);
vec_free(&pa); vec_free(&pm); vec_free(&pv); vec_free(&pg);

@*1 Where a step's time goes.
The phases experiment takes training steps of the default network on
batches of 128 and times each part separately: the forward pass (three
products with their bias and rectifier), the loss and its gradient, the
backward pass (five products, the bias gradients and the rectifier's
mask), and the fused clip and AdamW update.  It reports the median of
each over the steps, after a few steps of warming up.
@<Trainer: experiments@>=
static void phases_experiment(struct chapter *ch)
{
  if (ch->quick) return;
  enum { warm = 5, steps = 60 };
  note("phases: %d steps of the default network, each phase timed", steps);
  struct session_config sc = @[{.nlayers = 3, .sizes = {784, 1024, 512, 10},@/
    .opt_name = "adamw", .clip_norm = 1.0, .no_decay_bias = true,@/
    .batch = 128, .seed = ch->seed, .world = 1}@];
  opt_defaults("adamw", &sc.opt);
  char msg[256];
  struct session *S = session_new(&sc, ch->train, msg, sizeof msg);
  if (!S) die("%s", msg);
  double t[4][steps];
  for (int s = 0; s < warm + steps; s++) {
    @<Trainer: one step, timing its four phases into |t[.][s-warm]|@>@;
  }
  static const char *const names[4] = @[{"forward", "loss", "backward", "update"}@];
  struct tsv *f = tsv_open(ch->out, "phases.tsv", "phase\tms\tname");
  double total = 0;
  for (int k = 0; k < 4; k++) {
    double ms = 1e3 * quantile(t[k], steps, 0.5);
    total += ms;
    tsv_printf(f, "%d\t%.4f\t%s\n", k, ms, names[k]);
    printf("phases: %-8s %7.3f ms\n", names[k], ms);
    values_letter(ch->values, "TRphase", k, "%.2f", ms);
  }
  tsv_close(f);
  printf("phases: a step %.3f ms, %.0f samples/s\n", total, 128e3 / total);
  values_put(ch->values, "TRstepMs", "%.2f", total);
  values_put(ch->values, "TRstepRate", "%.0f", 128e3 / total);
  session_free(&S);
}

@ The step is the session's, taken apart.
@<Trainer: one step, timing...@>=
const size_t B = sampler_local(&S->smp);
dataset_gather(S->train, sampler_next(&S->smp), B, S->xb, S->yb);
double t0 = wall_seconds();
const float *z = mlp_forward(S->m, S->xb, B);
double t1 = wall_seconds();
float *dz = S->m->delta[0];
softmax_xent(z, S->yb, B, 10, dz);
double t2 = wall_seconds();
mlp_backward(S->m, dz, B);
double t3 = wall_seconds();
session_update_fused(S);
double t4 = wall_seconds();
if (s >= warm) {
  t[0][s - warm] = t1 - t0; t[1][s - warm] = t2 - t1;
  t[2][s - warm] = t3 - t2; t[3][s - warm] = t4 - t3;
}

@*1 How fast, and how close to the machine.
The kernels experiment measured, on the \val{TRthreads} cores the
book was built on, a peak of \val{TRpeak}~GFLOP/s and a bandwidth of
\val{TRbw}~GB/s for the access pattern of the AdamW step.  On the
AVX-512 path the three products ran at \val{TRgfFwd}, \val{TRgfBwd} and
\val{TRgfGrad}~GFLOP/s---\val{TRpkFwd}, \val{TRpkBwd} and \val{TRpkGrad}
percent of the peak---and the fused AdamW step took \val{TRadamMs}~ms,
moving \val{TRadamGBs}~GB/s, \val{TRadamPct} percent of what the probe
moves with the same pattern (a figure above 100 means that the probe's
own runs lost more time to other programs: the two stream at the same
speed).  Figure~\figref{09-trainer-roofline} puts them on the roofline: the
products far to the right of the ridge, where only arithmetic limits them,
the optimizer step far to the left, where only memory does.  No amount of
cleverness makes the AdamW step compute faster than its bytes arrive;
what fusing buys is fewer bytes.

In bf16 the same three products ran at \val{TRbfGfA}, \val{TRbfGfB} and
\val{TRbfGfC}~GFLOP/s: counting each multiply-add as two operations,
faster than the |float| peak, because one \.{vdpbf16ps} does two
multiply-adds per lane where \.{vfmadd} does one.  The training run in
bf16 processed \val{TRbfRate} images per second, against
\val{TRrate} in |float|: the products are only part of a step, and
the rest (packing with its rounding, the loss, the update) did not get
faster.  (The machine the book is built on is
shared with other work, so these are medians, and they move from build to
build; a quiet machine gives higher numbers, not different conclusions.)
@^roofline@>

\bookfigure{09-trainer-roofline}{The roofline of the build machine, from
its measured FMA peak $P$ and bandwidth $W$, with the three products of
a training step on each kernel path (the three shapes have the same
intensity, about 50 operations per byte) and the fused AdamW step
(about half an operation per byte).}

@ A whole step of the default network took \val{TRstepMs}~ms in the phases
experiment, \val{TRstepRate} images per second; Figure~\figref{09-trainer-phases} shows how the
time divides.  The backward pass does twice the forward pass's products
and takes about twice its time; the loss is negligible; the update,
although it does no products at all, costs a noticeable fraction of a step,
because it streams every parameter, both moments and the gradient through
memory once per step, however small the batch.  In the build's training
run the trainer processed \val{TRrate} images per second, evaluation
excluded.  \.{make bench} runs the full recipe and compares it, on the same
machine and in the same invocation, with PyTorch's default configuration
and with PyTorch tuned, with OpenBLAS's \.{sgemm} on the same three
shapes, and with the floor that the products' operations at the measured
peak would allow; it prints the ratios rather than this book quoting
them, since they depend on the machine.

\bookfigure{09-trainer-phases}{Median time of each phase of a training
step of the default network (batch 128) on the build machine.}

@ Exercises.

\item{1.} Before measuring, predict how the phases of Figure~\figref{09-trainer-phases} change at
a batch of 32 and of 512; then run \.{09-trainer --only phases} after
changing the batch in |phases_experiment|.  Which phase does not scale
with the batch, and why?
\item{2.} Force each kernel path with \.{--gemm} and check that the final
checkpoints are identical, byte for byte.  Then change the scalar kernel to
compute $a_{ip}b_{pj}$ and the addition separately; what breaks, and
which test notices?
\item{3.} The micro-kernel of AVX-512 holds an $8\times32$ tile.  Try
$14\times32$ (28 registers): more operations per number loaded, but 128
rows of a batch are no longer a multiple of $m_r$.  Measure both.
\item{4.} Kill a run with \.{kill -9} in the middle of an epoch and resume
it.  Which of the log's columns for that epoch differ from an
uninterrupted run's, and why does the checkpoint not?
