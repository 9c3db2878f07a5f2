@q 01-landscape.w -- Chapter 1: the landscape and plain SGD @>
@* The landscape and plain SGD.
\chaptervalues{01-landscape}%
\opener{01-landscape-batch}{How large may a step downhill be, and what does a mini-batch of the data cost the step? Below: softmax regression on Fashion-MNIST at five batch sizes, on one budget of examples.}
A network learns by adjusting numbers.  Collect all of them---every weight
and every bias---into one long vector $\theta$, and measure how badly the
network does on its training data by one number, the {\it loss\/}
$L(\theta)$.  Training is a walk on the graph of $L$, a landscape over a
space of thousands or billions of dimensions, in search of low ground.
Nobody sees that landscape.  Standing at one point we can compute the
height $L(\theta)$ and the slope $\nabla L(\theta)$, and nothing else; the
oldest rule for walking downhill is to step against the slope,
$$\theta_{t+1}=\theta_t-\eta\,\nabla L(\theta_t).$$
This is {\it gradient descent}, and $\eta>0$ is the {\it learning rate\/} or
@^learning rate@>
step size.  Every optimizer in this book is a variation on this one line:
momentum (Chapter~2) remembers earlier steps, Adam (Chapter~3) rescales
each coordinate, a schedule (Chapter~4) changes $\eta$ as training goes on.

This chapter asks three questions about the plain rule.  How large may the
step be?  What does the shape of the landscape do to the walk?  And what
changes when the slope is not computed exactly, but estimated from a small
random batch of the data, as every real training run does?  Each answer
is a claim that the tutorials repeat; each is measured here, and the text
says whether it held.

