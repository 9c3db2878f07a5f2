/* tests/fuzz/fuzz_opt.c -- opt_load, on optimizer state files of every kind.

   Input: one control byte, then the file.  Control bit 0 puts the file's
   CRC right before it is written, so that the checks behind the checksum
   are reached; bits 1-7 pick the kind when the file's name field names
   none, and a small n when its n field is not one we can allocate.

   The file is offered to an optimizer of its kind and size in every
   configuration that makes a different set of state vectors (momentum,
   centered, amsgrad), so that one of them can accept it.  A refusal must
   come with a one-line message and leave the optimizer as it was; an
   acceptance must leave an optimizer that takes a step. */
#include "fuzz.h"
#include "descent.h"

static struct fuzz_file file;
static struct fuzz_names kinds;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc; (void)argv;
  fuzz_file_open(&file, "opt");
  fuzz_split_names(opt_names(), &kinds);
  return 0;
}

/* Configuration |v| of kind |name|: PyTorch's defaults (with a learning
   rate, which SGD lacks), then momentum, centering and AMSGrad by the bits
   of |v|.  Returns false when a bit asks for an option the kind does not
   take (that configuration is another's twin) or the check refuses it. */
static bool config(const char *name, unsigned v, struct opt_config *c)
{
  if (!opt_defaults(name, c)) fuzz_fail("opt_defaults(%s) failed", name);
  if (isnan(c->lr)) c->lr = 0.01;
  static const char *const opt[3] = {"momentum", "centered", "amsgrad"};
  for (int i = 0; i < 3; i++)
    if (v >> i & 1 && !opt_takes(name, opt[i])) return false;
  if (v & 1) c->momentum = 0.9;
  if (v & 2) c->centered = true;
  if (v & 4) c->amsgrad = true;
  return opt_check(name, c, NULL, 0) == 0;
}

/* One attempt: a fresh optimizer, the load, and what must hold after it. */
static void try_load(const char *name, size_t n, const struct opt_config *c)
{
  struct optimizer *o = opt_new(name, n, c);
  const size_t ns = o->k * n;
  for (size_t i = 0; i < ns; i++) o->state[i] = (float)i;
  struct optimizer before;
  memcpy(&before, o, sizeof before);
  uint8_t *state = fuzz_copy((const uint8_t *)o->state, ns * sizeof(float));
  char msg[256];
  memset(msg, 0, sizeof msg);
  if (opt_load(o, file.path, msg, sizeof msg) != 0) {
    fuzz_check_message("opt_load", msg, sizeof msg);
    if (memcmp(&before, o, sizeof before) != 0
        || memcmp(state, o->state, ns * sizeof(float)) != 0)
      fuzz_fail("opt_load refused the file (%s) but changed the optimizer", msg);
  } else {
    /* the state vectors are replaced by the decoded ones: same kind, length and count */
    if (o->kind != before.kind || o->n != n || o->k != before.k)
      fuzz_fail("opt_load changed the optimizer's shape");
    float *p = malloc(n * sizeof *p), *g = malloc(n * sizeof *g);
    if (!p || !g) fuzz_fail("out of memory");
    for (size_t i = 0; i < n; i++) { p[i] = 1.0f + (float)i; g[i] = 0.5f - (float)(i & 1); }
    opt_step(o, p, g);
    opt_step(o, p, g);
    free(p); free(g);
  }
  free(state);
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
  const char *name = kinds.name[(ctl >> 1) % kinds.n];
  for (size_t i = 0; size >= 24 && i < kinds.n; i++)
    if (strncmp((const char *)b + 8, kinds.name[i], 16) == 0) name = kinds.name[i];
  size_t n = 1 + (ctl >> 4);
  if (size >= 32 && get_u64(b + 24) >= 1 && get_u64(b + 24) <= (1u << 16))
    n = (size_t)get_u64(b + 24);
  free(b);
  for (unsigned v = 0; v < 8; v++) {
    struct opt_config c;
    if (config(name, v, &c)) try_load(name, n, &c);
  }
  return 0;
}
