#!/bin/bash
# tests/trainer.sh BINDIR -- the chapter-9 trainer's promises, on a small network:
#   - killed with SIGKILL after a checkpoint, or stopped by SIGTERM mid-epoch, and
#     resumed with --resume, it ends with the same checkpoint, byte for byte, as an
#     uninterrupted run;
#   - the same bytes with 1 and 2 OpenMP threads, and on every GEMM path the
#     processor has (--gemm scalar, avx2, avx512: the kernels add in one order);
#   - the fused clip+AdamW pass and the library's unfused one agree to rounding;
#   - --precision bf16 gives the same bytes on every path and thread count;
#   - a NaN injected into a weight stops the run with exit 1 and one line naming
#     the step and the tensor; a corrupt checkpoint, a missing one and one of
#     another network are refused in one line with exit 1; bad sizes with exit 2.
# Last line: "trainer: N/M checks passed".
set -u
bindir=${1:?usage: tests/trainer.sh BINDIR}
prog=$bindir/09-trainer
work=$(mktemp -d "${TMPDIR:-/tmp}/descent-trainer-XXXXXX"); trap 'rm -rf "$work"' EXIT
pass=0 total=0
check() { total=$((total + 1)); if eval "$2"; then pass=$((pass + 1)); else echo "trainer: FAIL $1"; fi; }
export OMP_WAIT_POLICY=passive
A=(--only train --sizes 784,64,10 --train-size 6400 --batch 64 --epochs 4)

OMP_NUM_THREADS=2 "$prog" "${A[@]}" --out "$work/straight" >/dev/null 2>&1
check "uninterrupted run" '[ -s "$work/straight/trainer.ckpt" ]'

