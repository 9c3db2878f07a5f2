@q 09-trainer.w -- Chapter 9: the trainer @>
@* The trainer.
\chaptervalues{09-trainer}%
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
trainer's own flags added.  It runs three experiments: {\it train}, the
trainer itself; {\it kernels}, which times the matrix products against
the machine's peak; and {\it phases}, which measures where a training
step's time goes.  The last two measure wall-clock time, which no seed
controls, and \.{--quick} leaves them out; \.{--quick} also shrinks the
training run to a few hundred images, so that the tests can run it under
the sanitizers.
@c
#include <signal.h>
#include <unistd.h>
#include "descent.h"
@<Trainer: types and globals@>@;
@<Trainer: functions@>@;
@<Trainer: experiments@>@;
static const struct experiment experiments[] = {@/
  @[{"train", train_experiment, true}@],@/
  @[{"kernels", kernels_experiment, false}@],@/
  @[{"phases", phases_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"09-trainer",
  "The trainer of chapter 9 of Descent: an MLP on Fashion-MNIST with AdamW,\n"
  "warmup and cosine, clipping, checkpoints; and the speed of its kernels.\n",
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
@(descent-gemm.h@>=
#ifndef DESCENT_GEMM_H
#define DESCENT_GEMM_H
#include <stdbool.h>
#include <stddef.h>
@<GEMM: public declarations@>@;
#endif

@ One function does it all; everything else in this part is its machinery.
@<GEMM: public declarations@>=
void sgemm(bool ta, bool tb, size_t m, size_t n, size_t k,
           const float *a, size_t lda, const float *b, size_t ldb,
           float *c, size_t ldc, const float *bias, bool relu);

@ The implementation file.  The vector instructions come from the
compiler's intrinsics, one C function per instruction.
@(gemm.c@>=
#include <assert.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<GEMM: kernels@>@;
@<GEMM: dispatch@>@;
@<GEMM: packing@>@;
@<GEMM: the blocked product@>@;

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
@<GEMM: kernels@>=
typedef void micro_kernel(size_t kc, const float *restrict a, const float *restrict b,
                          float *restrict c, size_t ldc, bool first,
                          const float *bias, bool relu);

@ The scalar kernel is the definition made executable: a $4\times8$ tile
in an array, |fmaf| for each step.  It is the path of last resort, and it
is what the others must equal.
@<GEMM: kernels@>=
enum { scalar_mr = 4, scalar_nr = 8 };
static void micro_scalar(size_t kc, const float *restrict a, const float *restrict b,
                         float *restrict c, size_t ldc, bool first,
                         const float *bias, bool relu)
{
  float s[scalar_mr][scalar_nr];
  for (int i = 0; i < scalar_mr; i++)
    for (int j = 0; j < scalar_nr; j++) s[i][j] = first ? 0.0f : c[i * ldc + j];
  for (size_t p = 0; p < kc; p++, a += scalar_mr, b += scalar_nr)
    for (int i = 0; i < scalar_mr; i++)
      for (int j = 0; j < scalar_nr; j++) s[i][j] = fmaf(a[i], b[j], s[i][j]);
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
@<GEMM: kernels@>=
enum { avx512_mr = 8, avx512_nr = 32 };
@<GEMM: compile what follows for AVX-512@>@;
static void micro_avx512(size_t kc, const float *restrict a, const float *restrict b,
                         float *restrict c, size_t ldc, bool first,
                         const float *bias, bool relu)
{
  __m512 s0[avx512_mr], s1[avx512_mr];
  @<GEMM: unroll the next loop@>@;
  for (int i = 0; i < avx512_mr; i++) {
    s0[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc);
    s1[i] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + i * ldc + 16);
  }
  for (size_t p = 0; p < kc; p++, a += avx512_mr, b += avx512_nr) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    @<GEMM: unroll the next loop@>@;
    for (int i = 0; i < avx512_mr; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      s0[i] = _mm512_fmadd_ps(ai, b0, s0[i]);
      s1[i] = _mm512_fmadd_ps(ai, b1, s1[i]);
    }
  }
  const __m512 zero = _mm512_setzero_ps();
  @<GEMM: unroll the next loop@>@;
  for (int i = 0; i < avx512_mr; i++) {
    if (bias) {
      s0[i] = _mm512_add_ps(s0[i], _mm512_loadu_ps(bias));
      s1[i] = _mm512_add_ps(s1[i], _mm512_loadu_ps(bias + 16));
    }
    if (relu) { s0[i] = _mm512_max_ps(zero, s0[i]); s1[i] = _mm512_max_ps(zero, s1[i]); }
    _mm512_storeu_ps(c + i * ldc, s0[i]);
    _mm512_storeu_ps(c + i * ldc + 16, s1[i]);
  }
}
@<GEMM: compile what follows for the default target again@>@;

@ The AVX2 kernel is the same with registers of 8 floats, of which there
are sixteen: a $6\times16$ tile in twelve of them, two for $B$'s sliver and
one for the broadcast.
@^AVX2@>
@<GEMM: kernels@>=
enum { avx2_mr = 6, avx2_nr = 16 };
@<GEMM: compile what follows for AVX2@>@;
static void micro_avx2(size_t kc, const float *restrict a, const float *restrict b,
                       float *restrict c, size_t ldc, bool first,
                       const float *bias, bool relu)
{
  __m256 s0[avx2_mr], s1[avx2_mr];
  @<GEMM: unroll the next loop@>@;
  for (int i = 0; i < avx2_mr; i++) {
    s0[i] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + i * ldc);
    s1[i] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + i * ldc + 8);
  }
  for (size_t p = 0; p < kc; p++, a += avx2_mr, b += avx2_nr) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    @<GEMM: unroll the next loop@>@;
    for (int i = 0; i < avx2_mr; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      s0[i] = _mm256_fmadd_ps(ai, b0, s0[i]);
      s1[i] = _mm256_fmadd_ps(ai, b1, s1[i]);
    }
  }
  const __m256 zero = _mm256_setzero_ps();
  @<GEMM: unroll the next loop@>@;
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
@<GEMM: compile what follows for the default target again@>@;

@ The library is compiled for any x86-64 processor, so the vector
instructions may be used only inside functions compiled for them, and
only called when the processor has them.  GCC's \.{target} pragmas do the
first: between a push and a pop, functions are compiled as if for a
machine with the named extensions.  The loops over the rows of a tile
are unrolled completely, so that each register of the tile is a variable
of its own.
@^system dependencies@>
@<GEMM: compile what follows for AVX-512@>=
#pragma GCC push_options
#pragma GCC target("avx512f,fma")

@ The same for AVX2.
@<GEMM: compile what follows for AVX2@>=
#pragma GCC push_options
#pragma GCC target("avx2,fma")

@ And back to the default target.
@<GEMM: compile what follows for the default target again@>=
#pragma GCC pop_options

@ The loops over a tile's rows are unrolled by this pragma.
@<GEMM: unroll the next loop@>=
#pragma GCC unroll 8

@*1 Choosing a kernel at run time.
The processor is asked once, with GCC's |__builtin_cpu_supports|, which
reads the \.{cpuid} instruction's answer: AVX-512 if it has it, else AVX2
with FMA, else the scalar kernel.  The environment variable
\.{DESCENT\_GEMM} (\.{scalar}, \.{avx2}, \.{avx512}) or |gemm_force|
overrides the choice, for the tests and the benchmarks; asking for a
path the processor lacks is refused.
@.DESCENT\_GEMM@>
@<GEMM: public declarations@>=
enum gemm_path { gemm_auto, gemm_scalar, gemm_avx2, gemm_avx512 };
bool gemm_available(enum gemm_path p);
int gemm_force(enum gemm_path p);
enum gemm_path gemm_current(void);
const char *gemm_path_name(enum gemm_path p);
int gemm_path_parse(const char *name, enum gemm_path *p);

@ A path is a kernel and its tile.
@<GEMM: dispatch@>=
struct gemm_kernel { micro_kernel *f; size_t mr, nr; };
static const struct gemm_kernel kernels[4] = @[{
  {micro_scalar, scalar_mr, scalar_nr}, {micro_scalar, scalar_mr, scalar_nr},
  {micro_avx2, avx2_mr, avx2_nr}, {micro_avx512, avx512_mr, avx512_nr}}@];
static enum gemm_path chosen = gemm_auto;
static const char *const path_names[4] = @[{"auto", "scalar", "avx2", "avx512"}@];

@ The processor's answer, and the names of the paths.
@<GEMM: dispatch@>=
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
@<GEMM: dispatch@>=
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
rows that are thrown away.
@<GEMM: packing@>=
static void pack_a(bool ta, const float *a, size_t lda, size_t m, size_t i0, size_t mc,
                   size_t p0, size_t kc, size_t mr, float *restrict dst)
{
  for (size_t ir = 0; ir < mc; ir += mr, dst += mr * kc)
    for (size_t i = 0; i < mr; i++) {
      size_t row = i0 + ir + i;
      float *d = dst + i;
      if (row >= m || ir + i >= mc)
        for (size_t p = 0; p < kc; p++) d[p * mr] = 0.0f;
      else if (ta)
        for (size_t p = 0; p < kc; p++) d[p * mr] = a[(p0 + p) * lda + row];
      else
        for (size_t p = 0; p < kc; p++) d[p * mr] = a[row * lda + p0 + p];
    }
}

@ |pack_b| does the same for a $k_c\times n_c$ block of $\mathop{\rm
op}(B)$: slivers of $n_r$ columns, each step's $n_r$ numbers consecutive.
It packs only the slivers from |jr0| to |jr1| (counted in slivers), so
that the threads can share the work.
@<GEMM: packing@>=
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
@<GEMM: the blocked product@>=
enum { gemm_kc = 256, gemm_mc = 128, gemm_nc = 1024 };

@ The packing buffers are allocated once per calling thread, at their
largest size, and kept: a training loop calls |sgemm| thousands of times
and none of those calls allocates.  The buffers are aligned to 64 bytes,
the width of a cache line and of an AVX-512 register, which the aligned
loads of the kernels require.
@^no allocation in the loop@>
@<GEMM: the blocked product@>=
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
@<GEMM: the blocked product@>=
void sgemm(bool ta, bool tb, size_t m, size_t n, size_t k,
           const float *a, size_t lda, const float *b, size_t ldb,
           float *c, size_t ldc, const float *bias, bool relu)
{
  if (m == 0 || n == 0) return;
  if (k == 0) { @<GEMM: set |c| to the bias alone@>@; return; }
  const struct gemm_kernel K = kernels[gemm_current()];
  const size_t mr = K.mr, nr = K.nr, mcmax = gemm_mc / mr * mr;
  gemm_buffers();
  float *ap = abuf, *bp = bbuf;
  const bool parallel = (double)m * (double)n * (double)k >= 1048576.0;
  @<GEMM: let the threads share what follows@>@;
  for (size_t jc = 0; jc < n; jc += gemm_nc) {
    const size_t nc = n - jc < gemm_nc ? n - jc : gemm_nc, nslivers = (nc + nr - 1) / nr;
    for (size_t pc = 0; pc < k; pc += gemm_kc) {
      const size_t kc = k - pc < gemm_kc ? k - pc : gemm_kc;
      const bool first = pc == 0, last = pc + kc == k;
      @<GEMM: pack the block of $B$, sliver by sliver among the threads@>@;
      for (size_t ic = 0; ic < m; ic += mcmax) {
        const size_t mc = m - ic < mcmax ? m - ic : mcmax;
        @<GEMM: pack the block of $A$ on one thread@>@;
        @<GEMM: share the tiles of the block among the threads@>@;
      }
    }
  }
}

@ The pragmas are sections of their own, so that the function above reads
as the three loops it is.
@<GEMM: let the threads share what follows@>=
#pragma omp parallel if (parallel)

@ The slivers of $B$ are packed by all the threads, each its own range.
@<GEMM: pack the block of $B$...@>=
#pragma omp for schedule(static)
for (size_t s = 0; s < nslivers; s++)
  pack_b(tb, b, ldb, n, jc, nc, pc, kc, nr, s, s + 1, bp);

@ The block of $A$ is smaller (at most $128\times256$), and one thread
packs it while the others wait at the barrier.
@<GEMM: pack the block of $A$...@>=
#pragma omp single
pack_a(ta, a, lda, m, ic, mc, pc, kc, mr, ap);

@ The tiles of a block are independent.  Each thread takes a fixed,
contiguous range of them, and every tile is computed by one call of the
micro-kernel, the same whatever the thread.
@<GEMM: share the tiles...@>=
const size_t mtiles = (mc + mr - 1) / mr;
#pragma omp for schedule(static)
for (size_t t = 0; t < nslivers * mtiles; t++) {
  const size_t s = t / mtiles, ir = (t % mtiles) * mr, jr = s * nr;
  @<GEMM: compute the tile at rows |ic+ir|, columns |jc+jr|@>@;
}

@ A tile that lies wholly inside $C$ is computed in place.  One that
sticks out of its last rows or columns is computed in a scratch tile
(holding the part of $C$ it continues, and zeros elsewhere) and its
inside copied back; the bias is padded the same way.
@<GEMM: compute the tile...@>=
const size_t i = ic + ir, j = jc + jr;
const float *as = ap + ir * kc, *bs = bp + s * nr * kc;
const float *bj = last && bias ? bias + j : NULL;
if (i + mr <= m && j + nr <= n)
  K.f(kc, as, bs, c + i * ldc + j, ldc, first, bj, last && relu);
else {
  @<GEMM: compute an edge tile through a scratch tile@>@;
}

@ The scratch tile is as large as the largest kernel's.
@<GEMM: compute an edge tile...@>=
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
@<GEMM: set |c| to the bias alone@>=
for (size_t i = 0; i < m; i++)
  for (size_t j = 0; j < n; j++) {
    float z = bias ? 0.0f + bias[j] : 0.0f;
    c[i * ldc + j] = relu && z < 0.0f ? 0.0f : z;
  }

@*1 Stub.
Temporary.
@<Trainer: types and globals@>=
static const struct cli_option trainer_options[] = {@[{NULL, 0, NULL, 0, 0, NULL, NULL}@]};
@ Stub.
@<Trainer: functions@>=
static void check_config(const struct chapter *ch) { (void)ch; }
@ Stub.
@<Trainer: experiments@>=
static void train_experiment(struct chapter *ch) { (void)ch; }
static void kernels_experiment(struct chapter *ch) { (void)ch; }
static void phases_experiment(struct chapter *ch) { (void)ch; }
