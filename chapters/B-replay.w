@q B-replay.w -- Appendix B: the replay program @>
@* Checking ourselves against PyTorch.
A claim like ``this is Adam'' is cheap; this appendix makes it checkable.
The program \.{replay} exposes the library's optimizers, learning-rate
schedules, gradient clipping, loss scaler and 16-bit rounding to plain
text on its standard input and output, so that any other
implementation---PyTorch, above all---can be run on the same numbers and
compared, one step at a time.  It is used three ways in this book: by \.{make check}, which feeds
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

@ The first command, \.{optimizer}, is described here; the others
(\.{schedule}, \.{clip}, \.{round}, \.{scaler}, \.{loss}) have parts of their own
below.  The command line follows PyTorch's constructor, with its keyword
arguments spelled in kebab case:
$$\vbox{\halign{\.{#}\hfil\cr
replay optimizer NAME [--lr X] [--momentum X] [--dampening X] [--nesterov]\cr
\qquad [--weight-decay X] [--maximize] [--betas B1,B2] [--eps X] [--amsgrad]\cr
\qquad [--alpha X] [--centered] [--lr-decay X] [--initial-accumulator-value X]\cr
\qquad [--trust-coefficient X] [--adjust-lr-fn original\char'174 match\_rms\_adamw]\cr
\qquad [--shape R,C] [--warmup-steps N] [--r X] [--weight-lr-power X]\cr}}$$
An option that PyTorch's constructor would not take for that optimizer is
refused, as is a value it would refuse (a negative learning rate, say).
Options left out take PyTorch's defaults---which matters: \.{AdamW}'s
weight decay defaults to $10^{-2}$, not zero.  Every problem, on the
command line or in the input, ends the program with one line on the
standard error stream and exit status~2; input errors name the line.
A standard input that cannot be read, or a standard output that cannot
be written, is a failure of the environment rather than of the user,
and ends it with one line and status~1.
The program's outline:
@c
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "descent.h"
@<Replay: the usage text@>@;
@<Replay: options and their parsing@>@;
@<Replay: reading a line of numbers@>@;
@<Replay: writing the output@>@;
@<Replay: the optimizer command@>@;
@<Replay: the schedule command@>@;
@<Replay: the clip command@>@;
@<Replay: the round command@>@;
@<Replay: the scaler command@>@;
@<Replay: the loss command@>@;
int main(int argc, char **argv)
{
  program_name = "replay";
  @<Replay: parse the options, and find |cmd| and |name|@>@;
  if (strcmp(cmd, "optimizer") == 0) return run_optimizer(name);
  if (strcmp(cmd, "schedule") == 0) return run_schedule(name);
  if (strcmp(cmd, "clip") == 0) return run_clip(name);
  if (strcmp(cmd, "round") == 0) return run_round(name);
  if (strcmp(cmd, "loss") == 0) return run_loss(name);
  return run_scaler();
}

@ The usage text, printed by \.{--help}.
@<Replay: the usage text@>=
static const char usage[] =
  "usage: replay optimizer NAME [options] < input\n"@/
  "  NAME: sgd adagrad rmsprop adam adamw lion lars lamb muon adamw-schedulefree\n"@/
  "  options (PyTorch's keyword arguments; defaults are PyTorch's):\n"@/
  "    --lr X  --momentum X  --dampening X  --nesterov  --weight-decay X\n"@/
  "    --maximize  --betas B1,B2  --eps X  --amsgrad  --alpha X  --centered\n"@/
  "    --lr-decay X  --initial-accumulator-value X  --trust-coefficient X\n"@/
  "    --adjust-lr-fn original|match_rms_adamw  --shape R,C (muon: one line is\n"@/
  "    one R x C matrix, rows first)  --warmup-steps N  --r X\n"@/
  "    --weight-lr-power X (adamw-schedulefree, which prints x, its evaluation\n"@/
  "    point)\n"@/
  "  input: line 1 the initial parameters (n numbers); then one gradient per\n"@/
  "         line (n numbers)\n"@/
  "  output: after each gradient, the parameters after that step (%.9g)\n"@/
  "usage: replay schedule NAME --steps N --lr X [options]\n"@/
  "  NAME: step multistep exponential cosine warmup-cosine cosine-restarts\n"@/
  "        cyclic onecycle linear wsd linear-to-zero\n"@/
  "  options: --step-size N --gamma X --milestones A,B,.. --t-max N --eta-min X\n"@/
  "    --warmup-steps N --t-0 N --t-mult N --base-lr X --max-lr X\n"@/
  "    --step-size-up N --step-size-down N --mode triangular|triangular2|exp_range\n"@/
  "    --cycle-momentum --base-momentum X --max-momentum X --total-steps N\n"@/
  "    --pct-start X --anneal-strategy cos|linear --div-factor X\n"@/
  "    --final-div-factor X --three-phase --start-factor X --end-factor X\n"@/
  "    --total-iters N\n"@/
  "  output: N lines, the learning rate of steps 0..N-1 (and the momentum,\n"@/
  "          with --cycle-momentum)\n"@/
  "usage: replay clip norm|value --max X [--norm-type 2|inf] < input\n"@/
  "  input: one gradient per line; output: per line, for norm the norm before\n"@/
  "         clipping and then the clipped gradient, for value the clipped gradient\n"@/
  "usage: replay round fp16|bf16 < input\n"@/
  "  input: one float32 per line (decimal, nan, inf, -inf, -0.0); output: the\n"@/
  "         value rounded to the format and widened back\n"@/
  "usage: replay scaler [--init-scale X] [--growth-factor X] [--backoff-factor X]\n"@/
  "                     [--growth-interval N] < input\n"@/
  "  input: one line per step, 1 if its gradients held an inf/NaN, else 0;\n"@/
  "  output: per step, 1 if it was skipped else 0, and the scale after update()\n"@/
  "usage: replay loss xent [--label-smoothing X] < input\n"@/
  "  input: one example per line, the target class (0..K-1) then its K logits;\n"@/
  "  output: per line, the loss and its K derivatives with respect to the logits,\n"@/
  "          as torch.nn.functional.cross_entropy(..., label_smoothing=X)\n"@/
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
  o_adjust_lr_fn, o_r, o_weight_lr_power, o_shape,
  @<Replay: the schedule's and the clip's options@>@;
  @<Replay: the loss's option@>@;
  o_end };@/
static const struct option long_options[] = {
  @<Replay: the table of long options@>@/
  {0, 0, 0, 0}};
static bool seen[o_end];
static const char *arg_of[o_end];
#define option_name(o) (long_options[(o) - o_lr + 2].name)

@ The long options, in the order of the enumeration above (the code depends on it).
@<Replay: the table of long options@>=
{"help", no_argument, 0, o_help}, {"version", no_argument, 0, o_version},@/
{"lr", required_argument, 0, o_lr},@/
{"momentum", required_argument, 0, o_momentum},@/
{"dampening", required_argument, 0, o_dampening},@/
{"nesterov", no_argument, 0, o_nesterov},@/
{"weight-decay", required_argument, 0, o_weight_decay},@/
{"maximize", no_argument, 0, o_maximize},@/
{"betas", required_argument, 0, o_betas},@/
{"eps", required_argument, 0, o_eps},@/
{"amsgrad", no_argument, 0, o_amsgrad},@/
{"alpha", required_argument, 0, o_alpha},@/
{"centered", no_argument, 0, o_centered},@/
{"lr-decay", required_argument, 0, o_lr_decay},@/
{"initial-accumulator-value", required_argument, 0, o_initial_accumulator_value},@/
{"trust-coefficient", required_argument, 0, o_trust_coefficient},@/
{"adjust-lr-fn", required_argument, 0, o_adjust_lr_fn},@/
{"r", required_argument, 0, o_r},@/
{"weight-lr-power", required_argument, 0, o_weight_lr_power},@/
{"shape", required_argument, 0, o_shape},
@<Replay: the schedule's and the clip's long options@>@;
@<Replay: the loss's long option@>@;

@ Options are only recorded while the command line is read, because
what they mean---and their defaults---depend on the command and the name
that follow them.  A repeated option keeps its last value.
@<Replay: options and their parsing@>=
static void set_option(int c, const char *arg)
{
  seen[c] = true;
  arg_of[c] = arg;
}

@ Parsing a recorded value: any finite number for a real option (the
kind's own check decides what is in range, with PyTorch's words), an
integer for a count, and two numbers for \.{--betas}.
@<Replay: options and their parsing@>=
static double real_option(int o)
{
  char opt[64];
  snprintf(opt, sizeof opt, "--%s", option_name(o));
  return cli_double(opt, arg_of[o], -HUGE_VAL, HUGE_VAL);
}
static long int_option(int o)
{
  char opt[64];
  snprintf(opt, sizeof opt, "--%s", option_name(o));
  return cli_long(opt, arg_of[o], LONG_MIN, LONG_MAX);
}
static void betas_option(double *b1, double *b2)
{
  const char *arg = arg_of[o_betas], *comma = strchr(arg, ',');
  char first[64];
  if (!comma || (size_t)(comma - arg) >= sizeof first)
    usage_error("--betas: '%s' is not two numbers B1,B2", arg);
  memcpy(first, arg, (size_t)(comma - arg)); first[comma - arg] = '\0';
  if (parse_double(first, b1) || parse_double(comma + 1, b2))
    usage_error("--betas: '%s' is not two finite numbers B1,B2", arg);
}

@ Once the optimizer's name is known, the defaults are PyTorch's for that
optimizer and every option seen overrides its field---after checking,
against the kind's list of keyword arguments, that PyTorch's constructor
takes it.  Options of the other commands are refused too.
@<Replay: options and their parsing@>=
static void apply_options(const char *name, struct opt_config *c)
{
  for (int o = o_lr; o < o_end; o++) {
    if (!seen[o] || (o == o_shape && strcmp(name, "muon") == 0)) continue;
    const char *opt = option_name(o);
    if ((o > o_weight_lr_power && o != o_warmup_steps) || !opt_takes(name, opt))
      usage_error("optimizer %s takes no option --%s", name, opt);
    @<Replay: store option |o| into |c|@>@;
  }
}

@ Each value lands in its field of the configuration; the flags set |true|.
@<Replay: store option |o| into |c|@>=
switch (o) {
case o_lr: c->lr = real_option(o); break;
case o_momentum: c->momentum = real_option(o); break;
case o_dampening: c->dampening = real_option(o); break;
case o_weight_decay: c->weight_decay = real_option(o); break;
case o_betas: betas_option(&c->beta1, &c->beta2); break;
case o_eps: c->eps = real_option(o); break;
case o_alpha: c->alpha = real_option(o); break;
case o_lr_decay: c->lr_decay = real_option(o); break;
case o_initial_accumulator_value: c->initial_accumulator_value = real_option(o); break;
case o_trust_coefficient: c->trust_coefficient = real_option(o); break;
case o_r: c->r = real_option(o); break;
case o_weight_lr_power: c->weight_lr_power = real_option(o); break;
case o_warmup_steps: c->warmup_steps = int_option(o); break;
case o_nesterov: c->nesterov = true; break;
case o_maximize: c->maximize = true; break;
case o_amsgrad: c->amsgrad = true; break;
case o_centered: c->centered = true; break;
case o_adjust_lr_fn:
  if (strcmp(arg_of[o], "original") == 0) c->adjust_lr_fn = 0;
  else if (strcmp(arg_of[o], "match_rms_adamw") == 0) c->adjust_lr_fn = 1;
  else usage_error("--adjust-lr-fn: '%s' is neither original nor match_rms_adamw",
                   arg_of[o]);
  break;
}

@ Which keyword arguments does an optimizer take?  The answer belongs to
the optimizer, so the library's kinds carry it (|opt_takes|, in the
toolkit), and this program only asks.

