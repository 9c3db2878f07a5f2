#!/usr/bin/python3
"""tools/make-refs.py -- write PyTorch's reference vectors for build/bin/replay.

    /usr/bin/python3 tools/make-refs.py OUTDIR [SUITE ...]     (make refs: OUTDIR = tests/ref)

Writes OUTDIR/SUITE.txt for every suite named (default: every suite in SUITES),
with PyTorch (Debian's python3-torch 1.13.1) doing the arithmetic in float32,
as replay must.  Each suite has its own fixed seed (derived from its name), so
adding a suite leaves the others' files byte-identical.  tools/refcheck.py
(standard library only) compares replay with these files in `make check`;
tools/torch-check.py imports this file for its live check against PyTorch.

File format, one file per suite, human-readable:

    # comment lines
    tolerance: K            |replay - torch| <= K * 1e-6 * max(1, |torch|)
    # case 7
    args: optimizer sgd --lr 0.0123 --weight-decay 0.001 --maximize
    in:
    <replay's stdin, one line per line>
    out:
    <what replay must print, one line per line>

Numbers are float32 values printed with %.9g, which reads back exactly.

Adding a chapter's optimizer or option is one line in SUITES below (the case
generators for SGD's momentum options and for Adagrad, RMSprop, Adam and AdamW
are already here; torch-check.py uses them as soon as replay accepts them).
"""
import math
import os
import random
import sys
import zlib

# Tolerance, in units of 1e-6 * max(1, |torch's value|), for each optimizer.
#
# SGD, k = 20.  The library computes in float32 with every product and sum
# rounded separately (gcc -ffp-contract=off), while PyTorch's CPU kernels use
# fused multiply-adds on CPUs that have them: measured on this machine, 6% of
# single SGD steps differ from a separately-rounded float32 computation by one
# unit in the last place (and none differ from a fused one).  Such one-ulp
# differences (6e-8 of the largest magnitude on the path) add up over the T <=
# 120 steps of a case without damping (the factor 1 - lr*wd is <= 1), so the
# worst case is about T * 6e-8 * M, M = the largest |p| on the path relative to
# max(1, |final p|); the case generator keeps M small (lr * |g| = O(1)).
# Measured: a separately-rounded float32 SGD in NumPy against torch, 1200
# random cases of this generator's kind, worst 7.0e-6, 99th percentile 2.1e-6.
# k = 20 (2e-5) leaves a factor ~3 over the worst seen, and is still 450 times
# smaller than the smallest semantic slip listed in reference-semantics.md
# (dampening on the first step, wrong sign order of maximize and decay, ...:
# gaps of 0.9% and more).
#
# The adaptive optimizers divide by sqrt(v) + eps and amplify one-ulp
# differences where v is small; their k are provisional (chapter 3 should
# measure and justify them the same way before relying on them).
#
# SGD with momentum, k = 50: the buffer carries each rounding difference
# forward, amplified by up to 1/(1 - momentum).  Measured the same way (a
# separately-rounded NumPy version of reference-semantics.md's SGD against
# torch, 900 cases of this generator with momentum, dampening and nesterov):
# worst 1.4e-5, 99th percentile 5.8e-6; k = 50 leaves a factor 3.5.
TOLERANCE = {"sgd": 20, "sgd-momentum": 50, "adagrad": 5, "rmsprop": 5, "adam": 5, "adamw": 5}
DEFAULT_TOLERANCE = 20


def case_tolerance(name, h):
    """k for optimizer `name` with hyperparameters h."""
    if name == "sgd" and h.get("momentum", 0) != 0:
        return TOLERANCE["sgd-momentum"]
    return TOLERANCE.get(name, DEFAULT_TOLERANCE)

STEPS = (100, 120)        # steps per case, inclusive range (live check)
STEPS_SMALL = (100, 105)  # committed files


def f32(x):
    """x rounded to float32, as a Python float."""
    import numpy
    return float(numpy.float32(x))


def fmt(x):
    """A float32 value as decimal text that reads back exactly."""
    return "%.9g" % x


def nice(x, digits=4):
    """A hyperparameter with a short decimal spelling (a Python double)."""
    return float("%.*g" % (digits, x))


def loguniform(rng, lo, hi):
    return 10 ** rng.uniform(math.log10(lo), math.log10(hi))


