/* tests/fuzz/fuzz_idx.c -- the IDX reader of Appendix A (idx_read) and
   the Fashion-MNIST loader built on it (fmnist_load).

   Input: one control byte, then the payload.
     bit 0  gzip the file(s) here before they are read, so that mutations
            of the IDX structure also go through zlib's decompression; with
            the bit clear the bytes are read as they come (raw IDX, or a
            gzip stream that the mutations damage)
     bit 1  fmnist_load instead of idx_read: the payload is a 4-byte
            little-endian length L, then L bytes of the image file, then
            the label file
     bit 2  (fmnist) the test set's file names instead of the training set's
     bit 3  (fmnist) the names without .gz, which the loader falls back to

   A refusal must come with a one-line message and an empty result; an
   array or a data set that is accepted is read through to its last byte. */
#include <sys/stat.h>
#include "fuzz.h"
#include "descent.h"

static struct fuzz_file images, labels;
static char dirs[2][128]; /* the file names with .gz, and without */
static const char *const names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                     "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/* Where fmnist_load looks: two directories of links to the memory files. */
static void link_path(char *buf, size_t len, int d, int i)
{
  snprintf(buf, len, "%s/%s%s", dirs[d], names[i], d == 0 ? ".gz" : "");
}
static void remove_links(void)
{
  char p[256];
  for (int d = 0; d < 2; d++) {
    for (int i = 0; i < 4; i++) { link_path(p, sizeof p, d, i); unlink(p); }
    rmdir(dirs[d]);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc; (void)argv;
  fuzz_file_open(&images, "images");
  fuzz_file_open(&labels, "labels");
  const char *tmp = getenv("TMPDIR");
  for (int d = 0; d < 2; d++) {
    snprintf(dirs[d], sizeof dirs[d], "%s/descent-fuzz-idx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dirs[d])) fuzz_fail("mkdtemp %s: %s", dirs[d], strerror(errno));
  }
  atexit(remove_links);
  char p[256];
  for (int d = 0; d < 2; d++)
    for (int i = 0; i < 4; i++) {
      link_path(p, sizeof p, d, i);
      if (symlink(i % 2 ? labels.path : images.path, p) != 0)
        fuzz_fail("symlink %s: %s", p, strerror(errno));
    }
  return 0;
}

/* The file's bytes, gzipped when |gz|. */
static void put(struct fuzz_file *f, const uint8_t *data, size_t size, bool gz)
{
  if (!gz) { fuzz_file_set(f, data, size); return; }
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    fuzz_fail("deflateInit2");
  size_t cap = deflateBound(&z, (uLong)size);
  uint8_t *out = malloc(cap);
  if (!out) fuzz_fail("out of memory");
  z.next_in = (Bytef *)data; z.avail_in = (uInt)size;
  z.next_out = out; z.avail_out = (uInt)cap;
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) fuzz_fail("deflate");
  fuzz_file_set(f, out, cap - z.avail_out);
  deflateEnd(&z);
  free(out);
}

static volatile unsigned sink; /* so that every byte is read */
static void read_idx(void)
{
  struct idx a;
  char msg[512];
  memset(msg, 0, sizeof msg);
  if (idx_read(images.path, &a, msg, sizeof msg) != 0) {
    fuzz_check_message("idx_read", msg, sizeof msg);
    if (a.data || a.count || a.ndims) fuzz_fail("idx_read refused the file (%s) but left data", msg);
    return;
  }
  if (a.ndims < 1 || a.ndims > 4) fuzz_fail("idx_read accepted %u dimensions", a.ndims);
  size_t count = 1;
  for (unsigned k = 0; k < a.ndims; k++) count *= a.dims[k];
  if (count != a.count || !a.data) fuzz_fail("idx_read: count %zu, dimensions say %zu", a.count, count);
  unsigned sum = 0;
  for (size_t i = 0; i < a.count; i++) sum += a.data[i];
  sink = sum;
  idx_free(&a);
}

static void load_fmnist(bool test, bool plain)
{
  struct dataset d;
  char msg[512];
  memset(msg, 0, sizeof msg);
  if (fmnist_load(dirs[plain], !test, &d, msg, sizeof msg) != 0) {
    fuzz_check_message("fmnist_load", msg, sizeof msg);
    if (d.x || d.y || d.n) fuzz_fail("fmnist_load refused the files (%s) but left data", msg);
    return;
  }
  if (d.n == 0 || d.dim != 28 * 28 || d.classes != 10 || !d.x || !d.y)
    fuzz_fail("fmnist_load accepted a data set of %zu examples of %zu", d.n, d.dim);
  for (size_t i = 0; i < d.n; i++) if (d.y[i] >= 10) fuzz_fail("label %u accepted", d.y[i]);
  for (size_t i = 0; i < d.n * d.dim; i++)
    if (!(d.x[i] >= 0 && d.x[i] <= 1)) fuzz_fail("pixel %g accepted", d.x[i]);
  const uint32_t rows[2] = {(uint32_t)(d.n - 1), 0};
  float *x = malloc(2 * d.dim * sizeof *x);
  uint8_t y[2];
  if (!x) fuzz_fail("out of memory");
  dataset_gather(&d, rows, 2, x, y);
  struct sampler sm;
  sampler_init(&sm, d.n, 1, 42);
  dataset_gather(&d, sampler_next(&sm), 1, x, y);
  sampler_free(&sm);
  free(x);
  dataset_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1) return 0;
  const uint8_t ctl = data[0];
  data++; size--;
  const bool gz = ctl & 1;
  if (!(ctl & 2)) {
    put(&images, data, size, gz);
    read_idx();
    return 0;
  }
  if (size < 4) return 0;
  size_t L = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
  data += 4; size -= 4;
  if (L > size) L = size;
  put(&images, data, L, gz);
  put(&labels, data + L, size - L, gz);
  load_fmnist(ctl & 4, ctl & 8);
  return 0;
}
