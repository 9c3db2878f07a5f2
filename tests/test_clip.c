/* tests/test_clip.c -- gradient clipping (chapters/05-clipping.w) against PyTorch 1.13's
   torch.nn.utils.clip_grad_norm_ and clip_grad_value_.

   The rule (reference-semantics.md section 4): total = the 2-norm or the largest |g|;
   coef = max_norm / (total + 1e-6) in float32, clamped at 1; every entry is multiplied
   by coef, also when it is 1; the norm before clipping is returned.  Expected values
   are float32 numbers printed by torch 1.13 runs (quoted with 17 digits); the cases
   with max_norm 1 or a power of two give the same bits whether the float32 factor is
   formed as max/(total + 1e-6) or, as torch's Tensor.__rtruediv__ does, as
   reciprocal(total + 1e-6) * max. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <float.h>
#include "descent.h"

static bool same_bits(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

/* torch 1.13: g = [3, 4], max 1 -> norm 5, g = [0.5999999046325684, 0.7999998331069946] */
Test(clip, norm2_scales_down)
{
  float g[2] = {3.0f, 4.0f};
  float n = clip_grad_norm(g, 2, 1.0, 2.0);
  cr_expect(n == 5.0f, "returned %.9g, want the norm before clipping, 5", n);
  cr_expect(g[0] == 0.5999999046325684f && g[1] == 0.7999998331069946f,
            "clipped to %.17g %.17g, want 0.5999999046325684 0.7999998331069946 (coef 1/(5 + 1e-6))",
            g[0], g[1]);
  /* a power-of-two maximum: [0.1499999761581421, 0.19999995827674866] (torch 1.13) */
  float h[2] = {3.0f, 4.0f};
  cr_expect(clip_grad_norm(h, 2, 0.25, 2.0) == 5.0f);
  cr_expect(h[0] == 0.1499999761581421f && h[1] == 0.19999995827674866f, "max 0.25: %.17g %.17g",
            h[0], h[1]);
}

/* torch 1.13, norm_type inf: g = [1, -3, 2], max 1 -> norm 3,
   g = [0.33333322405815125, -0.9999996423721313, 0.6666664481163025] */
Test(clip, norm_inf)
{
  float g[3] = {1.0f, -3.0f, 2.0f};
  float n = clip_grad_norm(g, 3, 1.0, INFINITY);
  cr_expect(n == 3.0f, "inf-norm returned %.9g, want max |g| = 3", n);
  cr_expect(g[0] == 0.33333322405815125f && g[1] == -0.9999996423721313f &&
            g[2] == 0.6666664481163025f, "clipped to %.17g %.17g %.17g", g[0], g[1], g[2]);
  /* the largest entry may be negative and anywhere; the 2-norm of these would be larger */
  float h[4] = {0.5f, -0.25f, -7.0f, 6.5f};
  cr_expect(clip_grad_norm(h, 4, 100.0, INFINITY) == 7.0f);
  cr_expect(h[0] == 0.5f && h[1] == -0.25f && h[2] == -7.0f && h[3] == 6.5f, "not scaled up");
}

/* The 1e-6 is always added: norm 5e-6 with max 1e-6 gives the factor 1/(5e-6 + 1e-6) * 1e-6
   = 1/6, not 1/5.  torch 1.13 gives 8.333333312293689e-07 (= float(5e-6f / 6)). */
Test(clip, epsilon_always_added)
{
  float g[1] = {5e-6f};
  float n = clip_grad_norm(g, 1, 1e-6, 2.0);
  cr_expect(n == 5e-6f, "returned %.9g", n);
  cr_expect(g[0] == 8.333333312293689e-07f, "got %.17g, want 8.333333312293689e-07 (factor 1/6)",
            g[0]);
  cr_expect(fabsf(g[0] - 1e-6f) > 1e-7f, "factor 1/5 (no epsilon) would give 1e-6");
  /* just below the maximum is still scaled: norm 1.0, max 1.0000005, 0.6 -> 0.599999726
     (torch 1.13: [0.599999725818634, 0.7999996542930603]) */
  float h[2] = {0.6f, 0.8f};
  n = clip_grad_norm(h, 2, 1.0000005, 2.0);
  cr_expect(n == 1.0f, "norm of (0.6f, 0.8f) is 1.0f, got %.9g", n);
  cr_expect(h[0] == 0.599999725818634f && h[1] == 0.7999996542930603f,
            "just below max: %.17g %.17g, want 0.599999725818634 0.7999996542930603", h[0], h[1]);
  cr_expect(h[0] < 0.6f, "a norm below max_norm is still scaled down a little");
}

