#!/usr/bin/python3
"""tools/torch-check.py -- the live check: replay against PyTorch on fresh random cases.

    /usr/bin/python3 tools/torch-check.py REPLAY [--seed N] [--cases N] [--keep FILE] [--stats]
                                          [--only SUITE,...]

Three parts, all decided by PyTorch itself (Debian's python3-torch 1.13.1):

1. Trajectories.  N (default 50) new random cases of each kind -- sgd (lr,
   weight_decay, maximize), sgd-momentum (momentum with dampening or nesterov),
   adagrad, rmsprop (momentum, centered), adam and adamw (amsgrad) -- with
   fresh hyperparameters and gradients (tools/make-refs.py's generators, over
   1-33 parameters and 100-120 steps); REPLAY and PyTorch run the same numbers
   and must agree to |replay - torch| <= K * 1e-6 * max(1, |torch|), with K
   per suite from tools/make-refs.py (where it is measured and justified).
2. Keywords.  REPLAY must accept exactly the keyword arguments of each
   PyTorch constructor (read with inspect.signature) among its options, and
   refuse every other option for that optimizer with exit 2 and one line.
3. Validation.  Edge values of every hyperparameter -- the ones PyTorch
   rejects with ValueError (negative lr, eps, momentum, weight_decay, alpha,
   lr_decay, initial_accumulator_value; betas outside [0, 1); nesterov with
   dampening or without momentum) and the ones it accepts although a careless
   check would not (lr -0.0, momentum > 1, any dampening, alpha > 1, beta 0,
   eps 0, ...) -- with fresh random magnitudes.  REPLAY must exit 2 with one
   line on stderr and nothing on stdout exactly when PyTorch raises
   ValueError, and otherwise run and agree with PyTorch's steps.

The seed is taken from the clock unless given, and printed so that a failure
can be reproduced.  --keep FILE writes failing trajectory cases in the
reference-file format, for tools/refcheck.py.  --stats prints, per suite, the
worst, 99th-percentile and median error of the cases in units of 1e-6 (how the
tolerances in make-refs.py were measured: run it with --cases 2000).  --only
runs the trajectories of the suites named (sgd, sgd-momentum, adagrad,
rmsprop, adam, adamw) and nothing else.

Exit status 0 if everything agrees, 1 otherwise (2 on a bad command line).
"""
import importlib.util
import inspect
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


refs = load("make_refs", "make-refs.py")
refcheck = load("refcheck", "refcheck.py")

# the kinds of trajectory case: (suite name, optimizer, options forced on)
KINDS = (("sgd", "sgd", None), ("sgd-momentum", "sgd", ("momentum",)),
         ("adagrad", "adagrad", ()), ("rmsprop", "rmsprop", ()),
         ("adam", "adam", ()), ("adamw", "adamw", ()))


def run(replay, args, stdin):
    return subprocess.run([replay] + args, input=stdin, capture_output=True, text=True,
                          timeout=120)


def one_line_error(r):
    """replay's answer is a usage error: exit 2, one line on stderr, nothing on stdout."""
    return (r.returncode == 2 and r.stdout == "" and r.stderr.endswith("\n")
            and len(r.stderr.strip().splitlines()) == 1)


def describe(r):
    lines = r.stderr.strip().splitlines()
    return "exited %d, %d stdout lines, %d stderr lines%s" % (
        r.returncode, len(r.stdout.splitlines()), len(lines),
        (": " + lines[0]) if lines else "")


# ---------------------------------------------------------------------------
# 1. trajectories

