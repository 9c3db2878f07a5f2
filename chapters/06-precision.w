@q 06-precision.w -- Chapter 6: low precision and loss scaling @>
@* Low precision.
\chaptervalues{06-precision}%
\opener{06-precision-gradients}{What is lost when a network trains in sixteen bits? Below: where the gradients of a small network fall against the range of fp16.}
Half the bits per number means half the memory traffic and, on hardware
built for it, several times the arithmetic.  The price is range and
precision.  A 32-bit |float| holds numbers from about $10^{-45}$ to
$3\times10^{38}$ with seven significant digits; the IEEE binary16 format
@^binary16 (fp16)@>
(``fp16'') holds them from $6\times10^{-8}$ to $65504$ with three, and the
bfloat16 format (``bf16'') keeps the |float|'s range but only two or three
@^bfloat16@>
digits.  Deep learning trains in both, and the recipe that makes fp16
work has three parts: keep a 32-bit copy of the weights (the {\it master
@^master weights@>
weights\/}), multiply the loss by a large {\it scale\/} so that small
@^loss scaling@>
gradients do not vanish, and add long sums in 32 bits.

This chapter builds the two formats bit for bit as PyTorch~1.13
converts to them (every number but NaN, whose sign and payload bits
PyTorch does not promise; a NaN stays a NaN), checks the conversion against the processor's own instructions on
every one of the $2^{32}$ possible inputs, and then measures each part
of the recipe on a small network trained on Fashion-MNIST: how many of
its real gradients underflow in fp16, how PyTorch's dynamic loss scale
@^underflow@>
moves during a run, what happens to training when the weights themselves
are kept in fp16, whether bf16 needs any of this, and how a sum goes
wrong when it is accumulated in 16 bits.

@ The chapter is a program, \.{build/bin/06-precision}, and every number
that the text quotes was printed by it when the book was built.  It runs
seven experiments: the {\it formats}, their landmarks and the hard cases
of rounding; the {\it layout\/} of their bit fields; the {\it check\/} of the native conversions against the
portable ones; the {\it gradients\/} of a trained network, classified by
what fp16 does to them; simulated low-precision {\it training\/} with and
without loss scaling and master weights; the {\it flow\/} of a
mixed-precision step, as a diagram; and {\it sums\/} accumulated in
three formats.  Its command line and its outputs are those of
Chapter~1's program.  The same seed gives the same bytes with one
exception: the full run times the check of all $2^{32}$ inputs, and those
times go to the standard error and into \.{values.tex}.  The quick run
checks a sample of the inputs and times nothing.  The full run took
\val{runSeconds}~s on \val{runThreads} threads when this copy of the book
was built.
@c
#include <omp.h>
#include "descent.h"
@<Precision: types@>@;
@<Precision: functions@>@;
static const struct experiment experiments[] = {@/
  @[{"formats", formats_experiment, false}@],@/
  @[{"layout", layout_experiment, false}@],@/
  @[{"check", check_experiment, false}@],@/
  @[{"gradients", gradients_experiment, true}@],@/
  @[{"training", training_experiment, true}@],@/
  @[{"flow", flow_experiment, false}@],@/
  @[{"sums", sums_experiment, false}@],@/
  @[{NULL, NULL, false}@]};
static const struct chapter_spec program = @[{"06-precision",@/
  "The experiments of chapter 6 of Descent: fp16 and bf16 rounding,\n"@/
  "loss scaling and master weights in simulated low-precision training.\n",@/
  experiments, NULL, check_sizes, NULL}@];
int main(int argc, char **argv) { return chapter_main(&program, argc, argv); }

@ The sizes of the experiments are collected in a plan, and \.{--quick}
picks a smaller one.
@<Precision: types@>=
struct pr_plan {
  uint32_t stride;     /* the check takes every |stride|-th bit pattern */
  int pre_steps;       /* steps of fp32 training before gradients are measured */
  int grad_batches;    /* batches whose gradients are classified */
  int steps;           /* steps of each training run */
  int interval;        /* the dynamic scaler's growth interval */
  int window;          /* steps per point of the training curves */
  size_t test_n;       /* test images for the final evaluation */
  size_t sum_n;        /* numbers added in the sums experiment */
};
static const struct pr_plan full_plan = @[{1, 1000, 50, 2000, 200, 50, 10000, 1 << 20}@];
static const struct pr_plan quick_plan = @[{257, 20, 2, 30, 5, 10, 500, 1 << 14}@];
static const struct pr_plan *plan_of(const struct chapter *ch)
{ return ch->quick ? &quick_plan : &full_plan; }

@ Two experiments train on Fashion-MNIST, and both draw their batches of
|pr_batch| images from a sampler over the whole training set, which
needs at least one batch; the training experiment also scores its runs
on the first |test_n| test images.  The harness calls this check before
anything is written.
@<Precision: functions@>=
static void check_sizes(const struct chapter *ch)
{
  chapter_need(ch, "gradients", pr_batch, 0);
  chapter_need(ch, "training", pr_batch, plan_of(ch)->test_n);
}

@ Numbers that reach the text as \TeX\ are written by |tex_num|: |digits|
significant digits, a power of ten as $m\times10^e$, infinity as
$\infty$.  Large counts get thin spaces between groups of three digits.
@<Precision: functions@>=
static const char *tex_num(char *buf, size_t len, double x, int digits)
{
  char tmp[32], *e;
  if (isnan(x)) snprintf(buf, len, "{\\rm NaN}");
  else if (isinf(x)) snprintf(buf, len, "%s\\infty", x < 0 ? "-" : "");
  else {
    snprintf(tmp, sizeof tmp, "%.*g", digits, x);
    if ((e = strchr(tmp, 'e')) == NULL) snprintf(buf, len, "%s", tmp);
    else {
      *e = '\0';
      snprintf(buf, len, "%s\\times10^{%d}", tmp, atoi(e + 1));
    }
  }
  return buf;
}

@ The grouping of a count's digits.
@<Precision: functions@>=
static const char *tex_count(char *buf, size_t len, unsigned long long n)
{
  char d[32];
  int k = snprintf(d, sizeof d, "%llu", n), j = 0;
  for (int i = 0; i < k && j + 3 < (int)len; i++) {
    if (i > 0 && (k - i) % 3 == 0) { buf[j++] = '\\'; buf[j++] = ','; }
    buf[j++] = d[i];
  }
  buf[j] = '\0';
  return buf;
}

@*1 Two formats of sixteen bits.
A binary floating-point format stores a number in three fields: a sign
bit $s$, an exponent field $E$ of $w$ bits, and a fraction field $F$ of
$p-1$ bits.  A normal number is
$$x=(-1)^s\cdot2^{E-{\rm bias}}\cdot(1+F/2^{p-1}),\qquad
  {\rm bias}=2^{w-1}-1,\quad 1\le E\le2^w-2:$$
a leading 1 that is not stored, then $p-1$ stored bits, $p$ significant
bits in all.  $E=2^w-1$ is kept for infinity ($F=0$) and NaN ($F\ne0$);
$E=0$ for zero and the {\it subnormal\/} numbers
@^subnormal numbers@>
$(-1)^s\cdot2^{1-{\rm bias}}\cdot F/2^{p-1}$, which fill the gap between
zero and the smallest normal number with the same spacing as the binade
above it.  The three formats of deep learning, bit for bit (sign,
exponent, fraction):
$$\vbox{\halign{#\hfil\quad&\tt#\hfil\cr
binary32 (fp32, |float|)&s eeeeeeee fffffffffffffffffffffff\cr
binary16 (fp16, ``half'')&s eeeee ffffffffff\cr
bfloat16 (bf16)&s eeeeeeee fffffff\cr}}$$
Binary16 is IEEE~754's half precision: 5 exponent bits and 11
significant bits.  Bfloat16, from Google Brain, is simply the top half
of a |float|: the same 8 exponent bits, and 8 significant bits.
Table~\tableref{06-formats} gives the landmarks of each, as the program
computes them from the bit patterns.
\booktable{06-formats}{The landmarks of fp32, fp16 and bf16, computed
from their bit patterns: the largest finite number, the smallest normal
and the smallest subnormal number, the spacing of the numbers at 1, and
the precision in decimal digits, $p\log_{10}2$.}
{\vbox{\halign{#\hfil\quad&\hfil$#$\quad&\hfil$#$\quad&\hfil$#$\quad
  &\hfil$#$\quad&\hfil$#$\cr
&\hbox{largest}&\hbox{smallest normal}&\hbox{smallest subnormal}
  &\hbox{spacing at 1}&\hbox{digits}\cr
\noalign{\smallskip\hrule\smallskip}
\PRformatTable}}}
\noindent
The number $0.1$, for example, is stored as
$$\vbox{\halign{#\hfil\quad&#\hfil\quad&$#$\hfil\cr
fp32&\PRbinSingle&\PRtenthSingle\cr
fp16&\PRbinHalf&\PRtenthHalf\cr
bf16&\PRbinBrain&\PRtenthBrain\cr}}$$
where the last column is the value actually stored.  The fp16 and bf16
fields of $0.1$ are the fp32 fields cut short and rounded; the fp16
exponent is rebiased from 127 to 15.

@ Figure~\figref{06-precision-layout} draws the three layouts to scale,
one box per field, with the bits of $0.1$ in each.  The {\it layout\/}
experiment does not copy the field widths from this page: it finds the
fraction width of each format from the library's own rounding, as the
largest $k$ for which $1+2^{-k}$ survives the round trip to the format
and back (the next one, a tie, rounds to even, which is~1), and gives
the exponent what is left of the word after the sign.  For fp32 the
round trip is the identity and the width is |FLT_MANT_DIG|${}-1$.
The fields go to \.{layout.tsv}, one row per field, and the bits of
$0.1$ to \.{layout-bits.tsv}, one row per bit.
@^bit layout@>
@<Precision: functions@>=
static int fraction_bits(int k)
{
  if (k == 0) return FLT_MANT_DIG - 1;
  const enum lowp f = k == 1 ? lowp_fp16 : lowp_bf16;
  int b = 0;
  while (b < 30 && lowp_to_float(f, lowp_from_float(f, 1.0f + ldexpf(1.0f, -(b + 1)))) != 1.0f)
    b++;
  return b;
}
static void layout_experiment(struct chapter *o)
{
  static const char *const fmt_name[3] = {"fp32", "fp16", "bf16"};
  static const char *const field_name[3] = {"sign", "exponent", "fraction"};
  struct tsv *t = tsv_open(o->out, "layout.tsv", "format\tname\tfield\tlo\twidth");
  struct tsv *bt = tsv_open(o->out, "layout-bits.tsv", "format\tpos\tbit");
  printf("== layout: the fields of the three formats, and the bits of 0.1\n");
  for (int k = 0; k < 3; k++) {
    @<Precision: write the fields and the bits of $0.1$ in format |k|@>@;
  }
  tsv_close(t);
  tsv_close(bt);
  printf("\n");
}

@ A field's row gives its first bit, counted from the left, and its
width; the pattern of $0.1$ is read from the left, its top bit first.
@<Precision: write the fields and the bits...@>=
const int total = k == 0 ? 32 : 16, fb = fraction_bits(k);
const int width[3] = {1, total - 1 - fb, fb};
uint32_t pat;
if (k == 0) { float x = 0.1f; memcpy(&pat, &x, 4); }
else pat = lowp_from_float(k == 1 ? lowp_fp16 : lowp_bf16, 0.1f);
for (int j = 0, lo = 0; j < 3; lo += width[j], j++)
  tsv_printf(t, "%d\t%s\t%s\t%d\t%d\n", k, fmt_name[k], field_name[j], lo, width[j]);
printf("%s: sign 1, exponent %d, fraction %d; 0.1 = ", fmt_name[k], width[1], fb);
for (int i = 0; i < total; i++) {
  int bit = (int)(pat >> (total - 1 - i)) & 1;
  tsv_row(bt, 3, (double[3])@[{(double)k, (double)i, (double)bit}@]);
  printf("%d", bit);
}
printf("\n");
values_put(o->values, k == 0 ? "PRlayExpSingle" : k == 1 ? "PRlayExpHalf"
           : "PRlayExpBrain", "%d", width[1]);
values_put(o->values, k == 0 ? "PRlayFracSingle" : k == 1 ? "PRlayFracHalf"
           : "PRlayFracBrain", "%d", fb);

@ The widths the program found are those of the table above: sign 1,
exponent \val{PRlayExpSingle} and fraction \val{PRlayFracSingle} for
fp32; \val{PRlayExpHalf} and \val{PRlayFracHalf} for fp16;
\val{PRlayExpBrain} and \val{PRlayFracBrain} for bf16.  Drawn to scale,
the picture makes two points at a glance.  Bf16 is fp32 with its right
half cut off: the sign and exponent fields line up bit for bit, and
the seven fraction bits are fp32's first seven, rounded (here the last
one is rounded up).  Fp16 moves the boundary: three exponent bits fewer
than bf16, three fraction bits more, so its exponent field of $0.1$ is
a different number, rebiased from 127 to 15.
\bookfigure{06-precision-layout}{The bit fields of fp32, fp16 and bf16,
drawn to scale, with the bits of $0.1$ in each, most significant bit on
the left: sign~$s$, exponent, fraction.  The widths were found by the
program from the library's rounding.  Bf16 is the top half of fp32;
fp16 trades three exponent bits for three fraction bits.}

@ The difference between the two 16-bit formats is the split of the bits.
Binary16 spends them on precision: its numbers are eight times as
accurate as bf16's, but its range is tiny; a gradient of $10^{-8}$ is
zero in fp16, and an activation of $10^5$ is infinite.  Bfloat16 spends
them on range: it holds every magnitude that a |float| holds, so the
conversion from |float| can lose digits but almost never a whole number.
Figure~\figref{06-precision-spacing} draws both facts at once.  The
relative spacing of a format, the gap from a representable number to the
next divided by the number, is the precision with which a value of that
size is stored; rounding to nearest errs by at most half of it.  Across
the normal range it is a sawtooth between $2^{-p}$ and $2^{1-p}$; below
the smallest normal number the spacing stops shrinking and the relative
spacing rises to 1 at the smallest subnormal; past the largest number
there is nothing.
\bookfigure{06-precision-spacing}{Relative spacing of the representable
numbers of fp32, fp16 and bf16 (the gap to the next number, divided by the
number) against magnitude: left, over the whole range of a |float|;
right, over the range of fp16, where the sawtooth shows.  Each curve
ends, on the left, at the format's smallest subnormal number and, on the
right, at its largest number; the steep parts on the left are the
subnormals.}

