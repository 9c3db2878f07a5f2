/* tests/test_sched.c -- learning-rate schedules (chapters/04-schedules.w): PyTorch 1.13's
   defaults and ValueErrors, values at points that can be worked out by hand from the
   formulas of reference-semantics.md section 3, stepping past the end of a one-cycle
   schedule, and applying a schedule to an optimizer.

   Expected values come from the closed forms in reference-semantics.md section 3
   (each checked there against torch.optim.lr_scheduler); where a value was also read
   off a torch 1.13 run, the comment says so.  PyTorch computes most schedules
   recursively, so values are compared with a relative tolerance of 1e-12 (the
   closed and recursive forms agree to <= 8e-14), except where the arithmetic is exact
   (powers of two), which is compared with ==. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <limits.h>
#include "descent.h"

#define TOL 1e-12

static struct sched_config defaults_of(const char *name)
{
  struct sched_config c;
  cr_assert(sched_defaults(name, &c), "sched_defaults does not know %s", name);
  return c;
}

/* the value at step t of a fresh schedule, by stepping there (as a training loop does) */
static double lr_at(const char *name, const struct sched_config *c, uint64_t t, double *m)
{
  char msg[256] = "";
  struct schedule *s = sched_new(name, c);
  for (uint64_t i = 0; i < t; i++)
    cr_assert(sched_step(s, msg, sizeof msg) == 0, "%s: step %llu refused: %s", name,
              (unsigned long long)i, msg);
  cr_assert(s->t == t, "%s: after %llu steps t = %llu", name, (unsigned long long)t,
            (unsigned long long)s->t);
  double lr = sched_lr(s, m);
  sched_free(&s);
  return lr;
}

#define expect_lr(name, c, t, want) do { \
    double got_ = lr_at(name, &(c), (t), NULL); \
    cr_expect(close_to(got_, (want), TOL), "%s: lr(%d) = %.17g, want %.17g", name, (int)(t), got_, \
              (double)(want)); } while (0)
#define expect_lr_m(name, c, t, want, want_m) do { \
    double m_, got_ = lr_at(name, &(c), (t), &m_); \
    cr_expect(close_to(got_, (want), TOL), "%s: lr(%d) = %.17g, want %.17g", name, (int)(t), got_, \
              (double)(want)); \
    cr_expect(close_to(m_, (want_m), TOL), "%s: momentum(%d) = %.17g, want %.17g", name, (int)(t), \
              m_, (double)(want_m)); } while (0)

/* -- names, options, defaults ------------------------------------------------ */

Test(sched, names)
{
  const char *n = sched_names();
  cr_assert(n != NULL);
  cr_expect(strcmp(n, "step multistep exponential cosine warmup-cosine cosine-restarts cyclic "
                      "onecycle linear wsd linear-to-zero") == 0, "sched_names() = \"%s\"", n);
  cr_expect(sched_names() == n || strcmp(sched_names(), n) == 0, "a second call gives the same");
  struct sched_config c;
  cr_expect(!sched_defaults("no-such-schedule", &c));
  cr_expect(!sched_defaults("", &c));
  cr_expect(!sched_defaults("StepLR", &c), "the book's names, not PyTorch's class names");
}

/* The keyword arguments of PyTorch 1.13's classes that replay can express (scale_fn,
   scale_mode, epochs and steps_per_epoch are not among them); warmup-cosine is the
   book's LambdaLR, with its warmup length and total length. */
static const char *const all_options[] = {"step_size", "gamma", "milestones", "t_max", "eta_min",
  "warmup_steps", "t_0", "t_mult", "base_lr", "max_lr", "step_size_up", "step_size_down",
  "mode", "cycle_momentum", "base_momentum", "max_momentum", "total_steps", "pct_start",
  "anneal_strategy", "div_factor", "final_div_factor", "three_phase", "start_factor",
  "end_factor", "total_iters"};
static const struct { const char *name, *takes; } torch_keywords[] = {
  {"step", " step_size gamma "},                                          /* StepLR */
  {"multistep", " milestones gamma "},                                    /* MultiStepLR */
  {"exponential", " gamma "},                                             /* ExponentialLR */
  {"cosine", " t_max eta_min "},                                          /* CosineAnnealingLR */
  {"warmup-cosine", " warmup_steps t_max eta_min "},
  {"cosine-restarts", " t_0 t_mult eta_min "},                            /* ...WarmRestarts */
  {"cyclic", " base_lr max_lr step_size_up step_size_down mode gamma cycle_momentum "
             "base_momentum max_momentum "},                              /* CyclicLR */
  {"onecycle", " max_lr total_steps pct_start anneal_strategy cycle_momentum base_momentum "
               "max_momentum div_factor final_div_factor three_phase "},  /* OneCycleLR */
  {"linear", " start_factor end_factor total_iters "},                    /* LinearLR */
};

Test(sched, takes)
{
  for (size_t k = 0; k < sizeof torch_keywords / sizeof torch_keywords[0]; k++)
    for (size_t i = 0; i < sizeof all_options / sizeof all_options[0]; i++) {
      char word[64];
      snprintf(word, sizeof word, " %s ", all_options[i]);
      bool torch = strstr(torch_keywords[k].takes, word) != NULL;
      cr_expect(sched_takes(torch_keywords[k].name, all_options[i]) == torch,
                "sched_takes(\"%s\", \"%s\") should be %s", torch_keywords[k].name,
                all_options[i], torch ? "true" : "false");
    }
  cr_expect(sched_takes("cyclic", "step-size-up") && sched_takes("onecycle", "final-div-factor"),
            "dashes count as underscores");
  cr_expect(!sched_takes("step", "step"), "a prefix of an option is not the option");
  cr_expect(!sched_takes("step", "step_size_up"), "nor is a longer word");
  cr_expect(!sched_takes("cyclic", "step_size"), "nor a prefix that happens to be another's");
  cr_expect(!sched_takes("step", ""), "the empty word is no option");
  cr_expect(!sched_takes("no-such-schedule", "gamma"));
}

/* PyTorch's constructor defaults (reference-semantics.md section 3); a required argument
   (no default in PyTorch) is left unset: NaN for reals, 0 for counts, and sched_check
   asks for it.  The base lr is NaN until the caller sets it. */
Test(sched, defaults)
{
  struct sched_config c;
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("step", &c));
  cr_expect(c.gamma == 0.1 && c.step_size == 0 && isnan(c.lr), "step: gamma %g step_size %ld lr %g",
            c.gamma, c.step_size, c.lr);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("multistep", &c));
  cr_expect(c.gamma == 0.1 && c.n_milestones == 0, "multistep: gamma %g, %zu milestones", c.gamma,
            c.n_milestones);
  cr_assert(sched_defaults("exponential", &c));
  cr_expect(isnan(c.gamma), "exponential: gamma is required in PyTorch (got %g)", c.gamma);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("cosine", &c));
  cr_expect(c.eta_min == 0 && c.t_max == 0 && c.warmup_steps == 0);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("warmup-cosine", &c));
  cr_expect(c.eta_min == 0 && c.t_max == 0 && c.warmup_steps == 0);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("cosine-restarts", &c));
  cr_expect(c.t_mult == 1 && c.eta_min == 0 && c.t_0 == 0, "restarts: T_mult %ld eta_min %g T_0 %ld",
            c.t_mult, c.eta_min, c.t_0);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("cyclic", &c));
  /* CyclicLR(base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular',
     gamma=1.0, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9) */
  cr_expect(c.step_size_up == 2000 && c.step_size_down == -1 && c.mode == sched_triangular &&
            c.gamma == 1.0 && c.cycle_momentum && c.base_momentum == 0.8 && c.max_momentum == 0.9,
            "cyclic: up %ld down %ld mode %d gamma %g cycle %d base_m %g max_m %g", c.step_size_up,
            c.step_size_down, (int)c.mode, c.gamma, (int)c.cycle_momentum, c.base_momentum,
            c.max_momentum);
  cr_expect(isnan(c.max_lr), "cyclic: max_lr is required (got %g)", c.max_lr);
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("onecycle", &c));
  /* OneCycleLR(max_lr, total_steps, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True,
     base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4,
     three_phase=False) */
  cr_expect(c.pct_start == 0.3 && !c.linear_anneal && c.cycle_momentum && c.base_momentum == 0.85 &&
            c.max_momentum == 0.95 && c.div_factor == 25 && c.final_div_factor == 1e4 &&
            !c.three_phase,
            "onecycle: pct %g linear %d cycle %d base_m %g max_m %g div %g final %g three %d",
            c.pct_start, (int)c.linear_anneal, (int)c.cycle_momentum, c.base_momentum,
            c.max_momentum, c.div_factor, c.final_div_factor, (int)c.three_phase);
  cr_expect(isnan(c.max_lr) && c.total_steps == 0, "onecycle: max_lr and total_steps are required");
  memset(&c, 0x55, sizeof c);
  cr_assert(sched_defaults("linear", &c));
  /* LinearLR(start_factor=1/3, end_factor=1.0, total_iters=5) */
  cr_expect(c.start_factor == 1.0 / 3 && c.end_factor == 1.0 && c.total_iters == 5,
            "linear: start %.17g end %g iters %ld", c.start_factor, c.end_factor, c.total_iters);
  cr_expect(isnan(c.lr));
}