@ The chapter is a program, \.{build/bin/01-landscape}, and everything this
chapter quotes was printed by it when the book was built.  It runs four
experiments: the {\it stability\/} of gradient descent on an
ill-conditioned quadratic; descent {\it paths\/} drawn on the contour maps
of three surfaces; the {\it variance\/} of mini-batch gradients on
@^mini-batch@>
Fashion-MNIST; and training with several {\it batch\/} sizes on a fixed
budget of examples.  Like every chapter's program it is a table of
experiments that the toolkit's harness (Appendix~A) runs in order, and it
shares their command line: \.{--only} runs one experiment by its name,
\.{--seed}, \.{--out} and \.{--data} say where the randomness, the tables
and the images come from, and \.{--quick} makes every run tiny, for the
tests.  It prints its results as tables, writes them as tab-separated
files into the \.{--out} directory, and writes the numbers that the text
quotes into \.{values.tex} there.  The same seed gives the same bytes in
every file and on the standard output (but for the run's time, which
\.{values.tex} quotes).  The whole run took
\val{runSeconds}~s on \val{runThreads} threads when this copy of the book
was built.
@c
#include "descent.h"
@<Landscape: types@>@;
@<Landscape: functions@>@;
@<Landscape: the size check@>@;
static const struct experiment experiments[] = {@/
  @[{"stability", stability_experiment, false}@],@/
  @[{"paths", paths_experiment, false}@],@/
  @[{"variance", variance_experiment, true}@],@/
  @[{"batch", batch_experiment, true}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"01-landscape",@/
  "The experiments of chapter 1 of Descent: gradient descent on\n"@/
  "two-dimensional landscapes, mini-batch gradients on Fashion-MNIST.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@*1 The stability limit.
The simplest landscape that shows what can go wrong is a valley with
steep walls and a nearly flat floor, the {\it ravine\/}
$$f(x,y)={\textstyle{1\over2}}(a x^2+b y^2),\qquad a=20,\quad b=1,$$
whose minimum is the origin.  It is not a toy.  Near any minimum
$\theta^*$ a smooth loss looks like a quadratic,
$L(\theta^*+\delta)\approx L(\theta^*)+{1\over2}\delta^T H\delta$, where
$H$ is the Hessian, the matrix of second derivatives; rotate the axes to
@^Hessian@>
the eigenvectors of $H$ and the quadratic becomes a sum
${1\over2}\sum_i\lambda_i\delta_i^2$, a ravine in as many dimensions as
there are parameters.  What gradient descent does on the ravine, it does,
approximately, near every minimum of every smooth loss where the Hessian
is positive definite.

On the ravine the gradient is $(ax,\,by)$, and one step multiplies each
coordinate by its own factor:
$$x_{t+1}=(1-\eta a)\,x_t,\qquad y_{t+1}=(1-\eta b)\,y_t.$$
In the general quadratic the same holds for each eigen-coordinate, with
factor $1-\eta\lambda_i$.  A coordinate shrinks if and only if
$\vert1-\eta\lambda_i\vert<1$, that is $0<\eta<2/\lambda_i$, and all of
them shrink if and only if
$$\eta<{2\over\lambda_{\max}}.$$
For the ravine $\lambda_{\max}=a=20$, so the limit is $\eta<\val{LSlimit}$.
Between $1/\lambda_{\max}$ and $2/\lambda_{\max}$ the factor $1-\eta a$ is
negative: $x$ changes sign at every step, and the path zig-zags across
the ravine while it still converges.  Above the limit the zig-zag grows
by $\vert1-\eta a\vert$ per step and the loss by its square.

@ The limit is set by the steepest direction; the time to converge, by the
slower of the two factors,
$\rho(\eta)=\max(\vert1-\eta a\vert,\vert1-\eta b\vert)$.  It is smallest
where the two are equal, at $\eta^*=2/(a+b)$, and there
$$\rho^*={a-b\over a+b}={\kappa-1\over\kappa+1},\qquad \kappa={a\over b}.$$
The ratio $\kappa=\lambda_{\max}/\lambda_{\min}$ is the {\it condition
number}.  Starting from $(1,1)$, both coordinates are below a tolerance
$\epsilon$ after $\lceil\ln\epsilon/\ln\rho\rceil$ steps, and since
$\ln\bigl((\kappa+1)/(\kappa-1)\bigr)\approx2/\kappa$ for large $\kappa$,
even the best fixed step needs about ${\kappa\over2}\ln(1/\epsilon)$ steps:
the work of gradient descent grows in proportion to the condition number.
@^condition number@>
Here $\kappa=\val{LSkappa}$, $\eta^*=\val{LSetaBest}$, $\rho^*=\val{LSrateBest}$.
Chapter~2 shows how momentum brings $\kappa$ down to $\sqrt\kappa$.

@ The experiment runs gradient descent on the ravine from $(1,1)$ with
several step sizes around the limit.  It records the loss at each of the
first |stab_plot_steps| steps, for the figure; the rate of growth or decay
in the last of those steps, $\sqrt{f_t/f_{t-1}}$, to compare with
$\rho(\eta)$; and the number of steps until both coordinates are within
|stab_tol| of the minimum, to compare with $\lceil\ln\epsilon/\ln\rho\rceil$.
The list contains $\eta^*$ and the limit itself.  The theory's counts
assume the start |ravine_start|${}=(1,1)$.
@d ravine_a 20.0
@d ravine_b 1.0
@d stab_tol 1e-6
@d stab_plot_steps 100
@d stab_max_steps 100000
@d n_eta (sizeof stab_eta / sizeof stab_eta[0])
@<Landscape: functions@>=
static const double stab_eta[] = {0.02, 0.05, 0.09,
  2.0 / (ravine_a + ravine_b), 0.099, 0.1, 0.101, 0.11};
static const double ravine_start[2] = {1.0, 1.0};
@<Landscape: the stability experiment's helpers@>@;
static void stability_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  struct problem p = problem_ravine(ravine_a, ravine_b);
  double rate[n_eta];
  @<Landscape: run every step size for |stab_plot_steps| steps, writing the losses@>@;
  @<Landscape: compare rates and steps to tolerance with the theory@>@;
}

@ One step of gradient descent on a two-dimensional problem, in double
precision: the landscapes of this chapter are exact, and only the data
experiments below are in |float|.  The function returns the loss at the
point it started from.
@<Landscape: the gradient-descent step@>=
double gd_step(const struct problem *p, double eta, double th[2])
{
  double g[2];
  double f = problem_eval(p, th, g);
  @q solution gd_step: (void)eta; @>
  th[0] -= eta * g[0];
  th[1] -= eta * g[1];
  @q end solution @>
  return f;
}

@ The step, and two measurements of the variance part below, are the
chapter's contribution to the library, in a file of their own, so that
the tests (\.{tests/test\_landscape.c}) can check them against the
formulas of the text and a course can make them exercises.
@(descent-landscape.h@>=
#ifndef DESCENT_LANDSCAPE_H
#define DESCENT_LANDSCAPE_H
#include <stddef.h>
struct problem;
double gd_step(const struct problem *p, double eta, double th[2]);
double sq_deviation(const double *sum, double B, const double *g, size_t n);
double var_theory(double sigma2, double B, double N);
#endif

@ The library's file.
@(landscape.c@>=
#include "descent.h"
@<Landscape: the gradient-descent step@>@;
@<Landscape: the variance measures@>@;

@ All step sizes advance together, one row of the table per step, one
column per step size; the columns are named by $\eta$.  The last two
losses of each run give its measured rate.
@<Landscape: run every step size for |stab_plot_steps|...@>=
char header[256] = "step";
for (size_t k = 0; k < n_eta; k++) {
  appendf(header, sizeof header, "\t%g", stab_eta[k]);
}
struct tsv *t = tsv_open(o->out, "stability-loss.tsv", header);
double th[n_eta][2], prev[n_eta], row[1 + n_eta] = {0};
for (size_t k = 0; k < n_eta; k++) { th[k][0] = ravine_start[0]; th[k][1] = ravine_start[1]; }
for (int s = 0; s <= stab_plot_steps; s++) {
  row[0] = s;
  for (size_t k = 0; k < n_eta; k++) {
    prev[k] = row[1 + k];
    row[1 + k] = gd_step(&p, stab_eta[k], th[k]);
  }
  tsv_row(t, 1 + n_eta, row);
}
tsv_close(t);
for (size_t k = 0; k < n_eta; k++) rate[k] = sqrt(row[1 + k] / prev[k]);

@ Steps to tolerance are counted by running again, up to
|stab_max_steps|; a run that has not arrived by then (or has overflowed to
infinity) counts as never, $-1$.  The theory's count for one coordinate
is $\lceil\ln\epsilon/\ln\vert1-\eta\lambda\vert\rceil$, one step when the
factor is exactly zero, and never when it is one or more.
@<Landscape: the stability experiment's helpers@>=
static long steps_to_tolerance(const struct problem *p, double eta)
{
  double th[2] = {ravine_start[0], ravine_start[1]};
  for (long t = 0; t <= stab_max_steps; t++) {
    if (fabs(th[0]) <= stab_tol && fabs(th[1]) <= stab_tol) return t;
    gd_step(p, eta, th);
  }
  return -1;
}
static long theory_steps(double factor)
{
  if (factor >= 1.0) return -1;
  if (factor == 0.0) return 1;
  return (long)ceil(log(stab_tol) / log(factor));
}

@ The table on the standard output and in \.{stability.tsv} has one row
per step size; \.{values.tex} gets the same rows as a \TeX\ table, and the
few numbers that the text quotes.
@<Landscape: compare rates and steps...@>=
struct tsv *table = tsv_open(o->out, "stability.tsv",
  "eta\tsharp\tflat\trate_theory\trate\tsteps_theory\tsteps");
char tab[2048] = "";
printf("== stability: f = (%g x^2 + %g y^2)/2 from (%g, %g)\n",
       ravine_a, ravine_b, ravine_start[0], ravine_start[1]);
printf("%9s %8s %8s %8s %8s %7s %7s\n", "eta", "sharp", "flat",
       "rate", "(meas.)", "steps", "(meas.)");
for (size_t k = 0; k < n_eta; k++) {
  @<Landscape: compute and print the row of step size |k|@>@;
}
tsv_close(table);
@<Landscape: quote the stability numbers@>@;

@ A count of $-1$ prints as a dash.
@<Landscape: compute and print the row of step size |k|@>=
double eta = stab_eta[k];
double sharp = fabs(1.0 - eta * ravine_a), flat = fabs(1.0 - eta * ravine_b);
double rho = sharp > flat ? sharp : flat;
long ts = theory_steps(rho), ms = steps_to_tolerance(&p, eta);
tsv_row(table, 7, (double[7])@[{eta, sharp, flat, rho, rate[k], (double)ts, (double)ms}@]);
printf("%9.4g %8.4f %8.4f %8.4f %8.4f %7ld %7ld\n", eta, sharp, flat,
       rho, rate[k], ts, ms);
char a[24] = "---", b[24] = "---";
if (ts >= 0) snprintf(a, sizeof a, "%ld", ts);
if (ms >= 0) snprintf(b, sizeof b, "%ld", ms);
appendf(tab, sizeof tab, "%.4g&%.4f&%.4f&%.4f&%.4f&%s&%s\\cr\n",
         eta, sharp, flat, rho, rate[k], a, b);

@ The quoted numbers are looked up by step size.  The limit, $\kappa$,
$\eta^*$ and $\rho^*$ come from the formulas; the rest from the runs.
@<Landscape: quote the stability numbers@>=
values_put(v, "LSstabTable", "%s", tab);
values_put(v, "LSlimit", "%g", 2.0 / ravine_a);
values_put(v, "LSkappa", "%g", ravine_a / ravine_b);
values_put(v, "LSetaBest", "%.4f", 2.0 / (ravine_a + ravine_b));
values_put(v, "LSrateBest", "%.4f", (ravine_a - ravine_b) / (ravine_a + ravine_b));
values_put(v, "LSstepsBest", "%ld", steps_to_tolerance(&p, stab_eta[3]));
values_put(v, "LSstepsSmall", "%ld", steps_to_tolerance(&p, stab_eta[1]));
values_put(v, "LSstepsNear", "%ld", steps_to_tolerance(&p, stab_eta[4]));
values_put(v, "LSgrowthA", "%.4f", rate[6]);
values_put(v, "LSgrowthB", "%.4f", rate[7]);
values_put(v, "LSdoubling", "%.1f", log(2.0) / (2.0 * log(rate[6])));
printf("(sharp, flat: |1 - eta a|, |1 - eta b|; steps to %g)\n", stab_tol);
printf("limit 2/a = %g, best eta 2/(a+b) = %.4f\n\n", 2.0 / ravine_a,
       2.0 / (ravine_a + ravine_b));

@ The results are in Table~\tableref{01-stability}, and in
Figure~\figref{01-landscape-stability}.
\booktable{01-stability}{Gradient descent on the ravine
$f={1\over2}(20x^2+y^2)$ from $(1,1)$ at eight step sizes: the factors
per step of the steep and the flat direction, their larger $\rho(\eta)$
and the measured rate, and the steps until both coordinates are within
$10^{-6}$ of the minimum, by the theory and measured.  A dash: never.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\cr
$\eta$&$\vert1-\eta a\vert$&$\vert1-\eta b\vert$&$\rho(\eta)$&measured
  &steps, theory&measured\cr
\noalign{\smallskip\hrule\smallskip}
\LSstabTable}}}
\noindent
The claim held exactly, as it must on a quadratic: on the ravine the
table checks the code against the algebra, not the algebra against the
world.  (A loss that is not a quadratic, softmax regression, tries the
limit at the end of the chapter.)  Just above the limit
the loss grows: at $\eta=0.101$, one percent too large, the measured
factor per step is \val{LSgrowthA}, the theory's $\vert1-\eta a\vert=1.02$,
and the loss doubles every \val{LSdoubling} steps; at $\eta=0.11$ the
factor is \val{LSgrowthB}.  Exactly at the limit the steep coordinate
flips between $+1$ and $-1$ forever and the loss settles at 10.  Below the
limit every run converges, and the measured step counts equal the
predicted ones.  The cost of the flat direction shows in the last column:
at $\eta=0.05$ the steep coordinate is solved in one step (its factor is
zero) and the flat one still takes \val{LSstepsSmall} steps; at
$\eta=0.099$, just under the limit, the flat direction is nearly as fast as it
can be made and the zig-zag across the ravine, with factor $0.98$, takes
\val{LSstepsNear}; the balanced step $\eta^*$ needs \val{LSstepsBest}.
No step size does better than about $\kappa/2\cdot\ln(1/\epsilon)$.

\bookfigure{01-landscape-stability}{Gradient descent on the ravine
$f={1\over2}(20x^2+y^2)$ from $(1,1)$, loss against step for six step sizes
around the limit $2/\lambda_{\max}=0.1$.  Below the limit the loss falls
(slowly at $0.099$, where the zig-zag decays by $0.98$ per step); at the
limit it levels off at 10; above it, it grows geometrically.}

@*1 Paths on contour maps.
A two-dimensional landscape can be drawn, as a map with contour lines, and
a run of gradient descent drawn on it as a path.  The pictures are worth
making because they show what the numbers above only imply: the step is
always perpendicular to the contour through the current point, which in
a ravine is nearly perpendicular to the direction in which the minimum
lies.  The program writes each landscape as a table of $f$ on a grid of
|grid_n| by |grid_n| points, and gnuplot draws the contours; it writes
each path as a table of its points.

The grid is written one row of constant $x$ at a time, each followed by a
blank line: that is the layout gnuplot expects of a surface.
@d grid_n 81
@<Landscape: functions@>=
static void write_grid(const char *dir, const char *name,
  const struct problem *p, const double lo[2], const double hi[2])
{
  struct tsv *t = tsv_open(dir, name, "x\ty\tf");
  for (int i = 0; i < grid_n; i++) {
    for (int j = 0; j < grid_n; j++) {
      double th[2] = {lo[0] + (hi[0] - lo[0]) * i / (grid_n - 1),
                      lo[1] + (hi[1] - lo[1]) * j / (grid_n - 1)};
      tsv_row(t, 3, (double[3])@[{th[0], th[1], problem_eval(p, th, NULL)}@]);
    }
    tsv_printf(t, "\n");
  }
  tsv_close(t);
}

@ A path is followed until the loss drops to |f_stop| or |max_steps| steps
have been taken.  When |name| is not null the points go to a table with
columns \.{step}, \.{x}, \.{y}, \.{f}: every point of the first
|path_early| steps, then every |every|-th, and the last.  A long path is
thinned this way so that the figure stays small; the early steps, where
the path turns, are all kept.
@d path_early 100
@<Landscape: types@>=
struct path_end { long steps; double th[2], f; };

@ |descend| runs gradient descent on |p| from |start| with step |eta| and writes the path as a table.
@<Landscape: functions@>=
static struct path_end descend(const struct problem *p, double eta,
  const double start[2], long max_steps, double f_stop,
  const char *dir, const char *name, long every)
{
  struct tsv *t = name ? tsv_open(dir, name, "step\tx\ty\tf") : NULL;
  struct path_end e = @[{0, {start[0], start[1]}, 0.0}@];
  for (;; e.steps++) {
    e.f = problem_eval(p, e.th, NULL);
    bool done = e.f <= f_stop || e.steps == max_steps || !isfinite(e.f);
    if (t && (e.steps < path_early || e.steps % every == 0 || done))
      tsv_row(t, 4, (double[4])@[{(double)e.steps, e.th[0], e.th[1], e.f}@]);
    if (done) break;
    gd_step(p, eta, e.th);
  }
  if (t) tsv_close(t);
  return e;
}

@ The experiment draws three landscapes, each with its own lesson.
@<Landscape: functions@>=
@<Landscape: the eigenvalues of Rosenbrock's Hessian@>@;
static void paths_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  printf("== paths: gradient descent on three landscapes\n");
  @<Landscape: draw the ravine with a zig-zag path and a smooth one@>@;
  @<Landscape: draw Rosenbrock's valley and the path along it@>@;
  @<Landscape: draw the saddle and paths that start near it@>@;
  printf("\n");
}

@ On the ravine, two step sizes below the limit: $\eta=0.095$, above
$1/a$, where the steep factor $1-\eta a=-0.9$ is negative, and
$\eta=0.03$, where it is $+0.4$.  Both run |ravine_path_steps| steps from
$(1,1)$.
@d ravine_path_steps 40
@<Landscape: draw the ravine with a zig-zag...@>=
struct problem rav = problem_ravine(ravine_a, ravine_b);
const double rav_lo[2] = {-1.2, -0.3}, rav_hi[2] = {1.2, 1.2}, one[2] = {1.0, 1.0};
write_grid(o->out, "ravine-grid.tsv", &rav, rav_lo, rav_hi);
struct path_end zig = descend(&rav, 0.095, one, ravine_path_steps, -1.0,
  o->out, "ravine-zigzag.tsv", 1);