@ The interface of this chapter's part of the library.  A 16-bit value
travels as a |uint16_t| holding its bit pattern.  |lowp_from_float| rounds
one |float| to the format, to nearest with ties to even, and
@^round to nearest, ties to even@>
|lowp_to_float| widens it back, exactly; the vector form |lowp_round|
converts many values at once and may use the CPU's own conversion
instructions, chosen at run time, which give the same bits.  The path can
be forced, so that tests can compare them.  |lowp_quantize| rounds
|float|s to the format and back in one call, for programs that keep
16-bit numbers in |float| variables, as this chapter's simulations do.
@^PyTorch compatibility@>
@q begin library part @>
@(descent-lowp.h@>=
#ifndef DESCENT_LOWP_H
#define DESCENT_LOWP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
enum lowp { lowp_fp16, lowp_bf16 };
enum lowp_path { lowp_auto, lowp_portable, lowp_native };
uint16_t lowp_from_float(enum lowp f, float x);
float lowp_to_float(enum lowp f, uint16_t h);
int lowp_round(enum lowp f, enum lowp_path path, const float *x, uint16_t *h, size_t n);
void lowp_quantize(enum lowp f, const float *x, float *y, size_t n);
bool lowp_native_available(enum lowp f);
const char *lowp_native_name(enum lowp f);
@<Precision: the interface of the loss scaler@>@;
#endif

@ The conversions need the bit pattern of a |float|; |memcpy| is the
portable way to get it, and compilers turn it into a register move.
@(lowp.c@>=
#include <math.h>
#include <string.h>
#include "descent.h"
static uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
@<Precision: binary16 from |float|@>@;
@<Precision: bfloat16 from |float|@>@;
@<Precision: widening back@>@;
@<Precision: the native paths@>@;
@<Precision: the vector conversion@>@;
@<Precision: the loss scaler@>@;

@ Binary16 has a sign, 5 exponent bits with bias 15 and 10 fraction bits.
Its largest finite value is $(2-2^{-10})\cdot2^{15}=65504$; anything from
the midpoint $65520$ up rounds to infinity.  A NaN stays a quiet NaN with
its sign and the top of its payload, as x86's conversion instruction
keeps them.  For normal results the rounding is one integer addition:
adding $2^{12}-1$ plus the last kept bit to the pattern carries into
the kept bits exactly when the dropped 13 bits are above half, or equal
to half with an odd last bit.  Rebiasing the exponent from 127 to 15
subtracts $112\cdot2^{23}$.
@<Precision: binary16 from |float|@>=
static uint16_t fp16_subnormal(uint32_t a);
static uint16_t fp16_from(float x)
{
  const uint32_t u = bits_of(x), a = u & 0x7fffffffu;
  const uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
  if (a > 0x7f800000u) return sign | 0x7e00u | (uint16_t)((a >> 13) & 0x3ffu);
  if (a >= 0x477ff000u) return sign | 0x7c00u;  /* $\ge65520$: infinity */
  @q solution fp16_normal: if (a >= 0x38800000u) return sign; @>
  if (a >= 0x38800000u)                         /* $\ge2^{-14}$: normal */
    return sign | (uint16_t)((a - 0x38000000u + 0xfffu + ((a >> 13) & 1u)) >> 13);
  @q end solution @>
  return sign | fp16_subnormal(a);
}

@ Below $2^{-14}$ the result is a subnormal, a multiple of $2^{-24}$, and
the rounding is done on the integer significand: with $e$ the |float|'s
exponent field and $m$ its significand (hidden bit included), the value
is $m\cdot2^{e-150}$, that is $m/2^s$ quanta of $2^{-24}$ with $s=126-e$.
The quotient is rounded to nearest even by looking at the remainder.
A |float| below $2^{-25}$ ($s>24$), or a |float| subnormal, rounds to
zero; $2^{-25}$ itself is a tie and goes to the even zero.  The rounded
quotient may reach $2^{10}$, which is the smallest normal's pattern, as it
should be.
@<Precision: binary16 from |float|@>=
static uint16_t fp16_subnormal(uint32_t a)
{
  const uint32_t e = a >> 23, s = 126 - e;
  if (e == 0 || s > 24) return 0;
  const uint32_t m = (a & 0x7fffffu) | 0x800000u, q = m >> s;
  const uint32_t rem = m & ((1u << s) - 1), half = 1u << (s - 1);
  return (uint16_t)(q + (rem > half || (rem == half && (q & 1u))));
}

@ Bfloat16 is the top half of a |float|: the same sign and 8-bit
exponent, 7 fraction bits.  Rounding to nearest even is the same integer
trick on 16 dropped bits.  Because the exponent is the |float|'s, nothing
special happens to small numbers: a |float| subnormal becomes a bf16
subnormal, and only values from the midpoint above the largest bf16
(about $3.3961776\times10^{38}$) overflow, by the carry itself.  A NaN
is kept quiet, with its sign and the top of its payload.
@<Precision: bfloat16 from |float|@>=
static uint16_t bf16_from(float x)
{
  @q solution bf16_round: (void)x; return 0; @>
  const uint32_t u = bits_of(x);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);
  return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
  @q end solution @>
}
uint16_t lowp_from_float(enum lowp f, float x)
{ return f == lowp_fp16 ? fp16_from(x) : bf16_from(x); }

@ Widening is exact.  For bf16 it is a shift.  For binary16 the normal
numbers are rebiased, infinities and NaNs keep their fraction under the
|float| exponent 255, and subnormals $m\cdot2^{-24}$ are computed in
|float|, where both factors and the product are exact.
@<Precision: widening back@>=
float lowp_to_float(enum lowp f, uint16_t h)
{
  if (f == lowp_bf16) return float_of((uint32_t)h << 16);
  const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu;
  const uint32_t m = h & 0x3ffu;
  if (e == 0) return float_of(sign | bits_of(ldexpf((float)m, -24)));
  if (e == 31) return float_of(sign | 0x7f800000u | m << 13);
  return float_of(sign | (e + 112) << 23 | m << 13);
}
@q end library part @>

@ The program's first experiment prints the landmarks of the formats,
spells out one number in each, draws the spacing, and rounds the hard
cases of the next part.
@<Precision: functions@>=
@<Precision: the formats' helpers@>@;
static void formats_experiment(struct chapter *o)
{
  struct value_file *v = o->values;
  printf("== formats: binary32, binary16, bfloat16\n");
  @<Precision: print the landmarks of the three formats@>@;
  @<Precision: spell out $0.1$ in each format@>@;
  @<Precision: write the relative spacing of each format@>@;
  @<Precision: round the hard cases@>@;
  printf("\n");
}

@ The landmarks of the 16-bit formats are read off their bit patterns:
the largest finite number, the smallest normal, the smallest subnormal,
and the number just above~1.  For fp32 they are the constants of
\.{<float.h>}.
@<Precision: the formats' helpers@>=
struct landmarks { const char *name; int ebits, fbits; double big, normal, sub, eps; };
static struct landmarks landmarks_of(int k)
{
  static const uint16_t pat[2][4] = {@[{0x7bff, 0x0400, 0x0001, 0x3c01}@],
                                     @[{0x7f7f, 0x0080, 0x0001, 0x3f81}@]};
  if (k == 0)
    return (struct landmarks)@[{"fp32", 8, 23, FLT_MAX, FLT_MIN, FLT_TRUE_MIN, FLT_EPSILON}@];
  const enum lowp f = k == 1 ? lowp_fp16 : lowp_bf16;
  const uint16_t *p = pat[k - 1];
  return (struct landmarks)@[{k == 1 ? "fp16" : "bf16", k == 1 ? 5 : 8, k == 1 ? 10 : 7,
    lowp_to_float(f, p[0]), lowp_to_float(f, p[1]), lowp_to_float(f, p[2]),
    lowp_to_float(f, p[3]) - 1.0}@];
}

@ The small landmarks are powers of two and are printed as such, with
their decimal value; the digits are $p\log_{10}2$.
@<Precision: print the landmarks...@>=
char tab[1024] = "", a[64], b[64], c[64];
printf("%-5s %5s %5s %14s %14s %14s %12s %7s\n", "", "exp", "frac", "largest",
       "min normal", "min subnormal", "spacing at 1", "digits");
for (int k = 0; k < 3; k++) {
  const struct landmarks l = landmarks_of(k);
  const double digits = (l.fbits + 1) * log10(2.0);
  printf("%-5s %5d %5d %14.8g %14.8g %14.8g %12.8g %7.2f\n", l.name, l.ebits,
         l.fbits, l.big, l.normal, l.sub, l.eps, digits);
  appendf(tab, sizeof tab, "%s&%s&2^{%d}\\approx%s&2^{%d}\\approx%s&2^{%d}&%.1f\\cr\n", l.name,
    tex_num(a, sizeof a, l.big, k == 1 ? 5 : 3), ilogb(l.normal),
    tex_num(b, sizeof b, l.normal, 3), ilogb(l.sub), tex_num(c, sizeof c, l.sub, 3),
    ilogb(l.eps), digits);
}
values_put(v, "PRformatTable", "%s", tab);

@ A bit pattern is spelled with a space after the sign and after the
exponent.
@<Precision: the formats' helpers@>=
static const char *bit_string(char *buf, uint32_t u, int ebits, int fbits)
{
  int n = 0, total = 1 + ebits + fbits;
  for (int i = total - 1; i >= 0; i--) {
    buf[n++] = (u >> i) & 1u ? '1' : '0';
    if (i == total - 1 || i == fbits) buf[n++] = ' ';
  }
  buf[n] = '\0';
  return buf;
}

@ The number $0.1$ has no finite binary expansion, so every format
stores a rounded value.
@<Precision: spell out $0.1$...@>=
{
  const float tenth = 0.1f;
  uint32_t u;
  memcpy(&u, &tenth, 4);
  const uint16_t h = lowp_from_float(lowp_fp16, tenth), bh = lowp_from_float(lowp_bf16, tenth);
  char s32[48], s16[24], sb[24];
  bit_string(s32, u, 8, 23); bit_string(s16, h, 5, 10); bit_string(sb, bh, 8, 7);
  printf("0.1: fp32 %s = %.9g\n     fp16 %s = %.9g\n     bf16 %s = %.9g\n", s32,
         tenth, s16, lowp_to_float(lowp_fp16, h), sb, lowp_to_float(lowp_bf16, bh));
  values_put(v, "PRbinSingle", "{\\tt %s}", s32);
  values_put(v, "PRbinHalf", "{\\tt %s}", s16);
  values_put(v, "PRbinBrain", "{\\tt %s}", sb);
  values_put(v, "PRtenthSingle", "%.9g", tenth);
  values_put(v, "PRtenthHalf", "%.9g", lowp_to_float(lowp_fp16, h));
  values_put(v, "PRtenthBrain", "%.9g", lowp_to_float(lowp_bf16, bh));
}

@ The relative spacing at a number is measured from the format itself:
round the number, step to the next pattern, and divide the gap by the
rounded value.  At the largest number the gap below is used.  A number
that rounds to zero or to infinity has no spacing in the format (NaN in
the table, a gap in the figure).
@<Precision: the formats' helpers@>=
static double spacing_lowp(enum lowp f, float x)
{
  const uint16_t h = lowp_from_float(f, x);
  const double r = lowp_to_float(f, h), up = lowp_to_float(f, (uint16_t)(h + 1));
  if (r == 0.0 || !isfinite(r)) return NAN;
  return (isfinite(up) ? up - r : r - lowp_to_float(f, (uint16_t)(h - 1))) / r;
}
static double spacing_float(float x)
{
  const float up = nextafterf(x, INFINITY);
  return (isfinite(up) ? (double)up - x : (double)x - nextafterf(x, 0.0f)) / x;
}

@ The magnitudes are sixteen points per binade, $(1+k/16)\cdot2^e$, from
the smallest |float| subnormal to the largest |float| binade.
@<Precision: write the relative spacing...@>=
{
  struct tsv *t = tsv_open(o->out, "spacing.tsv", "x\tfp32\tfp16\tbf16");
  for (int e = -149; e <= 127; e++)
    for (int k = 0; k < 16; k++) {
      const float x = (float)ldexp(1.0 + k / 16.0, e);
      tsv_row(t, 4, (double[4])@[{x, spacing_float(x), spacing_lowp(lowp_fp16, x),
                                  spacing_lowp(lowp_bf16, x)}@]);
    }
  tsv_close(t);
}

@*1 Rounding at the edges.
Converting a |float| to a 16-bit format keeps the sign, adjusts the
exponent, and rounds the significand from 24 bits to 11 or 8.  IEEE
754's default rule, which PyTorch's conversions and the x86 conversion
instructions used below follow, is {\it round to nearest, ties to even}: take the nearer of the two
neighbouring representable numbers, and when the value lies exactly
halfway, take the one whose last significand bit is zero.  Rounding ties
away from zero, as school teaches, is biased: in a long computation the
halfway cases all push the same way.  Ties to even push up and down
equally often.

The hard cases are at the edges of the format.  In fp16, the largest
number is $65504$ and the next one would be $65536=2^{16}$; values from
the midpoint $65520$ up round to infinity (there is no saturation to the
largest number), while $65519.996$, the |float| just below the midpoint,
rounds down to $65504$.  At the other end the subnormals are kept: any
|float| from just above $2^{-25}$ up rounds to a nonzero fp16 number,
$2^{-25}$ itself is a tie between $0$ and $2^{-24}$ and goes to the even
one, zero, and smaller values become zero with their sign kept.  A NaN
stays a NaN and an infinity stays infinite.  In bf16 the same rules
apply with the |float|'s exponent range, so that only numbers above
$3.3961776\times10^{38}$ overflow and |float| subnormals stay subnormal.
The program rounds each of these cases (Table~\tableref{06-hard}); the
hexadecimal columns are the bit patterns.
\booktable{06-hard}{The hard cases of rounding a |float| to fp16 and to
bf16, to nearest with ties to even: for each format, the bit pattern of
the result in hexadecimal, and its value.}
{\vbox{\halign{$#$\hfil\quad&\hfil#\quad&$#$\hfil\qquad&\hfil#\quad&$#$\hfil\cr
\hbox{$x$ (a |float|)}&\multispan2\hfil fp16\hfil\qquad&\multispan2\hfil bf16\hfil\cr
\noalign{\smallskip\hrule\smallskip}
\PRhardTable}}}
\noindent
Two ties deserve a look.  $1+2^{-11}$ lies halfway between $1$ and
$1+2^{-10}$ in fp16 and goes to $1$, whose last bit is even;
$1+3\cdot2^{-11}$ lies halfway between $1+2^{-10}$ and $1+2^{-9}$ and goes
up, to the even one.  In bf16, with only 8 significant bits, both
numbers are within half a spacing of 1 and round to it, and $65504$ and $65520$ both become $65536$; but $10^{-40}$
survives as a subnormal, and of the finite cases only $3.4\times10^{38}$
overflows.  \PRhardNative

@ Each case has a name for the standard output, one for \TeX, and the
|float| itself.  The powers of two and their neighbours are written as
constant expressions, which the compiler evaluates exactly; $3.38953139
\times10^{38}$ is the shortest decimal that names the largest bf16.
@d n_hard ((int)(sizeof hard_cases / sizeof hard_cases[0]))
@<Precision: the formats' helpers@>=
struct hard_case { const char *name, *tex; float x; };
static const struct hard_case hard_cases[] = {@/
  @[{"1+2^-11", "1+2^{-11}", 1.0f + 1.0f / 2048}@],@/
  @[{"1+3*2^-11", "1+3\\cdot2^{-11}", 1.0f + 3.0f / 2048}@],@/
  @[{"0.1", "0.1", 0.1f}@],@/
  @[{"65504", "65504", 65504.0f}@],@/
  @[{"65519.996", "65519.996", 65520.0f - 1.0f / 256}@],@/
  @[{"65520", "65520", 65520.0f}@],@/
  @[{"2^-14", "2^{-14}", 1.0f / 16384}@],@/
  @[{"2^-24", "2^{-24}", 1.0f / 16777216}@],@/
  @[{"2^-25", "2^{-25}", 1.0f / 33554432}@],@/
  @[{"2^-25(1+2^-23)", "2^{-25}(1+2^{-23})", (1.0f + 1.0f / 8388608) / 33554432}@],@/
  @[{"-1e-9", "-10^{-9}", -1e-9f}@],@/
  @[{"1e-40", "10^{-40}", 1e-40f}@],@/
  @[{"3.3895314e38", "3.3895314\\times10^{38}", 3.38953139e38f}@],@/
  @[{"3.4e38", "3.4\\times10^{38}", 3.4e38f}@],@/
  @[{"inf", "\\infty", INFINITY}@],@/
  @[{"nan", "{\\rm NaN}", NAN}@]};

@ The native instructions convert 8 or 16 numbers at a time, and a
shorter vector would be converted by the portable code instead; so each
case is given to them sixteen times.  The function returns false only
when a native path exists and disagrees.
@<Precision: the formats' helpers@>=
static bool native_agrees(enum lowp f, float x, uint16_t want)
{
  float xs[16];
  uint16_t h[16];
  for (int i = 0; i < 16; i++) xs[i] = x;
  if (lowp_round(f, lowp_native, xs, h, 16) != 0) return true;
  for (int i = 0; i < 16; i++) if (h[i] != want) return false;
  return true;
}

@ Each row of Table~\tableref{06-hard}: the case, and for each format its
pattern and value.
@<Precision: round the hard cases@>=
{
  char tab[4096] = "", a[64], b[64];
  int agree = 0;
  printf("%-16s %6s %-15s %6s %-15s\n", "x", "fp16", "", "bf16", "");
  for (int k = 0; k < n_hard; k++) {
    const float x = hard_cases[k].x;
    const uint16_t h = lowp_from_float(lowp_fp16, x), bh = lowp_from_float(lowp_bf16, x);
    const double hv = lowp_to_float(lowp_fp16, h), bv = lowp_to_float(lowp_bf16, bh);
    agree += native_agrees(lowp_fp16, x, h) && native_agrees(lowp_bf16, x, bh);
    printf("%-16s  %04x %-15.9g  %04x %-15.9g\n", hard_cases[k].name, h, hv, bh, bv);
    appendf(tab, sizeof tab, "%s&\\.{%04x}&%s&\\.{%04x}&%s\\cr\n",
      hard_cases[k].tex, h, tex_num(a, sizeof a, hv, 8), bh, tex_num(b, sizeof b, bv, 8));
  }
  values_put(v, "PRhardTable", "%s", tab);
  @<Precision: say whether the native instructions agreed on the hard cases@>@;
}

@ The sentence that ends the part is written by the program, since it
depends on the machine.
@<Precision: say whether the native instructions agreed...@>=
{
  const bool fp = lowp_native_available(lowp_fp16), bf = lowp_native_available(lowp_bf16);
  printf("native instructions (%s%s%s) agree on %d of %d cases\n",
         fp ? "F16C" : "", fp && bf ? ", " : "", bf ? "AVX512-BF16" : "", agree, n_hard);
  if (fp || bf)
    values_put(v, "PRhardNative",@/
      "The processor's own conversion instructions "@/
      "(%s%s%s) give the same bits in %d of the %d cases.", fp ? "F16C" : "",
      fp && bf ? " and " : "", bf ? "AVX512-BF16" : "", agree, n_hard);
  else
    values_put(v, "PRhardNative",@/
      "The machine that built this book has no native "@/
      "conversion instructions to compare.");
}

@*1 Native conversions, checked on every input.
Converting one number at a time, with branches and integer tricks, costs
a few nanoseconds per number.  Processors have instructions for it.  x86
processors since 2012 have F16C, whose \.{vcvtps2ph} rounds eight
|float|s to binary16 at once, in the rounding mode its immediate operand
names (the library passes round-to-nearest-even explicitly, so a changed
global rounding mode cannot affect it), with subnormals handled as
above.  Some have AVX512-BF16, whose \.{vcvtneps2bf16} rounds sixteen
|float|s to bf16.  It treats a subnormal input as zero, where PyTorch
keeps it, so the library uses the instruction and then repairs the lanes
whose input was subnormal (exponent field zero, fraction nonzero) with
the portable rule, which keeps the result bit-exact.  Each function is
compiled for its instruction set alone, with |target|, and called only
after the CPU has said that it has it.  After its vector loop the F16C
function clears the upper halves of the 256-bit registers
(|_mm256_zeroupper|): the rest of the library is compiled for the older
SSE instructions, and on many x86 processors SSE code that runs while
those halves hold data is slowed down on every instruction.  The
compiler clears them on its own when a function returns straight from
its vector code, but not on the path through the scalar tail loop, and
the training runs of this chapter, which round vectors of every length,
took that path.
@^AVX-512@>
@^F16C@>
@^AVX--SSE transition penalty@>
@q begin library part @>
@<Precision: the native paths@>=
#if defined(__x86_64__)
#include <immintrin.h>
@<Precision: compile what follows for F16C@>@;
static void fp16_native(const float *x, uint16_t *h, size_t n)
{
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128((__m128i *)(h + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i),
                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  _mm256_zeroupper();
  for (; i < n; i++) h[i] = fp16_from(x[i]);
}
@<Precision: compile what follows for the default target again@>@;
@<Precision: the AVX512-BF16 path@>@;
#endif

@ A function is compiled for the instructions it needs by pragmas around
it, as in Chapter~9: between the push and the pop, GCC compiles as if for
a machine with the named extensions (Clang, which compiles the library
for the fuzzers, pushes the same as an attribute of every function).
@<Precision: compile what follows for F16C@>=
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("f16c,avx"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("f16c,avx")
#endif

@ The same for AVX512-BF16.
@<Precision: compile what follows for AVX512-BF16@>=
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("avx512f,avx512bf16"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bf16")
#endif

@ And back.
@<Precision: compile what follows for the default target again@>=
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

@ Sixteen lanes at a time; the mask of subnormal inputs is usually empty.
@<Precision: the AVX512-BF16 path@>=
@<Precision: compile what follows for AVX512-BF16@>@;
static void bf16_native(const float *x, uint16_t *h, size_t n)
{
  size_t i = 0;
  const __m512i expo = _mm512_set1_epi32(0x7f800000), frac = _mm512_set1_epi32(0x7fffff);
  for (; i + 16 <= n; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    const __m512i b = _mm512_castps_si512(v);
    __mmask16 sub = _mm512_testn_epi32_mask(b, expo) & _mm512_test_epi32_mask(b, frac);
    __m256bh r = _mm512_cvtneps_pbh(v);
    _mm256_storeu_si256((__m256i *)(h + i), (__m256i)r);
    for (int j = 0; sub; j++, sub >>= 1)
      if (sub & 1) h[i + j] = bf16_from(x[i + j]);
  }
  for (; i < n; i++) h[i] = bf16_from(x[i]);
}
@<Precision: compile what follows for the default target again@>@;

@ Which native path exists on this machine?  GCC's |__builtin_cpu_supports|
asks the CPU once.
@<Precision: the vector conversion@>=
bool lowp_native_available(enum lowp f)
{
#if defined(__x86_64__)
  __builtin_cpu_init();
  return f == lowp_fp16 ? __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx")
                        : __builtin_cpu_supports("avx512bf16");
#else
  (void)f;
  return false;
#endif
}
const char *lowp_native_name(enum lowp f) { return f == lowp_fp16 ? "F16C" : "AVX512-BF16"; }

@ The dispatcher.  |lowp_auto| takes the native path when there is one;
|lowp_native| insists on it and returns $-1$ when the CPU lacks it;
|lowp_portable| never uses it.
@<Precision: the vector conversion@>=
int lowp_round(enum lowp f, enum lowp_path path, const float *x, uint16_t *h, size_t n)
{
  const bool native = path != lowp_portable && lowp_native_available(f);
  if (path == lowp_native && !native) return -1;
#if defined(__x86_64__)
  if (native) {
    if (f == lowp_fp16) fp16_native(x, h, n); else bf16_native(x, h, n);
    return 0;
  }
#endif
  for (size_t i = 0; i < n; i++) h[i] = lowp_from_float(f, x[i]);
  return 0;
}

@ Quantizing rounds each |float| to the format and widens it back, so
that |y[i]| is the value that a 16-bit tensor would hold.  It goes
through a small buffer of patterns, on the fastest path there is; |y|
may be |x|.
@<Precision: the vector conversion@>=
void lowp_quantize(enum lowp f, const float *x, float *y, size_t n)
{
  uint16_t h[512];
  for (size_t i = 0; i < n; i += 512) {
    const size_t k = n - i < 512 ? n - i : 512;
    lowp_round(f, lowp_auto, x + i, h, k);
    for (size_t j = 0; j < k; j++) y[i + j] = lowp_to_float(f, h[j]);
  }
}
@q end library part @>

@ The claim to check is that the native path and the portable code give
the same bits.  A |float| has only $2^{32}$ bit patterns, so the claim
can be checked on every one of them, NaNs and infinities and negative
zero included: each format, both paths, a few billion conversions.  The
patterns are cut into blocks of |check_block|; the blocks are shared out
among the threads, and each thread converts a block with the portable
code, then with the native path, and compares.  The times of the two
conversions are summed over the blocks, so they are times on one core.
In the quick run only every |stride|-th pattern is taken ($257$ is prime,
so the sample is spread over every exponent and fraction).
@d check_block 16384
@<Precision: types@>=
struct check_result {
  unsigned long long count, differ, first;  /* inputs, disagreements, first one */
  bool native;                              /* whether there was a native path */
  double t_port, t_native, wall;            /* seconds */
};

@ The time a thread has spent computing, not waiting for a core: the
check's times must not depend on what else the machine was doing.
@<Precision: functions@>=
static double thread_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

@ The check of one format.  |first| is the smallest pattern on which the
paths disagreed, if any.
@<Precision: functions@>=
static void check_format(enum lowp f, uint32_t stride, struct check_result *r)
{
  const unsigned long long count = (((unsigned long long)1 << 32) - 1) / stride + 1;
  const long long nblocks = (long long)((count + check_block - 1) / check_block);
  const bool native = lowp_native_available(f);
  unsigned long long differ = 0, first = ULLONG_MAX;
  double tp = 0.0, tn = 0.0, t0 = omp_get_wtime();
  @<Precision: start the threads, each with its own sums@>@;
  {
    float *x = xmalloc(check_block * sizeof *x);
    uint16_t *a = xmalloc(2 * check_block * sizeof *a), *b = a + check_block;
    @<Precision: share the blocks among the threads@>@;
    for (long long blk = 0; blk < nblocks; blk++) {
      @<Precision: convert one block both ways and compare@>@;
    }
    free(x); free(a);
  }
  *r = (struct check_result)@[{count, differ, first, native, tp, tn, omp_get_wtime() - t0}@];
}

@ The two pragmas, in sections of their own so that they do not disturb
the typeset function.  The first starts a team of threads, each with its
own private copies of the times, the count and the first disagreement,
which are combined when the team ends: the times and the count by
summing, the first disagreement by taking the smallest.  The second
hands the blocks out to the threads eight at a time, as each finishes
its last.
@<Precision: start the threads, each with its own sums@>=
#pragma omp parallel reduction(+ : tp, tn, differ) reduction(min : first)

@ Blocks go out to whichever thread is free.
@<Precision: share the blocks among the threads@>=
#pragma omp for schedule(dynamic, 8)

@ A block holds the patterns $k\cdot|stride|$ for consecutive $k$.  The
bits are copied into |float|s, not converted: a NaN must arrive with its
payload intact.
@<Precision: convert one block both ways...@>=
const unsigned long long k0 = (unsigned long long)blk * check_block;
const size_t len = count - k0 < check_block ? (size_t)(count - k0) : check_block;
for (size_t j = 0; j < len; j++) {
  const uint32_t u = (uint32_t)((k0 + j) * stride);
  memcpy(&x[j], &u, 4);
}
const double s0 = thread_seconds();
lowp_round(f, lowp_portable, x, a, len);
const double s1 = thread_seconds();
tp += s1 - s0;
if (native) {
  lowp_round(f, lowp_native, x, b, len);
  tn += thread_seconds() - s1;
  for (size_t j = 0; j < len; j++)
    if (a[j] != b[j]) { differ++; if ((k0 + j) * stride < first) first = (k0 + j) * stride; }
}

@ The other direction has only $2^{16}$ inputs per format.  Widening is
exact, so rounding a widened pattern must give it back; a NaN may come
back quieted, with its top fraction bit set, but must come back a NaN.
The function counts the patterns of each kind that pass.
@<Precision: functions@>=
static void widen_check(enum lowp f, long *same, long *nans, long *nans_kept)
{
  *same = *nans = *nans_kept = 0;
  for (uint32_t h = 0; h < 0x10000u; h++) {
    const float x = lowp_to_float(f, (uint16_t)h);
    const uint16_t back = lowp_from_float(f, x);
    if (isnan(x)) { ++*nans; *nans_kept += isnan(lowp_to_float(f, back)); }
    else *same += back == h;
  }
}

@ How many answers does the repair of the AVX512-BF16 path change?  The
instruction returns a signed zero for every subnormal input, so the
count is the number of subnormal |float|s, of either sign, whose correct
bf16 is not zero.
@<Precision: functions@>=
static long repaired_count(void)
{
  long k = 0;
  for (uint32_t u = 1; u < 0x800000u; u++) {
    float x;
    memcpy(&x, &u, 4);
    k += (lowp_from_float(lowp_bf16, x) & 0x7fffu) != 0;
    k += (lowp_from_float(lowp_bf16, -x) & 0x7fffu) != 0;
  }
  return k;
}

@ The experiment checks both formats and reports.  The counts go to the
standard output; the times only to the standard error and, in the full
run, to \.{values.tex}, since they change from run to run.
@<Precision: functions@>=
static void check_experiment(struct chapter *o)
{
  const struct pr_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  struct check_result r[2];
  long same[2], nans[2], kept[2];
  for (int k = 0; k < 2; k++) {
    const enum lowp f = k == 0 ? lowp_fp16 : lowp_bf16;
    note("check: %s, every %u-th of the 2^32 float patterns", k ? "bf16" : "fp16",
         pl->stride);
    check_format(f, pl->stride, &r[k]);
    widen_check(f, &same[k], &nans[k], &kept[k]);
  }
  @<Precision: print and quote the check@>@;
  const long rep = repaired_count();
  char count[32];
  printf("bf16: %ld subnormal inputs have a nonzero bf16 result\n\n", rep);
  values_put(v, "PRrepaired", "%s", tex_count(count, sizeof count, (unsigned long long)rep));
}

@ The printed report, one line per format.
@<Precision: print and quote the check@>=
printf("== check: portable against native rounding, %llu inputs per format\n",
       r[0].count);
for (int k = 0; k < 2; k++) {
  const enum lowp f = k == 0 ? lowp_fp16 : lowp_bf16;
  if (r[k].native)
    printf("%s: %s and portable differ on %llu inputs\n", k ? "bf16" : "fp16",
           lowp_native_name(f), r[k].differ);
  else printf("%s: no native path on this machine\n", k ? "bf16" : "fp16");
  printf("%s: widening: %ld of %ld numbers come back, %ld of %ld NaNs stay NaN\n",
         k ? "bf16" : "fp16", same[k], 65536 - nans[k], kept[k], nans[k]);
  note("check: %s: portable %.2f s (%.2f ns each), native %.2f s (%.2f ns each), "@/
       "wall %.2f s", k ? "bf16" : "fp16", r[k].t_port, 1e9 * r[k].t_port / r[k].count,
       r[k].t_native, 1e9 * r[k].t_native / r[k].count, r[k].wall);
}
@<Precision: quote the check@>@;

@ The text quotes the inputs checked, the disagreements as a sentence
(the machine may lack a native path), and, in the full run, the times.
@<Precision: quote the check@>=
char a[64], s[512];
if (pl->stride == 1)
  values_put(v, "PRcheckWhat", "all $2^{32}=%s$ bit patterns", tex_count(a, sizeof a, r[0].count));
else values_put(v, "PRcheckWhat", "every %u-th of the $2^{32}$ bit patterns, %s in all",
                pl->stride, tex_count(a, sizeof a, r[0].count));
for (int k = 0; k < 2; k++) {
  const enum lowp f = k == 0 ? lowp_fp16 : lowp_bf16;
  if (r[k].native) snprintf(s, sizeof s, "%s and the portable code disagree on %llu of them",
                            lowp_native_name(f), r[k].differ);
  else snprintf(s, sizeof s, "this machine has no native path to compare");
  values_put(v, k ? "PRcheckBrain" : "PRcheckHalf", "%s", s);
  values_put(v, k ? "PRwidenBrain" : "PRwidenHalf", "%ld", same[k]);
  values_put(v, k ? "PRnansBrain" : "PRnansHalf", "%ld", kept[k]);
}
@<Precision: quote the times of the check, in the full run@>@;

@ Times are quoted in nanoseconds per conversion on one core, and the
whole check in seconds of wall time.  The quick run writes dashes.
@<Precision: quote the times...@>=
{
  static const char *const names[2][3] = {@[{"PRportHalf", "PRnatHalf", "PRwallHalf"}@],
                                          @[{"PRportBrain", "PRnatBrain", "PRwallBrain"}@]};
  for (int k = 0; k < 2; k++) {
    if (pl->stride != 1) {
      for (int i = 0; i < 3; i++) values_put(v, names[k][i], "---");
      continue;
    }
    values_put(v, names[k][0], "%.2f", 1e9 * r[k].t_port / r[k].count);
    if (r[k].native) values_put(v, names[k][1], "%.2f", 1e9 * r[k].t_native / r[k].count);
    else values_put(v, names[k][1], "---");
    values_put(v, names[k][2], "%.1f", r[k].wall);
  }
  values_put(v, "PRthreads", "%d", pl->stride == 1 ? omp_get_max_threads() : 0);
}

@ On this machine the check covered \PRcheckWhat\ for each format.  For
binary16, \PRcheckHalf; for bfloat16, \PRcheckBrain.  The native path
is a real saving: the portable code took \val{PRportHalf}~ns per number
for binary16 and \val{PRportBrain}~ns for bfloat16, the native
instructions \val{PRnatHalf} and \val{PRnatBrain}~ns (times on one
core; the check ran on \val{PRthreads} threads and took \val{PRwallHalf}
and \val{PRwallBrain}~s).  The repair of the subnormal lanes matters:
of the $2\cdot(2^{23}-1)$ subnormal |float|s, \val{PRrepaired} round to a
nonzero bf16 subnormal, and the bare instruction would have returned a
signed zero for every one of them.  In the
other direction, \val{PRwidenHalf} of the $65\,536$ binary16 patterns and
\val{PRwidenBrain} of the bfloat16 ones came back unchanged after
widening and rounding; the rest are the $2\cdot(2^{10}-1)=2046$ and
$2\cdot(2^7-1)=254$ NaN patterns, of which \val{PRnansHalf} and
\val{PRnansBrain} came back as NaNs.

@*1 Gradients in half precision.
The smallest positive fp16 number is $2^{-24}\approx6\times10^{-8}$, and
below $2^{-14}\approx6\times10^{-5}$ the numbers are subnormal, with fewer
significant bits the smaller they get.  Gradients are small.  Each
entry of a weight gradient is a mean over the batch of products of an
activation and a back-propagated error, and in a network that has
trained for a while a good part of them, as measured below, lie under
$10^{-4}$.  Stored in fp16, the smallest are
rounded to zero---{\it flushed}---and the parameters they belong to get
no update from them; the next smallest lose most of their digits.

The cure, {\it loss scaling}, rests on the linearity of back-propagation.
Multiply the loss by a constant $S$ before the backward pass and every
gradient is multiplied by $S$; a power of two does this without any
rounding.  The gradients are then stored in fp16 and, before the
optimizer uses them, divided by $S$ again, in fp32.  Scaling moves the
whole range of gradients up by $\log_2S$ binades: the small ones are
lifted out of the flush zone, and the large ones move closer to the top
of the range, where they may overflow.  Five made-up gradients show the
trade with $S=2^{15}$ (Table~\tableref{06-five}).
\booktable{06-five}{Five made-up gradients $g$ stored in fp16, unscaled,
and scaled by $S=2^{15}$ and divided by $S$ again after the rounding:
the stored values and their relative errors.}
{\vbox{\halign{\hfil$#$\quad&\hfil$#$\quad&\hfil#\qquad&\hfil$#$\quad
  &\hfil$#$\quad&\hfil#\cr
g&\hbox{fp16 of }g&error&Sg&\hbox{fp16 of $Sg$, over }S&error\cr
\noalign{\smallskip\hrule\smallskip}
\PRfiveTable}}}
\noindent
Unscaled, $10^{-9}$ vanishes, and $10^{-7}$, which is less than two
subnormal quanta of $2^{-24}$, is stored with an error of
\val{PRfiveErrSeven}; scaled, all four small ones survive with errors of
at most \val{PRfiveErrScaled}, and the largest, $4$, overflows:
$4\cdot2^{15}=131072$ is above $65520$.  The choice of $S$ is a bet on where the gradients lie.

@ The five are fixed; Table~\tableref{06-five} is computed.  The error is relative, and
an overflow is marked as such.
@d five_scale 32768.0f /* $S=2^{15}$ */
@<Precision: functions@>=
static void five_gradients(struct value_file *v)
{
  static const float g[5] = {4.0f, 1e-2f, 1e-5f, 1e-7f, 1e-9f};
  static const char *const tex[5] = {"4", "10^{-2}", "10^{-5}", "10^{-7}", "10^{-9}"};
  char tab[2048] = "", a[64], b[64], c[64];
  double worst_scaled = 0.0;
  printf("five gradients, S = 2^15:\n%10s %14s %9s %14s %14s %9s\n", "g", "fp16(g)",
         "error", "S g", "fp16(S g)/S", "error");
  for (int k = 0; k < 5; k++) {
    @<Precision: round one of the five with and without the scale@>@;
  }
  values_put(v, "PRfiveTable", "%s", tab);
  values_put(v, "PRfiveErrScaled", "%.3g\\%%", 100.0 * worst_scaled);
}

@ The rounded values and their errors, printed and added to the table.
@<Precision: round one of the five...@>=
const float q = lowp_to_float(lowp_fp16, lowp_from_float(lowp_fp16, g[k]));
const float sq = lowp_to_float(lowp_fp16, lowp_from_float(lowp_fp16, five_scale * g[k]));
const double e1 = fabs(q - (double)g[k]) / g[k], e2 = fabs(sq / five_scale - (double)g[k]) / g[k];
char e2p[32] = "overflow";
if (isfinite(sq)) snprintf(e2p, sizeof e2p, "%.3g%%", 100 * e2);
printf("%10.3g %14.8g %8.3g%% %14.8g %14.8g %9s\n", g[k], q, 100 * e1,
       five_scale * g[k], sq / five_scale, e2p);
if (isfinite(sq) && e2 > worst_scaled) worst_scaled = e2;
if (k == 3) values_put(v, "PRfiveErrSeven", "%.0f\\%%", 100.0 * e1);
char e1s[32], e2s[32];
snprintf(e1s, sizeof e1s, "%.3g\\%%", 100 * e1);
if (isfinite(sq)) snprintf(e2s, sizeof e2s, "%.3g\\%%", 100 * e2);
else snprintf(e2s, sizeof e2s, "overflow");
appendf(tab, sizeof tab, "%s&%s&%s&%s&%s&%s\\cr\n", tex[k],
  tex_num(a, sizeof a, q, 6), e1s, tex_num(b, sizeof b, five_scale * g[k], 6),
  tex_num(c, sizeof c, sq / five_scale, 6), e2s);

@ Real gradients decide the bet.  The network is a multilayer perceptron
$784$--$128$--$64$--$10$ with rectifiers (Appendix~A), trained on
Fashion-MNIST by plain SGD with batches of |pr_batch| and rate |pr_eta|.
The experiment trains it in fp32 for |pre_steps| steps, then computes
the gradients of |grad_batches| further batches, in fp32, and asks of
every entry of every gradient what fp16 would make of it: zero already
(a rectifier that never fired, a pixel that is always black), flushed to
zero, subnormal, or normal; and the same with the scale $S=2^{15}$, and
for bf16 without a scale.
The network, the optimizer (SGD with PyTorch's semantics, without
momentum), the sampler and the steps are a training session of the
library (Appendix~A, part~4), which draws the initial weights and the
order of the batches from the seed; |sc|, if given, is the scaler that
the session keeps for the caller.
@d pr_batch 64
@d pr_eta 0.05
@<Precision: functions@>=
static struct session *pr_session(const struct dataset *d, uint64_t seed, double lr,
  const struct scaler *sc)
{
  char msg[256];
  struct session_config c = @[{.nlayers = 3, .sizes = {d->dim, 128, 64, d->classes},
    .opt_name = "sgd", .batch = pr_batch, .seed = seed, .world = 1}@];
  opt_defaults("sgd", &c.opt);
  c.opt.lr = lr;
  if (sc) c.scaler = *sc;
  struct session *S = session_new(&c, d, msg, sizeof msg);
  if (!S) die("%s", msg);
  return S;
}

@ The classes of a gradient entry.  A rounded value below the format's
smallest normal number is subnormal.
@<Precision: types@>=
struct grad_class {
  unsigned long long n, zero, flushed, subnormal, overflow;
};

@ |classify| adds the entries of one gradient to a tally, for the format
|f| and the scale |S|.  The product $Sg$ is exact in |float|, as the
backward pass on a scaled loss would compute it.
@<Precision: functions@>=
static void classify(enum lowp f, float S, const float *g, size_t n, struct grad_class *c)
{
  const float normal = ldexpf(1.0f, f == lowp_fp16 ? -14 : -126);
  for (size_t j = 0; j < n; j++) {
    c->n++;
    if (g[j] == 0.0f) { c->zero++; continue; }
    const float q = lowp_to_float(f, lowp_from_float(f, S * g[j]));
    if (q == 0.0f) c->flushed++;
    else if (isinf(q)) c->overflow++;
    else if (fabsf(q) < normal) c->subnormal++;
  }
}

@ The histogram counts the nonzero entries of each layer by binade,
$\lfloor\log_2\vert g\vert\rfloor$, from |hist_lo| to |hist_hi|; the end
bins take everything beyond them.
@d hist_lo (-40)
@d hist_hi 4
@d hist_bins (hist_hi - hist_lo + 1)
@<Precision: functions@>=
static void histogram(const float *g, size_t n, unsigned long long *h)
{
  for (size_t j = 0; j < n; j++) {
    if (g[j] == 0.0f) continue;
    int e = ilogbf(g[j]);
    e = e < hist_lo ? hist_lo : e > hist_hi ? hist_hi : e;
    h[e - hist_lo]++;
  }
}

@ The experiment.  Each layer's gradient is its weight matrix followed by
its bias, one stretch of the flat vector.
@<Precision: functions@>=
@<Precision: the gradient experiment's report@>@;
static void gradients_experiment(struct chapter *o)
{
  const struct pr_plan *pl = plan_of(o);
  struct value_file *v = o->values;
  printf("== gradients: what fp16 does to the gradients of an MLP\n");
  five_gradients(v);
  struct session *S = pr_session(o->train, o->seed, pr_eta, NULL);
  struct mlp *m = S->m;
  struct grad_class cl[3][3] = {{{0}}};   /* layer, then: fp16, fp16 scaled, bf16 */
  struct grad_class acl[3][3] = {{{0}}};  /* the same for the activation gradients */
  unsigned long long hist[3][hist_bins] = {{0}};
  double bias_gap = 0.0;  /* the largest difference from the library's bias gradients */
  float gmax = 0.0f;
  @<Precision: train in fp32, then classify the gradients of the next batches@>@;
  gradients_report(o, pl, v, cl, hist, gmax);
  activations_report(v, acl, bias_gap);
  session_free(&S);
}

@ The training and the measurement use the same sampler, so the measured
batches are the ones training would have seen next.
@<Precision: train in fp32, then classify...@>=
note("gradients: %d steps of fp32 training, then %d batches", pl->pre_steps,
     pl->grad_batches);
for (int t = 0; t < pl->pre_steps; t++) session_step(S);
float *ag = xmalloc(S->c.batch * (m->sizes[1] + m->sizes[2] + m->sizes[3])@/
  * sizeof *ag);
for (int b = 0; b < pl->grad_batches; b++) {
  session_backward(S);
  @<Precision: classify every layer's gradient@>@;
  @<Precision: classify the activation gradients of the batch@>@;
}
free(ag);

@ Three classifications and a histogram per layer, and the largest
magnitude seen.
@<Precision: classify every layer's gradient@>=
for (size_t l = 0; l < 3; l++) {
  const float *g = mlp_dweights(m, l);
  const size_t n = m->sizes[l + 1] * (m->sizes[l] + 1);
  classify(lowp_fp16, 1.0f, g, n, &cl[l][0]);
  classify(lowp_fp16, five_scale, g, n, &cl[l][1]);
  classify(lowp_bf16, 1.0f, g, n, &cl[l][2]);
  histogram(g, n, hist[l]);
  for (size_t j = 0; j < n; j++) gmax = fabsf(g[j]) > gmax ? fabsf(g[j]) : gmax;
}

@ The report writes the histogram as fractions of each layer's nonzero
entries, for the figure, and the classes as a table; |tally_add| sums
the classes of the layers into the row ``all''.
@<Precision: the gradient experiment's report@>=
static void tally_add(struct grad_class all[3], const struct grad_class c[3])
{
  for (int k = 0; k < 3; k++) {
    all[k].n += c[k].n; all[k].zero += c[k].zero; all[k].flushed += c[k].flushed;
    all[k].subnormal += c[k].subnormal; all[k].overflow += c[k].overflow;
  }
}
static double pct(unsigned long long a, unsigned long long b)
{
  return b ? 100.0 * (double)a / (double)b : 0.0;
}
static void gradients_report(const struct chapter *o, const struct pr_plan *pl,
  struct value_file *v, struct grad_class cl[3][3], unsigned long long hist[3][hist_bins],
  float gmax)
{
  @<Precision: write the histogram of the gradients@>@;
  @<Precision: print the classes of the gradient entries@>@;
  @<Precision: quote the gradient numbers@>@;
}

@ A row per binade; the columns are the layers.
@<Precision: write the histogram...@>=
struct tsv *t = tsv_open(o->out, "gradients.tsv", "binade\tlayer1\tlayer2\tlayer3");
for (int b = 0; b < hist_bins; b++) {
  double row[4] = {hist_lo + b};
  for (int l = 0; l < 3; l++) {
    const unsigned long long nz = cl[l][0].n - cl[l][0].zero;
    row[1 + l] = nz ? (double)hist[l][b] / (double)nz : 0.0;
  }
  tsv_row(t, 4, row);
}
tsv_close(t);

@ One row per layer and one for the whole network; the percentages of
flushed and subnormal entries are of the nonzero ones.
@<Precision: print the classes...@>=
struct grad_class all[3] = {{0}};
char tab[2048] = "";
printf("real gradients after %d steps, %d batches:\n", pl->pre_steps, pl->grad_batches);
printf("%-6s %10s %7s %9s %9s %9s %9s %9s\n", "layer", "entries", "zero%", "flush%",
       "subnorm%", "S:flush%", "S:subn%", "S:over");
for (int l = 0; l <= 3; l++) {
  const struct grad_class *c = l < 3 ? cl[l] : all;
  if (l < 3) tally_add(all, c);
  @<Precision: print and tabulate the row of layer |l|@>@;
}
values_put(v, "PRgradTable", "%s", tab);

@ Each row: entries, zeros, and for fp16 without and with the scale the
flushed and subnormal entries.
@<Precision: print and tabulate the row of layer |l|@>=
static const char *const layer_name[4] = {"1", "2", "3", "all"};
const unsigned long long nz = c[0].n - c[0].zero;
printf("%-6s %10llu %7.2f %9.3f %9.2f %9.3f %9.2f %9llu\n", layer_name[l],
       c[0].n, pct(c[0].zero, c[0].n), pct(c[0].flushed, nz), pct(c[0].subnormal, nz),
       pct(c[1].flushed, nz), pct(c[1].subnormal, nz), c[1].overflow);
if (l == 3) appendf(tab, sizeof tab, "\\noalign{\\smallskip}");
appendf(tab, sizeof tab, "%s&%zu&%.1f\\%%&%.2f\\%%&%.1f\\%%&%.3f\\%%&%.2f\\%%\\cr\n",
         l < 3 ? (const char *[3])@[{"$784\\to128$", "$128\\to64$", "$64\\to10$"}@][l] : "all",
         (size_t)(c[0].n / pl->grad_batches), pct(c[0].zero, c[0].n), pct(c[0].flushed, nz),
         pct(c[0].subnormal, nz), pct(c[1].flushed, nz), pct(c[1].subnormal, nz));
if (l == 3) @<Precision: quote the totals of the gradient classes@>@;

@ The totals, for the text.
@<Precision: quote the totals...@>=
{
  values_put(v, "PRflushAll", "%.2f\\%%", pct(c[0].flushed, nz));
  values_put(v, "PRsubAll", "%.1f\\%%", pct(c[0].subnormal, nz));
  values_put(v, "PRflushScaled", "%.3f\\%%", pct(c[1].flushed, nz));
  values_put(v, "PRsubScaled", "%.2f\\%%", pct(c[1].subnormal, nz));
  values_put(v, "PRoverScaled", "%llu", c[1].overflow);
  values_put(v, "PRgradFlushBrain", "%llu", c[2].flushed);
  values_put(v, "PRgradSubBrain", "%llu", c[2].subnormal);
  values_put(v, "PRzeroAll", "%.1f\\%%", pct(c[0].zero, c[0].n));
}

@ The rest of the numbers the text quotes: the sizes of the measurement,
the largest gradient seen, and the largest scale under which it would
not have overflowed.
@<Precision: quote the gradient numbers@>=
char a[64];
values_put(v, "PRgradSteps", "%d", pl->pre_steps);
values_put(v, "PRgradBatches", "%d", pl->grad_batches);
values_put(v, "PRgradMax", "%s", tex_num(a, sizeof a, gmax, 3));
values_put(v, "PRgradMaxScale", "2^{%d}", (int)floor(log2(65520.0 / gmax)));
printf("largest |g| %.4g: scales up to 2^%d do not overflow\n", gmax,
       (int)floor(log2(65520.0 / gmax)));
@<Precision: find the binades that hold the middle 90 percent of the entries@>@;

@ The middle 90 percent of the nonzero entries of all layers together
lie between the binade where the cumulative count passes 5 percent and
the one where it passes 95 percent.
@<Precision: find the binades that hold the middle 90 percent...@>=
unsigned long long total = 0, so_far = 0;
int lo = hist_lo, hi = hist_hi;
for (int b = 0; b < hist_bins; b++) total += hist[0][b] + hist[1][b] + hist[2][b];
for (int b = 0; b < hist_bins; b++) {
  const unsigned long long before = so_far;
  so_far += hist[0][b] + hist[1][b] + hist[2][b];
  if (20 * before < total && 20 * so_far >= total) lo = hist_lo + b;
  if (20 * before < 19 * total && 20 * so_far >= 19 * total) hi = hist_lo + b;
}
printf("90%% of the nonzero entries lie in [2^%d, 2^%d)\n\n", lo, hi + 1);
values_put(v, "PRhistLo", "2^{%d}", lo);
values_put(v, "PRhistHi", "2^{%d}", hi + 1);

@ Table~\tableref{06-gradients} gives the classes, per layer, in percent
(an ``entry'' is one number of the layer's gradient, weights and biases
together).
\booktable{06-gradients}{The gradient entries of the
$784$--$128$--$64$--$10$ MLP on Fashion-MNIST after \val{PRgradSteps}
steps of training in fp32, over \val{PRgradBatches} batches, per layer:
the share that is zero in fp32, and the shares of the nonzero entries
that fp16 flushes to zero or stores as subnormals, without a scale and
with $S=2^{15}$.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\quad&\hfil#\qquad
  &\hfil#\quad&\hfil#\cr
&&\hfil zero&\multispan2\hfil fp16\hfil\qquad&\multispan2\hfil fp16, $S=2^{15}$\hfil\cr
layer&entries&in fp32&flushed&subnormal&flushed&subnormal\cr
\noalign{\smallskip\hrule\smallskip}
\PRgradTable}}}
\noindent
The measurement took the gradients of \val{PRgradBatches} batches after
\val{PRgradSteps} steps of training.  Of all the nonzero gradient
entries, \val{PRflushAll} were flushed to zero by fp16 and \val{PRsubAll}
were subnormal; with the scale $S=2^{15}$, \val{PRflushScaled} were
flushed and \val{PRsubScaled} subnormal, and \val{PRoverScaled}
overflowed.  The largest magnitude was $\val{PRgradMax}$, so any scale up
to $\val{PRgradMaxScale}$ would have been safe.  In bf16, without a
scale, \val{PRgradFlushBrain} entries were flushed and \val{PRgradSubBrain}
were subnormal.  (Exactly zero in fp32 were \val{PRzeroAll} of all entries:
the weights of pixels that are black in every image of the batch, and of
rectifiers that did not fire for any of its images.)

So the claim that fp16 gradients underflow holds, but for the weight
gradients of this network it is a matter of a small fraction: the flushed entries are a few in a
thousand, and the loss of digits in the subnormal range touches more.
Figure~\figref{06-precision-gradients} shows why: 90 percent of the
nonzero entries lie between $\val{PRhistLo}$ and $\val{PRhistHi}$, and
only the tail reaches below $2^{-24}$.  Networks with more layers, and with losses summed over
long sequences, have gradients several binades smaller, and there the
unscaled fraction can be large: Micikevicius et~al.\ show the activation
gradients of an SSD object detector, many of which lie below fp16's
range; this network's own activation gradients are measured next.  The scale of
$2^{15}$ moves the whole histogram fifteen binades to the right, where
almost nothing is flushed and almost nothing overflows.
\bookfigure{06-precision-gradients}{Histogram of the gradient entries of
the three layers of a $784$--$128$--$64$--$10$ MLP on Fashion-MNIST, by
binade $\lfloor\log_2\vert g\vert\rfloor$, as a fraction of each layer's
nonzero entries.  Shaded: where fp16 stores a gradient as a subnormal
(light) or flushes it to zero (dark).  The scale $S=2^{15}$ would move
every bar fifteen binades to the right.}

@ The weight gradients are not the only gradients that a mixed-precision
backward pass stores.  Between the layers it carries the {\it activation
gradients}---the errors $\partial L/\partial z$ of every unit for every
image of the batch---and in fp16 training those are fp16 tensors too.
They are where Micikevicius et~al.\ found the underflow, and they are
smaller than the weight gradients they produce: a weight gradient sums
the products of an error and an activation over the batch, while an
error is one image's share of a loss that is a mean over the batch.
@^activation gradients@>
The library's backward pass keeps them only in passing, so the
experiment recomputes them from the stored activations of the same
batch: the gradient of the mean loss with respect to the logits, and,
layer by layer downwards, $\delta_{l-1}=\delta_l W_l$ with the entries
of rectifiers that did not fire set to zero.  As a check on the
recomputation, the column sums of each $\delta_l$ are that layer's bias
gradient, which the library has just computed.
@<Precision: classify the activation gradients of the batch@>=
{
  const size_t B = m->batch, *n = m->sizes;
  float *d[3] = {ag, ag + B * n[1], ag + B * (n[1] + n[2])};
  (void)softmax_xent(m->act[3], S->yb, B, n[3], d[2]);
  for (size_t l = 2; l > 0; l--) {
    matmul(d[l - 1], d[l], mlp_weights(m, l), B, n[l + 1], n[l]);
    const float *a = m->act[l];
    for (size_t i = 0; i < B * n[l]; i++)
      if (a[i] <= 0.0f) d[l - 1][i] = 0.0f;
  }
  for (size_t l = 0; l < 3; l++) {
    @<Precision: compare the column sums of $\delta_l$ with the bias gradient@>@;
    classify(lowp_fp16, 1.0f, d[l], B * n[l + 1], &acl[l][0]);
    classify(lowp_fp16, five_scale, d[l], B * n[l + 1], &acl[l][1]);
    classify(lowp_bf16, 1.0f, d[l], B * n[l + 1], &acl[l][2]);
  }
}

@ The difference is taken relative to the largest bias gradient of the
layer; the recomputation must agree to rounding, or it is not measuring
the gradients that training used.
@<Precision: compare the column sums...@>=
{
  const float *db = mlp_dbias(m, l);
  double big = 0.0, gap = 0.0;
  for (size_t j = 0; j < n[l + 1]; j++) {
    double sum = 0.0;
    for (size_t i = 0; i < B; i++) sum += d[l][i * n[l + 1] + j];
    big = fmax(big, fabs(db[j]));
    gap = fmax(gap, fabs(sum - db[j]));
  }
  if (big > 0.0 && gap / big > bias_gap) bias_gap = gap / big;
  if (bias_gap > 1e-4)
    die("activation gradients: layer %zu off by %.3g", l + 1, bias_gap);
}

@ The report: one row per tensor, as in Table~\tableref{06-gradients},
and the totals for the text.
@<Precision: the gradient experiment's report@>=
static void activations_report(struct value_file *v, struct grad_class acl[3][3],
  double bias_gap)
{
  static const char *const name[3] = {"$\\partial L/\\partial z_1$, $B\\times128$",
    "$\\partial L/\\partial z_2$, $B\\times64$", "$\\partial L/\\partial z_3$, $B\\times10$"};
  struct grad_class all[3] = {{0}};
  char tab[2048] = "";
  printf("activation gradients (bias gradients reproduced to %.2g):\n", bias_gap);
  for (int l = 0; l <= 3; l++) {
    const struct grad_class *c = l < 3 ? acl[l] : all;
    if (l < 3) tally_add(all, c);
    const unsigned long long nz = c[0].n - c[0].zero;
    printf("%-6s %10llu %7.2f %9.3f %9.2f %9.3f %9.2f %9llu\n",
           (const char *[4])@[{"dz1", "dz2", "dz3", "all"}@][l],
           c[0].n, pct(c[0].zero, c[0].n), pct(c[0].flushed, nz), pct(c[0].subnormal, nz),
           pct(c[1].flushed, nz), pct(c[1].subnormal, nz), c[1].overflow);
    if (l == 3) appendf(tab, sizeof tab, "\\noalign{\\smallskip}");
    appendf(tab, sizeof tab, "%s&%.1f\\%%&%.2f\\%%&%.1f\\%%&%.3f\\%%&%.2f\\%%\\cr\n",
            l < 3 ? name[l] : "all", pct(c[0].zero, c[0].n), pct(c[0].flushed, nz),
            pct(c[0].subnormal, nz), pct(c[1].flushed, nz), pct(c[1].subnormal, nz));
  }
  const unsigned long long nz = all[0].n - all[0].zero;
  values_put(v, "PRactTable", "%s", tab);
  values_put(v, "PRactFlush", "%.1f\\%%", pct(all[0].flushed, nz));
  values_put(v, "PRactSub", "%.1f\\%%", pct(all[0].subnormal, nz));
  values_put(v, "PRactFlushScaled", "%.3f\\%%", pct(all[1].flushed, nz));
  values_put(v, "PRactSubScaled", "%.2f\\%%", pct(all[1].subnormal, nz));
  values_put(v, "PRactOver", "%llu", all[1].overflow);
  values_put(v, "PRactBrain", "%llu", all[2].flushed + all[2].subnormal);
  values_put(v, "PRactFlushTop", "%.1f\\%%",
             pct(acl[2][0].flushed, acl[2][0].n - acl[2][0].zero));
  values_put(v, "PRactSubTop", "%.0f\\%%",
             pct(acl[2][0].subnormal, acl[2][0].n - acl[2][0].zero));
  char a[64];
  values_put(v, "PRactGap", "%s", tex_num(a, sizeof a, bias_gap, 2));
}

@ Table~\tableref{06-activations} has the activation gradients of the
same \val{PRgradBatches} batches.
\booktable{06-activations}{The activation gradients of the same MLP and
batches as Table~\tableref{06-gradients}: the errors $\partial L/\partial
z_l$ of the mean loss with respect to each layer's output ($z_3$: the
logits), one entry per image and unit, $B=64$; the share that is zero
in fp32, and the shares of the nonzero entries that fp16 flushes or
stores as subnormals, without a scale and with $S=2^{15}$.}
{\vbox{\halign{#\hfil\quad&\hfil#\quad&\hfil#\quad&\hfil#\qquad
  &\hfil#\quad&\hfil#\cr
&zero&\multispan2\hfil fp16\hfil\qquad&\multispan2\hfil fp16, $S=2^{15}$\hfil\cr
tensor&in fp32&flushed&subnormal&flushed&subnormal\cr
\noalign{\smallskip\hrule\smallskip}
\PRactTable}}}
\noindent
The recomputed errors reproduce the library's bias gradients to a
relative $\val{PRactGap}$.  Of their nonzero entries, \val{PRactFlush}
were flushed to zero by fp16 and \val{PRactSub} were subnormal, against
\val{PRflushAll} and \val{PRsubAll} for the weight gradients; at the
logits alone \val{PRactFlushTop} were flushed and \val{PRactSubTop}
subnormal.  With $S=2^{15}$, \val{PRactFlushScaled} were flushed,
\val{PRactSubScaled} subnormal, and \val{PRactOver} overflowed; bf16
flushed or made subnormal \val{PRactBrain} of them.  So the activation
gradients lose more in fp16 than the weight gradients do, and most of
the loss is at the logits: there the error of a class is
$(p_k-[k=y])/B$, and for the classes a trained network has already ruled
out, $p_k$ is tiny and the error with it.  The measurement is one seed
and one point of training; what it shows without a spread is the order
of the effect---at the logits a tenth of the errors flushed, and
everywhere a third of them subnormal---and that the scale of $2^{15}$
removes nearly all of it.

@*1 Loss scaling.
A {\it static\/} scale is one number chosen in advance, say $2^{15}$;
it needs the gradients to stay inside a window of the fp16 range for
the whole run, and it has to be tuned.  A {\it dynamic\/} scale is
@^dynamic loss scale@>
chosen as training goes.  The rule that PyTorch's
\.{torch.cuda.amp.GradScaler} uses (PyTorch~1.13), and that the library follows:
start at $S=2^{16}$; after every step, look for an infinity or a NaN
among the scaled gradients; if there is one, skip the step (the
gradient is garbage) and halve $S$; if there is none, count the step,
and after |growth_interval| clean steps in a row (2000 by default)
double $S$.  The scale thus rises until the gradients overflow, backs
off, and rises again, and the price is one skipped step per backoff.

@ The interface of the loss scaler.  The scale is a |float|, the count of
clean steps an integer; the factors are PyTorch's constructor arguments.
@^PyTorch compatibility@>
@q begin library part @>
@<Precision: the interface of the loss scaler@>=
struct scaler {
  float scale;
  int32_t tracker;      /* clean steps since the last change */
  double growth, backoff;
  long interval;
};
void scaler_defaults(struct scaler *s);
int scaler_check(const struct scaler *s, char *msg, size_t len);
bool scaler_unscale(const struct scaler *s, float *g, size_t n);
void scaler_update(struct scaler *s, bool found_inf);

@ The defaults and the two assertions of PyTorch's constructor.
@<Precision: the loss scaler@>=
void scaler_defaults(struct scaler *s)
{
  *s = (struct scaler)@[{65536.0f, 0, 2.0, 0.5, 2000}@];
}
int scaler_check(const struct scaler *s, char *msg, size_t len)
{
  const char *why = !(s->growth > 1.0) ? "The growth factor must be > 1.0."
    : !(s->backoff < 1.0) ? "The backoff factor must be < 1.0."
    : !isfinite(s->scale) ? "The initial scale must be finite." : NULL;
  if (why && msg && len) snprintf(msg, len, "%s", why);
  return why ? -1 : 0;
}

@ Unscaling multiplies by the reciprocal of the scale, computed in double
and rounded to |float|, and reports whether any entry was not finite
(looked at before the multiplication).  The caller skips the optimizer's
step when it was.
@<Precision: the loss scaler@>=
bool scaler_unscale(const struct scaler *s, float *g, size_t n)
{
  const float inv = (float)(1.0 / (double)s->scale);
  bool found = false;
  for (size_t i = 0; i < n; i++) {
    found |= !isfinite(g[i]);
    g[i] = g[i] * inv;
  }
  return found;
}

@ The update, as PyTorch's |_amp_update_scale_| kernel does it: products
in double rounded to |float|; the count of clean steps is reset both when
the scale grows and when growth is refused because the new scale would
not be finite.
@<Precision: the loss scaler@>=
void scaler_update(struct scaler *s, bool found_inf)
{
  @q solution scaler_update: (void)s; (void)found_inf; @>
  if (found_inf) {
    s->scale = (float)((double)s->scale * s->backoff);
    s->tracker = 0;
    return;
  }
  const int32_t ok = s->tracker + 1;
  if (ok == s->interval) {
    const float grown = (float)((double)s->scale * s->growth);
    if (isfinite(grown)) s->scale = grown;
    s->tracker = 0;
  } else s->tracker = ok;
  @q end solution @>
}
@q end library part @>

@ To watch the scaler at work we need fp16 training, and this book's
network computes in |float|.  The program {\it simulates\/} it, by
rounding what mixed-precision training stores in 16 bits:
@^mixed precision@>
\smallskip
\item{1.} the weights that the forward pass sees are the stored weights
rounded to the format;
\item{2.} the gradients are multiplied by the scale and rounded to the
format, so that the small ones flush and the large ones overflow, and
the scaler unscales them in fp32 and looks for infinities;
\item{3.} the optimizer updates the stored weights, which are either an
fp32 master copy or the 16-bit weights themselves, rounded again after
every step.
\smallskip\noindent
The forward and backward passes themselves run in fp32, activations
included.  Real fp16 hardware multiplies in fp16 and accumulates in
fp32, and stores activations in fp16; the simulation leaves that error
out, and is therefore kinder to fp16 than the real thing.  Multiplying
the gradients by $S$ after the backward pass, instead of the loss before
it, gives the same numbers: in fp32 the backward pass is linear and a
power of two scales it exactly.

The runs differ only in their precision; they start from the same
weights and see the same batches:
@<Precision: types@>=
enum pr_fmt { fmt_fp32, fmt_fp16, fmt_bf16 };
enum pr_scaling { scaling_none, scaling_static, scaling_dynamic };
struct run_cfg {
  const char *name, *tex;   /* a column name, and a description for the table */
  enum pr_fmt fmt;          /* the 16-bit format, or none */
  bool master;              /* fp32 master weights? */
  enum pr_scaling scaling;
  double lr;                /* SGD's learning rate */
};

@ Eleven runs.  At the chapter's rate $\eta=|pr_eta|$: the fp32 reference;
fp16 with master weights and the three kinds of scaling; fp16 weights
with nothing behind them, given the dynamic scale; and bf16, with and
without master weights, unscaled.  At the small rate |small_eta|, for the
part on master weights: fp32, fp16 with and without master weights, and
bf16 weights.  The static scale is $2^{15}$, as above.
@d static_scale 32768.0f
@d small_eta 0.002
@d n_runs 11
@d n_main 7 /* the runs at the chapter's rate */
@<Precision: types@>=
static const struct run_cfg runs[n_runs] = {@/
  @[{"fp32", "fp32&fp32&---", fmt_fp32, true, scaling_none, pr_eta}@],@/
  @[{"fp16dyn", "fp32&fp16&dynamic", fmt_fp16, true, scaling_dynamic, pr_eta}@],@/
  @[{"fp16static", "fp32&fp16&$2^{15}$", fmt_fp16, true, scaling_static, pr_eta}@],@/
  @[{"fp16none", "fp32&fp16&none", fmt_fp16, true, scaling_none, pr_eta}@],@/
  @[{"fp16pure", "fp16&fp16&dynamic", fmt_fp16, false, scaling_dynamic, pr_eta}@],@/
  @[{"bf16", "fp32&bf16&none", fmt_bf16, true, scaling_none, pr_eta}@],@/
  @[{"bf16pure", "bf16&bf16&none", fmt_bf16, false, scaling_none, pr_eta}@],@/
  @[{"fp32small", "fp32&fp32&---", fmt_fp32, true, scaling_none, small_eta}@],@/
  @[{"fp16dynsmall", "fp32&fp16&dynamic", fmt_fp16, true, scaling_dynamic, small_eta}@],@/
  @[{"fp16puresmall", "fp16&fp16&dynamic", fmt_fp16, false, scaling_dynamic, small_eta}@],@/
  @[{"bf16puresmall", "bf16&bf16&none", fmt_bf16, false, scaling_none, small_eta}@]};

@ A run's results: one point per window of |window| steps for the
curves, the scale after every step, and the totals.  A {\it lost\/}
update is a parameter whose gradient was nonzero but whose stored value
did not change.
@<Precision: types@>=
struct run_result {
  size_t npts;
  double *loss, *lost;        /* per window: mean training loss, fraction of updates lost */
  float *scale, *safe;        /* per step: scale after the update, largest safe scale */
  bool *skipped;              /* per step */
  unsigned long long updates, lost_n, nonzero, flushed;
  long skips;
  double test_loss, test_acc;
};

@ Rounding a vector to a run's format, or copying it when the format is
fp32.  The stored weights of a run without master weights are already
16-bit values, and storing them again changes nothing.
@<Precision: functions@>=
static void store(enum pr_fmt f, const float *x, float *y, size_t n)
{
  if (f == fmt_fp32) { if (y != x) vec_copy(y, x, n); }
  else lowp_quantize(f == fmt_fp16 ? lowp_fp16 : lowp_bf16, x, y, n);
}
static size_t count_nonzero(const float *x, size_t n)
{
  size_t k = 0;
  for (size_t j = 0; j < n; j++) k += x[j] != 0.0f;
  return k;
}

@ The scaler of a run: PyTorch's defaults with the plan's growth interval
for the dynamic scale, a scale that never changes for the others.
@<Precision: functions@>=
static struct scaler run_scaler(const struct run_cfg *c, const struct pr_plan *pl)
{
  struct scaler s;
  scaler_defaults(&s);
  s.interval = pl->interval;
  if (c->scaling != scaling_dynamic)
    s.scale = c->scaling == scaling_static ? static_scale : 1.0f;
  return s;
}

@ One run is a session of its own, with the run's rate and scaler.  The
session can round the gradients to fp16 and drive the scaler itself
(its |fp16_grads|), but it rounds inside |session_backward|, where the
largest safe scale and the count of flushed entries can no longer be
taken, and it knows neither bf16 nor weights without a master copy.  So
the runs leave |fp16_grads| off and do the rounding between the two
halves of the step.  The session's weights are the stored ones, in fp32
or in the format; |w| keeps the master copy while the forward pass sees
it rounded.
@<Precision: functions@>=
static void train_run(const struct run_cfg *c, const struct dataset *d,
  const struct dataset *test, const struct pr_plan *pl, uint64_t seed,
  struct run_result *r)
{
  const struct scaler sc = run_scaler(c, pl);
  struct session *S = pr_session(d, seed, c->lr, &sc);
  const size_t n = S->m->nparams;
  float *p = S->m->params, *g = S->m->grads, *w = vec_new(n), *prev = vec_new(n);
  store(c->master ? fmt_fp32 : c->fmt, p, p, n);
  @<Precision: take |steps| steps, recording the curves@>@;
  store(c->fmt, p, p, n);
  r->test_loss = mlp_evaluate(S->m, test, &r->test_acc);
  vec_free(&w); vec_free(&prev); session_free(&S);
}

@ The curves are means over windows of steps.
@<Precision: take |steps| steps...@>=
const int W = pl->window;
double wloss = 0.0;
unsigned long long wupd = 0, wlost = 0;
r->npts = 0;
for (int t = 0; t < pl->steps; t++) {
  @<Precision: one step of simulated low-precision training@>@;
  if ((t + 1) % W == 0) {
    r->loss[r->npts] = wloss / W;
    r->lost[r->npts++] = wupd ? (double)wlost / (double)wupd : 0.0;
    r->updates += wupd; r->lost_n += wlost;
    wloss = 0.0; wupd = wlost = 0;
  }
}

@ The step, as described above: forward and backward on the rounded
weights; the largest scale that would not have overflowed, for the
figure; the scaled gradient rounded to the format; unscaling, and the
scaler's verdict; and the update, unless the step is skipped.
@<Precision: one step of simulated...@>=
if (c->master) vec_copy(w, p, n);
store(c->fmt, p, p, n);
wloss += session_backward(S);
if (c->master) vec_copy(p, w, n);
float gmax = 0.0f;
for (size_t j = 0; j < n; j++) gmax = fabsf(g[j]) > gmax ? fabsf(g[j]) : gmax;
r->safe[t] = (float)(65520.0 / gmax);
@<Precision: scale the gradient and round it to the format, counting the flushed entries@>@;
const bool found = scaler_unscale(&S->sc, g, n);
if (c->scaling == scaling_dynamic) scaler_update(&S->sc, found);
r->scale[t] = S->sc.scale;
r->skipped[t] = found;
r->skips += found;
if (!found) @<Precision: update the stored weights, counting the updates lost@>@;

@ Rounding may turn a nonzero entry into zero, never the reverse; the
difference of the counts is the number flushed.
@<Precision: scale the gradient and round...@>=
if (c->fmt != fmt_fp32) {
  const size_t before = count_nonzero(g, n);
  vec_scale(g, S->sc.scale, n);
  store(c->fmt, g, g, n);
  r->nonzero += before;
  r->flushed += before - count_nonzero(g, n);
}

@ The session's update steps the optimizer.  Without master weights the
updated weights are rounded back to the format, and an update smaller
than half the spacing at the weight is lost.
@<Precision: update the stored weights...@>=
{
  vec_copy(prev, p, n);
  session_update(S);
  if (!c->master) store(c->fmt, p, p, n);
  for (size_t j = 0; j < n; j++)
    if (g[j] != 0.0f) { wupd++; wlost += p[j] == prev[j]; }
}

@ A run's results live in arrays sized by the plan.
@<Precision: functions@>=
static struct run_result new_result(const struct pr_plan *pl)
{
  struct run_result r = @[{0}@];
  r.loss = xcalloc((size_t)pl->steps, sizeof(double));
  r.lost = xcalloc((size_t)pl->steps, sizeof(double));
  r.scale = xcalloc((size_t)pl->steps, sizeof(float));
  r.safe = xcalloc((size_t)pl->steps, sizeof(float));
  r.skipped = xcalloc((size_t)pl->steps, sizeof(bool));
  return r;
}
static void free_result(struct run_result *r)
{
  free(r->loss); free(r->lost); free(r->scale); free(r->safe); free(r->skipped);
}

@ The runs share one seed, so their differences are paired; but one seed
does not say how far apart two runs must end for the difference to mean
anything.  Two more fp32 runs at the chapter's rate, from the seeds
|seed+1| and |seed+2|, give the seed-to-seed spread of fp32's test
accuracy over three seeds, against which the table's runs are read: the
text quotes it, and the largest distance from the fp32 run's accuracy
of any fp16 or bf16 run that keeps fp32 master weights.
@d n_spread 3 /* seeds of the fp32 run */
@<Precision: functions@>=
static void seed_spread(struct chapter *o, const struct pr_plan *pl,@/
  const struct dataset *tv, const struct run_result *res)
{
  struct run_result r[n_spread - 1];
  double acc[n_spread] = {res[0].test_acc}, far = 0.0;
  for (int k = 0; k < n_spread - 1; k++) r[k] = new_result(pl);
  note("training: fp32 on %d more seeds", n_spread - 1);
  @<Precision: give each run to a thread of its own@>@;
  for (int k = 0; k < n_spread - 1; k++)
    train_run(&runs[0], o->train, tv, pl, o->seed + 1 + (uint64_t)k, &r[k]);
  for (int k = 0; k < n_spread - 1; k++) { acc[k + 1] = r[k].test_acc; free_result(&r[k]); }
  for (int k = 1; k < n_main; k++)
    if (runs[k].master && fabs(res[k].test_acc - res[0].test_acc) > far)
      far = fabs(res[k].test_acc - res[0].test_acc);
  const struct spread s = spread_of(acc, n_spread);
  printf("== training: fp32 accuracy over %d seeds %.4f +- %.4f (min %.4f, max %.4f); "@/
         "master-weight runs within %.4f of seed %llu's\n", n_spread, s.mean, s.sd,
         s.lo, s.hi, far, (unsigned long long)o->seed);
  values_put(o->values, "PRspreadSeeds", "%d", n_spread);
  values_put(o->values, "PRaccSpread", "$%.1f\\pm%.1f$\\%%", 100.0 * s.mean, 100.0 * s.sd);
  values_put(o->values, "PRaccRange", "%.1f", 100.0 * (s.hi - s.lo));
  values_put(o->values, "PRmasterFar", "%.1f", 100.0 * far);
}

@ Every run's session has the chapter's seed, so every run starts from
the same initial weights and sees the same batches.  The runs go in
parallel, each with its own session.  The evaluation uses the first |test_n| test images.
@<Precision: functions@>=
@<Precision: the training experiment's report@>@;
static void training_experiment(struct chapter *o)
{
  const struct pr_plan *pl = plan_of(o);
  struct dataset tv = *o->test;
  tv.n = pl->test_n;
  struct run_result res[n_runs];
  @<Precision: allocate the results of every run@>@;
  note("training: %d runs of %d steps", n_runs, pl->steps);
  @<Precision: give each run to a thread of its own@>@;
  for (int k = 0; k < n_runs; k++) train_run(&runs[k], o->train, &tv, pl, o->seed, &res[k]);
  training_report(o, pl, o->values, res);
  seed_spread(o, pl, &tv, res);
  @<Precision: free the results of every run@>@;
}

@ The runs are independent, and each is computed the same way whichever
thread computes it, so the results do not depend on the number of
threads.  (The matrix products inside a run would share out their rows
among threads too, but OpenMP does not nest parallel regions by default:
inside a run they use one thread.)
@<Precision: give each run to a thread of its own@>=
#pragma omp parallel for schedule(dynamic, 1)

@ The arrays of the results are sized by the plan (|new_result|, above).
@<Precision: allocate the results...@>=
for (int k = 0; k < n_runs; k++) res[k] = new_result(pl);

@ And freed.
@<Precision: free the results...@>=
for (int k = 0; k < n_runs; k++) free_result(&res[k]);

@ The report writes the curves, the scale's trajectory and a table of
the runs.
@<Precision: the training experiment's report@>=
static void training_report(const struct chapter *o, const struct pr_plan *pl,
  struct value_file *v, const struct run_result *res)
{
  @<Precision: write the loss curves and the fractions of updates lost@>@;
  @<Precision: write the trajectory of the dynamic scale@>@;
  @<Precision: print and tabulate the runs@>@;
}

@ Two tables with a column per run, one row per window.
@<Precision: write the loss curves...@>=
char header[256] = "step";
for (int k = 0; k < n_runs; k++) {
  appendf(header, sizeof header, "\t%s", runs[k].name);
}
struct tsv *tl = tsv_open(o->out, "loss.tsv", header);
struct tsv *tu = tsv_open(o->out, "lost.tsv", header);
for (size_t i = 0; i < res[0].npts; i++) {
  double a[1 + n_runs] = {(double)((i + 1) * pl->window)}, b[1 + n_runs] = {a[0]};
  for (int k = 0; k < n_runs; k++) { a[1 + k] = res[k].loss[i]; b[1 + k] = res[k].lost[i]; }
  tsv_row(tl, 1 + n_runs, a);
  tsv_row(tu, 1 + n_runs, b);
}
tsv_close(tl); tsv_close(tu);

@ The trajectory is the dynamic run's (run 1): the scale after each step,
the largest scale under which that step's gradient would not have
overflowed, and whether the step was skipped.  The text counts the
growths and the backoffs.
@<Precision: write the trajectory...@>=
const struct run_result *d = &res[1];
struct tsv *ts = tsv_open(o->out, "scale.tsv", "step\tscale\tsafe\tskipped");
int grows = 0, backs = 0, at[280] = {0}, mode = 0;
float lo = d->scale[0], hi = d->scale[0];
for (int t = 0; t < pl->steps; t++) {
  tsv_row(ts, 4, (double[4])@[{t + 1, d->scale[t], d->safe[t], d->skipped[t]}@]);
  if (++at[ilogbf(d->scale[t]) + 150] > at[mode]) mode = ilogbf(d->scale[t]) + 150;
  const float before = t ? d->scale[t - 1] : 65536.0f;
  grows += d->scale[t] > before; backs += d->scale[t] < before;
  lo = d->scale[t] < lo ? d->scale[t] : lo; hi = d->scale[t] > hi ? d->scale[t] : hi;
}
tsv_close(ts);
@<Precision: quote the trajectory@>@;

@ The scale's range is quoted as powers of two, with the scale at which
the run spent the most steps.
@<Precision: quote the trajectory@>=
printf("== training: dynamic scale, growth interval %d: %d growths, %d backoffs "@/
       "(skipped steps), scale 2^%d .. 2^%d, final 2^%d\n", pl->interval, grows, backs,
       ilogbf(lo), ilogbf(hi), ilogbf(d->scale[pl->steps - 1]));
values_put(v, "PRinterval", "%d", pl->interval);
values_put(v, "PRsteps", "%d", pl->steps);
values_put(v, "PRgrowths", "%d", grows);
values_put(v, "PRbackoffs", "%d", backs);
values_put(v, "PRscaleLo", "2^{%d}", ilogbf(lo));
values_put(v, "PRscaleHi", "2^{%d}", ilogbf(hi));
values_put(v, "PRscaleEnd", "2^{%d}", ilogbf(d->scale[pl->steps - 1]));
values_put(v, "PRscaleMode", "2^{%d}", mode - 150);
values_put(v, "PRscaleModeFrac", "%.0f\\%%", 100.0 * at[mode] / pl->steps);
values_put(v, "PRepochs", "%.1f", pl->steps * (double)pr_batch / (double)o->train->n);

@ The table of the runs: how each stores weights and gradients, how it
scales, the steps it skipped, the gradient entries it flushed, the
updates it lost, and where it ended.  The text gets two tables: the runs
at the chapter's rate, for the scaling (Table~\tableref{06-runs}), and
the runs with and without master weights at both rates
(Table~\tableref{06-master}).
@<Precision: print and tabulate the runs@>=
char tab[2048] = "", mtab[2048] = "";
printf("%-14s %6s %6s %9s %9s %10s %9s\n", "run", "eta", "skips", "flushed%", "lost%",
       "test loss", "accuracy");
for (int k = 0; k < n_runs; k++) {
  const struct run_result *q = &res[k];
  const double fl = pct(q->flushed, q->nonzero), ls = pct(q->lost_n, q->updates);
  printf("%-14s %6g %6ld %9.3f %9.3f %10.4f %9.4f\n", runs[k].name, runs[k].lr, q->skips,
         fl, ls, q->test_loss, q->test_acc);
  @<Precision: add run |k| to the tables of the text@>@;
  @<Precision: quote the numbers of run |k|@>@;
}
printf("\n");
values_put(v, "PRrunTable", "%s", tab);
values_put(v, "PRmasterTable", "%s", mtab);
values_put(v, "PRtestN", "%s", tex_count(tab, sizeof tab, pl->test_n));

@ The runs at the chapter's rate go to the first table; the fp32 run,
the runs without master weights, and all the runs at the small rate to
the second, each rate after a little space.
@<Precision: add run |k| to the tables...@>=
if (k < n_main)
  appendf(tab, sizeof tab, "%s&%ld&%.3f\\%%&%.2f\\%%&%.3f&%.1f\\%%\\cr\n",
          runs[k].tex, q->skips, fl, ls, q->test_loss, 100.0 * q->test_acc);
if (k == n_main) appendf(mtab, sizeof mtab, "\\noalign{\\smallskip}");
if (k == 0 || k >= n_main || !runs[k].master)
  appendf(mtab, sizeof mtab, "%g&%s&%.2f\\%%&%.3f&%.1f\\%%\\cr\n", runs[k].lr,
          runs[k].tex, ls, q->test_loss, 100.0 * q->test_acc);

@ Each run's numbers get macros named after the run, \.{PRaccDyn} and
so on, with words for the formats, since \TeX\ macro names are letters
only.
@<Precision: quote the numbers of run |k|@>=
{
  static const char *const tag[n_runs] = {"Single", "Dyn", "Static", "None", "Pure",
    "Brain", "BrainPure", "SingleSmall", "DynSmall", "PureSmall", "BrainPureSmall"};
  char name[64];
  snprintf(name, sizeof name, "PRacc%s", tag[k]);
  values_put(v, name, "%.1f\\%%", 100.0 * q->test_acc);
  snprintf(name, sizeof name, "PRloss%s", tag[k]);
  values_put(v, name, "%.3f", q->test_loss);
  snprintf(name, sizeof name, "PRlost%s", tag[k]);
  values_put(v, name, "%.2f\\%%", ls);
  snprintf(name, sizeof name, "PRflush%s", tag[k]);
  values_put(v, name, "%.3f\\%%", fl);
  snprintf(name, sizeof name, "PRskips%s", tag[k]);
  values_put(v, name, "%ld", q->skips);
}

@ The runs took \val{PRsteps} steps of $B=64$, about \val{PRepochs}
epochs.  PyTorch's growth interval of 2000 steps would let the dynamic
scale grow at most once in a run this short, so the runs use an interval
of \val{PRinterval}: the rule is the same, the clock faster.
Figure~\figref{06-precision-scale} shows the scale of the run with fp16
gradients, master weights and $\eta=0.05$.  From $2^{16}$ it grew
\val{PRgrowths} times and backed off \val{PRbackoffs} times, each backoff
costing one skipped step, and moved between $\val{PRscaleLo}$ and
$\val{PRscaleHi}$, ending at $\val{PRscaleEnd}$; it spent
\val{PRscaleModeFrac} of the steps at $\val{PRscaleMode}$.  The thin line
is the largest scale under which each step's gradient would have stayed
finite.  It is noisy, since a single large gradient entry sets it, and
the scaler does not follow it: each doubling is a bet that every step
until the next one stays under the line, and a doubling that brings the
scale close to the line is lost at one of the next dips, sometimes only
a few steps later.  The scale settles at a level that the dips rarely reach.
\bookfigure{06-precision-scale}{The dynamic loss scale of simulated fp16
training (PyTorch's rule, growth interval \val{PRinterval}), against the
step.  Thin line: the largest scale under which the step's gradient
would not overflow fp16, $65520/\max_i\vert g_i\vert$.  Dots: skipped
steps, where the scaled gradient overflowed and the scale was halved.}

Table~\tableref{06-runs} gives the seven runs at $\eta=0.05$, with their
test loss and accuracy on \val{PRtestN} test images at the end.
\booktable{06-runs}{Simulated mixed-precision training of the MLP by SGD
with $\eta=0.05$ for \val{PRsteps} steps, all from the same weights on
the same batches: the formats of the weights and of the gradients, the
loss scale, the skipped steps, the shares of nonzero gradient entries
flushed and of updates lost over the run, and the test loss and accuracy
at the end.}
{\vbox{\halign{#\hfil\quad&#\hfil\quad&#\hfil\quad&\hfil#\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\quad&\hfil#\cr
weights&gradients&scale&skipped&flushed&updates lost&test loss&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\PRrunTable}}}
\noindent
With fp32 master weights every fp16 run ended where fp32 did: test
accuracy \val{PRaccSingle} in fp32, \val{PRaccDyn} with the dynamic
scale, \val{PRaccStatic} with the static one, \val{PRaccNone} with no
scale at all.  These are single runs on one seed; the fp32 run itself,
repeated on \val{PRspreadSeeds} seeds, ended at \val{PRaccSpread}
(a range of \val{PRaccRange} points), while every run with master
weights ended within \val{PRmasterFar} points of the fp32 run of the
same seed.  So the differences between the rows are far below what a
change of seed does, and the table shows no format better than fp32,
only none worse.  Without a scale, \val{PRflushNone} of the nonzero
gradient entries were flushed over the run, against \val{PRflushDyn}
with the dynamic scale and \val{PRflushStatic} with the static one; at
this network's size that made no difference that the test set can
measure.  The static scale never overflowed (\val{PRskipsStatic} skipped
steps), since the gradients stayed below $65520/2^{15}\approx2$: a safe
guess for this network, but a guess.  The dynamic scale paid
\val{PRskipsDyn} skipped steps for not having to guess.  For this small
network the scale is insurance; it pays off in deeper networks with
smaller gradients.

@*1 Master weights.
The update of a weight $w$ by SGD is $\eta g$, and with $\eta=0.05$ and a
gradient of $10^{-4}$ it is $5\times10^{-6}$.  If $w$ is stored in fp16
and is about $0.05$, the representable numbers near it are $2^{-15}
\approx3\times10^{-5}$ apart, and $w-\eta g$ rounds straight back to $w$:
the update is {\it lost}.  A weight stored in fp16 moves only when its
update exceeds half the spacing at the weight, about $2^{-11}$ of the
weight; in bf16, about $2^{-8}$.  Many updates in training are smaller
than that, and they get smaller as the learning rate decays.  The cure is
to keep the weights in fp32, the {\it master weights}, to apply the
updates there, and to round them to 16 bits only for the forward and
backward passes: small updates accumulate in the master copy until they
show.

The runs of Table~\tableref{06-master} measure it, at the chapter's rate
and at a small rate, $\eta=0.002$, each with its fp32 reference.  The
``updates lost'' column counts, over the run, the parameters whose
gradient was nonzero but whose stored value did not change.
\booktable{06-master}{Simulated mixed-precision training at the
chapter's rate and at $\eta=0.002$, with the weights stored in fp32 (the
reference, and the master weights of fp16 training) or in 16 bits: the
share of updates lost over the run, and the test loss and accuracy at
the end.}
{\vbox{\halign{\hfil#\quad&#\hfil\quad&#\hfil\quad&#\hfil\quad&\hfil#\quad
  &\hfil#\quad&\hfil#\cr
$\eta$&weights&gradients&scale&updates lost&test loss&accuracy\cr
\noalign{\smallskip\hrule\smallskip}
\PRmasterTable}}}
\noindent
At $\eta=0.05$ the fp16 weights lost \val{PRlostPure} of their updates and
the bf16 weights \val{PRlostBrainPure}, and yet both runs ended close to
fp32, at test loss \val{PRlossPure} and \val{PRlossBrainPure} against
\val{PRlossSingle}.  A lost update is not lost for good: the next update
of the same weight may be larger, and rounding to nearest turns an update
between half a spacing and a whole one into a whole one, so the weights
still move, only more coarsely.  At the small rate the updates are 25
times smaller, and the loss is plain to see (Figure~\figref{06-precision-master}):
fp16 weights lost \val{PRlostPureSmall} of their updates and ended at test
loss \val{PRlossPureSmall}, against \val{PRlossSingleSmall} for fp32;
bf16 weights lost \val{PRlostBrainPureSmall} and stalled at
\val{PRlossBrainPureSmall}.  With master weights, fp16 at the same rate
ended at \val{PRlossDynSmall}, as fp32 did.  (Even fp32 loses a few
updates, \val{PRlostSingle} of them at $\eta=0.05$: an update below half
the spacing at its weight, about $2^{-24}$ of the weight, vanishes there
too.)
\bookfigure{06-precision-master}{Left: training loss (mean over windows
of 50 steps) of the MLP trained by SGD with $\eta=0.002$, in fp32, and in
simulated fp16 with fp32 master weights (circles), with fp16 weights and with bf16
weights.  Right: the fraction of nonzero updates that did not change the
stored weight, per window, at $\eta=0.002$ (solid) and $\eta=0.05$
(thick dashes), in the colours of the left; fp16 with master weights loses
none, so it is not drawn.  All runs start from the same weights and see the same
batches.}

@ Bfloat16 needs no loss scale.  Its range is the |float|'s, and in the
measurement of real gradients above \val{PRgradFlushBrain} entries were
flushed.  The run with bf16 gradients, fp32 master weights and no scale
ended at test accuracy \val{PRaccBrain} and loss \val{PRlossBrain},
against \val{PRaccSingle} and \val{PRlossSingle} for fp32, having flushed
\val{PRflushBrain} of its gradient entries over the run.  What bf16 gives
up is precision, and that matters where small differences accumulate: in
weights, as the bf16-weight runs show, and in sums.

@ The whole recipe of this part and the last, the one PyTorch's automatic
mixed precision follows, fits in one diagram.  The {\it flow\/}
experiment writes it as data: the boxes, one row each, to
\.{flow-nodes.tsv}, with their place, their kind (fp32, 16 bits, or the
scaler's logic) and two lines of text, and the arrows to
\.{flow-edges.tsv}, cut at the edges of the boxes.  The scaler's numbers
in the text are those of |scaler_defaults|, so the diagram shows the
defaults the library actually has.  The text has no \TeX\ commands in
it, since gnuplot's labels drop backslashes read from data; an arrow
without a label has ``-'' in that column, since gnuplot reads an empty
column as missing.
@^mixed precision@>
@^loss scaling@>
@d n_flow_nodes 9
@d flow_w 3.1 /* a box's width and height, in the diagram's units */
@d flow_h 1.2
@<Precision: functions@>=
struct flow_node { double x, y; int kind; const char *l1; char l2[64]; };
static void flow_experiment(struct chapter *o)
{
  struct scaler s;
  scaler_defaults(&s);
  struct flow_node nd[n_flow_nodes] = {@/
    @[{1.65, 5, 0, "master weights $w$", "fp32"}@],@/
    @[{5.25, 5, 1, "cast $w$ to", "fp16 or bf16"}@],@/
    @[{8.85, 5, 1, "forward pass:", "the loss $L$"}@],@/
    @[{12.45, 5, 2, "multiply $L$ by $S$", ""}@],@/
    @[{12.45, 3, 1, "backward pass:", "gradient times $S$"}@],@/
    @[{8.85, 3, 0, "unscale in fp32:", "divide by $S$"}@],@/
    @[{5.25, 3, 2, "an inf or NaN", "in the gradient?"}@],@/
    @[{1.65, 3, 0, "step $w$ in fp32;", ""}@],@/
    @[{1.65, 1, 2, "skip the step;", ""}@]};
  snprintf(nd[3].l2, sizeof nd[3].l2, "$S=%.0f$ at first", s.scale);
  snprintf(nd[7].l2, sizeof nd[7].l2, "$S$ times %g per %ld", s.growth,
           s.interval);
  snprintf(nd[8].l2, sizeof nd[8].l2, "$S$ times %g", s.backoff);
  struct tsv *t = tsv_open(o->out, "flow-nodes.tsv", "x\ty\tkind\tline1\tline2");
  for (int k = 0; k < n_flow_nodes; k++)
    tsv_printf(t, "%g\t%g\t%d\t%s\t%s\n", nd[k].x, nd[k].y, nd[k].kind, nd[k].l1, nd[k].l2);
  tsv_close(t);
  @<Precision: write the arrows of the flow@>@;
  printf("== flow: the mixed-precision step as %d boxes, "@/
         "scale %g, growth %g every %ld steps, "@/
         "backoff %g\n\n", n_flow_nodes, s.scale, s.growth,
         s.interval, s.backoff);
  values_put(o->values, "PRflowScale", "%.0f", s.scale);
  values_put(o->values, "PRflowGrowth", "%g", s.growth);
  values_put(o->values, "PRflowBackoff", "%g", s.backoff);
  values_put(o->values, "PRflowInterval", "%ld", s.interval);
}

@ An arrow runs between the centres of two boxes, cut where it leaves
the first and enters the second; its label, if any, sits at its middle,
above a level arrow and to the right of a sloping one.
@<Precision: write the arrows of the flow@>=
static const struct { int from, to; const char *label; } ed[] = {@/
  @[{0, 1, "-"}, {1, 2, "-"}, {2, 3, "-"}, {3, 4, "-"}, {4, 5, "-"}@],@/
  @[{5, 6, "-"}, {6, 7, "no"}, {6, 8, "yes"}, {7, 0, "-"}@]};
struct tsv *e = tsv_open(o->out, "flow-edges.tsv", "x1\ty1\tx2\ty2\tlx\tly\tlabel");
for (size_t k = 0; k < sizeof ed / sizeof ed[0]; k++) {
  const struct flow_node *a = &nd[ed[k].from], *b = &nd[ed[k].to];
  double dx = b->x - a->x, dy = b->y - a->y;
  double c = fmin(dx != 0 ? flow_w / 2 / fabs(dx) : 1e9,
                  dy != 0 ? flow_h / 2 / fabs(dy) : 1e9);
  double lx = (a->x + b->x) / 2 + (dy != 0 ? 0.35 : 0.0);
  double ly = (a->y + b->y) / 2 + (dy != 0 ? -0.2 : 0.25);
  tsv_printf(e, "%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\n", a->x + c * dx,
             a->y + c * dy, b->x - c * dx, b->y - c * dy, lx, ly, ed[k].label);
}
tsv_close(e);

@ Figure~\figref{06-precision-flow} is the step that this part and the
last have built, read clockwise from the master weights.  Only the two
passes through the network run in 16 bits (orange); the weights and
their update stay in fp32 (blue), and between the two the loss scaler
(grey) multiplies the loss by $S$, starting at $S=\val{PRflowScale}$,
before the backward pass, so that small gradients do not underflow in fp16,
and divides the gradient by $S$ in fp32 after it.  If that
gradient holds an inf or a NaN, the step is skipped, the weights are
kept as they were, and $S$ is multiplied by \val{PRflowBackoff}; after
\val{PRflowInterval} clean steps in a row it is multiplied by
\val{PRflowGrowth}.  With bf16 the scaler's boxes can be left out, as
the previous section measured, and the rest of the picture stands.
\bookfigure{06-precision-flow}{One step of mixed-precision training,
as the library's pieces do it: fp32 master weights are cast to 16 bits
for the forward and backward passes; the loss is multiplied by the
scale $S$ (PyTorch's default $S=\val{PRflowScale}$ at first), the
gradient divided by it in fp32 and checked; a clean gradient updates the
master weights, an overflow skips the step and lowers $S$.}

@*1 Sums in low precision.
A sum of $n$ numbers accumulated one at a time in a format with $p$
significant bits stalls once the running sum is so large that every new
term is below half its spacing, about $2^p$ times the size of the
terms: in fp16, with terms below~1, at a sum of $2^{11}=2048$.  Long
before that every addition rounds, and the errors add up.  Mixed-precision hardware
therefore multiplies 16-bit numbers and accumulates the products in
fp32, and libraries reduce in fp32: a loss averaged over a batch, the
norm of a gradient, the statistics of a normalization layer.

The experiment adds $n=\val{PRsumN}$ random numbers, uniform multiples of
$1/256$ in $[0,1)$, so that every term is exact in all three formats, and
keeps four running sums: in fp32, in fp16 and in bf16 (each rounded
after every addition), and the exact sum, as an integer count of
$1/256$ units.  It also adds the same terms {\it pairwise\/} in fp16:
halves, quarters, and so on, each partial sum rounded, which keeps the
two operands of every addition of similar size.
@<Precision: functions@>=
static float round_to(enum lowp f, float x)
{
  return lowp_to_float(f, lowp_from_float(f, x));
}
static float pairwise_fp16(const float *x, size_t n)
{
  if (n == 1) return x[0];
  return round_to(lowp_fp16, pairwise_fp16(x, n / 2) + pairwise_fp16(x + n / 2, n - n / 2));
}
static float seq_fp16(const float *x, size_t n)
{
  float s = 0.0f;
  for (size_t i = 0; i < n; i++) s = round_to(lowp_fp16, s + x[i]);
  return s;
}

@ The running sums are recorded at about four points per doubling of $n$.
Every addition is exact before it is rounded: the partial sums are
multiples of $1/256$ below $2^{16}$ in the 16-bit formats, which fit in a
|float|'s 24 bits.
@<Precision: functions@>=
@<Precision: quote the sums@>@;
static void sums_experiment(struct chapter *o)
{
  struct rng r;
  rng_seed(&r, o->seed, 3);
  const size_t n = plan_of(o)->sum_n;
  float *x = vec_new(n), s32 = 0.0f, s16 = 0.0f, sbf = 0.0f;
  unsigned long long exact = 0;   /* in units of $1/256$ */
  struct tsv *t = tsv_open(o->out, "sums.tsv", "n\texact\tfp32\tfp16\tbf16\tfp16pair");
  size_t next = 1;
  for (size_t k = 1, j = 0; k <= n; k++) {
    const uint32_t u = rng_below(&r, 256);
    x[k - 1] = (float)u / 256.0f;
    exact += u; s32 += x[k - 1];
    s16 = round_to(lowp_fp16, s16 + x[k - 1]); sbf = round_to(lowp_bf16, sbf + x[k - 1]);
    if (k == next) @<Precision: record the sums after |k| terms@>@;
  }
  tsv_close(t);
  sums_report(o->values, n, exact / 256.0, s32, s16, sbf, pairwise_fp16(x, n), x);
  vec_free(&x);
}

@ A row of the table, and the next point: $\lfloor2^{j/4}\rfloor$, or one
more than this one, whichever is larger.
@<Precision: record the sums...@>=
{
  tsv_row(t, 6, (double[6])@[{(double)k, exact / 256.0, s32, s16, sbf, pairwise_fp16(x, k)}@]);
  while (next <= k) next = (size_t)floor(pow(2.0, ++j / 4.0));
  if (next > n && k < n) next = n;
}

@ The report: each sum, the relative error of the fp32 one, and, for the
pairwise fp16 sum, the largest power of two of terms at which it was
still finite.
@<Precision: quote the sums@>=
static void sums_report(struct value_file *v, size_t n, double exact, float s32, float s16,
  float sbf, float pair, const float *x)
{
  char a[64];
  printf("== sums: %zu terms, uniform multiples of 1/256 in [0,1)\n", n);
  printf("exact %.9g\nfp32  %.9g (relative error %.3g)\n", exact, s32, (s32 - exact) / exact);
  printf("fp16  %.9g\nbf16  %.9g\nfp16 pairwise %.9g\n\n", s16, sbf, pair);
  values_put(v, "PRsumN", "%s", tex_count(a, sizeof a, n));
  values_put(v, "PRsumExact", "%.9g", exact);
  values_put(v, "PRsumSingle", "%.9g", s32);
  values_put(v, "PRsumSingleErr", "%s", tex_num(a, sizeof a, fabs(s32 - exact) / exact, 2));
  values_put(v, "PRsumHalf", "%.9g", s16);
  values_put(v, "PRsumBrain", "%.9g", sbf);
  values_put(v, "PRsumPair", "%s", tex_num(a, sizeof a, pair, 9));
  @<Precision: find and quote the last finite pairwise sum@>@;
}

@ The pairwise sum of the first $2^k$ terms, for the largest $2^k$ at
which it is finite, and its error against the exact sum of those terms.
@<Precision: find and quote the last finite pairwise sum@>=
size_t m = 1;
while (2 * m <= n && isfinite(pairwise_fp16(x, 2 * m))) m *= 2;
double e = 0.0;
for (size_t i = 0; i < m; i++) e += x[i];
const float p = pairwise_fp16(x, m);
values_put(v, "PRpairN", "2^{%d}", ilogb((double)m));
values_put(v, "PRpairErr", "%s", tex_num(a, sizeof a, fabs(p - e) / e, 2));
values_put(v, "PRseqErr", "%s", tex_num(a, sizeof a, fabs(seq_fp16(x, m) - e) / e, 2));

@ The sums, in Figure~\figref{06-precision-sums}.  The exact sum of the
\val{PRsumN} terms is \val{PRsumExact}.  Accumulated in fp32 it came to
\val{PRsumSingle}, a relative error of $\val{PRsumSingleErr}$.  In fp16 the
running sum stopped at \val{PRsumHalf}, and in bf16 at \val{PRsumBrain}:
from there on every term is less than half the spacing and is rounded
away.  Pairwise summation in fp16 does much better while it lasts: over
the first $\val{PRpairN}$ terms its relative error was $\val{PRpairErr}$,
where the sequential fp16 sum of the same terms had a relative error
of $\val{PRseqErr}$.  But the full sum, about half a million, is beyond
fp16's range, and the pairwise sum of all the terms is
$\val{PRsumPair}$.  A 16-bit format can hold the terms of a large sum but
not, in general, the sum: reductions belong in fp32.
\bookfigure{06-precision-sums}{Running sums of uniform random numbers in
$[0,1)$, accumulated one at a time in fp32, fp16 and bf16, and pairwise in
fp16, against the number of terms $n$.  Left: the sums; the fp32 sum lies
on the exact one, the 16-bit sums stall where the terms fall below half
the spacing, and the pairwise fp16 sum follows the exact one until it
overflows.  Right: their relative errors, where not zero (the fp32 sum is
exact for small $n$).}

@*1 Summary.
Binary16 and bfloat16 were built bit for bit: round to nearest with ties
to even, overflow to infinity from $65520$ in fp16, subnormals kept down
to $2^{-24}$, NaN kept NaN, and bf16 with the |float|'s exponent.  The
check against the processor's instructions covered \PRcheckWhat: for
binary16, \PRcheckHalf; for bfloat16, \PRcheckBrain.
Of the real weight gradients of a small MLP, \val{PRflushAll} of the nonzero
entries flushed to zero in fp16 and \val{PRsubAll} were subnormal; of
its activation gradients, \val{PRactFlush} and \val{PRactSub}, most of
the flushed ones at the logits; a scale of $2^{15}$ rescued nearly all
of them.  PyTorch's dynamic scale
found its level on its own, oscillating below the largest safe scale at
the cost of \val{PRbackoffs} skipped steps in \val{PRsteps}.  Weights
stored in 16 bits lost many of their updates: at $\eta=0.05$,
\val{PRlostPure} in fp16 and \val{PRlostBrainPure} in bf16, with little
harm to the result; at $\eta=0.002$, \val{PRlostPureSmall} and
\val{PRlostBrainPureSmall}, and the fp16 run ended behind fp32 while the
bf16 run stalled.  Every run with fp32 master weights ended where fp32
did.  Sums accumulated in 16 bits stalled; in fp32 they were right to
$\val{PRsumSingleErr}$.

@ The papers and documents cited in this chapter:
IEEE Standard for Floating-Point Arithmetic, IEEE Std 754-2008 (binary16,
round to nearest even);
P.~Micikevicius et~al., ``Mixed precision training,'' ICLR 2018 (loss
scaling, master weights, fp32 accumulation);
D.~Kalamkar et~al., ``A study of BFLOAT16 for deep learning training,''
arXiv:1905.12322, 2019;
N.~J.~Higham, ``The accuracy of floating point summation,'' {\it SIAM
J. Sci.\ Comput.\/} 14, 1993 (pairwise summation);
PyTorch~1.13, \.{torch.cuda.amp.GradScaler} and its kernel
\.{\_amp\_update\_scale\_} (the dynamic scaling rule; since PyTorch~2.3
the class is \.{torch.amp.GradScaler}, given the device \.{"cuda"} as its
first argument, with the same rule).

@*1 Exercises.
Each exercise asks for a prediction first.  Write it down, change the
source, rebuild with \.{make}, and run
\.{build/bin/06-precision --only NAME}.

\smallskip\item{1.} In the table of hard cases (Table~\tableref{06-hard}),
add $65519$ and $65521$, and $1+2^{-11}+2^{-23}$.  Predict their fp16 patterns.  Then predict the
bf16 pattern of $1+2^{-8}$ and of $1+3\cdot2^{-8}$.

\item{2.} Change |fp16_from| to round ties away from zero (drop the
``last kept bit'' term and add $2^{12}$ instead of $2^{12}-1$).  How many
of the $2^{32}$ inputs will the check find different from F16C?  Count
the ties first.

\item{3.} In the gradient experiment, measure after 100 steps of training
instead of |pre_steps|, and after 10\,000.  Predict how the fraction
flushed changes as the network trains.

\item{4.} Give the dynamic scaler PyTorch's interval of 2000 and
set the initial scale to $2^{24}$.  How many steps are skipped before the
scale settles?  (Each backoff halves it.)

\item{5.} Add runs with fp16 and bf16 weights at $\eta=0.01$ to |runs|.
From the two rates measured, predict the fraction of updates lost and
the test loss of each.

\item{6.} Keep the bf16 weights, but round them {\it stochastically\/}
after each update: up with probability equal to the distance from the
lower neighbour, as a fraction of the spacing (the expected value is then
the exact one).  Predict whether the bf16-weight run at $\eta=0.002$
still stalls.

\item{7.} Sum the terms in fp16 but in blocks of 1024, each block
accumulated in fp16 and the block sums added in fp32.  Predict the
error.