/* coef = min(coef, 1): small gradients are never scaled up, and multiplying by 1 keeps
   every bit (torch 1.13: [0.3, -0.4] with max 10 stays, norm 0.5) */
Test(clip, never_scaled_up)
{
  float g[5] = {0.3f, -0.4f, 0.0f, -0.0f, 1e-30f};
  const float orig[5] = {0.3f, -0.4f, 0.0f, -0.0f, 1e-30f};
  float n = clip_grad_norm(g, 5, 10.0, 2.0);
  cr_expect(close_to(n, 0.5, 1e-7), "norm %.9g", n);
  for (int i = 0; i < 5; i++)
    cr_expect(same_bits(g[i], orig[i]), "g[%d] changed from %.9g to %.9g", i, orig[i], g[i]);
  /* a norm equal to max_norm is scaled, since total + 1e-6 > max */
  float h[2] = {3.0f, 4.0f};
  clip_grad_norm(h, 2, 5.0, 2.0);
  cr_expect(h[0] < 3.0f && h[1] < 4.0f, "norm == max is scaled by 5/(5 + 1e-6): %.9g %.9g", h[0], h[1]);
  /* the maximum far above: unchanged, inf norm too */
  float k[3] = {-2.0f, 1.5f, 0.25f};
  cr_expect(clip_grad_norm(k, 3, 1e30, INFINITY) == 2.0f);
  cr_expect(k[0] == -2.0f && k[1] == 1.5f && k[2] == 0.25f);
}

/* The factor applied to a longer vector is one float, and the returned norm is the
   2-norm of the original (to a few ulp: torch sums the squares in float32, the library in
   double); after clipping to 1 the norm is 1 - O(1e-6). */
Test(clip, long_vector)
{
  enum { n = 1001 };
  static float g[n], orig[n];
  struct rng r;
  rng_seed(&r, 5, 1);
  for (int i = 0; i < n; i++) g[i] = orig[i] = (float)(3 * rng_normal(&r));
  double exact = 0;
  for (int i = 0; i < n; i++) exact += (double)orig[i] * orig[i];
  exact = sqrt(exact);
  float total = clip_grad_norm(g, n, 1.0, 2.0);
  cr_expect(ulp_diff(total, (float)exact) <= 4, "norm %.9g, exact %.9g", total, exact);
  /* PyTorch's factor with max 1: float(1 / float(total + 1e-6)) */
  volatile float den = total + 1e-6f;
  const float coef = 1.0f / den;
  for (int i = 0; i < n; i++)
    cr_assert(g[i] == orig[i] * coef, "g[%d] = %.9g, want %.9g * %.9g = %.9g", i, g[i], orig[i], coef,
              orig[i] * coef);
  double after = vec_norm2(g, n);
  cr_expect(after <= 1.0 && after > 1.0 - 1e-5, "norm after clipping %.9g", after);
}

/* Non-finite gradients (torch 1.13, both norm types): an inf entry gives norm inf, coef 0,
   that entry NaN (0 * inf) and the others zero with their sign: [1, inf, -2] ->
   [0, nan, -0]; a NaN makes the norm and every entry NaN. */
