/* tests/test_cli.c -- error reporting, allocation, number parsing and the CLI
   helpers every program uses. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include "descent.h"

/* see run_child in testutil.h */
volatile int descent_test_in_child;
#if defined(__SANITIZE_ADDRESS__)
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) { return descent_test_in_child; }
#endif

/* -- die, usage_error, xmalloc ------------------------------------------- */

static void call_die(void *arg)
{
  (void)arg;
  program_name = "prog";
  die("cannot open %s: %s", "x.tsv", "No such file");
}
static void call_usage_error(void *arg)
{
  (void)arg;
  program_name = "prog";
  usage_error("--seed: '%s' is not an integer", "abc");
}

Test(errors, die_exits_1_with_one_line)
{
  struct child c = run_child(call_die, NULL);
  cr_expect(c.exited && c.code == 1, "die: status %d", c.status);
  cr_expect(strcmp(c.err, "prog: cannot open x.tsv: No such file\n") == 0, "stderr '%s'", c.err);
  cr_expect(c.out[0] == '\0', "stdout '%s'", c.out);
  child_free(&c);
}

Test(errors, usage_error_exits_2_with_one_line)
{
  struct child c = run_child(call_usage_error, NULL);
  cr_expect(c.exited && c.code == 2, "usage_error: status %d", c.status);
  cr_expect(count_lines(c.err) == 1, "stderr has %d lines: '%s'", count_lines(c.err), c.err);
  cr_expect(strncmp(c.err, "prog: --seed: 'abc' is not an integer", 37) == 0, "stderr '%s'", c.err);
  cr_expect(strstr(c.err, "--help") != NULL, "usage errors point at --help: '%s'", c.err);
  cr_expect(c.out[0] == '\0', "stdout '%s'", c.out);
  child_free(&c);
}