# ---------------------------------------------------------------------------
# Optimizers: option names are PyTorch's keyword names; on the replay command
# line they are kebab case (--weight-decay).  FEATURES lists the options a case
# may switch on beyond the basic ones, so torch-check.py can ask replay which of
# them it accepts yet.

OPTIMIZERS = ("sgd", "adagrad", "rmsprop", "adam", "adamw")
FEATURES = {
    "sgd": ("momentum", "dampening", "nesterov"),
    "adagrad": ("lr_decay", "initial_accumulator_value"),
    "rmsprop": ("momentum", "centered"),
    "adam": ("amsgrad",),
    "adamw": ("amsgrad",),
}
# how torch-check.py asks replay whether a feature is supported yet
PROBE = {
    ("sgd", "momentum"): ["--momentum", "0.9"],
    ("sgd", "dampening"): ["--momentum", "0.9", "--dampening", "0.1"],
    ("sgd", "nesterov"): ["--momentum", "0.9", "--nesterov"],
    ("adagrad", "lr_decay"): ["--lr-decay", "0.01"],
    ("adagrad", "initial_accumulator_value"): ["--initial-accumulator-value", "0.1"],
    ("rmsprop", "momentum"): ["--momentum", "0.9"],
    ("rmsprop", "centered"): ["--centered"],
    ("adam", "amsgrad"): ["--amsgrad"],
    ("adamw", "amsgrad"): ["--amsgrad"],
}


def gen_hyper(rng, name, features, force=()):
    """Random hyperparameters (a dict of PyTorch keyword arguments) for one case.
    Only the options in `features` beyond the basic ones are ever set; those in
    `force` are always set (a suite that is about them).  Every value is drawn
    afresh from a continuous range (then shortened to a few digits), so no two
    cases share their hyperparameters; options left out test the defaults."""
    h = {}
    if name == "sgd":
        # (the draws of the plain-SGD path are those of the first version of
        # this file, so that tests/ref/sgd.txt did not change)
        h["lr"] = 0.0 if rng.random() < 0.03 else nice(loguniform(rng, 1e-3, 0.5))
        if "momentum" in features and ("momentum" in force or rng.random() < 0.8):
            # momentum in [0.05, 0.995], 1 - momentum log-uniform so that values
            # near 1 (where the buffer amplifies most) are as common as moderate
            # ones.  PyTorch accepts momentum >= 1, but the iterates then grow
            # without bound.  The buffer multiplies the step by up to
            # 1/(1 - momentum), so lr shrinks with it.
            h["momentum"] = nice(1 - loguniform(rng, 0.005, 0.95), 3)
            h["lr"] = nice(min(h["lr"], 0.5 * (1 - h["momentum"])))
            if "nesterov" in features and rng.random() < 0.4:
                h["nesterov"] = True          # (PyTorch: nesterov needs dampening 0)
            elif "dampening" in features and rng.random() < 0.6:
                # any dampening is accepted, negative and > 1 included
                h["dampening"] = nice(rng.uniform(-0.5, 1.2), 3)
    elif name == "adagrad":
        h["lr"] = nice(loguniform(rng, 1e-3, 0.3))
        if "lr_decay" in features and rng.random() < 0.5:
            h["lr_decay"] = nice(loguniform(rng, 1e-4, 0.1))
        if "initial_accumulator_value" in features and rng.random() < 0.5:
            h["initial_accumulator_value"] = nice(loguniform(rng, 1e-3, 1.0))
        if rng.random() < 0.4:
            # up to 1e-2, where eps inside or outside the root makes a difference
            h["eps"] = nice(loguniform(rng, 1e-10, 1e-2))
    elif name == "rmsprop":
        h["lr"] = nice(loguniform(rng, 1e-4, 0.03))
        if rng.random() < 0.6:
            h["alpha"] = nice(1 - loguniform(rng, 1e-3, 0.5), 3)
        if "momentum" in features and rng.random() < 0.5:
            h["momentum"] = nice(rng.uniform(0.01, 0.95), 3)
        if "centered" in features and ("centered" in force or rng.random() < 0.5):
            h["centered"] = True
        if rng.random() < 0.4:
            h["eps"] = nice(loguniform(rng, 1e-8, 1e-2))
        # without bias correction the first steps are lr/sqrt(1 - alpha) (and the
        # buffer multiplies them by up to 1/(1 - momentum)): keep them below ~0.1
        a, m = h.get("alpha", 0.99), h.get("momentum", 0.0)
        h["lr"] = nice(min(h["lr"], 0.1 * math.sqrt(1 - a) * (1 - m)))
    elif name in ("adam", "adamw"):
        h["lr"] = nice(loguniform(rng, 1e-4, 0.05))
        if rng.random() < 0.6:
            h["betas"] = (nice(rng.uniform(0.0, 0.99), 3), nice(1 - loguniform(rng, 1e-4, 0.5), 4))
        if rng.random() < 0.4:
            h["eps"] = nice(loguniform(rng, 1e-8, 1e-2))
        if "amsgrad" in features and ("amsgrad" in force or rng.random() < 0.5):
            h["amsgrad"] = True
    else:
        raise KeyError(name)
    r = rng.random()
    if name == "adamw" and r < 0.3:
        pass                              # leave AdamW's default decay of 0.01
    elif r < 0.6:
        h["weight_decay"] = nice(loguniform(rng, 1e-3, 1.0) if rng.random() < 0.8
                                 else loguniform(rng, 1e-6, 1e-3))
        if h.get("centered"):
            # RMSprop's centered root sqrt(v - a^2) cancels when the gradient has
            # a steady part (reference-semantics.md); decay adds one, wd * p, so
            # it stays small against the gradients (which are >= 1 there,
            # gen_vectors): the steady part stays below ~5% of the noise
            h["weight_decay"] = nice(min(h["weight_decay"], 0.01))
    elif name == "adamw":
        h["weight_decay"] = 0.0
    if rng.random() < 0.3:
        h["maximize"] = True
    return h