struct path_end smooth = descend(&rav, 0.03, one, ravine_path_steps, -1.0,
  o->out, "ravine-smooth.tsv", 1);
printf("ravine, eta 0.095, %ld steps: at (%.4f, %.4f)\n", zig.steps,
       zig.th[0], zig.th[1]);
printf("ravine, eta 0.03, %ld steps: at (%.4f, %.4f)\n", smooth.steps,
       smooth.th[0], smooth.th[1]);
values_put(v, "LSzigY", "%.3f", zig.th[1]);
values_put(v, "LSsmoothY", "%.3f", smooth.th[1]);

@ Figure~\figref{01-landscape-ravine} shows the two paths on the map.
\bookfigure{01-landscape-ravine}{The ravine ${1\over2}(20x^2+y^2)$, drawn
to scale (grey contours, labelled with the loss on their left), with 40
steps of gradient descent from $(1,1)$.  With
$\eta=0.095$ each step overshoots the floor of the ravine and the path
zig-zags; with $\eta=0.03$ it slides down the wall without crossing, then
crawls along the floor.}
The zig-zag in Figure~\figref{01-landscape-ravine} looks wasteful and is not: the
flat coordinate $y$ shrinks by $1-\eta b$ per step regardless of what $x$
does, so the larger step, zig-zag and all, ends \val{LSzigY} from the
minimum along the floor after 40 steps, while the smooth path is still at
$y=\val{LSsmoothY}$.  The lesson generalizes.  On an ill-conditioned
surface the step size is pinned by the steepest direction, and all the
other directions move at whatever speed that step allows them; a path that
looks tidy is often one that has given up speed in the direction that
matters.

@ The Rosenbrock function $f=(a-x)^2+b(y-x^2)^2$ with $a=1$, $b=100$ has its
minimum at $(1,1)$, at the end of a long valley along the parabola
$y=x^2$.  Its walls are steep and its floor nearly flat, like the ravine,
but the floor curves, so that no fixed rotation of the axes separates the
steep direction from the flat one.  At the minimum the Hessian is
$$H=\pmatrix{2+8ba^2&-4ba\cr -4ba&2b\cr}=\pmatrix{802&-400\cr-400&200\cr},$$
whose eigenvalues the program computes; their ratio is the local
condition number.
@<Landscape: the eigenvalues of Rosenbrock's Hessian@>=
static void rosenbrock_curvature(double a, double b, double lambda[2])
@^curvature@>
{
  double h11 = 2.0 + 8.0 * b * a * a, h12 = -4.0 * b * a, h22 = 2.0 * b;
  double mid = 0.5 * (h11 + h22);
  double r = sqrt(0.25 * (h11 - h22) * (h11 - h22) + h12 * h12);
  lambda[0] = mid + r;
  lambda[1] = mid - r;
}

@ The path starts from the classical point $(-1.2,1)$ with $\eta=0.001$,
half the limit at the minimum, and runs until $f\le10^{-8}$.  The table
keeps every 100th point; the figure labels a few of them with their step
number, to show where the time goes.
@d rb_eta 0.001
@<Landscape: draw Rosenbrock's valley...@>=
struct problem rb = problem_rosenbrock(1.0, 100.0);
const double rb_lo[2] = {-1.5, -0.5}, rb_hi[2] = {1.5, 1.5}, rb_start[2] = {-1.2, 1.0};
double lam[2];
rosenbrock_curvature(rb.a, rb.b, lam);
write_grid(o->out, "rosenbrock-grid.tsv", &rb, rb_lo, rb_hi);
struct path_end early = descend(&rb, rb_eta, rb_start, 100, -1.0, NULL, NULL, 1);
@<Landscape: measure the distance to the minimum after 1000, 3000 and 10000 steps@>@;
struct path_end rbe = descend(&rb, rb_eta, rb_start, 1000000, 1e-8,
  o->out, "rosenbrock-path.tsv", 100);
@<Landscape: report the Rosenbrock path@>@;

@ Where the time goes is measured by three more runs, cut short.
@<Landscape: measure the distance to the minimum...@>=
double dist[3];
static const long rb_check[3] = {1000, 3000, 10000};
for (int k = 0; k < 3; k++) {
  struct path_end e = descend(&rb, rb_eta, rb_start, rb_check[k], -1.0, NULL, NULL, 1);
  dist[k] = hypot(e.th[0] - rb.xmin[0], e.th[1] - rb.xmin[1]);
}

@ The Rosenbrock report gives the Hessian's eigenvalues at the minimum, hence $\kappa$ and the stability limit, then what the run achieved.
@<Landscape: report the Rosenbrock path@>=
printf("rosenbrock: Hessian at the minimum: lambda %.1f and %.4f\n",
       lam[0], lam[1]);
printf("rosenbrock: kappa %.0f, limit 2/lambda_max %.6f\n",
       lam[0] / lam[1], 2.0 / lam[0]);
printf("rosenbrock, eta %g: f = %.3f after 100 steps\n", rb_eta, early.f);
printf("rosenbrock, eta %g: f <= 1e-8 after %ld steps\n", rb_eta, rbe.steps);
for (int k = 0; k < 3; k++)
  printf("rosenbrock: %ld steps, distance to the minimum %.4f\n", rb_check[k],
         dist[k]);
values_put(v, "LSrbLambda", "%.1f", lam[0]);
values_put(v, "LSrbLambdaMin", "%.3f", lam[1]);
values_put(v, "LSrbKappa", "%.0f", lam[0] / lam[1]);
values_put(v, "LSrbLimit", "%.6f", 2.0 / lam[0]);
values_put(v, "LSrbEarly", "%.2f", early.f);
values_put(v, "LSrbSteps", "%ld", rbe.steps);
values_put(v, "LSrbDistA", "%.2f", dist[0]);
values_put(v, "LSrbDistB", "%.2f", dist[1]);
values_put(v, "LSrbDistC", "%.3f", dist[2]);
values_put(v, "LSrbRest", "%ld", rbe.steps - rb_check[2]);
values_put(v, "LSrbEfold", "%.0f", 1.0 / (rb_eta * lam[1]));

@ Figure~\figref{01-landscape-rosenbrock} shows the path on the map.
\bookfigure{01-landscape-rosenbrock}{Rosenbrock's function
$(1-x)^2+100(y-x^2)^2$, contours at $f=0.03,0.1,0.3,\ldots,300$, and
gradient descent with $\eta=0.001$ from $(-1.2,1)$; the dots are labelled
with the number of steps taken to reach them.}
The Hessian at the minimum has eigenvalues \val{LSrbLambda} and
\val{LSrbLambdaMin}: condition number \val{LSrbKappa}, stability limit
@^stability limit@>
$\eta<\val{LSrbLimit}$.  With a condition number in the thousands the
ravine's analysis predicts thousands of steps, and that is what happens
(Figure~\figref{01-landscape-rosenbrock}).  The first hundred steps drop the
point from $f=24.2$ down the wall onto the valley floor, where
$f=\val{LSrbEarly}$; the descent along the floor, to $f\le10^{-8}$, takes
\val{LSrbSteps} steps in all.  The time goes where the floor is flattest,
near the minimum.  The distance to the minimum is \val{LSrbDistA} after
1000 steps, \val{LSrbDistB} after 3000 and \val{LSrbDistC} after 10\,000,
and the remaining \val{LSrbRest} steps are spent on that last
\val{LSrbDistC}.  Near the minimum the quadratic analysis applies: the
flat direction contracts by $1-\eta\lambda_{\min}$ per step, so each
factor of $e$ costs $1/(\eta\lambda_{\min})\approx\val{LSrbEfold}$ steps.

@ The third landscape is the {\it saddle\/} $f={1\over2}(x^2-y^2)$.  The
origin is a stationary point, $\nabla f=0$, but not a minimum: along $y$
the surface falls away.  Gradient descent multiplies $x$ by $1-\eta$ and
$y$ by $1+\eta$, so from a start $(1,y_0)$ the path first runs toward the
saddle along $x$, and leaves it along $y$ only as fast as $y_0(1+\eta)^t$
@^saddle point@>
grows: it needs $\lceil\ln(1/y_0)/\ln(1+\eta)\rceil$ steps to reach
$\vert y\vert=1$, a time that grows without bound as the start
approaches the line $y=0$.  From exactly $y_0=0$ it never leaves: it
converges to the saddle, and a gradient of zero cannot tell it that it
is not at a minimum.  The program runs $\eta=0.1$ from four starting
heights and counts the steps until $f\le-{1\over2}$, that is until
$y^2\ge1+x^2$.
@d saddle_eta 0.1
@<Landscape: draw the saddle and paths...@>=
struct problem sad = problem_saddle(1.0, 1.0);
const double sad_lo[2] = {-1.2, -1.2}, sad_hi[2] = {1.2, 1.2};
write_grid(o->out, "saddle-grid.tsv", &sad, sad_lo, sad_hi);
static const int y0_exp[] = {2, 5, 10};
for (int k = 0; k < 3; k++) {
  @<Landscape: start at a small height $y_0$ and count the steps to escape@>@;
}
@<Landscape: start on the line $y=0$ and converge to the saddle@>@;

@ The heights are $10^{-2}$, $10^{-5}$ and $10^{-10}$, each path in its own
table.
@<Landscape: start at a small height...@>=
char name[32];
snprintf(name, sizeof name, "saddle-%d.tsv", y0_exp[k]);
double y0 = pow(10.0, -y0_exp[k]), start[2] = {1.0, y0};
struct path_end e = descend(&sad, saddle_eta, start, 10000, -0.5, o->out, name, 1);
long theory = y0 > 0.0 ? (long)ceil(log(1.0 / y0) / log(1.0 + saddle_eta)) : -1;
printf("saddle, eta %g, y0 1e-%d: escaped after %ld steps (theory %ld)\n",
       saddle_eta, y0_exp[k], e.steps, theory);
static const char *const which[] = {"LSsadTwo", "LSsadFive", "LSsadTen"};
values_put(v, which[k], "%ld", e.steps);

@ From $y_0=0$ the path is followed for 1000 steps; its end point is
quoted in the form $m\times10^e$.
@<Landscape: start on the line $y=0$...@>=
struct path_end z = descend(&sad, saddle_eta, (const double[2])@[{1.0, 0.0}@],
  1000, -0.5, o->out, "saddle-0.tsv", 50);
