/* tests/test_problem.c -- the 2-D test problems: values, analytic gradients
   against central finite differences, minimizers. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

/* Central differences in double, step h relative to the coordinate; truncation
   error O(h^2 f''') and rounding O(eps f / h): with h = 1e-5 both are far
   below the tolerance for these polynomials of modest size. */
static void fd_check(const struct problem *p, double x0, double y0)
{
  double x[2] = {x0, y0}, g[2];
  double f = problem_eval(p, x, g);
  double f2 = p->eval(p, x, NULL);      /* g may be NULL */
  cr_expect(f == f2, "%s: value with and without gradient differ (%g, %g)", p->name, f, f2);
  for (int i = 0; i < 2; i++) {
    double h = 1e-5 * fmax(1.0, fabs(x[i]));
    double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
    xp[i] += h;
    xm[i] -= h;
    double fd = (problem_eval(p, xp, NULL) - problem_eval(p, xm, NULL)) / (xp[i] - xm[i]);
    cr_expect(fabs(fd - g[i]) <= 1e-6 * fmax(1.0, fabs(g[i])),
              "%s(a=%g, b=%g) at (%g, %g): dF/dx%d analytic %.12g, finite difference %.12g",
              p->name, p->a, p->b, x0, y0, i, g[i], fd);
  }
}

static const double points[][2] = {
  {0, 0}, {1, 1}, {-1.5, 2}, {0.3, -0.7}, {2.5, 6.25}, {-3, -4}, {1e-3, 7}, {10, -0.2}};
enum { npoints = sizeof points / sizeof points[0] };

Test(problem, ravine)
{
  struct problem p = problem_ravine(1.0, 25.0);
  cr_expect(p.name && strcmp(p.name, "ravine") == 0, "name %s", p.name ? p.name : "(null)");
  cr_expect(p.a == 1.0 && p.b == 25.0);
  double x[2] = {2, -1}, g[2];
  cr_expect(problem_eval(&p, x, g) == (1.0 * 4 + 25.0 * 1) / 2);
  cr_expect(g[0] == 2.0 && g[1] == -25.0, "gradient (%g, %g)", g[0], g[1]);
  cr_expect(p.xmin[0] == 0 && p.xmin[1] == 0);
  cr_expect(problem_eval(&p, p.xmin, g) == 0 && g[0] == 0 && g[1] == 0);
  for (int k = 0; k < npoints; k++) fd_check(&p, points[k][0], points[k][1]);
  struct problem q = problem_ravine(0.5, 3.0);
  for (int k = 0; k < npoints; k++) fd_check(&q, points[k][0], points[k][1]);
}

Test(problem, rosenbrock)
{
  struct problem p = problem_rosenbrock(1.0, 100.0);
  cr_expect(p.name && strcmp(p.name, "rosenbrock") == 0, "name %s", p.name ? p.name : "(null)");
  double x[2] = {0, 0}, g[2];
  cr_expect(problem_eval(&p, x, g) == 1.0);           /* (1-0)^2 + 100 (0-0)^2 */
  cr_expect(g[0] == -2.0 && g[1] == 0.0, "gradient at 0: (%g, %g)", g[0], g[1]);
  double y[2] = {-1, 2};                              /* (2)^2 + 100 (2-1)^2 = 104 */
  cr_expect(problem_eval(&p, y, g) == 104.0);
  cr_expect(p.xmin[0] == 1.0 && p.xmin[1] == 1.0);
  cr_expect(problem_eval(&p, p.xmin, g) == 0.0 && g[0] == 0.0 && g[1] == 0.0);
  for (int k = 0; k < npoints; k++) fd_check(&p, points[k][0], points[k][1]);
  struct problem q = problem_rosenbrock(2.0, 5.0);
  cr_expect(q.xmin[0] == 2.0 && q.xmin[1] == 4.0, "min at (a, a^2), got (%g, %g)", q.xmin[0],
            q.xmin[1]);
  cr_expect(problem_eval(&q, q.xmin, g) == 0.0 && g[0] == 0.0 && g[1] == 0.0);
  for (int k = 0; k < npoints; k++) fd_check(&q, points[k][0], points[k][1]);
}

Test(problem, saddle)
{
  struct problem p = problem_saddle(1.0, 2.0);
  cr_expect(p.name && strcmp(p.name, "saddle") == 0, "name %s", p.name ? p.name : "(null)");
  double x[2] = {2, 3}, g[2];
  cr_expect(problem_eval(&p, x, g) == (4.0 - 2.0 * 9) / 2);
  cr_expect(g[0] == 2.0 && g[1] == -6.0, "gradient (%g, %g)", g[0], g[1]);
  cr_expect(p.xmin[0] == 0 && p.xmin[1] == 0, "the saddle point is the origin");
  cr_expect(problem_eval(&p, p.xmin, g) == 0 && g[0] == 0 && g[1] == 0);
  /* a saddle: up along x, down along y */
  double ex[2] = {0.1, 0}, ey[2] = {0, 0.1};
  cr_expect(problem_eval(&p, ex, NULL) > 0 && problem_eval(&p, ey, NULL) < 0);
  for (int k = 0; k < npoints; k++) fd_check(&p, points[k][0], points[k][1]);
}