/* -- the checks ---------------------------------------------------------------- */

static void expect_ok(const char *name, struct sched_config c, const char *what)
{
  char msg[256] = "";
  int rc = sched_check(name, &c, msg, sizeof msg);
  cr_expect(rc == 0, "%s: %s should be accepted, got %d (%s)", name, what, rc, msg);
}
static void expect_reject(const char *name, struct sched_config c, const char *word, const char *what)
{
  char msg[256];
  memset(msg, 0, sizeof msg);
  int rc = sched_check(name, &c, msg, sizeof msg);
  cr_expect(rc == -1, "%s: %s should be rejected, got %d", name, what, rc);
  cr_expect(rc != -1 || (msg[0] != '\0' && strcasestr(msg, word) != NULL),
            "%s: %s: the message '%s' should say '%s'", name, what, msg, word);
}

/* a configuration that passes, for each kind */
static struct sched_config valid(const char *name)
{
  struct sched_config c = defaults_of(name);
  c.lr = 0.1;
  if (strcmp(name, "step") == 0) c.step_size = 3;
  else if (strcmp(name, "exponential") == 0) c.gamma = 0.9;
  else if (strcmp(name, "cosine") == 0 || strcmp(name, "warmup-cosine") == 0) c.t_max = 10;
  else if (strcmp(name, "cosine-restarts") == 0) c.t_0 = 5;
  else if (strcmp(name, "cyclic") == 0) c.max_lr = 1.0;
  else if (strcmp(name, "onecycle") == 0) { c.max_lr = 1.0; c.total_steps = 10; }
  return c;
}

Test(sched, check_valid_and_missing)
{
  const char *kinds[] = {"step", "multistep", "exponential", "cosine", "warmup-cosine",
                         "cosine-restarts", "cyclic", "onecycle", "linear"};
  for (int i = 0; i < 9; i++) {
    expect_ok(kinds[i], valid(kinds[i]), "a complete configuration");
    struct sched_config c = valid(kinds[i]);
    c.lr = NAN;                    /* the optimizer's lr was never given */
    if (strcmp(kinds[i], "onecycle") == 0)
      expect_ok(kinds[i], c, "no lr (OneCycleLR ignores the optimizer's lr)");
    else
      expect_reject(kinds[i], c, "lr", "no lr");
  }
  /* required arguments that have no default in PyTorch */
  struct sched_config c = defaults_of("step"); c.lr = 0.1;
  expect_reject("step", c, "step_size", "step_size missing");
  c = defaults_of("exponential"); c.lr = 0.1;
  expect_reject("exponential", c, "gamma", "gamma missing");
  c = defaults_of("cosine"); c.lr = 0.1;
  expect_reject("cosine", c, "t_max", "T_max missing");
  c = defaults_of("cosine-restarts"); c.lr = 0.1;
  expect_reject("cosine-restarts", c, "T_0", "T_0 missing");
  c = defaults_of("cyclic"); c.lr = 0.1;
  expect_reject("cyclic", c, "max_lr", "max_lr missing");
  c = defaults_of("onecycle"); c.total_steps = 10;
  expect_reject("onecycle", c, "max_lr", "max_lr missing");
  c = defaults_of("onecycle"); c.max_lr = 1;
  expect_reject("onecycle", c, "total_steps", "total_steps missing");
  /* unknown names; msg may be NULL; a short buffer is truncated, not overrun */
  char msg[256] = "";
  cr_expect(sched_check("no-such-schedule", &c, msg, sizeof msg) == -1);
  cr_expect(strstr(msg, "no-such-schedule") != NULL, "message '%s' names the schedule", msg);
  cr_expect(strstr(msg, "onecycle") != NULL, "message '%s' lists the known ones", msg);
  c = defaults_of("step"); c.lr = 0.1;
  cr_expect(sched_check("step", &c, NULL, 0) == -1);
  char tiny[8];
  memset(tiny, 'x', sizeof tiny);
  cr_expect(sched_check("step", &c, tiny, 4) == -1);
  cr_expect(memchr(tiny, '\0', 4) != NULL && tiny[4] == 'x', "msg buffer overrun");
}

/* The ValueErrors of PyTorch's constructors, the library's refusals where PyTorch
   would divide by zero later, and the values next to them that pass. */
Test(sched, check_rejections)
{
  struct sched_config c;
  /* StepLR: PyTorch does not check, and divides by zero at t = 1 for step_size 0 */
  c = valid("step"); c.step_size = 0;
  expect_reject("step", c, "step_size", "step_size 0");
  c.step_size = -2;
  expect_reject("step", c, "step_size", "step_size -2");
  c.step_size = 1;
  expect_ok("step", c, "step_size 1");
  /* CosineAnnealingLR: T_max 0 divides by zero */
  c = valid("cosine"); c.t_max = 0;
  expect_reject("cosine", c, "t_max", "T_max 0");
  c.t_max = -1;
  expect_reject("cosine", c, "t_max", "T_max -1");
  c.t_max = 1;
  expect_ok("cosine", c, "T_max 1");
  /* warmup-cosine: the warmup must leave something to anneal */
  c = valid("warmup-cosine"); c.warmup_steps = 10;
  expect_reject("warmup-cosine", c, "warmup", "warmup_steps = t_max");
  c.warmup_steps = -1;
  expect_reject("warmup-cosine", c, "warmup", "warmup_steps -1");
  c.warmup_steps = 9;
  expect_ok("warmup-cosine", c, "warmup_steps = t_max - 1");
  c.warmup_steps = 0;
  expect_ok("warmup-cosine", c, "no warmup (plain cosine)");
  /* CosineAnnealingWarmRestarts: T_0 <= 0 and T_mult < 1 are ValueErrors */
  c = valid("cosine-restarts"); c.t_0 = 0;
  expect_reject("cosine-restarts", c, "T_0", "T_0 0");
  c.t_0 = -5;
  expect_reject("cosine-restarts", c, "T_0", "T_0 -5");
  c = valid("cosine-restarts"); c.t_mult = 0;
  expect_reject("cosine-restarts", c, "T_mult", "T_mult 0");
  c.t_mult = -1;
  expect_reject("cosine-restarts", c, "T_mult", "T_mult -1");
  c.t_mult = 3; c.t_0 = 1;
  expect_ok("cosine-restarts", c, "T_0 1, T_mult 3");
  /* CyclicLR: step sizes must be usable (PyTorch divides by zero for 0) */
  c = valid("cyclic"); c.step_size_up = 0;
  expect_reject("cyclic", c, "step", "step_size_up 0");
  c = valid("cyclic"); c.step_size_down = -2;  /* -1 is the library's None: as long as up */
  expect_reject("cyclic", c, "step", "step_size_down -2");
  c = valid("cyclic"); c.step_size_down = 0;   /* a length: PyTorch draws a sawtooth */
  expect_ok("cyclic", c, "step_size_down 0");
  c = valid("cyclic"); c.step_size_up = 1; c.step_size_down = 7; c.mode = sched_exp_range;
  c.gamma = 0.99;
  expect_ok("cyclic", c, "up 1, down 7, exp_range");
  /* OneCycleLR: total_steps <= 0, pct_start outside [0, 1] */
  c = valid("onecycle"); c.total_steps = 0;
  expect_reject("onecycle", c, "total_steps", "total_steps 0");
  c.total_steps = -10;
  expect_reject("onecycle", c, "total_steps", "total_steps -10");
  c = valid("onecycle"); c.pct_start = -0.01;
  expect_reject("onecycle", c, "pct_start", "pct_start -0.01");
  c.pct_start = 1.01;
  expect_reject("onecycle", c, "pct_start", "pct_start 1.01");
  c.pct_start = NAN;
  expect_reject("onecycle", c, "pct_start", "pct_start NaN");
  c.pct_start = 0.0;
  expect_ok("onecycle", c, "pct_start 0");
  c.pct_start = 1.0;
  expect_ok("onecycle", c, "pct_start 1");
  /* pct_start * total_steps = 1 makes PyTorch's first phase empty: ZeroDivisionError while
     constructing; refused here */
  c.pct_start = 0.1; c.total_steps = 10;
  expect_reject("onecycle", c, "empty", "pct_start 0.1 of 10 steps");
  /* LinearLR: factors outside [0, 1]; start_factor 0 divides by zero at t = 1 */
  c = valid("linear"); c.start_factor = 1.5;
  expect_reject("linear", c, "factor", "start_factor 1.5");
  c.start_factor = -0.1;
  expect_reject("linear", c, "factor", "start_factor -0.1");
  c.start_factor = 0.0;
  expect_reject("linear", c, "factor", "start_factor 0");
  c.start_factor = 1.0;
  expect_ok("linear", c, "start_factor 1");
  c = valid("linear"); c.end_factor = 1.0000001;
  expect_reject("linear", c, "factor", "end_factor 1.0000001");
  c.end_factor = -0.5;
  expect_reject("linear", c, "factor", "end_factor -0.5");
  c.end_factor = 0.0;
  expect_ok("linear", c, "end_factor 0");
}

