#!/bin/bash
# bench/trainer.sh B -- chapter 9's benchmark, run by `make bench` (B = build dir).
#
# In one invocation, on the same machine, data, recipe and thread count:
#   1. the machine: FMA peak and the AdamW-pattern bandwidth (09-trainer --only kernels),
#      with the library's sgemm on the trainer's three shapes and the fused AdamW step;
#   2. OpenBLAS cblas_sgemm on the same shapes (bench/openblas_sgemm.c, -lopenblas);
#   3. the trainer, 09-trainer --only train, BENCH_EPOCHS epochs (default 10);
#   4. PyTorch (bench/torch_mlp.py, the same model, init and recipe) in its default
#      configuration, and tuned: OMP_WAIT_POLICY=passive and torch.set_num_threads(T)
#      for T = 1 and the number of cores, the faster kept (TORCH_EPOCHS epochs, default 2;
#      the default configuration runs BENCH_EPOCHS, for its accuracy).
# Each speed is the median over epochs (or calls); BENCH_RUNS (default 1) repeats the
# probes and GEMM comparison and takes medians of those.  Prints samples/s, GFLOP/s and
# every ratio, and writes them to B/bench/summary.txt.
set -eu
B=${1:-build}
E=${BENCH_EPOCHS:-10}
TE=${TORCH_EPOCHS:-2}
RUNS=${BENCH_RUNS:-1}
PY=/usr/bin/python3
out=$B/bench
mkdir -p "$out"
tools/install-deps bench
nc=$(nproc)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
gcc -std=c17 -O2 -fopenmp -I"$B/src" -D_DEFAULT_SOURCE bench/openblas_sgemm.c \
  "$B/lib/libdescent.a" -lopenblas -lz -lm -o "$B/bin/openblas_sgemm"
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench: $nc cores, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, $RUNS run(s) of the probes"
: >"$out/kernels.txt"; : >"$out/blas.txt"
for r in $(seq 1 "$RUNS"); do
  "$B/bin/09-trainer" --only kernels --out "$out/k$r" 2>/dev/null >>"$out/kernels.txt"
  "$B/bin/openblas_sgemm" >>"$out/blas.txt"
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

# the trainer
"$B/bin/09-trainer" --only train --epochs "$E" --out "$out/train" >"$out/train.txt" 2>"$out/train.err"
ours=$(tail -n +2 "$out/train/epochs.tsv" | cut -f7 | median)
ours_acc=$(tail -1 "$out/train/epochs.tsv" | cut -f4)
echo "trainer: $E epochs, median $ours samples/s, test accuracy $ours_acc"
# the epoch's GEMM floor: 6 * 128 * (sum of n_l n_{l+1}) flops per step at the peak
floor=$(awk -v p="$peak" 'BEGIN { f = 6 * (784*1024 + 1024*512 + 512*10); print p * 1e9 / f }')
awk -v o="$ours" -v f="$floor" 'BEGIN { printf "fp32 floor (GEMM flops at peak): %.0f samples/s; trainer at %.0f%% of it\n", f, 100 * o / f }'

# PyTorch
"$PY" bench/torch_mlp.py --epochs "$E" >"$out/torch-default.txt"
td=$(awk '{ print $4 }' "$out/torch-default.txt" | median)
td_acc=$(tail -1 "$out/torch-default.txt" | awk '{ print $6 }')
echo "PyTorch default: median $td samples/s, test accuracy $td_acc after $E epochs"
best=0 bestT=0
for T in 1 "$nc"; do
  OMP_WAIT_POLICY=passive "$PY" bench/torch_mlp.py --epochs "$TE" --threads "$T" >"$out/torch-t$T.txt"
  v=$(awk '{ print $4 }' "$out/torch-t$T.txt" | median)
  echo "PyTorch tuned, $T thread(s), passive waits: median $v samples/s"
  if awk -v v="$v" -v b="$best" 'BEGIN { exit !(v > b) }'; then best=$v bestT=$T; fi
done
awk -v o="$ours" -v d="$td" -v t="$best" -v T="$bestT" -v oa="$ours_acc" -v ta="$td_acc" 'BEGIN {
  printf "ratio: trainer / PyTorch default %.2f; trainer / PyTorch tuned (%d threads) %.2f\n", o / d, T, o / t
  printf "accuracy: trainer %.4f, PyTorch %.4f\n", oa, ta }' | tee "$out/ratios.txt"