Test(clip, nonfinite)
{
  const double types[2] = {2.0, INFINITY};
  for (int k = 0; k < 2; k++) {
    float g[3] = {1.0f, INFINITY, -2.0f};
    float n = clip_grad_norm(g, 3, 1.0, types[k]);
    cr_expect(isinf(n) && n > 0, "norm type %g: returned %g, want inf", types[k], n);
    cr_expect(g[0] == 0.0f && !signbit(g[0]), "norm type %g: g[0] = %g, want +0", types[k], g[0]);
    cr_expect(isnan(g[1]), "norm type %g: the inf entry becomes NaN, got %g", types[k], g[1]);
    cr_expect(g[2] == 0.0f && signbit(g[2]), "norm type %g: g[2] = %g, want -0", types[k], g[2]);
    float h[4] = {1.0f, NAN, -2.0f, 0.0f};
    n = clip_grad_norm(h, 4, 1.0, types[k]);
    cr_expect(isnan(n), "norm type %g: a NaN entry gives norm %g, want NaN", types[k], n);
    for (int i = 0; i < 4; i++)
      cr_expect(isnan(h[i]), "norm type %g: h[%d] = %g, want NaN everywhere", types[k], i, h[i]);
    /* the NaN first, and an inf next to it */
    float q[3] = {NAN, -INFINITY, 5.0f};
    n = clip_grad_norm(q, 3, 1.0, types[k]);
    cr_expect(isnan(n) && isnan(q[0]) && isnan(q[1]) && isnan(q[2]), "norm type %g: [nan, -inf, 5]",
              types[k]);
  }
}

/* No gradient at all: norm 0 (torch returns tensor(0.) for no grads), nothing written. */
Test(clip, empty)
{
  float g[2] = {7.0f, -7.0f};
  cr_expect(clip_grad_norm(g, 0, 1.0, 2.0) == 0.0f);
  cr_expect(clip_grad_norm(g, 0, 1.0, INFINITY) == 0.0f);
  cr_expect(g[0] == 7.0f && g[1] == -7.0f, "n = 0 touched the array");
  clip_grad_value(g, 0, 1.0);
  cr_expect(g[0] == 7.0f && g[1] == -7.0f, "n = 0 touched the array");
  /* all zeros: norm 0, factor max/1e-6 clamped to 1 */
  float z[3] = {0, -0.0f, 0};
  cr_expect(clip_grad_norm(z, 3, 1e-9, 2.0) == 0.0f);
  cr_expect(z[0] == 0 && signbit(z[1]) && z[2] == 0);
}

/* PyTorch checks nothing: a negative max_norm gives a negative factor (torch 1.13:
   [3, 4] with max -1 -> [-0.5999999046325684, -0.7999998331069946], norm 5). */
Test(clip, negative_max_is_not_checked)
{
  float g[2] = {3.0f, 4.0f};
  cr_expect(clip_grad_norm(g, 2, -1.0, 2.0) == 5.0f);
  cr_expect(g[0] == -0.5999999046325684f && g[1] == -0.7999998331069946f, "%.17g %.17g", g[0], g[1]);
}

/* clip_grad_value_: clamp to [-v, v] with v rounded to float32; NaN stays NaN (torch.clamp);
   torch 1.13: [0.1, -3, 2] with v 0.1 -> [0.10000000149011612, -0.10000000149011612,
   0.10000000149011612]; [1, -3, nan] with v 2 -> [1, -2, nan]; v inf leaves all */
Test(clip, value)
{
  float g[11] = {0.05f, -3.0f, 2.0f, NAN, 0.1f, -0.1f, INFINITY, -INFINITY, 1e-45f, -0.0f,
                 0x1.99999cp-4f /* the float after 0.1f */};
  clip_grad_value(g, 11, 0.1);
  const float want[11] = {0.05f, -0.1f, 0.1f, NAN, 0.1f, -0.1f, 0.1f, -0.1f, 1e-45f, -0.0f, 0.1f};
  for (int i = 0; i < 11; i++) {
    if (isnan(want[i])) cr_expect(isnan(g[i]), "g[%d] = %g, NaN must stay NaN", i, g[i]);
    else cr_expect(same_bits(g[i], want[i]), "g[%d] = %.9g, want %.9g", i, g[i], want[i]);
  }
  cr_expect(g[1] == -(float)0.1 && (double)g[2] != 0.1, "v is applied as float32");
  /* v = inf: nothing changes, infinities included */
  float h[4] = {1e38f, -INFINITY, INFINITY, -5.0f};
  clip_grad_value(h, 4, INFINITY);
  cr_expect(h[0] == 1e38f && h[1] == -INFINITY && h[2] == INFINITY && h[3] == -5.0f);
  /* v above FLT_MAX becomes inf as a float: nothing clamped */
  float k[2] = {FLT_MAX, -INFINITY};
  clip_grad_value(k, 2, 1e39);
  cr_expect(k[0] == FLT_MAX && k[1] == -INFINITY, "v 1e39 is inf in float: %g %g", k[0], k[1]);
  /* a subnormal bound */
  float s[3] = {1.0f, -1.0f, 1e-45f};
  clip_grad_value(s, 3, 1e-40);
  cr_expect(s[0] == 1e-40f && s[1] == -1e-40f && s[2] == 1e-45f, "%g %g %g", s[0], s[1], s[2]);
  /* v = 0 zeroes everything (sign of zero aside) */
  float z[3] = {3.0f, -3.0f, NAN};
  clip_grad_value(z, 3, 0.0);
  cr_expect(z[0] == 0 && z[1] == 0 && isnan(z[2]));
}

