/* tests/fuzz/seeds.c -- writes the committed seed inputs of the fuzzers,
   tests/fuzz/NAME/, a few good inputs and a few broken ones for each:
   make fuzz-seeds.  The state files are written by the library itself
   (opt_save, sched_save), so that the good ones stay good when a format
   changes: rerun it then.  Each seed starts with the target's control byte
   (see the comment at the top of tests/fuzz/fuzz_NAME.c).

   usage: seeds DIR     (DIR is tests/fuzz) */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "descent.h"

static const char *dir;

static void put(const char *target, const char *name, unsigned char ctl,
                const void *data, size_t size)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, target);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
  FILE *f = fopen(path, "wb");
  if (!f || fputc(ctl, f) == EOF || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    die("cannot write %s", path);
}
static void put_text(const char *name, unsigned char ctl, const char *text)
{ put("replay", name, ctl, text, strlen(text)); }

/* A file the library wrote, read back into memory. */
static unsigned char *slurp(const char *path, size_t *size)
{
  char msg[256];
  unsigned char *b = read_file(path, size, msg, sizeof msg);
  if (!b) die("%s", msg);
  remove(path);
  return b;
}
static void fix_crc(unsigned char *b, size_t size)
{
  uint32_t c = (uint32_t)crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (unsigned char)(c >> (8 * j));
}

/* --- optimizer state files: every kind, after two steps on three parameters */
static unsigned char *opt_file(const char *name, struct opt_config *c, size_t *size)
{
  struct optimizer *o = opt_new(name, 3, c);
  float p[3] = {1, -2, 3}, g[3] = {0.5f, 0.25f, -1};
  opt_step(o, p, g); opt_step(o, p, g);
  if (opt_save(o, "seed.tmp") != 0) die("opt_save");
  opt_free(&o);
  return slurp("seed.tmp", size);
}
static void opt_seeds(void)
{
  static const struct { const char *file, *kind; double momentum; bool centered, amsgrad; } k[] = {
    {"sgd", "sgd", 0, false, false}, {"sgd-momentum", "sgd", 0.9, false, false},
    {"adagrad", "adagrad", 0, false, false}, {"rmsprop-centered", "rmsprop", 0.9, true, false},
    {"adam-amsgrad", "adam", 0, false, true}, {"adamw", "adamw", 0, false, false},
    {"adamw-schedulefree", "adamw-schedulefree", 0, false, false}};
  size_t size;
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
    struct opt_config c;
    opt_defaults(k[i].kind, &c);
    c.lr = 0.01; c.momentum = k[i].momentum; c.centered = k[i].centered; c.amsgrad = k[i].amsgrad;
    unsigned char *b = opt_file(k[i].kind, &c, &size);
    put("opt", k[i].file, 0, b, size);
    free(b);
  }
  struct opt_config c;
  opt_defaults("adam", &c);
  unsigned char *b = opt_file("adam", &c, &size);
  put("opt", "bad-truncated", 0, b, size - 9);
  b[20] ^= 1; put("opt", "bad-crc", 0, b, size); b[20] ^= 1;
  memcpy(b + 48, &(double){-1}, 8);  /* lr -1 (this machine is little-endian) */
  fix_crc(b, size); put("opt", "bad-config", 0, b, size);
  put("opt", "bad-magic", 0, "DSCOPT00", 8);
  memcpy(b + 8, "adam\n", 5); fix_crc(b, size); /* found by fuzz_opt: a newline in the message */
  put("opt", "bad-name-newline", 0, b, size);
  free(b);
}

