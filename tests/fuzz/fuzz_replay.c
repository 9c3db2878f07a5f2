/* tests/fuzz/fuzz_replay.c -- replay's input: the lines of numbers that
   its commands read (Appendix B).

   The program's reading functions are static and end the program on bad
   input, so this target includes the tangled program itself
   (build/src/B-replay.c), with |main| renamed, the standard input replaced
   by the fuzzer's bytes, and |usage_error| (the one way replay refuses
   input) replaced by a jump back here.

   Input: one control byte, then the text replay reads on its standard
   input.  The low four bits of the control byte pick what reads it:
     0      read_numbers, line after line, any count
     1      read_numbers, the count of the first line required of the rest
     2-7    clip norm, clip norm with --norm-type inf, clip value,
            round fp16, round bf16, scaler
     8-15   optimizer NAME, the kinds of opt_names() in turn (8 the
            first, sgd); the high four bits add options where the kind
            takes them: 1 momentum and maximize, 2 nesterov (with momentum),
            4 centered or amsgrad, 8 weight decay
   A command's input is read twice.  First a check applies the command's
   rules with replay's own reading functions (the numbers of a line, the
   count it must have, 0 or 1 for the scaler, one number a line for
   rounding); a refusal there must be one line.  If the check accepts the
   input, the command itself runs on it, output to /dev/null, and must
   accept it too: that run is where the optimizers, clipping, rounding and
   the scaler meet arbitrary numbers, and where a leak on a successful run
   would show.  A refused input is not run, so that the memory a run holds
   when it exits on bad input (the program ends; nothing is freed) does not
   count as a leak. */
#include <setjmp.h>
#include "fuzz.h"
#include "descent.h"

static jmp_buf escape;
static bool armed;
static char *refusal;   /* the message of the last refused input */

__attribute__((format(printf, 1, 2), noreturn))
static void fuzz_usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  free(refusal);
  if (vasprintf(&refusal, fmt, ap) < 0) fuzz_fail("vasprintf failed");
  va_end(ap);
  if (!armed) fuzz_fail("usage error outside a run: %s", refusal);
  armed = false;
  longjmp(escape, 1);
}
__attribute__((format(printf, 1, 2), noreturn))
static void fuzz_die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("replay died: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fuzz_fail("die() on input");
}

static FILE *fuzz_in;
#undef stdin
#define stdin fuzz_in
#define usage_error fuzz_usage_error
#define die fuzz_die
#define main replay_main
#include "B-replay.c"
#undef main
#undef stdin

static struct fuzz_names optimizers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc; (void)argv;
  program_name = "replay";
  fuzz_split_names(opt_names(), &optimizers);
  if (!freopen("/dev/null", "w", stdout)) fuzz_fail("cannot send stdout to /dev/null");
  return 0;
}

/* The commands after the two parsing modes, in the order of the control byte. */
enum { c_parse, c_parse_fixed, c_clip_norm, c_clip_inf, c_clip_value,
       c_round_fp16, c_round_bf16, c_scaler, c_optimizer };

static void set(int o, const char *arg) { seen[o] = true; arg_of[o] = arg; }

/* An optimizer's options from the high bits of the control byte, each only
   where PyTorch's constructor takes it (replay refuses the others). */
static void optimizer_options(const char *name, unsigned bits)
{
  if (opt_takes(name, "lr")) set(o_lr, "0.01");
  if (bits & 1 && opt_takes(name, "momentum")) set(o_momentum, "0.9");
  if (bits & 2 && opt_takes(name, "momentum") && opt_takes(name, "nesterov")) {
    set(o_momentum, "0.9"); set(o_nesterov, NULL);
  }
  if (bits & 4 && opt_takes(name, "centered")) set(o_centered, NULL);
  if (bits & 4 && opt_takes(name, "amsgrad")) set(o_amsgrad, NULL);
  if (bits & 1 && opt_takes(name, "maximize")) set(o_maximize, NULL);
  if (bits & 8 && opt_takes(name, "weight_decay")) set(o_weight_decay, "0.01");
}

