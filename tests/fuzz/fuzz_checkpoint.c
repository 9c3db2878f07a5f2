/* tests/fuzz/fuzz_checkpoint.c -- session_load, on checkpoints of a small session.

   Input: one control byte, then the file.  Control bit 0 puts the file's
   CRC right before it is written, so that the checks behind the checksum
   are reached; bit 1 loads it into a session with half-precision gradients
   and the loss scaler (whose checkpoint has a "scaler" field).

   A refusal must come with a one-line message and leave the session as it
   was; an acceptance must leave a session that trains on: two more steps.
   The seeds (tests/fuzz/checkpoint/) are checkpoints of the same two
   configurations, written by session_save, and damaged copies of them. */
#include "fuzz.h"
#include "descent.h"

static struct fuzz_file file;
static struct dataset toy;

/* 40 examples of 6 features in 3 classes; the network is 6-5-3. */
static struct session_config config(bool fp16)
{
  struct session_config c = {0};
  c.nlayers = 2; c.sizes[0] = 6; c.sizes[1] = 5; c.sizes[2] = 3;
  c.opt_name = "adamw"; opt_defaults("adamw", &c.opt);
  c.sched_name = "warmup-cosine"; sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = c.opt.lr; c.sched.warmup_steps = 3; c.sched.t_max = 1000;
  c.clip_norm = 1.0; c.no_decay_bias = true; c.batch = 8; c.seed = 3; c.world = 1;
  c.fp16_grads = fp16;
  scaler_defaults(&c.scaler);
  return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc; (void)argv;
  fuzz_file_open(&file, "checkpoint");
  toy = (struct dataset){40, 6, vec_new(240), malloc(40), 3};
  if (!toy.y) fuzz_fail("out of memory");
  for (size_t i = 0; i < 240; i++) toy.x[i] = (float)(i % 7) / 7.0f;
  for (size_t i = 0; i < 40; i++) toy.y[i] = (uint8_t)(i % 3);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1) return 0;
  const uint8_t control = data[0];
  uint8_t *b = fuzz_copy(data + 1, size - 1);
  if (control & 1) fuzz_fix_crc(b, size - 1);
  fuzz_file_set(&file, b, size - 1);
  free(b);
  const struct session_config c = config(control & 2);
  char msg[256];
  struct session *S = session_new(&c, &toy, msg, sizeof msg);
  if (!S) fuzz_fail("session_new: %s", msg);
  float *before = (float *)fuzz_copy((const uint8_t *)S->m->params,
                                     S->m->nparams * sizeof(float));
  memset(msg, 0, sizeof msg);
  if (session_load(S, file.path, msg, sizeof msg) != 0) {
    fuzz_check_message("session_load", msg, sizeof msg);
    if (S->step != 0 || memcmp(before, S->m->params, S->m->nparams * sizeof(float)) != 0)
      fuzz_fail("session_load refused the file (%s) but changed the session", msg);
  } else {
    session_step(S);
    session_step(S);
  }
  free(before);
  session_free(&S);
  return 0;
}
