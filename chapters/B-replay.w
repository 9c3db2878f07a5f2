@q B-replay.w -- Appendix B: the replay program @>
@* Checking ourselves against PyTorch.
A claim like ``this is Adam'' is cheap; this appendix makes it checkable.
The program \.{replay} exposes the library's optimizers to plain text on
its standard input and output, so that any other implementation---PyTorch,
above all---can be run on the same numbers and compared, one step at a
time.  It is used three ways in this book: by \.{make check}, which feeds
it the reference vectors that PyTorch produced (in \.{tests/ref/}, made by
\.{tools/make-refs.py}); by \.{tools/torch-check.py}, which draws fresh
random cases, runs PyTorch and \.{replay} side by side and compares them;
and by a reader who doubts a result and wants to try a case by hand:
$$\vbox{\halign{\.{#}\hfil\cr
\$ printf '1 2\\n0.5 -1\\n0.5 -1\\n' \char'174\ build/bin/replay optimizer sgd --lr 0.1\cr
0.949999988 2.0999999\cr
0.899999976 2.19999981\cr}}$$
The first input line holds the initial parameters, $n$ numbers; every
further line holds one gradient of $n$ numbers, and for each the program
prints the parameters after that step.  Numbers are read as decimal text
into |float| (correctly rounded by |strtof|) and printed with |"%.9g"|,
which is enough digits for every |float| to read back exactly.  The output
is flushed after every line, so that another process can drive \.{replay}
interactively, computing each gradient from the parameters it just
received.

@ The command line follows PyTorch's constructor, with its keyword
arguments spelled in kebab case:
$$\vbox{\halign{\.{#}\hfil\cr
replay optimizer NAME [--lr X] [--momentum X] [--dampening X] [--nesterov]\cr
\qquad [--weight-decay X] [--maximize] [--betas B1,B2] [--eps X] [--amsgrad]\cr
\qquad [--alpha X] [--centered] [--lr-decay X] [--initial-accumulator-value X]\cr
\qquad [--trust-coefficient X]\cr}}$$
An option that PyTorch's constructor would not take for that optimizer is
refused, as is a value it would refuse (a negative learning rate, say).
Options left out take PyTorch's defaults---which matters: \.{AdamW}'s
weight decay defaults to $10^{-2}$, not zero.  Every problem, on the
command line or in the input, ends the program with one line on the
standard error stream and exit status~2; input errors name the line.
The program's outline:
@c
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Replay: the usage text@>@;
@<Replay: options and their parsing@>@;
@<Replay: reading a line of numbers@>@;
@<Replay: the optimizer command@>@;
int main(int argc, char **argv)
{
  program_name = "replay";
  @<Replay: parse the command line into |cmd|, |name| and |cfg|@>@;
  return run_optimizer(name, &cfg);
}

@ The usage text, printed by \.{--help}.
@<Replay: the usage text@>=
static const char usage[] =
  "usage: replay optimizer NAME [options] < input\n"
  "  NAME: sgd adagrad rmsprop adam adamw\n"
  "  options (PyTorch's keyword arguments; defaults are PyTorch's):\n"
  "    --lr X  --momentum X  --dampening X  --nesterov  --weight-decay X\n"
  "    --maximize  --betas B1,B2  --eps X  --amsgrad  --alpha X  --centered\n"
  "    --lr-decay X  --initial-accumulator-value X  --trust-coefficient X\n"
  "  input: line 1 the initial parameters (n numbers); then one gradient per\n"
  "         line (n numbers)\n"
  "  output: after each gradient, the parameters after that step (%.9g)\n"
  "  --help, --version\n";

@*1 Options.
Each option has a long name, PyTorch's keyword for it (the name with
dashes turned into underscores), and a place in |struct opt_config|.
Options are recorded as they are seen; only after the optimizer's name is
known can we tell whether each applies to it, so |seen| remembers them.
@<Replay: options and their parsing@>=
enum { o_help = 'h', o_version = 'V', o_lr = 256, o_momentum, o_dampening,
  o_nesterov, o_weight_decay, o_maximize, o_betas, o_eps, o_amsgrad, o_alpha,
  o_centered, o_lr_decay, o_initial_accumulator_value, o_trust_coefficient,
  o_end };
static const struct option long_options[] = {
  @<Replay: the table of long options@>@/
  {0, 0, 0, 0}};
static bool seen[o_end];

@ The long options, in the order of the enumeration above (the code depends on it).
@<Replay: the table of long options@>=
{"help", no_argument, 0, o_help}, {"version", no_argument, 0, o_version},
{"lr", required_argument, 0, o_lr},
{"momentum", required_argument, 0, o_momentum},
{"dampening", required_argument, 0, o_dampening},
{"nesterov", no_argument, 0, o_nesterov},
{"weight-decay", required_argument, 0, o_weight_decay},
{"maximize", no_argument, 0, o_maximize},
{"betas", required_argument, 0, o_betas},
{"eps", required_argument, 0, o_eps},
{"amsgrad", no_argument, 0, o_amsgrad},
{"alpha", required_argument, 0, o_alpha},
{"centered", no_argument, 0, o_centered},
{"lr-decay", required_argument, 0, o_lr_decay},
{"initial-accumulator-value", required_argument, 0, o_initial_accumulator_value},
{"trust-coefficient", required_argument, 0, o_trust_coefficient},

@ Values are stored in a list first, because the defaults they override
depend on the optimizer's name, which comes later on the command line.
Any finite number is accepted here; the optimizer's own check decides
what is in range, with PyTorch's words.
@<Replay: options and their parsing@>=
static double value[o_end], beta2_value;
static void set_option(int c, const char *arg)
{
  seen[c] = true;
  if (c == o_betas) {
    const char *comma = strchr(arg, ',');
    char first[64];
    if (!comma || (size_t)(comma - arg) >= sizeof first)
      usage_error("--betas: '%s' is not two numbers B1,B2", arg);
    memcpy(first, arg, (size_t)(comma - arg)); first[comma - arg] = '\0';
    if (parse_double(first, &value[c]) || parse_double(comma + 1, &beta2_value))
      usage_error("--betas: '%s' is not two finite numbers B1,B2", arg);
  } else if (arg) {
    char opt[64];
    snprintf(opt, sizeof opt, "--%s", long_options[c - o_lr + 2].name);
    value[c] = cli_double(opt, arg, -HUGE_VAL, HUGE_VAL);
  }
}

@ Once the name is known, the defaults are PyTorch's for that optimizer
and every option seen overrides its field---after checking, against the
kind's list of keyword arguments, that PyTorch's constructor takes it.
@<Replay: options and their parsing@>=
static void apply_options(const char *name, struct opt_config *c)
{
  for (int o = o_lr; o < o_end; o++) {
    if (!seen[o]) continue;
    const char *opt = long_options[o - o_lr + 2].name;
    if (!opt_takes(name, opt))
      usage_error("optimizer %s takes no option --%s", name, opt);
    @<Replay: store option |o| into |c|@>@;
  }
}

@ Each value lands in its field of the configuration; the flags set |true|.
@<Replay: store option |o| into |c|@>=
switch (o) {
case o_lr: c->lr = value[o]; break;
case o_momentum: c->momentum = value[o]; break;
case o_dampening: c->dampening = value[o]; break;
case o_weight_decay: c->weight_decay = value[o]; break;
case o_betas: c->beta1 = value[o]; c->beta2 = beta2_value; break;
case o_eps: c->eps = value[o]; break;
case o_alpha: c->alpha = value[o]; break;
case o_lr_decay: c->lr_decay = value[o]; break;
case o_initial_accumulator_value: c->initial_accumulator_value = value[o]; break;
case o_trust_coefficient: c->trust_coefficient = value[o]; break;
case o_nesterov: c->nesterov = true; break;
case o_maximize: c->maximize = true; break;
case o_amsgrad: c->amsgrad = true; break;
case o_centered: c->centered = true; break;
}

@ Which keyword arguments does an optimizer take?  The answer belongs to
the optimizer, so the library's kinds carry it (|opt_takes|, in the
toolkit), and this program only asks.

