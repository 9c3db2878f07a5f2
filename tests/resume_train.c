/* tests/resume_train.c -- a small training run on the library's session, for
   tests/resume.sh: it trains the MLP 784-64-10 with AdamW, warmup + cosine and
   clipping at 1.0 on the first 2000 Fashion-MNIST images (an epoch is 62 steps
   of 32), writes a checkpoint every K steps, and at the end writes the weights.

     test_resume DATA STEPS WEIGHTS [CKPT EVERY [resume]]

   With "resume" it starts from CKPT.  Killed at any moment (kill -9), the last
   checkpoint is intact, and resuming from it must give the same final weights,
   bit for bit, as a run that was never interrupted. */
#include <stdlib.h>
#include <string.h>
#include "descent.h"

int main(int argc, char **argv)
{
  program_name = "test_resume";
  if (argc != 4 && argc != 6 && argc != 7) usage_error("DATA STEPS WEIGHTS [CKPT EVERY [resume]]");
  long steps = cli_long("STEPS", argv[2], 1, 1000000);
  long every = argc >= 6 ? cli_long("EVERY", argv[5], 1, 1000000) : 0;
  char msg[512];
  struct dataset train;
  if (fmnist_load(argv[1], true, &train, msg, sizeof msg) != 0) die("%s", msg);
  if (train.n < 2000) die("needs 2000 training images");
  train.n = 2000;
  struct session_config c = {0};
  c.nlayers = 2; c.sizes[0] = 784; c.sizes[1] = 64; c.sizes[2] = 10;
  c.opt_name = "adamw"; opt_defaults("adamw", &c.opt);
  c.sched_name = "warmup-cosine"; sched_defaults("warmup-cosine", &c.sched);
  c.sched.lr = c.opt.lr; c.sched.warmup_steps = steps / 10; c.sched.t_max = steps;
  c.clip_norm = 1.0; c.no_decay_bias = true; c.batch = 32; c.seed = 5; c.world = 1;
  struct session *S = session_new(&c, &train, msg, sizeof msg);
  if (!S) die("%s", msg);
  if (argc == 7 && strcmp(argv[6], "resume") == 0
      && session_load(S, argv[4], msg, sizeof msg) != 0) die("%s", msg);
  while (S->step < (uint64_t)steps) {
    session_step(S);
    if (every && S->step % (uint64_t)every == 0 && session_save(S, argv[4]) != 0)
      die("cannot write %s", argv[4]);
  }
  if (write_file_atomic(argv[3], S->m->params, S->m->nparams * sizeof(float)) != 0)
    die("cannot write %s", argv[3]);
  session_free(&S);
  dataset_free(&train);
  return 0;
}