def check_trajectories(replay, rng, ncases, keep_cases, errors, kinds=KINDS):
    passed = failed = 0
    for i in range(ncases * len(kinds)):
        suite, name, force = kinds[i % len(kinds)]
        feats = () if force is None else refs.FEATURES[name]
        case = refs.optimizer_case(rng, name, feats, force=force or ())
        r = run(replay, case["args"], "\n".join(case["inp"]) + "\n")
        if r.returncode != 0:
            msg = describe(r)
        else:
            msg, err = refcheck.compare(r.stdout.splitlines(), case["out"], case["tolerance"])
            if not msg:
                errors.setdefault(suite, []).append(err)
        if msg:
            failed += 1
            keep_cases.append(case)
            print("torch-check: FAIL case %d (%s): replay %s: %s"
                  % (i + 1, suite, " ".join(case["args"]), msg))
        else:
            passed += 1
    return passed, failed


# ---------------------------------------------------------------------------
# 2. keywords: replay takes exactly the constructor's keyword arguments

# every optimizer option replay has, with a value PyTorch accepts for every
# optimizer that takes it (None: a flag)
REPLAY_OPTIONS = {
    "lr": "0.01", "momentum": "0.5", "dampening": "0", "nesterov": None,
    "weight_decay": "0.01", "maximize": None, "betas": "0.8,0.99", "eps": "1e-6",
    "amsgrad": None, "alpha": "0.9", "centered": None, "lr_decay": "0.01",
    "initial_accumulator_value": "0.1", "trust_coefficient": "0.001",
}
NOT_NUMERIC = ("params", "self", "foreach", "differentiable", "capturable", "fused")


def torch_keywords(name):
    import torch
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
           "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
           "adamw": torch.optim.AdamW}[name]
    return [k for k in inspect.signature(cls.__init__).parameters if k not in NOT_NUMERIC]


def option_args(key):
    opt = "--" + key.replace("_", "-")
    v = REPLAY_OPTIONS[key]
    args = [opt] if v is None else [opt, v]
    if key == "nesterov":
        args = ["--momentum", "0.5"] + args        # PyTorch: nesterov needs momentum
    return args


def check_keywords(replay):
    total = passed = 0
    for name in refs.OPTIMIZERS:
        takes = torch_keywords(name)
        unknown = [k for k in takes if k not in REPLAY_OPTIONS]
        if unknown:
            print("torch-check: FAIL: torch.optim %s takes %s, which this check does not know"
                  % (name, ", ".join(unknown)))
            total += 1
        for key in REPLAY_OPTIONS:
            total += 1
            args = ["optimizer", name] + (["--lr", "0.01"] if key != "lr" else []) + option_args(key)
            r = run(replay, args, "0.5 -0.25\n0.125 0.5\n")
            if key in takes:
                ok = r.returncode == 0 and len(r.stdout.splitlines()) == 1
                want = "exit 0 and one line (PyTorch takes %s)" % key
            else:
                ok = one_line_error(r)
                want = "exit 2 and one line (PyTorch's %s has no %s)" % (name, key)
            if ok:
                passed += 1
            else:
                print("torch-check: FAIL: replay %s: %s; want %s"
                      % (" ".join(args), describe(r), want))
    return passed, total


# ---------------------------------------------------------------------------
# 3. validation at the edges

