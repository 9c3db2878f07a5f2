#!/usr/bin/python3
"""tools/torch-check.py -- the live check: replay against PyTorch on fresh random cases.

    /usr/bin/python3 tools/torch-check.py REPLAY [--seed N] [--cases N] [--keep FILE]

Draws N (default 200) new random cases per optimizer (the seed is taken from the clock unless given, and is
printed so a failure can be reproduced) for every optimizer and option that
REPLAY accepts, runs REPLAY on each, runs PyTorch on the same numbers, and
compares at float32 tolerance: |replay - torch| <= K * 1e-6 * max(1, |torch|),
with K per optimizer from tools/make-refs.py (SGD: K = 20; the reasoning is
written there).  It also checks that REPLAY rejects (exit 2, one line on
stderr) hyperparameters that PyTorch's constructors reject.

What REPLAY supports is asked, not assumed: `replay optimizer NAME --lr 0.01`
and the same with each option (e.g. `--momentum 0.9`) are run on a one-step
input; exit 0 means supported, exit 2 means "not yet" (that optimizer or option
is skipped, and said so).  SGD itself must be supported.  --keep FILE writes
the failing cases in the reference-file format, for tools/refcheck.py.

Exit status 0 if every case agrees, 1 otherwise.
"""
import importlib.util
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


def run(replay, args, stdin):
    return subprocess.run([replay] + args, input=stdin, capture_output=True, text=True,
                          timeout=120)