Test(sched, new_asserts_invalid_config, .signal = SIGABRT)
{
  struct sched_config c = defaults_of("step");
  c.lr = 0.1;                     /* step_size 0: caller misuse once checked */
  sched_new("step", &c);
}

Test(sched, new_and_free)
{
  struct sched_config c = valid("step");
  struct schedule *s = sched_new("step", &c);
  cr_assert(s != NULL);
  cr_expect(s->t == 0, "a new schedule starts at t = 0");
  cr_expect(strcmp(s->kind->name, "step") == 0);
  c.lr = 123;                     /* the schedule keeps its own copy */
  cr_expect(sched_lr(s, NULL) == 0.1, "lr(0) %g", sched_lr(s, NULL));
  sched_free(&s);
  cr_expect(s == NULL, "sched_free did not null the pointer");
}

/* -- values -------------------------------------------------------------------- */

/* StepLR: lr gamma^floor(t / step_size); with gamma 1/2 every value is exact */
Test(sched, step_values)
{
  struct sched_config c = valid("step");
  c.lr = 1.0; c.step_size = 3; c.gamma = 0.5;
  const double want[] = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125};
  struct schedule *s = sched_new("step", &c);
  for (int t = 0; t < 10; t++) {
    double m;
    cr_expect(sched_lr(s, &m) == want[t], "lr(%d) = %.17g, want %g", t, sched_lr(s, NULL), want[t]);
    cr_expect(isnan(m), "step does not cycle momentum, got %g", m);
    cr_assert(sched_step(s, NULL, 0) == 0);
  }
  cr_expect(s->t == 10);
  sched_free(&s);
  /* the default gamma 0.1: lr 0.1 after step_size steps, 0.01 after 2 step_size */
  c = valid("step"); c.lr = 2.0; c.step_size = 4;
  expect_lr("step", c, 3, 2.0);
  expect_lr("step", c, 4, 0.2);
  expect_lr("step", c, 8, 0.02);
  expect_lr("step", c, 11, 0.02);
  /* step_size 1 decays every step, like ExponentialLR */
  c.step_size = 1; c.gamma = 0.5;
  expect_lr("step", c, 7, 2.0 / 128);
}

/* MultiStepLR: gamma^(number of milestones <= t), milestones a multiset (torch 1.13:
   milestones [0, 2, 2] with gamma 0.5 from lr 1 gives 0.5, 0.5, 0.125, 0.125) */
Test(sched, multistep_values)
{
  struct sched_config c = valid("multistep");
  c.lr = 2.0; c.gamma = 0.5;
  c.n_milestones = 3;
  c.milestones[0] = 5; c.milestones[1] = 2; c.milestones[2] = 5;  /* unsorted, 5 twice */
  const double want[] = {2, 2, 1, 1, 1, 0.25, 0.25, 0.25};
  for (int t = 0; t < 8; t++) expect_lr("multistep", c, t, want[t]);
  expect_lr("multistep", c, 1000, 0.25);
  /* a milestone at 0 already applies at t = 0 (the scheduler's constructor steps once) */
  c.lr = 1.0; c.n_milestones = 3;
  c.milestones[0] = 0; c.milestones[1] = 2; c.milestones[2] = 2;
  const double want0[] = {0.5, 0.5, 0.125, 0.125};
  for (int t = 0; t < 4; t++) expect_lr("multistep", c, t, want0[t]);
  /* no milestones: constant; the default gamma 0.1 */
  c = valid("multistep"); c.lr = 0.3;
  expect_lr("multistep", c, 50, 0.3);
  c.n_milestones = 1; c.milestones[0] = 4;
  expect_lr("multistep", c, 3, 0.3);
  expect_lr("multistep", c, 4, 0.3 * 0.1);
}

/* ExponentialLR: lr gamma^t */
Test(sched, exponential_values)
{
  struct sched_config c = valid("exponential");
  c.lr = 1.0; c.gamma = 0.5;
  for (int t = 0; t < 12; t++) expect_lr("exponential", c, t, ldexp(1.0, -t));
  c.lr = 0.1; c.gamma = 0.9;
  expect_lr("exponential", c, 10, 0.1 * pow(0.9, 10));
}

/* CosineAnnealingLR: eta_min + (lr - eta_min)(1 + cos(pi t / T_max))/2 for every t: eta_min
   at T_max, back up to lr at 2 T_max (not clamped at eta_min) */
Test(sched, cosine_values)
{
  struct sched_config c = valid("cosine");
  c.lr = 1.0; c.eta_min = 0.1; c.t_max = 10;
  expect_lr("cosine", c, 0, 1.0);
  expect_lr("cosine", c, 5, 0.55);                 /* cos(pi/2) = 0: the midpoint */
  expect_lr("cosine", c, 10, 0.1);                 /* cos(pi) = -1: eta_min */
  expect_lr("cosine", c, 15, 0.55);                /* climbing again */
  expect_lr("cosine", c, 20, 1.0);                 /* cos(2 pi) = 1: lr again */
  expect_lr("cosine", c, 30, 0.1);
  expect_lr("cosine", c, 2, 0.1 + 0.9 * (1 + cos(M_PI * 0.2)) / 2);
  double before = lr_at("cosine", &c, 9, NULL), after = lr_at("cosine", &c, 11, NULL);
  cr_expect(before > 0.1 && after > 0.1 && close_to(before, after, TOL),
            "symmetric around T_max: lr(9) %.17g, lr(11) %.17g", before, after);
  /* eta_min 0 by default: lr(T_max) = 0 */
  c.eta_min = 0; c.t_max = 1;
  expect_lr("cosine", c, 1, 0.0);
  expect_lr("cosine", c, 2, 1.0);
}

/* warmup-cosine: lr t/W for t < W (so 0 at t = 0), then cosine over T - W steps */
Test(sched, warmup_cosine_values)
{
  struct sched_config c = valid("warmup-cosine");
  c.lr = 1.0; c.warmup_steps = 4; c.t_max = 12;
  double m;
  cr_expect(lr_at("warmup-cosine", &c, 0, &m) == 0.0, "t = 0 has lr 0 (the first step is wasted)");
  cr_expect(isnan(m));
  expect_lr("warmup-cosine", c, 1, 0.25);          /* t/W, not (t+1)/W */
  expect_lr("warmup-cosine", c, 3, 0.75);
  expect_lr("warmup-cosine", c, 4, 1.0);           /* end of warmup: cosine at 0 */
  expect_lr("warmup-cosine", c, 8, 0.5);           /* halfway through the 8 annealing steps */
  expect_lr("warmup-cosine", c, 12, 0.0);          /* t = T: eta_min */
  c.eta_min = 0.2;
  expect_lr("warmup-cosine", c, 0, 0.0);           /* warmup starts at 0, not at eta_min */
  expect_lr("warmup-cosine", c, 8, 0.6);
  expect_lr("warmup-cosine", c, 12, 0.2);
  /* no warmup: plain cosine */
  struct sched_config p = valid("cosine");
  c.warmup_steps = 0; p.lr = c.lr; p.eta_min = c.eta_min; p.t_max = c.t_max;
  for (int t = 0; t < 30; t += 3) expect_lr("warmup-cosine", c, t, lr_at("cosine", &p, t, NULL));
}

