@q A2-data.w -- Appendix A, part 2: reading Fashion-MNIST, and mini-batches @>
@*1 The IDX files of Fashion-MNIST.
The real experiments of this book train on Fashion-MNIST (Xiao, Rasul
and Vollgraf, 2017): 70\,000 grey-scale pictures of clothing, 28 by 28
pixels, each labelled with one of ten classes---T-shirt, trouser,
pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot.  It was
made as a drop-in replacement for LeCun's handwritten digits, which
had become too easy to tell methods apart, so it keeps their
split (60\,000 pictures for training, 10\,000 for testing) and
their file format.  Debian ships the four files in the package
\.{dataset-fashion-mnist}, under \.{/usr/share/datasets/fashion-mnist}.

This part of the toolkit reads those files and hands out mini-batches.
A program calls |fmnist_load| once for the training set and once for
the test set, gets two |struct dataset|s of floats in $[0,1]$ and
labels in $\{0,\ldots,9\}$, then asks a |struct sampler| for the
indices of each mini-batch and copies the examples with
|dataset_gather|.  Everything that can go wrong with a file comes back as
an error message for the caller to print; nothing here exits on its own
except for lack of memory.

@ The header of this part.  It is included by \.{descent.h} after the
toolkit's own declarations, so it may use |struct rng|.
@(descent-data.h@>=
#ifndef DESCENT_DATA_H
#define DESCENT_DATA_H
#include "descent-base.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
@<Data: public declarations@>@;
#endif

@ The implementation reads compressed files through zlib.
@(data.c@>=
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "descent.h"
@<Data: private definitions@>@;
@<Data: IDX functions@>@;
@<Data: Fashion-MNIST functions@>@;
@<Data: sampler functions@>@;

@ An IDX file is a header followed by a dense array, stored with the last
index varying fastest (row-major, as in \CEE/); Table~\tableref{A2-idx}
gives its layout.
\booktable{A2-idx}{The layout of an IDX file: the offset of each field
and its length, in bytes, and its contents.}
{\vbox{\halign{\hfil#\quad&#\hfil\quad&#\hfil\cr
\it offset&\it bytes&\it contents\cr
\noalign{\smallskip}
0&2&zero\cr
2&1&element type, \.{0x08} for unsigned bytes\cr
3&1&number of dimensions $d$\cr
4&$4d$&the sizes $n_1,\ldots,n_d$, each a 32-bit big-endian integer\cr
$4+4d$&$n_1n_2\cdots n_d$&the elements\cr}}}
\noindent
The image files of Fashion-MNIST have $d=3$ and sizes
$N\times28\times28$; the label files have $d=1$ and size $N$.  Both hold
unsigned bytes, the only element type we accept.  The format also
defines signed bytes (\.{0x09}), 16- and 32-bit integers (\.{0x0B},
\.{0x0C}), and single and double floats (\.{0x0D}, \.{0x0E}), all
big-endian; they would need byte swapping and a different |struct|, and
no file of this book uses them.  An array read into memory keeps its
shape and owns its elements; |count| is the number of elements,
$n_1\cdots n_d$, which for bytes is also the size of the payload.
@<Data: public declarations@>=
struct idx {
  uint8_t ndims;      /* $d$, 1 to 4 */
  uint32_t dims[4];   /* $n_1,\ldots,n_d$; unused entries are zero */
  size_t count;       /* $n_1n_2\cdots n_d$ */
  uint8_t *data;      /* |count| bytes, last index fastest */
};
int idx_read(const char *path, struct idx *out, char *msg, size_t len);
void idx_free(struct idx *a);

@ A file name ending in \.{.gz} is not special: zlib's |gzopen| and
|gzread| look at the first bytes, decompress a gzip stream, and pass any
other file through unchanged (zlib calls this ``transparent'' reading).
So |idx_read| takes a compressed or an uncompressed file alike, and it
also gets zlib's check of the gzip trailer's CRC for free: a download
that was damaged in the middle fails with zlib's own message.
@^gzip@>
@^zlib transparent mode@>

The header is not trusted.  A data file is input like any other, and the
ways it goes wrong are ordinary: a download cut short, a label file
passed where images were expected, a file from some other format
altogether.  A reader that believes the header either reads past the end
of its buffer or trains, without a word, on garbage.  So |idx_read|
checks every field, refuses a truncated payload {\it and} a payload
followed by extra bytes (either means the header and the data disagree),
and says in its message which check failed, in which file, with the
byte counts.  It returns 0, or $-1$ with the message in |msg| (at most
|len| bytes, always terminated) and |*out| empty.

@ Error messages are formatted by one helper that always returns $-1$,
so that a check can say |return fail(msg, len, ...)|.  A message
names the file first, the way a compiler names the source file.
@<Data: private definitions@>=
static int fail(char *msg, size_t len, const char *fmt, ...) printf_like(3, 4);
static int fail(char *msg, size_t len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (msg && len) vsnprintf(msg, len, fmt, ap);
  va_end(ap);
  return -1;
}

@ A header that ends early is reported, like every truncation, with the
number of bytes there should have been and the number the file has.
@.truncated@>
@<Data: private definitions@>=
static int idx_short_header(const char *path, size_t need, size_t got,
                            char *msg, size_t len)
{
  return fail(msg, len, "%s: truncated: the IDX header needs %zu bytes, "
@^IDX format@>
              "the file has %zu", path, need, got);
}

@ All reading goes through |gz_get|, which reads up to |n| bytes into
|buf| and stores in |*got| how many it found; fewer than |n| means the
end of the file.  |gzread| takes an |unsigned| count and returns an
|int|, so large reads are cut into pieces of at most $2^{30}$ bytes.  A
truncated gzip stream is not an error for |gzread|, only an early end,
which is what we want: the caller counts the bytes and says
``truncated''.  A damaged stream is an error, with zlib's message.
@<Data: private definitions@>=
static int gz_get(gzFile f, const char *path, uint8_t *buf, size_t n,
                  size_t *got, char *msg, size_t len)
{
  *got = 0;
  while (*got < n) {
    size_t want = n - *got < (1u << 30) ? n - *got : (1u << 30);
    int r = gzread(f, buf + *got, (unsigned)want);
    if (r < 0) @<Data: report zlib's error for |path|@>;
    if (r == 0) break;
    *got += (size_t)r;
  }
  return 0;
}

@ zlib reports a failure of the system call itself through |errno|,
and anything else (a bad compressed block, a wrong CRC) in its own words,
which usually start with the file's name; we take that off, so as not to
print the name twice.
@.gzip error@>
@.incorrect data check@>
@<Data: report zlib's error for |path|@>=
{
  int code;
  const char *what = gzerror(f, &code);
  size_t n = strlen(path);
  if (strncmp(what, path, n) == 0 && strncmp(what + n, ": ", 2) == 0) what += n + 2;
  return fail(msg, len, "%s: %s", path, code == Z_ERRNO ? strerror(errno) : what);
}

@ Reading a file is opening it, reading the header, reading the payload.
Whatever happens, the file is closed, and on failure the partly
filled |*out| is released so that the caller has nothing to free.
@.cannot open@>
@<Data: IDX functions@>=
int idx_read(const char *path, struct idx *out, char *msg, size_t len)
{
  assert(path && out);
  memset(out, 0, sizeof *out);
  errno = 0;
  gzFile f = gzopen(path, "rb");
  if (!f) return fail(msg, len, "%s: cannot open: %s", path,
                      errno ? strerror(errno) : "out of memory");
  int rc = idx_header(f, path, out, msg, len);
  if (rc == 0) rc = idx_payload(f, path, out, msg, len);
  gzclose(f);
  if (rc != 0) idx_free(out);
  return rc;
}

@ Freeing an array releases its data.
@<Data: IDX functions@>=
void idx_free(struct idx *a)
{
  free(a->data);
  memset(a, 0, sizeof *a);
}

@ The first four bytes are the ``magic number''.  Two zero bytes, then
the type, then the number of dimensions; each has its own message, since
each points at a different mistake: not an IDX file at all, an IDX file
of the wrong type, or a damaged header.
@<Data: private definitions@>=
static int idx_header(gzFile f, const char *path, struct idx *out, char *msg,
                      size_t len)
{
  uint8_t h[4 + 16];
  size_t got;
  if (gz_get(f, path, h, 4, &got, msg, len) != 0) return -1;
  if (got < 4) return idx_short_header(path, 4, got, msg, len);
  @<Data: check the magic number in |h|@>;
  @<Data: read the sizes into |out|, checking for zero and overflow@>;
  return 0;
}

@ The three checks of the magic number.
@.not an IDX file@>
@.element type is not supported@>
@.dimensions (1 to 4 allowed)@>
@<Data: check the magic number...@>=
if (h[0] != 0 || h[1] != 0)
  return fail(msg, len, "%s: not an IDX file (first bytes 0x%02x 0x%02x, "
              "not zero)", path, h[0], h[1]);
if (h[2] != 0x08)
  return fail(msg, len, "%s: IDX element type 0x%02x is not supported "
              "(only 0x08, unsigned byte)", path, h[2]);
if (h[3] < 1 || h[3] > 4)
  return fail(msg, len, "%s: IDX file has %u dimensions (1 to 4 allowed)",
              path, h[3]);

@ Each size is a big-endian 32-bit integer: the first byte is the most
significant.  A size of zero would make an empty array, which no data set
has and which a damaged header easily produces; the product of four sizes
may not fit in a |size_t| (four sizes of $2^{16}$ already make $2^{64}$),
and we check before multiplying.
@.dimension is zero@>
@.too large@>
@<Data: read the sizes into |out|...@>=
out->ndims = h[3];
if (gz_get(f, path, h + 4, 4u * out->ndims, &got, msg, len) != 0) return -1;
if (got < 4u * out->ndims)
  return idx_short_header(path, 4 + 4u * out->ndims, 4 + got, msg, len);
out->count = 1;
@q solution idx_sizes: for (unsigned k = 0; k < out->ndims; k++) out->dims[k] = 1; @>
for (unsigned k = 0; k < out->ndims; k++) {
  const uint8_t *b = h + 4 + 4 * k;
  uint32_t n = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  if (n == 0) return fail(msg, len, "%s: IDX dimension %u is zero", path, k + 1);
  if (out->count > SIZE_MAX / n)
    return fail(msg, len, "%s: IDX sizes multiply to more than 2^64 bytes", path);
  out->dims[k] = n;
  out->count *= n;
}
@q end solution @>

@ The payload is read into a buffer that starts at 1\,MiB (or the whole
payload, if that is smaller) and doubles as the data arrive, up to the
size the header promised.  Allocating the promised size up front would be
simpler, but a damaged header promising a few terabytes would then end the
program with ``out of memory'' instead of a message about the file.
@^robustness against damaged files@>
@<Data: private definitions@>=
static uint8_t *grow(uint8_t *p, size_t n)
{
  uint8_t *q = realloc(p, n);
  if (!q) die("out of memory (%zu bytes)", n);
  return q;
}

@ A payload shorter than the header says is a truncated file; bytes left
over after it mean that the file is not what the header describes.  In
both cases the message gives the two byte counts.
@.truncated@>
@<Data: private definitions@>=
static int idx_payload(gzFile f, const char *path, struct idx *out, char *msg,
                       size_t len)
{
  size_t have = 0, got;
  @<Data: read at most |out->count| bytes into |out->data|, counting them in |have|@>;
  if (have < out->count)
    return fail(msg, len,@/
                "%s: truncated: the IDX header promises %zu data bytes, "@/
                "the file has %zu", path, out->count, have);
  @<Data: refuse trailing bytes after the payload@>;
  return 0;
}

@ The buffer is filled to its capacity before it grows; a read that
stops short of the capacity has met the end of the file.
@<Data: read at most...@>=
size_t cap = out->count < (1u << 20) ? out->count : (1u << 20);
out->data = grow(NULL, cap);
for (;;) {
  if (gz_get(f, path, out->data + have, cap - have, &got, msg, len) != 0) return -1;
  have += got;
  if (have < cap || have == out->count) break;
  cap = cap <= out->count / 2 ? 2 * cap : out->count;
  out->data = grow(out->data, cap);
}

@ To report how many bytes are left over we read them all, in small
pieces, counting.
@.trailing bytes@>
@<Data: refuse trailing bytes after the payload@>=
size_t extra = 0;
uint8_t scratch[4096];
do {
  if (gz_get(f, path, scratch, sizeof scratch, &got, msg, len) != 0) return -1;
  extra += got;
} while (got == sizeof scratch);
if (extra > 0)
  return fail(msg, len, "%s: %zu trailing bytes after the %zu data bytes "
              "that the IDX header promises", path, extra, out->count);

@*1 Fashion-MNIST as a data set.
A data set, for the rest of the book, is $n$ examples of |dim| floats
each, stored row by row, and $n$ labels below |classes|.  The pixels
become floats by division by 255, in single precision, which is what
\.{torchvision}'s \.{ToTensor} does: the same bytes give the same floats
in both worlds.  No other normalization is applied (no subtraction of a
mean); the chapters that want one say so.
@^PyTorch compatibility@>
@<Data: public declarations@>=
struct dataset {
  size_t n, dim;      /* $n$ examples of |dim| features */
  float *x;           /* $n\times|dim|$, row-major; pixels in $[0,1]$ */
  uint8_t *y;         /* $n$ labels, each below |classes| */
  size_t classes;
};
int fmnist_load(const char *dir, bool train, struct dataset *d, char *msg,
                size_t len);
void dataset_free(struct dataset *d);
void dataset_gather(const struct dataset *d, const uint32_t *rows, size_t B,
                    float *x, uint8_t *y);

@ The files are named as on the data set's web page, for training
$$\.{train-images-idx3-ubyte.gz}\qquad\.{train-labels-idx1-ubyte.gz}$$
and likewise with \.{t10k} instead of \.{train} for the test set.  The
directory comes from |fmnist_dir| (Appendix~A, part~1): the \.{--data}
flag, the variable \.{DESCENT\_FASHION\_MNIST}, or Debian's location.
Some copies on the web are already uncompressed; if the
\.{.gz} file is missing but the same name without \.{.gz} exists, that is
read instead.
@<Data: private definitions@>=
static char *fmnist_path(const char *dir, const char *set, const char *what)
{
  size_t n = strlen(dir) + strlen(set) + strlen(what) + 16;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s-%s-ubyte.gz", dir, set, what);
  return p;
}

@ A missing file is the error a new reader meets first, so its message
says what to do about it.
@.no such file@>
@.dataset-fashion-mnist@>
@<Data: private definitions@>=
static int fmnist_read(char *path, struct idx *a, char *msg, size_t len)
{
  if (access(path, F_OK) != 0 && errno == ENOENT) {
    size_t n = strlen(path);
    path[n - 3] = '\0';
    if (access(path, F_OK) != 0) {
      path[n - 3] = '.';
      return fail(msg, len, "%s: no such file (install the Debian package "@/
        "dataset-fashion-mnist, or point --data or DESCENT_FASHION_MNIST at "@/
        "the directory that holds the files)", path);
    }
  }
  return idx_read(path, a, msg, len);
}

@ Loading reads both files, checks that they describe one data set, and
converts.  The paths are kept until the end, for the messages.
@<Data: Fashion-MNIST functions@>=
int fmnist_load(const char *dir, bool train, struct dataset *d, char *msg, size_t len)
{
  assert(dir && d);
  memset(d, 0, sizeof *d);
  const char *set = train ? "train" : "t10k";
  char *ipath = fmnist_path(dir, set, "images-idx3");
  char *lpath = fmnist_path(dir, set, "labels-idx1");
  struct idx img = {0}, lab = {0};
  int rc = fmnist_read(ipath, &img, msg, len);
  if (rc == 0) rc = fmnist_read(lpath, &lab, msg, len);
  if (rc == 0) rc = fmnist_check(&img, &lab, ipath, lpath, msg, len);
  if (rc == 0) @<Data: convert |img| and |lab| into |*d|@>;
  idx_free(&img); idx_free(&lab); free(ipath); free(lpath);
  return rc;
}

@ A message about a file of the wrong shape says what shape it has,
written like \.{60000x28x28}.  Four sizes of ten digits fit in 64 bytes.
@<Data: private definitions@>=
static const char *idx_shape(const struct idx *a, char buf[64])
{
  int k = snprintf(buf, 64, "%u", a->dims[0]);
  for (unsigned i = 1; i < a->ndims; i++)
    k += snprintf(buf + k, 64 - (size_t)k, "x%u", a->dims[i]);
  return buf;
}

@ Each file may be a perfectly good IDX file and still be the wrong one.
The images must be a three-dimensional array of $28\times28$ pictures,
the labels a one-dimensional list, the two counts must agree, and every
label must name one of the ten classes.
@.expected Nx28x28 images@>
@.expected a list of N labels@>
@.images but labels@>
@<Data: private definitions@>=
static int fmnist_check(const struct idx *img, const struct idx *lab,
  const char *ipath, const char *lpath, char *msg, size_t len)
{
  char shape[64];
  if (img->ndims != 3 || img->dims[1] != 28 || img->dims[2] != 28)
    return fail(msg, len, "%s: expected Nx28x28 images, found shape %s",
                ipath, idx_shape(img, shape));
  if (lab->ndims != 1)
    return fail(msg, len, "%s: expected a list of N labels, found shape %s",
                lpath, idx_shape(lab, shape));
  if (lab->dims[0] != img->dims[0])
    return fail(msg, len, "%s has %u images but %s has %u labels",
                ipath, img->dims[0], lpath, lab->dims[0]);
  @<Data: check that every label is below 10@>;
  return 0;
}

@ A label of 10 or more would index past the ten logits of every network
in the book; better to hear about it here.
@.label is not below 10@>
@<Data: check that every label...@>=
for (size_t i = 0; i < lab->count; i++)
  if (lab->data[i] >= 10)
    return fail(msg, len, "%s: label %u of example %zu is not below 10",
                lpath, lab->data[i], i);

@ The labels are taken over as they are (the data set now owns the
array, and |lab| forgets it); the pixels are converted.
@<Data: convert |img| and |lab| into |*d|@>=
{
  d->n = img.dims[0];
  d->dim = 28 * 28;
  d->classes = 10;
  d->x = xmalloc(img.count * sizeof(float));
  @q solution fmnist_pixels: for (size_t i = 0; i < img.count; i++) d->x[i] = 0.0f; @>
  for (size_t i = 0; i < img.count; i++) d->x[i] = (float)img.data[i] / 255.0f;
  @q end solution @>
  d->y = lab.data;
  lab.data = NULL;
}

@ Freeing a data set releases its images and labels.
@<Data: Fashion-MNIST functions@>=
void dataset_free(struct dataset *d)
{
  free(d->x);
  free(d->y);
  memset(d, 0, sizeof *d);
}

@ A mini-batch is assembled by copying the chosen rows, in the order of
|rows|, into the caller's arrays: |x| of $B\times|dim|$ floats and |y| of
$B$ labels (|y| may be null).  Copying costs little next to the
arithmetic a network does with the rows, and it gives the network one
contiguous block to work on.
@<Data: Fashion-MNIST functions@>=
void dataset_gather(const struct dataset *d, const uint32_t *rows, size_t B,
                    float *x, uint8_t *y)
{
  assert(d && rows && x);
  for (size_t i = 0; i < B; i++) {
    assert(rows[i] < d->n);
    memcpy(x + i * d->dim, d->x + (size_t)rows[i] * d->dim, d->dim * sizeof(float));
    if (y) y[i] = d->y[rows[i]];
  }
}

@*1 Mini-batches.
Stochastic gradient descent, as practised, does not draw each mini-batch
independently with replacement: it shuffles the training set once per
{\it epoch} and walks through the shuffled order $B$ examples at a time, so
that every example is seen exactly once per epoch.  This is what
PyTorch's \.{DataLoader} does with \.{shuffle=True}, and we copy its
\.{drop\_last=True} choice as well: when fewer than $B$ examples remain
at the end of an epoch they are skipped (they come up again, in another
place, after the next shuffle), so that every step averages exactly $B$
gradients and the noise of a step does not depend on where it falls in
the epoch.  An epoch thus has $\lfloor n/B\rfloor$ steps.
@^drop last@>
@^sampling without replacement@>

A sampler's complete state is three numbers: its seed, the epoch, and
the position |pos| of the next batch in that epoch's permutation |perm|.
The permutation of epoch $e$ is drawn from a generator seeded afresh for
that epoch (below), so |sampler_seek| can jump to any epoch and position
at the cost of one shuffle, without replaying the epochs before it, and a
checkpoint that saves the three numbers resumes the same sequence of
batches exactly.

For data-parallel training over several processes (Chapter~7) a sampler also knows its {\it
rank\/} $r$ and the {\it world size\/}~$W$, the number of processes
that share each batch: all of them draw the same global batch of $B$
examples, and process~$r$ takes the $r$th of its $W$ equal slices, of
$B/W$ examples, which |sampler_local| counts.  One process is rank~0 of
a world of~1 and takes the whole batch, so the global sequence of
batches does not depend on how many processes share it.
@^data parallelism@>
@<Data: public declarations@>=
struct sampler {
  size_t n, batch, pos;   /* data-set size, $B$, next position in |perm| */
  uint64_t epoch;         /* epoch of the last batch handed out, from 0 */
  uint32_t *perm;         /* this epoch's order: a permutation of $0..n-1$ */
  struct rng r;           /* the generator, after this epoch's shuffle */
  uint64_t seed;          /* of every epoch's generator */
  unsigned rank, world;   /* this process's slice of each batch */
};
void sampler_init(struct sampler *s, size_t n, size_t batch, uint64_t seed);
void sampler_shard(struct sampler *s, unsigned rank, unsigned world);
void sampler_seek(struct sampler *s, uint64_t epoch, size_t pos);
size_t sampler_local(const struct sampler *s);
const uint32_t *sampler_next(struct sampler *s);
void sampler_free(struct sampler *s);

@ Each epoch's order is a fresh Fisher--Yates shuffle (|rng_shuffle|) of
the identity permutation, not a shuffle of the previous epoch's order;
both are uniformly random, but the first makes an epoch's order depend
on the generator alone.  The generator is seeded with the caller's seed
on a stream of its own, the four letters \.{data} read as a number, so
that a program that uses the same seed for its initial weights (on
another stream) gets independent numbers; epoch~$e$ adds $e\cdot2^{32}$
to that stream number, so that each epoch has its own sequence, which
starts from the seed alone.
@^reproducibility@>
@<Data: private definitions@>=
#define SAMPLER_STREAM 0x64617461u /* "data" */
static void sampler_shuffle(struct sampler *s)
{
  rng_seed(&s->r, s->seed, SAMPLER_STREAM + (s->epoch << 32));
  for (size_t i = 0; i < s->n; i++) s->perm[i] = (uint32_t)i;
  rng_shuffle(&s->r, s->perm, s->n);
  s->pos = 0;
}

@ A sampler needs at least one full batch, and indices that fit in
32 bits.  It shuffles epoch~0 at once, so that |perm| is valid from the
start.
@<Data: sampler functions@>=
void sampler_init(struct sampler *s, size_t n, size_t batch, uint64_t seed)
{
  assert(s && batch > 0 && batch <= n && n <= UINT32_MAX);
  s->n = n;
  s->batch = batch;
  s->epoch = 0;
  s->seed = seed;
  s->rank = 0; s->world = 1;
  s->perm = xmalloc(n * sizeof(uint32_t));
  sampler_shuffle(s);
}

@ A shard is a rank in a world whose size divides the batch; a seek goes
to a position in an epoch, which must leave room for nothing or for whole
batches: the position after some number of batches, at most $n$.
@<Data: sampler functions@>=
void sampler_shard(struct sampler *s, unsigned rank, unsigned world)
{
  assert(world > 0 && rank < world && s->batch % world == 0);
  s->rank = rank; s->world = world;
}
void sampler_seek(struct sampler *s, uint64_t epoch, size_t pos)
{
  assert(pos <= s->n && pos % s->batch == 0);
  s->epoch = epoch;
  sampler_shuffle(s);
  s->pos = pos;
}
size_t sampler_local(const struct sampler *s) { return s->batch / s->world; }

@ The next batch is the next $B$ entries of the permutation (of which a
shard returns its slice); the pointer stays valid until the following
call.  When the rest of the epoch is
shorter than a batch, a new epoch begins with a new shuffle.  The epoch
counter changes only then, so after the last batch of an epoch it still
names that epoch.
@<Data: sampler functions@>=
const uint32_t *sampler_next(struct sampler *s)
{
  if (s->n - s->pos < s->batch) {
    s->epoch++;
    sampler_shuffle(s);
  }
  const uint32_t *b = s->perm + s->pos + s->rank * sampler_local(s);
  s->pos += s->batch;
  return b;
}

@ Freeing a sampler releases its permutation.
@<Data: sampler functions@>=
void sampler_free(struct sampler *s)
{
  free(s->perm);
  s->perm = NULL;
}
