#!/usr/bin/python3
"""tools/check-results.py RESULTS.json [--full] -- is it a results.json Gradescope reads?

Checks the fields Gradescope's autograder documentation describes
(https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output format"):
top level "score" (number; required unless every test has a score), "max_score",
"execution_time" (numbers), "output" (string), "visibility" and
"stdout_visibility" (hidden, after_due_date, after_published, visible), "tests"
(a list); each test "score" and "max_score" (numbers), "name", "output"
(strings), "visibility"; "status" if present passed or failed.  Unknown keys
are refused (a misspelt key is silently ignored by Gradescope).  Scores are
checked: 0 <= score <= max_score for every test, the sums of the tests equal
the top-level score and max_score.  --full also requires full marks.
Prints one line per problem; exit 0 if none, 1 otherwise, 2 on a bad command line.
"""
import json, math, sys

VIS = {'hidden', 'after_due_date', 'after_published', 'visible'}
TOP = {'score', 'max_score', 'execution_time', 'output', 'output_format', 'visibility',
       'stdout_visibility', 'extra_data', 'tests', 'leaderboard', 'test_output_format',
       'test_name_format'}
TEST = {'score', 'max_score', 'status', 'name', 'name_format', 'number', 'output',
        'output_format', 'tags', 'visibility', 'extra_data'}
FORMATS = {'text', 'html', 'simple_format', 'md', 'ansi'}


def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check(r, full):
    bad = []
    if not isinstance(r, dict):
        return ['the top level is not an object']
    for k in r:
        if k not in TOP:
            bad.append('unknown top-level key %r' % k)
    for k in ('score', 'max_score', 'execution_time'):
        if k in r and not num(r[k]):
            bad.append('%s is not a finite number' % k)
    for k in ('visibility', 'stdout_visibility'):
        if k in r and r[k] not in VIS:
            bad.append('%s %r is not one of %s' % (k, r[k], ', '.join(sorted(VIS))))
    for k in ('output_format', 'test_output_format', 'test_name_format'):
        if k in r and r[k] not in FORMATS:
            bad.append('%s %r is not a known format' % (k, r[k]))
    if 'output' in r and not isinstance(r['output'], str):
        bad.append('output is not a string')
    tests = r.get('tests', [])
    if not isinstance(tests, list):
        return bad + ['tests is not a list']
    if 'score' not in r and not all(isinstance(t, dict) and 'score' in t for t in tests):
        bad.append('no top-level score, and not every test has one')
    ssum = msum = 0.0
    for i, t in enumerate(tests):
        w = 'test %d (%s)' % (i + 1, t.get('name', '?') if isinstance(t, dict) else '?')
        if not isinstance(t, dict):
            bad.append(w + ' is not an object'); continue
        for k in t:
            if k not in TEST:
                bad.append('%s: unknown key %r' % (w, k))
        for k in ('name', 'output', 'number'):
            if k in t and not isinstance(t[k], str):
                bad.append('%s: %s is not a string' % (w, k))
        if 'visibility' in t and t['visibility'] not in VIS:
            bad.append('%s: visibility %r' % (w, t['visibility']))
        if 'status' in t and t['status'] not in ('passed', 'failed'):
            bad.append('%s: status %r' % (w, t['status']))
        if 'tags' in t and not (isinstance(t['tags'], list) and all(isinstance(x, str) for x in t['tags'])):
            bad.append('%s: tags is not a list of strings' % w)
        for k in ('score', 'max_score'):
            if k in t and not num(t[k]):
                bad.append('%s: %s is not a finite number' % (w, k))
        if num(t.get('score')) and num(t.get('max_score')):
            if not 0 <= t['score'] <= t['max_score']:
                bad.append('%s: score %g outside [0, %g]' % (w, t['score'], t['max_score']))
            ssum += t['score']
            msum += t['max_score']
            if full and t['score'] != t['max_score']:
                bad.append('%s: %g/%g, not full marks' % (w, t['score'], t['max_score']))
    if tests and num(r.get('score')) and abs(ssum - r['score']) > 1e-6:
        bad.append('score %g is not the sum of the tests\' scores %g' % (r['score'], ssum))
    if tests and num(r.get('max_score')) and abs(msum - r['max_score']) > 1e-6:
        bad.append('max_score %g is not the sum of the tests\' %g' % (r['max_score'], msum))
    if num(r.get('score')) and num(r.get('max_score')) and r['score'] > r['max_score'] + 1e-9:
        bad.append('score %g above max_score %g' % (r['score'], r['max_score']))
    if full and not (num(r.get('score')) and num(r.get('max_score')) and r['score'] == r['max_score']):
        bad.append('not full marks: %s/%s' % (r.get('score'), r.get('max_score')))
    return bad


def main(argv):
    args = argv[1:]
    full = '--full' in args
    args = [a for a in args if a != '--full']
    if len(args) != 1:
        print('usage: tools/check-results.py RESULTS.json [--full]', file=sys.stderr)
        return 2
    try:
        with open(args[0]) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        print('check-results: %s: %s' % (args[0], e))
        return 1
    bad = check(r, full)
    for b in bad[:30]:
        print('check-results: %s: %s' % (args[0], b))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
