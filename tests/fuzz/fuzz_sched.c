/* tests/fuzz/fuzz_sched.c -- sched_load, on schedule state files of every kind.

   Input: one control byte, then the file.  Control bit 0 puts the file's
   CRC right before it is written, so that the checks behind the checksum
   are reached; the other bits pick the kind of the schedule that loads
   it when the file's name field names none.

   A refusal must come with a one-line message and leave the schedule as
   it was; an acceptance must leave a schedule that gives its values,
   steps, and sets an optimizer's rate and momentum. */
#include "fuzz.h"
#include "descent.h"

static struct fuzz_file file;
static struct fuzz_names kinds;
static bool usable[fuzz_max_names];
static struct sched_config configs[fuzz_max_names];

/* A configuration that every kind of the book accepts: its defaults, and
   a value for each field that some kind requires and leaves unset. */
static bool config(const char *name, struct sched_config *c)
{
  if (!sched_defaults(name, c)) fuzz_fail("sched_defaults(%s) failed", name);
  c->lr = 0.1;
  c->step_size = 10; c->t_max = 100; c->t_0 = 10; c->total_steps = 100;
  if (isnan(c->gamma)) c->gamma = 0.9;
  if (isnan(c->max_lr)) c->max_lr = 1;
  c->milestones[0] = 10; c->milestones[1] = 20; c->n_milestones = 2;
  return sched_check(name, c, NULL, 0) == 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc; (void)argv;
  fuzz_file_open(&file, "sched");
  fuzz_split_names(sched_names(), &kinds);
  for (size_t i = 0; i < kinds.n; i++) {
    usable[i] = config(kinds.name[i], &configs[i]);
    if (!usable[i])
      fprintf(stderr, "fuzz_sched: no configuration for schedule %s; not fuzzed\n",
              kinds.name[i]);
  }
  return 0;
}

/* What a loaded schedule must do: values, a few steps, and an optimizer
   with momentum set by it (a refusal there is a message, not a failure). */
static void use(struct schedule *s)
{
  char msg[256];
  double m;
  struct opt_config oc;
  opt_defaults("sgd", &oc);
  oc.lr = 0.01; oc.momentum = 0.9;
  struct optimizer *o = opt_new("sgd", 2, &oc);
  for (int i = 0; i < 3; i++) {
    (void)sched_lr(s, &m);
    memset(msg, 0, sizeof msg);
    if (sched_apply(s, o, msg, sizeof msg) != 0) fuzz_check_message("sched_apply", msg, sizeof msg);
    memset(msg, 0, sizeof msg);
    if (sched_step(s, msg, sizeof msg) != 0) {
      fuzz_check_message("sched_step", msg, sizeof msg);
      break;
    }
  }
  opt_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1) return 0;
  const uint8_t ctl = data[0];
  uint8_t *b = fuzz_copy(data + 1, size - 1);
  size--;
  if (ctl & 1) fuzz_fix_crc(b, size);
  fuzz_file_set(&file, b, size);
  size_t k = (ctl >> 1) % kinds.n;
  for (size_t i = 0; size >= 24 && i < kinds.n; i++)
    if (strncmp((const char *)b + 8, kinds.name[i], 16) == 0) k = i;
  free(b);
  if (!usable[k]) return 0;
  struct schedule *s = sched_new(kinds.name[k], &configs[k]), before;
  s->t = 7;
  memcpy(&before, s, sizeof before);
  char msg[256];
  memset(msg, 0, sizeof msg);
  if (sched_load(s, file.path, msg, sizeof msg) != 0) {
    fuzz_check_message("sched_load", msg, sizeof msg);
    if (memcmp(&before, s, sizeof before) != 0)
      fuzz_fail("sched_load refused the file (%s) but changed the schedule", msg);
  } else {
    if (s->kind != before.kind) fuzz_fail("sched_load changed the schedule's kind");
    use(s);
  }
  sched_free(&s);
  return 0;
}
