#!/bin/bash
# tests/holes.sh -- the labs' holes fail exactly the tests that labs/*.json name.
#
#   tests/holes.sh [B] [--each]        (B: the build directory, default build)
#
# Makes one student tree (tools/student --only, taking out every hole that
# some labs/*.json lists) in $B/holes/stu, builds its library, test_descent
# and replay, runs all Criterion tests and all reference files
# (tools/refcheck.py) there, and checks:
#   - every test and reference file that a lab lists for a hole fails in the
#     student tree, and nothing else fails;
#   - every hole a lab names exists in the webs, once;
#   - with the book's own code ($B/bin/test_descent, $B/bin/replay) every listed
#     test and reference file passes.
# A solution block that no lab lists is reported (not an error: the lab that
# will list it may be written on another branch).
# --each also builds the tree once per hole, with only that hole taken out,
# and checks that the hole alone fails exactly its own tests and references
# (slow: a rebuild and a run of the suite per hole).
# Prints one line per lab and exits 0 when every check holds, 1 otherwise.
set -u
B=build; EACH=
for a in "$@"; do case "$a" in --each) EACH=1 ;; -*) echo "usage: tests/holes.sh [B] [--each]" >&2; exit 2 ;; *) B=$a ;; esac; done
W=$B/holes
mkdir -p "$W"
# the book's own binaries, up to date
make --no-print-directory -j2 B="$B" "$B/bin/test_descent" "$B/bin/replay" > "$W/book-build.log" 2>&1 \
  || { tail -20 "$W/book-build.log"; echo "holes: the book's tree does not build"; exit 1; }

# what the labs say: hole names, and the tests and references of each
python3 - "$W" <<'EOF' || exit 1
import glob, json, os, re, sys
w = sys.argv[1]
holes, tests, refs, labs = {}, set(), set(), []
for path in sorted(glob.glob('labs/*.json')):
    lab = json.load(open(path))
    labs.append(lab['lab'])
    for h in lab['holes']:
        if h['name'] in holes:
            sys.exit(f"holes: {path}: hole {h['name']} is listed twice")
        holes[h['name']] = (lab['lab'], h.get('tests', []), h.get('refs', []))
webs = {}
for path in sorted(glob.glob('chapters/*.w')):
    for line in open(path):
        m = re.match(r'\s*@q solution ([a-z0-9_]+):', line)
        if m:
            if m.group(1) in webs:
                sys.exit(f'holes: solution block {m.group(1)} appears twice')
            webs[m.group(1)] = path
bad = [h for h in holes if h not in webs]
if bad:
    sys.exit('holes: labs name holes that no web has: ' + ' '.join(bad))
for h in sorted(set(webs) - set(holes)):
    print(f'holes: note: {webs[h]}: hole {h} is in no labs/*.json (not checked)')
with open(os.path.join(w, 'holes.txt'), 'w') as f:
    for h, (lab, t, r) in holes.items():
        f.write(f"{lab}\t{h}\t{' '.join(t)}\t{' '.join(r)}\n")
EOF
ALL=$(cut -f2 "$W/holes.txt" | paste -sd, -)

