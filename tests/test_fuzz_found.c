/* tests/test_fuzz_found.c -- what the fuzzers of tests/fuzz/ found, kept
   fixed: get_name, which quotes the kind's name of a state file in an
   error message (and the loaders that use it), and warm restarts whose
   periods outgrow 64 bits. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

Test(get_name, stops_at_zero_or_n_and_masks_unprintable_bytes)
{
  char out[17];
  get_name(out, (const unsigned char *)"adam\0xyz", 15);
  cr_expect_str_eq(out, "adam");
  get_name(out, (const unsigned char *)"0123456789abcdefXYZ", 16);
  cr_expect_str_eq(out, "0123456789abcdef");
  get_name(out, (const unsigned char *)"a\nb\033[1m\x80~", 8);
  cr_expect_str_eq(out, "a?b?[1m?");
  get_name(out, (const unsigned char *)"anything", 0);
  cr_expect_str_eq(out, "");
}

/* A state file whose name field holds a newline is refused in one line. */
Test(get_name, loaders_quote_a_damaged_name_on_one_line)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "state");
  struct opt_config c;
  cr_assert(opt_defaults("adam", &c));
  struct optimizer *o = opt_new("adam", 2, &c);
  cr_assert(opt_save(o, path) == 0);
  size_t size;
  char msg[256];
  unsigned char *b = read_file(path, &size, msg, sizeof msg);
  cr_assert(b != NULL, "%s", msg);
  memcpy(b + 8, "ad\nam", 5);
  cr_assert(write_file_atomic(path, b, size) == 0);
  free(b);
  struct opt_config s;
  cr_assert(opt_defaults("sgd", &s));
  s.lr = 0.1;
  struct optimizer *sgd = opt_new("sgd", 2, &s);
  cr_assert(opt_load(sgd, path, msg, sizeof msg) != 0);
  cr_expect(strchr(msg, '\n') == NULL, "message of two lines: %s", msg);
  cr_expect(strstr(msg, "'ad?am'") != NULL, "message: %s", msg);
  opt_free(&sgd);
  opt_free(&o);
  rm_tree(dir);
}

/* The next period, 2^64 steps, does not fit in 64 bits: the step is in the
   current one, not in an endless loop over periods wrapped around to 0. */
Test(restarts, period_beyond_64_bits, .timeout = 10)
{
  struct sched_config c;
  cr_assert(sched_defaults("cosine-restarts", &c));
  c.lr = 1; c.t_0 = 1; c.t_mult = 1L << 32;
  struct schedule *s = sched_new("cosine-restarts", &c);
  s->t = (uint64_t)1 << 33;
  double lr = sched_lr(s, NULL);
  cr_expect(lr > 0.999999 && lr <= 1, "lr %.17g", lr);
  s->t = UINT64_MAX;
  c.t_mult = 2;
  s->c = c;
  lr = sched_lr(s, NULL);
  cr_expect(lr >= 0 && lr <= 1, "lr %.17g", lr);
  sched_free(&s);
}
