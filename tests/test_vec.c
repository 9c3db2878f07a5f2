/* tests/test_vec.c -- float vectors with double accumulation. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

Test(vec, new_is_zeroed_and_free_nulls)
{
  float *v = vec_new(1000);
  cr_assert(v != NULL);
  for (int i = 0; i < 1000; i++) cr_assert(v[i] == 0.0f && !signbit(v[i]), "v[%d] = %g", i, v[i]);
  vec_free(&v);
  cr_expect(v == NULL, "vec_free did not null the pointer");
  vec_free(&v);                         /* freeing NULL again is harmless */
  cr_expect(v == NULL);
  float *e = vec_new(0);                /* an empty vector is a valid pointer or NULL; freeable */
  vec_free(&e);
  cr_expect(e == NULL);
}

Test(vec, copy_fill_axpy_scale)
{
  float x[5] = {1, -2, 3.5f, 0, 1e-3f}, y[5];
  vec_fill(y, 5, 7.25f);
  for (int i = 0; i < 5; i++) cr_expect(y[i] == 7.25f);
  vec_copy(y, x, 5);
  cr_expect(memcmp(x, y, sizeof x) == 0);
  vec_axpy(y, 0.5f, x, 5);              /* y = 1.5 x */
  for (int i = 0; i < 5; i++) cr_expect(y[i] == 1.5f * x[i], "axpy y[%d] = %g", i, y[i]);
  vec_scale(y, -2.0f, 5);
  for (int i = 0; i < 5; i++) cr_expect(y[i] == -3.0f * x[i], "scale y[%d] = %g", i, y[i]);
  /* n = 0 touches nothing */
  float z[2] = {9, 9};
  vec_fill(z, 0, 1.0f);
  vec_axpy(z, 3.0f, x, 0);
  vec_scale(z, 0.0f, 0);
  vec_copy(z, x, 0);
  cr_expect(z[0] == 9 && z[1] == 9);
  /* axpy rounds like float32: y + a*x computed in float */
  float a1[1] = {1.0f}, b1[1] = {0x1p-25f};
  vec_axpy(a1, 1.0f, b1, 1);
  cr_expect(a1[0] == 1.0f, "1 + 2^-25 in float32 is 1, got %a", a1[0]);
}

Test(vec, copy_handles_overlap)
{
  /* vec_copy's contract does not promise overlap, but dst == src must be harmless */
  float x[4] = {1, 2, 3, 4};
  vec_copy(x, x, 4);
  cr_expect(x[0] == 1 && x[3] == 4);
}

Test(vec, dot_accumulates_in_double)
{
  float x[3] = {1e8f, 1.0f, -1e8f}, y[3] = {1.0f, 1.0f, 1.0f};
  /* in float, 1e8 + 1 == 1e8 and the sum would be 0 */
  cr_expect(vec_dot(x, y, 3) == 1.0, "dot = %.17g", vec_dot(x, y, 3));
  float a[4] = {1, 2, 3, 4}, b[4] = {-1, 0.5f, 2, 0.25f};
  cr_expect(vec_dot(a, b, 4) == -1 + 1 + 6 + 1);
  /* products are formed in double: (1 + 2^-20)^2 keeps its 2^-40 term */
  float c[1] = {1.0f + 0x1p-20f};
  cr_expect(vec_dot(c, c, 1) == 1.0 + 0x1p-19 + 0x1p-40, "%a", vec_dot(c, c, 1));
  cr_expect(vec_dot(a, b, 0) == 0.0);
}

Test(vec, norm2_and_sqdist)
{
  float x[2] = {3, 4};
  cr_expect(vec_norm2(x, 2) == 5.0);
  cr_expect(vec_norm2(x, 0) == 0.0);
  /* no float overflow: 1e30^2 overflows float but not double */
  float big[2] = {1e30f, 1e30f};
  double nb = vec_norm2(big, 2), want = sqrt(2.0) * (double)1e30f;
  cr_expect(fabs(nb - want) <= 1e-15 * want, "norm of (1e30, 1e30) = %g", nb);
  float y[2] = {0, 0}, z[3] = {1, 2, 3}, w[3] = {1.5f, 0, 3};
  cr_expect(vec_sqdist(x, y, 2) == 25.0);
  cr_expect(vec_sqdist(z, w, 3) == 0.25 + 4.0);
  cr_expect(vec_sqdist(z, z, 3) == 0.0);
  /* difference formed in double: 1 and 1 + 2^-23 differ by 2^-23, squared 2^-46 */
  float p[1] = {1.0f}, q[1] = {1.0f + 0x1p-23f};
  cr_expect(vec_sqdist(p, q, 1) == 0x1p-46);
}

Test(vec, all_finite)
{
  float x[4] = {0, -1, 3e38f, 1e-45f};
  cr_expect(vec_all_finite(x, 4));
  cr_expect(vec_all_finite(x, 0));
  x[2] = INFINITY;
  cr_expect(!vec_all_finite(x, 4));
  cr_expect(vec_all_finite(x, 2), "only the first 2 entries are looked at");
  x[2] = -INFINITY;
  cr_expect(!vec_all_finite(x, 4));
  x[2] = NAN;
  cr_expect(!vec_all_finite(x, 4));
  x[2] = 0;
  x[3] = -NAN;
  cr_expect(!vec_all_finite(x, 4));
}
