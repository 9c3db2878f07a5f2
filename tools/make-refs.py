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

Suites (SUITES below): sgd, sgd-momentum, adagrad, rmsprop, adam, adamw, about
20 cases of 100-105 steps each, hyperparameters drawn afresh for every case
(gen_hyper), with the options of PyTorch's constructor switched on at random
and left out at random (so the defaults are exercised, AdamW's weight_decay
0.01 among them).  Adding a chapter's optimizer or option is a generator
branch and one line in SUITES; torch-check.py draws from the same generators.
"""
import math
import os
import random
import sys
import zlib

# Tolerance, in units of 1e-6 * max(1, |torch's value|), for each suite.
#
# Why not 0.  The library computes in float32 with every product and sum
# rounded separately (gcc -ffp-contract=off), while PyTorch's CPU kernels use
# fused multiply-adds where they can (add with alpha, addcmul, ...): measured
# on this machine, 6% of single SGD steps differ from a separately-rounded
# float32 computation by one unit in the last place (and none differ from a
# fused one).  Such differences (6e-8 of the magnitude of p) add up over the
# T <= 120 steps of a case.
#
# How k was measured: `tools/torch-check.py build/bin/replay --cases 2000
# --stats` (the library itself against torch on fresh cases of the live
# generator: 1-33 parameters, 100-120 steps; --only SUITE for more cases of
# one), and before the library existed a separately-rounded NumPy float32
# version of reference-semantics.md (600-1000 cases per suite).  Worst and 99th
# percentile, in units of 1e-6:
#
#   suite          cases   library: worst   p99     NumPy model: worst   k
#   sgd           10000             4.5     1.4                  2.1     20
#   sgd-momentum  18000            30       4.4                 13      100
#   adagrad        2000             0.32    0.22                 0.48     5
#   rmsprop        2000             0.27    0.20                 0.36     5
#   adam           8000             0.79    0.24                 0.60     5
#   adamw         10000             0.48    0.18                 0.34     5
#
# SGD, k = 20: one-ulp differences accumulate without damping (the factor
# 1 - lr*wd is <= 1), worst about T * 6e-8 * M, M = the largest |p| on the
# path relative to max(1, |final p|); the generator keeps M small (lr * |g| =
# O(1)).  k = 20 leaves a factor 4.4 over the worst seen.
#
# SGD with momentum, k = 100: the buffer carries each rounding difference
# forward, amplified by up to 1/(1 - momentum) (momentum up to 0.995 here,
# lr up to 0.5 (1 - momentum)).  The tail is long: worst 14 in 2000 cases,
# 19 in 10000, 30 in 6000 others (p99 4.4 throughout), so k = 100 leaves a
# factor 3.3 over the worst seen.  The committed file's worst is only 2 (its
# cases have at most 6 parameters), and every slip below fails the same
# cases at k = 100 as at k = 50.
#
# Adagrad, RMSprop, Adam, AdamW, k = 5: their steps are normalized (about lr
# per coordinate, whatever the gradient), so a rounding difference in a
# moment changes the step by ~1e-7 of itself and p only where it flips the
# rounding of p + step: a random walk of half-ulps of p, sqrt(T) * 6e-8 ~
# 7e-7, as measured.  (The centered RMSprop root sqrt(v - a^2) would amplify
# rounding without bound where the gradient has a steady sign; the generator
# stays out of that regime, gen_hyper and gen_vectors, and its centered cases
# measure like the others.)  k = 5 leaves a factor 6 over the worst seen.
# It is tight on purpose: a slip changes p by (gap) * lr * T, and with lr
# down to 1e-4 a gap of 0.9% moves p by only ~1e-4.
#
# Against the slips.  reference-semantics.md's smallest gap is 0.9%, 9e-3:
# 90 (k = 100) to 1800 (k = 5) times the tolerance.  More to the point, each
# slip listed there was run (a NumPy version with the slip) against the
# committed files and fails cases of its suite: maximize after the decay
# (sgd 2/20, sgd-momentum 4/24, adagrad 4/20, rmsprop 3/24, adam 5/24);
# dampening on the first step 7/24; Nesterov with the old buffer 9/24; Adagrad
# eps inside the root 3/20, decay with t for t - 1 11/20, initial value
# squared 8/20; RMSprop alpha on the new sample 24/24, eps inside 10/24,
# uncentered 7/24, with bias correction 24/24; Adam eps inside 5/24, Kingma &
# Ba's folded corrections 5/24, no bias correction 24/24, AMSGrad max of
# v_hat 14/24, AMSGrad ignored 9/24; AdamW eps inside 9/24, folded
# corrections 6/24, decay (1 - wd) 14/24, L2 in the moments 14/24, the 0.01
# default forgotten 6/24, decay after the step 3/24.
TOLERANCE = {"sgd": 20, "sgd-momentum": 100, "adagrad": 5, "rmsprop": 5, "adam": 5, "adamw": 5}
DEFAULT_TOLERANCE = 20


def case_tolerance(name, h):
    """k for optimizer `name` with hyperparameters h: its suite's."""
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
# may switch on beyond the basic ones (lr, eps, alpha, betas, weight_decay and
# maximize, which every case of the optimizer may set).

OPTIMIZERS = ("sgd", "adagrad", "rmsprop", "adam", "adamw")
FEATURES = {
    "sgd": ("momentum", "dampening", "nesterov"),
    "adagrad": ("lr_decay", "initial_accumulator_value"),
    "rmsprop": ("momentum", "centered"),
    "adam": ("amsgrad",),
    "adamw": ("amsgrad",),
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
