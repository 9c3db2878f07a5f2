#!/bin/bash
# bench/trainer.sh B -- chapter 9's benchmark, run by `make bench` (B = build dir).
#
# In one invocation, on the same machine, data, recipe and thread count:
#   1. the machine: FMA peak and the AdamW-pattern bandwidth (09-trainer --only kernels),
#      with the library's sgemm on the trainer's three shapes and the fused AdamW step;
#   2. OpenBLAS cblas_sgemm on the same shapes (bench/openblas_sgemm.c, -lopenblas);
#   3. speed: the trainer and PyTorch (bench/torch_mlp.py: the same model, init and
#      recipe) in its default configuration and tuned (OMP_WAIT_POLICY=passive,
#      torch.set_num_threads(T) for T = 1 and the number of cores, the faster kept),
#      one epoch each in turn, BENCH_ROUNDS rounds (default 3), medians;
#   4. accuracy: the full recipe for BENCH_EPOCHS epochs (default 10; 0 skips it),
#      the trainer and PyTorch tuned.
# BENCH_RUNS (default 1) repeats the probes and GEMM comparison and takes medians.
# Prints samples/s, GFLOP/s and every ratio; the ratios also go to B/bench/ratios.txt.
set -eu
B=${1:-build}
E=${BENCH_EPOCHS:-10}
RUNS=${BENCH_RUNS:-1}
PY=/usr/bin/python3
out=$B/bench
mkdir -p "$out"
tools/install-deps bench
nc=$(nproc)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
gcc -std=c17 -O2 -fopenmp -I"$B/src" -D_DEFAULT_SOURCE bench/openblas_sgemm.c \
  "$B/lib/libdescent.a" -lopenblas -lz -lm -o "$out/openblas_sgemm"
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench: $nc cores, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, $RUNS run(s) of the probes"
: >"$out/kernels.txt"; : >"$out/blas.txt"
for r in $(seq 1 "$RUNS"); do
  "$B/bin/09-trainer" --only kernels --out "$out/k$r" 2>/dev/null >>"$out/kernels.txt"
  "$out/openblas_sgemm" >>"$out/blas.txt"
done
peak=$(sed -n 's/.*FMA peak \([0-9.]*\) GFLOP.*/\1/p' "$out/kernels.txt" | median)
bw=$(sed -n 's/.*bandwidth \([0-9.]*\) GB.*/\1/p' "$out/kernels.txt" | median)
adam=$(sed -n 's/.*AdamW step [0-9.]* ms, \([0-9.]*\) GB.*/\1/p' "$out/kernels.txt" | median)
echo "machine: FMA peak $peak GFLOP/s; AdamW-pattern bandwidth $bw GB/s"
for s in XWt dYW dYtX; do
  ours=$(awk -v s=$s '$1 == "shape" && $2 == s { print $4 }' "$out/blas.txt" | median)
  blas=$(awk -v s=$s '$1 == "shape" && $2 == s { print $6 }' "$out/blas.txt" | median)
  awk -v s=$s -v o="$ours" -v b="$blas" -v p="$peak" 'BEGIN {
    printf "gemm %-5s ours %6.1f GFLOP/s, OpenBLAS %6.1f: ratio %.2f; %.0f%% of peak\n", s, o, b, o / b, 100 * o / p }'
done
awk -v a="$adam" -v b="$bw" 'BEGIN { printf "AdamW step (fused): %.1f GB/s, %.0f%% of the probe\n", a, 100 * a / b }'

# speed: the trainer and PyTorch (default; tuned with 1 and all cores, passive waits)
# take turns, one epoch each, ROUNDS times, so that a busy moment of the machine
# falls on all of them alike; each speed is the median over its rounds.
ROUNDS=${BENCH_ROUNDS:-3}
: >"$out/speed.txt"
for r in $(seq 1 "$ROUNDS"); do
  "$B/bin/09-trainer" --only train --epochs 1 --out "$out/speed$r" >/dev/null 2>&1
  echo "ours $(tail -1 "$out/speed$r/epochs.tsv" | cut -f7)" >>"$out/speed.txt"
  "$B/bin/09-trainer" --only train --epochs 1 --precision bf16 --out "$out/bf$r" >/dev/null 2>&1
  echo "bf16 $(tail -1 "$out/bf$r/epochs.tsv" | cut -f7)" >>"$out/speed.txt"
  "$PY" bench/torch_mlp.py --epochs 1 | awk '{ print "default", $4 }' >>"$out/speed.txt"
  for T in 1 "$nc"; do
    OMP_WAIT_POLICY=passive "$PY" bench/torch_mlp.py --epochs 1 --threads "$T" \
      | awk -v T="$T" '{ print "tuned" T, $4 }' >>"$out/speed.txt"
  done
done
sp() { awk -v k="$1" '$1 == k { print $2 }' "$out/speed.txt" | median; }
ours=$(sp ours) bf=$(sp bf16) td=$(sp default) t1=$(sp tuned1) tn=$(sp "tuned$nc")
best=$t1 bestT=1
if awk -v a="$tn" -v b="$t1" 'BEGIN { exit !(a > b) }'; then best=$tn bestT=$nc; fi
echo "speed ($ROUNDS rounds of one epoch each, medians): trainer $ours samples/s;" \
     "PyTorch default $td; tuned 1 thread $t1, $nc threads $tn"
floor=$(awk -v p="$peak" 'BEGIN { f = 6 * (784*1024 + 1024*512 + 512*10); print p * 1e9 / f }')
awk -v o="$ours" -v f="$floor" 'BEGIN { printf "fp32 floor (the GEMM flops of an epoch at the measured peak): %.0f samples/s; trainer at %.0f%% of it\n", f, 100 * o / f }'
awk -v o="$bf" -v f="$floor" 'BEGIN { printf "bf16 (--precision bf16): %.0f samples/s, %.0f%% of the fp32 floor\n", o, 100 * o / f }'
awk -v o="$ours" -v d="$td" -v t="$best" -v T="$bestT" 'BEGIN {
  printf "ratio: trainer / PyTorch default %.2f; trainer / PyTorch tuned (%d threads) %.2f\n", o / d, T, o / t }' \
  | tee "$out/ratios.txt"

# accuracy: the full recipe, BENCH_EPOCHS epochs, ours and PyTorch's default run
if [ "$E" -gt 0 ]; then
  "$B/bin/09-trainer" --only train --epochs "$E" --out "$out/train" >/dev/null 2>&1
  ours_acc=$(tail -1 "$out/train/epochs.tsv" | cut -f4)
  OMP_WAIT_POLICY=passive "$PY" bench/torch_mlp.py --epochs "$E" --threads "$bestT" >"$out/torch-full.txt"
  td_acc=$(tail -1 "$out/torch-full.txt" | awk '{ print $6 }')
  echo "accuracy after $E epochs: trainer $ours_acc, PyTorch $td_acc" | tee -a "$out/ratios.txt"
  # the closing recipe of the book: the same, with weight decay 0.1 on the weights
  "$B/bin/09-trainer" --only train --epochs "$E" --wd 0.1 --out "$out/train-wd" >/dev/null 2>&1
  echo "accuracy after $E epochs with weight decay 0.1 (the book's recipe): trainer" \
       "$(tail -1 "$out/train-wd/epochs.tsv" | cut -f4)" | tee -a "$out/ratios.txt"
fi
