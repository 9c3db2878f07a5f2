#!/bin/bash
# tests/grade-mistakes.sh [BUILD] -- each planted mistake of labs/*.json earns its
# partial credit and its message.
#
# For every mistake: tools/lab-variant writes the book with the mistake's code in
# its hole into BUILD/lab/variant (in place: only the changed web is rewritten,
# so make recompiles a file or two), builds that tree's library and replay, links
# the test binary from BUILD's test objects (the mistakes live in .c files; the
# headers are checked to be the book's), and then
#   1. the committed evidence (labs/evidence/*.txt) is what this variant prints
#      (tools/lab-evidence; GRADE_EVIDENCE=write rewrites it instead);
#   2. tools/grade --lab recognizes it: every failing test of the hole scores the
#      mistake's credit, its output carries the message, and the lab is not full marks.
# GRADE_MISTAKES=0 skips the whole stage (one line).  Last line:
#   grade-mistakes: 5/5 mistakes recognized (in 95 s)
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 2
if [ "${GRADE_MISTAKES:-1}" = 0 ]; then echo "grade-mistakes: skipped (GRADE_MISTAKES=0)"; exit 0; fi
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
start=$(date +%s)
V=$B/lab/variant
mkdir -p "$V"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if ! ls "$B"/obj/tests/test_*.o >/dev/null 2>&1; then
  echo "grade-mistakes: no test objects in $B/obj/tests (make $B/bin/test_descent)"; exit 1
fi
pass=0 total=0
while read -r lab n hole; do
  total=$((total + 1))
  what="$lab:$n ($hole)"
  tools/lab-variant . "$V" --mistake "$lab:$n" || { echo "FAIL $what: lab-variant"; continue; }
  if ! make -C "$V" -j2 build/lib/libdescent.a build/bin/replay >"$tmp/make.log" 2>&1; then
    echo "FAIL $what: the variant does not build:"; tail -15 "$tmp/make.log"; continue
  fi
  same=true
  for h in "$B"/src/descent*.h; do
    cmp -s <(grep -v '^#line' "$h") <(grep -v '^#line' "$V/build/src/$(basename "$h")") || same=false
  done
  $same || { echo "FAIL $what: the mistake changes a header; link the tests of the variant itself"; continue; }
  gcc -fopenmp "$B"/obj/tests/test_*.o "$V/build/lib/libdescent.a" $(pkg-config --libs criterion) \
    -lz -lm -o "$V/build/bin/test_descent" || { echo "FAIL $what: link"; continue; }
  ev=$("$PY" -c "import json,sys; print(json.load(open('labs/$lab.json'))['mistakes'][$n]['evidence'])")
  if [ "${GRADE_EVIDENCE:-check}" = write ]; then
    tools/lab-evidence "$V/build/bin/replay" "$lab" "$n" || { echo "FAIL $what: evidence"; continue; }
  else
    cp "$ev" "$tmp/committed" 2>/dev/null || { echo "FAIL $what: no $ev (GRADE_EVIDENCE=write)"; continue; }
    tools/lab-evidence "$V/build/bin/replay" "$lab" "$n" >/dev/null
    if ! cmp -s "$ev" "$tmp/committed"; then
      cp "$tmp/committed" "$ev"
      echo "FAIL $what: $ev is not what the mistake prints (rewrite: GRADE_EVIDENCE=write $0)"; continue
    fi
  fi
  tools/grade "$V/build" "$tmp/r.json" --lab "$lab" --torch-cases 2 >"$tmp/grade.log" 2>&1 \
    || { echo "FAIL $what: grade"; cat "$tmp/grade.log"; continue; }
  "$PY" tools/check-results.py "$tmp/r.json" || { echo "FAIL $what: results.json invalid"; continue; }
  if "$PY" - "$tmp/r.json" "$lab" "$n" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1])); L = json.load(open('labs/%s.json' % sys.argv[2]))
m = L['mistakes'][int(sys.argv[3])]
h = next(h for h in L['holes'] if h['name'] == m['hole'])
names = set(h['tests']) | {'reference::' + x for x in h['refs']} | {'pytorch::' + x for x in h.get('torch', [])}
bad = [t for t in r['tests'] if t['score'] < t['max_score']]
ok = bool(bad) and r['score'] < r['max_score']
for t in bad:
    if t['name'] not in names:
        print('  %s failed, which is not a test of hole %s' % (t['name'], h['name'])); ok = False
    elif abs(t['score'] - m['credit'] * t['max_score']) > 1e-9 or m['message'] not in t['output']:
        print('  %s: %g/%g, without the message of "%s"' % (t['name'], t['score'], t['max_score'], m['name'])); ok = False
print('  %s "%s": %d tests at %g credit, lab %g/%g' % (h['name'], m['name'], len(bad), m['credit'], r['score'], r['max_score']))
sys.exit(0 if ok else 1)
PYEOF
  then pass=$((pass + 1)); else echo "FAIL $what: not recognized"; fi
done < <("$PY" -c "
import glob, json
for p in sorted(glob.glob('labs/*.json')):
    L = json.load(open(p))
    for i, m in enumerate(L.get('mistakes', [])): print(L['lab'], i, m['hole'])")
echo "grade-mistakes: $pass/$total mistakes recognized (in $(( $(date +%s) - start )) s)"
[ "$pass" -eq "$total" ] && [ "$total" -gt 0 ]