def supported(replay, args):
    """True if replay accepts args on a one-step input, False on exit 2."""
    r = run(replay, args, "0.5\n0.25\n")
    if r.returncode == 0:
        return True
    if r.returncode == 2:
        return False
    raise RuntimeError("replay %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))


# Hyperparameters PyTorch's constructors reject (reference-semantics.md, section 1),
# as (optimizer, feature needed or None, keyword arguments).
def invalid_configs(rng):
    x = refs.nice(refs.loguniform(rng, 1e-4, 1.0))
    return [
        ("sgd", None, {"lr": -x}),
        ("sgd", None, {"lr": 0.1, "weight_decay": -x}),
        ("sgd", "momentum", {"lr": 0.1, "momentum": -x}),
        ("sgd", "nesterov", {"lr": 0.1, "nesterov": True}),                    # momentum 0
        ("sgd", "nesterov", {"lr": 0.1, "momentum": 0.9, "dampening": x, "nesterov": True}),
        ("adagrad", None, {"lr": -x}),
        ("adagrad", None, {"weight_decay": -x}),
        ("adagrad", None, {"eps": -x}),
        ("adagrad", "lr_decay", {"lr_decay": -x}),
        ("adagrad", "initial_accumulator_value", {"initial_accumulator_value": -x}),
        ("rmsprop", None, {"lr": -x}),
        ("rmsprop", None, {"alpha": -x}),
        ("rmsprop", None, {"eps": -x}),
        ("rmsprop", None, {"weight_decay": -x}),
        ("rmsprop", "momentum", {"momentum": -x}),
        ("adam", None, {"lr": -x}),
        ("adam", None, {"eps": -x}),
        ("adam", None, {"betas": (1.0, 0.999)}),
        ("adam", None, {"betas": (0.9, 1.0 + x)}),
        ("adam", None, {"betas": (-x, 0.999)}),
        ("adam", None, {"weight_decay": -x}),
        ("adamw", None, {"lr": -x}),
        ("adamw", None, {"betas": (0.9, 1.0)}),
        ("adamw", None, {"weight_decay": -x}),
    ]


def torch_rejects(name, h):
    import torch
    p = torch.zeros(2, requires_grad=True)
    try:
        refs.torch_optimizer(name, p, h)
    except ValueError:
        return True
    return False


def main(argv):
    args = argv[1:]
    replay, seed, ncases, keep = None, None, 200, None
    while args:
        a = args.pop(0)
        if a == "--seed":
            seed = int(args.pop(0))
        elif a == "--cases":
            ncases = int(args.pop(0))
        elif a == "--keep":
            keep = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif replay is None:
            replay = a
        else:
            print("torch-check: unexpected argument %r" % a, file=sys.stderr)
            return 2
    if replay is None:
        print("usage: torch-check.py REPLAY [--seed N] [--cases N] [--keep FILE]", file=sys.stderr)
        return 2
    if seed is None:
        seed = int(time.time() * 1000) % 1000000007
    print("torch-check: seed %d (rerun with --seed %d)" % (seed, seed))
    rng = random.Random(seed)

    # what replay supports
    names, feats, notyet = [], {}, []
    for name in refs.OPTIMIZERS:
        if not supported(replay, ["optimizer", name, "--lr", "0.01"]):
            notyet.append(name)
            continue
        names.append(name)
        feats[name] = tuple(f for f in refs.FEATURES[name]
                            if supported(replay, ["optimizer", name, "--lr", "0.01"]
                                         + refs.PROBE[(name, f)]))
        missing = [f for f in refs.FEATURES[name] if f not in feats[name]]
        if missing:
            notyet.append("%s %s" % (name, ",".join("--" + m.replace("_", "-") for m in missing)))
    if "sgd" not in names:
        print("torch-check: FAIL: replay does not accept `optimizer sgd --lr 0.01`")
        return 1
    print("torch-check: checking %s" % ", ".join(
        n + ("" if not feats[n] else " (" + " ".join("--" + f.replace("_", "-") for f in feats[n]) + ")")
        for n in names))
    print("torch-check: tolerance |replay - torch| <= k * 1e-6 * max(1, |torch|), k = %s"
          % ", ".join("%g (%s)" % (refs.TOLERANCE[k], k) for k in refs.TOLERANCE
                      if k.split("-")[0] in names))
    if notyet:
        print("torch-check: not in replay yet, skipped: %s" % "; ".join(notyet))

    # the cases
    passed = failed = 0
    worst = {}
    kept = []
    for i in range(ncases * len(names)):
        name = names[i % len(names)]
        case = refs.optimizer_case(rng, name, feats[name])
        label = "case %d (%s)" % (i + 1, name)
        r = run(replay, case["args"], "\n".join(case["inp"]) + "\n")
        if r.returncode != 0:
            msg = "exited %d: %s" % (r.returncode, r.stderr.strip())
        else:
            msg, err = refcheck.compare(r.stdout.splitlines(), case["out"], case["tolerance"])
            worst[name] = max(worst.get(name, 0.0), err)
        if msg:
            failed += 1
            kept.append(case)
            print("torch-check: FAIL %s: replay %s: %s" % (label, " ".join(case["args"]), msg))
        else:
            passed += 1

    # rejections
    rej_pass = rej_total = 0
    for name, feat, h in invalid_configs(rng):
        if name not in names or (feat is not None and feat not in feats[name]):
            continue
        if not torch_rejects(name, h):
            print("torch-check: note: PyTorch accepts %s %r; not a rejection case" % (name, h))
            continue
        rej_total += 1
        a = refs.replay_args(name, h)
        r = run(replay, a, "0.5 0.5\n0.25 0.25\n")
        lines = r.stderr.strip().splitlines()
        if r.returncode == 2 and len(lines) == 1 and r.stdout == "":
            rej_pass += 1
        else:
            print("torch-check: FAIL: PyTorch rejects %s %r but `replay %s` exited %d with %d "
                  "stderr lines (want exit 2, one line, nothing on stdout)"
                  % (name, h, " ".join(a), r.returncode, len(lines)))

    if keep and kept:
        with open(keep, "w") as f:
            f.write("# failing cases of torch-check.py --seed %d\ntolerance: %g\n"
                    % (seed, max(c["tolerance"] for c in kept)))
            for j, c in enumerate(kept, 1):
                f.write("# case %d\nargs: %s\nin:\n%s\nout:\n%s\n"
                        % (j, " ".join(c["args"]), "\n".join(c["inp"]), "\n".join(c["out"])))
        print("torch-check: failing cases written to %s" % keep)

    errs = ", ".join("%s %.2g" % (n, worst[n]) for n in names if n in worst)
    print("torch-check: %d/%d cases agree (max rel err: %s), %d/%d rejections agree; seed %d"
          % (passed, passed + failed, errs or "-", rej_pass, rej_total, seed))
    return 0 if failed == 0 and rej_pass == rej_total and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