printf("saddle, eta %g, y0 0: after %ld steps at (%.3g, %g)\n",
       saddle_eta, z.steps, z.th[0], z.th[1]);
values_sci(v, "LSsadZero", z.th[0]);

@ Figure~\figref{01-landscape-saddle} shows the paths, and how long each
stays near the saddle.
\bookfigure{01-landscape-saddle}{Left: the saddle ${1\over2}(x^2-y^2)$ and
gradient descent with $\eta=0.1$ from $(1,y_0)$, one dot per step; the
three paths overlap.  Right: the same runs, $\vert y_t\vert$ against the
step $t$, and $x_t$ in grey.  The paths leave the saddle when $\vert y_t\vert$ reaches 1; a
start closer to the line $y=0$ only delays them.}
From $y_0=10^{-2}$, $10^{-5}$ and $10^{-10}$ the paths escape after
\val{LSsadTwo}, \val{LSsadFive} and \val{LSsadTen} steps, exactly the
predicted counts: each factor of $10^{-5}$ in the starting height costs
$\ln(10^5)/\ln1.1\approx121$ more steps.  From $y_0=0$ gradient descent is
still sitting at the saddle after 1000 steps, at
$x=\val{LSsadZero}$, where the gradient is just as small: there is
nothing left to push it away.  In
Figure~\figref{01-landscape-saddle} the dots pile up at the saddle point.

Whether saddles matter for real networks is an open question with a
measured side.  In high dimensions a stationary point with even one
negative curvature direction is a saddle, and Dauphin et~al.\ (2014)
argued, from measurements on small networks and from random-matrix
models, that saddles rather than bad local minima are what slow training
down.  The escape time we just measured grows only like $\ln(1/y_0)$,
and the noise of stochastic gradients (next part) pushes $y_0$ away from
zero; plain SGD is not known to get stuck at saddles in practice, and
perturbed variants provably escape them (Jin et~al., 2017).

@*1 Stochastic gradients.
The loss of a network is an average over its $N$ training examples,
$L(\theta)={1\over N}\sum_{i=1}^N\ell_i(\theta)$, and so is its gradient,
$g=\nabla L={1\over N}\sum_i\nabla\ell_i$.  Computing $g$ exactly costs a
pass over the whole training set, 60\,000 images for Fashion-MNIST, for a
single step.  Stochastic gradient descent (SGD) takes the step with an
estimate instead: draw a {\it mini-batch\/} $S$ of $B$ examples, and use
$$g_B={1\over B}\sum_{i\in S}\nabla\ell_i.$$
In practice $S$ is drawn {\it without replacement\/}: the data are
shuffled once per epoch and cut into consecutive batches, so that within
one batch no example appears twice.  Any fixed set of $B$ positions in a
uniformly random permutation is a uniformly random $B$-subset, which is
all the following needs.

The estimate is {\it unbiased}.  Example $i$ belongs to $S$ with
probability $B/N$, so ${\bf E}\,g_B={1\over B}\cdot{B\over N}\sum_i\nabla
\ell_i=g$.  Its error has a size that can be computed exactly.  Write
$d_i=\nabla\ell_i-g$ for the deviation of example $i$, so that
$\sum_id_i=0$, and
$$\sigma^2={1\over N}\sum_i\Vert d_i\Vert^2$$
for the spread of the per-example gradients (the trace of their covariance).

@ Let $z_i$ be 1 when $i\in S$ and 0 otherwise; then
$g_B-g={1\over B}\sum_iz_id_i$ and
$${\bf E}\Vert g_B-g\Vert^2={1\over B^2}\sum_{i,j}{\bf E}[z_iz_j]\;
  d_i\cdot d_j.$$
Without replacement ${\bf E}[z_i^2]=B/N$ and, for $i\ne j$,
${\bf E}[z_iz_j]={B\over N}{B-1\over N-1}$.  The off-diagonal sum is
$\sum_{i\ne j}d_i\cdot d_j=\Vert\sum_id_i\Vert^2-\sum_i\Vert d_i\Vert^2
=-N\sigma^2$, and collecting terms,
$${\bf E}\Vert g_B-g\Vert^2={\sigma^2\over B}\cdot{N-B\over N-1}.$$
The first factor is the famous one: the variance of the mini-batch
@^gradient noise@>
gradient falls as $1/B$, its typical error as $1/\sqrt B$, so that
halving the noise costs four times the examples.  The second factor is
the {\it finite-population correction}.  It is close to 1 while
$B\ll N$ and falls to 0 at $B=N$, where the batch is the whole training set and
$g_B=g$ exactly.  (Drawing with replacement gives $\sigma^2/B$ with no
correction.)  A batch of $N-m$ examples is the whole set minus $m$, and
its error is the error of the $m$ left out, scaled down by $m/(N-m)$:
near $B=N$ the variance plunges far below $\sigma^2/B$.  On a log-log plot
the claim is a line of slope $-1$ that bends down near $B=N$.

@ To measure it we need a model, a point $\theta$ at which to measure, and
a way of drawing many batches of every size cheaply.  The model is
softmax regression, the simplest network there is: one linear layer from
@^softmax regression@>
the $784$ pixels to the 10 classes, followed by the softmax and the
cross-entropy loss, \.{libdescent}'s |mlp| with sizes $\{784,10\}$
@^cross-entropy@>
and 7850 parameters.  The point is reached by |pre_steps| steps of SGD from
the library's initialization, so that the model is part-way trained and its
gradients are typical of training rather than of a random start.

The |ls_plan| structure holds the sizes of the data experiments; the
\.{--quick} run is the same program on a smaller plan.
@<Landscape: types@>=
struct ls_plan {
  size_t var_n;        /* the population $N$ of the variance experiment */
  int var_passes;      /* shuffled passes over it */
  int pre_steps;       /* SGD steps before the gradients are measured */
  size_t budget;       /* examples that each batch-size run may see */
  size_t n_batch;      /* how many of |batch_sizes| to run */
  size_t test_n;       /* test images used for evaluation */
  size_t curv_n;       /* training images for the curvature estimate */
  int curv_iters;      /* power iterations for it */
};
static const struct ls_plan full_plan = @[{60000, 8, 200, 131072, 5, 10000, 4096, 12}@];
static const struct ls_plan quick_plan = @[{3000, 2, 50, 4096, 3, 1000, 1024, 6}@];
static const struct ls_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }

@ The data experiments need the plan's images: the variance experiment
its population $N$ and the curvature estimate's images, the batch
experiment the images of its curvature estimate, at least one batch of
the largest size, and the test images it scores.  The harness calls this
check before anything is written.
@<Landscape: the size check@>=
static void check_sizes(const struct chapter *ch)
{
  const struct ls_plan *pl = plan_of(ch);
  chapter_need(ch, "variance", pl->var_n, 0);
  size_t big = batch_sizes[pl->n_batch - 1];
  chapter_need(ch, "batch", pl->curv_n > big ? pl->curv_n : big, pl->test_n);
}

@ The model is built, and copied for each thread that needs its own, by
two short functions.
@<Landscape: functions@>=
static struct mlp *softmax_model(const struct dataset *d, struct rng *r)
{
  const size_t sizes[2] = {d->dim, d->classes};
  struct mlp *m = mlp_new(1, sizes);
  mlp_init(m, r);
  return m;
}
static struct mlp *model_clone(const struct mlp *m0)
{
  struct mlp *m = mlp_new(m0->nlayers, m0->sizes);
  vec_copy(m->params, m0->params, m->nparams);
  return m;
}

@ One step of mini-batch SGD, as every training loop in this book takes
it: the sampler hands out the next $B$ indices of the current shuffled
epoch, the batch is gathered, the loss and gradient are computed, and the
optimizer---the library's \.{sgd}, with PyTorch's semantics---updates the
parameters.  |xb| holds $B\times784$ pixels and |yb| $B$ labels.
@<Landscape: functions@>=
static double sgd_batch_step(struct mlp *m, struct optimizer *opt,
  struct sampler *s, const struct dataset *d, float *xb, uint8_t *yb)
{
  const uint32_t *idx = sampler_next(s);
  dataset_gather(d, idx, s->batch, xb, yb);
  double loss = mlp_loss_grad(m, xb, yb, s->batch);
  opt_step(opt, m->params, m->grads);
  return loss;
}

@ Pre-training uses batches of |pre_batch| examples and the rate |pre_eta|, drawn from
the first $N$ training images only, the population whose gradient is then
measured.
@d pre_batch 64
@d pre_eta 0.05
@<Landscape: functions@>=
static void pretrain(struct mlp *m, const struct dataset *d, size_t N,
  int steps, struct rng *r)
{
  struct opt_config c;
  opt_defaults("sgd", &c);
  c.lr = pre_eta;
  struct optimizer *opt = opt_new("sgd", m->nparams, &c);
  struct sampler s;
  sampler_init(&s, N, pre_batch, rng_u64(r));
  float *xb = vec_new(pre_batch * d->dim);
  uint8_t *yb = xmalloc(pre_batch);
  for (int t = 0; t < steps; t++) sgd_batch_step(m, opt, &s, d, xb, yb);
  vec_free(&xb); free(yb); sampler_free(&s); opt_free(&opt);
}

@ The full gradient $g$ is the mean of the per-example gradients.  The
library returns the mean over a batch, so the full gradient is assembled
from chunks of |grad_chunk| images, each weighted by its share of $N$.
The sum is kept in |double|: the deviations measured below are as small as
$10^{-4}$ of $\Vert g\Vert^2$, and a |float| sum of 60\,000 terms would
bury them in rounding.  When |loss| is not null it receives $L(\theta)$.
@d grad_chunk 1000
@<Landscape: functions@>=
static double *full_gradient(struct mlp *m, const struct dataset *d, size_t N,
  double *loss)
{
  size_t n = m->nparams;
  double *g = xcalloc(n, sizeof(double)), total = 0.0;
  for (size_t s = 0; s < N; s += grad_chunk) {
    size_t b = N - s < grad_chunk ? N - s : grad_chunk;
    total += b * mlp_loss_grad(m, d->x + s * d->dim, d->y + s, b);
    for (size_t j = 0; j < n; j++) g[j] += (double)m->grads[j] * b;
  }
  for (size_t j = 0; j < n; j++) g[j] /= (double)N;
  if (loss) *loss = total / N;
  return g;
}

