/* tests/fuzz/fuzz.h -- what the libFuzzer targets of Descent share.

   A target is one file tests/fuzz/fuzz_NAME.c that defines
   LLVMFuzzerTestOneInput (and, if it likes, LLVMFuzzerInitialize), with
   its seed inputs in tests/fuzz/NAME/; the Makefile finds it by its name
   (make fuzz, make check).  Targets are compiled with clang,
   -fsanitize=fuzzer,address,undefined, against the library built the same
   way in build/fuzz/ (the targets themselves with _GNU_SOURCE, for
   memfd_create and vasprintf).

   The house rule a target checks besides the sanitizers': bad input gets
   one clear line -- a loader that refuses an input must say why in its
   message buffer, in one line -- and never an exit, a crash or a hang. */
#ifndef DESCENT_FUZZ_H
#define DESCENT_FUZZ_H
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the library: say what, and abort, which libFuzzer
   reports as a crash with the input that caused it. */
__attribute__((format(printf, 1, 2), noreturn, unused))
static void fuzz_fail(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

/* The message of a refused input: present, terminated, one line. */
__attribute__((unused))
static void fuzz_check_message(const char *what, const char *msg, size_t len)
{
  if (!memchr(msg, '\0', len)) fuzz_fail("%s: message not terminated", what);
  if (!msg[0]) fuzz_fail("%s: refused the input without a message", what);
  if (strchr(msg, '\n')) fuzz_fail("%s: message of more than one line: %s", what, msg);
}

/* Loaders that take a path read the input from a memory file, named
   /proc/self/fd/N: nothing touches the disk, and each input replaces the
   last one. */
struct fuzz_file { int fd; char path[64]; };

__attribute__((unused))
static void fuzz_file_open(struct fuzz_file *f, const char *name)
{
  f->fd = memfd_create(name, 0);
  if (f->fd < 0) fuzz_fail("memfd_create: %s", strerror(errno));
  snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

__attribute__((unused))
static void fuzz_file_set(struct fuzz_file *f, const void *data, size_t size)
{
  if (ftruncate(f->fd, 0) != 0) fuzz_fail("ftruncate: %s", strerror(errno));
  for (size_t done = 0; done < size; ) {
    ssize_t w = pwrite(f->fd, (const char *)data + done, size - done, (off_t)done);
    if (w <= 0) fuzz_fail("pwrite: %s", strerror(errno));
    done += (size_t)w;
  }
}

/* The library's binary files end with a CRC-32 of what precedes it, in
   little-endian order.  A mutation almost always breaks it, so a target
   may put it right (on a control bit of the input), to reach the checks
   behind it. */
__attribute__((unused))
static void fuzz_fix_crc(uint8_t *b, size_t size)
{
  if (size < 4) return;
  uint32_t c = (uint32_t)crc32(0L, b, (uInt)(size - 4));
  for (int j = 0; j < 4; j++) b[size - 4 + j] = (uint8_t)(c >> (8 * j));
}

/* A copy of the input that the target may change. */
__attribute__((unused))
static uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
  uint8_t *b = malloc(size ? size : 1);
  if (!b) fuzz_fail("out of memory");
  if (size) memcpy(b, data, size);
  return b;
}

/* Names of a kind's table, from the library's own blank-separated list
   (opt_names, sched_names), so that a kind added later is fuzzed too. */
enum { fuzz_max_names = 32 };
struct fuzz_names { size_t n; char name[fuzz_max_names][32]; };

__attribute__((unused))
static void fuzz_split_names(const char *list, struct fuzz_names *out)
{
  out->n = 0;
  for (const char *s = list; *s && out->n < fuzz_max_names; ) {
    size_t w = strcspn(s, " ");
    if (w > 0 && w < sizeof out->name[0]) {
      memcpy(out->name[out->n], s, w);
      out->name[out->n++][w] = '\0';
    }
    s += w; s += strspn(s, " ");
  }
  if (out->n == 0) fuzz_fail("no names in '%s'", list);
}
#endif