/* CosineAnnealingWarmRestarts(T_0 = 5, T_mult = 2): restarts (lr again) at 5, 15, 35, 75
   (torch 1.13: lr rises exactly at t = 5, 15, 35, 75 over 80 steps; lr(4) =
   0.009549150281252633, lr(10) = 0.05, lr(14) = 0.0024471741852423235 for lr 0.1) */
Test(sched, cosine_restarts_values)
{
  struct sched_config c = valid("cosine-restarts");
  c.lr = 0.1; c.t_0 = 5; c.t_mult = 2;
  const int restarts[] = {0, 5, 15, 35, 75};
  for (int i = 0; i < 5; i++) expect_lr("cosine-restarts", c, restarts[i], 0.1);
  expect_lr("cosine-restarts", c, 4, 0.1 * (1 + cos(M_PI * 4 / 5)) / 2);
  expect_lr("cosine-restarts", c, 10, 0.05);       /* T_cur 5 of T_i 10 */
  expect_lr("cosine-restarts", c, 14, 0.1 * (1 + cos(M_PI * 9 / 10)) / 2);
  expect_lr("cosine-restarts", c, 25, 0.05);       /* T_cur 10 of T_i 20 */
  expect_lr("cosine-restarts", c, 55, 0.05);       /* T_cur 20 of T_i 40 */
  /* the value falls monotonically inside a period and never reaches eta_min */
  struct schedule *s = sched_new("cosine-restarts", &c);
  double prev = sched_lr(s, NULL);
  int rises = 0;
  for (int t = 1; t < 80; t++) {
    cr_assert(sched_step(s, NULL, 0) == 0);
    double v = sched_lr(s, NULL);
    cr_expect(v > 0, "lr(%d) = %g reaches eta_min 0", t, v);
    if (v > prev) {
      cr_expect(t == 5 || t == 15 || t == 35 || t == 75, "lr rises at t = %d", t);
      rises++;
    }
    prev = v;
  }
  cr_expect(rises == 4, "%d restarts in 80 steps, want 4", rises);
  sched_free(&s);
  /* T_mult 1 (the default): period T_0 */
  c = valid("cosine-restarts"); c.lr = 1; c.t_0 = 4; c.eta_min = 0.5;
  expect_lr("cosine-restarts", c, 2, 0.75);
  expect_lr("cosine-restarts", c, 6, 0.75);
  expect_lr("cosine-restarts", c, 400, 1.0);
  expect_lr("cosine-restarts", c, 403, 0.5 + 0.5 * (1 + cos(M_PI * 3 / 4)) / 2);
}

/* CyclicLR: cycle = floor(1 + t/total), x = 1 + t/total - cycle, s = x/ratio or
   (x - 1)/(ratio - 1); lr = base + (max - base) s f, momentum = max_m - (max_m - base_m) s f. */
Test(sched, cyclic_triangular)
{
  struct sched_config c = valid("cyclic");
  c.base_lr = 0.1; c.max_lr = 1.0; c.step_size_up = 4;      /* down = up = 4 */
  expect_lr_m("cyclic", c, 0, 0.1, 0.9);           /* foot: base_lr, max_momentum */
  expect_lr_m("cyclic", c, 2, 0.55, 0.85);
  expect_lr_m("cyclic", c, 4, 1.0, 0.8);           /* peak: max_lr, base_momentum */
  expect_lr_m("cyclic", c, 6, 0.55, 0.85);
  expect_lr_m("cyclic", c, 8, 0.1, 0.9);           /* next foot */
  expect_lr_m("cyclic", c, 12, 1.0, 0.8);          /* triangular: every peak the same */
  expect_lr_m("cyclic", c, 4004, 1.0, 0.8);
  /* asymmetric: up 2, down 6 (ratio 1/4) */
  c.step_size_up = 2; c.step_size_down = 6;
  expect_lr_m("cyclic", c, 1, 0.55, 0.85);
  expect_lr_m("cyclic", c, 2, 1.0, 0.8);
  expect_lr_m("cyclic", c, 5, 0.55, 0.85);         /* halfway down the six steps */
  expect_lr_m("cyclic", c, 8, 0.1, 0.9);
  /* base_lr not given: the optimizer's lr is the base */
  c = valid("cyclic"); c.lr = 0.2; c.max_lr = 0.6; c.step_size_up = 2;
  expect_lr("cyclic", c, 0, 0.2);
  expect_lr("cyclic", c, 2, 0.6);
  /* cycle_momentum off: no momentum */
  c.cycle_momentum = false;
  double m;
  lr_at("cyclic", &c, 1, &m);
  cr_expect(isnan(m), "momentum %g without cycle_momentum", m);
  /* the default step_size_up 2000 */
  c = valid("cyclic"); c.base_lr = 0; c.max_lr = 1;
  expect_lr("cyclic", c, 1000, 0.5);
  expect_lr("cyclic", c, 2000, 1.0);
  expect_lr("cyclic", c, 4000, 0.0);
}

/* triangular2 halves the height every cycle; exp_range scales it by gamma^t
   (torch 1.13, exp_range gamma 0.9, up 4, base 0.1, max 1: lr(4) = 0.69049, momentum
   0.83439 = 0.9 - 0.1 * 0.9^4) */
Test(sched, cyclic_triangular2_exp_range)
{
  struct sched_config c = valid("cyclic");
  c.base_lr = 0.1; c.max_lr = 1.0; c.step_size_up = 4; c.mode = sched_triangular2;
  expect_lr_m("cyclic", c, 4, 1.0, 0.8);           /* cycle 1: full height */
  expect_lr_m("cyclic", c, 8, 0.1, 0.9);
  expect_lr_m("cyclic", c, 12, 0.55, 0.85);        /* cycle 2: half */
  expect_lr_m("cyclic", c, 20, 0.325, 0.875);      /* cycle 3: a quarter */
  expect_lr_m("cyclic", c, 18, 0.1 + 0.9 * 0.5 / 4, 0.9 - 0.1 * 0.5 / 4);
  c.mode = sched_exp_range; c.gamma = 0.9;
  expect_lr_m("cyclic", c, 0, 0.1, 0.9);
  expect_lr_m("cyclic", c, 4, 0.1 + 0.9 * pow(0.9, 4), 0.9 - 0.1 * pow(0.9, 4));
  expect_lr_m("cyclic", c, 12, 0.1 + 0.9 * pow(0.9, 12), 0.9 - 0.1 * pow(0.9, 12));
  expect_lr_m("cyclic", c, 2, 0.1 + 0.9 * 0.5 * 0.81, 0.9 - 0.1 * 0.5 * 0.81);
  /* exp_range with the default gamma 1 is triangular */
  c.gamma = 1.0;
  expect_lr_m("cyclic", c, 12, 1.0, 0.8);
}

/* OneCycleLR, two phases, T = 10, pct 0.3, max_lr 1 (reference-semantics.md and torch 1.13:
   lr(0) = 0.04, lr(1) = 0.52, peak 1 at t = 2 = pct T - 1, lr(9) = 4e-6; momentum 0.95,
   0.9, 0.85, ..., 0.95) */
Test(sched, onecycle_two_phases)
{
  struct sched_config c = valid("onecycle");
  c.lr = NAN;                                      /* ignored */
  c.max_lr = 1.0; c.total_steps = 10;
  expect_lr_m("onecycle", c, 0, 0.04, 0.95);       /* max_lr / div_factor */
  expect_lr_m("onecycle", c, 1, 0.52, 0.90);
  expect_lr_m("onecycle", c, 2, 1.0, 0.85);        /* the peak: pct T - 1, not pct T */
  double at3 = lr_at("onecycle", &c, 3, NULL);
  cr_expect(at3 < 1.0, "past the peak at t = 3: %.17g", at3);
  /* second phase: from max_lr at t = 2 to min = initial / final_div_factor at t = 9 */
  const double mn = 0.04 / 1e4;
  for (int t = 3; t <= 9; t++) {
    double pct = (t - 2) / 7.0;
    expect_lr_m("onecycle", c, t, mn + (1.0 - mn) / 2 * (cos(M_PI * pct) + 1),
                0.95 + (0.85 - 0.95) / 2 * (cos(M_PI * pct) + 1));
  }
  expect_lr_m("onecycle", c, 9, 4e-6, 0.95);       /* the last value */
  /* div_factor, final_div_factor and momenta are honoured */
  c.div_factor = 10; c.final_div_factor = 100; c.base_momentum = 0.5; c.max_momentum = 0.7;
  expect_lr_m("onecycle", c, 0, 0.1, 0.7);
  expect_lr_m("onecycle", c, 2, 1.0, 0.5);
  expect_lr_m("onecycle", c, 9, 0.001, 0.7);
}

