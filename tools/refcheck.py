#!/usr/bin/python3
"""tools/refcheck.py -- run the committed reference vectors through replay.

    python3 tools/refcheck.py REPLAY FILE.txt ...

For every case in every file (the format is described in tools/make-refs.py),
runs REPLAY with the case's args and stdin and compares what it prints with the
case's out lines: the same number of lines and of numbers on each line, and each
number a close to the reference b by the file's `tolerance:` line:

    tolerance: K            |a - b| <= K * 1e-6 * max(1, |b|)      (optimizers)
    tolerance: K relative   |a - b| <= K * 1e-6 * max(|b|, 1e-6 * M), M the largest
                            |reference| in b's column (its place on the line) of the
                            case: relative, down to a millionth of the case's scale
                            (schedules, clipping by norm)
    tolerance: 0            exact: a and b are the same float32, bit for bit (-0 is
                            not 0), or both NaN (rounding, clipping by value, scaler)

In every mode nan, inf and -inf must match exactly.  Only the standard library:
no PyTorch needed.  Prints one line per failing case, one line per file

    refcheck: tests/ref/adam.txt: 24/24 cases agree (max rel err 3.1e-08)

and a summary line

    refcheck: 20/20 cases agree (max rel err 3.1e-08)

and exits 0 if every case agrees, 1 otherwise (2 on a malformed file).
"""
import math
import struct
import subprocess
import sys


class Malformed(Exception):
    pass


def parse(path):
    """A list of (label, args, inp, out, tolerance) from one reference file."""
    cases, tol, relative, cur, section = [], None, False, None, None
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                if line.startswith("# case"):
                    cur = {"label": "%s:%d %s" % (path, lineno, line[2:]),
                           "args": None, "in": [], "out": []}
                    cases.append(cur)
                    section = None
                continue
            if line.startswith("tolerance:"):
                words = line.split(":", 1)[1].split()
                if not words or len(words) > 2 or (len(words) == 2 and words[1] != "relative"):
                    raise Malformed("%s:%d: expected 'tolerance: K' or 'tolerance: K relative'"
                                    % (path, lineno))
                tol, relative = float(words[0]), len(words) == 2
                continue
            if cur is None:
                if line.strip():
                    raise Malformed("%s:%d: text before the first '# case'" % (path, lineno))
                continue
            if line.startswith("args:"):
                cur["args"] = line[5:].split()
            elif line in ("in:", "out:"):
                section = line[:-1]
            elif section is None:
                raise Malformed("%s:%d: data outside in:/out:" % (path, lineno))
            else:
                cur[section].append(line)
    if tol is None:
        raise Malformed("%s: no 'tolerance:' line" % path)
    for c in cases:
        if not c["args"] or not c["out"]:
            raise Malformed("%s: case without args or out" % c["label"])
    return [(c["label"], c["args"], c["in"], c["out"], tol, relative) for c in cases]


def f32_bits(x):
    """The bit pattern of x rounded to float32 (the text of a float32 printed
    with %.9g reads back as a double within 1e-9 of it, so rounding recovers it),
    or None if x is beyond float32's range."""
    try:
        return struct.pack("<f", x)
    except OverflowError:
        return None


def column_scales(want_lines):
    """For each column (place on a line), the largest finite |reference| in it."""
    m = []
    for w in want_lines:
        for j, t in enumerate(w.split()):
            try:
                y = abs(float(t))
            except ValueError:
                continue
            if j == len(m):
                m.append(0.0)
            if not math.isinf(y) and y > m[j]:
                m[j] = y
    return m


def compare(got_lines, want_lines, tol, relative=False):
    """(None, max_err) if they agree, else (message, max_err).  tol 0: exact
    (float32 bits); relative: see the module's comment; else max(1, |b|)."""
    worst = 0.0
    if len(got_lines) != len(want_lines):
        return "printed %d lines, expected %d" % (len(got_lines), len(want_lines)), worst
    scale = column_scales(want_lines) if relative else None
    for i, (g, w) in enumerate(zip(got_lines, want_lines), 1):
        gt, wt = g.split(), w.split()
        if len(gt) != len(wt):
            return "output line %d has %d numbers, expected %d" % (i, len(gt), len(wt)), worst
        for j, (a, b) in enumerate(zip(gt, wt), 1):
            try:
                x, y = float(a), float(b)
            except ValueError:
                return "output line %d, number %d: %r is not a number" % (i, j, a), worst
            if math.isnan(y) or math.isinf(y) or math.isnan(x) or math.isinf(x):
                same = (math.isnan(x) and math.isnan(y)) or x == y
                if not same:
                    return "output line %d, number %d: %s, expected %s" % (i, j, a, b), worst
                continue
            if tol == 0:
                bx, by = f32_bits(x), f32_bits(y)
                if bx is None or bx != by:
                    why = "beyond float32" if bx is None else "another float32"
                    return ("output line %d, number %d: %s, expected %s exactly (%s)"
                            % (i, j, a, b, why)), worst
                continue
            if relative:
                den = max(abs(y), 1e-6 * scale[j - 1])
                err = abs(x - y) / den if den > 0 else (0.0 if x == y else math.inf)
            else:
                err = abs(x - y) / max(1.0, abs(y))
            worst = max(worst, err)
            if err > tol * 1e-6:
                return ("output line %d (step %d), number %d: %s, expected %s (%s err %.2g > %g)"
                        % (i, i, j, a, b, "rel" if relative else "scaled", err, tol * 1e-6)), worst
    return None, worst


def main(argv):
    if len(argv) < 3:
        print("usage: refcheck.py REPLAY FILE.txt ...", file=sys.stderr)
        return 2
    replay, files = argv[1], argv[2:]
    total = passed = 0
    worst = 0.0
    for path in files:
        try:
            cases = parse(path)
        except (Malformed, ValueError, OSError) as e:
            print("refcheck: %s" % e, file=sys.stderr)
            return 2
        fpass = ftotal = 0
        fworst = 0.0
        for label, args, inp, out, tol, relative in cases:
            total += 1
            ftotal += 1
            try:
                r = subprocess.run([replay] + args, input="\n".join(inp) + "\n",
                                   capture_output=True, text=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired) as e:
                print("refcheck: FAIL %s: %s" % (label, e))
                continue
            if r.returncode != 0:
                err = r.stderr.strip().splitlines()
                print("refcheck: FAIL %s: replay %s exited %d: %s"
                      % (label, " ".join(args), r.returncode, err[-1] if err else "(no message)"))
                continue
            msg, e = compare(r.stdout.splitlines(), out, tol, relative)
            worst = max(worst, e)
            fworst = max(fworst, e)
            if msg:
                print("refcheck: FAIL %s: replay %s: %s" % (label, " ".join(args), msg))
            else:
                passed += 1
                fpass += 1
        how = ("exact" if cases and cases[0][4] == 0 else "max rel err %.2g" % fworst)
        print("refcheck: %s: %d/%d cases agree (%s)" % (path, fpass, ftotal, how))
    print("refcheck: %d/%d cases agree (max rel err %.2g)" % (passed, total, worst))
    return 0 if passed == total and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