@ The command line itself: options anywhere, then the command word and
the optimizer's name.
@<Replay: parse the command line...@>=
int c;
opterr = 0;
while ((c = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
  if (c == o_help) { fputs(usage, stdout); return 0; }
  if (c == o_version) cli_version();
  if (c == '?' || c == ':') cli_bad_option(c, argv);
  set_option(c, optarg);
}
if (optind >= argc) usage_error("missing command (optimizer)");
const char *cmd = argv[optind++];
@<Replay: check |cmd| and read the optimizer's |name|@>@;
struct opt_config cfg;
char msg[256];
if (!opt_defaults(name, &cfg))
  usage_error("unknown optimizer '%s' (known: %s)", name, opt_names());
apply_options(name, &cfg);
if (opt_check(name, &cfg, msg, sizeof msg) != 0) usage_error("%s", msg);

@ Later chapters add the commands \.{schedule}, \.{clip}, \.{scaler} and
\.{round}; until then they are refused by name.
@<Replay: check |cmd| and read...@>=
if (strcmp(cmd, "optimizer") != 0)
  usage_error("unknown command '%s' (known: optimizer)", cmd);
if (optind >= argc) usage_error("optimizer: missing NAME (known: %s)", opt_names());
const char *name = argv[optind++];
cli_no_operands(argc, argv);

@*1 Reading numbers.
A line of input is read whole, with |getline|, so that no line is too
long; then it is cut at blanks and each word is converted by |strtof|,
which rounds the decimal text to the nearest |float| directly.  (Going
through |double| first would round twice, and in rare cases land on the
other neighbour.)  A word that is not entirely a finite number, or a line
with the wrong count, ends the run with a message that gives the line
number and what was expected.
@<Replay: reading a line of numbers@>=
static long line_no;
static float parse_word(const char *w)
{
  char *end;
  errno = 0;
  float x = strtof(w, &end);
  if (*end != '\0' || errno == ERANGE || !isfinite(x))
    usage_error("line %ld: '%s' is not a finite float32 number", line_no, w);
  return x;
}

@ |read_numbers| returns the count it found (|-1| at the end of the input)
and grows |*v| as needed.  When |expect| is positive, any other count is
an error.
@<Replay: reading a line of numbers@>=
static long read_numbers(FILE *in, float **v, size_t *cap, long expect)
{
  static char *line; static size_t linecap;
  if (getline(&line, &linecap, in) < 0) return -1;
  line_no++;
  long n = 0;
  for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
    if ((size_t)n == *cap) {
      *cap = *cap ? 2 * *cap : 64;
      float *nv = realloc(*v, *cap * sizeof **v);
      if (!nv) die("out of memory");
      *v = nv;
    }
    (*v)[n++] = parse_word(w);
  }
  if (expect > 0 && n != expect)
    usage_error("line %ld: expected %ld numbers, got %ld", line_no, expect, n);
  return n;
}