@ The command line itself: options anywhere, then the command word and
a name (of an optimizer, a schedule, or a kind of clipping).
@<Replay: parse the options...@>=
int c;
opterr = 0;
while ((c = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
  if (c == o_help) { fputs(usage, stdout); check_output(); return 0; }
  if (c == o_version) cli_version();
  if (c == '?' || c == ':') cli_bad_option(c, argv);
  set_option(c, optarg);
}
if (optind >= argc) usage_error("missing command (optimizer, schedule or clip)");
const char *cmd = argv[optind++];
@<Replay: check |cmd| and read its |name|@>@;

@ Six commands; all but \.{scaler} are followed by a name.
@<Replay: check |cmd| and read...@>=
static const char *const commands[] = {"optimizer", "schedule", "clip", "round", "loss",
                                       "scaler"};
size_t which = 0;
while (which < 6 && strcmp(cmd, commands[which]) != 0) which++;
if (which == 6)
  usage_error("unknown command '%s' (known: optimizer schedule clip round loss scaler)", cmd);
const char *name = NULL;
if (which < 5) {
  if (optind >= argc) usage_error("%s: missing NAME", cmd);
  name = argv[optind++];
}
cli_no_operands(argc, argv);

@*1 Reading numbers.
A line of input is read whole, with |getline|, so that no line is too
long; then it is cut at blanks and each word is converted by |strtof|,
which rounds the decimal text to the nearest |float| directly.  (Going
through |double| first would round twice, and in rare cases land on the
other neighbour.)  |strtof| reports a range error both for overflow and
for results in the subnormal range; only the first is an error here,
since PyTorch takes subnormal numbers like any other.  A word that is not entirely a finite number, or a line
with the wrong count, ends the run with a message that gives the line
number and what was expected.  So does a line that holds a NUL byte:
|getline| reads past it, but the words are cut from a \CEE/ string, which
would end there and drop the rest of the line without a word (the
fuzzer of \.{tests/fuzz/fuzz\_replay.c} found this).
@<Replay: reading a line of numbers@>=
static long line_no;
static float parse_word(const char *w)
{
  char *end;
  errno = 0;
  float x = strtof(w, &end);
  if (end == w || *end != '\0' || !isfinite(x))
    usage_error("line %ld: '%s' is not a finite float32 number", line_no, w);
  return x;
}

@ Every line of input is read by |read_line|, which returns it, or a null
pointer at the end of the input, and catches two things that |getline|
alone lets through.  |getline| returns $-1$ both at the end of the input
and on a read error---the standard input may be a directory, or a disk
may fail---and only |ferror| tells them apart; an error ends the program
with one line and status~1 (|die|: the environment failed, not the user),
instead of passing for the end of the input.  And a line may contain a
NUL byte, which |getline| counts but every string function takes for the
end of the line, so that the rest of the line would be silently ignored;
such a line is refused as bad input, with status~2, naming the line.
@.NUL byte@>
@.cannot read the standard input@>
@<Replay: reading a line of numbers@>=
static char *read_line(void)
{
  static char *line; static size_t cap;
  errno = 0;
  ssize_t got = getline(&line, &cap, stdin);
  if (got < 0) {
    if (ferror(stdin))
      die("cannot read the standard input: %s", errno ? strerror(errno) : "read error");
    return NULL;
  }
  line_no++;
  if (strlen(line) != (size_t)got) usage_error("line %ld: contains a NUL byte", line_no);
  return line;
}

@ |read_numbers| returns the count it found (|-1| at the end of the input)
and grows |*v| as needed.  When |expect| is positive, any other count is
an error.
@<Replay: reading a line of numbers@>=
static long read_numbers(float **v, size_t *cap, long expect)
{
  char *line = read_line();
  if (!line) return -1;
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

@ Writing can fail as well: the standard output may be a full disk (try
\.{> /dev/full}), or a file system that has gone away.  |printf| says
nothing about it; the stream's error flag remembers a failed write, and
|fflush| reports on what is still in the buffer.  |check_output| looks at
both and ends the program with one line and status~1 if either failed.
It is called after every line that is flushed, after every line in the
loops that print without flushing (a test of the flag costs nothing, and
a program whose output is broken should stop at once, not go on
computing $10^8$ lines that nobody will read), and once more before each
command returns, for what is left in the buffer.  The reason is in
|errno|, set by the |fflush| that failed or, when the flag was set
before, by the write that failed just before the call.
@.cannot write the standard output@>
@<Replay: writing the output@>=
static void check_output(void)
{
  int e = errno;
  if (fflush(stdout) != 0) e = errno;
  if (ferror(stdout))
    die("cannot write the standard output: %s", e ? strerror(e) : "write error");
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
  check_output();
}

@ Muon (chapter {\it After AdamW\/}) works on matrices, so \.{replay optimizer muon}
needs the shape of the matrix that each line holds, \.{--shape R,C}
(rows first, as PyTorch's weight is \.{out\_features} by
\.{in\_features}); $RC$ must be the count of numbers on the first line.
Every other optimizer takes the line as one vector.
@.--shape R,C@>
@<Replay: the optimizer command@>=
static struct optimizer *muon_or_plain(const char *name, long n,
                                       const struct opt_config *cfg)
{
  if (strcmp(name, "muon") != 0) return opt_new(name, (size_t)n, cfg);
  if (!seen[o_shape]) usage_error("optimizer muon needs --shape R,C");
  const char *arg = arg_of[o_shape], *comma = strchr(arg, ',');
  char first[32];
  long r, c;
  if (!comma || (size_t)(comma - arg) >= sizeof first)
    usage_error("--shape: '%s' is not two counts R,C", arg);
  memcpy(first, arg, (size_t)(comma - arg)); first[comma - arg] = '\0';
  if (parse_long(first, &r) || parse_long(comma + 1, &c) || r < 1 || c < 1)
    usage_error("--shape: '%s' is not two positive counts R,C", arg);
  if (r > n || c > n || r * c != n)
    usage_error("line 1: %ld numbers are not a matrix of --shape %ld,%ld", n, r, c);
  struct layout *L = layout_new();
  const size_t shape[2] = {(size_t)r, (size_t)c};
  layout_add(L, "matrix", 2, shape, 0);
  struct optimizer *o = opt_new_layout(name, L, cfg);
  layout_free(&L);
  return o;
}

@ The run itself.  Schedule-free AdamW (chapter {\it After AdamW\/})
steps the point $y$ where the gradients are taken but is evaluated at
the average $x$, and $x$ is what it prints; the gradients it reads are
those at~$y$.
@<Replay: the optimizer command@>=
static int run_optimizer(const char *name)
{
  struct opt_config cfg;
  char msg[256];
  if (!opt_defaults(name, &cfg))
    usage_error("unknown optimizer '%s' (known: %s)", name, opt_names());
  apply_options(name, &cfg);
  if (opt_check(name, &cfg, msg, sizeof msg) != 0) usage_error("%s", msg);
  float *p = NULL, *g = NULL;
  size_t pcap = 0, gcap = 0;
  long n = read_numbers(&p, &pcap, 0);
  if (n <= 0) usage_error("line %ld: expected the initial parameters", line_no + (n < 0));
  struct optimizer *o = muon_or_plain(name, n, &cfg);
  const bool sf = strcmp(name, "adamw-schedulefree") == 0;
  float *x = sf ? vec_new((size_t)n) : NULL;
  while (read_numbers(&g, &gcap, n) >= 0) {
    opt_step(o, p, g);
    if (sf) schedulefree_eval_point(o, p, x);
    print_vector(sf ? x : p, (size_t)n);
  }
  vec_free(&x);
  opt_free(&o);
  free(p); free(g);
  check_output();
  return 0;
}

@*1 Replaying a schedule.
\.{replay schedule NAME --steps N --lr X} prints $N$ lines: line $t$ holds
the learning rate the optimizer uses for its step~$t$, counting from
zero, in PyTorch's loop
$$\hbox{\.{for t in range(N): optimizer.step(); scheduler.step()}}$$
and, with \.{--cycle-momentum}, a second number, the momentum (or
Adam's $\beta_1$) of that step.  In \.{replay}, unlike PyTorch, momentum is cycled
only when that flag is given, so that each line's count says what it
holds.  The schedule's options, in the enumeration and in the table of
long options:
@<Replay: the schedule's and the clip's options@>=
o_steps, o_step_size, o_gamma, o_milestones, o_t_max, o_eta_min, o_warmup_steps,
o_t_0, o_t_mult, o_base_lr, o_max_lr, o_step_size_up, o_step_size_down, o_mode,
o_cycle_momentum, o_base_momentum, o_max_momentum, o_total_steps, o_pct_start,
o_anneal_strategy, o_div_factor, o_final_div_factor, o_three_phase,
o_start_factor, o_end_factor, o_total_iters, o_max, o_norm_type,
o_init_scale, o_growth_factor, o_backoff_factor, o_growth_interval,

@ The long options, in the same order.
@<Replay: the schedule's and the clip's long options@>=
{"steps", required_argument, 0, o_steps},@/
{"step-size", required_argument, 0, o_step_size},@/
{"gamma", required_argument, 0, o_gamma},@/
{"milestones", required_argument, 0, o_milestones},@/
{"t-max", required_argument, 0, o_t_max},@/
{"eta-min", required_argument, 0, o_eta_min},@/
{"warmup-steps", required_argument, 0, o_warmup_steps},@/
{"t-0", required_argument, 0, o_t_0},@/
{"t-mult", required_argument, 0, o_t_mult},@/
{"base-lr", required_argument, 0, o_base_lr},@/
{"max-lr", required_argument, 0, o_max_lr},@/
{"step-size-up", required_argument, 0, o_step_size_up},@/
{"step-size-down", required_argument, 0, o_step_size_down},@/
{"mode", required_argument, 0, o_mode},@/
{"cycle-momentum", no_argument, 0, o_cycle_momentum},@/
{"base-momentum", required_argument, 0, o_base_momentum},@/
{"max-momentum", required_argument, 0, o_max_momentum},@/
{"total-steps", required_argument, 0, o_total_steps},@/
{"pct-start", required_argument, 0, o_pct_start},@/
{"anneal-strategy", required_argument, 0, o_anneal_strategy},@/
{"div-factor", required_argument, 0, o_div_factor},@/
{"final-div-factor", required_argument, 0, o_final_div_factor},@/
{"three-phase", no_argument, 0, o_three_phase},@/
{"start-factor", required_argument, 0, o_start_factor},@/
{"end-factor", required_argument, 0, o_end_factor},@/
{"total-iters", required_argument, 0, o_total_iters},@/
{"max", required_argument, 0, o_max},@/
{"norm-type", required_argument, 0, o_norm_type},@/
{"init-scale", required_argument, 0, o_init_scale},@/
{"growth-factor", required_argument, 0, o_growth_factor},@/
{"backoff-factor", required_argument, 0, o_backoff_factor},@/
{"growth-interval", required_argument, 0, o_growth_interval},@/

@ The schedule's configuration: PyTorch's defaults for the kind, then
every option seen, each refused unless the kind takes it.  \.{--steps}
and \.{--lr} belong to the command rather than to a kind.
@<Replay: the schedule command@>=
static void milestones_option(struct sched_config *c)
{
  const char *s = arg_of[o_milestones];
  char word[64];
  c->n_milestones = 0;
  while (*s) {
    size_t w = strcspn(s, ",");
    if (w == 0 || w >= sizeof word || c->n_milestones == 32)
      usage_error("--milestones: '%s' is not a list A,B,... of at most 32 integers",
                  arg_of[o_milestones]);
    memcpy(word, s, w); word[w] = '\0';
    c->milestones[c->n_milestones++] = cli_long("--milestones", word, LONG_MIN, LONG_MAX);
    s += w; if (*s == ',') s++;
  }
}

@ The word-valued options name one of a few choices.
@<Replay: the schedule command@>=
static void word_options(struct sched_config *c)
{
  if (seen[o_mode]) {
    const char *m = arg_of[o_mode];
    if (strcmp(m, "triangular") == 0) c->mode = sched_triangular;
    else if (strcmp(m, "triangular2") == 0) c->mode = sched_triangular2;
    else if (strcmp(m, "exp_range") == 0) c->mode = sched_exp_range;
    else usage_error("--mode: '%s' is not triangular, triangular2 or exp_range", m);
  }
  if (seen[o_anneal_strategy]) {
    const char *a = arg_of[o_anneal_strategy];
    if (strcmp(a, "cos") != 0 && strcmp(a, "linear") != 0)
      usage_error("--anneal-strategy: '%s' is not cos or linear", a);
    c->linear_anneal = strcmp(a, "linear") == 0;
  }
}

@ The numbers go to their fields.
@<Replay: the schedule command@>=
static void schedule_options(const char *name, struct sched_config *c)
{
  for (int o = o_lr; o < o_end; o++) {
    if (!seen[o] || o == o_steps || o == o_lr) continue;
    if (o < o_steps || o > o_total_iters || !sched_takes(name, option_name(o)))
      usage_error("schedule %s takes no option --%s", name, option_name(o));
  }
  if (seen[o_lr]) c->lr = real_option(o_lr);
  double *const real[o_end] = {[o_gamma] = &c->gamma, [o_eta_min] = &c->eta_min,
    [o_base_lr] = &c->base_lr, [o_max_lr] = &c->max_lr,
    [o_base_momentum] = &c->base_momentum, [o_max_momentum] = &c->max_momentum,
    [o_pct_start] = &c->pct_start, [o_div_factor] = &c->div_factor,
    [o_final_div_factor] = &c->final_div_factor,
    [o_start_factor] = &c->start_factor, [o_end_factor] = &c->end_factor};
  @<Replay: the schedule's integer options@>@;
  for (int o = o_steps; o < o_end; o++) {
    if (seen[o] && real[o]) *real[o] = real_option(o);
    if (seen[o] && count[o]) *count[o] = int_option(o);
  }
  if (seen[o_step_size_down] && c->step_size_down < 0)
    usage_error("--step-size-down: must not be negative (got %ld)", c->step_size_down);
  if (seen[o_milestones]) milestones_option(c);
  word_options(c);
  c->cycle_momentum = seen[o_cycle_momentum];
  c->three_phase = seen[o_three_phase];
}

@ The integer options, likewise by table.
@<Replay: the schedule's integer options@>=
long *const count[o_end] = {[o_step_size] = &c->step_size, [o_t_max] = &c->t_max,
  [o_warmup_steps] = &c->warmup_steps, [o_t_0] = &c->t_0, [o_t_mult] = &c->t_mult,
  [o_step_size_up] = &c->step_size_up, [o_step_size_down] = &c->step_size_down,
  [o_total_steps] = &c->total_steps, [o_total_iters] = &c->total_iters};

@ The run.  A first pass steps a copy of the schedule $N$ times without
printing, so that a schedule that would fail at some step (a one-cycle
schedule asked for more than |total_steps| steps) fails before the first
line is written, with exit status~2, as PyTorch's loop raises.
@<Replay: the schedule command@>=
static int run_schedule(const char *name)
{
  struct sched_config c;
  char msg[256];
  if (!sched_defaults(name, &c))
    usage_error("unknown schedule '%s' (known: %s)", name, sched_names());
  if (!seen[o_steps]) usage_error("schedule: --steps N is required");
  long n = cli_long("--steps", arg_of[o_steps], 1, 100000000);
  schedule_options(name, &c);
  if (sched_check(name, &c, msg, sizeof msg) != 0) usage_error("%s", msg);
  struct schedule *s = sched_new(name, &c), dry = *s;
  for (long t = 0; t < n; t++)
    if (sched_step(&dry, msg, sizeof msg) != 0) usage_error("%s", msg);
  for (long t = 0; t < n; t++) {
    double m, lr = sched_lr(s, &m);
    if (c.cycle_momentum) printf("%.9g %.9g\n", lr, m); else printf("%.9g\n", lr);
    if (ferror(stdout)) check_output();
    sched_step(s, NULL, 0);
  }
  sched_free(&s);
  check_output();
  return 0;
}

@*1 Replaying clipping.
\.{replay clip norm --max X} reads one gradient per line and prints, for
each, the norm it had and then the clipped gradient, on one line;
\.{--norm-type inf} takes the largest absolute entry instead of the
Euclidean norm.  \.{replay clip value --max X} prints the gradient with
every entry clamped to $[-X,X]$.  The lines may have different lengths.
@<Replay: the clip command@>=
static int run_clip(const char *name)
{
  const bool by_norm = strcmp(name, "norm") == 0;
  if (!by_norm && strcmp(name, "value") != 0)
    usage_error("clip: unknown kind '%s' (known: norm value)", name);
  for (int o = o_lr; o < o_end; o++)
    if (seen[o] && o != o_max && !(by_norm && o == o_norm_type))
      usage_error("clip %s takes no option --%s", name, option_name(o));
  if (!seen[o_max]) usage_error("clip: --max X is required");
  const double max = real_option(o_max);
  double type = 2;
  if (seen[o_norm_type] && strcmp(arg_of[o_norm_type], "2") != 0) {
    if (strcmp(arg_of[o_norm_type], "inf") != 0)
      usage_error("--norm-type: '%s' is not 2 or inf", arg_of[o_norm_type]);
    type = INFINITY;
  }
  @<Replay: clip each line of the input@>@;
  check_output();
  return 0;
}

@ Each line is clipped on its own.  PyTorch does not check the maximum;
neither does this.
@<Replay: clip each line of the input@>=
float *g = NULL;
size_t cap = 0;
long n;
while ((n = read_numbers(&g, &cap, 0)) >= 0) {
  if (n == 0) usage_error("line %ld: expected a gradient", line_no);
  if (by_norm) {
    float total = clip_grad_norm(g, (size_t)n, max, type);
    printf("%.9g ", total);
  } else clip_grad_value(g, (size_t)n, max);
  print_vector(g, (size_t)n);
}
free(g);

@*1 Replaying rounding and loss scaling.
\.{replay round fp16} and \.{replay round bf16} read one |float| per line
and print it rounded to the 16-bit format and widened back, through the
library's dispatched vector conversion (the CPU's own instructions where
it has them).  Here, unlike elsewhere in \.{replay}, infinities and NaNs
are welcome input, and so are decimals beyond |float|'s range, which
|strtof| rounds to infinity or to a subnormal.  PyTorch converts a
Python number, which is already a |double|, to |float|: it rounds twice,
and for a decimal that lies within a hair of the midpoint between two
floats the two conversions can differ in the last bit.  The reference
files avoid the question by writing their inputs as float32 values
printed with nine digits, which both routes read back exactly.
@<Replay: the round command@>=
static void refuse_all_options(const char *cmd, int except_from, int except_to)
{
  for (int o = o_lr; o < o_end; o++)
    if (seen[o] && (o < except_from || o > except_to))
      usage_error("%s takes no option --%s", cmd, option_name(o));
}
static float parse_any(const char *w)
{
  char *end;
  float x = strtof(w, &end);
  if (end == w || *end != '\0')
    usage_error("line %ld: '%s' is not a number", line_no, w);
  return x;
}

@ Each line must hold exactly one word, and no NUL byte (as above).  The
values are collected first and converted in one call, so that the vector
path is the one exercised.
@<Replay: the round command@>=
static int run_round(const char *name)
{
  const bool half = strcmp(name, "fp16") == 0;
  if (!half && strcmp(name, "bf16") != 0)
    usage_error("round: unknown format '%s' (known: fp16 bf16)", name);
  refuse_all_options("round", 0, -1);
  char *line;
  size_t n = 0, cap = 0;
  float *x = NULL;
  while ((line = read_line()) != NULL) {
    char *w = strtok(line, " \t\r\n");
    if (!w || strtok(NULL, " \t\r\n"))
      usage_error("line %ld: expected one number", line_no);
    if (n == cap) { cap = cap ? 2 * cap : 1024; x = realloc(x, cap * sizeof *x); if (!x) die("out of memory"); }
    x[n++] = parse_any(w);
  }
  @<Replay: round the |n| values in |x| and print them@>@;
  free(x);
  check_output();
  return 0;
}

@ Widened values print with \.{\%.9g}, which reads back exactly.
@<Replay: round the |n| values...@>=
const enum lowp f = half ? lowp_fp16 : lowp_bf16;
uint16_t *h = xmalloc((n ? n : 1) * sizeof *h);
lowp_round(f, lowp_auto, x, h, n);
for (size_t i = 0; i < n && !ferror(stdout); i++) printf("%.9g\n", lowp_to_float(f, h[i]));
free(h);

@ \.{replay scaler} follows PyTorch's |GradScaler| rule: each input line
says whether that step's gradients held an infinity or a NaN, and the
program prints whether the step was skipped and the scale after
|update()|.
@<Replay: the scaler command@>=
static int run_scaler(void)
{
  struct scaler s;
  char msg[256];
  scaler_defaults(&s);
  refuse_all_options("scaler", o_init_scale, o_growth_interval);
  if (seen[o_init_scale]) s.scale = (float)real_option(o_init_scale);
  if (seen[o_growth_factor]) s.growth = real_option(o_growth_factor);
  if (seen[o_backoff_factor]) s.backoff = real_option(o_backoff_factor);
  if (seen[o_growth_interval])
    s.interval = cli_long("--growth-interval", arg_of[o_growth_interval], 1, INT32_MAX);
  if (scaler_check(&s, msg, sizeof msg) != 0) usage_error("%s", msg);
  float *v = NULL; size_t cap = 0;
  while (read_numbers(&v, &cap, 1) >= 0) {
    if (v[0] != 0 && v[0] != 1) usage_error("line %ld: expected 0 or 1", line_no);
    scaler_update(&s, v[0] == 1);
    printf("%d %.9g\n", v[0] == 1, s.scale);
    if (ferror(stdout)) check_output();
  }
  free(v);
  check_output();
  return 0;
}

@*1 Replaying the loss.
\.{replay loss xent [--label-smoothing X]} reads one example per line:
the target class, an integer from 0 to $K-1$, then the example's $K$
logits.  For each it prints the loss and its $K$ partial derivatives
with respect to the logits, as
$$\.{torch.nn.functional.cross\_entropy(z[None], t[None], label\_smoothing=X)}$$
computes them for one example: the library's
|xent_smooth| of Chapter~8 with a batch of one.  $K$ may change from
line to line, up to 256 (the library's labels are bytes).  PyTorch
raises an error for a smoothing above~1 and silently treats a negative
one as zero; \.{replay} refuses both, a deliberate difference.  A
target that is not an integer in $[0,K)$, a line without a logit, or a
line of more than 256 logits ends the run naming the line, with
status~2.
@^PyTorch compatibility@>
@^label smoothing@>
@<Replay: the loss's option@>=
o_label_smoothing,

@ Its long option.
@<Replay: the loss's long option@>=
{"label-smoothing", required_argument, 0, o_label_smoothing},

@ The command.  The target is read as a |float| and must be a whole number.
@<Replay: the loss command@>=
static int run_loss(const char *name)
{
  if (strcmp(name, "xent") != 0) usage_error("loss: unknown loss '%s' (known: xent)", name);
  refuse_all_options("loss xent", o_label_smoothing, o_label_smoothing);
  double eps = seen[o_label_smoothing] ? real_option(o_label_smoothing) : 0.0;
  if (!(eps >= 0.0 && eps <= 1.0))
    usage_error("--label-smoothing: %g is not between 0 and 1", eps);
  float *v = NULL, d[256];
  size_t cap = 0;
  long n;
  while ((n = read_numbers(&v, &cap, 0)) >= 0) {
    @<Replay: check the line's target and count of logits@>@;
    uint8_t y = (uint8_t)v[0];
    printf("%.9g ", (float)xent_smooth(v + 1, &y, 1, (size_t)(n - 1), eps, d));
    print_vector(d, (size_t)(n - 1));
  }
  free(v);
  check_output();
  return 0;
}

@ The checks, each naming the line.
@.is not a class@>
@<Replay: check the line's target...@>=
if (n < 2) usage_error("line %ld: expected a target and at least one logit", line_no);
if (n - 1 > 256) usage_error("line %ld: %ld logits; at most 256 classes", line_no, n - 1);
if (!(v[0] >= 0 && v[0] < (float)(n - 1) && v[0] == floorf(v[0])))
  usage_error("line %ld: target %g is not a class of 0..%ld", line_no, v[0], n - 2);

@*1 How the reference vectors are made.
The script \.{tools/make-refs.py} runs Debian's PyTorch
(\.{python3-torch}, version 1.13) on random cases drawn from a fixed seed:
for each optimizer, random hyperparameters across the options it takes,
initial parameters and at least one hundred gradients of a few dozen
coordinates, in |float| tensors.  It writes each case to
\.{tests/ref/NAME.txt}: the \.{replay} command line, the input and PyTorch's
output.  The files are committed, so \.{make check} needs no PyTorch to
compare; the script is committed, so anyone can regenerate them and see
that nothing was edited by hand.  The comparison allows float32 rounding,
and says how much in each file's \.{tolerance:} line: an element $a$
@^tolerances against PyTorch@>
passes against PyTorch's $b$ if $\vert a-b\vert\le K\cdot10^{-6}\max(1,\vert b\vert)$,
with $K=5$ for Adagrad, RMSprop, Adam and AdamW, 20 for SGD and 100 for
SGD with momentum, whose buffer carries a rounding difference from step
to step through a hundred steps; $10^{-6}$ relative for the clipping
norm, $2\times10^{-8}$ relative for the schedules; and no difference at
all for clipping by value, rounding to 16 bits and the loss scaler.  One
unit in the last place of a float near~1 is $1.2\times10^{-7}$, so
@^units in the last place@>
these allow tens to hundreds of units, because PyTorch's vectorized
kernels may fuse a multiply and an add where our scalar code rounds
twice, and the difference compounds over a hundred steps.  The largest
errors that \.{make check} reports are well inside them: typically
$10^{-7}$ to $3\times10^{-7}$ for the adaptive methods, about $10^{-6}$
for SGD, and up to a few times $10^{-5}$ for SGD with momentum.

A second script, \.{tools/torch-check.py}, makes {\it new} random cases
every time it runs---cases that \.{replay} has never seen---and compares
live.  \.{make check} runs it when PyTorch is installed.
