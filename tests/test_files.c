/* tests/test_files.c -- atomic files, make_dirs, whole-file helpers, TSV and
   values.tex output. */
#include "testutil.h"
#include <criterion/criterion.h>
#include "descent.h"

Test(afile, commit_leaves_exactly_the_final_file)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "out.txt");
  struct afile *a = afile_open(path);
  cr_assert(a != NULL, "afile_open: %s", strerror(errno));
  FILE *f = afile_stream(a);
  cr_assert(f != NULL);
  fprintf(f, "hello %d\n", 42);
  cr_expect(!file_exists(path), "the final file exists before the commit");
  cr_expect(strcmp(dir_listing(dir), "") != 0, "no temporary file while writing");
  cr_assert(afile_commit(a) == 0, "afile_commit: %s", strerror(errno));
  cr_expect(strcmp(dir_listing(dir), "out.txt") == 0, "directory after commit: '%s'",
            dir_listing(dir));
  char *s = slurp(path, NULL);
  cr_expect(s && strcmp(s, "hello 42\n") == 0, "content '%s'", s ? s : "(unreadable)");
  free(s);
  /* the file gets ordinary permissions (not mkstemp's 0600) under the umask */
  struct stat st;
  mode_t mask = umask(0);
  umask(mask);
  cr_assert(stat(path, &st) == 0);
  cr_expect((st.st_mode & 0777) == (0666 & ~mask), "mode %o, umask %o", st.st_mode & 0777, mask);
  rm_tree(dir);
}

Test(afile, abort_leaves_nothing)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "out.txt");
  struct afile *a = afile_open(path);
  cr_assert(a != NULL);
  fputs("partial", afile_stream(a));
  afile_abort(a);
  cr_expect(strcmp(dir_listing(dir), "") == 0, "directory after abort: '%s'", dir_listing(dir));
  rm_tree(dir);
}

Test(afile, existing_file_replaced_only_on_commit)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "data.tsv");
  spit(path, "old\n", 4);
  struct afile *a = afile_open(path);
  cr_assert(a != NULL);
  fputs("new\n", afile_stream(a));
  fflush(afile_stream(a));
  char *s = slurp(path, NULL);
  cr_expect(s && strcmp(s, "old\n") == 0, "the old file changed before commit: '%s'", s);
  free(s);
  afile_abort(a);
  s = slurp(path, NULL);
  cr_expect(s && strcmp(s, "old\n") == 0, "abort damaged the old file: '%s'", s);
  free(s);
  cr_expect(strcmp(dir_listing(dir), "data.tsv") == 0, "after abort: '%s'", dir_listing(dir));

  a = afile_open(path);
  cr_assert(a != NULL);
  fputs("new\n", afile_stream(a));
  cr_assert(afile_commit(a) == 0);
  s = slurp(path, NULL);
  cr_expect(s && strcmp(s, "new\n") == 0, "after commit: '%s'", s);
  free(s);
  cr_expect(strcmp(dir_listing(dir), "data.tsv") == 0, "after commit: '%s'", dir_listing(dir));
  rm_tree(dir);
}

Test(afile, open_in_missing_directory_fails)
{
  errno = 0;
  struct afile *a = afile_open("/nonexistent-descent-dir/sub/file.txt");
  cr_expect(a == NULL, "afile_open succeeded in a missing directory");
  cr_expect(errno == ENOENT, "errno %d (%s), expected ENOENT", errno, strerror(errno));
}

Test(afile, commit_fails_when_target_is_a_directory)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "sub");
  cr_assert(mkdir(path, 0777) == 0);
  struct afile *a = afile_open(path);
  cr_assert(a != NULL);
  fputs("x", afile_stream(a));
  cr_expect(afile_commit(a) == -1, "renaming over a non-empty directory must fail");
  cr_expect(strcmp(dir_listing(dir), "sub") == 0, "a failed commit left: '%s'", dir_listing(dir));
  rm_tree(dir);
}