/* --- schedule files: every kind of the chapter, five steps in */
static void sched_seeds(void)
{
  static const struct { const char *kind; struct sched_config c; } k[] = {
    {"step", {.lr = 1, .step_size = 60, .gamma = 0.5}},
    {"multistep", {.lr = 1, .milestones = {100, 200, 250}, .n_milestones = 3, .gamma = 0.5}},
    {"exponential", {.lr = 1, .gamma = 0.99}},
    {"cosine", {.lr = 1, .t_max = 300}},
    {"warmup-cosine", {.lr = 1, .t_max = 300, .warmup_steps = 30}},
    {"cosine-restarts", {.lr = 1, .t_0 = 20, .t_mult = 2}},
    {"linear", {.lr = 1, .start_factor = 0.25, .end_factor = 1, .total_iters = 60}},
    {"cyclic", {.lr = 0.1, .base_lr = 0.1, .max_lr = 1, .step_size_up = 50,
      .step_size_down = -1, .mode = sched_triangular2, .gamma = 1, .cycle_momentum = true,
      .base_momentum = 0.8, .max_momentum = 0.9}},
    {"onecycle", {.max_lr = 1, .total_steps = 300, .pct_start = 0.3, .div_factor = 25,
      .final_div_factor = 1e4, .three_phase = true, .cycle_momentum = true,
      .base_momentum = 0.85, .max_momentum = 0.95}}};
  size_t size;
  unsigned char *b = NULL;
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
    struct schedule *s = sched_new(k[i].kind, &k[i].c);
    for (int t = 0; t < 5; t++) sched_step(s, NULL, 0);
    if (sched_save(s, "seed.tmp") != 0) die("sched_save");
    sched_free(&s);
    free(b);
    b = slurp("seed.tmp", &size);
    put("sched", k[i].kind, 0, b, size);
  }
  /* found by fuzz_sched: periods that wrap around to zero and loop forever */
  struct schedule *r = sched_new("cosine-restarts", &(struct sched_config){.lr = 1, .t_0 = 1,
                                 .t_mult = 1L << 32});
  r->t = (uint64_t)1 << 33;
  if (sched_save(r, "seed.tmp") != 0) die("sched_save");
  sched_free(&r);
  size_t wsize;
  unsigned char *w = slurp("seed.tmp", &wsize);
  put("sched", "restarts-wrap", 0, w, wsize);
  free(w);
  /* b is the one-cycle schedule's file */
  put("sched", "bad-truncated", 0, b, size - 1);
  b[30] ^= 1; put("sched", "bad-crc", 0, b, size); b[30] ^= 1;
  unsigned char t[8]; memcpy(t, b + 24, 8);
  put_u64(b + 24, 301); fix_crc(b, size); put("sched", "bad-past-end", 0, b, size);
  memcpy(b + 24, t, 8);
  put_u64(b + 200, 33); fix_crc(b, size); put("sched", "bad-milestones", 0, b, size);
  memcpy(b + 8, "war\n\033[31m", 9); /* found by fuzz_sched: a newline in the message */
  fix_crc(b, size); put("sched", "bad-name-newline", 0, b, size);
  free(b);
}

