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
# PyTorch rejects exits 2; one step of each optimizer prints what PyTorch prints;
# schedule, clip, round and scaler refuse unknown names, missing required options,
# options of other kinds and commands, bad words and bad lines, accept what they
# should (nan, inf, -0.0 and subnormals for round), and print PyTorch's values on
# a few hand cases.  And under hostile input (hostile_checks): schedule periods past
# 2^64 end at once with PyTorch's values, a NUL byte in a line is refused naming the
# line, a standard output that cannot be written (/dev/full) or a standard input that
# cannot be read (a directory) ends the run with one line and exit 1, and an unknown
# short-option cluster (-xyz) is named in the message.
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
  if [ -w /dev/full ]; then
    local flag
    for flag in --help --version; do
      timeout 20 "$p" $flag >/dev/full 2>"$work/err"; rc=$?
      : >"$work/out"
      check "$name $flag > /dev/full: exit 1, one line on stderr about the standard output" \
        eval 'one_line_error 1 && stderr_has "standard output"'
    done
  fi
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
  if [ "$name" = 04-schedules ]; then
    # a figure's curve starts from its kind's defaults: the cyclic curve goes up
    # in 50 steps and back down in 50 (step_size_down left at zero would make a
    # sawtooth that drops at once)
    check "04-schedules: the figure's triangular cycle is a triangle (0.1 at 0, 1 at 50, 0.55 at 75, 0.1 at 100)" \
      eval 'awk -F"\t" "NR==1{for(i=1;i<=NF;i++) if(\$i==\"triangular\") c=i}
        NR==2&&\$c!=0.1{e=1} NR==52&&\$c!=1{e=1} NR==77&&\$c!=0.55{e=1} NR==102&&\$c!=0.1{e=1}
        END{exit e+(c?0:1)}" "$work/$name-a/all.tsv"'
    # and so do the other cyclic curves: the momentum runs against the rate
    # between the defaults 0.9 and 0.8, triangular2 halves its second peak,
    # exp_range peaks at the middle of its first cycle and returns to its base
    check "04-schedules: every cyclic curve of the figure has the defaults' period (momentum 0.9-0.8-0.9, triangular2 0.55 at 150, exp_range peaks at 50)" \
      eval 'awk -F"\t" "NR==1{for(i=1;i<=NF;i++) c[\$i]=i}
        {m[NR]=\$c[\"triangularMom\"]; two[NR]=\$c[\"triangulartwo\"]; x[NR]=\$c[\"exprange\"]}
        END{e=!(\"triangularMom\" in c && \"triangulartwo\" in c && \"exprange\" in c)
          e+=m[2]!=0.9||m[52]!=0.8||m[102]!=0.9
          e+=two[2]!=0.1||two[52]!=1||two[102]!=0.1||two[152]!=0.55
          e+=x[2]!=0.1||x[102]!=0.1||!(x[52]>x[27]&&x[52]>x[77])
          exit e}" "$work/$name-a/all.tsv"'
  fi
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
  # one option given to one optimizer: accepted with one output line if the
  # optimizer takes it (the list $3), else exit 2 with one line naming it
  option_taken_or_refused() {
    local name=$1 opt=$2 takes=$3; shift 3
    run "$p" optimizer $name --lr 0.01 "$@" <<<$'1 2\n0.5 -0.5'
    if [[ $takes == *" $opt "* ]]; then
      check "replay optimizer $name $*: accepted, one output line" \
        eval '[ $rc -eq 0 ] && [ "$(nlines "$work/out")" -eq 1 ] && [ ! -s "$work/err" ]'
    else
      check "replay optimizer $name --$opt: exit 2, one line naming --$opt (not a $name option)" \
        eval 'one_line_error 2 && stderr_has -- "--$opt"'
    fi
  }
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
      option_taken_or_refused "$name" "$opt" "$takes" "${args[@]}"
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

  # Lion, LARS, LAMB (chapter 7; no PyTorch class): the options reference-semantics.md
  # section 2 gives each, the rest refused; negative values and betas out of range refused
  local takes_lion=" lr betas weight-decay " takes_lars=" lr momentum weight-decay trust-coefficient "
  local takes_lamb=" lr betas eps weight-decay "
  for name in lion lars lamb; do
    eval "takes=\$takes_$name"
    for opt in momentum dampening nesterov weight-decay maximize betas eps amsgrad alpha centered \
               lr-decay initial-accumulator-value trust-coefficient; do
      case $opt in
        nesterov|maximize|amsgrad|centered) args=(--$opt) ;;
        betas) args=(--betas 0.8,0.99) ;;
        *) args=(--$opt 0.01) ;;
      esac
      option_taken_or_refused "$name" "$opt" "$takes" "${args[@]}"
    done
  done
  for bad in "lion --lr -0.1" "lion --betas 0.9,1.5" "lion --weight-decay -1" "lars" \
             "lars --lr -1" "lars --lr 1 --momentum -0.5" "lars --lr 1 --trust-coefficient -0.001" \
             "lars --lr 1 --weight-decay -0.1" "lamb --eps -1e-6" "lamb --betas 0.9,1" \
             "lamb --betas -0.1,0.999" "lamb --weight-decay -0.01" "lamb --lr -0.001"; do
    run "$p" optimizer $bad <<<$'1 2\n0.5 0.5'
    check "replay optimizer $bad (refused by its formulation): exit 2, one line" one_line_error 2
  done

  # Muon and schedule-free AdamW (chapter 11): the options each takes, the rest refused
  # (muon's every run with --shape 1,2, the matrix of the two numbers); the new options
  # --warmup-steps, --r, --weight-lr-power refused by every other optimizer; bad values
  local takes_muon=" weight-decay momentum nesterov eps adjust-lr-fn "
  local takes_sf=" betas eps weight-decay warmup-steps r weight-lr-power "
  for name in muon adamw-schedulefree; do
    if [ $name = muon ]; then takes=$takes_muon; shape=(--shape 1,2); else takes=$takes_sf; shape=(); fi
    for opt in momentum dampening nesterov weight-decay maximize betas eps amsgrad alpha centered \
               lr-decay initial-accumulator-value trust-coefficient adjust-lr-fn warmup-steps r \
               weight-lr-power; do
      case $opt in
        nesterov|maximize|amsgrad|centered) args=(--$opt) ;;
        betas) args=(--betas 0.8,0.99) ;;
        adjust-lr-fn) args=(--adjust-lr-fn match_rms_adamw) ;;
        warmup-steps) args=(--warmup-steps 3) ;;
        *) args=(--$opt 0.01) ;;
      esac
      option_taken_or_refused "$name" "$opt" "$takes" "${shape[@]}" "${args[@]}"
    done
  done
  for name in sgd adam adamw lion lamb; do
    for opt in warmup-steps r weight-lr-power; do
      option_taken_or_refused "$name" "$opt" " " --$opt 1
    done
  done
  for bad in "adamw-schedulefree --lr -0.1" "adamw-schedulefree --warmup-steps -1" \
             "adamw-schedulefree --warmup-steps 2.5" "adamw-schedulefree --warmup-steps x" \
             "adamw-schedulefree --r -0.5" "adamw-schedulefree --r nan" \
             "adamw-schedulefree --weight-lr-power -1" "adamw-schedulefree --betas 0.9,1" \
             "adamw-schedulefree --eps -1e-8" "adamw-schedulefree --weight-decay -0.1" \
             "muon --shape 1,2 --adjust-lr-fn other" "muon --shape 2,2" "muon --shape 1,x" "muon" \
             "muon --shape 1,2 --momentum -0.5"; do
    run "$p" optimizer $bad <<<$'1 2\n0.5 -0.5'
    check "replay optimizer $bad (refused): exit 2, one line" one_line_error 2
  done
  run "$p" optimizer adamw-schedulefree --lr 0.1 <<<$'1 -2\n0.5 -0.25'
  check "replay optimizer adamw-schedulefree --lr 0.1, one step: x = z = p - 0.1 g/|g| (torch's float32)" \
    eval '[ $rc -eq 0 ] && [ "$(cat "$work/out")" = "0.900000095 -1.9000001" ]'

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

  # replay schedule: the name, --steps and --lr, the kind's own options only
  # (tools/torch-check.py checks each kind's options against PyTorch's class)
  run "$p" schedule </dev/null
  check "replay schedule (no name): exit 2, one line" one_line_error 2
  run "$p" schedule no-such-sched --steps 3 --lr 0.1 </dev/null
  check "replay schedule no-such-sched: exit 2, one line naming it" \
    eval 'one_line_error 2 && stderr_has no-such-sched'
  run "$p" schedule step --lr 0.1 --step-size 2 </dev/null
  check "replay schedule step without --steps: exit 2, one line naming --steps" \
    eval 'one_line_error 2 && stderr_has -- --steps'
  for bad in 0 -1 abc 1.5 '' 1e3 2x; do
    run "$p" schedule step --steps "$bad" --lr 0.1 --step-size 2 </dev/null
    check "replay schedule step --steps '$bad': exit 2, one line naming --steps" \
      eval 'one_line_error 2 && stderr_has -- --steps'
  done
  run "$p" schedule step --steps 3 --step-size 2 </dev/null
  check "replay schedule step without --lr: exit 2, one line" one_line_error 2
  for args in "step --lr 0.1" "exponential --lr 0.1" "cosine --lr 0.1" "cosine-restarts --lr 0.1" \
              "cyclic --lr 0.1" "onecycle --max-lr 1" "onecycle --total-steps 10"; do
    run "$p" schedule $args --steps 3 </dev/null
    check "replay schedule $args (a required option missing): exit 2, one line" one_line_error 2
  done
  for bad in triangle Triangular exp-range ''; do
    run "$p" schedule cyclic --steps 3 --lr 0.1 --max-lr 1 --mode "$bad" </dev/null
    check "replay schedule cyclic --mode '$bad': exit 2, one line naming --mode" \
      eval 'one_line_error 2 && stderr_has -- --mode'
  done
  for bad in cosine Linear ''; do
    run "$p" schedule onecycle --steps 3 --max-lr 1 --total-steps 10 --anneal-strategy "$bad" </dev/null
    check "replay schedule onecycle --anneal-strategy '$bad': exit 2, one line naming --anneal-strategy" \
      eval 'one_line_error 2 && stderr_has -- --anneal-strategy'
  done
  # options of another kind, of another command, and flags given values
  for opt in "--t-max 5" "--cycle-momentum" "--three-phase" "--momentum 0.9" "--betas 0.9,0.99" \
             "--max 1" "--norm-type inf" "--init-scale 2" "--growth-interval 3"; do
    run "$p" schedule step --steps 3 --lr 0.1 --step-size 2 $opt </dev/null
    check "replay schedule step $opt (not a StepLR option): exit 2, one line naming ${opt%% *}" \
      eval 'one_line_error 2 && stderr_has -- "${opt%% *}"'
  done
  run "$p" schedule onecycle --steps 3 --max-lr 1 --total-steps 10 --three-phase=1 </dev/null
  check "replay schedule onecycle --three-phase=1 (a value for a flag): exit 2, one line" one_line_error 2
  for bad in 1,,2 a 1.5 ,1 '1 2' 1,x; do
    run "$p" schedule multistep --steps 3 --lr 0.1 --milestones "$bad" </dev/null
    check "replay schedule multistep --milestones '$bad': exit 2, one line naming --milestones" \
      eval 'one_line_error 2 && stderr_has -- --milestones'
  done
  run "$p" schedule onecycle --steps 11 --max-lr 1 --total-steps 10 </dev/null
  check "replay schedule onecycle --steps 11 --total-steps 10 (PyTorch raises at step 11): exit 2, nothing on stdout" \
    one_line_error 2
  # values, as PyTorch 1.13 prints them
  while IFS='|' read -r args want; do
    run "$p" schedule $args </dev/null
    check "replay schedule $args: '$want' (PyTorch's)" \
      eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "$want|" ] && [ ! -s "$work/err" ]'
  done <<'EOF2'