/* three phases (T = 20, pct 0.25): ends 4, 8, 19; lr 0.04 -> 1 -> 0.04 -> 4e-6,
   momentum 0.95 -> 0.85 -> 0.95 -> 0.95 (torch 1.13: lr(2) = lr(6) = 0.52,
   lr(12) = 0.02830946943001173, lr(19) = 4e-6) */
Test(sched, onecycle_three_phases)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 20; c.pct_start = 0.25; c.three_phase = true;
  expect_lr_m("onecycle", c, 0, 0.04, 0.95);
  expect_lr_m("onecycle", c, 2, 0.52, 0.90);
  expect_lr_m("onecycle", c, 4, 1.0, 0.85);
  expect_lr_m("onecycle", c, 6, 0.52, 0.90);
  expect_lr_m("onecycle", c, 8, 0.04, 0.95);
  expect_lr_m("onecycle", c, 12, 0.02830946943001173, 0.95);
  expect_lr_m("onecycle", c, 19, 4e-6, 0.95);
  /* the shape: up, down, down further; momentum flat in the third phase */
  struct schedule *s = sched_new("onecycle", &c);
  double prev = sched_lr(s, NULL);
  for (int t = 1; t < 20; t++) {
    cr_assert(sched_step(s, NULL, 0) == 0);
    double m, v = sched_lr(s, &m);
    if (t <= 4) cr_expect(v > prev, "phase 1 rises: lr(%d) %g <= lr(%d) %g", t, v, t - 1, prev);
    else cr_expect(v < prev, "phases 2, 3 fall: lr(%d) %g >= lr(%d) %g", t, v, t - 1, prev);
    if (t >= 8) cr_expect(close_to(m, 0.95, TOL), "phase 3 momentum(%d) = %.17g", t, m);
    prev = v;
  }
  sched_free(&s);
}

/* anneal_strategy 'linear' (torch 1.13: lr(1) = 0.52, lr(5) = 0.5714302857142857,
   momentum(5) = 0.8928571428571428, lr(9) = 4e-6) */
Test(sched, onecycle_linear_anneal)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 10; c.linear_anneal = true;
  expect_lr_m("onecycle", c, 0, 0.04, 0.95);
  expect_lr_m("onecycle", c, 1, 0.52, 0.90);
  expect_lr_m("onecycle", c, 2, 1.0, 0.85);
  expect_lr_m("onecycle", c, 5, 0.5714302857142857, 0.8928571428571428);
  expect_lr_m("onecycle", c, 9, 4e-6, 0.95);
  /* a straight line: equal steps in phase 2 */
  struct schedule *s = sched_new("onecycle", &c);
  double v[10];
  for (int t = 0; t < 10; t++) { v[t] = sched_lr(s, NULL); sched_step(s, NULL, 0); }
  for (int t = 3; t < 10; t++)
    cr_expect(close_to(v[t] - v[t - 1], v[3] - v[2], 1e-9), "linear phase 2: step %d is %.17g", t,
              v[t] - v[t - 1]);
  sched_free(&s);
}

/* PyTorch raises when the value after step total_steps is asked for, i.e. in the
   (total_steps + 1)-th scheduler.step() ("Tried to step 12 times. The specified number
   of total steps is 10" for T = 10 -- torch 1.13).  The refused step leaves t alone. */
Test(sched, onecycle_refuses_past_the_end)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 10;
  struct schedule *s = sched_new("onecycle", &c);
  char msg[256] = "";
  for (int t = 0; t < 10; t++)
    cr_assert(sched_step(s, msg, sizeof msg) == 0, "step %d of 10 refused: %s", t, msg);
  cr_expect(s->t == 10, "after 10 steps t = %llu", (unsigned long long)s->t);
  double at10 = sched_lr(s, NULL);
  cr_expect(isfinite(at10), "the value at t = total_steps exists (PyTorch computes it): %g", at10);
  cr_expect(sched_step(s, msg, sizeof msg) == -1, "the 11th step must be refused");
  cr_expect(s->t == 10, "a refused step moved t to %llu", (unsigned long long)s->t);
  cr_expect(strstr(msg, "12") != NULL && strstr(msg, "10") != NULL,
            "message '%s' should be PyTorch's (step 12 times, total 10)", msg);
  cr_expect(sched_lr(s, NULL) == at10, "the value is unchanged after a refusal");
  cr_expect(sched_step(s, NULL, 0) == -1, "still refused, msg may be NULL");
  cr_expect(s->t == 10);
  sched_free(&s);
  /* other kinds step on without end */
  struct sched_config e = valid("exponential");
  s = sched_new("exponential", &e);
  for (int t = 0; t < 100000; t++) cr_assert(sched_step(s, msg, sizeof msg) == 0);
  cr_expect(s->t == 100000);
  sched_free(&s);
}

/* LinearLR: lr (s + (e - s) min(t, T)/T) (torch 1.13 with the defaults from lr 1:
   0.333..., 0.4666..., 0.6, 0.7333..., 0.8666..., 1, 1, 1) */
Test(sched, linear_values)
{
  struct sched_config c = valid("linear");
  c.lr = 1.0;
  const double want[] = {1.0 / 3, 0.4666666666666667, 0.6, 0.7333333333333335, 0.8666666666666669,
                         1, 1, 1};
  for (int t = 0; t < 8; t++) expect_lr("linear", c, t, want[t]);
  expect_lr("linear", c, 1000, 1.0);
  /* decay to zero */
  c.start_factor = 1.0; c.end_factor = 0.0; c.total_iters = 4; c.lr = 0.5;
  expect_lr("linear", c, 0, 0.5);
  expect_lr("linear", c, 1, 0.375);
  expect_lr("linear", c, 4, 0.0);
  expect_lr("linear", c, 9, 0.0);
  double m;
  lr_at("linear", &c, 2, &m);
  cr_expect(isnan(m));
}

/* -- sched_apply ------------------------------------------------------------------ */

static struct optimizer *make_opt(const char *name, double momentum)
{
  struct opt_config c;
  cr_assert(opt_defaults(name, &c));
  if (strcmp(name, "sgd") == 0) c.lr = 0.01;
  if (opt_takes(name, "momentum")) c.momentum = momentum;
  return opt_new(name, 3, &c);
}

/* The training loop writes the schedule's lr (and momentum, or Adam's beta1) into the
   optimizer before each step. */
Test(sched, apply_sets_lr_and_momentum)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 10;
  struct schedule *s = sched_new("onecycle", &c);
  char msg[256] = "";
  struct optimizer *o = make_opt("sgd", 0.9);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == 0, "sgd with momentum: %s", msg);
  cr_expect(close_to(opt_lr(o), 0.04, TOL), "lr %g", opt_lr(o));
  cr_expect(close_to(o->c.momentum, 0.95, TOL), "momentum %g (max_momentum at t = 0)", o->c.momentum);
  sched_step(s, NULL, 0); sched_step(s, NULL, 0);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == 0);
  cr_expect(opt_lr(o) == 1.0 && close_to(o->c.momentum, 0.85, TOL), "t = 2: lr %g momentum %g",
            opt_lr(o), o->c.momentum);
  /* the optimizer's step uses the applied values: SGD with momentum 0.85, lr 1, one step
     from a zero buffer: p -= g */
  float p[3] = {1, 2, 3};
  const float g[3] = {0.5f, -1.0f, 0.25f};
  opt_step(o, p, g);
  cr_expect(p[0] == 0.5f && p[1] == 3.0f && p[2] == 2.75f, "step with lr 1: %g %g %g", p[0], p[1],
            p[2]);
  opt_free(&o);
  /* Adam: beta1 is cycled (PyTorch's use_beta1), beta2 untouched */
  o = make_opt("adam", 0);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == 0, "adam: %s", msg);
  cr_expect(opt_lr(o) == 1.0 && close_to(o->c.beta1, 0.85, TOL) && o->c.beta2 == 0.999,
            "adam: lr %g beta1 %g beta2 %g", opt_lr(o), o->c.beta1, o->c.beta2);
  opt_free(&o);
  /* RMSprop created with momentum: its momentum is cycled */
  o = make_opt("rmsprop", 0.5);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == 0, "rmsprop: %s", msg);
  cr_expect(close_to(o->c.momentum, 0.85, TOL), "rmsprop momentum %g", o->c.momentum);
  opt_free(&o);
  sched_free(&s);
}

