#!/usr/bin/python3
"""tools/refcheck.py -- run the committed reference vectors through replay.

    python3 tools/refcheck.py REPLAY FILE.txt ...

For every case in every file (the format is described in tools/make-refs.py),
runs REPLAY with the case's args and stdin and compares what it prints with the
case's out lines: the same number of lines and of numbers on each line, and each
number a within |a - b| <= K * 1e-6 * max(1, |b|) of the reference b, K being
the file's `tolerance:` line (0 = exact; nan, inf and -inf must match exactly).
Only the standard library: no PyTorch needed.  Prints one line per failing case
and a summary line

    refcheck: 20/20 cases agree (max rel err 3.1e-08)

and exits 0 if every case agrees, 1 otherwise (2 on a malformed file).
"""
import math
import subprocess
import sys


class Malformed(Exception):
    pass


def parse(path):
    """A list of (label, args, inp, out, tolerance) from one reference file."""
    cases, tol, cur, section = [], None, None, None
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
                tol = float(line.split(":", 1)[1])
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
    return [(c["label"], c["args"], c["in"], c["out"], tol) for c in cases]


def compare(got_lines, want_lines, tol):
    """(None, max_err) if they agree, else (message, max_err)."""
    worst = 0.0
    if len(got_lines) != len(want_lines):
        return "printed %d lines, expected %d" % (len(got_lines), len(want_lines)), worst
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
            err = abs(x - y) / max(1.0, abs(y))
            worst = max(worst, err)
            if err > tol * 1e-6 or (tol == 0 and x != y):
                return ("output line %d (step %d), number %d: %s, expected %s (rel err %.2g > %g)"
                        % (i, i, j, a, b, err, tol * 1e-6)), worst
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
        for label, args, inp, out, tol in cases:
            total += 1
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
            msg, e = compare(r.stdout.splitlines(), out, tol)
            worst = max(worst, e)
            if msg:
                print("refcheck: FAIL %s: replay %s: %s" % (label, " ".join(args), msg))
            else:
                passed += 1
    print("refcheck: %d/%d cases agree (max rel err %.2g)" % (passed, total, worst))
    return 0 if passed == total and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