# run every test and every reference file with binaries in $1; write the names of
# the failures (suite::name, ref:NAME) to $2
run_all() {
  local bin=$1 out=$2 ref
  "$bin/test_descent" -j2 --json="$out.json" > "$out.log" 2>&1
  python3 - "$out.json" > "$out" <<'EOF' || return 1
import json, sys
d = json.load(open(sys.argv[1]))
for s in d['test_suites']:
    for t in s['tests']:
        if t['status'] not in ('PASSED', 'SKIPPED'):
            print(f"{s['name']}::{t['name']}")
EOF
  for ref in tests/ref/*.txt; do
    python3 tools/refcheck.py "$bin/replay" "$ref" > /dev/null 2>&1 \
      || echo "ref:$(basename "$ref" .txt)" >> "$out"
  done
  sort -o "$out" "$out"
}

# build a student tree with the holes $1 taken out, incrementally, in $W/stu
build_student() {
  rm -rf "$W/gen"
  tools/student --only "$1" . "$W/gen" > /dev/null || return 1
  mkdir -p "$W/stu"
  # copy what changed, so that make rebuilds only that
  (cd "$W/gen" && find . -type f) | while read -r f; do
    cmp -s "$W/gen/$f" "$W/stu/$f" || { mkdir -p "$(dirname "$W/stu/$f")"; cp "$W/gen/$f" "$W/stu/$f"; }
  done
  make --no-print-directory -C "$W/stu" -j2 build/bin/test_descent build/bin/replay \
    > "$W/build.log" 2>&1 || { tail -20 "$W/build.log"; echo "holes: the student tree does not build"; return 1; }
}

# compare the failures $1 with the expected ones of the holes whose lines are $2
compare() {
  python3 - "$1" "$2" <<'EOF'
import sys
got = set(open(sys.argv[1]).read().split())
want = set()
for line in open(sys.argv[2]):
    lab, h, t, r = line.rstrip('\n').split('\t')
    want |= set(t.split()) | {'ref:' + x for x in r.split()}
extra, missing = sorted(got - want), sorted(want - got)
for x in extra: print(f'  fails, but no lab lists it: {x}')
for x in missing: print(f'  listed, but passes: {x}')
sys.exit(1 if extra or missing else 0)
EOF
}

status=0
echo "holes: the book's own code"
run_all "$B/bin" "$W/book-fails" || exit 1
if [ -s "$W/book-fails" ]; then
  echo "holes: FAILED: with the book's code these fail:"; sed 's/^/  /' "$W/book-fails"; status=1
fi

echo "holes: one student tree with $(wc -l < "$W/holes.txt") holes taken out"
build_student "$ALL" || exit 1
run_all "$W/stu/build/bin" "$W/stu-fails" || exit 1
# with every hole out at once a hole can hide another's failure (a gradient
# check of a loss that is zero passes), so here the test is: nothing fails that
# no lab lists, and every hole fails at least one of its tests; --each is exact
compare "$W/stu-fails" "$W/holes.txt" | grep 'no lab lists' && status=1
# one line per lab: its holes, and how many of the listed tests failed
python3 - "$W/stu-fails" "$W/holes.txt" <<'EOF' || status=1
import sys
got = set(open(sys.argv[1]).read().split())
labs = {}
for line in open(sys.argv[2]):
    lab, h, t, r = line.rstrip('\n').split('\t')
    labs.setdefault(lab, []).append((h, t.split() + ['ref:' + x for x in r.split()]))
ok = True
for lab in sorted(labs):
    names = [h for h, _ in labs[lab]]
    tests = [x for _, ts in labs[lab] for x in ts]
    silent = [h for h, ts in labs[lab] if not any(x in got for x in ts)]
    n = len(set(tests))
    print(f"holes: lab {lab}: {len(names)} holes ({', '.join(names)}), "
          f"{n} tests/refs listed, {len([x for x in set(tests) if x in got])} fail"
          + (f"; FAILED: no listed test fails for {' '.join(silent)}" if silent else ''))
    ok = ok and not silent
sys.exit(0 if ok else 1)
EOF

if [ -n "$EACH" ]; then
  for h in $(cut -f2 "$W/holes.txt"); do
    build_student "$h" || exit 1
    run_all "$W/stu/build/bin" "$W/each-$h" || exit 1
    awk -F'\t' -v h="$h" '$2 == h' "$W/holes.txt" > "$W/one.txt"
    if compare "$W/each-$h" "$W/one.txt" > "$W/each-$h.diff"; then
      echo "holes: --each: $h alone fails exactly its $(wc -l < "$W/each-$h") tests/refs"
    else
      echo "holes: --each: $h alone:"; cat "$W/each-$h.diff"; status=1
    fi
  done
fi
[ $status -eq 0 ] && echo "holes: ok" || echo "holes: FAILED"
exit $status