/* torch.clamp with min > max sets every element to max, and NaN bounds give NaN (torch 1.13:
   clip_grad_value_ with -1 turns [1, -3, 2] into [-1, -1, -1]; with nan into
   [nan, nan, nan]).  The library once failed this (fixed): clip_grad_value(g, n, -1) gives +1 for
   entries below 1 and -1 for the others; v = NaN left g unchanged. */
Test(clip, value_degenerate_bounds_like_torch)
{
  float g[3] = {1.0f, -3.0f, 2.0f};
  clip_grad_value(g, 3, -1.0);
  cr_expect(g[0] == -1.0f && g[1] == -1.0f && g[2] == -1.0f, "v -1: %g %g %g", g[0], g[1], g[2]);
  float h[3] = {1.0f, -3.0f, 2.0f};
  clip_grad_value(h, 3, NAN);
  cr_expect(isnan(h[0]) && isnan(h[1]) && isnan(h[2]), "v NaN: %g %g %g", h[0], h[1], h[2]);
}

/* torch's Tensor.__rtruediv__ is reciprocal(self) * other, so clip_grad_norm_ forms its
   factor as float(float(1 / float(total + 1e-6)) * float(max_norm)); that differs from
   float(max_norm) / float(total + 1e-6) by an ulp in about 16% of random cases (20000
   torch 1.13 cases: the reciprocal form matched all, the division 84%).  torch 1.13:
   g = [1.585615634918213], max 1.088138473595098 -> 1.0881377458572388 (the division gives
   1.0881378650665283).  The library once failed this (fixed): clip.c divides. */
Test(clip, factor_is_reciprocal_times_max)
{
  float g[1] = {1.585615634918213f};
  clip_grad_norm(g, 1, 1.088138473595098, 2.0);
  cr_expect(g[0] == 1.0881377458572388f, "got %.17g, want 1.0881377458572388", g[0]);
}

/* torch 1.13 sums the squares in float32: an entry whose square overflows float makes the
   2-norm inf (so every finite entry becomes 0), and squares that underflow are lost:
   [2e19] -> norm inf, g [0]; [1e19] * 4 -> inf, zeros; [1e-20, 1e-20] -> norm
   1.4142096906491708e-20 (2e-40 is subnormal), g unchanged.
   The library once failed this (fixed): clip.c accumulates in double (norm 2e19, g scaled to ~1).
  */
Test(clip, norm2_is_float32_like_torch)
{
  float g[1] = {2e19f};
  float n = clip_grad_norm(g, 1, 1.0, 2.0);
  cr_expect(isinf(n) && g[0] == 0.0f, "[2e19]: norm %g, g %g; torch: inf, 0", n, g[0]);
  float h[4] = {1e19f, 1e19f, 1e19f, 1e19f};
  n = clip_grad_norm(h, 4, 1.0, 2.0);
  cr_expect(isinf(n) && h[0] == 0.0f && h[3] == 0.0f, "[1e19]*4: norm %g; torch: inf", n);
  float k[2] = {1e-20f, 1e-20f};
  n = clip_grad_norm(k, 2, 1.0, 2.0);
  cr_expect(n == 1.4142096906491708e-20f, "[1e-20, 1e-20]: norm %.17g; torch 1.4142096906491708e-20", n);
}
