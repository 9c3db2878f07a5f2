/* tests/testutil.h -- small helpers shared by the Criterion tests (tests/test_*.c).
   Everything is static inline, so a test file pays only for what it uses. */
#ifndef DESCENT_TESTUTIL_H
#define DESCENT_TESTUTIL_H
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh empty directory under $TMPDIR (or /tmp); the caller removes it with rm_tree. */
static inline char *tmp_dir(void)
{
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char *p = malloc(strlen(base) + 32);
  if (!p) abort();
  sprintf(p, "%s/descent-test-XXXXXX", base);
  if (!mkdtemp(p)) { perror("mkdtemp"); abort(); }
  return p;
}

static inline int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb; (void)flag; (void)ftw;
  return remove(path);
}
static inline void rm_tree(char *dir)
{
  if (dir) nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  free(dir);
}

/* dir/name in a static buffer (one at a time is enough for the tests) */
static inline const char *path_in(const char *dir, const char *name)
{
  static char buf[2][4096];
  static int k;
  k ^= 1;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* The names in dir (not . and ..), sorted, joined by single spaces, in a static buffer. */
static inline int cmp_str(const void *a, const void *b)
{ return strcmp(*(char *const *)a, *(char *const *)b); }
static inline const char *dir_listing(const char *dir)
{
  static char out[4096];
  char *names[256];
  int n = 0;
  DIR *d = opendir(dir);
  if (!d) return "(cannot open)";
  for (struct dirent *e; (e = readdir(d)) && n < 256;)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_str);
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (i) strncat(out, " ", sizeof out - strlen(out) - 1);
    strncat(out, names[i], sizeof out - strlen(out) - 1);
    free(names[i]);
  }
  return out;
}

/* A whole file into a malloc'd, NUL-terminated buffer; NULL if it cannot be read. */
static inline char *slurp(const char *path, size_t *size)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *b = malloc(cap + 1);
  for (size_t got; (got = fread(b + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) b = realloc(b, (cap *= 2) + 1);
  }
  fclose(f);
  b[n] = '\0';
  if (size) *size = n;
  return b;
}

static inline void spit(const char *path, const void *data, size_t n)
{
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) { perror(path); abort(); }
}

static inline bool file_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* Run fn(arg) in a child process with stdout and stderr captured.  The result
   says how the child ended; returned_normally is set if fn came back (then the
   child exits with 100).  out and err are malloc'd, NUL-terminated. */
/* Under LeakSanitizer, a child forked from Criterion's multi-threaded worker
   warns "Running thread ... was not suspended" at exit, on the stderr we are
   checking; LSan asks __lsan_is_turned_off() (defined once, in test_cli.c)
   before its exit-time check, and the children say yes. */
extern volatile int descent_test_in_child;

struct child { int status; bool exited, signaled, returned_normally; int code, sig; char *out, *err; };
static inline struct child run_child(void (*fn)(void *), void *arg)
{
  struct child c = {0};
  char *dir = tmp_dir();
  char o[4200], e[4200];
  snprintf(o, sizeof o, "%s/out", dir);
  snprintf(e, sizeof e, "%s/err", dir);
  fflush(stdout); fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); abort(); }
  if (pid == 0) {
    descent_test_in_child = 1;
    if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr)) _exit(99);
    fn(arg);
    fflush(stdout); fflush(stderr);
    _exit(100);
  }
  waitpid(pid, &c.status, 0);
  c.exited = WIFEXITED(c.status);
  c.signaled = WIFSIGNALED(c.status);
  c.code = c.exited ? WEXITSTATUS(c.status) : -1;
  c.sig = c.signaled ? WTERMSIG(c.status) : 0;
  c.returned_normally = c.exited && c.code == 100;
  c.out = slurp(o, NULL);
  c.err = slurp(e, NULL);
  if (!c.out) c.out = strdup("");
  if (!c.err) c.err = strdup("");
  rm_tree(dir);
  return c;
}
static inline void child_free(struct child *c) { free(c->out); free(c->err); }

/* number of '\n'-terminated lines in s (a last unterminated line counts too) */
static inline int count_lines(const char *s)
{
  int n = 0;
  for (const char *p = s; *p; p++) if (*p == '\n') n++;
  if (*s && s[strlen(s) - 1] != '\n') n++;
  return n;
}

/* relative closeness with a floor: |a - b| <= tol * max(1, |b|) */
static inline bool close_to(double a, double b, double tol)
{
  return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

/* float ulps between two finite floats of the same sign (for "within k ulp" checks) */
static inline long ulp_diff(float a, float b)
{
  int32_t ia, ib;
  memcpy(&ia, &a, 4); memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  long d = (long)ia - (long)ib;
  return d < 0 ? -d : d;
}

#endif