step --steps 4 --lr 0.1 --step-size 2|0.1|0.1|0.01|0.01
warmup-cosine --steps 4 --lr 0.1 --warmup-steps 2 --t-max 4|0|0.05|0.1|0.05
cyclic --steps 5 --lr 0.1 --max-lr 0.5 --step-size-up 2 --cycle-momentum|0.1 0.9|0.3 0.85|0.5 0.8|0.3 0.85|0.1 0.9
onecycle --steps 10 --max-lr 1 --total-steps 10 --cycle-momentum|0.04 0.95|0.52 0.9|1 0.85|0.950484632 0.854951557|0.811745654 0.86882551|0.611262022 0.888873953|0.388741978 0.911126047|0.188258346 0.93117449|0.049519368 0.945048443|4e-06 0.95
onecycle --steps 10 --max-lr 1 --total-steps 10|0.04|0.52|1|0.950484632|0.811745654|0.611262022|0.388741978|0.188258346|0.049519368|4e-06
EOF2

  # replay clip
  run "$p" clip </dev/null
  check "replay clip (no kind): exit 2, one line" one_line_error 2
  run "$p" clip maxnorm --max 1 <<<'3 4'
  check "replay clip maxnorm: exit 2, one line naming it" eval 'one_line_error 2 && stderr_has maxnorm'
  for kind in norm value; do
    run "$p" clip $kind <<<'3 4'
    check "replay clip $kind without --max: exit 2, one line naming --max" \
      eval 'one_line_error 2 && stderr_has -- --max'
    for bad in abc nan inf ''; do
      run "$p" clip $kind --max "$bad" <<<'3 4'
      check "replay clip $kind --max '$bad': exit 2, one line naming --max" \
        eval 'one_line_error 2 && stderr_has -- --max'
    done
    for opt in "--lr 0.1" "--steps 3" "--t-max 5" "--init-scale 2"; do
      run "$p" clip $kind --max 1 $opt <<<'3 4'
      check "replay clip $kind $opt (not a clip option): exit 2, one line naming ${opt%% *}" \
        eval 'one_line_error 2 && stderr_has -- "${opt%% *}"'
    done
  done
  for bad in 1 3 0 abc Inf ''; do
    run "$p" clip norm --max 1 --norm-type "$bad" <<<'3 4'
    check "replay clip norm --norm-type '$bad' (2 or inf only): exit 2, one line naming --norm-type" \
      eval 'one_line_error 2 && stderr_has -- --norm-type'
  done
  run "$p" clip value --max 1 --norm-type inf <<<'3 4'
  check "replay clip value --norm-type inf (a norm option): exit 2, one line naming --norm-type" \
    eval 'one_line_error 2 && stderr_has -- --norm-type'
  run "$p" clip norm --max 1 <<<$'3 4\nabc 1'
  check "replay clip: a non-number (line 2): exit 2, naming line 2" in_error 2
  run "$p" clip value --max 1 <<<$'3 4\n\n1'
  check "replay clip: an empty line (line 2): exit 2, naming line 2" in_error 2
  run "$p" clip norm --max 1 <<<$'3 4\n1,2'
  check "replay clip: comma-separated numbers (line 2): exit 2, naming line 2" in_error 2
  while IFS='|' read -r args input want; do
    run "$p" clip $args <<<"$(tr ';' '\n' <<<"$input")"
    check "replay clip $args on '$input': '$want' (PyTorch's)" \
      eval '[ $rc -eq 0 ] && [ "$(tr "\n" ";" <"$work/out")" = "$want;" ] && [ ! -s "$work/err" ]'
  done <<'EOF2'