def edge_configs(rng):
    """(optimizer, keyword arguments) at the edges of what PyTorch accepts; x is
    a fresh random positive magnitude, so the edges are probed from afar as well
    as at +-0."""
    def x():
        return refs.nice(refs.loguniform(rng, 1e-6, 10.0))
    def u():
        return refs.nice(rng.uniform(0.01, 0.99), 3)
    e = []
    for name in refs.OPTIMIZERS:
        lr = {"sgd": 0.01}.get(name)
        base = {} if lr is None else {"lr": lr}
        # every optimizer: lr, weight_decay (and eps where taken) below zero, at -0.0, at 0
        for key in ("lr", "weight_decay", "eps"):
            if key == "eps" and name == "sgd":
                continue
            for v in (-x(), -1e-12, -0.0, 0.0):
                e.append((name, dict(base, **{key: v})))
    e += [("sgd", {"lr": 0.01, "momentum": -x()}),
          ("sgd", {"lr": 0.01, "momentum": -0.0}),
          ("sgd", {"lr": 0.01, "momentum": 1.0 + x()}),             # accepted
          ("sgd", {"lr": 0.01, "momentum": 0.0, "dampening": x()}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": -x()}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": 1.0 + x()}),
          ("sgd", {"lr": 0.01, "nesterov": True}),                  # momentum 0
          ("sgd", {"lr": 0.01, "momentum": 0.0, "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": u(), "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": -x(), "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": 0.0, "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": -0.0, "nesterov": True}),
          ("sgd", {"lr": 0.01, "momentum": u(), "dampening": 1e-12, "nesterov": True}),
          ("adagrad", {"lr_decay": -x()}), ("adagrad", {"lr_decay": -0.0}),
          ("adagrad", {"lr_decay": 0.0}), ("adagrad", {"lr_decay": x()}),
          ("adagrad", {"initial_accumulator_value": -x()}),
          ("adagrad", {"initial_accumulator_value": -1e-12}),
          ("adagrad", {"initial_accumulator_value": -0.0}),
          ("adagrad", {"initial_accumulator_value": x()}),
          ("rmsprop", {"alpha": -x()}), ("rmsprop", {"alpha": -0.0}),
          ("rmsprop", {"alpha": 0.0}), ("rmsprop", {"alpha": 1.0}),
          ("rmsprop", {"alpha": 1.0 + x()}),                        # accepted (and NaN)
          ("rmsprop", {"momentum": -x()}), ("rmsprop", {"momentum": -0.0}),
          ("rmsprop", {"momentum": 1.0 + x()}),
          ("rmsprop", {"momentum": -x(), "centered": True}),
          ("rmsprop", {"momentum": u(), "centered": True, "eps": 0.0})]
    for name in ("adam", "adamw"):
        for b1, b2 in ((-x(), 0.999), (-0.0, 0.999), (0.0, 0.999), (1.0, 0.999),
                       (1.0 + x(), 0.999), (1.0 - 1e-9, 0.999), (0.9, -x()), (0.9, -0.0),
                       (0.9, 0.0), (0.9, 1.0), (0.9, 1.0 + x()), (0.9, 1.0 - 1e-9),
                       (0.0, 0.0), (-x(), 1.0 + x()), (u(), u())):
            e.append((name, {"betas": (b1, b2)}))
        e.append((name, {"amsgrad": True, "betas": (0.9, 1.0)}))
        e.append((name, {"amsgrad": True, "eps": 0.0, "weight_decay": x()}))
    return e


def torch_rejects(name, h):
    import torch
    p = torch.zeros(2, requires_grad=True)
    try:
        refs.torch_optimizer(name, p, h)
    except ValueError:
        return True
    return False


def check_validation(replay, rng):
    total = passed = 0
    for name, h in edge_configs(rng):
        total += 1
        args = refs.replay_args(name, h)
        # nonzero gradients, so that eps 0 divides by a nonzero root
        p0 = [refs.f32(rng.gauss(0, 1)) for _ in range(3)]
        grads = [[refs.f32(rng.choice((-1, 1)) * rng.uniform(0.1, 2.0)) for _ in range(3)]
                 for _ in range(4)]
        stdin = "\n".join(" ".join(map(refs.fmt, v)) for v in [p0] + grads) + "\n"
        r = run(replay, args, stdin)
        if torch_rejects(name, h):
            if one_line_error(r):
                passed += 1
            else:
                print("torch-check: FAIL: PyTorch rejects %s %r but `replay %s` %s "
                      "(want exit 2, one line on stderr, nothing on stdout)"
                      % (name, h, " ".join(args), describe(r)))
            continue
        if r.returncode != 0:
            print("torch-check: FAIL: PyTorch accepts %s %r but `replay %s` %s"
                  % (name, h, " ".join(args), describe(r)))
            continue
        want = [" ".join(map(refs.fmt, o)) for o in refs.torch_run(name, h, p0, grads)]
        msg, _ = refcheck.compare(r.stdout.splitlines(), want, refs.case_tolerance(name, h))
        if msg:
            print("torch-check: FAIL: `replay %s` (accepted, as by PyTorch): %s"
                  % (" ".join(args), msg))
        else:
            passed += 1
    return passed, total