/* The first pass: the command's rules, through replay's reading functions.
   Returns true if the input is accepted.  |v| is static, so that it is
   still there to free after a jump. */
static float *v;
static size_t vcap;
static char *word_line;
static size_t word_cap;
static bool check(int cmd, FILE *in)
{
  line_no = 0;
  fuzz_in = in;   /* replay's read_line reads "stdin", which is fuzz_in here */
  armed = true;
  if (setjmp(escape)) return false;
  if (cmd == c_round_fp16 || cmd == c_round_bf16) {
    for (ssize_t got; (got = getline(&word_line, &word_cap, in)) >= 0; ) {
      line_no++;
      if (memchr(word_line, '\0', (size_t)got)) usage_error("line %ld: holds a NUL byte", line_no);
      char *w = strtok(word_line, " \t\r\n");
      if (!w || strtok(NULL, " \t\r\n")) usage_error("line %ld: expected one number", line_no);
      (void)parse_any(w);
    }
  } else {
    const bool first_fixes = cmd == c_parse_fixed || cmd >= c_optimizer;
    long n, expect = 0;
    bool first = true;
    while ((n = read_numbers(&v, &vcap, expect)) >= 0) {
      if (first && first_fixes) {
        if (n == 0) usage_error("line %ld: expected the initial parameters", line_no);
        expect = n;
      }
      if (cmd >= c_clip_norm && n == 0) usage_error("line %ld: expected numbers", line_no);
      if (cmd == c_scaler && (n != 1 || (v[0] != 0 && v[0] != 1)))
        usage_error("line %ld: expected 0 or 1", line_no);
      first = false;
    }
    if (first && first_fixes) usage_error("line 1: expected the initial parameters");
  }
  armed = false;
  return true;
}

/* The second pass: the command itself. */
static void run(int cmd, const char *name)
{
  line_no = 0;
  armed = true;
  if (setjmp(escape)) fuzz_fail("replay refused what its rules accept: %s", refusal);
  switch (cmd) {
  case c_clip_norm: case c_clip_inf: run_clip("norm"); break;
  case c_clip_value: run_clip("value"); break;
  case c_round_fp16: run_round("fp16"); break;
  case c_round_bf16: run_round("bf16"); break;
  case c_scaler: run_scaler(); break;
  default: run_optimizer(name); break;
  }
  armed = false;
}

static FILE *open_input(const uint8_t *data, size_t size)
{
  FILE *f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
  if (!f) fuzz_fail("fmemopen: %s", strerror(errno));
  return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1) return 0;
  const unsigned ctl = data[0];
  data++; size--;
  const int cmd = (int)(ctl % 16) < c_optimizer ? (int)(ctl % 16) : c_optimizer;
  const char *name = cmd == c_optimizer ? optimizers.name[(ctl % 16 - c_optimizer) % optimizers.n] : NULL;
  memset(seen, 0, sizeof seen);
  memset(arg_of, 0, sizeof arg_of);
  if (name) optimizer_options(name, ctl / 16);
  if (cmd == c_clip_norm || cmd == c_clip_inf || cmd == c_clip_value) set(o_max, "1.5");
  if (cmd == c_clip_inf) set(o_norm_type, "inf");

  FILE *in = open_input(data, size);
  const bool ok = check(cmd, in);
  fclose(in);
  free(v); v = NULL; vcap = 0;
  free(word_line); word_line = NULL; word_cap = 0;
  if (!ok) {
    if (!refusal || !*refusal || strchr(refusal, '\n'))
      fuzz_fail("refusal is not one line: '%s'", refusal ? refusal : "(none)");
    return 0;
  }
  if (memchr(data, '\0', size))
    fuzz_fail("accepted an input with a NUL byte (the rest of its line is ignored)");
  if (cmd > c_parse_fixed) {
    fuzz_in = open_input(data, size);
    run(cmd, name);
    fclose(fuzz_in);
  }
  return 0;
}