Test(errors, xmalloc_and_xcalloc)
{
  char *p = xmalloc(100);
  memset(p, 1, 100);
  free(p);
  p = xmalloc(0);                 /* a valid, freeable pointer */
  cr_expect(p != NULL);
  free(p);
  int *q = xcalloc(1000, sizeof *q);
  for (int i = 0; i < 1000; i++) cr_assert(q[i] == 0);
  free(q);
  q = xcalloc(0, sizeof *q);
  cr_expect(q != NULL);
  free(q);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1   /* ASan aborts on impossible allocations instead of returning NULL */
#else
#define UNDER_ASAN 0
#endif

static void huge_malloc(void *arg)
{
  (void)arg;
  program_name = "prog";
  void *volatile p = xmalloc(SIZE_MAX / 2);
  (void)p;
}
static void huge_calloc(void *arg)
{
  (void)arg;
  program_name = "prog";
  void *volatile p = xcalloc(SIZE_MAX / 4, 8);     /* count * size overflows */
  (void)p;
}

Test(errors, allocation_failure_dies, .disabled = UNDER_ASAN)
{
  struct child c = run_child(huge_malloc, NULL);
  cr_expect(c.exited && c.code == 1, "xmalloc(SIZE_MAX/2): status %d", c.status);
  cr_expect(strncmp(c.err, "prog: ", 6) == 0 && count_lines(c.err) == 1, "stderr '%s'", c.err);
  child_free(&c);
  c = run_child(huge_calloc, NULL);
  cr_expect(c.exited && c.code == 1, "xcalloc overflowing: status %d", c.status);
  child_free(&c);
}

/* -- parse_double, parse_long -------------------------------------------- */

Test(parse, double_good)
{
  static const struct { const char *s; double v; } good[] = {
    {"0", 0}, {"1", 1}, {"-2.5", -2.5}, {"+3", 3}, {"1e-3", 1e-3}, {"6.02E23", 6.02e23},
    {"0.1", 0.1}, {".5", 0.5}, {"5.", 5.0}, {"1.7976931348623157e308", 1.7976931348623157e308},
    {"-0", -0.0}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    double x = -999;
    int rc = parse_double(good[i].s, &x);
    cr_expect(rc == 0, "parse_double(\"%s\") rejected", good[i].s);
    if (rc == 0)
      cr_expect(x == good[i].v && signbit(x) == signbit(good[i].v), "parse_double(\"%s\") = %.17g",
                good[i].s, x);
  }
}

Test(parse, double_bad)
{
  static const char *bad[] = {"", " ", "abc", "1.5x", "1.5 ", "1,5", "--1", "1e", "e5",
                              "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e400",
                              " 1.5", "\t2", "\n3", "1.5\n", "0x", "."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double x = 12345.0;
    cr_expect(parse_double(bad[i], &x) == -1, "parse_double(\"%s\") accepted (%g)", bad[i], x);
    cr_expect(x == 12345.0, "parse_double(\"%s\") wrote its output on failure", bad[i]);
  }
  double x;
  cr_expect(parse_double(NULL, &x) == -1, "NULL is rejected");
}

Test(parse, long_good)
{
  static const struct { const char *s; long v; } good[] = {
    {"0", 0}, {"7", 7}, {"-12", -12}, {"+5", 5}, {"007", 7},
    {"9223372036854775807", LONG_MAX}, {"-9223372036854775808", LONG_MIN}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    long x = -999;
    cr_expect(parse_long(good[i].s, &x) == 0, "parse_long(\"%s\") rejected", good[i].s);
    cr_expect(x == good[i].v, "parse_long(\"%s\") = %ld", good[i].s, x);
  }
}

Test(parse, long_bad)
{
  static const char *bad[] = {"", " ", "abc", "1.5", "1e3", "12abc", "0x10", "nan", "inf",
                              "9223372036854775808", "-9223372036854775809",
                              "99999999999999999999", " 5", "5 ", "\t5", "-", "+"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    long x = 4242;
    cr_expect(parse_long(bad[i], &x) == -1, "parse_long(\"%s\") accepted (%ld)", bad[i], x);
    cr_expect(x == 4242, "parse_long(\"%s\") wrote its output on failure", bad[i]);
  }
  long x;
  cr_expect(parse_long(NULL, &x) == -1);
}

/* -- cli_double, cli_long, cli_seed -------------------------------------- */

Test(cli, values_in_range)
{
  cr_expect(cli_double("--lr", "0.25", 0, 1) == 0.25);
  cr_expect(cli_double("--lr", "0", 0, 1) == 0.0, "lo is inclusive");
  cr_expect(cli_double("--lr", "1", 0, 1) == 1.0, "hi is inclusive");
  cr_expect(cli_long("--steps", "100", 1, 1000) == 100);
  cr_expect(cli_long("--steps", "-3", -5, 5) == -3);
  cr_expect(cli_seed("0") == 0);
  cr_expect(cli_seed("42") == 42);
  cr_expect(cli_seed("18446744073709551615") == UINT64_MAX);
}

struct cli_call { int kind; const char *arg; };
static void call_cli(void *p)
{
  const struct cli_call *c = p;
  program_name = "prog";
  if (c->kind == 0) cli_double("--lr", c->arg, 0, 1);
  else if (c->kind == 1) cli_long("--steps", c->arg, 1, 1000);
  else cli_seed(c->arg);
}

Test(cli, bad_values_exit_2_with_one_line)
{
  static const struct cli_call bad[] = {
    {0, "abc"}, {0, "-0.5"}, {0, "1.5"}, {0, "nan"}, {0, "inf"}, {0, "1e999"}, {0, ""},
    {1, "0"}, {1, "1001"}, {1, "1.5"}, {1, "ten"}, {1, "99999999999999999999"},
    {2, "abc"}, {2, "-1"}, {2, "1e999"}, {2, "18446744073709551616"}, {2, ""}, {2, " 1"},
    {2, "1.0"}, {2, "+-1"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct child c = run_child(call_cli, (void *)&bad[i]);
    const char *fn = bad[i].kind == 0 ? "cli_double" : bad[i].kind == 1 ? "cli_long" : "cli_seed";
    cr_expect(c.exited && c.code == 2, "%s(\"%s\"): status %d (want exit 2)", fn, bad[i].arg,
              c.status);
    cr_expect(count_lines(c.err) == 1 && strncmp(c.err, "prog: ", 6) == 0,
              "%s(\"%s\"): stderr '%s'", fn, bad[i].arg, c.err);
    const char *opt = bad[i].kind == 0 ? "--lr" : bad[i].kind == 1 ? "--steps" : "--seed";
    cr_expect(strstr(c.err, opt) != NULL, "%s(\"%s\"): the message names %s: '%s'", fn,
              bad[i].arg, opt, c.err);
    child_free(&c);
  }
}

/* cli_bad_option after getopt_long returned '?' or ':' */
static const struct option longopts[] = {{"seed", required_argument, 0, 's'},
                                         {"quick", no_argument, 0, 'q'}, {0, 0, 0, 0}};
static void parse_args(void *p)
{
  char **argv = p;
  int argc = 0;
  while (argv[argc]) argc++;
  program_name = "prog";
  optind = 0;                       /* reinitialise getopt */
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1)
    if (c == '?' || c == ':') cli_bad_option(c, argv);
  cli_no_operands(argc, argv);
}

Test(cli, bad_option_and_operands)
{
  static char *cases[][4] = {{"prog", "--bogus", NULL}, {"prog", "--seed", NULL},
                             {"prog", "-x", NULL}, {"prog", "--quick", "extra", NULL},
                             {"prog", "--quick=3", NULL}};
  static const char *mention[] = {"--bogus", "--seed", "-x", "extra", "--quick"};
  for (size_t i = 0; i < 5; i++) {
    struct child c = run_child(parse_args, cases[i]);
    cr_expect(c.exited && c.code == 2, "%s: status %d", cases[i][1], c.status);
    cr_expect(count_lines(c.err) == 1, "%s: stderr '%s'", cases[i][1], c.err);
    cr_expect(strstr(c.err, mention[i]) != NULL, "%s: the message should name %s: '%s'",
              cases[i][1], mention[i], c.err);
    child_free(&c);
  }
  static char *good[] = {"prog", "--seed", "3", "--quick", NULL};
  struct child c = run_child(parse_args, good);
  cr_expect(c.returned_normally, "good arguments: status %d, stderr '%s'", c.status, c.err);
  child_free(&c);
}

static void call_version(void *arg)
{
  program_name = arg;
  cli_version();
}

Test(cli, version)
{
  struct child c = run_child(call_version, "replay");
  cr_expect(c.exited && c.code == 0, "cli_version: status %d", c.status);
  cr_expect(strncmp(c.out, "replay (Descent) ", 17) == 0 && count_lines(c.out) == 1,
            "stdout '%s'", c.out);
  cr_expect(strlen(c.out) > 18, "a version number follows: '%s'", c.out);
  cr_expect(c.err[0] == '\0', "stderr '%s'", c.err);
  child_free(&c);
}

Test(cli, fmnist_dir)
{
  unsetenv("DESCENT_FASHION_MNIST");
  cr_expect(strcmp(fmnist_dir(NULL), "/usr/share/datasets/fashion-mnist") == 0, "%s",
            fmnist_dir(NULL));
  setenv("DESCENT_FASHION_MNIST", "/data/fm", 1);
  cr_expect(strcmp(fmnist_dir(NULL), "/data/fm") == 0);
  cr_expect(strcmp(fmnist_dir("/flag/dir"), "/flag/dir") == 0, "the flag wins over the environment");
  setenv("DESCENT_FASHION_MNIST", "", 1);
  cr_expect(strcmp(fmnist_dir(NULL), "/usr/share/datasets/fashion-mnist") == 0,
            "an empty variable counts as unset");
  unsetenv("DESCENT_FASHION_MNIST");
}
