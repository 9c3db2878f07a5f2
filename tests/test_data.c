/* tests/test_data.c -- the IDX loader (plain and gzip), Fashion-MNIST loading,
   gathering rows, and the epoch sampler. */
#include "testutil.h"
#include <criterion/criterion.h>
#include <zlib.h>
#include "descent.h"

/* An IDX file image: magic 00 00 type ndims, big-endian dims, payload. */
static size_t idx_image(uint8_t *buf, uint8_t type, uint8_t ndims, const uint32_t *dims,
                        const uint8_t *payload, size_t npayload)
{
  size_t k = 0;
  buf[k++] = 0; buf[k++] = 0; buf[k++] = type; buf[k++] = ndims;
  for (unsigned i = 0; i < ndims; i++) {
    buf[k++] = (uint8_t)(dims[i] >> 24); buf[k++] = (uint8_t)(dims[i] >> 16);
    buf[k++] = (uint8_t)(dims[i] >> 8); buf[k++] = (uint8_t)dims[i];
  }
  memcpy(buf + k, payload, npayload);
  return k + npayload;
}

static void write_gz(const char *path, const void *data, size_t n)
{
  gzFile f = gzopen(path, "wb");
  cr_assert(f != NULL, "gzopen %s", path);
  cr_assert(gzwrite(f, data, (unsigned)n) == (int)n);
  cr_assert(gzclose(f) == Z_OK);
}

static void expect_idx_fails(const char *path, const char *what, const char *word)
{
  struct idx a;
  memset(&a, 0x5a, sizeof a);
  char msg[512];
  memset(msg, 0, sizeof msg);
  int rc = idx_read(path, &a, msg, sizeof msg);
  cr_expect(rc == -1, "idx_read accepted a %s file", what);
  cr_expect(msg[0] != '\0', "idx_read failed on a %s file without a message", what);
  cr_expect(strstr(msg, path) != NULL, "the message for a %s file names the file: '%s'", what, msg);
  if (word) cr_expect(strstr(msg, word) != NULL, "the message for a %s file says '%s': '%s'", what,
                      word, msg);
  if (rc == -1) idx_free(&a);             /* harmless on a failed read */
}