@ Now the batches.  Drawing a fresh batch for every measurement would cost
$B$ gradient evaluations per value of $\Vert g_B-g\Vert^2$, far too many at
large $B$.  Instead each {\it pass\/} shuffles the $N$ examples once and
computes their gradients one at a time in that order.  For every $B=2^k$
at once, the consecutive blocks of $B$ positions are disjoint batches of
exactly the kind a shuffled epoch produces, $\lfloor N/B\rfloor$ of them
per pass.  The block sums are kept like the digits of a binary counter:
|acc| holds one running sum per level $k$; each example's gradient is
added to level~0; whenever the count |c| of examples is a multiple of
$2^k$, the block at level $k$ is complete, so its squared deviation
$\Vert\hbox{sum}/2^k-g\Vert^2$ is recorded and the sum is carried into
level $k+1$.  The top level, one above the largest block, only collects.

The large batches near $B=N$ are not powers of two.  For them the pass
uses its first $B$ examples, whose sum at that moment is the total of all
the levels; each pass gives one such batch of each size.
@<Landscape: types@>=
struct var_tally {
  int levels;          /* blocks of $2^0,\ldots,2^{\rm levels}$ examples */
  double dev[32];      /* summed $\Vert g_B-g\Vert^2$ per level */
  long count[32];      /* and the number of blocks */
  size_t large[3];     /* the sizes of the large batches */
  double large_dev[3]; /* their $\Vert g_B-g\Vert^2$ */
};

@ Closing a block records its squared deviation, carries its sum one level
up and clears it, all in one sweep over the $n$ parameters: the sweep, not
the arithmetic, is what costs time here.  |sq_deviation| is the same
measurement without the carry, for the large batches below.
@<Landscape: functions@>=
static double close_block(double *a, double *up, double B, const double *g,
  size_t n)
{
  double s = 0.0, inv = 1.0 / B;
  for (size_t j = 0; j < n; j++) {
    double d = a[j] * inv - g[j];
    s += d * d;
    up[j] += a[j];
    a[j] = 0.0;
  }
  return s;
}

@ |sq_deviation| is in the library.
@<Landscape: the variance measures@>=
double sq_deviation(const double *sum, double B, const double *g, size_t n)
{
  double s = 0.0, inv = 1.0 / B;
  @q solution sq_deviation: (void)sum; (void)inv; (void)g; (void)n; @>
  for (size_t j = 0; j < n; j++) {
    double d = sum[j] * inv - g[j];
    s += d * d;
  }
  @q end solution @>
  return s;
}

@ One pass works on its own copy of the model (|mlp_loss_grad| keeps the
activations inside the model, so two threads cannot share one) and on its
own tally; the passes run in parallel and are combined in a fixed order
afterwards, so the result does not depend on the number of threads.
@<Landscape: functions@>=
static void variance_pass(const struct mlp *m0, const struct dataset *d,
  size_t N, const double *g, uint64_t seed, struct var_tally *out)
{
  struct mlp *m = model_clone(m0);
  size_t n = m->nparams;
  int K = out->levels;
  double *acc = xcalloc((size_t)(K + 2) * n, sizeof(double));
  double *prefix = xcalloc(n, sizeof(double));
  uint32_t *perm = xmalloc(N * sizeof *perm);
  @<Landscape: shuffle the indices $0,\ldots,N-1$ into |perm|@>@;
  for (size_t c = 1; c <= N; c++) {
    uint32_t i = perm[c - 1];
    mlp_loss_grad(m, d->x + (size_t)i * d->dim, d->y + i, 1);
    @<Landscape: add the example to level 0 and close the blocks that end at |c|@>@;
    @<Landscape: if the first |c| examples are a large batch, record it@>@;
  }
  free(perm); free(prefix); free(acc); mlp_free(&m);
}

@ The pass visits the training set in an order fixed by the seed.
@<Landscape: shuffle the indices...@>=
struct rng r;
rng_seed(&r, seed, 0);
for (size_t i = 0; i < N; i++) perm[i] = (uint32_t)i;
rng_shuffle(&r, perm, N);

@ Each example's gradient is added into level~0; whenever the count |c| is a multiple of $2^k$, the finished block of level~$k$ is scored and carried into level~$k+1$, like the carries of a binary counter.
@<Landscape: add the example to level 0...@>=
for (size_t j = 0; j < n; j++) acc[j] += m->grads[j];
for (int k = 0; k <= K && c % ((size_t)1 << k) == 0; k++) {
  double *a = acc + (size_t)k * n;
  out->dev[k] += close_block(a, a + n, (double)((size_t)1 << k), g, n);
  out->count[k]++;
}

@ A few batch sizes that are not powers of two, close to $N$, are scored when the first |c| examples of the pass make up such a batch.
@<Landscape: if the first |c| examples are a large batch...@>=
for (int b = 0; b < 3; b++)
  if (c == out->large[b]) {
    for (size_t j = 0; j < n; j++) {
      prefix[j] = 0.0;
      for (int k = 0; k <= K + 1; k++) prefix[j] += acc[(size_t)k * n + j];
    }
    out->large_dev[b] += sq_deviation(prefix, (double)c, g, n);
  }

@ The experiment: build and pre-train the model, compute $g$, run the
passes, combine them, and report.  The largest power-of-two block is the
largest $2^K<N$; the large batches are $3/4$, $15/16$ and $63/64$ of $N$.
@<Landscape: functions@>=
@<Landscape: the variance experiment's report@>@;
static void variance_experiment(struct chapter *o)
{
  const struct ls_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  const struct dataset *train = o->train;
  size_t N = pl->var_n < train->n ? pl->var_n : train->n;
  struct rng r;
  rng_seed(&r, o->seed, 1);
  struct mlp *m = softmax_model(train, &r);
  pretrain(m, train, N, pl->pre_steps, &r);
  double loss;
  double *g = full_gradient(m, train, N, &loss);
  @<Landscape: run the passes in parallel and combine their tallies into |all|@>@;
  variance_report(o, v, N, loss, g, m->nparams, &all, pl->var_passes);
  free(g); mlp_free(&m);
}

@ Each pass gets a seed drawn in order before any runs, and its own tally.
@<Landscape: run the passes in parallel...@>=
int P = pl->var_passes, K = 0;
while (((size_t)2 << K) < N) K++;
struct var_tally all = @[{.levels = K, .large = {N * 3 / 4, N * 15 / 16, N * 63 / 64}}@];
struct var_tally *tally = xcalloc((size_t)P, sizeof *tally);
uint64_t *seeds = xmalloc((size_t)P * sizeof *seeds);
for (int p = 0; p < P; p++) { seeds[p] = rng_u64(&r); tally[p] = all; }
note("variance: %d passes over %zu examples, one gradient at a time", P, N);
#pragma omp parallel for schedule(dynamic, 1)
for (int p = 0; p < P; p++) variance_pass(m, train, N, g, seeds[p], &tally[p]);
for (int p = 0; p < P; p++) {
  for (int k = 0; k <= K; k++) { all.dev[k] += tally[p].dev[k]; all.count[k] += tally[p].count[k]; }
  for (int b = 0; b < 3; b++) all.large_dev[b] += tally[p].large_dev[b];
}
free(tally); free(seeds);

@ The report writes \.{variance.tsv} with, for each $B$, the number of
batches measured, the measured mean of $\Vert g_B-g\Vert^2$, the
prediction $(\sigma^2/B)(N-B)/(N-1)$ and the uncorrected $\sigma^2/B$.  The
spread $\sigma^2$ is the measurement at $B=1$: the mean of
$\Vert\nabla\ell_i-g\Vert^2$ over all $N$ examples, which every pass
computes exactly.  So the curve has no free parameter: its value at $B=1$
is measured, and the theory predicts every other point from it.
@<Landscape: the variance measures@>=
double var_theory(double sigma2, double B, double N)
{
  @q solution var_theory: (void)sigma2; (void)B; (void)N; return 0.0; @>
  return sigma2 / B * (N - B) / (N - 1.0);
  @q end solution @>
}

@ The report, from the library's |var_theory|.
@<Landscape: the variance experiment's report@>=
static void variance_report(const struct chapter *o, struct value_file *v,@/
  size_t N, double loss, const double *g, size_t n,
  const struct var_tally *all, int passes)
{
  double sigma2 = all->dev[0] / all->count[0];
  double gnorm2 = 0.0;
  for (size_t j = 0; j < n; j++) gnorm2 += g[j] * g[j];
  @<Landscape: write and print the variance table@>@;
  @<Landscape: fit the slope where the correction is negligible@>@;
}

@ The rows are collected first: the powers of two from the binary counter,
then the large batches, one per pass each.
@<Landscape: write and print the variance table@>=
double B[36], cnt[36], meas[36];
int rows = 0;
for (int k = 0; k <= all->levels; k++, rows++) {
  B[rows] = (double)((size_t)1 << k);
  cnt[rows] = (double)all->count[k];
  meas[rows] = all->dev[k] / cnt[rows];
}
for (int b = 0; b < 3; b++, rows++) {
  B[rows] = (double)all->large[b];
  cnt[rows] = passes;
  meas[rows] = all->large_dev[b] / passes;
}
@<Landscape: print each row with the theory, and keep the extreme ratios@>@;

@ The ratio of measured to predicted variance is printed for each $B$,
and its extremes are kept for the text.
@<Landscape: print each row with the theory...@>=
struct tsv *t = tsv_open(o->out, "variance.tsv", "B\tbatches\tmeasured\ttheory\tiid");
printf("== variance: softmax regression, N = %zu, loss %.4f\n", N, loss);
printf("|g|^2 = %.4g, sigma^2 = %.4g\n", gnorm2, sigma2);
printf("%8s %9s %11s %11s %11s %7s\n", "B", "batches", "measured",
       "theory", "sigma^2/B", "ratio");
double lo = 1e300, hi = 0.0;
for (int r = 0; r < rows; r++) {
  double th = var_theory(sigma2, B[r], (double)N), ratio = meas[r] / th;
  if (ratio < lo) lo = ratio;
  if (ratio > hi) hi = ratio;
  tsv_row(t, 5, (double[5])@[{B[r], cnt[r], meas[r], th, sigma2 / B[r]}@]);
  printf("%8.0f %9.0f %11.4e %11.4e %11.4e %7.3f\n", B[r], cnt[r], meas[r],
         th, sigma2 / B[r], ratio);
}
tsv_close(t);
@<Landscape: quote the variance numbers@>@;