Test(files, write_and_read_whole_files)
{
  char *dir = tmp_dir();
  const char *path = path_in(dir, "blob");
  unsigned char data[100000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 7 + (i >> 8));
  cr_assert(write_file_atomic(path, data, sizeof data) == 0);
  cr_expect(strcmp(dir_listing(dir), "blob") == 0, "%s", dir_listing(dir));
  size_t n = 0;
  char msg[256] = "";
  unsigned char *back = read_file(path, &n, msg, sizeof msg);
  cr_assert(back != NULL, "read_file: %s", msg);
  cr_expect(n == sizeof data && memcmp(back, data, n) == 0, "read back %zu bytes", n);
  free(back);
  back = read_file(path_in(dir, "missing"), &n, msg, sizeof msg);
  cr_expect(back == NULL);
  cr_expect(strstr(msg, "missing") != NULL, "the message names the file: %s", msg);
  cr_expect(write_file_atomic("/nonexistent-descent-dir/x", data, 1) == -1);
  rm_tree(dir);
}

Test(files, make_dirs)
{
  char *dir = tmp_dir();
  char deep[4200];
  snprintf(deep, sizeof deep, "%s/a/b/c", dir);
  cr_expect(make_dirs(deep) == 0);
  struct stat st;
  cr_expect(stat(deep, &st) == 0 && S_ISDIR(st.st_mode), "%s was not created", deep);
  cr_expect(make_dirs(deep) == 0, "an existing directory is fine");
  snprintf(deep, sizeof deep, "%s/a/b/c/", dir);
  cr_expect(make_dirs(deep) == 0, "a trailing slash is fine");
  spit(path_in(dir, "file"), "x", 1);
  snprintf(deep, sizeof deep, "%s/file/sub", dir);
  cr_expect(make_dirs(deep) == -1, "a path through a regular file must fail");
  snprintf(deep, sizeof deep, "%s/rel", dir);
  char cwd[4096];
  cr_assert(getcwd(cwd, sizeof cwd) != NULL);
  cr_assert(chdir(dir) == 0);
  cr_expect(make_dirs("rel/x") == 0, "a relative path");
  cr_assert(chdir(cwd) == 0);
  snprintf(deep, sizeof deep, "%s/rel/x", dir);
  cr_expect(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
  rm_tree(dir);
}

Test(tsv, header_rows_and_raw_lines)
{
  char *dir = tmp_dir();
  struct tsv *t = tsv_open(dir, "curve.tsv", "step\tloss\tlr");
  cr_assert(t != NULL);
  const double r1[3] = {0, 2.5, 0.1}, r2[3] = {1, 1.0 / 3.0, 1e-20};
  tsv_row(t, 3, r1);
  tsv_row(t, 3, r2);
  tsv_printf(t, "%s\t%d\n", "end", 7);
  cr_expect(!file_exists(path_in(dir, "curve.tsv")), "the TSV file exists before tsv_close");
  tsv_close(t);
  char *s = slurp(path_in(dir, "curve.tsv"), NULL);
  cr_assert(s != NULL);
  const char *want = "step\tloss\tlr\n0\t2.5\t0.1\n1\t0.333333333\t1e-20\nend\t7\n";
  cr_expect(strcmp(s, want) == 0, "TSV content:\n%s\nexpected:\n%s", s, want);
  free(s);
  cr_expect(strcmp(dir_listing(dir), "curve.tsv") == 0, "%s", dir_listing(dir));
  rm_tree(dir);
}

Test(tsv, numbers_read_back)
{
  /* %.9g: every float32 value reads back exactly */
  char *dir = tmp_dir();
  struct tsv *t = tsv_open(dir, "x.tsv", "x");
  struct rng r;
  rng_seed(&r, 1, 1);
  float xs[200];
  for (int i = 0; i < 200; i++) {
    xs[i] = (float)(rng_normal(&r) * pow(10.0, (double)(i % 40) - 20));
    double v = xs[i];
    tsv_row(t, 1, &v);
  }
  tsv_close(t);
  char *s = slurp(path_in(dir, "x.tsv"), NULL);
  char *line = strtok(s, "\n");
  cr_assert(line && strcmp(line, "x") == 0);
  for (int i = 0; i < 200; i++) {
    line = strtok(NULL, "\n");
    cr_assert(line != NULL, "row %d missing", i);
    float back = strtof(line, NULL);
    cr_expect(back == xs[i], "row %d: %s reads back as %a, wrote %a", i, line, back, xs[i]);
  }
  free(s);
  rm_tree(dir);
}

static void tsv_open_missing(void *arg)
{
  (void)arg;
  program_name = "prog";
  tsv_open("/nonexistent-descent-dir", "x.tsv", "a\tb");
}

Test(tsv, open_failure_dies_with_a_message)
{
  struct child c = run_child(tsv_open_missing, NULL);
  cr_expect(c.exited && c.code == 1, "tsv_open on a missing directory: status %d", c.status);
  cr_expect(count_lines(c.err) == 1 && strncmp(c.err, "prog: ", 6) == 0, "stderr: '%s'", c.err);
  cr_expect(strstr(c.err, "nonexistent-descent-dir") != NULL, "names the path: '%s'", c.err);
  child_free(&c);
}

Test(values, macros)
{
  char *dir = tmp_dir();
  struct value_file *v = values_open(dir);
  cr_assert(v != NULL);
  values_put(v, "LSslope", "%.2f", -0.98);
  values_put(v, "LSsteps", "%d", 1000);
  values_put(v, "LSname", "%s", "ravine");
  cr_expect(!file_exists(path_in(dir, "values.tex")), "values.tex exists before values_close");
  values_close(v);
  char *s = slurp(path_in(dir, "values.tex"), NULL);
  cr_assert(s != NULL, "values.tex not written");
  cr_expect(strstr(s, "\\def\\LSslope{-0.98}\n") != NULL, "values.tex:\n%s", s);
  cr_expect(strstr(s, "\\def\\LSsteps{1000}\n") != NULL, "values.tex:\n%s", s);
  cr_expect(strstr(s, "\\def\\LSname{ravine}\n") != NULL, "values.tex:\n%s", s);
  /* every line is a TeX comment or a \def */
  for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
    cr_expect(line[0] == '%' || strncmp(line, "\\def\\", 5) == 0, "stray line '%s'", line);
  free(s);
  cr_expect(strcmp(dir_listing(dir), "values.tex") == 0, "%s", dir_listing(dir));
  rm_tree(dir);
}

static char *values_dir;
static void values_bad_name(void *arg)
{
  struct value_file *v = values_open(values_dir);
  values_put(v, (const char *)arg, "%d", 1);
  values_close(v);
}

Test(values, names_are_letters_only)
{
  /* a digit or underscore in a macro name is a caller's mistake: the program
     must stop (assert or die), not write a broken values.tex */
  values_dir = tmp_dir();
  const char *bad[] = {"LS1", "LS_slope", "", "a b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct child c = run_child(values_bad_name, (void *)bad[i]);
    if (bad[i][0] == '\0' && c.returned_normally) {
      /* an empty name is not rejected by every reading of "letters only"; but then
         it must not have written \def\{...} */
      char *s = slurp(path_in(values_dir, "values.tex"), NULL);
      cr_expect(!s || !strstr(s, "\\def\\{"), "empty name wrote '%s'", s);
      free(s);
    } else {
      cr_expect(!c.returned_normally && !(c.exited && c.code == 0),
                "values_put accepted the name '%s'", bad[i]);
      cr_expect(c.err[0] != '\0', "no message for the name '%s'", bad[i]);
    }
    child_free(&c);
  }
  rm_tree(values_dir);
}

/* long integers are grouped by thin spaces; fractions, exponents and names are not */
Test(files, values_group_long_integers)
{
  char *dir = tmp_dir();
  struct value_file *v = values_open(dir);
  cr_assert(v != NULL);
  values_put(v, "Ta", "%d", 1034240);
  values_put(v, "Tb", "%d", 60000);
  values_put(v, "Tc", "%d", 1000);
  values_put(v, "Td", "%.6f", 522350.218750);
  values_put(v, "Te", "%s", "x12345 \\hskip 0.000012345pt 10^{-12345}");
  values_put(v, "Tf", "%s", "B&16384&131072\\cr");
  values_close(v);
  char *s = slurp(path_in(dir, "values.tex"), NULL);
  cr_assert(s != NULL);
  cr_expect(strstr(s, "\\def\\Ta{1\\,034\\,240}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Tb{60\\,000}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Tc{1000}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Td{522\\,350.218750}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Te{x12345 \\hskip 0.000012345pt 10^{-12\\,345}}\n") != NULL, "%s", s);
  cr_expect(strstr(s, "\\def\\Tf{B&16\\,384&131\\,072\\cr}\n") != NULL, "%s", s);
  free(s);
  rm_tree(dir);
}
