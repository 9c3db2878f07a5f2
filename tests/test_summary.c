/* The toolkit's summaries of runs: spread, quantile, the clock, and the
   ways numbers are set for values.tex and for hand-built tables. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <time.h>
#include "descent.h"

Test(summary, spread_of_known_values)
{
  /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, n-1 = 7 */
  const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
  struct spread s = spread_of(x, 8);
  cr_expect_float_eq(s.mean, 5.0, 1e-15);
  cr_expect_float_eq(s.sd, sqrt(32.0 / 7.0), 1e-15);
  cr_expect(s.lo == 2.0 && s.hi == 9.0, "lo %g hi %g", s.lo, s.hi);
}

Test(summary, spread_of_one_and_none)
{
  const double one[] = {3.25};
  struct spread s = spread_of(one, 1);
  cr_expect(s.mean == 3.25 && s.sd == 0.0 && s.lo == 3.25 && s.hi == 3.25,
            "one value: %g %g %g %g", s.mean, s.sd, s.lo, s.hi);
  s = spread_of(NULL, 0);
  cr_expect(isnan(s.mean) && isnan(s.sd) && isnan(s.lo) && isnan(s.hi),
            "no values must give NaNs, not a mean of 0");
}

Test(summary, spread_of_does_not_cancel)
{
  /* a small spread around a large mean: the one-pass formula loses it */
  double x[3] = {1e8 + 1, 1e8 + 2, 1e8 + 3};
  struct spread s = spread_of(x, 3);
  cr_expect_float_eq(s.sd, 1.0, 1e-9, "sd %.17g", s.sd);
}

Test(summary, quantile_interpolates_like_numpy)
{
  /* numpy.quantile([1, 2, 3, 4], q): q=0.5 -> 2.5, 0.1 -> 1.3, 0.9 -> 3.7 */
  double x[4] = {4, 1, 3, 2};
  cr_expect_float_eq(quantile(x, 4, 0.5), 2.5, 1e-15);
  cr_expect(x[0] == 1 && x[1] == 2 && x[2] == 3 && x[3] == 4, "sorted in place");
  cr_expect_float_eq(quantile(x, 4, 0.1), 1.3, 1e-12);
  cr_expect_float_eq(quantile(x, 4, 0.9), 3.7, 1e-12);
  cr_expect(quantile(x, 4, 0.0) == 1.0 && quantile(x, 4, 1.0) == 4.0, "extremes");
  double odd[5] = {5, 3, 1, 4, 2};
  cr_expect(quantile(odd, 5, 0.5) == 3.0, "median of five");
  double one[1] = {7};
  cr_expect(quantile(one, 1, 0.3) == 7.0, "one value");
  cr_expect(isnan(quantile(NULL, 0, 0.5)), "no values: NaN");
}

Test(summary, wall_seconds_moves_forward)
{
  double a = wall_seconds();
  struct timespec ts = {0, 2000000};
  nanosleep(&ts, NULL);
  double b = wall_seconds();
  cr_expect(b - a >= 1.5e-3 && b - a < 1.0, "slept 2 ms, clock moved %g s", b - a);
}

Test(summary, sci_text_forms)
{
  char buf[64];
  struct { double x; const char *want; } c[] = {
    {2.5e-7, "2.5\\times10^{-7}"},
    {9.96e-3, "1\\times10^{-2}"},     /* the mantissa rounds up into the next decade */
    {1e-5, "1\\times10^{-5}"},
    {3.14159e4, "3.1\\times10^{4}"},
    {-4.2e-3, "-4.2\\times10^{-3}"},
    {0.0, "0"},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    cr_expect_str_eq(sci_text(buf, sizeof buf, c[i].x), c[i].want, "x = %g", c[i].x);
  cr_expect(sci_text(buf, sizeof buf, 1.0) == buf, "returns the caller's buffer");
  cr_expect_str_eq(sci_text(buf, sizeof buf, 1.0), "1\\times10^{0}");
}

Test(summary, values_helpers)
{
  char *dir = tmp_dir();
  struct value_file *v = values_open(dir);
  cr_assert(v != NULL);
  values_sci(v, "Tsci", 6.7e-6);
  values_spread(v, "Tspread", (struct spread){0.1234, 0.0041, 0, 0});
  values_pct(v, "Tpct", 0.876);
  values_letter(v, "Tfam", 0, "%.2f", 1.5);
  values_letter(v, "Tfam", 2, "%.0f", 42.0);
  values_close(v);
  char *s = slurp(path_in(dir, "values.tex"), NULL);
  cr_assert(s != NULL);
  cr_expect(strstr(s, "\\def\\Tsci{6.7\\times10^{-6}}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Tspread{$0.123\\pm0.004$}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Tpct{87.6\\%}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\TfamA{1.50}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\TfamC{42}\n") != NULL, "%s", s);
  free(s);
  rm_tree(dir);
}

static void letter_out_of_range(void *arg)
{
  (void)arg;
  program_name = "prog";
  char *dir = tmp_dir();
  struct value_file *v = values_open(dir);
  values_letter(v, "Tfam", 26, "%g", 1.0);
}

Test(summary, values_letter_has_26_letters)
{
  struct child c = run_child(letter_out_of_range, NULL);
  cr_expect(c.exited && c.code != 0 && c.code != 100, "status %d", c.status);
  cr_expect(count_lines(c.err) == 1 && strstr(c.err, "Tfam") != NULL, "stderr '%s'", c.err);
  child_free(&c);
}

Test(summary, appendf_appends)
{
  char tab[32] = "";
  appendf(tab, sizeof tab, "%d&%s", 1, "a");
  appendf(tab, sizeof tab, "\\\\%c", '\n');
  appendf(tab, sizeof tab, "%.1f", 2.25);
  cr_expect_str_eq(tab, "1&a\\\\\n2.2");
  char exact[8] = "abc";
  appendf(exact, sizeof exact, "%s", "defg");  /* 7 characters and the NUL: fits */
  cr_expect_str_eq(exact, "abcdefg");
}

static void appendf_overflow(void *arg)
{
  (void)arg;
  program_name = "prog";
  char tab[8] = "abcd";
  appendf(tab, sizeof tab, "%s", "efgh");  /* 8 characters: one too many */
  printf("%s\n", tab);
}

Test(summary, appendf_dies_rather_than_truncate)
{
  struct child c = run_child(appendf_overflow, NULL);
  cr_expect(c.exited && c.code == 1, "status %d", c.status);
  cr_expect(count_lines(c.err) == 1 && strstr(c.err, "outgrew its 8 bytes") != NULL,
            "stderr '%s'", c.err);
  cr_expect(c.out[0] == '\0', "nothing printed after the overflow: '%s'", c.out);
  child_free(&c);
}