norm --max 1|3 4;3 4 0|5 0.599999905 0.799999833;5 0.599999905 0.799999833 0
norm --max 1 --norm-type 2|1;0.6 0.8 0|1 0.999999046;1 0.599999428 0.799999237 0
norm --max 3 --norm-type inf|0.5 -0.25|0.5 0.5 -0.25
value --max 1|0.5 -3 2 -0.0;1|0.5 -1 1 -0;1
value --max 0|0.5 -3 -0.0 0|0 -0 -0 0
EOF2

  # replay round: one float32 per line, nan, inf, -0.0 and subnormals welcome
  run "$p" round </dev/null
  check "replay round (no format): exit 2, one line" one_line_error 2
  run "$p" round fp32 <<<'1'
  check "replay round fp32: exit 2, one line naming it" eval 'one_line_error 2 && stderr_has fp32'
  for opt in "--max 1" "--lr 0.1" "--steps 3"; do
    run "$p" round fp16 $opt <<<'1'
    check "replay round fp16 $opt (round takes no option): exit 2, one line naming ${opt%% *}" \
      eval 'one_line_error 2 && stderr_has -- "${opt%% *}"'
  done
  run "$p" round bf16 <<<$'1\nabc'
  check "replay round: a non-number (line 2): exit 2, naming line 2" in_error 2
  run "$p" round fp16 <<<$'1 2'
  check "replay round: two numbers on line 1: exit 2, naming line 1" in_error 1
  run "$p" round fp16 <<<$'1\n\n2'
  check "replay round: an empty line (line 2): exit 2, naming line 2" in_error 2
  run "$p" round bf16 <<<$'1\n2\n1.5e'
  check "replay round: '1.5e' (line 3): exit 2, naming line 3" in_error 3
  while IFS='|' read -r fmt input want; do
    run "$p" round $fmt <<<"$(tr ' ' '\n' <<<"$input")"
    check "replay round $fmt on '$input': '$want' (PyTorch's)" \
      eval '[ $rc -eq 0 ] && [ "$(tr "\n" " " <"$work/out" | sed "s/-nan/nan/g")" = "$want " ] && [ ! -s "$work/err" ]'
  done <<'EOF2'