/* A schedule that does not cycle momentum sets only the lr, on any optimizer */
Test(sched, apply_lr_only)
{
  struct sched_config c = valid("step");
  c.lr = 0.5; c.step_size = 1; c.gamma = 0.5;
  struct schedule *s = sched_new("step", &c);
  sched_step(s, NULL, 0);
  const char *kinds[] = {"sgd", "adagrad", "rmsprop", "adam", "adamw"};
  for (int i = 0; i < 5; i++) {
    struct optimizer *o = make_opt(kinds[i], 0);
    const struct opt_config before = o->c;
    char msg[256] = "";
    cr_expect(sched_apply(s, o, msg, sizeof msg) == 0, "%s: %s", kinds[i], msg);
    cr_expect(opt_lr(o) == 0.25, "%s: lr %g", kinds[i], opt_lr(o));
    cr_expect(o->c.momentum == before.momentum && o->c.beta1 == before.beta1,
              "%s: momentum/beta1 must be left alone", kinds[i]);
    opt_free(&o);
  }
  sched_free(&s);
  /* a cycling kind with cycle_momentum off: Adagrad is fine (PyTorch checks for a momentum
     only when cycle_momentum is set) */
  struct sched_config y = valid("onecycle");
  y.max_lr = 1; y.total_steps = 10; y.cycle_momentum = false;
  s = sched_new("onecycle", &y);
  struct optimizer *o = make_opt("adagrad", 0);
  char msg[256] = "";
  cr_expect(sched_apply(s, o, msg, sizeof msg) == 0, "adagrad without cycled momentum: %s", msg);
  cr_expect(close_to(opt_lr(o), 0.04, TOL));
  opt_free(&o);
  sched_free(&s);
}

/* Adagrad has neither momentum nor betas: PyTorch's OneCycleLR raises ValueError
   ("optimizer must support momentum or beta1 with `cycle_momentum` option enabled").
   SGD created with momentum 0 has no buffer in the library: refused too, and the
   optimizer's momentum is not half-changed. */
Test(sched, apply_refuses_momentum_it_cannot_cycle)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 10;
  struct schedule *s = sched_new("onecycle", &c);
  char msg[256];
  memset(msg, 0, sizeof msg);
  struct optimizer *o = make_opt("adagrad", 0);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == -1, "adagrad has no momentum to cycle");
  cr_expect(strcasestr(msg, "momentum") != NULL, "message '%s'", msg);
  cr_expect(o->c.momentum == 0 && o->c.beta1 == 0);
  opt_free(&o);
  memset(msg, 0, sizeof msg);
  o = make_opt("sgd", 0);
  cr_expect(sched_apply(s, o, msg, sizeof msg) == -1, "sgd created without momentum");
  cr_expect(strcasestr(msg, "momentum") != NULL, "message '%s'", msg);
  cr_expect(o->c.momentum == 0, "momentum changed to %g although refused", o->c.momentum);
  cr_expect(opt_nstate(o) == 0, "no buffer appeared");
  opt_free(&o);
  o = make_opt("rmsprop", 0);
  cr_expect(sched_apply(s, o, NULL, 0) == -1, "rmsprop created without momentum; msg may be NULL");
  cr_expect(o->c.momentum == 0);
  opt_free(&o);
  sched_free(&s);
  /* the cyclic schedule too, on SGD without momentum */
  struct sched_config y = valid("cyclic");
  y.max_lr = 1.0; y.step_size_up = 2;
  s = sched_new("cyclic", &y);
  o = make_opt("sgd", 0);
  cr_expect(sched_apply(s, o, NULL, 0) == -1);
  opt_free(&o);
  o = make_opt("sgd", 0.5);
  cr_expect(sched_apply(s, o, NULL, 0) == 0);
  cr_expect(close_to(o->c.momentum, 0.9, TOL) && close_to(opt_lr(o), 0.1, TOL),
            "cyclic on sgd: lr %g momentum %g", opt_lr(o), o->c.momentum);
  opt_free(&o);
  sched_free(&s);
}

/* PyTorch 1.13's CyclicLR (unlike OneCycleLR) knows only 'momentum', not betas: with
   cycle_momentum=True on Adam it raises ValueError "optimizer must support momentum with
   `cycle_momentum` option enabled" (reference-semantics.md section 3, and run with torch
   1.13).  The library once failed this (fixed): sched_apply cycles Adam's beta1 instead of refusing.
  */
Test(sched, apply_cyclic_refuses_adam)
{
  struct sched_config y = valid("cyclic");
  y.max_lr = 1.0; y.step_size_up = 2;
  struct schedule *s = sched_new("cyclic", &y);
  sched_step(s, NULL, 0);          /* t = 1: momentum 0.85, so a change would show */
  const char *kinds[] = {"adam", "adamw"};
  for (int i = 0; i < 2; i++) {
    struct optimizer *o = make_opt(kinds[i], 0);
    char msg[256] = "";
    cr_expect(sched_apply(s, o, msg, sizeof msg) == -1, "%s: CyclicLR with cycle_momentum must be refused",
              kinds[i]);
    cr_expect(o->c.beta1 == 0.9, "%s: beta1 changed to %g", kinds[i], o->c.beta1);
    opt_free(&o);
  }
  sched_free(&s);
}

/* PyTorch's OneCycleLR divides by zero when the value after the last allowed step lies in
   an empty last phase: pct_start 1 (two phases: the second runs from T - 1 to T - 1), or
   three phases with 2 pct T - 2 = T - 1.  The N = T-th scheduler.step() then raises
   ZeroDivisionError (torch 1.13, T = 10, pct_start 1.0, or 0.55 with three_phase: "float
   division by zero" in the 10th step), so a loop of N >= T steps fails while N < T works.
   The library once failed this (fixed): sched_step lets t reach T, and replay prints the
   10 values with exit 0. */
Test(sched, onecycle_empty_last_phase_like_torch)
{
  struct sched_config c = valid("onecycle");
  c.max_lr = 1.0; c.total_steps = 10; c.pct_start = 1.0;
  for (int v = 0; v < 2; v++) {
    if (v == 1) { c.pct_start = 0.55; c.three_phase = true; }
    struct schedule *s = sched_new("onecycle", &c);
    char msg[256] = "";
    for (int t = 0; t < 9; t++)
      cr_assert(sched_step(s, msg, sizeof msg) == 0, "variant %d: step %d refused: %s", v, t, msg);
    cr_expect(isfinite(sched_lr(s, NULL)), "variant %d: lr(9) = %g", v, sched_lr(s, NULL));
    cr_expect(sched_step(s, msg, sizeof msg) == -1, "variant %d: the 10th step divides by zero in PyTorch",
              v);
    sched_free(&s);
  }
}

/* The configuration holds 32 milestones; sched_check does not look at n_milestones, so
   n_milestones = 33 passes and sched_lr reads past milestones[] (replay itself stops at
   32).  The library once failed this (fixed): sched_check should refuse it. */
Test(sched, check_too_many_milestones)
{
  struct sched_config c = valid("multistep");
  c.n_milestones = 32;
  expect_ok("multistep", c, "32 milestones");
  c.n_milestones = 33;
  expect_reject("multistep", c, "milestones", "33 milestones in an array of 32");
}

/* -- saving and loading ------------------------------------------------------------ */

/* A schedule saved mid-run and loaded into a fresh one of the same kind continues with
   exactly the same values; the file replaces the configuration and the step count. */