/* --- IDX files and Fashion-MNIST pairs */
static size_t idx_file(unsigned char *b, unsigned char type, int ndims, const uint32_t *dims,
                       unsigned char fill)
{
  size_t n = 4, count = 1;
  b[0] = 0; b[1] = 0; b[2] = type; b[3] = (unsigned char)ndims;
  for (int k = 0; k < ndims; k++) {
    for (int j = 0; j < 4; j++) b[n++] = (unsigned char)(dims[k] >> (24 - 8 * j));
    count *= dims[k];
  }
  for (size_t i = 0; i < count && count < 100000; i++) b[n++] = (unsigned char)(fill + i * 7);
  return n;
}
static size_t gzip(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflateInit2");
  z.next_in = (Bytef *)in; z.avail_in = (uInt)n; z.next_out = out; z.avail_out = (uInt)cap;
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) die("deflate");
  deflateEnd(&z);
  return cap - z.avail_out;
}
static void pair(const char *name, unsigned char ctl, uint32_t nimg, uint32_t nlab,
                 unsigned char label_fill)
{
  static unsigned char b[8192];
  uint32_t di[3] = {nimg, 28, 28}, dl[1] = {nlab};
  size_t L = idx_file(b + 4, 8, 3, di, 0);
  for (int j = 0; j < 4; j++) b[j] = (unsigned char)(L >> (8 * j));
  size_t n = 4 + L + idx_file(b + 4 + L, 8, 1, dl, label_fill);
  if (label_fill == 0) for (size_t i = 0; i < nlab; i++) b[4 + L + 8 + i] = (unsigned char)(i % 10);
  put("idx", name, ctl, b, n);
}
static void idx_seeds(void)
{
  unsigned char b[4096], z[4096];
  size_t n;
  n = idx_file(b, 8, 1, (uint32_t[]){5}, 3);
  put("idx", "labels", 0, b, n);
  put("idx", "labels-gzipped-here", 1, b, n);
  n = idx_file(b, 8, 3, (uint32_t[]){1, 28, 28}, 0);
  put("idx", "image", 0, b, n);
  size_t zn = gzip(b, n, z, sizeof z);
  put("idx", "image.gz", 0, z, zn);
  z[zn / 2] ^= 0x55; put("idx", "bad-damaged.gz", 0, z, zn); z[zn / 2] ^= 0x55;
  put("idx", "bad-truncated.gz", 0, z, zn - 12);
  n = idx_file(b, 8, 2, (uint32_t[]){3, 4}, 1);
  put("idx", "bad-truncated", 0, b, n - 1);
  b[n] = 9; put("idx", "bad-trailing", 0, b, n + 1);
  n = idx_file(b, 9, 1, (uint32_t[]){2}, 1);
  put("idx", "bad-type", 0, b, n);
  b[0] = 0; b[1] = 0; b[2] = 8; b[3] = 5;
  put("idx", "bad-five-dims", 0, b, 24);
  n = idx_file(b, 8, 4, (uint32_t[]){0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, 0);
  put("idx", "bad-overflow", 0, b, n);
  n = idx_file(b, 8, 2, (uint32_t[]){3, 0}, 0);
  put("idx", "bad-zero-dim", 0, b, n);
  pair("fmnist-train", 2, 2, 2, 0);
  pair("fmnist-test-gzipped-here", 2 | 4 | 1, 3, 3, 0);
  pair("fmnist-plain-names", 2 | 8, 1, 1, 0);
  pair("bad-fmnist-label", 2, 2, 2, 10);
  pair("bad-fmnist-counts", 2, 2, 3, 0);
}

/* --- replay's input */
static void replay_seeds(void)
{
  put_text("parse", 0, "1 2.5 -3e-2\n\n0x1p-3 1e-45\t-0\r\n4");
  put_text("parse-fixed", 1, "1 2 3\n4 5 6\n7 8 9\n");
  put_text("clip-norm", 2, "3 4\n1e30 -1e30 5\n0.1\n");
  put_text("clip-inf", 3, "3 -4\n2\n");
  put_text("clip-value", 4, "3 -4 0.5\n-1.5 2\n");
  put_text("round-fp16", 5, "1.5\nnan\n-inf\n-0.0\n65520\n6e-8\n1e-45\n");
  put_text("round-bf16", 6, "3.14159\ninf\n1e39\n-1e-40\n");
  put_text("scaler", 7, "0\n0\n1\n0\n");
  put_text("sgd", 8 | 0x10, "1 2\n0.5 -1\n0.5 -1\n");
  put_text("sgd-nesterov-wd", 8 | 0x20 | 0x80, "1 2 3\n0.1 0.2 0.3\n-1 0 1\n");
  put_text("adagrad", 9, "1 -1\n0.5 0.5\n1e-30 3e38\n");
  put_text("rmsprop-centered", 10 | 0x10 | 0x40, "0.5 0.25\n1 1\n-1 2\n");
  put_text("adam-amsgrad", 11 | 0x40, "1 2 3 4\n1 1 1 1\n-2 0 3 1e-10\n");
  put_text("adamw", 12 | 0x80, "1\n0.1\n0.2\n0.3\n");
  /* broken: a word that is no number, a wrong count, infinity, overflow,
     a NUL byte, a line of clipping that is empty, a scaler's 2 */
  put_text("bad-word", 8, "1 2\n0.5 x\n");
  put_text("bad-count", 11, "1 2\n0.5\n");
  put_text("bad-inf", 9, "1 inf\n");
  put_text("bad-overflow", 0, "1 3.5e38\n");
  put("replay", "bad-nul", 8, "1 2\n0.5 -1\0 7\n", 14);
  put("replay", "bad-nul-round", 5, "1.5\0x\n", 6);
  put_text("bad-empty-clip-line", 2, "1 2\n\n3\n");
  put_text("bad-scaler", 7, "0\n2\n");
  put_text("bad-round-two", 5, "1 2\n");
  /* a long line and a long word */
  static char line[64000];
  size_t k = 0;
  for (int i = 0; i < 2000; i++) k += (size_t)snprintf(line + k, sizeof line - k, "%d.5 ", i - 1000);
  line[k - 1] = '\n';
  memcpy(line + k, line, k);
  line[2 * k] = '\0';
  put_text("long-lines", 1, line);
  memset(line, '9', 5000); memcpy(line + 5000, "e-4990\n", 8);
  put_text("long-word", 0, line);
}

int main(int argc, char **argv)
{
  program_name = "seeds";
  if (argc != 2) usage_error("usage: seeds DIR");
  dir = argv[1];
  opt_seeds();
  sched_seeds();
  idx_seeds();
  replay_seeds();
  return 0;
}
