/* bench/bench_lowp.c -- make bench: the speed of the library's fp16/bf16
 * rounding (chapter 6), portable and native paths, against two baselines
 * measured in the same run: the machine's memory bandwidth (a memcpy of the
 * same bytes, the speed limit of any streaming conversion) and, when
 * PyTorch is installed, PyTorch's own tensor.to(float16 / bfloat16).
 *
 *   build/bin/bench_lowp [N]     N floats per conversion (default 2^24)
 *
 * A conversion reads 4 bytes and writes 2 per value.  The bandwidth baseline
 * is the faster of a memcpy of 3 bytes per value and a loop that keeps the
 * top 16 bits of each float: both read and write 6n bytes in all, with no
 * arithmetic to speak of.
 * Prints one line per path: time per conversion, GB/s of traffic (bytes read
 * plus written), and the ratios of its time to memcpy's and to PyTorch's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "descent.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* best of `reps` runs, seconds */
#define BEST(reps, stmt) ({ double best_ = 1e30; \
  for (int r_ = 0; r_ < (reps); r_++) { double t0_ = now(); stmt; \
    double t_ = now() - t0_; if (t_ < best_) best_ = t_; } best_; })

static double torch_seconds(const char *dtype, size_t n)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd,
    "/usr/bin/python3 -c \"import torch,time;torch.set_num_threads(1);"
    "x=torch.randn(%zu);b=1e9\nfor _ in range(7):\n t=time.perf_counter();y=x.to(torch.%s);"
    "b=min(b,time.perf_counter()-t)\nprint(b)\" 2>/dev/null", n, dtype);
  FILE *p = popen(cmd, "r");
  double s = -1;
  if (p) { if (fscanf(p, "%lf", &s) != 1) s = -1; pclose(p); }
  return s;
}

int main(int argc, char **argv)
{
  program_name = "bench_lowp";
  size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : (size_t)1 << 24;
  if (n == 0) usage_error("N must be positive");
  float *x = vec_new(n);
  uint16_t *h = xmalloc(n * sizeof *h);
  char *dst = xmalloc(3 * n), *src = xmalloc(3 * n);
  struct rng r;
  rng_seed(&r, 1, 0);
  for (size_t i = 0; i < n; i++) x[i] = (float)rng_normal(&r);
  memset(src, 1, 3 * n); memset(dst, 0, 3 * n);
  const double bytes = 6.0 * (double)n;
  double copy = BEST(7, memcpy(dst, src, 3 * n));
  /* the same traffic as a conversion with no arithmetic at all: keep the top
     16 bits of each float (what truncating "bf16" would do) */
  const uint32_t *u = (const uint32_t *)x;
  double trunc = BEST(7, for (size_t i = 0; i < n; i++) h[i] = (uint16_t)(u[i] >> 16));
  if (trunc < copy) copy = trunc;
  printf("bench_lowp: %zu values; bandwidth baseline (the faster of memcpy of %.0f MB\n"
         "  and a truncating 32-to-16-bit copy): %.3f ms (%.1f GB/s of traffic)\n",
         n, bytes / 2e6, 1e3 * copy, bytes / copy / 1e9);
  static const char *const fmt[] = {"fp16", "bf16"}, *const tdt[] = {"float16", "bfloat16"};
  for (int f = 0; f < 2; f++) {
    double tt = torch_seconds(tdt[f], n);
    if (tt > 0) printf("  %s PyTorch x.to(torch.%s), 1 thread: %.3f ms\n", fmt[f], tdt[f], 1e3 * tt);
    else printf("  %s PyTorch not available: no PyTorch baseline\n", fmt[f]);
    for (int p = lowp_portable; p <= lowp_native; p++) {
      if (p == lowp_native && !lowp_native_available((enum lowp)f)) {
        printf("  %s native: this CPU lacks %s\n", fmt[f], lowp_native_name((enum lowp)f));
        continue;
      }
      double t = BEST(7, lowp_round((enum lowp)f, (enum lowp_path)p, x, h, n));
      printf("  %s %-8s %8.3f ms  %6.1f GB/s  = %.2f x bandwidth time", fmt[f],
             p == lowp_portable ? "portable" : lowp_native_name((enum lowp)f), 1e3 * t,
             bytes / t / 1e9, t / copy);
      if (tt > 0) printf(", %.2f x PyTorch's", t / tt);
      putchar('\n');
    }
  }
  free(x); free(h); free(dst); free(src);
  return 0;
}