def replay_args(name, h):
    """The replay command line (a list) for optimizer `name` with hyperparameters h."""
    args = ["optimizer", name]
    for key in sorted(h):
        val = h[key]
        opt = "--" + key.replace("_", "-")
        if val is True:
            args.append(opt)
        elif key == "betas":
            args += [opt, "%r,%r" % val]
        else:
            args += [opt, repr(val)]
    return args


def torch_optimizer(name, param, h):
    import torch
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
           "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
           "adamw": torch.optim.AdamW}[name]
    return cls([param], **h)


DIMS_SMALL = (1, 1, 1, 2, 2, 2, 3, 3, 4, 6)          # committed files: keep them small
DIMS_ANY = (1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 9, 12, 16, 17, 33)   # the live check


def gen_vectors(rng, name, h, dims=DIMS_ANY, steps=STEPS):
    """Initial parameters and gradients (lists of float32 values) for one case.
    The magnitudes keep lr * |g| of order one or smaller, so that the path of
    the parameters stays in a range where the tolerance (relative to
    max(1, |p|)) means what it says."""
    n = rng.choice(dims)
    steps = rng.randint(*steps)
    pscale = rng.choice([1.0, 1.0, 0.1, 3.0])
    gscale = rng.choice([1.0, 1.0, 1.0, 1e-3, 10.0])
    if name == "sgd" and gscale == 10.0 and h["lr"] > 0.05:
        gscale = 1.0
    if name == "rmsprop" and h.get("centered") and gscale < 1.0:
        gscale = 1.0                      # see gen_hyper: away from cancellation
    p0 = [f32(rng.gauss(0.0, pscale)) for _ in range(n)]
    if n > 1 and rng.random() < 0.2:
        p0[rng.randrange(n)] = 0.0        # a parameter that starts at zero
    grads = []
    for _ in range(steps):
        u = rng.random()
        if u < 0.02:
            g = [0.0] * n                 # a step with a zero gradient
        else:
            s = gscale * (10.0 if u < 0.07 else 1.0)   # an occasional spike
            g = [0.0 if rng.random() < 0.03 else f32(rng.gauss(0.0, s)) for _ in range(n)]
        grads.append(g)
    return p0, grads


def torch_run(name, h, p0, grads):
    """PyTorch's parameters after each step: a list of lists of float32 values."""
    import torch
    torch.set_num_threads(1)
    p = torch.tensor(p0, dtype=torch.float32, requires_grad=True)
    opt = torch_optimizer(name, p, h)
    out = []
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        out.append([float(v) for v in p.detach().numpy()])
    return out