@ The numbers quoted by the text of this part go to \.{values.tex}.
@<Landscape: quote the variance numbers@>=
values_put(v, "LSvarN", "%zu", N);
values_put(v, "LSvarPasses", "%d", passes);
values_put(v, "LSvarLoss", "%.3f", loss);
values_put(v, "LSsigma", "%.1f", sigma2);
values_put(v, "LSgnorm", "%.3f", gnorm2);
values_put(v, "LSratioLo", "%.2f", lo);
values_put(v, "LSratioHi", "%.2f", hi);
values_put(v, "LSnoiseScale", "%.0f", sigma2 / gnorm2);

@ The slope is a least-squares fit of $\log V$ against $\log B$ over the
powers of two with $B\le N/50$, where the correction factor
$(N-B)/(N-1)$ is above $0.98$ and cannot bend the line by more than 0.01
in $\log_{10}$.  The theory says $-1$.  At the other end the text quotes
how far below $\sigma^2/B$ the largest batch lies.  The figure draws the
theory's curves from $N$ and $\sigma^2$, which go to \.{variance-fit.tsv}
with the slope.
@<Landscape: fit the slope...@>=
double sx = 0, sy = 0, sxx = 0, sxy = 0; int m = 0;
for (int k = 0; k <= all->levels && ((size_t)50 << k) <= N; k++, m++) {
  double x = log((double)((size_t)1 << k)), y = log(all->dev[k] / all->count[k]);
  sx += x; sy += y; sxx += x * x; sxy += x * y;
}
double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
double Bmax = (double)all->large[2], last = all->large_dev[2] / passes;
printf("slope for B <= %d: %.3f (theory -1)\n", 1 << (m - 1), slope);
printf("B = %.0f: variance/(sigma^2/B) = %.4f (theory %.4f)\n\n", Bmax,
       last / (sigma2 / Bmax), (N - Bmax) / (N - 1.0));
struct tsv *fit = tsv_open(o->out, "variance-fit.tsv", "N\tsigma2\tslope");
tsv_row(fit, 3, (double[3])@[{(double)N, sigma2, slope}@]);
tsv_close(fit);
values_put(v, "LSslope", "%.3f", slope);
values_put(v, "LSslopeMax", "%d", 1 << (m - 1));
values_put(v, "LSbendB", "%.0f", Bmax);
values_put(v, "LSbendMeas", "%.4f", last / (sigma2 / Bmax));
values_put(v, "LSbendTheory", "%.4f", (N - Bmax) / (N - 1.0));

@ Figure~\figref{01-landscape-variance} shows the measurement against both
formulas.
\bookfigure{01-landscape-variance}{Mean squared error $\Vert g_B-g
\Vert^2$ of the mini-batch gradient of softmax regression on Fashion-MNIST,
against the batch size $B$, batches drawn without replacement from all
$N=60\,000$ training images.  Points: measured; dashed: $\sigma^2/B$;
solid: $(\sigma^2/B)(N-B)/(N-1)$.}
The measurements in Figure~\figref{01-landscape-variance} come from
\val{LSvarPasses} passes over all $N=\val{LSvarN}$ training images, at a
point where the training loss is \val{LSvarLoss} and still falling.  The spread of the per-example
gradients is $\sigma^2=\val{LSsigma}$, against $\Vert g\Vert^2=\val{LSgnorm}$
for the full gradient itself: a single example's gradient is mostly noise.
Their ratio $B_{\rm noise}=\sigma^2/\Vert g\Vert^2=\val{LSnoiseScale}$ is
the batch size at which the expected squared error of $g_B$ equals the
squared size of $g$; below it a mini-batch gradient is more noise than
signal.

The claim held.  Fitted over $1\le B\le\val{LSslopeMax}$, the slope of the
log-log line is $\val{LSslope}$, against the predicted $-1$, and every
measured point lies between \val{LSratioLo} and \val{LSratioHi} times the
prediction with the finite-population factor.  The bend near $N$ is there
and is as large as predicted: at $B=\val{LSbendB}$ the error is
\val{LSbendMeas} of $\sigma^2/B$, where the correction predicts
\val{LSbendTheory}.  For the batch sizes used in training, 32 to a few
thousand, the correction is negligible and the law is simply $1/B$.

@*1 Batch size on a fixed budget.
The tutorials' advice on batch size is a three-part claim: {\it larger
batches give less noise, cost more compute per step, and bring
diminishing returns}.  The first part was just measured: the noise falls
as $1/B$.  The second is arithmetic: a step on $B$ examples costs $B$
forward and backward passes of one example.  The third is the one worth
testing: is a step on a batch of 2048 worth 256 steps on batches of 8?

The experiment trains softmax regression on the 60\,000 training images
with plain SGD, once for each batch size $B=8,32,128,512,2048$, from the
same initial weights, with the same learning rate, for the same budget of
$\val{LSbudget}$ examples (about \val{LSepochs} epochs), and evaluates the
loss on the 10\,000 test images at checkpoints along the way.  The
learning rate is fixed, not scaled with $B$; the linear scaling rule, and
where it breaks, are the subject of Chapter~7.
@d n_batch_max 5
@<Landscape: functions@>=
static const size_t batch_sizes[n_batch_max] = {8, 32, 128, 512, 2048};

@ Which fixed rate?  The stability limit of the first part applies to any
smooth loss near a point, with $\lambda_{\max}$ the largest eigenvalue of
the Hessian there.  For softmax regression we can measure it: the
Hessian times a vector $v$ is the derivative of the gradient along $v$,
$$Hv\approx{\nabla L(\theta+\epsilon v)-\nabla L(\theta-\epsilon v)\over
2\epsilon},$$
and repeated multiplication, $v\gets Hv/\Vert Hv\Vert$, turns $v$ toward
the eigenvector of the largest eigenvalue ({\it power iteration}), whose
value is then $v\cdot Hv$.  The gradients are full-batch gradients over
|curv_n| training images; $\epsilon=|curv_eps|$.
@d curv_eps 1e-2
@<Landscape: functions@>=
static double sharpest_curvature(const struct mlp *m0, const struct dataset *d,
  size_t N, int iters, struct rng *r)
{
  struct mlp *m = model_clone(m0);
  size_t n = m->nparams;
  double *v = xmalloc(n * sizeof(double)), lambda = 0.0;
  for (size_t j = 0; j < n; j++) v[j] = rng_normal(r);
  for (int it = 0; it < iters; it++) {
    @<Landscape: normalize |v|, replace it by $Hv$, and set |lambda| to $v\cdot Hv$@>@;
  }
  free(v); mlp_free(&m);
  return lambda;
}

@ One step of the power iteration: normalize |v|, and replace it by the Hessian-vector product, estimated by a difference of gradients.
@<Landscape: normalize |v|, replace it...@>=
double norm = 0.0;
for (size_t j = 0; j < n; j++) norm += v[j] * v[j];
norm = sqrt(norm);
for (size_t j = 0; j < n; j++) {
  v[j] /= norm;
  m->params[j] = m0->params[j] + (float)(curv_eps * v[j]);
}
double *gp = full_gradient(m, d, N, NULL);
for (size_t j = 0; j < n; j++) m->params[j] = m0->params[j] - (float)(curv_eps * v[j]);
double *gm = full_gradient(m, d, N, NULL);
lambda = 0.0;
for (size_t j = 0; j < n; j++) {
  double hv = (gp[j] - gm[j]) / (2.0 * curv_eps);
  lambda += v[j] * hv;
  v[j] = hv;
}
free(gp); free(gm);

@ The limit is worth trying on both sides, as the first part did on the
ravine.  From the common starting point, full-batch gradient descent on the
same |curv_n| images takes |limit_steps| steps at each rate
$\eta=f\cdot2/\lambda_{\max}$, $f$ in |limit_factor|, recording the loss
on those images after every step.  On a quadratic the two rates nearest the
limit would separate cleanly: $f=0.9$ converges, $f=1.1$ grows by
$\vert1-2f\vert=1.2$ per step along the sharpest direction.  Softmax
regression is not a quadratic: its curvature falls where the logits grow,
so a step past the limit can carry the weights to where the limit is
larger.
@d limit_steps 30
@d n_limit 4
@<Landscape: functions@>=
static const double limit_factor[n_limit] = {0.5, 0.9, 1.1, 2.0};
static void limit_runs(const struct mlp *m0, const struct dataset *d, size_t N,
  double lambda, double loss[n_limit][limit_steps + 1])
{
  for (int k = 0; k < n_limit; k++) {
    struct mlp *m = model_clone(m0);
    const double eta = limit_factor[k] * 2.0 / lambda;
    for (int t = 0; t <= limit_steps; t++) {
      double *g = full_gradient(m, d, N, &loss[k][t]);
      for (size_t j = 0; j < m->nparams; j++) m->params[j] -= (float)(eta * g[j]);
      free(g);
    }
    mlp_free(&m);
  }
}

@ The report counts, for each rate, the steps at which the loss rose, and
gives the loss after the last step; \.{limit.tsv} has every step.
@<Landscape: functions@>=
static void limit_report(const struct chapter *o, struct value_file *v, double lambda,
  double loss[n_limit][limit_steps + 1])
{
  static const char *name[n_limit] = {"A", "B", "C", "D"};
  struct tsv *t = tsv_open(o->out, "limit.tsv", "step\tf0.5\tf0.9\tf1.1\tf2");
  for (int s = 0; s <= limit_steps; s++)
    tsv_row(t, 5, (double[5])@[{s, loss[0][s], loss[1][s], loss[2][s], loss[3][s]}@]);
  tsv_close(t);
  printf("== limit: full-batch descent at f * 2/lambda (%.4f), %d steps\n",
         2.0 / lambda, limit_steps);
  for (int k = 0; k < n_limit; k++) {
    int rises = 0;
    for (int s = 1; s <= limit_steps; s++) rises += loss[k][s] > loss[k][s - 1];
    printf("  f %.1f: loss %.4f -> %.4f, rose at %d of %d steps\n", limit_factor[k],
           loss[k][0], loss[k][limit_steps], rises, limit_steps);
    char key[32];
    snprintf(key, sizeof key, "LSlimitEnd%s", name[k]);
    values_put(v, key, "%.3f", loss[k][limit_steps]);
    snprintf(key, sizeof key, "LSlimitRises%s", name[k]);
    values_put(v, key, "%d", rises);
  }
  values_put(v, "LSlimitStart", "%.3f", loss[0][0]);
  values_put(v, "LSlimitSteps", "%d", limit_steps);
  printf("\n");
}