fp16|nan inf -inf -0.0 1e-45 65520 65519.996 2.98023224e-08 2.98023259e-08 -1e-9|nan inf -inf -0 0 inf 65504 0 5.96046448e-08 -0
bf16|nan -0.0 1e-39 3.39617757e+38 3.39617736e+38 9.18354962e-41 -inf|nan -0 1.01019046e-39 inf 3.38953139e+38 9.18354962e-41 -inf
EOF2

  # replay scaler: GradScaler's options only, and lines of 0 or 1
  for opt in "--growth-factor 1" "--growth-factor 0.5" "--backoff-factor 1" "--backoff-factor 2"; do
    run "$p" scaler $opt <<<'0'
    check "replay scaler $opt (GradScaler asserts against it): exit 2, one line" one_line_error 2
  done
  for opt in "--lr 0.1" "--steps 3" "--max 1" "--gamma 0.5"; do
    run "$p" scaler $opt <<<'0'
    check "replay scaler $opt (not a GradScaler option): exit 2, one line naming ${opt%% *}" \
      eval 'one_line_error 2 && stderr_has -- "${opt%% *}"'
  done
  for bad in 1.5 abc ''; do
    run "$p" scaler --growth-interval "$bad" <<<'0'
    check "replay scaler --growth-interval '$bad': exit 2, one line naming --growth-interval" \
      eval 'one_line_error 2 && stderr_has -- --growth-interval'
  done
  run "$p" scaler extra-operand <<<'0'
  check "replay scaler extra-operand: exit 2, one line naming it" \
    eval 'one_line_error 2 && stderr_has extra-operand'
  for bad in 2 -1 0.5 abc '0 1' ''; do
    run "$p" scaler <<<$'0\n1\n'"$bad"
    check "replay scaler: line 3 '$bad' (not 0 or 1): exit 2, naming line 3" in_error 3
  done
  run "$p" scaler <<<$'0\n1\n0'
  check "replay scaler, defaults: '0 65536|1 32768|0 32768' (skipped step halves the scale)" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "0 65536|1 32768|0 32768|" ]'
  run "$p" scaler --growth-interval 2 --init-scale 3 --growth-factor 1.1 <<<$'0\n0\n0\n0'
  check "replay scaler --growth-interval 2 --init-scale 3 --growth-factor 1.1: the scale grows every 2nd clean step" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "0 3|0 3.29999995|0 3.29999995|0 3.62999988|" ]'
  # replay loss xent (chapter 8): the target in range, a logit at least, smoothing in [0, 1]
  for bad in 3 -1 1.5 abc; do
    run "$p" loss xent <<<$'0 1 2 3