@*1 Running an optimizer.
The parameters come first; their count fixes $n$ for the rest of the
run.  Each gradient then makes one |opt_step|, and the parameters are
printed and flushed.
@<Replay: the optimizer command@>=
static void print_vector(const float *p, size_t n)
{
  for (size_t i = 0; i < n; i++) printf(i ? " %.9g" : "%.9g", p[i]);
  putchar('\n');
  fflush(stdout);
}

@ The run itself.
@<Replay: the optimizer command@>=
static int run_optimizer(const char *name, const struct opt_config *cfg)
{
  float *p = NULL, *g = NULL;
  size_t pcap = 0, gcap = 0;
  long n = read_numbers(stdin, &p, &pcap, 0);
  if (n <= 0) usage_error("line %ld: expected the initial parameters", line_no + (n < 0));
  struct optimizer *o = opt_new(name, (size_t)n, cfg);
  while (read_numbers(stdin, &g, &gcap, n) >= 0) {
    opt_step(o, p, g);
    print_vector(p, (size_t)n);
  }
  opt_free(&o);
  free(p); free(g);
  return 0;
}

@*1 How the reference vectors are made.
The script \.{tools/make-refs.py} runs Debian's PyTorch
(\.{python3-torch}, version 1.13) on random cases drawn from a fixed seed:
for each optimizer, random hyperparameters across the options it takes,
initial parameters and at least one hundred gradients of a few dozen
coordinates, in |float| tensors.  It writes each case to
\.{tests/ref/NAME.txt}: the \.{replay} command line, the input and PyTorch's
output.  The files are committed, so \.{make check} needs no PyTorch to
compare; the script is committed, so anyone can regenerate them and see
that nothing was edited by hand.  The comparison allows float32 rounding:
an element passes if it differs from PyTorch's by at most a few units in
the last place of single precision, relative to the parameter's size,
because PyTorch's vectorized kernels may fuse a multiply and an add where
our scalar code rounds twice.

A second script, \.{tools/torch-check.py}, makes {\it new} random cases
every time it runs---cases that \.{replay} has never seen---and compares
live.  \.{make check} runs it when PyTorch is installed.
