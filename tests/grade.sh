#!/bin/bash
# tests/grade.sh [BUILD] -- the autograder on the book and on the student tree.
#
#   1. tools/grade on the book (BUILD): results.json is valid for Gradescope
#      (tools/check-results.py) and full marks, and so is each lab's alone;
#   2. the student tree (tools/student, synced into BUILD/lab/student by
#      tools/lab-variant so that make there rebuilds only what changed, and its
#      library, replay and test binary built): the whole book fails exactly the
#      tests and references that labs/*.json list for the holes, and each lab
#      (--lab NN) fails every test it lists and scores less than full marks.
# Filling every hole with the book's code is the book itself: step 1.  The planted
# mistakes are tests/grade-mistakes.sh.  Last line:
#   grade: 9/9 checks passed (in 80 s)
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 2
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
start=$(date +%s)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 total=0
ok() { total=$((total + 1)); pass=$((pass + 1)); echo "ok   $*"; }
no() { total=$((total + 1)); echo "FAIL $*"; }
labs=$("$PY" -c "import glob,json; print(' '.join(json.load(open(p))['lab'] for p in sorted(glob.glob('labs/*.json'))))")

# 1. the book
if tools/grade "$B" "$tmp/book.json" --torch-cases 2 --report "$tmp/book-crit.json" >"$tmp/g.log" 2>&1 \
   && "$PY" tools/check-results.py "$tmp/book.json" --full; then
  ok "the book: $(sed -n 's/^grade: \(.*\) results in.*/\1/p' "$tmp/g.log")"
else no "the book is not full marks:"; head -20 "$tmp/g.log"; fi
bad=
for l in $labs; do
  tools/grade "$B" "$tmp/book-$l.json" --lab "$l" --torch-cases 1 --report "$tmp/book-crit.json" \
    >/dev/null 2>&1 && "$PY" tools/check-results.py "$tmp/book-$l.json" --full || bad="$bad $l"
done
[ -z "$bad" ] && ok "the book, lab by lab ($labs): full marks" || no "the book, labs$bad: not full marks"

# 2. the student tree
S=$B/lab/student
tools/student . "$tmp/student" >/dev/null && tools/lab-variant "$tmp/student" "$S" || { no "tools/student"; exit 1; }
if make -C "$S" -j2 build/bin/test_descent build/bin/replay >"$tmp/make.log" 2>&1; then
  ok "the student tree builds (library, replay, tests)"
else no "the student tree does not build:"; tail -20 "$tmp/make.log"; echo "grade: $pass/$total checks passed"; exit 1; fi
# run from the student tree, as a student would (its labs, its references)
if (cd "$S" && tools/grade build "$tmp/student.json" --torch-cases 1 --report "$tmp/st-crit.json") \
     >"$tmp/g.log" 2>&1 && "$PY" tools/check-results.py "$tmp/student.json"; then
  if "$PY" - "$tmp/student.json" <<'PYEOF'
import glob, json, sys
r = json.load(open(sys.argv[1]))
want = set()
for p in glob.glob('labs/*.json'):
    for h in json.load(open(p))['holes']:
        want |= set(h['tests']) | {'reference::' + x for x in h['refs']}
got = {t['name'] for t in r['tests'] if t['score'] < t['max_score'] and not t['name'].startswith('pytorch::')}
for n in sorted(got - want): print('  fails but no hole lists it: ' + n)
for n in sorted(want - got): print('  a hole lists it but it passes: ' + n)
print('  student tree: %g/%g' % (r['score'], r['max_score']))
sys.exit(0 if got == want else 1)
PYEOF
  then ok "the student tree fails exactly the tests and references of the holes"
  else no "the student tree's failures are not the holes'"; fi
else no "grading the student tree:"; head -20 "$tmp/g.log"; fi
for l in $labs; do
  (cd "$S" && tools/grade build "$tmp/st-$l.json" --lab "$l" --torch-cases 1 --report "$tmp/st-crit.json") \
    >"$tmp/g.log" 2>&1
  if "$PY" tools/check-results.py "$tmp/st-$l.json" && "$PY" - "$tmp/st-$l.json" "$l" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1])); L = json.load(open('labs/%s.json' % sys.argv[2]))
want = set()
for h in L['holes']:
    want |= set(h['tests']) | {'reference::' + x for x in h['refs']} | {'pytorch::' + x for x in h.get('torch', [])}
names = {t['name'] for t in r['tests']}
# a live PyTorch suite draws its cases afresh, and a rare one (a zero gradient)
# can pass with a stub: the lab must fail every test and reference it lists
passing = [t['name'] for t in r['tests'] if t['score'] >= t['max_score']
           and not t['name'].startswith('pytorch::')]
for n in passing: print('  passes in the student tree: ' + n)
for n in sorted(names - want): print('  graded but not the lab\'s: ' + n)
print('  lab %s: %g/%g' % (sys.argv[2], r['score'], r['max_score']))
sys.exit(0 if not passing and names <= want and r['score'] < r['max_score'] else 1)
PYEOF
  then ok "student tree, lab $l fails every test it lists"
  else no "student tree, lab $l"; head -5 "$tmp/g.log"; fi
done
echo "grade: $pass/$total checks passed (in $(( $(date +%s) - start )) s)"
[ "$pass" -eq "$total" ]