'"$bad"' 1 2 3'
    check "replay loss xent: target '$bad' on line 2 (not a class of 0..2): exit 2, naming line 2" in_error 2
  done
  run "$p" loss xent <<<$'0 1 2
0'
  check "replay loss xent: a target without logits (line 2): exit 2, naming line 2" in_error 2
  for bad in -0.1 1.5 abc nan ''; do
    run "$p" loss xent --label-smoothing "$bad" <<<'0 1 2'
    check "replay loss xent --label-smoothing '$bad': exit 2, one line naming --label-smoothing" \
      eval 'one_line_error 2 && stderr_has -- --label-smoothing'
  done
  run "$p" loss xent --lr 0.1 <<<'0 1 2'
  check "replay loss xent --lr 0.1 (not an option of the loss): exit 2, one line naming --lr" \
    eval 'one_line_error 2 && stderr_has -- --lr'
  run "$p" loss hinge <<<'0 1 2'
  check "replay loss hinge (unknown loss): exit 2, one line naming it" \
    eval 'one_line_error 2 && stderr_has hinge'
  run "$p" loss xent --label-smoothing 0.1 <<<$'1 0 0 0
0 3.5'
  check "replay loss xent --label-smoothing 0.1: uniform logits give ln 3 and (0.3, -0.6, 0.3); K = 1 gives 0" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "1.09861231 0.300000012 -0.600000024 0.300000012|0 0|" ]'
  hostile_checks "$p"
}