Test(sched, save_load_round_trip)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "sched.state");
  struct sched_config c = valid("onecycle");
  c.max_lr = 0.7; c.total_steps = 50; c.three_phase = true; c.pct_start = 0.2;
  c.linear_anneal = true; c.div_factor = 7;
  struct schedule *a = sched_new("onecycle", &c);
  for (int t = 0; t < 17; t++) sched_step(a, NULL, 0);
  cr_assert(sched_save(a, path) == 0, "sched_save: %s", strerror(errno));
  cr_expect(strcmp(dir_listing(dir), "sched.state") == 0, "after save: %s (no temporary left)",
            dir_listing(dir));
  struct sched_config d = valid("onecycle");    /* other settings, t = 0 */
  struct schedule *b = sched_new("onecycle", &d);
  char msg[256] = "";
  cr_assert(sched_load(b, path, msg, sizeof msg) == 0, "sched_load: %s", msg);
  cr_expect(b->t == 17, "t after load %llu", (unsigned long long)b->t);
  cr_expect(b->c.max_lr == 0.7 && b->c.total_steps == 50 && b->c.three_phase && b->c.linear_anneal &&
            b->c.div_factor == 7 && b->c.pct_start == 0.2 && b->c.final_div_factor == 1e4 &&
            b->c.cycle_momentum, "the configuration comes back");
  for (int t = 17; t < 50; t++) {
    double ma, mb, la = sched_lr(a, &ma), lb = sched_lr(b, &mb);
    cr_assert(la == lb && ma == mb, "t = %d: %.17g/%.17g vs %.17g/%.17g", t, la, ma, lb, mb);
    cr_assert(sched_step(a, NULL, 0) == 0 && sched_step(b, NULL, 0) == 0);
  }
  cr_expect(sched_step(b, NULL, 0) == -1, "the loaded schedule still ends at total_steps");
  sched_free(&a); sched_free(&b);
  /* multistep keeps its milestones, a multiset */
  struct sched_config m = valid("multistep");
  m.lr = 1; m.gamma = 0.5; m.n_milestones = 3; m.milestones[0] = 3; m.milestones[1] = 3;
  m.milestones[2] = 9;
  a = sched_new("multistep", &m);
  cr_assert(sched_save(a, path) == 0);
  struct sched_config m0 = valid("multistep");
  b = sched_new("multistep", &m0);
  cr_assert(sched_load(b, path, msg, sizeof msg) == 0, "%s", msg);
  for (int t = 0; t < 12; t++) {
    cr_expect(sched_lr(b, NULL) == sched_lr(a, NULL), "multistep t = %d", t);
    sched_step(a, NULL, 0); sched_step(b, NULL, 0);
  }
  cr_expect(sched_lr(b, NULL) == 0.125);
  sched_free(&a); sched_free(&b);
  rm_tree(dir);
}

/* A file that is missing, not a schedule file, truncated, damaged, of another kind, or
   holding a state the schedule cannot have is refused with a message that names the
   file, and the schedule is left as it was. */
Test(sched, load_refusals)
{
  char *dir = tmp_dir();
  const char *good = path_in(dir, "good");
  struct sched_config c = valid("onecycle");
  c.max_lr = 1; c.total_steps = 10;
  struct schedule *s = sched_new("onecycle", &c);
  for (int t = 0; t < 4; t++) sched_step(s, NULL, 0);
  cr_assert(sched_save(s, good) == 0);
  size_t size;
  unsigned char *bytes = (unsigned char *)slurp(good, &size);
  cr_assert(bytes != NULL && size > 40, "saved %zu bytes", size);

  struct sched_config e = valid("onecycle");
  e.max_lr = 0.3; e.total_steps = 99;
  struct schedule *target = sched_new("onecycle", &e);
  sched_step(target, NULL, 0);
  struct schedule before;                       /* bytes, padding included, for memcmp */
  memcpy(&before, target, sizeof before);
  struct { const char *name, *word; size_t len; int flip; } cases[] = {
    {"missing", "", 0, -2},                      /* no such file */
    {"empty", "not a schedule", 0, -1},
    {"magic", "not a schedule", SIZE_MAX, 0},    /* first byte changed */
    {"short", "truncated", SIZE_MAX - 1, -1},    /* one byte less */
    {"long", "padded", SIZE_MAX - 2, -1},        /* one byte more */
    {"flip", "checksum", SIZE_MAX, 30},          /* a byte inside changed */
    {"flip2", "checksum", SIZE_MAX, -3},         /* the checksum itself changed */
  };
  char path[4200];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, cases[i].name);
    if (cases[i].flip != -2) {
      unsigned char *b = malloc(size + 1);
      memcpy(b, bytes, size);
      size_t n = cases[i].len == SIZE_MAX ? size : cases[i].len == SIZE_MAX - 1 ? size - 1
               : cases[i].len == SIZE_MAX - 2 ? size + 1 : cases[i].len;
      if (n == size + 1) b[size] = 0;
      if (cases[i].flip >= 0) b[cases[i].flip] ^= 0x40;
      if (cases[i].flip == -3) b[size - 1] ^= 0x01;
      spit(path, b, n);
      free(b);
    }
    char msg[512];
    memset(msg, 0, sizeof msg);
    cr_expect(sched_load(target, path, msg, sizeof msg) == -1, "%s: loaded", cases[i].name);
    cr_expect(strstr(msg, path) != NULL, "%s: message '%s' should name the file", cases[i].name, msg);
    cr_expect(strcasestr(msg, cases[i].word) != NULL, "%s: message '%s' should say '%s'",
              cases[i].name, msg, cases[i].word);
    cr_expect(memcmp(target, &before, sizeof before) == 0, "%s: a failed load changed the schedule",
              cases[i].name);
  }
  /* another kind */
  struct sched_config x = valid("exponential");
  struct schedule *other = sched_new("exponential", &x);
  struct schedule obefore;
  memcpy(&obefore, other, sizeof obefore);
  char msg[512] = "";
  cr_expect(sched_load(other, good, msg, sizeof msg) == -1, "an onecycle file loaded into exponential");
  cr_expect(strstr(msg, "onecycle") != NULL && strstr(msg, "exponential") != NULL, "message '%s'", msg);
  cr_expect(memcmp(other, &obefore, sizeof obefore) == 0);
  sched_free(&other);
  /* a step count past the end of a one-cycle schedule (t forced, then saved) */
  s->t = 11;
  const char *past = path_in(dir, "past");
  cr_assert(sched_save(s, past) == 0);
  memset(msg, 0, sizeof msg);
  cr_expect(sched_load(target, past, msg, sizeof msg) == -1, "t = 11 of 10 loaded");
  cr_expect(strcasestr(msg, "past the end") != NULL, "message '%s'", msg);
  cr_expect(memcmp(target, &before, sizeof before) == 0);
  /* t = total_steps itself is a state the loop reaches: accepted */
  s->t = 10;
  cr_assert(sched_save(s, past) == 0);
  cr_expect(sched_load(target, past, msg, sizeof msg) == 0, "t = 10 of 10: %s", msg);
  cr_expect(target->t == 10);
  free(bytes);
  sched_free(&s); sched_free(&target);
  rm_tree(dir);
}

/* -- overflow: huge periods, lengths and step counts (chapters/04-schedules.w) --------- */

/* CosineAnnealingWarmRestarts with Python's unbounded integers, in 128 bits: subtract
   whole periods, each T_mult times the last; the position is T_cur / T_i in double.
   (Every period multiplied here is at most t < 2^64, times T_mult < 2^63: it fits.) */
static double restarts_reference(double lr, double eta_min, uint64_t t0, uint64_t mult, uint64_t t)
{
  unsigned __int128 ti = t0, cur = t;
  if (mult == 1) cur = t % t0;
  else while (cur >= ti) { cur -= ti; ti *= mult; }
  return eta_min + (lr - eta_min) * (1 + cos(M_PI * ((double)cur / (double)ti))) / 2;
}

static double restarts_at(const struct sched_config *c, uint64_t t)
{
  struct schedule *s = sched_new("cosine-restarts", c);
  s->t = t;                       /* as a loaded file can set it */
  double lr = sched_lr(s, NULL);
  sched_free(&s);
  return lr;
}

/* T_0 * T_mult^k beyond 2^64 used to wrap around: a wrong period, or zero and a loop
   that never ends (T_0 4, T_mult 2^62: the second period, 2^64, wrapped to 0). */
Test(sched, restarts_huge_periods, .timeout = 20)
{
  struct sched_config c = valid("cosine-restarts");
  c.lr = 1; c.eta_min = 0; c.t_0 = 4; c.t_mult = INT64_C(1) << 62;
  const double first[] = {1, 0.85355339059327373, 0.5, 0.14644660940672624, 1, 1};
  for (int t = 0; t < 6; t++) {
    double got = lr_at("cosine-restarts", &c, (uint64_t)t, NULL);
    cr_expect(close_to(got, first[t], 1e-15), "T_0 4, T_mult 2^62: lr(%d) = %.17g, want %.17g", t,
              got, first[t]);
  }
  /* against the 128-bit reference, for huge T_0, T_mult and t */
  const int64_t t0s[] = {1, 2, 3, 4, 5, 1000, INT64_C(1) << 40, INT64_MAX / 3, INT64_MAX};
  const int64_t mults[] = {1, 2, 3, 7, INT64_C(1) << 31, INT64_C(1) << 62, INT64_MAX - 1, INT64_MAX};
  const uint64_t ts[] = {0, 1, 3, 4, 5, 1000, (UINT64_C(1) << 40) + 3, DESCENT_MAX_STEPS,
                         UINT64_MAX / 2, UINT64_MAX - 1, UINT64_MAX};
  c.lr = 0.1; c.eta_min = 0.001;
  for (size_t i = 0; i < sizeof t0s / sizeof t0s[0]; i++)
    for (size_t j = 0; j < sizeof mults / sizeof mults[0]; j++)
      for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
        c.t_0 = t0s[i]; c.t_mult = mults[j];
        double got = restarts_at(&c, ts[k]);
        double want = restarts_reference(c.lr, c.eta_min, (uint64_t)c.t_0, (uint64_t)c.t_mult, ts[k]);
        cr_expect(close_to(got, want, 1e-12) && got >= c.eta_min && got <= c.lr,
                  "T_0 %lld, T_mult %lld, t %llu: %.17g, want %.17g", (long long)c.t_0,
                  (long long)c.t_mult, (unsigned long long)ts[k], got, want);
      }
  /* T_0 1, T_mult 2: the 64th restart is at t = 2^64 - 1 exactly */
  c.t_0 = 1; c.t_mult = 2;
  cr_expect(restarts_at(&c, UINT64_MAX) == c.lr, "no restart at 2^64 - 1: %.17g",
            restarts_at(&c, UINT64_MAX));
}

