#!/bin/bash
# tests/lint.sh BUILDDIR -- the house rules (tools/lint) hold on the book, and
# the lint has teeth: on a small book set with the book's own macros in which a
# code line is planted past the right margin, a \val the program never wrote
# ("??"), a string literal long enough for cweave to break with a backslash and
# a page broken off early inside the chapter, it reports each of the four and
# exits 1.
# Last line: "lint: N/M checks passed".
set -u
B=${1:?usage: tests/lint.sh BUILDDIR}
cd "$(dirname "$0")/.." || exit 2
top=$PWD
pass=0 total=0
check() { total=$((total + 1)); if eval "$2"; then pass=$((pass + 1)); else echo "lint: FAIL $1"; fi; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/descent-lint-XXXXXX"); [ -n "${LINT_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

B="$B" tools/lint >"$tmp/book.out" 2>&1; rc=$?
check "the book passes the lint" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || head -20 "$tmp/book.out"

# the planted book: front matter from book.tex, then a chapter of ordinary
# sections (so that most pages have a running head) and the four defects
mkdir -p "$tmp/plant/tex"
{
  echo '\input book'
  echo '\numberedchapters=1'
  echo '@* Planted.'
  for i in $(seq 1 60); do
    echo '@ An ordinary section, with a little code that fits.'
    echo '@c'
    echo "int ordinary_$i(int x) { return x + $i; }"
    # a page broken off a little way down, inside the chapter
    [ "$i" = 20 ] && echo '@ This section ends its page early.\par\vfill\eject'
  done
  echo '@ This value was never written: \val{NoSuchValueAnywhere}.'
  echo '@c'
  # a code line pushed past the margin by TeX's own glue, as a long line is
  echo 'int pushed_past_the_margin = 1;'
  echo 'int planted = 1 + @t\hbox{\kern 40em}@> pushed_past_the_margin;'
  echo '@ A string too long for one line.'
  echo '@c'
  echo 'const char *planted_text = "a string literal far too long for one typeset line, which cweave will break with a backslash at its end";'
} >"$tmp/plant/tex/descent.w"
(cd "$tmp/plant/tex" || exit 1
 cweave -bhp descent.w - descent.tex >cweave.log 2>&1   # warns about the long literal
 [ -s descent.tex ] || exit 1
 for pass in 1 2; do
   TEXINPUTS=.:$top:$top/tex: pdftex -interaction=nonstopmode -halt-on-error descent.tex >/dev/null || exit 1
 done) && cp "$tmp/plant/tex/descent.pdf" "$tmp/plant/book.pdf"
check "the planted book is typeset" '[ -s "$tmp/plant/book.pdf" ]'
rm -f "$tmp/plant/tex/descent.log"   # the overfull-box rule would see the planted line too
B="$tmp/plant" tools/lint >"$tmp/plant.out" 2>&1; rc=$?
check "the planted book fails the lint (exit 1)" '[ $rc -eq 1 ]'
check "the planted line past the margin is reported" \
  'grep -q "pushed. ends .* past the right margin" "$tmp/plant.out"'
check "the planted ?? is reported" 'grep -q "??" "$tmp/plant.out"'
check "the broken string literal is reported" 'grep -q "broken across lines" "$tmp/plant.out"'
check "the page ended early is reported" 'grep -q "short of the bottom, inside a chapter" "$tmp/plant.out"'
check "nothing else is reported" \
  '[ "$(grep -v "past the right margin\|??\|broken across lines\|short of the bottom\|^lint:" "$tmp/plant.out" | wc -l)" -eq 0 ]'
[ $pass -eq $total ] || cat "$tmp/plant.out"
echo "lint: $pass/$total checks passed"
[ $pass -eq $total ]