# replay under hostile input: periods that overflow 64 bits, NUL bytes, a standard
# output that cannot be written, a standard input that cannot be read, a short-option
# cluster.  Each ends at once (timeout 20), with one line on stderr.
hostile_checks() {
  local p=$1
  # cosine-restarts: T_0 4, T_mult 2^62 made the second period 2^64, which wrapped to 0
  # (a loop that never ended); PyTorch's integers do not overflow: lr stays ~1 after t = 4
  run timeout 20 "$p" schedule cosine-restarts --steps 6 --lr 1 --t-0 4 --t-mult 4611686018427387904 </dev/null
  check "replay schedule cosine-restarts --t-0 4 --t-mult 2^62: PyTorch's values, at once" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "1|0.853553391|0.5|0.146446609|1|1|" ] && [ ! -s "$work/err" ]'
  run timeout 20 "$p" schedule cosine-restarts --steps 5 --lr 1 --t-0 3 --t-mult 9223372036854775807 </dev/null
  check "replay schedule cosine-restarts --t-0 3 --t-mult 2^63-1: PyTorch's values (3(2^63-1) > 2^64)" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "1|0.75|0.25|1|1|" ] && [ ! -s "$work/err" ]'
  run timeout 20 "$p" schedule cosine-restarts --steps 100000 --lr 1 --t-0 9223372036854775807 --t-mult 9223372036854775807 </dev/null
  check "replay schedule cosine-restarts --t-0 2^63-1 --t-mult 2^63-1 --steps 100000: 100000 lines, exit 0" \
    eval '[ $rc -eq 0 ] && [ "$(nlines "$work/out")" -eq 100000 ] && [ ! -s "$work/err" ]'
  run timeout 20 "$p" schedule warmup-cosine --steps 3 --lr 1 --t-max 4611686018427387905 --warmup-steps 4611686018427387904 </dev/null
  check "replay schedule warmup-cosine with T_max and W beyond 2^53: finite values" \
    eval '[ $rc -eq 0 ] && [ "$(tr "\n" "|" <"$work/out")" = "0|2.16840434e-19|4.33680869e-19|" ]'
  # a NUL byte inside a line is refused, naming the line (it used to end the line silently)
  run "$p" optimizer sgd --lr 0.1 < <(printf '1 2\n0.5 1\n0.5\0 1\n')
  check "replay optimizer: a NUL byte in line 3: exit 2, one line naming line 3" \
    eval 'in_error 3 && stderr_has NUL'
  run "$p" round fp16 < <(printf '1\n2\0\n')
  check "replay round: a NUL byte in line 2: exit 2, one line naming line 2" \
    eval 'in_error 2 && stderr_has NUL'
  run "$p" clip norm --max 1 < <(printf '\0003 4\n')
  check "replay clip: a NUL byte at the start of line 1: exit 2, one line naming line 1" \
    eval 'in_error 1 && stderr_has NUL'
  # a standard output that cannot be written: a non-zero exit with one line, at once
  if [ -w /dev/full ]; then
    local cmd
    while IFS='|' read -r cmd input; do
      timeout 20 "$p" $cmd <<<"$(tr ';' '\n' <<<"$input")" >/dev/full 2>"$work/err"; rc=$?
      : >"$work/out"
      check "replay $cmd > /dev/full: exit 1, one line on stderr about the standard output" \
        eval 'one_line_error 1 && stderr_has "standard output"'
    done <<'EOF2'