@ A run records the test loss and accuracy whenever the number of
examples seen is a checkpoint: a power of two, or three times one, from
|first_checkpoint| on---about two checkpoints per doubling, evenly spaced
on a logarithmic axis, and common to all batch sizes that divide them.
@d first_checkpoint 256
@d max_points 64
@<Landscape: types@>=
struct batch_run {
  size_t B;
  uint64_t seed;
  size_t npts, seen[max_points];
  double loss[max_points], acc[max_points];
};

@ A count of examples seen is a checkpoint if it is a power of two, or three times one, from |first_checkpoint| on.
@<Landscape: functions@>=
static bool checkpoint(size_t seen)
{
  if (seen < first_checkpoint) return false;
  if (seen % 3 == 0) seen /= 3;
  return (seen & (seen - 1)) == 0;
}

@ A run owns its model, optimizer, sampler and batch buffers, so that the
runs can go in parallel.  The rate |batch_eta| is the same for every $B$.
@d batch_eta 0.05
@<Landscape: functions@>=
static void train_run(const struct mlp *m0, const struct dataset *d,
  const struct dataset *test, size_t budget, struct batch_run *run)
{
  struct mlp *m = model_clone(m0);
  struct opt_config c;
  opt_defaults("sgd", &c);
  c.lr = batch_eta;
  struct optimizer *opt = opt_new("sgd", m->nparams, &c);
  struct sampler s;
  sampler_init(&s, d->n, run->B, run->seed);
  float *xb = vec_new(run->B * d->dim);
  uint8_t *yb = xmalloc(run->B);
  @<Landscape: take steps until the budget is spent, evaluating at checkpoints@>@;
  vec_free(&xb); free(yb); sampler_free(&s); opt_free(&opt); mlp_free(&m);
}

@ A run takes steps of |B| examples until the budget is spent, evaluating at every checkpoint it passes.
@<Landscape: take steps until the budget...@>=
run->npts = 0;
for (size_t seen = run->B; seen <= budget; seen += run->B) {
  sgd_batch_step(m, opt, &s, d, xb, yb);
  if (checkpoint(seen) && run->npts < max_points) {
    size_t k = run->npts++;
    run->seen[k] = seen;
    run->loss[k] = mlp_evaluate(m, test, &run->acc[k]);
  }
}

@ The noise scale $B_{\rm noise}=\sigma^2/\Vert g\Vert^2$ of the variance
part, measured again at the point where these runs start, on the same
|curv_n| images as the curvature: every image's gradient, one at a time,
summed in |double|; $\sigma^2$ is the mean of $\Vert g_i\Vert^2$ less
$\Vert g\Vert^2$, the variance of one image's gradient.
@<Landscape: functions@>=
static double noise_scale(const struct mlp *m0, const struct dataset *d, size_t N)
{
  struct mlp *m = model_clone(m0);
  const size_t n = m->nparams;
  double *g = xcalloc(n, sizeof *g), sq = 0.0, gg = 0.0;
  for (size_t i = 0; i < N; i++) {
    mlp_loss_grad(m, d->x + i * d->dim, d->y + i, 1);
    for (size_t j = 0; j < n; j++) {
      g[j] += m->grads[j];
      sq += (double)m->grads[j] * m->grads[j];
    }
  }
  for (size_t j = 0; j < n; j++) gg += (g[j] / N) * (g[j] / N);
  free(g);
  mlp_free(&m);
  return (sq / N - gg) / gg;
}

@ The experiment measures the curvature at the common starting point,
starts the runs, and reports.  The test set may be cut short for the
quick plan; the cut is a view of the same images.
@<Landscape: functions@>=
@<Landscape: the batch experiment's report@>@;
static void batch_experiment(struct chapter *o)
{
  const struct ls_plan *pl = plan_of(o);
  const struct dataset *train = o->train, *test = o->test;
  struct rng r;
  rng_seed(&r, o->seed, 2);
  struct mlp *m0 = softmax_model(train, &r);
  struct dataset tv = *test;
  if (tv.n > pl->test_n) tv.n = pl->test_n;
  note("batch: sharpest curvature by power iteration");
  double lambda = sharpest_curvature(m0, train, pl->curv_n, pl->curv_iters, &r);
  double limit_loss[n_limit][limit_steps + 1];
  limit_runs(m0, train, pl->curv_n, lambda, limit_loss);
  limit_report(o, o->values, lambda, limit_loss);
  values_put(o->values, "LScurvN", "%zu", pl->curv_n);
  values_put(o->values, "LSnoiseStart", "%.0f", noise_scale(m0, train, pl->curv_n));
  double acc0, loss0 = mlp_evaluate(m0, &tv, &acc0);
  struct batch_run run[n_batch_max];
  for (size_t k = 0; k < pl->n_batch; k++) {
    run[k].B = batch_sizes[k];
    run[k].seed = rng_u64(&r);
  }
  note("batch: %zu runs of %zu examples each", pl->n_batch, pl->budget);
  @<Landscape: give each batch size a thread@>@;
  for (size_t k = 0; k < pl->n_batch; k++) train_run(m0, train, &tv, pl->budget, &run[k]);
  batch_report(o, pl, o->values, run, lambda, loss0);
  mlp_free(&m0);
}

@ The pragma has a section of its own, so that the function around it is
typeset as code.
@<Landscape: give each batch size a thread@>=
#pragma omp parallel for schedule(dynamic, 1)

@ The report writes one table per batch size, \.{batch-8.tsv} and so on,
with the examples seen, the steps taken, and the test loss and accuracy.
It then compares the runs two ways: at the end of the budget, when all
have seen the same number of examples; and after the same number of
{\it steps}, the number the largest batch takes in the whole budget.
@<Landscape: the batch experiment's report@>=
static double loss_at(const struct batch_run *run, size_t seen, double *acc)
{
  for (size_t k = 0; k < run->npts; k++)
    if (run->seen[k] == seen) { if (acc) *acc = run->acc[k]; return run->loss[k]; }
  return NAN;
}
static void batch_report(const struct chapter *o, const struct ls_plan *pl,
  struct value_file *v, const struct batch_run *run, double lambda, double loss0)
{
  size_t nb = pl->n_batch, steps = pl->budget / run[nb - 1].B;
  char tab[1024] = "";
  @<Landscape: write one table per batch size@>@;
  @<Landscape: print and quote the comparison@>@;
}

@ Each batch size gets its own table for the figure.
@<Landscape: write one table per batch size@>=
for (size_t k = 0; k < nb; k++) {
  char name[32];
  snprintf(name, sizeof name, "batch-%zu.tsv", run[k].B);
  struct tsv *t = tsv_open(o->out, name, "samples\tsteps\tloss\taccuracy");
  for (size_t i = 0; i < run[k].npts; i++)
    tsv_row(t, 4, (double[4])@[{(double)run[k].seen[i],
      (double)(run[k].seen[i] / run[k].B), run[k].loss[i], run[k].acc[i]}@]);
  tsv_close(t);
}

@ For each batch size the report prints the test loss after |steps| steps
and at the end of the budget.  It keeps, as \TeX\ text for the prose, the
change in the loss after |steps| steps from each batch size to the next,
and notes which batch size ends lowest.
@<Landscape: print and quote the comparison@>=
printf("== batch: softmax regression, SGD at eta %g, %zu examples\n",
       batch_eta, pl->budget);
printf("sharpest curvature %.2f, limit 2/lambda %.4f, test loss %.4f\n",
       lambda, 2.0 / lambda, loss0);
printf("%6s %8s %14s %14s %9s\n", "B", "steps", "loss (steps)", "loss (end)",
       "accuracy");
char gains[256] = "";
double prev = NAN, best = INFINITY;
size_t best_B = 0;
for (size_t k = 0; k < nb; k++) {
  @<Landscape: print the row of batch size |k| and add to the quoted texts@>@;
}
printf("(loss (steps): the test loss after %zu steps)\n\n", steps);
values_put(v, "LSstepGains", "%s", gains);
values_put(v, "LSendBestB", "%zu", best_B);
values_put(v, "LSendBest", "%.3f", best);
values_put(v, "LSendLarge", "%.3f", loss_at(&run[nb - 1], pl->budget, NULL));
@<Landscape: quote the batch numbers@>@;

@ The printed row compares the loss after the largest batch's number of
steps with the loss at the full budget.  The changes quoted in the text are
differences of the losses as the table shows them, rounded to three
places, so that a reader who subtracts the table's rows finds the same
numbers.
@<Landscape: print the row of batch size |k|...@>=
double acc = NAN, end = loss_at(&run[k], pl->budget, &acc);
double mid = loss_at(&run[k], steps * run[k].B, NULL);
printf("%6zu %8zu %14.4f %14.4f %9.4f\n", run[k].B, pl->budget / run[k].B,
       mid, end, acc);
appendf(tab, sizeof tab, "%zu&%zu&%.3f&%.3f&%.1f\\%%\\cr\n",
         run[k].B, pl->budget / run[k].B, mid, end, 100.0 * acc);
const double shown = round(mid * 1000.0) / 1000.0;  /* as the table prints it */
if (k > 0) {
  double dl = round((shown - prev) * 1000.0) / 1000.0;
  if (dl == 0) dl = 0;  /* no ``$-0.000$'' */
  appendf(gains, sizeof gains, "%s$%+.3f$",
           k == 1 ? "" : k + 1 == nb ? " and " : ", ", dl);
}
prev = shown;
if (end < best) { best = end; best_B = run[k].B; }

@ The numbers quoted by the text of this part go to \.{values.tex}.
@<Landscape: quote the batch numbers@>=
values_put(v, "LSbatchTable", "%s", tab);
values_put(v, "LSbudget", "%zu", pl->budget);
values_put(v, "LSepochs", "%.1f", (double)pl->budget / 60000.0);
values_put(v, "LSsameSteps", "%zu", steps);
values_put(v, "LSlambda", "%.1f", lambda);
values_put(v, "LSlambdaLimit", "%.3f", 2.0 / lambda);
values_put(v, "LSbatchEta", "%g", batch_eta);
values_put(v, "LSlossZero", "%.3f", loss0);

