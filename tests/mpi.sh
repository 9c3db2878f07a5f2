#!/bin/bash
# tests/mpi.sh -- chapter 7's data-parallel training over MPI ends with the same
# weights, bit for bit, as the one-process run on the same global batch.
#
#   tests/mpi.sh BINDIR        e.g. build/bin
#
# Runs BINDIR/07-large-batch-mpi (built by make only where mpicc exists) with
# `mpirun --oversubscribe --allow-run-as-root -np N` for N = 1, 2, 4, with and
# without --zero (ZeRO stage 1: optimizer state sharded, parameters all-gathered).
# Rank 0 of each run repeats the one-process run itself and compares every
# rank's weights with it; the program exits 0 only if all are bit-identical.
# Also: 3 processes (4 chunks do not divide) are refused with exit 2.
# Last line: "mpi: P/T checks passed (S s)", or "mpi: skipped (REASON)".
set -u
bindir=${1:?usage: tests/mpi.sh BINDIR}
prog=$bindir/07-large-batch-mpi
if ! command -v mpirun >/dev/null 2>&1; then echo "mpi: skipped (no mpirun; tools/install-deps check installs Open MPI)"; exit 0; fi
if [ ! -x "$prog" ]; then echo "mpi: skipped (no $prog: make builds it where mpicc exists)"; exit 0; fi
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
mpirun=(mpirun --oversubscribe --allow-run-as-root)
work=$(mktemp -d "${TMPDIR:-/tmp}/descent-mpi-XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 total=0 start=$SECONDS
for np in 1 2 4; do
  for zero in "" --zero; do
    total=$((total + 1))
    timeout 300 "${mpirun[@]}" -np $np "$prog" --steps 8 $zero >"$work/out" 2>"$work/err"
    rc=$?
    if [ $rc -eq 0 ] && grep -q "every rank bit-identical to the one-process run" "$work/out"; then
      pass=$((pass + 1)); echo "mpi: ok   np $np $zero: $(cat "$work/out")"
    else
      echo "mpi: FAIL np $np $zero: exit $rc"; sed 's/^/    /' "$work/out" "$work/err" | head -20
    fi
  done
done
total=$((total + 1))
timeout 120 "${mpirun[@]}" -np 3 "$prog" --steps 1 >"$work/out" 2>"$work/err"
if grep -q "runs on 1, 2 or 4 processes" "$work/err"; then
  pass=$((pass + 1)); echo "mpi: ok   np 3 refused: $(head -1 "$work/err")"
else
  echo "mpi: FAIL np 3: not refused as expected"; head -5 "$work/err"
fi
echo "mpi: $pass/$total checks passed ($((SECONDS - start)) s)"
[ $pass -eq $total ]
