#!/bin/bash
# tests/small-data.sh -- the chapter programs on Fashion-MNIST files that are
# valid but small.
#
#   tests/small-data.sh BINDIR        e.g. build/bin, or build/asan/bin
#
# Builds, in a temporary directory, valid Fashion-MNIST-format sets of 1000, 100,
# 40 and 5 training images (with as many test images) and one of 1000 training
# but 5 test images (tests/make-small-fmnist.py: the first images of the real
# set, or synthetic ones where it is not installed).  For every chapter program
# in BINDIR whose --help offers --data, every experiment that reads the data
# (found by offering it a missing data set and an output directory that cannot
# be created: one that reads the data names the missing file) runs with --quick
# on every set, and without --quick on the 40 and 5 image sets.  Each run must
#   - exit 0 or 1, never anything else (no abort, no crash), and print no
#     sanitizer report;
#   - when it exits 1, print exactly one line on stderr, "NAME: ... needs at
#     least N training|test images ...", with N more than the set has of that
#     kind, nothing on stdout, and leave its --out directory unmade;
# and where a --quick run refused and N is at most 2000, the same run on a set
# with exactly N images of that kind (1000 of the other) must no longer refuse
# for want of them: the minimum a program states is the minimum it needs.
# Prints a FAIL line per failed check and, last,
# "small-data: PASSED/TOTAL checks passed (BINDIR, S s)".
set -u
bindir=${1:?usage: tests/small-data.sh BINDIR}
[ -d "$bindir" ] || { echo "small-data: no directory $bindir" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$(mktemp -d "${TMPDIR:-/tmp}/descent-small-XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS
pass=0 total=0

fail() { echo "small-data: FAIL $*"; }
check() {   # DESCRIPTION CONDITION-COMMAND...
  local what=$1; shift
  total=$((total + 1))
  if "$@"; then pass=$((pass + 1)); else fail "$what"; show; fi
}
show() {
  echo "    exit $rc; stdout $(wc -l <"$work/stdout") lines; stderr:"
  sed -n '1,6s/^/      /p' "$work/stderr"
}

# the sets: "TRAIN TEST" -> directory $work/data/TRAIN-TEST, made once
dataset() {   # TRAIN TEST -> prints the directory
  local d=$work/data/$1-$2
  if [ ! -d "$d" ]; then
    "$PY" tests/make-small-fmnist.py "$d" "$1" "$2" >&2 || { echo "small-data: cannot make $d" >&2; exit 2; }
  fi
  echo "$d"
}

# one run: sets rc, leaves $work/stdout and $work/stderr; $work/out is its --out
run() {
  rm -rf "$work/out"
  "$@" --out "$work/out" >"$work/stdout" 2>"$work/stderr"
  rc=$?
}
no_sanitizer_report() {
  ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Assertion .* failed' "$work/stderr"
}
exit_0_or_1() { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; }
# a refusal: one line, "NAME: EXP needs at least A training and B test images;
# DIR has X and Y" (the toolkit's chapter_need), with X < A or Y < B
refusal_ok() {   # NAME TRAIN TEST
  [ "$(wc -l <"$work/stderr")" -eq 1 ] && [ "$(tail -c 1 "$work/stderr" | od -An -c | tr -d ' ')" = '\n' ] \
    && [ ! -s "$work/stdout" ] && [ ! -e "$work/out" ] || return 1
  local line
  line=$(cat "$work/stderr")
  [[ $line =~ ^$1:\ .*needs\ at\ least\ ([0-9]+)\ training\ and\ ([0-9]+)\ test\ images ]] || return 1
  [ "$2" -lt "${BASH_REMATCH[1]}" ] || [ "$3" -lt "${BASH_REMATCH[2]}" ]
}
needed() {   # from a refusal on stderr: "N KIND" for the kind the set lacks
  local line
  line=$(cat "$work/stderr")
  [[ $line =~ needs\ at\ least\ ([0-9]+)\ training\ and\ ([0-9]+)\ test\ images.*has\ ([0-9]+)\ and\ ([0-9]+) ]] || return 0
  if [ "${BASH_REMATCH[3]}" -lt "${BASH_REMATCH[1]}" ]; then echo "${BASH_REMATCH[1]} training"
  else echo "${BASH_REMATCH[2]} test"; fi
}

# the experiments of a program that read the data
data_experiments() {   # PROG
  local p=$1 names e
  names=$("$p" --help | awk '/one experiment:/ { on = 1; sub(/.*one experiment:/, ""); print; next }
                              on && /^ *--/ { exit } on { print }' | tr ',' ' ')
  for e in $names; do
    "$p" --quick --only "$e" --data "$work/no-such-dir" --out /dev/null/x >/dev/null 2>"$work/probe"
    grep -q "no-such-dir" "$work/probe" && echo "$e"
  done
}

# what each --quick run of the main loop said: "0", or the refusal's "N KIND"
declare -A said=()
boundary() {   # PROG NAME EXP N KIND: a set with exactly N images of KIND must not be refused for them
  local p=$1 name=$2 e=$3 n=$4 kind=$5 tr=1000 te=1000 key
  [ "$kind" = training ] && tr=$n || te=$n
  key="$name/$e/$tr/$te"
  if [ -z "${said[$key]:-}" ]; then
    local d; d=$(dataset "$tr" "$te")
    run "$p" --quick --only "$e" --data "$d"
    check "$name --quick --only $e on $tr training and $te test images (a stated minimum): exit 0 or 1, no sanitizer report" \
      eval 'exit_0_or_1 && no_sanitizer_report'
    said[$key]=$rc
    [ "$rc" -eq 1 ] && said[$key]=$(needed)
  fi
  local got=${said[$key]}
  check "$name --quick --only $e on $tr training and $te test images (the stated minimum): not refused for want of $kind images" \
    eval '[ "$got" = 0 ] || [ "${got#* }" != "$kind" ]'
}

sets=("1000 1000" "100 100" "40 40" "5 5" "1000 5")
progs=0 refused=()
for p in "$bindir"/[0-9][0-9]-*; do
  [ -f "$p" ] && [ -x "$p" ] || continue
  case $p in *-mpi) continue ;; esac   # runs under mpirun: tests/mpi.sh
  name=$(basename "$p")
  "$p" --help 2>/dev/null | grep -q -- --data || continue
  exps=$(data_experiments "$p")
  check "$name: some experiment reads Fashion-MNIST (--help offers --data)" [ -n "$exps" ]
  progs=$((progs + 1))
  for e in $exps; do
    for s in "${sets[@]}"; do
      read -r ntr nte <<<"$s"
      d=$(dataset "$ntr" "$nte")
      for plan in --quick full; do
        q=$plan; [ "$plan" = full ] && q=
        # the full plans run long where they do run: only the smallest sets
        [ "$plan" = full ] && [ "$ntr" -gt 40 ] && continue
        run "$p" $q --only "$e" --data "$d"
        what="$name ${q:+$q }--only $e on $ntr training and $nte test images"
        check "$what: exit 0 or 1 (got $rc), no sanitizer report or failed assertion" \
          eval 'exit_0_or_1 && no_sanitizer_report'
        [ "$plan" = --quick ] && said[$name/$e/$ntr/$nte]=$rc
        if [ "$rc" -eq 1 ]; then
          check "$what: refused in one line 'needs at least A training and B test images' (more than the set has), nothing written" \
            refusal_ok "$name" "$ntr" "$nte"
          [ "$plan" = --quick ] && said[$name/$e/$ntr/$nte]=$(needed) && refused+=("$(needed)")
        fi
      done
    done
    # each minimum that a --quick run stated, on a set that has exactly that many
    for r in $(printf '%s\n' "${refused[@]}" | sort -u | tr ' ' '/'); do
      r=${r/\// }
      read -r n kind <<<"$r"
      [ -n "${n:-}" ] && [ "$n" -le 2000 ] && boundary "$p" "$name" "$e" "$n" "$kind"
    done
    refused=()
  done
done
check "some chapter program in $bindir reads Fashion-MNIST" [ "$progs" -gt 0 ]

echo "small-data: $pass/$total checks passed ($bindir, $((SECONDS - start)) s)"
[ "$pass" -eq "$total" ] && [ "$total" -gt 0 ]
