#!/bin/bash
# tests/resume.sh BINDIR -- exact resume after kill -9.
#
# build/bin/test_resume trains 600 steps of AdamW + warmup-cosine + clipping on
# the library's session, checkpointing every 25 steps (an epoch is 62 steps, so
# most checkpoints fall mid-epoch).  The run is killed with SIGKILL as soon as
# its second checkpoint exists, resumed from the checkpoint it left, killed
# again, resumed again, and its final weights compared byte for byte with an
# uninterrupted run's -- with one OpenMP thread and with two.
# Last line: "resume: N/M checks passed".
set -u
bindir=${1:?usage: tests/resume.sh BINDIR}
prog=$bindir/test_resume
data=${DESCENT_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pass=0 total=0
check() { total=$((total + 1)); if eval "$2"; then pass=$((pass + 1)); else echo "FAIL: $1"; fi; }

OMP_NUM_THREADS=2 "$prog" "$data" 600 "$work/straight.bin"
check "uninterrupted run" '[ -s "$work/straight.bin" ]'
# each checkpoint is a new file renamed over the old one: a new inode number
kill_after_checkpoints() {   # kill the background run $1 once CKPT has been rewritten
  local pid=$1 ckpt=$2 first="" n=0
  for _ in $(seq 1 4000); do
    if [ -f "$ckpt" ]; then
      local m; m=$(stat -c %i "$ckpt" 2>/dev/null)
      if [ -n "$first" ] && [ "$m" != "$first" ]; then break; fi
      [ -z "$first" ] && first=$m
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.005
  done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}
for threads in 1 2; do
  rm -f "$work/run.ckpt" "$work/resumed.bin"
  OMP_NUM_THREADS=$threads "$prog" "$data" 600 "$work/resumed.bin" "$work/run.ckpt" 25 &
  kill_after_checkpoints $! "$work/run.ckpt"
  check "threads $threads: killed before the end" '[ ! -f "$work/resumed.bin" ] && [ -s "$work/run.ckpt" ]'
  OMP_NUM_THREADS=$threads "$prog" "$data" 600 "$work/resumed.bin" "$work/run.ckpt" 25 resume &
  kill_after_checkpoints $! "$work/run.ckpt"
  OMP_NUM_THREADS=$threads "$prog" "$data" 600 "$work/resumed.bin" "$work/run.ckpt" 25 resume
  check "threads $threads: resumed twice after kill -9, final weights identical bit for bit" \
    'cmp -s "$work/straight.bin" "$work/resumed.bin"'
done
# a resume from a checkpoint of the wrong file is refused in one line
echo garbage > "$work/bad.ckpt"
"$prog" "$data" 600 "$work/x.bin" "$work/bad.ckpt" 25 resume 2>"$work/err"; rc=$?
check "a damaged checkpoint: exit 1, one line" '[ $rc -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 1 ]'
echo "resume: $pass/$total checks passed"
[ "$pass" -eq "$total" ]