/* warmup-cosine with T_max and W beyond 2^53 that differ by one: in double both are the
   same number, and (t - W) / (T_max - W) was 0/0 */
Test(sched, warmup_cosine_huge_lengths)
{
  struct sched_config c = valid("warmup-cosine");
  c.lr = 1; c.eta_min = 0; c.t_max = (INT64_C(1) << 62) + 1; c.warmup_steps = INT64_C(1) << 62;
  struct schedule *s = sched_new("warmup-cosine", &c);
  s->t = UINT64_C(1) << 62;
  cr_expect(sched_lr(s, NULL) == 1.0, "at the end of the warmup: %.17g", sched_lr(s, NULL));
  s->t = (UINT64_C(1) << 62) - 1;
  cr_expect(close_to(sched_lr(s, NULL), 1.0, 1e-15), "just before: %.17g", sched_lr(s, NULL));
  s->t = (UINT64_C(1) << 62) + 1;
  cr_expect(sched_lr(s, NULL) == 0.0, "at T_max: %.17g", sched_lr(s, NULL));
  sched_free(&s);
}

/* Every kind, with every integer of its configuration at an extreme that sched_check
   accepts, gives finite values in its range at any step count, at once. */
Test(sched, extreme_configurations_stay_finite, .timeout = 20)
{
  const char *names[] = {"step", "multistep", "exponential", "cosine", "warmup-cosine",
                         "cosine-restarts", "cyclic", "onecycle", "linear"};
  const uint64_t ts[] = {0, 1, 2, 1000, DESCENT_MAX_STEPS, UINT64_MAX - 1, UINT64_MAX};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    for (int big = 0; big < 2; big++) {
      struct sched_config c = valid(names[i]);
      const long L = big ? LONG_MAX : LONG_MAX - 1;
      c.step_size = L; c.t_max = L; c.warmup_steps = big ? L - 1 : 0; c.t_0 = L; c.t_mult = L;
      c.total_steps = L; c.total_iters = L; c.step_size_up = L; c.step_size_down = L;
      c.n_milestones = 3; c.milestones[0] = LONG_MIN; c.milestones[1] = L; c.milestones[2] = 5;
      c.gamma = 0.5;
      char msg[256] = "";
      cr_assert(sched_check(names[i], &c, msg, sizeof msg) == 0, "%s: %s", names[i], msg);
      for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
        struct schedule *s = sched_new(names[i], &c);
        s->t = ts[k];
        if (strcmp(names[i], "onecycle") == 0 && ts[k] > (uint64_t)L) { sched_free(&s); continue; }
        double m, lr = sched_lr(s, &m);
        cr_expect(isfinite(lr) && lr >= 0 && lr <= 1.0, "%s (%s), t %llu: lr %.17g", names[i],
                  big ? "LONG_MAX" : "LONG_MAX - 1", (unsigned long long)ts[k], lr);
        sched_free(&s);
      }
    }
}

/* sched_step stops at 2^53 (DESCENT_MAX_STEPS) and leaves the count where it was */
Test(sched, step_count_bound)
{
  struct sched_config c = valid("step");
  struct schedule *s = sched_new("step", &c);
  s->t = DESCENT_MAX_STEPS - 1;
  char msg[256] = "";
  cr_expect(sched_step(s, msg, sizeof msg) == 0 && s->t == DESCENT_MAX_STEPS, "step to 2^53: %s", msg);
  cr_expect(sched_step(s, msg, sizeof msg) == -1 && s->t == DESCENT_MAX_STEPS, "stepped past 2^53");
  cr_expect(strstr(msg, "2^53") != NULL, "message '%s' should give the bound", msg);
  s->t = UINT64_MAX;
  cr_expect(sched_step(s, NULL, 0) == -1 && s->t == UINT64_MAX, "2^64 - 1 wrapped around");
  sched_free(&s);
}

/* A file with a step count beyond 2^53 (2^64 - 1: the next step would wrap to zero) is
   refused for every kind; 2^53 loads.  A file carrying huge periods, lengths and
   milestones loads and continues on exactly the values of the schedule that wrote it. */
Test(sched, load_step_counts_and_huge_configurations, .timeout = 20)
{
  char *dir = tmp_dir();
  char *path = strdup(path_in(dir, "s.state"));
  const char *names[] = {"step", "multistep", "exponential", "cosine", "warmup-cosine",
                         "cosine-restarts", "cyclic", "linear"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    struct sched_config c = valid(names[i]);
    struct schedule *s = sched_new(names[i], &c), *target = sched_new(names[i], &c);
    sched_step(target, NULL, 0);
    struct schedule before;
    memcpy(&before, target, sizeof before);
    const uint64_t bad[] = {UINT64_MAX, DESCENT_MAX_STEPS + 1};
    for (int k = 0; k < 2; k++) {
      s->t = bad[k];
      cr_assert(sched_save(s, path) == 0);
      char msg[512] = "";
      cr_expect(sched_load(target, path, msg, sizeof msg) == -1, "%s: t = %llu loaded", names[i],
                (unsigned long long)bad[k]);
      cr_expect(strstr(msg, path) && strstr(msg, "2^53"), "%s: message '%s'", names[i], msg);
      cr_expect(memcmp(target, &before, sizeof before) == 0, "%s: a failed load changed it", names[i]);
    }
    s->t = DESCENT_MAX_STEPS;
    cr_assert(sched_save(s, path) == 0);
    char msg[512] = "";
    cr_expect(sched_load(target, path, msg, sizeof msg) == 0 && target->t == DESCENT_MAX_STEPS,
              "%s: t = 2^53: %s", names[i], msg);
    sched_free(&s); sched_free(&target);
  }
  /* huge configurations travel through the file and give the same values */
  struct { const char *name; struct sched_config c; } cases[4];
  cases[0].name = "cosine-restarts"; cases[0].c = valid("cosine-restarts");
  cases[0].c.t_0 = 4; cases[0].c.t_mult = INT64_C(1) << 62;
  cases[1].name = "warmup-cosine"; cases[1].c = valid("warmup-cosine");
  cases[1].c.t_max = (INT64_C(1) << 62) + 1; cases[1].c.warmup_steps = INT64_C(1) << 62;
  cases[2].name = "step"; cases[2].c = valid("step"); cases[2].c.step_size = LONG_MAX;
  cases[3].name = "multistep"; cases[3].c = valid("multistep");
  cases[3].c.n_milestones = 2; cases[3].c.milestones[0] = LONG_MAX; cases[3].c.milestones[1] = 2;
  cases[3].c.gamma = 0.5;
  for (int i = 0; i < 4; i++) {
    struct schedule *a = sched_new(cases[i].name, &cases[i].c);
    struct sched_config d = valid(cases[i].name);
    struct schedule *b = sched_new(cases[i].name, &d);
    for (int t = 0; t < 3; t++) sched_step(a, NULL, 0);
    cr_assert(sched_save(a, path) == 0);
    char msg[512] = "";
    cr_assert(sched_load(b, path, msg, sizeof msg) == 0, "%s: %s", cases[i].name, msg);
    for (int t = 3; t < 12; t++) {
      double la = sched_lr(a, NULL), lb = sched_lr(b, NULL);
      cr_expect(la == lb && isfinite(la), "%s, t = %d: %.17g vs %.17g", cases[i].name, t, la, lb);
      sched_step(a, NULL, 0); sched_step(b, NULL, 0);
    }
    sched_free(&a); sched_free(&b);
  }
  free(path);
  rm_tree(dir);
}
