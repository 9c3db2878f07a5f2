/* tests/fuzz/compat.h -- forced (-include) into every library file of the
   fuzzing build, which clang compiles.  Clang 14's __builtin_cpu_supports
   knows neither "f16c" nor "avx512bf16", which Chapter 6 asks about (GCC
   knows both); here the three features it asks about are read from CPUID
   instead, so that the fuzzers take the same native paths as the library
   that gcc builds. */
#ifndef DESCENT_FUZZ_COMPAT_H
#define DESCENT_FUZZ_COMPAT_H
#if defined(__x86_64__) && defined(__clang__)
#include <cpuid.h>
#include <string.h>
static inline int descent_fuzz_cpu_supports(const char *f)
{
  unsigned a, b, c, d, lo, hi;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c >> 27 & 1)) return 0; /* no OSXSAVE */
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  const int ymm = (lo & 6) == 6, zmm = (lo & 0xe6) == 0xe6;
  const int avx = ymm && (c >> 28 & 1);
  if (strcmp(f, "avx") == 0) return avx;
  if (strcmp(f, "f16c") == 0) return avx && (c >> 29 & 1);
  if (strcmp(f, "avx512bf16") == 0) {
    if (!zmm || !__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b >> 16 & 1)) return 0;
    return __get_cpuid_count(7, 1, &a, &b, &c, &d) && (a >> 5 & 1);
  }
  return 0;
}
#define __builtin_cpu_supports(f) descent_fuzz_cpu_supports(f)
#endif
#endif