def optimizer_case(rng, name, features=(), dims=DIMS_ANY, steps=STEPS, force=()):
    """One case: a dict with args (list), inp (lines), out (lines), tolerance,
    and the hyperparameters h."""
    h = gen_hyper(rng, name, features, force)
    p0, grads = gen_vectors(rng, name, h, dims, steps)
    out = torch_run(name, h, p0, grads)
    return {
        "args": replay_args(name, h),
        "inp": [" ".join(map(fmt, p0))] + [" ".join(map(fmt, g)) for g in grads],
        "out": [" ".join(map(fmt, o)) for o in out],
        "tolerance": case_tolerance(name, h),
        "h": h,
    }


# ---------------------------------------------------------------------------
# Suites: file name -> (number of cases, case generator, tolerance, description).
# Each is about 20 cases of 100-105 steps on 1-6 parameters; the committed
# files are what `make refs` writes, and what tools/refcheck.py checks.


def committed(name, force=()):
    return lambda r: optimizer_case(r, name, FEATURES[name], DIMS_SMALL, STEPS_SMALL, force)


SUITES = {
    "sgd": (20, lambda r: optimizer_case(r, "sgd", (), DIMS_SMALL, STEPS_SMALL), TOLERANCE["sgd"],
            "torch.optim.SGD with lr, weight_decay and maximize (no momentum)"),
    "sgd-momentum": (24, committed("sgd", ("momentum",)), TOLERANCE["sgd-momentum"],
                     "torch.optim.SGD with momentum, and dampening or nesterov, weight_decay, maximize"),
    "adagrad": (20, committed("adagrad"), TOLERANCE["adagrad"],
                "torch.optim.Adagrad with lr, lr_decay, initial_accumulator_value, eps, "
                "weight_decay, maximize"),
    "rmsprop": (24, committed("rmsprop"), TOLERANCE["rmsprop"],
                "torch.optim.RMSprop with lr, alpha, eps, momentum, centered, weight_decay, maximize"),
    "adam": (24, committed("adam"), TOLERANCE["adam"],
             "torch.optim.Adam with lr, betas, eps, amsgrad, weight_decay (L2), maximize"),
    "adamw": (24, committed("adamw"), TOLERANCE["adamw"],
              "torch.optim.AdamW with lr, betas, eps, amsgrad, weight_decay (decoupled; "
              "left out = 0.01), maximize"),
}


def coverage(cases):
    """How often each option occurs among the cases' hyperparameters: 'momentum 20, ...'."""
    count = {}
    for c in cases:
        for k in c["h"]:
            if k != "lr":
                count[k] = count.get(k, 0) + 1
    return ", ".join("%s %d" % (k, count[k]) for k in sorted(count))


def suite_seed(name):
    return zlib.crc32(("descent:" + name).encode())


def write_suite(outdir, name):
    import torch
    ncases, gen, tol, what = SUITES[name]
    seed = suite_seed(name)
    rng = random.Random(seed)
    path = os.path.join(outdir, name + ".txt")
    lines = [
        "# tests/ref/%s.txt -- generated by tools/make-refs.py; do not edit (run `make refs`)." % name,
        "# %s; PyTorch %s, float32, seed %d." % (what, torch.__version__, seed),
        "# Each case: args = replay's command line, in = its stdin, out = what it must print;",
        "# tools/refcheck.py compares with |replay - torch| <= tolerance * 1e-6 * max(1, |torch|).",
        "tolerance: %g" % tol,
    ]
    cases = []
    for i in range(ncases):
        c = gen(rng)
        cases.append(c)
        lines.append("# case %d" % (i + 1))
        lines.append("args: " + " ".join(c["args"]))
        lines.append("in:")
        lines += c["inp"]
        lines.append("out:")
        lines += c["out"]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    print("make-refs: %s: %d cases, %d bytes; options set: %s"
          % (path, ncases, os.path.getsize(path), coverage(cases)))


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: make-refs.py OUTDIR [SUITE ...]   suites: " + " ".join(SUITES))
        return 0 if len(argv) >= 2 else 2
    outdir = argv[1]
    names = argv[2:] or list(SUITES)
    for n in names:
        if n not in SUITES:
            print("make-refs: unknown suite %r (have: %s)" % (n, " ".join(SUITES)), file=sys.stderr)
            return 2
    os.makedirs(outdir, exist_ok=True)
    for n in names:
        write_suite(outdir, n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
