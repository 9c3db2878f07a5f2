#!/bin/bash
# tests/cli.sh -- the programs' command-line contract (DESIGN.md, "Programs").
#
#   tests/cli.sh BINDIR        e.g. build/bin, or build/asan/bin
#
# For every program in BINDIR (test binaries aside): --help and --version exit 0
# and print on stdout; an unknown option, an option missing its value and a bad
# number exit 2 with exactly one line on stderr.  Chapter programs (NN-name) also:
# --quick runs are reproducible byte for byte, --seed changes them, a missing data
# set is a one-line error (exit 1) naming the Debian package.  replay: bad options
# and bad input lines exit 2 with one line that names the input line; each option
# is accepted exactly by the optimizers whose PyTorch constructor takes it; what
# PyTorch rejects exits 2; one step of each optimizer prints what PyTorch prints.
# Prints a FAIL line per failed check and, last, "cli: PASSED/TOTAL checks passed".
set -u
bindir=${1:?usage: tests/cli.sh BINDIR}
[ -d "$bindir" ] || { echo "cli: no directory $bindir" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/descent-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0 total=0

# run PROG ARGS... [< stdin]: sets rc, and leaves $work/out, $work/err
run() { "$@" >"$work/out" 2>"$work/err"; rc=$?; }
nlines() { wc -l <"$1" | tr -d ' '; }
fail() { echo "cli: FAIL $*"; }
# check DESCRIPTION CONDITION-COMMAND...
check() {
  local what=$1; shift
  total=$((total + 1))
  if "$@"; then pass=$((pass + 1)); else fail "$what"; show; fi
}
show() {
  echo "    exit $rc; stdout $(nlines "$work/out") lines; stderr:"
  sed -n '1,5s/^/      /p' "$work/err"
}
# the usual shapes of an outcome
ok_stdout() { [ "$rc" -eq 0 ] && [ -s "$work/out" ] && [ ! -s "$work/err" ]; }
one_line_error() {   # exit code $1, exactly one line on stderr (newline-terminated), stdout empty
  [ "$rc" -eq "$1" ] && [ "$(nlines "$work/err")" -eq 1 ] && [ "$(wc -c <"$work/err")" -gt 1 ] \
    && [ "$(tail -c 1 "$work/err" | od -An -c | tr -d ' ')" = '\n' ] && [ ! -s "$work/out" ]
}
stderr_has() { grep -qi -- "$1" "$work/err"; }
stderr_names_line() { grep -qiE "line $1([^0-9]|\$)" "$work/err"; }

common_checks() {
  local p=$1 name=$2
  run "$p" --help
  check "$name --help: exit 0, usage on stdout, nothing on stderr" ok_stdout
  run "$p" --version
  check "$name --version: exit 0, '$name (Descent) VERSION' on stdout" \
    eval 'ok_stdout && [ "$(nlines "$work/out")" -eq 1 ] && grep -qE "^$name \(Descent\) [0-9]" "$work/out"'
  run "$p" --no-such-option
  check "$name --no-such-option: exit 2, one line on stderr naming it" \
    eval 'one_line_error 2 && stderr_has --no-such-option'
  run "$p" -Z
  check "$name -Z: exit 2, one line on stderr" one_line_error 2
  run "$p" --help=yes
  check "$name --help=yes (a value for a flag): exit 2, one line" one_line_error 2
}

chapter_checks() {
  local p=$1 name=$2 quick=
  run "$p" --help
  check "$name --help documents --seed and --out (every chapter program has them)" \
    eval 'grep -q -- --seed "$work/out" && grep -q -- --out "$work/out"'
  local has_quick=false has_data=false
  grep -q -- --quick "$work/out" && has_quick=true && quick=--quick
  grep -q -- --data "$work/out" && has_data=true
  $has_quick || echo "cli: note: $name has no --quick; its runs are not checked here"
  run "$p" --seed
  check "$name --seed (no value): exit 2, one line naming --seed" \
    eval 'one_line_error 2 && stderr_has -- --seed'
  for bad in abc 1e999 -1 18446744073709551616 1.5 '' ' 3' 0x10; do
    run "$p" $quick --seed "$bad" --out "$work/never"
    check "$name --seed '$bad': exit 2, one line naming --seed" \
      eval 'one_line_error 2 && stderr_has -- --seed'
  done
  run "$p" $quick --seed 3 --out "$work/never" extra-operand
  check "$name with a stray operand: exit 2, one line naming it" \
    eval 'one_line_error 2 && stderr_has extra-operand'
  check "$name: rejected command lines wrote nothing" eval '[ ! -e "$work/never" ]'

  $has_quick || return 0
  # reproducible quick runs
  run "$p" --quick --seed 3 --out "$work/$name-a"
  cp "$work/out" "$work/$name-a.stdout"
  local rc_a=$rc
  check "$name --quick --seed 3: exit 0 with results on stdout" eval '[ $rc_a -eq 0 ] && [ -s "$work/$name-a.stdout" ]'
  run "$p" --quick --seed 3 --out "$work/$name-b"
  cp "$work/out" "$work/$name-b.stdout"
  check "$name --quick --seed 3 twice: identical stdout" cmp -s "$work/$name-a.stdout" "$work/$name-b.stdout"
  check "$name --quick --seed 3 twice: identical files" diff -r "$work/$name-a" "$work/$name-b"
  check "$name --quick: writes TSV files with a header line and values.tex" eval '
    ls "$work/$name-a"/*.tsv >/dev/null 2>&1 && [ -s "$work/$name-a/values.tex" ] &&
    for f in "$work/$name-a"/*.tsv; do head -1 "$f" | grep -q "^[A-Za-z]" || exit 1; done'
  check "$name --quick: no temporary files left in the output directory" \
    eval '[ -z "$(find "$work/$name-a" -name "*.tmp*" -print)" ]'
  check "$name --quick: values.tex defines macros whose names are letters only" \
    eval 'grep -q "^.def.[A-Za-z]*{" "$work/$name-a/values.tex" &&
          [ -z "$(grep -o "\\\\def\\\\[^{]*{" "$work/$name-a/values.tex" | grep -vE "^.def.[A-Za-z]+[{]\$")" ]'
  run "$p" --quick --seed 4 --out "$work/$name-c"
  check "$name --quick --seed 4: exit 0, and some results differ from seed 3" \
    eval '[ $rc -eq 0 ] && ! diff -rq "$work/$name-a" "$work/$name-c" >/dev/null'

  # the data set
  if $has_data; then
  run "$p" --quick --data /nonexistent-descent-data --out "$work/$name-d"
  check "$name --data /nonexistent: exit 1, one line on stderr naming dataset-fashion-mnist" \
    eval 'one_line_error 1 && stderr_has dataset-fashion-mnist && stderr_has /nonexistent-descent-data'
  DESCENT_FASHION_MNIST=/nonexistent-descent-env run "$p" --quick --out "$work/$name-e"
  check "$name with DESCENT_FASHION_MNIST=/nonexistent: exit 1 naming the directory" \
    eval 'one_line_error 1 && stderr_has dataset-fashion-mnist && stderr_has /nonexistent-descent-env'
  fi
  # an output directory that cannot be made
  run "$p" --quick --out /dev/null/sub
  check "$name --out /dev/null/sub: exit 1, one line naming the directory" \
    eval 'one_line_error 1 && stderr_has /dev/null/sub'
}

replay_checks() {
  local p=$1
  run "$p"
  check "replay (no command): exit 2, one line" one_line_error 2
  run "$p" frobnicate
  check "replay frobnicate (unknown command): exit 2, one line" one_line_error 2
  run "$p" optimizer
  check "replay optimizer (no name): exit 2, one line" one_line_error 2
  run "$p" optimizer no-such-opt --lr 0.1 </dev/null
  check "replay optimizer no-such-opt: exit 2, one line naming it" \
    eval 'one_line_error 2 && stderr_has no-such-opt'
  run "$p" optimizer sgd --lr </dev/null
  check "replay optimizer sgd --lr (no value): exit 2, one line" eval 'one_line_error 2 && stderr_has -- --lr'
  for bad in abc 1e999 nan inf -inf '' 0.1x; do
    run "$p" optimizer sgd --lr "$bad" <<<"1 2"
    check "replay optimizer sgd --lr '$bad': exit 2, one line naming --lr" \
      eval 'one_line_error 2 && stderr_has -- --lr'
  done
  run "$p" optimizer sgd --lr -0.1 <<<$'1 2\n0.5 0.5'
  check "replay optimizer sgd --lr -0.1 (PyTorch rejects it): exit 2, one line" one_line_error 2
  run "$p" optimizer sgd --lr 0.1 --weight-decay -0.01 <<<$'1 2\n0.5 0.5'
  check "replay optimizer sgd --weight-decay -0.01 (PyTorch rejects it): exit 2, one line" one_line_error 2
  run "$p" optimizer sgd --lr 0.1 --betas 0.9,0.999 <<<$'1 2\n0.5 0.5'
  check "replay optimizer sgd --betas (not an SGD option): exit 2, one line" one_line_error 2
  run "$p" optimizer sgd --lr 0.1 --no-such-option <<<$'1 2\n0.5 0.5'
  check "replay optimizer sgd --no-such-option: exit 2, one line" one_line_error 2

  # each option only for the optimizers whose PyTorch constructor takes it
  # (torch.optim in 1.13; tools/torch-check.py checks the same against torch itself)
  local takes_sgd=" lr momentum dampening weight-decay nesterov maximize "
  local takes_adagrad=" lr lr-decay weight-decay initial-accumulator-value eps maximize "
  local takes_rmsprop=" lr alpha eps weight-decay momentum centered maximize "
  local takes_adam=" lr betas eps weight-decay amsgrad maximize "
  local takes_adamw=$takes_adam
  local opt name takes args
  for name in sgd adagrad rmsprop adam adamw; do
    eval "takes=\$takes_$name"
    for opt in momentum dampening nesterov weight-decay maximize betas eps amsgrad alpha centered \
               lr-decay initial-accumulator-value trust-coefficient; do
      case $opt in
        nesterov|maximize|amsgrad|centered) args=(--$opt) ;;
        betas) args=(--betas 0.8,0.99) ;;
        dampening) args=(--dampening 0) ;;
        *) args=(--$opt 0.01) ;;
      esac
      [ "$opt" = nesterov ] && args=(--momentum 0.5 --nesterov)
      run "$p" optimizer $name --lr 0.01 "${args[@]}" <<<$'1 2\n0.5 -0.5'
      if [[ $takes == *" $opt "* ]]; then
        check "replay optimizer $name ${args[*]}: accepted (PyTorch takes $opt), one output line" \
          eval '[ $rc -eq 0 ] && [ "$(nlines "$work/out")" -eq 1 ] && [ ! -s "$work/err" ]'
      else
        check "replay optimizer $name --$opt: exit 2, one line naming --$opt (not a $name option)" \
          eval 'one_line_error 2 && stderr_has -- "--$opt"'
      fi
    done
  done
  # --betas B1,B2: exactly two numbers
  for bad in 0.9 0.9,0.99,0.999 a,b 0.9,x ,0.99 0.9, '' 0.9\;0.99 '0.9 0.99' 0.9,nan inf,0.99 0.9,,0.99; do
    run "$p" optimizer adam --betas "$bad" <<<$'1 2\n0.5 0.5'
    check "replay optimizer adam --betas '$bad': exit 2, one line naming --betas" \
      eval 'one_line_error 2 && stderr_has -- --betas'
  done
  run "$p" optimizer adam --betas <<<$'1 2\n0.5 0.5'
  check "replay optimizer adam --betas (no value): exit 2, one line naming --betas" \
    eval 'one_line_error 2 && stderr_has -- --betas'
  for bad in 1,0.999 0.9,1 -0.1,0.999 0.9,1.5; do
    run "$p" optimizer adamw --betas "$bad" <<<$'1 2\n0.5 0.5'
    check "replay optimizer adamw --betas $bad (PyTorch rejects it): exit 2, one line" one_line_error 2
  done
  run "$p" optimizer adam --amsgrad=1 <<<$'1 2\n0.5 0.5'
  check "replay optimizer adam --amsgrad=1 (a value for a flag): exit 2, one line" one_line_error 2
  run "$p" optimizer rmsprop --eps <<<$'1 2\n0.5 0.5'
  check "replay optimizer rmsprop --eps (no value): exit 2, one line naming --eps" \
    eval 'one_line_error 2 && stderr_has -- --eps'
  for bad in "sgd --lr 0.1 --momentum 0 --nesterov" "sgd --lr 0.1 --momentum 0.9 --dampening 0.1 --nesterov" \
             "adagrad --lr-decay -0.1" "adagrad --initial-accumulator-value -1" "rmsprop --alpha -0.5" \
             "rmsprop --momentum -0.5" "adam --eps -1e-8" "adamw --weight-decay -0.01"; do
    run "$p" optimizer $bad <<<$'1 2\n0.5 0.5'
    check "replay optimizer $bad (PyTorch rejects it): exit 2, one line" one_line_error 2
  done

  # first steps of each optimizer, as PyTorch 1.13 prints them (%.9g of float32)
  local want
  while IFS='|' read -r args want; do
    run "$p" optimizer $args <<<$'1 -2\n0.5 -0.25'
    check "replay optimizer $args, one step: '$want' (PyTorch's)" \
      eval '[ $rc -eq 0 ] && [ "$(cat "$work/out")" = "$want" ] && [ ! -s "$work/err" ]'
  done <<'EOF'
adam --lr 0.1|0.900000036 -1.89999998
adamw --lr 0.1|0.899000049 -1.898
rmsprop|0.900000036 -1.9000001
adagrad --lr 0.1|0.899999976 -1.89999998
EOF
  run "$p" optimizer sgd --lr 0.1 --momentum 0.5 --dampening 0.5 <<<$'1 -2\n0.5 -0.25\n0.5 -0.25'
  check "replay optimizer sgd --momentum 0.5 --dampening 0.5, two steps: PyTorch's (no dampening at step 1)" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "0.949999988 -1.97500002|0.899999976 -1.95000005|" ]'

  # good input: one step by hand, float32: 1 - 0.1*0.5, 2 - 0.1*0.5, -3 - 0.1*(-1)
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2 -3\n0.5 0.5 -1'
  check "replay optimizer sgd --lr 0.1, one step: '0.949999988 1.95000005 -2.9000001'" \
    eval '[ $rc -eq 0 ] && [ "$(cat "$work/out")" = "0.949999988 1.95000005 -2.9000001" ] && [ ! -s "$work/err" ]'
  run "$p" optimizer sgd --lr 0.5 <<<$'1\n1\n1\n1'
  check "replay: one output line per gradient line" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" " " <"$work/out")" = "0.5 0 -0.5 " ]'
  run "$p" optimizer sgd --lr 0.1 </dev/null
  check "replay with empty input: exit 2, one line" one_line_error 2

  # bad input lines: exit 2, one line on stderr naming the line (stdout may hold earlier steps)
  in_error() {   # $1 = input line number expected in the message
    [ "$rc" -eq 2 ] && [ "$(nlines "$work/err")" -eq 1 ] && stderr_names_line "$1"
  }
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2 3\n0.1 0.2'
  check "replay: a gradient with too few numbers (line 2): exit 2, one line naming line 2" in_error 2
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n0.1 0.2\n0.1 0.2 0.3'
  check "replay: a gradient with too many numbers (line 3): exit 2, naming line 3" in_error 3
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n0.1 abc'
  check "replay: a non-number (line 2): exit 2, naming line 2" in_error 2
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n0.1 0.2\n0.3 0.4\n0.1 nan'
  check "replay: nan in a gradient (line 4): exit 2, naming line 4" in_error 4
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n0.1 0.2\n-inf 0.4'
  check "replay: -inf in a gradient (line 3): exit 2, naming line 3" in_error 3
  run "$p" optimizer sgd --lr 0.1 <<<$'1 1e39\n0.1 0.2'
  check "replay: a float32 overflow (1e39) in the parameters (line 1): exit 2, naming line 1" in_error 1
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n\n0.1 0.2'
  check "replay: an empty gradient line (line 2): exit 2, naming line 2" in_error 2
  run "$p" optimizer sgd --lr 0.1 <<<$'\n0.1 0.2'
  check "replay: no initial parameters (line 1 empty): exit 2, naming line 1" in_error 1
  run "$p" optimizer sgd --lr 0.1 <<<$'1 2\n0.1,0.2'
  check "replay: comma-separated numbers (line 2): exit 2, naming line 2" in_error 2
}

for p in "$bindir"/*; do
  [ -f "$p" ] && [ -x "$p" ] || continue
  name=$(basename "$p")
  case $name in test_*|*.*) continue ;; esac
  common_checks "$p" "$name"
  case $name in
    [0-9][0-9]-*) chapter_checks "$p" "$name" ;;
    replay) replay_checks "$p" ;;
  esac
done

echo "cli: $pass/$total checks passed ($bindir)"
[ "$pass" -eq "$total" ] && [ "$total" -gt 0 ]