Test(idx, reads_plain_and_gzip)
{
  char *dir = tmp_dir();
  uint8_t payload[2 * 3 * 4], buf[256];
  for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)(i * 11 + 3);
  const uint32_t dims[3] = {2, 3, 4};
  size_t n = idx_image(buf, 0x08, 3, dims, payload, sizeof payload);
  spit(path_in(dir, "a.idx"), buf, n);
  write_gz(path_in(dir, "a.idx.gz"), buf, n);
  const char *names[2] = {"a.idx", "a.idx.gz"};
  for (int k = 0; k < 2; k++) {
    struct idx a;
    char msg[256] = "";
    cr_assert(idx_read(path_in(dir, names[k]), &a, msg, sizeof msg) == 0, "%s: %s", names[k], msg);
    cr_expect(a.ndims == 3 && a.dims[0] == 2 && a.dims[1] == 3 && a.dims[2] == 4,
              "%s: shape %u: %u %u %u", names[k], a.ndims, a.dims[0], a.dims[1], a.dims[2]);
    cr_expect(a.count == sizeof payload, "%s: count %zu", names[k], a.count);
    cr_expect(a.data && memcmp(a.data, payload, sizeof payload) == 0, "%s: data differ", names[k]);
    idx_free(&a);
  }
  /* one and four dimensions, a large-ish payload through gzip */
  uint8_t *big = malloc(300000 + 64), *pl = malloc(300000);
  for (size_t i = 0; i < 300000; i++) pl[i] = (uint8_t)(i % 251);
  const uint32_t d1[1] = {300000}, d4[4] = {10, 10, 50, 60};
  n = idx_image(big, 0x08, 1, d1, pl, 300000);
  write_gz(path_in(dir, "b.gz"), big, n);
  n = idx_image(big, 0x08, 4, d4, pl, 300000);
  spit(path_in(dir, "c.idx"), big, n);
  struct idx a;
  char msg[256] = "";
  cr_assert(idx_read(path_in(dir, "b.gz"), &a, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(a.ndims == 1 && a.dims[0] == 300000 && a.count == 300000);
  cr_expect(memcmp(a.data, pl, 300000) == 0);
  idx_free(&a);
  cr_assert(idx_read(path_in(dir, "c.idx"), &a, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(a.ndims == 4 && a.dims[3] == 60 && a.count == 300000);
  cr_expect(memcmp(a.data, pl, 300000) == 0);
  idx_free(&a);
  free(big);
  free(pl);
  rm_tree(dir);
}

Test(idx, rejects_bad_files)
{
  char *dir = tmp_dir();
  uint8_t payload[6] = {1, 2, 3, 4, 5, 6}, buf[256];
  const uint32_t dims[2] = {2, 3};
  size_t n = idx_image(buf, 0x08, 2, dims, payload, 6);
  char path[4200];
  const char *kinds[2] = {"plain", "gzip"};
  for (int gz = 0; gz < 2; gz++) {
#define WRITE(name, data, len)                                             \
    do {                                                                   \
      snprintf(path, sizeof path, "%s/%s%s", dir, name, gz ? ".gz" : "");  \
      if (gz) write_gz(path, data, len); else spit(path, data, len);       \
    } while (0)
    char what[80];
    /* truncated: inside the magic, inside the dims, inside the payload */
    for (size_t cut = 0; cut < n; cut++) {
      WRITE("cut", buf, cut);
      snprintf(what, sizeof what, "%s truncated (%zu of %zu bytes)", kinds[gz], cut, n);
      expect_idx_fails(path, what, cut > 0 ? "truncated" : NULL);
    }
    /* trailing bytes */
    uint8_t longer[256];
    memcpy(longer, buf, n);
    longer[n] = 7;
    WRITE("long", longer, n + 1);
    snprintf(what, sizeof what, "%s with a trailing byte", kinds[gz]);
    expect_idx_fails(path, what, "trailing");
    /* wrong magic: the first two bytes must be zero */
    uint8_t bad[256];
    memcpy(bad, buf, n);
    bad[0] = 0x1f;
    WRITE("magic", bad, n);
    snprintf(what, sizeof what, "%s wrong-magic", kinds[gz]);
    expect_idx_fails(path, what, NULL);
    memcpy(bad, buf, n);
    bad[1] = 1;
    WRITE("magic1", bad, n);
    expect_idx_fails(path, what, NULL);
    /* wrong type: 0x0D is float, 0x09 signed byte */
    memcpy(bad, buf, n);
    bad[2] = 0x0D;
    WRITE("float", bad, n);
    snprintf(what, sizeof what, "%s wrong-type (float)", kinds[gz]);
    expect_idx_fails(path, what, "type");
    bad[2] = 0x09;
    WRITE("sbyte", bad, n);
    expect_idx_fails(path, what, NULL);
    /* ndims 0 and 5 */
    memcpy(bad, buf, n);
    bad[3] = 0;
    WRITE("nd0", bad, n);
    snprintf(what, sizeof what, "%s 0-dimensional", kinds[gz]);
    expect_idx_fails(path, what, NULL);
    uint8_t five[256];
    const uint32_t d5[5] = {1, 1, 1, 1, 6};
    size_t n5 = 0;
    five[n5++] = 0; five[n5++] = 0; five[n5++] = 8; five[n5++] = 5;
    for (int i = 0; i < 5; i++) { five[n5++] = 0; five[n5++] = 0; five[n5++] = 0; five[n5++] = (uint8_t)d5[i]; }
    memcpy(five + n5, payload, 6);
    WRITE("nd5", five, n5 + 6);
    snprintf(what, sizeof what, "%s 5-dimensional", kinds[gz]);
    expect_idx_fails(path, what, NULL);
    /* a zero dimension */
    const uint32_t dz[2] = {0, 3};
    size_t nz = idx_image(bad, 0x08, 2, dz, payload, 0);
    WRITE("zero", bad, nz);
    snprintf(what, sizeof what, "%s zero-dimension", kinds[gz]);
    expect_idx_fails(path, what, NULL);
    /* dimensions whose product overflows 64 bits */
    const uint32_t dbig[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 2};
    size_t nb = idx_image(bad, 0x08, 4, dbig, payload, 6);
    WRITE("huge", bad, nb);
    snprintf(what, sizeof what, "%s overflowing-dimensions", kinds[gz]);
    expect_idx_fails(path, what, NULL);
    /* dimensions that claim far more data than there is (no huge allocation needed to say so) */
    const uint32_t dlarge[3] = {60000, 28, 28};
    size_t nl = idx_image(bad, 0x08, 3, dlarge, payload, 6);
    WRITE("large", bad, nl);
    snprintf(what, sizeof what, "%s short-payload", kinds[gz]);
    expect_idx_fails(path, what, "truncated");
#undef WRITE
  }
  /* a corrupt gzip stream: a valid file with its compressed body damaged */
  uint8_t pl[4096];
  for (size_t i = 0; i < sizeof pl; i++) pl[i] = (uint8_t)(i * 37);
  const uint32_t d1[1] = {4096};
  uint8_t img[4200];
  size_t ni = idx_image(img, 0x08, 1, d1, pl, sizeof pl);
  snprintf(path, sizeof path, "%s/corrupt.gz", dir);
  write_gz(path, img, ni);
  size_t gzsize = 0;
  char *gzdata = slurp(path, &gzsize);
  cr_assert(gzdata && gzsize > 40);
  for (size_t k = 20; k < gzsize - 10; k++) gzdata[k] ^= 0x5a;
  spit(path, gzdata, gzsize);
  expect_idx_fails(path, "corrupt gzip", NULL);
  free(gzdata);
  /* a gzip file cut short */
  write_gz(path, img, ni);
  gzdata = slurp(path, &gzsize);
  spit(path, gzdata, gzsize / 2);
  expect_idx_fails(path, "cut gzip", NULL);
  free(gzdata);
  /* missing file, directory */
  expect_idx_fails(path_in(dir, "missing.idx"), "missing", NULL);
  expect_idx_fails(dir, "directory", NULL);
  rm_tree(dir);
}

/* -- Fashion-MNIST -------------------------------------------------------- */

/* A tiny fake data set: n images of 28x28 and n labels, gzip, in dir. */
static void write_fake_fmnist(const char *dir, const char *set, uint32_t n, const uint8_t *labels,
                              uint32_t nlabels)
{
  size_t npix = (size_t)n * 784;
  uint8_t *pix = malloc(npix), *buf = malloc(npix + 64);
  for (size_t i = 0; i < npix; i++) pix[i] = (uint8_t)((i * 13 + i / 784) % 256);
  const uint32_t di[3] = {n, 28, 28}, dl[1] = {nlabels};
  char path[4200];
  snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte.gz", dir, set);
  write_gz(path, buf, idx_image(buf, 0x08, 3, di, pix, npix));
  snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte.gz", dir, set);
  write_gz(path, buf, idx_image(buf, 0x08, 1, dl, labels, nlabels));
  free(pix);
  free(buf);
}

Test(fmnist, loads_a_small_fake_set)
{
  char *dir = tmp_dir();
  const uint8_t labels[3] = {9, 0, 4};
  write_fake_fmnist(dir, "train", 3, labels, 3);
  write_fake_fmnist(dir, "t10k", 2, labels, 2);
  struct dataset d;
  char msg[512] = "";
  cr_assert(fmnist_load(dir, true, &d, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(d.n == 3 && d.dim == 784 && d.classes == 10, "n %zu dim %zu classes %zu", d.n, d.dim,
            d.classes);
  cr_expect(d.y[0] == 9 && d.y[1] == 0 && d.y[2] == 4);
  for (size_t i = 0; i < 3 * 784; i++) {
    float want = (float)((i * 13 + i / 784) % 256) / 255.0f;
    cr_assert(d.x[i] == want, "x[%zu] = %g, expected pixel/255 = %g", i, d.x[i], want);
  }
  dataset_free(&d);
  cr_assert(fmnist_load(dir, false, &d, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(d.n == 2, "the test set (t10k) has 2 examples, got %zu", d.n);
  dataset_free(&d);
  rm_tree(dir);
}

Test(fmnist, missing_files_name_the_package)
{
  char *dir = tmp_dir();
  struct dataset d;
  char msg[1024] = "";
  cr_expect(fmnist_load(dir, true, &d, msg, sizeof msg) == -1);
  cr_expect(strstr(msg, "dataset-fashion-mnist") != NULL, "message: %s", msg);
  cr_expect(strstr(msg, dir) != NULL, "the message names the path: %s", msg);
  cr_expect(strstr(msg, "train-images") != NULL, "the message names the file: %s", msg);
  cr_expect(strstr(msg, "--data") != NULL && strstr(msg, "DESCENT_FASHION_MNIST") != NULL,
            "the message says how to point at the files: %s", msg);
  msg[0] = '\0';
  cr_expect(fmnist_load("/nonexistent-descent-dir", false, &d, msg, sizeof msg) == -1);
  cr_expect(strstr(msg, "dataset-fashion-mnist") != NULL && strstr(msg, "t10k") != NULL,
            "message: %s", msg);
  /* images present, labels missing */
  const uint8_t labels[2] = {1, 2};
  write_fake_fmnist(dir, "train", 2, labels, 2);
  unlink(path_in(dir, "train-labels-idx1-ubyte.gz"));
  msg[0] = '\0';
  cr_expect(fmnist_load(dir, true, &d, msg, sizeof msg) == -1);
  cr_expect(strstr(msg, "train-labels") != NULL && strstr(msg, "dataset-fashion-mnist") != NULL,
            "message: %s", msg);
  rm_tree(dir);
}

Test(fmnist, rejects_inconsistent_sets)
{
  char *dir = tmp_dir();
  struct dataset d;
  char msg[1024];
  const uint8_t labels[4] = {1, 2, 3, 4};
  write_fake_fmnist(dir, "train", 3, labels, 4);           /* 3 images, 4 labels */
  msg[0] = '\0';
  cr_expect(fmnist_load(dir, true, &d, msg, sizeof msg) == -1, "3 images with 4 labels accepted");
  cr_expect(msg[0] != '\0');
  const uint8_t bad[3] = {1, 10, 2};                       /* a label >= 10 */
  write_fake_fmnist(dir, "train", 3, bad, 3);
  msg[0] = '\0';
  cr_expect(fmnist_load(dir, true, &d, msg, sizeof msg) == -1, "label 10 accepted");
  cr_expect(strstr(msg, "10") != NULL, "message: %s", msg);
  /* images of the wrong shape */
  uint8_t buf[64 + 2 * 100], pix[200] = {0};
  const uint32_t di[3] = {2, 10, 10};
  write_gz(path_in(dir, "t10k-images-idx3-ubyte.gz"), buf, idx_image(buf, 0x08, 3, di, pix, 200));
  const uint32_t dl[1] = {2};
  write_gz(path_in(dir, "t10k-labels-idx1-ubyte.gz"), buf, idx_image(buf, 0x08, 1, dl, labels, 2));
  msg[0] = '\0';
  cr_expect(fmnist_load(dir, false, &d, msg, sizeof msg) == -1, "10x10 images accepted");
  cr_expect(msg[0] != '\0');
  rm_tree(dir);
}

/* The real data set, when the Debian package is installed (make check installs it). */
Test(fmnist, real_test_set)
{
  const char *dir = fmnist_dir(NULL);
  if (!file_exists(path_in(dir, "t10k-labels-idx1-ubyte.gz")))
    cr_skip_test("Fashion-MNIST is not installed in %s", dir);
  struct dataset d;
  char msg[1024] = "";
  cr_assert(fmnist_load(dir, false, &d, msg, sizeof msg) == 0, "%s", msg);
  cr_expect(d.n == 10000 && d.dim == 784 && d.classes == 10);
  size_t count[10] = {0};
  for (size_t i = 0; i < d.n; i++) count[d.y[i]]++;
  for (int k = 0; k < 10; k++) cr_expect(count[k] == 1000, "class %d: %zu examples", k, count[k]);
  double s = 0;
  float lo = 1, hi = 0;
  for (size_t i = 0; i < d.n * d.dim; i++) {
    s += d.x[i];
    lo = fminf(lo, d.x[i]);
    hi = fmaxf(hi, d.x[i]);
  }
  cr_expect(lo == 0.0f && hi == 1.0f, "pixels in [%g, %g]", lo, hi);
  double mean = s / (double)(d.n * d.dim);
  cr_expect(mean > 0.25 && mean < 0.33, "mean pixel %g (Fashion-MNIST's is about 0.286)", mean);
  dataset_free(&d);
}

Test(dataset, gather)
{
  struct dataset d = {0};
  d.n = 5;
  d.dim = 3;
  d.classes = 10;
  d.x = malloc(15 * sizeof(float));
  d.y = malloc(5);
  for (int i = 0; i < 15; i++) d.x[i] = (float)i;
  for (int i = 0; i < 5; i++) d.y[i] = (uint8_t)(9 - i);
  const uint32_t rows[4] = {4, 0, 4, 2};
  float x[12];
  uint8_t y[4];
  dataset_gather(&d, rows, 4, x, y);
  for (int i = 0; i < 4; i++) {
    cr_expect(y[i] == 9 - rows[i], "y[%d] = %u", i, y[i]);
    for (int j = 0; j < 3; j++)
      cr_expect(x[i * 3 + j] == (float)(rows[i] * 3 + (uint32_t)j), "x[%d][%d] = %g", i, j, x[i * 3 + j]);
  }
  dataset_gather(&d, rows, 2, x, NULL);      /* labels optional */
  cr_expect(x[0] == 12 && x[3] == 0);
  dataset_free(&d);
}

/* -- the sampler ------------------------------------------------------------ */

Test(sampler, every_index_once_per_epoch)
{
  enum { n = 12, B = 4 };
  struct sampler s;
  sampler_init(&s, n, B, 7);
  uint32_t prev[n];
  for (int epoch = 0; epoch < 5; epoch++) {
    int seen[n] = {0};
    uint32_t order[n];
    for (int b = 0; b < n / B; b++) {
      const uint32_t *idx = sampler_next(&s);
      for (int i = 0; i < B; i++) {
        cr_assert(idx[i] < n, "index %u out of range", idx[i]);
        seen[idx[i]]++;
        order[b * B + i] = idx[i];
      }
    }
    for (int i = 0; i < n; i++)
      cr_expect(seen[i] == 1, "epoch %d: index %d drawn %d times", epoch, i, seen[i]);
    if (epoch > 0)
      cr_expect(memcmp(prev, order, sizeof order) != 0, "epoch %d repeats the previous order", epoch);
    memcpy(prev, order, sizeof order);
  }
  cr_expect(s.epoch == 4 || s.epoch == 5, "epoch counter %llu after 5 epochs",
            (unsigned long long)s.epoch);
  sampler_free(&s);
}

Test(sampler, drop_last)
{
  /* n = 10, B = 3: three batches per epoch, nine distinct indices, then a new epoch */
  struct sampler s;
  sampler_init(&s, 10, 3, 1);
  for (int epoch = 0; epoch < 4; epoch++) {
    int seen[10] = {0};
    for (int b = 0; b < 3; b++) {
      const uint32_t *idx = sampler_next(&s);
      for (int i = 0; i < 3; i++) seen[idx[i]]++;
    }
    int distinct = 0;
    for (int i = 0; i < 10; i++) {
      cr_expect(seen[i] <= 1, "epoch %d: index %d drawn %d times", epoch, i, seen[i]);
      distinct += seen[i] == 1;
    }
    cr_expect(distinct == 9, "epoch %d: %d distinct indices, expected 9", epoch, distinct);
  }
  sampler_free(&s);
  /* a batch as large as the data: every batch is a permutation */
  sampler_init(&s, 5, 5, 2);
  for (int k = 0; k < 3; k++) {
    const uint32_t *idx = sampler_next(&s);
    int seen[5] = {0};
    for (int i = 0; i < 5; i++) seen[idx[i]]++;
    for (int i = 0; i < 5; i++) cr_expect(seen[i] == 1);
  }
  sampler_free(&s);
}

Test(sampler, deterministic_by_seed)
{
  struct sampler a, b, c;
  sampler_init(&a, 1000, 32, 123);
  sampler_init(&b, 1000, 32, 123);
  sampler_init(&c, 1000, 32, 124);
  int differ = 0;
  for (int k = 0; k < 100; k++) {          /* over three epochs */
    const uint32_t *x = sampler_next(&a), *y = sampler_next(&b), *z = sampler_next(&c);
    cr_assert(memcmp(x, y, 32 * sizeof *x) == 0, "batch %d differs for the same seed", k);
    differ += memcmp(x, z, 32 * sizeof *x) != 0;
  }
  cr_expect(differ > 95, "seeds 123 and 124 gave %d different batches of 100", differ);
  sampler_free(&a);
  sampler_free(&b);
  sampler_free(&c);
}