@ The sharpest curvature of softmax regression at the starting point is
$\lambda_{\max}=\val{LSlambda}$, so full-batch gradient descent would be
stable for $\eta<\val{LSlambdaLimit}$; all runs use $\eta=\val{LSbatchEta}$,
about half of that.  That is a statement about the full-batch loss at
the starting point, and it can be tried as the ravine's limit was.
Full-batch gradient descent on the same \val{LScurvN} images, from the
same start (loss \val{LSlimitStart}), took \val{LSlimitSteps} steps at
$0.5$, $0.9$, $1.1$ and $2$ times the limit, and ended at losses
\val{LSlimitEndA}, \val{LSlimitEndB}, \val{LSlimitEndC} and
\val{LSlimitEndD}; the loss rose at \val{LSlimitRisesA},
\val{LSlimitRisesB}, \val{LSlimitRisesC} and \val{LSlimitRisesD} of the
steps.  Unlike the ravine, softmax regression does not diverge just past
the limit: the rate 10\% above it descended fastest of the four, and even
twice the limit, where the loss went up and down, ended far below the
start.  The limit is a property of the quadratic that matches the loss
at one point; one step along the sharpest direction raises the confidence
of the logits, the softmax saturates, and the curvature there is smaller.
The limit is a warning that a rate is near trouble, not a wall, for a
loss that is not a quadratic (one seed, one starting point).
At the start the test loss is \val{LSlossZero}.  The
results are in Figure~\figref{01-landscape-batch} and
Table~\tableref{01-batch}.
\booktable{01-batch}{Softmax regression on Fashion-MNIST trained by SGD
with $\eta=\val{LSbatchEta}$ at five batch sizes $B$, all on the same
budget of examples: the steps that the budget allows, the test loss
after \val{LSsameSteps} steps and at the end of the budget, and the
final test accuracy.}
{\vbox{\halign{\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\cr
&&\hfil test loss after&test loss after\cr
$B$&steps&\val{LSsameSteps} steps&\val{LSbudget} examples&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\LSbatchTable}}}

\bookfigure{01-landscape-batch}{Softmax regression on Fashion-MNIST
trained by SGD with $\eta=0.05$ at five batch sizes, test loss against
examples seen (left) and against steps taken (right).  All runs start
from the same weights and see the same \val{LSbudget} examples.}

@ Read per {\it example}, in the left panel of
Figure~\figref{01-landscape-batch}, small batches win.  At the end of the
budget the lowest test loss, \val{LSendBest}, belongs to
$B=\val{LSendBestB}$, while $B=2048$ ends at \val{LSendLarge}: the same
examples, turned into only 64 steps.  Read per {\it step}, in the right
panel, larger batches win, with sharply diminishing returns.  After
\val{LSsameSteps} steps, going from each batch size to the next, four
times larger, changes the test loss by \val{LSstepGains}: the first
fourfold increase buys a real improvement, and after that the curves lie on
top of each other.  A step on 2048 examples costs 256 times a step on 8,
and is worth little more than a step on 32.

So the tutorials' claim held: larger batches give less noise, cost more
per step, and the returns diminish.  Two cautions come with it.  First,
the answer depends on what is counted.  Per step, a larger batch was never
noticeably worse; per example, the small batches did best ($B=\val{LSendBestB}$ ended lowest, in this one run).  Which one
matters depends on whether the steps can run in parallel---a large batch
spreads over many processors, a long sequence of small steps does
not---and that is the question of Chapter~7.  Second, the learning rate was
held fixed.  With less noise a larger batch can afford a larger step, up
to the stability limit of the full-batch loss; a fair comparison tunes
$\eta$ for each $B$.  McCandlish et~al.\ (2018) did that on many tasks and
found that returns diminish beyond a {\it critical batch size\/} close to
the noise scale $B_{\rm noise}=\sigma^2/\Vert g\Vert^2$ of the previous
part---\val{LSnoiseScale}, measured there at a training loss of
\val{LSvarLoss}.  At the start of these runs (test loss
\val{LSlossZero}), on the \val{LScurvN} images of the curvature, it is
only \val{LSnoiseStart}: the gradient is larger there, and the noise
smaller beside it.  McCandlish et~al.\ found the noise scale growing as
training proceeds, as it does here between the two points, so no one
measurement stands for the whole of these runs.  With the rate held fixed, the
larger batches could not turn their quieter gradients into longer steps,
and the returns faded sooner than a tuned comparison would show.

@*1 Flat and sharp minima.
Much of the folklore about the landscape of deep networks concerns the
{\it width\/} of minima.  The story goes: a {\it flat\/} minimum, where the
loss stays low in a wide neighbourhood, generalizes better than a {\it
sharp\/} one, because a small shift between the training and the test
loss barely moves a flat minimum's value (Hochreiter and Schmidhuber,
1997); small batches, being noisier, cannot settle into sharp minima and
so find flat ones, which is why they generalize better than large ones
(Keskar et~al., 2017).  This book measures none of it, and the reader
should know which parts of the story are measured elsewhere.

Measured, and reproducible: large-batch training, with the
hyperparameters tuned for small batches, often generalizes worse (Keskar
et~al.); much of that gap closes when the large-batch runs get more steps
and a retuned learning rate (Hoffer et~al., 2017; Goyal et~al., 2017).
Measured, too, and directly connected to this chapter: full-batch
gradient descent on real networks drives the sharpness $\lambda_{\max}$ up
until it reaches $2/\eta$ and then hovers there, at the {\it edge of
stability}, while the loss keeps decreasing non-monotonically (Cohen
et~al., 2021); the limit $\eta<2/\lambda_{\max}$ derived above is not only
a constraint on the step but appears to select the sharpness of the
minimum that training finds.  Disputed: that sharpness {\it causes\/}
good or bad generalization.  Sharpness is not invariant under
reparametrizations that leave the network's function unchanged, so a
flat minimum can be made sharp at will (Dinh et~al., 2017); in large
comparisons, sharpness measures correlate with generalization only in some
settings (Jiang et~al., 2020) and poorly in modern ones (Andriushchenko
et~al., 2023), even though methods that seek flat regions, such as
sharpness-aware minimization, often help in practice (Foret et~al., 2021).
The safe summary is that ``flat minima generalize'' is a useful heuristic
with real but partial evidence, not a law.

@*1 Summary.
Four claims, four measurements.  The stability limit
$\eta<2/\lambda_{\max}$ held to every digit on the ravine, with the loss
growing by the predicted factor just above it, and the time to converge
below it was governed by the flat direction and the condition number.
Paths on contour maps showed the zig-zag that comes with a step near the
limit, the long crawl along a curved valley, and the wait at a saddle
that grows with the logarithm of the distance from it.  The variance of
the mini-batch gradient fell as $1/B$, with fitted slope $\val{LSslope}$,
and bent down near $B=N$ as the finite-population correction
predicts.  Larger batches gave less noise per step and lower loss per
step, with diminishing returns, and higher loss per example seen at a
fixed learning rate.

@ The papers cited in this chapter, in the order of their appearance:
Y.~Dauphin et~al., ``Identifying and attacking the saddle point problem in
high-dimensional non-convex optimization,'' NeurIPS 2014;
C.~Jin et~al., ``How to escape saddle points efficiently,'' ICML 2017;
S.~McCandlish, J.~Kaplan, D.~Amodei et~al., ``An empirical model of
large-batch training,'' arXiv:1812.06162, 2018;
S.~Hochreiter and J.~Schmidhuber, ``Flat minima,'' {\it Neural
Computation\/} 9, 1997;
N.~S.~Keskar et~al., ``On large-batch training for deep learning:
generalization gap and sharp minima,'' ICLR 2017;
E.~Hoffer, I.~Hubara and D.~Soudry, ``Train longer, generalize better:
closing the generalization gap in large batch training of neural
networks,'' NeurIPS 2017;
P.~Goyal et~al., ``Accurate, large minibatch SGD: training ImageNet in
1 hour,'' arXiv:1706.02677, 2017;
J.~Cohen et~al., ``Gradient descent on neural networks typically occurs
at the edge of stability,'' ICLR 2021;
L.~Dinh et~al., ``Sharp minima can generalize for deep nets,'' ICML 2017;
Y.~Jiang et~al., ``Fantastic generalization measures and where to find
them,'' ICLR 2020;
M.~Andriushchenko et~al., ``A modern look at the relationship between
sharpness and generalization,'' ICML 2023;
P.~Foret et~al., ``Sharpness-aware minimization for efficiently improving
generalization,'' ICLR 2021.

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, then change the
number in the source (the sections are given), rebuild with \.{make}, and
run \.{build/bin/01-landscape --only NAME}.

\smallskip\item{1.} Make the ravine more ill-conditioned: set |ravine_a|
to 100.  Predict the new stability limit, the best step $\eta^*$ and its
rate, and the number of steps that $\eta^*$ needs to reach $10^{-6}$.
Which rows of Table~\tableref{01-stability} stop converging?

\item{2.} Start the ravine runs at $(0,1)$ instead of $(1,1)$ (in
|ravine_start|) and predict
what happens at $\eta=0.11$, above the limit.  Then start at
$(10^{-300},1)$.  What does the answer say about a divergence that
``suddenly'' appears late in a training run?

\item{3.} On Rosenbrock's function, set |rb_eta| to 0.002 and then to
0.0021, on either side of the limit at the minimum.  Predict whether each
run reaches $f\le10^{-8}$.  (The limit holds at the minimum; the path
spends most of its time elsewhere.)

\item{4.} Start the saddle at $y_0=10^{-300}$.  Predict the number of
steps to escape, and then explain why $y_0=10^{-400}$ gives a different
answer from the one your formula predicts.

\item{5.} In the variance experiment, give the model a hidden layer of
64 units: in |softmax_model|, two layers with sizes $\{784,64,10\}$.  Which of these
change: the slope, the bend near $N$, the value of $\sigma^2$?  Predict,
then measure.

\item{6.} Give each batch size the learning rate $\eta=0.05\cdot B/32$
(in |train_run|).  Using the measured $\lambda_{\max}$, predict which runs
will fail to converge, and how the right panel of the figure will change.