# ---------------------------------------------------------------------------

def main(argv):
    args = argv[1:]
    replay, seed, ncases, keep, stats, only = None, None, 50, None, False, None
    try:
        while args:
            a = args.pop(0)
            if a == "--seed":
                seed = int(args.pop(0))
            elif a == "--cases":
                ncases = int(args.pop(0))
            elif a == "--keep":
                keep = args.pop(0)
            elif a == "--stats":
                stats = True
            elif a == "--only":
                only = args.pop(0).split(",")
                bad = [o for o in only if o not in [k[0] for k in KINDS]]
                if bad:
                    raise ValueError("--only: unknown suite %s (have: %s)"
                                     % (bad[0], " ".join(k[0] for k in KINDS)))
            elif a in ("-h", "--help"):
                print(__doc__.strip())
                return 0
            elif replay is None and not a.startswith("-"):
                replay = a
            else:
                raise ValueError("unexpected argument %r" % a)
    except (IndexError, ValueError) as e:
        print("torch-check: %s" % (e if isinstance(e, ValueError) else "an option lacks its value"),
              file=sys.stderr)
        return 2
    if replay is None:
        print("usage: torch-check.py REPLAY [--seed N] [--cases N] [--keep FILE] [--stats] "
              "[--only SUITE,...]",
              file=sys.stderr)
        return 2
    if seed is None:
        seed = int(time.time() * 1000) % 1000000007
    print("torch-check: seed %d (rerun with --seed %d)" % (seed, seed))
    print("torch-check: tolerance |replay - torch| <= k * 1e-6 * max(1, |torch|), k = %s"
          % ", ".join("%g (%s)" % (refs.TOLERANCE[k], k) for k in refs.TOLERANCE))
    rng = random.Random(seed)
    t0 = time.time()

    kept, errors = [], {}
    kinds = KINDS if only is None else tuple(k for k in KINDS if k[0] in only)
    passed, failed = check_trajectories(replay, rng, ncases, kept, errors, kinds)
    kw_pass, kw_total = (0, 0) if only else check_keywords(replay)
    val_pass, val_total = (0, 0) if only else check_validation(replay, rng)

    if keep and kept:
        with open(keep, "w") as f:
            f.write("# failing cases of torch-check.py --seed %d\ntolerance: %g\n"
                    % (seed, max(c["tolerance"] for c in kept)))
            for j, c in enumerate(kept, 1):
                f.write("# case %d\nargs: %s\nin:\n%s\nout:\n%s\n"
                        % (j, " ".join(c["args"]), "\n".join(c["inp"]), "\n".join(c["out"])))
        print("torch-check: failing cases written to %s" % keep)

    if stats:
        for suite, _, _ in KINDS:
            e = sorted(errors.get(suite, []))
            if e:
                print("torch-check: stats %-12s %5d cases: worst %.3g, p99 %.3g, median %.3g"
                      " (units of 1e-6); tolerance %g"
                      % (suite, len(e), e[-1] * 1e6, e[min(len(e) - 1, int(0.99 * len(e)))] * 1e6,
                         e[len(e) // 2] * 1e6, refs.TOLERANCE[suite]))
    worst = ", ".join("%s %.2g" % (s, max(errors[s])) for s, _, _ in KINDS if s in errors)
    print("torch-check: %d/%d cases agree (max rel err: %s), %d/%d keyword checks, "
          "%d/%d validation checks agree; seed %d, %.0f s"
          % (passed, passed + failed, worst or "-", kw_pass, kw_total,
             val_pass, val_total, seed, time.time() - t0))
    ok = failed == 0 and passed > 0 and kw_pass == kw_total and val_pass == val_total
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