optimizer sgd --lr 0.1|1 2;0.5 1;0.5 1
schedule step --steps 100000000 --lr 0.1 --step-size 3|
clip norm --max 1|3 4
round bf16|1;2
scaler|0;1
--help|
EOF2
    yes 0 | timeout 20 "$p" scaler >/dev/full 2>"$work/err"; rc=$?
    : >"$work/out"
    check "yes 0 | replay scaler > /dev/full: stops at once (exit 1, one line), does not write for ever" \
      eval 'one_line_error 1 && stderr_has "standard output"'
  else
    echo "cli: note: no writable /dev/full; the write-error checks are skipped"
  fi
  # a standard input that cannot be read (a directory) is not the end of the input
  local cmd
  for cmd in "optimizer sgd --lr 0.1" "clip value --max 1" "round fp16" "scaler"; do
    run "$p" $cmd < /
    check "replay $cmd < / (a directory): exit 1, one line about the standard input" \
      eval 'one_line_error 1 && stderr_has "standard input"'
  done
  # an unknown short-option cluster names the option, not the word before it
  run "$p" optimizer sgd -xyz <<<$'1 2\n0.5 0.5'
  check "replay optimizer sgd -xyz: exit 2, one line naming -x (not 'sgd')" \
    eval "one_line_error 2 && stderr_has \"'-x'\" && ! stderr_has \"'sgd'\""
  run "$p" --lr=0.1 -qrs optimizer sgd <<<$'1 2\n0.5 0.5'
  check "replay --lr=0.1 -qrs optimizer sgd: exit 2, one line naming -q" \
    eval "one_line_error 2 && stderr_has \"'-q'\""
}

for p in "$bindir"/*; do
  [ -f "$p" ] && [ -x "$p" ] || continue
  name=$(basename "$p")
  case $name in test_*|*.*|*-mpi) continue ;; esac   # *-mpi: run by tests/mpi.sh under mpirun
  common_checks "$p" "$name"
  case $name in
    [0-9][0-9]-*) chapter_checks "$p" "$name" ;;
    replay) replay_checks "$p" ;;
  esac
done

echo "cli: $pass/$total checks passed ($bindir)"
[ "$pass" -eq "$total" ] && [ "$total" -gt 0 ]