# SIGKILL once the first checkpoint exists (the end of epoch 1), then resume
OMP_NUM_THREADS=2 "$prog" "${A[@]}" --out "$work/killed" >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 3000); do [ -f "$work/killed/trainer.ckpt" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.01; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
OMP_NUM_THREADS=2 "$prog" "${A[@]}" --out "$work/killed" --resume >/dev/null 2>"$work/killed.err"; rc=$?
check "SIGKILL after a checkpoint, --resume: exit 0, resumed" '[ $rc -eq 0 ] && grep -q resumed "$work/killed.err"'
check "SIGKILL, --resume: the same final checkpoint" 'cmp -s "$work/straight/trainer.ckpt" "$work/killed/trainer.ckpt"'

# SIGTERM mid-epoch: a checkpoint of that exact step, exit 1 with one line
OMP_NUM_THREADS=2 "$prog" "${A[@]}" --out "$work/term" >/dev/null 2>"$work/term.err" & pid=$!
for _ in $(seq 1 3000); do [ -f "$work/term/trainer.ckpt" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.01; done
sleep 0.05; kill -TERM $pid 2>/dev/null; wait $pid; rc=$?
if grep -q interrupted "$work/term.err"; then
  check "SIGTERM: exit 1 and a line naming the step" '[ $rc -eq 1 ] && [ "$(grep -c interrupted "$work/term.err")" -eq 1 ]'
fi
OMP_NUM_THREADS=2 "$prog" "${A[@]}" --out "$work/term" --resume >/dev/null 2>&1
check "SIGTERM, --resume: the same final checkpoint" 'cmp -s "$work/straight/trainer.ckpt" "$work/term/trainer.ckpt"'

# thread count and GEMM path
OMP_NUM_THREADS=1 "$prog" "${A[@]}" --out "$work/one" >/dev/null 2>&1
check "1 thread and 2 threads: the same checkpoint" 'cmp -s "$work/straight/trainer.ckpt" "$work/one/trainer.ckpt"'
B=(--only train --sizes 784,32,10 --train-size 1280 --batch 64 --epochs 1)
"$prog" "${B[@]}" --out "$work/p-auto" >/dev/null 2>&1
for p in scalar avx2 avx512; do
  if "$prog" "${B[@]}" --gemm $p --out "$work/p-$p" >/dev/null 2>"$work/p.err"; then
    check "--gemm $p: the same checkpoint as the automatic choice" \
      'cmp -s "$work/p-auto/trainer.ckpt" "$work/p-$p/trainer.ckpt"'
  else
    check "--gemm $p refused in one line, exit 2 (the processor lacks it)" \
      '[ "$(wc -l <"$work/p.err")" -eq 1 ] && grep -q "has no $p" "$work/p.err"'
  fi
done

# bf16 products (--precision bf16): the same bytes on the scalar definition and
# on the AVX512-BF16 path, and with 1 and 2 threads; not the fp32 bytes; a
# precision that does not exist refused with exit 2
OMP_NUM_THREADS=2 "$prog" "${B[@]}" --precision bf16 --out "$work/bf-auto" >/dev/null 2>&1
OMP_NUM_THREADS=1 "$prog" "${B[@]}" --precision bf16 --gemm scalar --out "$work/bf-scalar" >/dev/null 2>&1
check "--precision bf16: a checkpoint, not the fp32 one" \
  '[ -s "$work/bf-auto/trainer.ckpt" ] && ! cmp -s "$work/bf-auto/trainer.ckpt" "$work/p-auto/trainer.ckpt"'
check "--precision bf16: the scalar path on 1 thread gives the same checkpoint" \
  'cmp -s "$work/bf-auto/trainer.ckpt" "$work/bf-scalar/trainer.ckpt"'
"$prog" "${B[@]}" --precision fp16 --out "$work/bf-bad" >/dev/null 2>"$work/bf.err"; rc=$?
check "--precision fp16: exit 2, one line" '[ $rc -eq 2 ] && [ "$(wc -l <"$work/bf.err")" -eq 1 ]'

# fused against unfused: the final test loss to 1e-3
l1=$("$prog" "${B[@]}" --out "$work/f1" 2>/dev/null | sed -n 's/^train: test loss \([0-9.]*\).*/\1/p')
l2=$("$prog" "${B[@]}" --no-fuse --out "$work/f2" 2>/dev/null | sed -n 's/^train: test loss \([0-9.]*\).*/\1/p')
check "fused and unfused AdamW agree ($l1, $l2)" \
  "awk -v a='$l1' -v b='$l2' 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 1e-3 * a) }'"

# bad numbers and bad input
"$prog" "${B[@]}" --inject-nan 3 --out "$work/nan" >/dev/null 2>"$work/nan.err"; rc=$?
check "a NaN weight: exit 1, one line naming step 3 and W0" \
  '[ $rc -eq 1 ] && [ "$(wc -l <"$work/nan.err" )" -ge 1 ] && grep -q "step 3: .*W0\[0\] is nan" "$work/nan.err"'
cp "$work/p-auto/trainer.ckpt" "$work/bad.ckpt"
printf '\x55' | dd of="$work/bad.ckpt" bs=1 seek=200 conv=notrunc 2>/dev/null
"$prog" "${B[@]}" --resume --checkpoint "$work/bad.ckpt" --out "$work/bad" >/dev/null 2>"$work/bad.err"; rc=$?
check "a corrupt checkpoint: exit 1, one line, nothing written" \
  '[ $rc -eq 1 ] && [ "$(wc -l <"$work/bad.err")" -eq 1 ] && grep -q checksum "$work/bad.err" && [ ! -e "$work/bad" ]'
"$prog" "${B[@]}" --resume --checkpoint "$work/none.ckpt" --out "$work/none" >/dev/null 2>"$work/none.err"; rc=$?
check "a missing checkpoint: exit 1, one line" '[ $rc -eq 1 ] && [ "$(wc -l <"$work/none.err")" -eq 1 ]'
"$prog" --only train --sizes 784,48,10 --train-size 1280 --batch 64 --epochs 1 --resume \
  --checkpoint "$work/p-auto/trainer.ckpt" --out "$work/other" >/dev/null 2>"$work/other.err"; rc=$?
check "a checkpoint of another network: exit 1, one line" \
  '[ $rc -eq 1 ] && [ "$(wc -l <"$work/other.err")" -eq 1 ] && grep -q "another" "$work/other.err"'
for bad in 784,x 100,10 784 784,0,10 784,,10; do
  "$prog" --sizes "$bad" --out "$work/never" >/dev/null 2>"$work/sz.err"; rc=$?
  check "--sizes $bad: exit 2, one line" '[ $rc -eq 2 ] && [ "$(wc -l <"$work/sz.err")" -eq 1 ]'
done
check "refused command lines wrote nothing" '[ ! -e "$work/never" ]'
echo "trainer: $pass/$total checks passed"
[ "$pass" -eq "$total" ]
