@q 05-clipping.w -- Chapter 5: gradient clipping @>
@* Gradient clipping.
\chaptervalues{05-clipping}%
Now and then a batch produces a gradient many times larger than usual,
and one such step can throw a run far from where it was.  Clipping caps
the step: either the whole gradient's norm, or each of its entries.
This chapter builds both, as PyTorch computes them, into the library.

@q begin library part @>
@ The clipping functions.  |clip_grad_norm| scales a gradient of $n$
entries so that its norm is at most |max_norm|, and returns the norm it
had before; |norm_type| is~2 for the Euclidean norm or |INFINITY| for the
largest absolute entry.  |clip_grad_value| clamps each entry to
$[-v,v]$.  For a model whose gradient lives in several tensors, PyTorch
takes the norm of the tensors' norms, which equals the norm of the whole
gradient seen as one vector; the library's models keep their gradient in
one vector, so one call covers them.
@^PyTorch compatibility@>
@(descent-clip.h@>=
#ifndef DESCENT_CLIP_H
#define DESCENT_CLIP_H
float clip_grad_norm(float *g, size_t n, double max_norm, double norm_type);
void clip_grad_value(float *g, size_t n, double v);
#endif

@ PyTorch's |clip_grad_norm_| computes, in |float|, the factor
$c=\min\bigl(1,\,m/(\Vert g\Vert+10^{-6})\bigr)$ and multiplies every
entry by it---also when it is~1.  The $10^{-6}$ is always added, so a
gradient whose norm is just below the maximum is still scaled down a
little, and a tiny maximum is not quite reached; the minimum with~1 means
that small gradients are never scaled up.  An infinite entry makes the
norm infinite and the factor zero, so that entry becomes NaN
($0\cdot\infty$); a NaN anywhere makes everything NaN.  Nothing is
checked: that is the caller's business, as it is in PyTorch.
The Euclidean norm is accumulated in double and rounded once.
@(clip.c@>=
#include <math.h>
#include "descent.h"
float clip_grad_norm(float *g, size_t n, double max_norm, double norm_type)
{
  float total;
  if (isinf(norm_type)) {
    total = 0;
    for (size_t i = 0; i < n && !isnan(total); i++)
      if (fabsf(g[i]) > total || isnan(g[i])) total = fabsf(g[i]);
  } else total = (float)vec_norm2(g, n);
  float coef = (float)max_norm / (total + 1e-6f);
  if (coef > 1.0f) coef = 1.0f;
  for (size_t i = 0; i < n; i++) g[i] = g[i] * coef;
  return total;
}

@ Clamping by value is simpler: each entry is limited to $[-v,v]$, with
$v$ rounded to |float|.  A NaN entry stays NaN, as in |torch.clamp|.
@(clip.c@>=
void clip_grad_value(float *g, size_t n, double v)
{
  const float hi = (float)v, lo = -hi;
  for (size_t i = 0; i < n; i++)
    g[i] = g[i] < lo ? lo : g[i] > hi ? hi : g[i];
}
@q end library part @>
