#!/bin/bash
# labs/gradescope/make-zip.sh LAB [OUT.zip] -- the autograder zip of one lab for
# Gradescope ("Zip file upload"): setup.sh and run_autograder at the top, LAB (the
# lab's number), and descent/, this checkout with the lab's holes stubbed.
# Default OUT: build/gradescope/lab-LAB.zip.  Run from anywhere in the tree.
set -eu
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: labs/gradescope/make-zip.sh LAB [OUT.zip]" >&2; exit 2; }
LAB=$1
[ -f "labs/$LAB.json" ] || { echo "make-zip: no lab $LAB (labs/$LAB.json)" >&2; exit 2; }
OUT=${2:-build/gradescope/lab-$LAB.zip}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the autograder's tree: the book with this lab's holes stubbed and every other
# hole filled (students never see it), so that a test another lab's hole also
# covers does not fail for a student who has not done that lab
holes=$(/usr/bin/python3 -c "import json; print(','.join(h['name'] for h in json.load(open('labs/$LAB.json'))['holes']))")
tools/lab-variant . "$tmp/descent" --stub "$holes"
rm -rf "$tmp/descent/build"
cp labs/gradescope/setup.sh labs/gradescope/run_autograder "$tmp/"
chmod +x "$tmp/setup.sh" "$tmp/run_autograder"
echo "$LAB" > "$tmp/LAB"
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT.tmp"
(cd "$tmp" && /usr/bin/python3 -m zipfile -c "$OUT.tmp" setup.sh run_autograder LAB descent)
mv "$OUT.tmp" "$OUT"
echo "make-zip: $OUT (lab $LAB: $(/usr/bin/python3 -c "import json; print(json.load(open('labs/$LAB.json'))['title'])"))"
