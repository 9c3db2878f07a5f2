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

Numbers are float32 values printed with %.9g, which reads back exactly
(schedules: doubles with %.9g).  Two more tolerance lines (tools/refcheck.py):
`tolerance: K relative` (|replay - torch| <= K * 1e-6 * |torch|, |torch|
floored at a millionth of its column's largest value) and `tolerance: 0`
(exact: the same float32 bits, NaN equal to NaN).

Suites (SUITES below):
* sgd, sgd-momentum, adagrad, rmsprop, adam, adamw: about 20 cases of 100-105
  steps each, hyperparameters drawn afresh for every case (gen_hyper), with the
  options of PyTorch's constructor switched on at random and left out at
  random (so the defaults are exercised, AdamW's weight_decay 0.01 among them).
* schedule-KIND for the nine kinds of `replay schedule` (step, multistep,
  exponential, cosine, warmup-cosine, cosine-restarts, cyclic, onecycle,
  linear): 16 cases each, hand-picked ones first (SCHEDULE_HARD), every
  option on or off at random (gen_schedule), by PyTorch's scheduler classes
  in PyTorch's loop; relative, K = 0.02.
* clip-norm, clip-value: 20 and 16 cases of 4-14 gradients of 1-33 entries by
  torch.nn.utils.clip_grad_norm_ (norm_type 2 and inf) and clip_grad_value_,
  hand-picked first (CLIP_HARD: ties at the maximum, the 1e-6, signed zeros);
  norm relative with K = 1, value exact.
* round-fp16, round-bf16: 4 cases each, the hard inputs of
  reference-semantics.md section 6 (round_hard) then 800 random float32 bit
  patterns per case, by tensor.to(float16/bfloat16).float(); exact.
* scaler: 20 cases, hand-picked first (SCALER_HARD), by the GradScaler rule
  in Python (scaler_rule: PyTorch 1.13's GradScaler is CUDA-only); exact.
* muon, adamw-schedulefree, schedule-wsd, schedule-linear-to-zero (chapter 11,
  none of them in torch 1.13): 20, 20, 16 and 16 cases, by torch float32 tensor
  operations following the chapter (muon_run, schedulefree_run) or a LambdaLR.
Adding a chapter's optimizer or option is a generator branch and one line in
SUITES; torch-check.py draws from the same generators.
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
TOLERANCE = {"sgd": 20, "sgd-momentum": 100, "adagrad": 5, "rmsprop": 5, "adam": 5, "adamw": 5,
             "lion": 5, "lars": 20, "lamb": 5}
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
    with numpy.errstate(over="ignore"):        # beyond float32: inf, as PyTorch's conversion
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
    "lion": (), "lars": (), "lamb": (),
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
    elif name in LAYERWISE:
        return gen_layerwise(rng, name)
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
    if name in LAYERWISE and rng.random() < 0.2:
        p0 = [0.0] * n                    # all zero: a trust ratio of 1 (chapter 7)
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
    if name in LAYERWISE:
        return layerwise_run(name, h, p0, grads)
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
# Lion, LARS, LAMB (chapter 7): no class in torch 1.13, so the reference is
# reference-semantics.md section 2 written with torch's float32 tensor
# operations, the whole parameter vector being one tensor (norms over all of
# it).  Options are replay's; defaults as the section gives them (LARS's lr
# has none).  Cases start from p = 0 one time in five (zero norms: trust
# ratio 1) and have zero gradients now and then (gen_vectors).
#
# Tolerance (TOLERANCE): measured with `tools/torch-check.py build/bin/replay
# --only lion,lars,lamb --cases 300 --stats` (300 fresh cases each, 1-33
# parameters, 100-120 steps): worst lion 0 (every bit equal: the step is +-lr
# and the sign never flipped), lars 3.1, lamb 0.82 (units of 1e-6; p99 0, 1.0,
# 0.72); LARS and LAMB differ by the rounding of the norms (torch sums in
# float32, the library in double).  Slips, run against the committed files:
# Lion with the betas swapped fails 20/20 cases, LARS with |g + wd w| as the
# denominator 10/20 and with |g| alone 12/20, LAMB without bias correction
# 15/20 and with the decay outside the trust ratio 9/20.
LAYERWISE = ("lion", "lars", "lamb")
LAYERWISE_DEFAULTS = {
    "lion": {"lr": 1e-4, "betas": (0.9, 0.99), "weight_decay": 0.0},
    "lars": {"momentum": 0.0, "weight_decay": 0.0, "trust_coefficient": 1e-3},
    "lamb": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-6, "weight_decay": 0.0},
}


def gen_layerwise(rng, name):
    """Random options for Lion, LARS or LAMB, each switched on or left out at random."""
    h = {}
    if name == "lion":
        if rng.random() < 0.8:
            h["lr"] = nice(loguniform(rng, 1e-4, 0.03))
        if rng.random() < 0.6:
            h["betas"] = (nice(rng.uniform(0.0, 0.99), 3), nice(1 - loguniform(rng, 1e-3, 0.5), 4))
        if rng.random() < 0.5:
            h["weight_decay"] = nice(loguniform(rng, 1e-3, 3.0))
    elif name == "lars":
        h["lr"] = nice(loguniform(rng, 1e-2, 30.0))
        if rng.random() < 0.7:
            h["momentum"] = nice(rng.uniform(0.0, 0.95), 3)
        if rng.random() < 0.5:
            h["weight_decay"] = nice(loguniform(rng, 1e-4, 0.1))
        if rng.random() < 0.6:
            h["trust_coefficient"] = nice(loguniform(rng, 1e-4, 0.05))
        # each step moves w by about lr * tc * |w| / (1 - momentum): keep it below ~5%
        tc = h.get("trust_coefficient", 1e-3)
        h["lr"] = nice(min(h["lr"], 0.05 * (1 - h.get("momentum", 0.0)) / tc))
    elif name == "lamb":
        if rng.random() < 0.8:
            h["lr"] = nice(loguniform(rng, 1e-4, 0.05))
        if rng.random() < 0.6:
            h["betas"] = (nice(rng.uniform(0.0, 0.99), 3), nice(1 - loguniform(rng, 1e-4, 0.5), 4))
        if rng.random() < 0.4:
            h["eps"] = nice(loguniform(rng, 1e-8, 1e-2))
        if rng.random() < 0.5:
            h["weight_decay"] = nice(loguniform(rng, 1e-3, 1.0))
    return h


def layerwise_run(name, h, p0, grads):
    """Lion, LARS or LAMB as reference-semantics.md section 2 writes them, in
    torch float32 tensor operations; the parameters after each step."""
    import torch
    o = dict(LAYERWISE_DEFAULTS[name], **h)
    f32t = torch.float32
    w = torch.tensor(p0, dtype=f32t)
    m = torch.zeros_like(w)
    v = torch.zeros_like(w)
    zero = torch.tensor(0.0, dtype=f32t)
    out = []
    for t, gl in enumerate(grads, start=1):
        g = torch.tensor(gl, dtype=f32t)
        if name == "lion":
            lr, (b1, b2), wd = o["lr"], o["betas"], o["weight_decay"]
            w = w * (1 - lr * wd)
            c = m * b1 + g * (1 - b1)
            w = w - lr * torch.sign(c)
            m = m * b2 + g * (1 - b2)
        elif name == "lars":
            lr, mu, wd, tc = o["lr"], o["momentum"], o["weight_decay"], o["trust_coefficient"]
            wn, gn = torch.linalg.norm(w), torch.linalg.norm(g)
            den = gn + wd * wn
            trust = tc * wn / den if (wn > zero and den > zero) else torch.tensor(1.0, dtype=f32t)
            v = v * mu + (lr * trust) * (g + w * wd)
            w = w - v
        else:
            lr, (b1, b2), eps, wd = o["lr"], o["betas"], o["eps"], o["weight_decay"]
            m = m * b1 + g * (1 - b1)
            v = v * b2 + g * g * (1 - b2)
            mhat = m / (1 - b1 ** t)
            vhat = v / (1 - b2 ** t)
            u = mhat / (torch.sqrt(vhat) + eps) + w * wd
            wn, un = torch.linalg.norm(w), torch.linalg.norm(u)
            ratio = wn / un if (wn > zero and un > zero) else torch.tensor(1.0, dtype=f32t)
            w = w - (lr * ratio) * u
        out.append([float(x) for x in w.numpy()])
    return out


# ---------------------------------------------------------------------------
# Schedules: `replay schedule KIND --steps N ...` against PyTorch's scheduler
# classes (warmup-cosine: a LambdaLR), in the loop
#
#     for t in range(N): record lr (and momentum); optimizer.step(); scheduler.step()
#
# Option names are replay's, in snake case (t_max is PyTorch's T_max); keys
# that start with "_" are not replay options but say how the case is run in
# PyTorch ("_optimizer": "adam" cycles Adam's beta1 instead of SGD's momentum).
#
# Compared relatively (refcheck's `relative` mode): |replay - torch| <= K *
# 1e-6 * |torch|, where |torch| is floored at a millionth of the largest value
# in the same column of the case (so that a value PyTorch's recursive form
# leaves at 1e-17 * lr where the closed form gives 0, LinearLR with
# end_factor 0, is not a relative error of 100%).  K = 0.02, i.e. 2e-8:
#
# * replay and PyTorch both print a double with %.9g, so two values that
#   differ by one rounding can land on neighbouring 9-digit decimals: one unit
#   in the ninth digit is at most 1e-8 of the value (1.00000001 against
#   1.00000000; computed from the printed text, 1.0000000050e-8).
# * Before printing, the closed forms (the library's, for every kind) and
#   PyTorch's recursive ones (StepLR, MultiStepLR, ExponentialLR,
#   CosineAnnealingLR, LinearLR multiply the current lr by a ratio each step)
#   agree to ~1e-13 over a few hundred steps (reference-semantics.md: cosine
#   <= 8e-14 over 300 steps), far below the printing.
# * Measured: `tools/torch-check.py build/bin/replay --only schedule --cases
#   4000 --stats` (2000 fresh cases of each kind, 1-400 steps, seed 11): worst
#   9.9e-9 (linear), 9.5e-9 (step), 8.3e-9 (multistep), 5.3e-10 (exponential):
#   each one flip of the ninth digit; p99 0 except linear (7.7e-9).  Cosine,
#   warmup-cosine, cosine-restarts, cyclic and onecycle: 0, every printed
#   digit equal in all 2000 cases (the library follows PyTorch's order of
#   operations there).
#
# So K = 0.02 admits one flip of the last printed digit and nothing else real:
# it is 1e5 times tighter than the slips worth catching, which move values by
# percents.  Each was run (PyTorch's own values, altered) against the committed
# files: cosine clamped at eta_min past T_max fails 8/16 cases (those that run
# past T_max), a (t+1)/W warmup 9/16, cycled momentum moving with the lr
# instead of against it 7/7 cyclic and 8/8 onecycle cases that cycle it,
# OneCycleLR's phases ending at pct*T instead of pct*T - 1 14/15, T_mult
# ignored 6/6 (those with T_mult > 1), LinearLR one step ahead 14/16.
SCHEDULE_TOLERANCE = 0.02

SCHEDULES = ("step", "multistep", "exponential", "cosine", "warmup-cosine",
             "cosine-restarts", "cyclic", "onecycle", "linear")
SCHED_STEPS_SMALL = (15, 150)     # committed files
SCHED_STEPS_ANY = (1, 400)        # the live check


def gen_gamma(rng):
    """A decay factor for StepLR/MultiStepLR: mostly below 1, sometimes above."""
    u = rng.random()
    if u < 0.8:
        return nice(rng.uniform(0.05, 0.99), 3)
    return nice(rng.uniform(1.01, 2.0), 3)


def gen_eta_min(rng, lr, h):
    u = rng.random()
    if u < 0.4:
        h["eta_min"] = nice(lr * rng.uniform(0.0, 0.5), 3)
    elif u < 0.5:
        h["eta_min"] = nice(lr * rng.uniform(1.0, 3.0), 3)     # above lr: accepted, inverted
    elif u < 0.55:
        h["eta_min"] = 0.0


def gen_schedule(rng, kind, steps=SCHED_STEPS_SMALL):
    """Random options (a dict, replay's names in snake case) and a step count N
    for one case of schedule `kind`.  Every option of the kind is set at random
    or left out (testing PyTorch's default)."""
    n = rng.randint(*steps)
    lr = nice(loguniform(rng, 1e-4, 3.0))
    h = {"lr": lr}
    if kind == "step":
        h["step_size"] = rng.randint(1, 3) if rng.random() < 0.25 else rng.randint(1, max(1, n // 2))
        if rng.random() < 0.75:
            h["gamma"] = gen_gamma(rng)
    elif kind == "multistep":
        k = rng.randint(1, 6)
        ms = [rng.randint(0, n + 5) for _ in range(k)]
        if rng.random() < 0.4:
            ms.append(rng.choice(ms))                     # a repeated milestone: gamma twice
        if rng.random() < 0.1:
            ms.append(0)                                  # applies at t = 0 already
        if rng.random() < 0.5:
            ms.sort()                                     # (order does not matter)
        h["milestones"] = ms
        if rng.random() < 0.75:
            h["gamma"] = gen_gamma(rng)
    elif kind == "exponential":
        u = rng.random()
        if u < 0.75:
            h["gamma"] = nice(1 - loguniform(rng, 1e-4, 0.3), 5)
        elif u < 0.95:
            h["gamma"] = nice(1 + loguniform(rng, 1e-4, 0.03), 5)
        else:
            h["gamma"] = nice(rng.uniform(0.0, 0.5), 3)
    elif kind == "cosine":
        # past T_max half the time: PyTorch's cosine climbs back (period 2 T_max)
        h["t_max"] = rng.randint(n, 2 * n) if rng.random() < 0.5 else rng.randint(1, max(1, n - 1))
        gen_eta_min(rng, lr, h)
    elif kind == "warmup-cosine":
        h["t_max"] = t = rng.randint(n, n + 40) if rng.random() < 0.8 else n
        if t == 1 or rng.random() < 0.15:
            h["warmup_steps"] = 0
        elif rng.random() < 0.9:
            h["warmup_steps"] = rng.randint(1, min(t - 1, max(1, n // 2)))
        gen_eta_min(rng, lr, h)
    elif kind == "cosine-restarts":
        h["t_0"] = rng.randint(1, 4) if rng.random() < 0.2 else rng.randint(1, max(1, n // 3))
        if rng.random() < 0.6:
            h["t_mult"] = rng.choice((1, 1, 2, 2, 3))
        gen_eta_min(rng, lr, h)
    elif kind == "cyclic":
        base = lr
        h["max_lr"] = nice(base * (loguniform(rng, 1.5, 100) if rng.random() < 0.9
                                   else rng.uniform(0.1, 0.9)))     # max below base: accepted
        u = rng.random()
        if u < 0.6:
            h["base_lr"] = base                           # --lr equals base-lr
        elif u < 0.8:
            h["base_lr"] = base                           # PyTorch overwrites the optimizer's lr
            h["lr"] = nice(loguniform(rng, 1e-4, 3.0))
        h["step_size_up"] = rng.randint(1, 40) if rng.random() < 0.9 else rng.randint(1, 3)
        if rng.random() < 0.5:
            h["step_size_down"] = rng.randint(1, 40)
        u = rng.random()
        if u < 0.75:
            h["mode"] = rng.choice(("triangular", "triangular2", "exp_range"))
        if h.get("mode") == "exp_range" and rng.random() < 0.85:
            h["gamma"] = nice(1 - loguniform(rng, 1e-4, 0.05), 5)
        elif rng.random() < 0.1:
            h["gamma"] = nice(rng.uniform(0.5, 0.999), 3)  # taken, used only by exp_range
        gen_momentum(rng, h)
    elif kind == "onecycle":
        if rng.random() < 0.4:
            del h["lr"]                                   # ignored by PyTorch
        t = rng.randint(2, 300)
        if rng.random() < 0.3:
            t = rng.choice((10, 20, 40, 50, 100, 200))    # pct_start * T near an integer
        h["total_steps"] = t
        n = t if rng.random() < 0.4 else rng.randint(1, t)
        h["max_lr"] = nice(loguniform(rng, 1e-3, 3.0))
        u = rng.random()
        if u < 0.4:
            h["pct_start"] = nice(rng.uniform(0.02, 0.98), 3)
        elif u < 0.65:
            h["pct_start"] = rng.choice((0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9))
        elif u < 0.7:
            h["pct_start"] = rng.choice((0.0, 1.0))
        u = rng.random()
        if u < 0.45:
            h["anneal_strategy"] = "linear"
        elif u < 0.7:
            h["anneal_strategy"] = "cos"
        if rng.random() < 0.5:
            h["div_factor"] = nice(loguniform(rng, 1.5, 1e3))
        if rng.random() < 0.5:
            h["final_div_factor"] = nice(loguniform(rng, 1.5, 1e6))
        if rng.random() < 0.35:
            h["three_phase"] = True
        gen_momentum(rng, h)
        if h.get("cycle_momentum") and rng.random() < 0.4:
            h["_optimizer"] = "adam"                      # beta1 cycles instead
    elif kind == "linear":
        u = rng.random()
        if u < 0.15:
            h["start_factor"] = 1.0
        elif u < 0.75:
            h["start_factor"] = nice(rng.uniform(0.01, 1.0), 3)
        u = rng.random()
        if u < 0.15:
            h["end_factor"] = 0.0
        elif u < 0.25:
            h["end_factor"] = 1.0
        elif u < 0.65:
            h["end_factor"] = nice(rng.uniform(0.0, 1.0), 3)
        u = rng.random()
        if u < 0.65:
            h["total_iters"] = rng.randint(1, n + 10)
        elif u < 0.72:
            h["total_iters"] = rng.choice((0, -1, -5))
    else:
        raise KeyError(kind)
    return h, n


def gen_momentum(rng, h):
    """--cycle-momentum and its bounds, half of the time (cyclic, onecycle)."""
    if rng.random() < 0.5:
        h["cycle_momentum"] = True
        if rng.random() < 0.6:
            h["base_momentum"] = nice(rng.uniform(0.5, 0.9), 3)
        if rng.random() < 0.6:
            h["max_momentum"] = nice(rng.uniform(0.85, 0.999), 3)


def schedule_args(kind, h, n):
    """replay's command line (a list) for schedule `kind` with options h, N steps."""
    args = ["schedule", kind, "--steps", str(n)]
    for key in sorted(h):
        if key.startswith("_"):
            continue
        val = h[key]
        opt = "--" + key.replace("_", "-")
        if val is True:
            args.append(opt)
        elif key == "milestones":
            args += [opt, ",".join(map(str, val))]
        elif isinstance(val, str):
            args += [opt, val]
        else:
            args += [opt, repr(val)]
    return args


def warmup_cosine_lambda(h):
    """Our warmup-cosine as the factor of a LambdaLR: t/W for t < W, then the
    cosine from lr to eta_min over T - W steps, divided by lr."""
    lr, w, t_max, eta = h["lr"], h.get("warmup_steps", 0), h["t_max"], h.get("eta_min", 0.0)

    def f(t):
        if t < w:
            return t / w
        return (eta + (lr - eta) * (1 + math.cos(math.pi * (t - w) / (t_max - w))) / 2) / lr
    return f


def torch_scheduler(kind, opt, h):
    """PyTorch's scheduler for `kind` with options h (only those given: the
    others take PyTorch's defaults)."""
    from torch.optim import lr_scheduler as L
    g = lambda *keys: {k: h[k] for k in keys if k in h}
    if kind == "step":
        return L.StepLR(opt, h["step_size"], **g("gamma"))
    if kind == "multistep":
        return L.MultiStepLR(opt, h["milestones"], **g("gamma"))
    if kind == "exponential":
        return L.ExponentialLR(opt, h["gamma"])
    if kind == "cosine":
        return L.CosineAnnealingLR(opt, h["t_max"], **g("eta_min"))
    if kind == "warmup-cosine":
        return L.LambdaLR(opt, warmup_cosine_lambda(h))
    if kind == "cosine-restarts":
        kw = {"T_mult": h["t_mult"]} if "t_mult" in h else {}
        return L.CosineAnnealingWarmRestarts(opt, h["t_0"], eta_min=h.get("eta_min", 0), **kw)
    if kind == "cyclic":
        return L.CyclicLR(opt, h.get("base_lr", h["lr"]), h["max_lr"],
                          cycle_momentum=bool(h.get("cycle_momentum")),
                          **g("step_size_up", "step_size_down", "mode", "gamma",
                              "base_momentum", "max_momentum"))
    if kind == "onecycle":
        return L.OneCycleLR(opt, h["max_lr"], h["total_steps"],
                            cycle_momentum=bool(h.get("cycle_momentum")),
                            three_phase=bool(h.get("three_phase")),
                            **g("pct_start", "anneal_strategy", "div_factor", "final_div_factor",
                                "base_momentum", "max_momentum"))
    if kind == "linear":
        return L.LinearLR(opt, **g("start_factor", "end_factor", "total_iters"))
    raise KeyError(kind)


def torch_schedule(kind, h, n):
    """The N values (lr, or [lr, momentum] with cycle_momentum) that PyTorch's
    optimizer uses at steps 0..N-1.  Raises what PyTorch raises: in the
    constructor, or in any of the N scheduler.step() calls of the loop (the
    last one computes the value for t = N, which is not printed)."""
    import warnings
    import torch
    torch.set_num_threads(1)
    p = torch.zeros(1, requires_grad=True)
    p.grad = torch.zeros(1)
    lr = h.get("lr", 0.01)
    cm = bool(h.get("cycle_momentum"))
    adam = h.get("_optimizer") == "adam"
    if adam:
        opt = torch.optim.Adam([p], lr=lr)
    else:
        opt = torch.optim.SGD([p], lr=lr, momentum=0.9 if cm else 0.0)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = torch_scheduler(kind, opt, h)
        for _ in range(n):
            grp = opt.param_groups[0]
            if cm:
                out.append([grp["lr"], grp["betas"][0] if adam else grp["momentum"]])
            else:
                out.append([grp["lr"]])
            if abs(grp["lr"]) < 1e30:
                opt.step()      # (SGD cannot apply an lr beyond float32: gamma > 1 for long)
            sched.step()
    return out


def schedule_case_from(kind, h, n):
    out = torch_schedule(kind, h, n)
    return {"args": schedule_args(kind, h, n), "inp": [],
            "out": [" ".join(map(fmt, o)) for o in out],
            "tolerance": SCHEDULE_TOLERANCE, "relative": True, "h": h}


def schedule_case(rng, kind, steps=SCHED_STEPS_SMALL):
    """One random case of schedule `kind`; a draw that PyTorch refuses (a
    one-cycle phase of length zero, ...) is drawn again -- refusals are the
    validation check's business."""
    while True:
        h, n = gen_schedule(rng, kind, steps)
        try:
            return schedule_case_from(kind, h, n)
        except (ValueError, ZeroDivisionError, OverflowError):
            continue


# Hand-picked cases, first in each committed file: the rules of
# reference-semantics.md section 3 where they are sharpest.
SCHEDULE_HARD = {
    "step": [({"lr": 0.1, "step_size": 1, "gamma": 0.5}, 30),
             ({"lr": 1.0, "step_size": 7}, 50)],                       # default gamma 0.1
    "multistep": [({"lr": 0.5, "milestones": [3, 3, 10, 0], "gamma": 0.5}, 20),   # repeated, and 0
                  ({"lr": 0.1, "milestones": [25, 5, 15, 15, 15]}, 40),           # unsorted, x3
                  ({"lr": 2.0, "milestones": [-2, 4, 1000], "gamma": 3.0}, 12)],  # never reached
    "exponential": [({"lr": 0.1, "gamma": 0.9}, 300), ({"lr": 1e-4, "gamma": 1.05}, 200)],
    "cosine": [({"lr": 0.1, "t_max": 1}, 10),                           # period 2
               ({"lr": 0.1, "t_max": 3}, 20),                           # the special branch
               ({"lr": 1.0, "t_max": 10, "eta_min": 0.01}, 65),         # three periods and more
               ({"lr": 0.05, "t_max": 77}, 300)],
    "warmup-cosine": [({"lr": 0.1, "warmup_steps": 0, "t_max": 50}, 50),
                      ({"lr": 0.3, "warmup_steps": 10, "t_max": 60, "eta_min": 0.003}, 60),
                      ({"lr": 1.0, "warmup_steps": 1, "t_max": 2}, 2)],
    "cosine-restarts": [({"lr": 0.1, "t_0": 5, "t_mult": 2}, 80),      # restarts at 5, 15, 35, 75
                        ({"lr": 0.1, "t_0": 1}, 10),
                        ({"lr": 0.2, "t_0": 3, "t_mult": 1, "eta_min": 0.01}, 30)],
    "cyclic": [({"lr": 0.01, "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3,
                 "step_size_down": 5}, 40),
               ({"lr": 0.01, "max_lr": 1.0, "step_size_up": 4, "mode": "triangular2",
                 "cycle_momentum": True}, 50),
               ({"lr": 0.001, "base_lr": 0.001, "max_lr": 0.006, "step_size_up": 5,
                 "mode": "exp_range", "gamma": 0.99, "cycle_momentum": True,
                 "base_momentum": 0.85, "max_momentum": 0.95}, 60),
               ({"lr": 0.5, "base_lr": 0.02, "max_lr": 0.2, "step_size_up": 2}, 12)],  # lr != base
    "onecycle": [({"lr": 0.01, "max_lr": 1.0, "total_steps": 10, "cycle_momentum": True}, 10),
                 ({"max_lr": 1.0, "total_steps": 10, "three_phase": True,
                   "anneal_strategy": "linear", "cycle_momentum": True}, 10),
                 ({"lr": 0.01, "max_lr": 0.1, "total_steps": 100, "pct_start": 0.25,
                   "div_factor": 10.0, "final_div_factor": 100.0, "cycle_momentum": True,
                   "_optimizer": "adam"}, 100),
                 ({"max_lr": 0.5, "total_steps": 20, "pct_start": 0.0}, 20),
                 ({"max_lr": 0.5, "total_steps": 20, "pct_start": 1.0}, 19),
                 ({"max_lr": 2.0, "total_steps": 7, "pct_start": 0.1, "three_phase": True}, 7)],
    "linear": [({"lr": 0.1}, 10),                                        # 1/3 -> 1 over 5
               ({"lr": 0.1, "start_factor": 1.0, "end_factor": 0.0, "total_iters": 4}, 10),
               ({"lr": 0.1, "start_factor": 0.25, "end_factor": 0.75, "total_iters": 0}, 5)],
}


# ---------------------------------------------------------------------------
# Clipping: `replay clip norm|value` against torch.nn.utils.clip_grad_norm_ and
# clip_grad_value_, one gradient per line (each line clipped on its own, as one
# parameter tensor).  By value: exact.  By norm: relative, K below.
#
# The norm.  PyTorch's 2-norm of a float32 tensor squares and sums in float32,
# in 8- or 16-lane vector order (AVX2 or AVX-512, so PyTorch itself differs
# between machines; a sequential tail below one vector) and rounds sqrt to
# float32; the library squares in float32 too (so that it overflows to inf
# beyond 3.4e38 and underflows below 1.4e-45 where PyTorch does) but sums in
# double.  The factor is PyTorch's reciprocal(norm + 1e-6) * max_norm
# (Tensor.__rdiv__: two float32 roundings) on both sides, so the norm's last
# bits are the only difference, and the clipped gradient inherits them.
# Measured (`tools/torch-check.py build/bin/replay --only clip-norm --cases
# 4000 --stats`, 2400 cases of up to 30 gradients of 1-300 entries, seed 21):
# worst 3.4e-7 relative, p99 2.7e-7, median 7.3e-8; lines of one or two
# entries agree exactly (torch-check's validation part checks that).  K = 1
# (1e-6) leaves a factor 3; a slip (the 1e-6 left out, the factor not clamped
# at 1, the norm after clipping returned, the inf-norm taken as the 2-norm,
# the squares summed in double without float32's overflow) moves values by
# 1e-3 or more, or to inf, on the hand-picked cases below.  Infinite and NaN
# gradients are not replay input (it refuses non-finite numbers: a known
# deviation, see torch-check.py).
CLIP_NORM_TOLERANCE = 1
CLIP_LINES_SMALL = (4, 14)       # lines (gradients) per case, committed files
CLIP_LINES_ANY = (1, 30)
CLIP_DIMS_SMALL = (1, 1, 2, 2, 3, 4, 5, 7, 10, 16, 33)
CLIP_DIMS_ANY = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 257, 300)


def gen_gradient(rng, n, s):
    g = []
    for _ in range(n):
        u = rng.random()
        g.append(0.0 if u < 0.04 else -0.0 if u < 0.06 else f32(rng.gauss(0.0, s)))
    return g


def gen_clip(rng, kind, lines=CLIP_LINES_SMALL, dims=CLIP_DIMS_SMALL):
    """(options, gradients) for one clip case.  The threshold sits within a
    factor 20 of the gradients' typical norm (or entry), so that some lines are
    clipped and some are not; one case in five is tiny (norms near the 1e-6 of
    PyTorch's factor)."""
    h = {}
    s = loguniform(rng, 1e-9, 1e-5) if rng.random() < 0.2 else loguniform(rng, 1e-4, 1e4)
    same_n = rng.random() < 0.6
    n0 = rng.choice(dims)
    grads = []
    for _ in range(rng.randint(*lines)):
        n = n0 if same_n else rng.choice(dims)
        grads.append(gen_gradient(rng, n, s * rng.choice((1, 1, 1, 0.1, 10))))
    if kind == "norm":
        u = rng.random()
        if u < 0.4:
            h["norm_type"] = "inf"
        elif u < 0.7:
            h["norm_type"] = "2"
        typical = s * (2.5 if h.get("norm_type") == "inf" else math.sqrt(n0))
    else:
        typical = 2.0 * s
    h["max"] = nice(typical * loguniform(rng, 0.05, 20))
    if kind == "value" and rng.random() < 0.3:
        # entries exactly at +-max, and at the neighbours of float32(max)
        v = f32(h["max"])
        for g in grads:
            for i in range(len(g)):
                if rng.random() < 0.3:
                    w = rng.choice((v, -v, nextafter32(v, 1), nextafter32(v, -1)))
                    g[i] = -w if rng.random() < 0.5 else w
    return h, grads


def nextafter32(x, direction):
    """The float32 neighbour of float32 x towards +inf (direction > 0) or -inf."""
    import numpy
    return float(numpy.nextafter(numpy.float32(x), numpy.float32(math.copysign(math.inf, direction))))


def clip_args(kind, h):
    args = ["clip", kind, "--max", repr(h["max"])]
    if "norm_type" in h:
        args += ["--norm-type", h["norm_type"]]
    return args


def torch_clip(kind, h, grads):
    """PyTorch's output lines: for norm, the norm returned and the clipped
    gradient; for value, the clipped gradient (lists of Python floats)."""
    import torch
    torch.set_num_threads(1)
    out = []
    for g in grads:
        p = torch.zeros(len(g), requires_grad=True)
        p.grad = torch.tensor(g, dtype=torch.float32)
        if kind == "norm":
            nt = math.inf if h.get("norm_type") == "inf" else 2.0
            total = torch.nn.utils.clip_grad_norm_([p], h["max"], nt)
            out.append([float(total)] + p.grad.tolist())
        else:
            torch.nn.utils.clip_grad_value_([p], h["max"])
            out.append(p.grad.tolist())
    return out


def clip_case_from(kind, h, grads):
    grads = [[f32(x) for x in g] for g in grads]
    return {"args": clip_args(kind, h), "inp": [" ".join(map(fmt, g)) for g in grads],
            "out": [" ".join(map(fmt, o)) for o in torch_clip(kind, h, grads)],
            "tolerance": CLIP_NORM_TOLERANCE if kind == "norm" else 0,
            "relative": kind == "norm", "h": h}


def clip_case(rng, kind, lines=CLIP_LINES_SMALL, dims=CLIP_DIMS_SMALL):
    h, grads = gen_clip(rng, kind, lines, dims)
    return clip_case_from(kind, h, grads)


CLIP_HARD = {
    "norm": [({"max": 5.0}, [[3, 4], [-3, 4, 0], [0.6, 0.8], [30, 40]]),   # norm == max: still scaled
             ({"max": 1.0000005}, [[0.6, 0.8], [1.0], [-1.0, 0.0]]),       # 0.6 -> 0.599999726
             ({"max": 1e-6}, [[3e-6, 4e-6], [1e-7, 0.0], [5e-7], [0.0, -0.0, 0.0]]),  # factor 1/6
             ({"max": 1.0}, [[1e-7], [0.0], [1e-12, -1e-12], [2.0], [-0.0, 3.0]]),    # never scaled up
             ({"max": 1e-7}, [[0.0, 0.0, 0.0], [1e-9, -2e-9], [1e-7]]),
             ({"max": 3.0, "norm_type": "inf"}, [[1, -3, 3], [-3, 2], [0.5, -0.25], [-6, 6, 1]]),
             ({"max": 2.5, "norm_type": "2"}, [[1.5, -2.0], [1e3] * 9, [0.1] * 300]),
             # float32 squares: inf beyond 3.4e38 (the gradient becomes 0), 0 below 1.4e-45
             ({"max": 1.0}, [[1e20, 1.0], [1e18, -1e18, 3.0], [2e19] * 9, [1.85e19, 1.0],
                             [1e-25, 0.0], [1e-22] * 20, [3e-20, 4e-20]]),
             ({"max": 2.0, "norm_type": "inf"}, [[1e30, -1e35], [1e-40, 3e-45]])],
    "value": [({"max": 1.0}, [[0.5, -3, 2, -0.0, 0.0], [1.0, -1.0, 1.0000001, -0.99999994]]),
              ({"max": 0.0}, [[0.5, -3, 2, -0.0, 0.0]]),                  # signs of zero
              ({"max": -0.0}, [[0.5, -3, 2, -0.0, 0.0]]),
              ({"max": 0.1}, [[0.1, -0.1, 0.100000001, 0.10000001, -0.10000001, 0.099999994]]),
              ({"max": 1e-40}, [[1e-39, -1e-39, 1e-45, -1e-45, 0.0]]),     # subnormal threshold
              ({"max": 3.4e38}, [[3.4028235e38, -3.4028235e38, 1.0]])],
}


# ---------------------------------------------------------------------------
# Rounding: `replay round fp16|bf16` against tensor.to(torch.float16 /
# torch.bfloat16).float(), compared bit for bit (refcheck's exact mode: the
# same float32, NaN equal to NaN whatever its sign or payload, since the
# vectorized bf16 path gives 0xFFFF and the text cannot carry payloads).


def bits_to_f32(bits):
    import struct
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


def f32_bits(x):
    import struct
    return struct.unpack("<I", struct.pack("<f", x))[0]


def fmt_any(x):
    """A float32 value as text for replay's input: %.9g, or nan, inf, -inf."""
    if math.isnan(x):
        return "nan"
    return fmt(x)


def round_hard(fmt_name):
    """The hard inputs of reference-semantics.md section 6, as float32 bit patterns."""
    b = []
    both = lambda x: [f32_bits(x), f32_bits(x) ^ 0x80000000]
    near = lambda bits: [bits - 1, bits, bits + 1]
    specials = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
                0x7F800001, 0x7FFFFFFF, 0xFF800001, 0x7F7FFFFF, 0xFF7FFFFF,
                0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000, 0x00400000]
    b += specials
    if fmt_name == "fp16":
        for x in (65504.0, 65519.99609375, 65520.0, 65536.0, 1e5, 2.0 ** -24, 2.0 ** -25,
                  3 * 2.0 ** -25, 2.0 ** -14, 2.0 ** -14 - 2.0 ** -25, 1023 * 2.0 ** -24,
                  1e-9, 1.0, 1.5, 2048.0, 2049.0, 2051.0, 4097.0, 0.1, 1 / 3):
            for bits in both(x):
                b += near(bits)
        # ties: halfway between two fp16 neighbours (13 dropped bits = 0x1000), at
        # every normal exponent, below an even and below an odd fp16 value
        for e in range(-14, 16):
            for m in (0, 1, 2, 3, 0x3FE, 0x3FF):
                bits = ((e + 127) << 23) | (m << 13) | 0x1000
                b += near(bits) + [bits | 0x80000000]
        # ties in the subnormal range: (2k+1) * 2^-25
        for k in (0, 1, 2, 3, 511, 512, 1022, 1023):
            bits = f32_bits((2 * k + 1) * 2.0 ** -25)
            b += near(bits) + [bits | 0x80000000]
    else:
        for bits in (0x7F7F8000, 0x7F7F7FFF, 0x7F7F0000, 0x7F7EFFFF, 0x7F7F8001, 0xFF7F8000,
                     0xFF7F7FFF, 0x00008000, 0x00018000, 0x00007FFF, 0x0000FFFF, 0x00017FFF,
                     0x007F8000, 0x007FFFFF, 0x80008000, 0x80018000):
            b += near(bits)
        # ties (16 dropped bits = 0x8000) at every exponent, below an even and an odd value
        for e in range(0, 255, 3):
            for m in (0x00, 0x01, 0x7E, 0x7F):
                bits = (e << 23) | (m << 16) | 0x8000
                b += near(bits) + [bits | 0x80000000]
        for x in (1.0, 0.1, 1 / 3, 3.14159265, 65504.0, 1e-40, 3.3961776e38, 3.3895314e38):
            for bits in both(x):
                b += near(bits)
    return [x & 0xFFFFFFFF for x in b]


def round_random(rng, count):
    """Random float32 bit patterns, the exponent uniform over all 256 values (so
    subnormals, both formats' overflow and NaN/inf are as common as 1.0), a
    quarter of them with the dropped bits forced to a tie or next to it."""
    out = []
    for _ in range(count):
        sign, e, m = rng.getrandbits(1), rng.randrange(256), rng.getrandbits(23)
        u = rng.random()
        if u < 0.25:
            low = rng.choice((0x1000, 0x0FFF, 0x1001, 0x8000, 0x7FFF, 0x8001))
            mask = 0x1FFF if low < 0x2000 else 0xFFFF
            m = (m & ~mask) | low
        out.append((sign << 31) | (e << 23) | m)
    return out


def torch_round(fmt_name, values):
    import numpy
    import torch
    torch.set_num_threads(1)
    t = torch.from_numpy(numpy.array(values, dtype=numpy.float32))
    dt = torch.float16 if fmt_name == "fp16" else torch.bfloat16
    return t.to(dt).float().tolist()


def round_case_from(fmt_name, bits):
    vals = [bits_to_f32(x) for x in bits]
    return {"args": ["round", fmt_name], "inp": [fmt_any(v) for v in vals],
            "out": [fmt_any(v) for v in torch_round(fmt_name, vals)],
            "tolerance": 0, "relative": False, "h": {}}


def round_case(rng, fmt_name, count=800):
    return round_case_from(fmt_name, round_random(rng, count))


# ---------------------------------------------------------------------------
# Loss scaling: `replay scaler` against GradScaler's update rule.  In torch 1.13
# the scaler is CUDA-only (reference-semantics.md section 5: on a machine
# without CUDA it disables itself, and torch._amp_update_scale_ has no CPU
# kernel), so the reference is the rule of that section in Python: the scale a
# float32 (numpy.float32), the product with a factor taken in double and
# rounded to float32 once, the growth tracker an int.  Exact.

SCALER_DEFAULTS = {"init_scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                   "growth_interval": 2000}


def scaler_rule(h, flags):
    """Per step: [found_inf, scale after update()] by the rule of section 5."""
    import numpy
    o = dict(SCALER_DEFAULTS, **h)
    growth, backoff, interval = o["growth_factor"], o["backoff_factor"], o["growth_interval"]
    out = []
    with numpy.errstate(over="ignore"):
        scale = numpy.float32(o["init_scale"])
        tracker = 0
        for found in flags:
            if found:
                scale = numpy.float32(float(scale) * backoff)
                tracker = 0
            else:
                ok = tracker + 1
                if ok == interval:
                    grown = numpy.float32(float(scale) * growth)
                    if numpy.isfinite(grown):
                        scale = grown
                    tracker = 0
                else:
                    tracker = ok
            out.append([1 if found else 0, float(scale)])
    return out


def gen_scaler(rng, steps=(30, 250)):
    h = {}
    u = rng.random()
    if u < 0.35:
        h["init_scale"] = 2.0 ** rng.randint(-20, 40)
    elif u < 0.65:
        h["init_scale"] = nice(loguniform(rng, 1e-3, 1e9))
    u = rng.random()
    if u < 0.3:
        h["growth_factor"] = nice(rng.uniform(1.0001, 4.0), 4)
    elif u < 0.45:
        h["growth_factor"] = rng.choice((2.0, 4.0, 1.5, 10.0, 1e3))
    u = rng.random()
    if u < 0.3:
        h["backoff_factor"] = nice(rng.uniform(0.01, 0.999), 3)
    elif u < 0.45:
        h["backoff_factor"] = rng.choice((0.5, 0.25, 0.1, 0.0))
    if rng.random() < 0.8:
        h["growth_interval"] = rng.choice((1, 1, 2, 3)) if rng.random() < 0.3 else rng.randint(1, 40)
    n = rng.randint(*steps)
    p = rng.choice((0.0, 0.01, 0.05, 0.1, 0.3, 0.6, 0.95))
    flags, burst = [], 0
    for _ in range(n):
        if burst:
            burst -= 1
            flags.append(1)
            continue
        if rng.random() < 0.02:
            burst = rng.randint(1, 15)        # a run of overflows
        flags.append(1 if rng.random() < p else 0)
    return h, flags


def scaler_args(h):
    args = ["scaler"]
    for key in sorted(h):
        val = h[key]
        args += ["--" + key.replace("_", "-"), str(val) if isinstance(val, int) else repr(val)]
    return args


def scaler_case_from(h, flags):
    return {"args": scaler_args(h), "inp": [str(f) for f in flags],
            "out": ["%d %s" % (f, fmt(s)) for f, s in scaler_rule(h, flags)],
            "tolerance": 0, "relative": False, "h": h}


def scaler_case(rng, steps=(30, 250)):
    h, flags = gen_scaler(rng, steps)
    return scaler_case_from(h, flags)


SCALER_HARD = [
    ({}, [0] * 2003 + [1, 0, 0]),                                  # defaults: doubles at step 2000
    ({"init_scale": 2.0 ** 120, "growth_interval": 1}, [0] * 12),  # stops at 2^127, never inf
    ({"init_scale": 1e-38, "growth_interval": 5}, [1] * 30 + [0] * 12),  # down through subnormals to 0
    ({"init_scale": 3.0, "growth_factor": 1.1, "backoff_factor": 0.3, "growth_interval": 3},
     [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    ({"init_scale": 1000.1, "growth_interval": 2}, [0, 1] * 10 + [0] * 10),
    ({"growth_factor": 1e38, "growth_interval": 1}, [0, 0, 1, 0, 0]),  # growth refused, tracker reset
    ({"backoff_factor": 0.0, "growth_interval": 2}, [0, 0, 1, 0, 0, 0, 0]),
]


# ---------------------------------------------------------------------------
# Suites: file name -> (number of cases, case generator, tolerance, description,
# mode and notes).  The generator is called as gen(rng, i) for case i = 0, 1, ...
# The optimizer suites have about 20 cases of 100-105 steps on 1-6 parameters;
# the others start with their hand-picked cases (SCHEDULE_HARD, CLIP_HARD,
# round_hard, SCALER_HARD) and go on with random ones.  The committed files are
# what `make refs` writes, and what tools/refcheck.py checks.


def committed(name, force=()):
    return lambda r, i: optimizer_case(r, name, FEATURES[name], DIMS_SMALL, STEPS_SMALL, force)


def hard_then(hard, from_hard, random_case):
    """Case i: hard[i] while there are any (no random draws), then random ones."""
    return lambda r, i: from_hard(*hard[i]) if i < len(hard) else random_case(r)


SCHEDULE_WHAT = {
    "step": "torch.optim.lr_scheduler.StepLR (step_size, gamma)",
    "multistep": "MultiStepLR (milestones, repeated and unsorted; gamma)",
    "exponential": "ExponentialLR (gamma below and above 1)",
    "cosine": "CosineAnnealingLR (T_max, eta_min; half the cases run past T_max)",
    "warmup-cosine": "warmup then cosine, as a LambdaLR: lr*t/W for t < W, then cosine to "
                     "eta_min over T_max - W (warmup_steps, t_max, eta_min; N <= t_max)",
    "cosine-restarts": "CosineAnnealingWarmRestarts (T_0, T_mult, eta_min)",
    "cyclic": "CyclicLR (base_lr, max_lr, step_size_up/down, mode triangular, triangular2, "
              "exp_range, gamma, cycle_momentum with SGD's momentum, base/max_momentum)",
    "onecycle": "OneCycleLR (max_lr, total_steps, pct_start, anneal_strategy cos/linear, "
                "div_factor, final_div_factor, three_phase, cycle_momentum with SGD's momentum "
                "or Adam's beta1; N <= total_steps)",
    "linear": "LinearLR (start_factor, end_factor, total_iters)",
}
SCHEDULE_NOTES = [
    "Loop: for t in range(N): record lr (and momentum); optimizer.step(); scheduler.step().",
    "Values are doubles, printed with %.9g by PyTorch's side and by replay.",
]


def schedule_suite(kind):
    return (16, hard_then(SCHEDULE_HARD[kind], lambda h, n: schedule_case_from(kind, h, n),
                          lambda r: schedule_case(r, kind)),
            SCHEDULE_TOLERANCE, SCHEDULE_WHAT[kind], "relative", SCHEDULE_NOTES)


SUITES = {
    "sgd": (20, lambda r, i: optimizer_case(r, "sgd", (), DIMS_SMALL, STEPS_SMALL), TOLERANCE["sgd"],
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
SUITES["lion"] = (20, committed("lion"), TOLERANCE["lion"],
                  "Lion (Chen et al. 2023, Alg. 2) in torch float32 tensor ops, as "
                  "reference-semantics.md section 2: lr, betas, weight_decay (decoupled)")
SUITES["lars"] = (20, committed("lars"), TOLERANCE["lars"],
                  "LARS (You et al. 2017, Alg. 1, eq. 6) in torch float32 tensor ops, as "
                  "reference-semantics.md section 2: lr, momentum, weight_decay, trust_coefficient")
SUITES["lamb"] = (20, committed("lamb"), TOLERANCE["lamb"],
                  "LAMB (You et al. 2020, Alg. 2, bias correction on) in torch float32 tensor "
                  "ops, as reference-semantics.md section 2: lr, betas, eps, weight_decay")
for _kind in SCHEDULES:
    SUITES["schedule-" + _kind] = schedule_suite(_kind)
SUITES["clip-norm"] = (
    20, hard_then(CLIP_HARD["norm"], lambda h, g: clip_case_from("norm", h, g),
                  lambda r: clip_case(r, "norm")),
    CLIP_NORM_TOLERANCE,
    "torch.nn.utils.clip_grad_norm_ (max_norm, norm_type 2 and inf), one gradient per line",
    "relative", ["Each output line: the total norm returned, then the clipped gradient (float32)."])
SUITES["clip-value"] = (
    16, hard_then(CLIP_HARD["value"], lambda h, g: clip_case_from("value", h, g),
                  lambda r: clip_case(r, "value")),
    0, "torch.nn.utils.clip_grad_value_ (clip_value), one gradient per line", "exact", [])
for _f, _t in (("fp16", "float16"), ("bf16", "bfloat16")):
    SUITES["round-" + _f] = (
        4, (lambda f: lambda r, i: round_case_from(f, round_hard(f)) if i == 0
            else round_case(r, f))(_f),
        0, "tensor.to(torch.%s).float() on float32 inputs: case 1 the hard cases of "
           "reference-semantics.md section 6, then random bit patterns over all exponents" % _t,
        "exact", ["Input: %.9g of the float32 value, or nan, inf, -inf.",
                  "(PyTorch 2.11's CUDA and CPU conversions give the same bits for every value.)"])
SUITES["scaler"] = (
    20, hard_then(SCALER_HARD, scaler_case_from, scaler_case),
    0, "the dynamic loss-scaling rule of GradScaler.update() (init_scale, growth_factor, "
       "backoff_factor, growth_interval)", "exact",
    ["Not generated by torch.cuda.amp.GradScaler itself: in PyTorch 1.13 it is CUDA-only (on a",
     "machine without CUDA it disables itself, and torch._amp_update_scale_ has no CPU kernel),",
     "so the reference is the rule of reference-semantics.md section 5 implemented in Python",
     "(tools/make-refs.py, scaler_rule): the scale a float32 (numpy.float32), each product",
     "with a factor taken in double and rounded to float32 once, the growth tracker an int.",
     "Checked once on a GPU: PyTorch 2.11's CUDA kernel torch._amp_update_scale_ and the whole",
     "GradScaler flow (scale, step skipping on inf, update) reproduce every case of this file."])


# ---------------------------------------------------------------------------
# Chapter 11.  Muon: torch.optim.Muon of PyTorch 2.9 (torch/optim/_muon.py), which
# torch 1.13 lacks, written here in torch float32 tensor operations following
# chapter 11's formulation (and DESIGN.md's replay section): buf.lerp_(g, 1 - mu);
# u = g.lerp(buf, mu) if nesterov else buf; five Newton-Schulz steps in float32
# (PyTorch 2.9 runs them in bfloat16: the book's deliberate difference) on u, or
# on its transpose when rows > cols, after dividing by max(|u|_F, eps); then
# p *= 1 - lr*wd and p -= adjusted_lr * O.  One input line is one R x C matrix
# (--shape R,C, rows first).  Tolerance: the library sums the products in double,
# torch in float32; relative to max(1, |p|), K = 5 (measured worst 0.3 over the
# committed cases).  The slips were not measured against this file.
MUON_DEFAULTS = {"lr": 1e-3, "weight_decay": 0.1, "momentum": 0.95, "nesterov": True,
                 "eps": 1e-7, "adjust_lr_fn": "original"}
MUON_ABC = (3.4445, -4.7750, 2.0315)


def muon_adjusted(lr, fn, r, c):
    if fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(r, c))
    return lr * math.sqrt(max(1, r / c))


def muon_run(h, shape, p0, grads):
    import torch
    torch.set_num_threads(1)
    o = dict(MUON_DEFAULTS, **h)
    r, c = shape
    a, b, cc = MUON_ABC
    f32t = torch.float32
    w = torch.tensor(p0, dtype=f32t).reshape(r, c)
    buf = torch.zeros_like(w)
    out = []
    for gl in grads:
        g = torch.tensor(gl, dtype=f32t).reshape(r, c)
        buf.lerp_(g, 1 - o["momentum"])
        u = g.lerp(buf, o["momentum"]) if o["nesterov"] else buf.clone()
        x = u.T.contiguous() if r > c else u.clone()
        x = x / x.norm().clamp(min=o["eps"])
        for _ in range(5):
            gram = x @ x.T
            upd = b * gram + cc * gram @ gram
            x = a * x + upd @ x
        ortho = x.T if r > c else x
        w.mul_(1 - o["lr"] * o["weight_decay"])
        w.add_(ortho, alpha=-muon_adjusted(o["lr"], o["adjust_lr_fn"], r, c))
        out.append([float(v) for v in w.flatten().numpy()])
    return out


def muon_case(rng, i):
    h = {}
    if rng.random() < 0.8:
        h["lr"] = nice(loguniform(rng, 1e-3, 0.05))
    if rng.random() < 0.5:
        h["weight_decay"] = nice(loguniform(rng, 1e-3, 1.0))
    if rng.random() < 0.5:
        h["momentum"] = nice(rng.uniform(0.0, 0.99), 3)
    if rng.random() < 0.3:
        h["eps"] = nice(loguniform(rng, 1e-9, 1e-5))
    if rng.random() < 0.6:
        h["adjust_lr_fn"] = rng.choice(["original", "match_rms_adamw"])
    if rng.random() < 0.3:
        h["nesterov"] = True
    r, c = rng.randint(1, 9), rng.randint(1, 9)
    if i < 3:
        r, c = [(4, 4), (7, 3), (2, 8)][i]
    n, steps = r * c, rng.randint(8, 25)
    p0 = [f32(rng.gauss(0.0, 0.5)) for _ in range(n)]
    grads = [[f32(rng.gauss(0.0, rng.choice([1.0, 0.01, 5.0]))) for _ in range(n)]
             for _ in range(steps)]
    out = muon_run(h, (r, c), p0, grads)
    args = ["optimizer", "muon", "--shape", "%d,%d" % (r, c)]
    for k in sorted(h):
        opt = "--" + k.replace("_", "-")
        if h[k] is True:
            args.append(opt)
        elif isinstance(h[k], str):
            args += [opt, h[k]]
        else:
            args += [opt, repr(h[k])]
    return {"args": args, "inp": [" ".join(map(fmt, p0))] + [" ".join(map(fmt, g)) for g in grads],
            "out": [" ".join(map(fmt, v)) for v in out], "h": h}


SUITES["muon"] = (20, muon_case, 5,
                  "Muon (torch.optim.Muon of PyTorch 2.9, Newton-Schulz in float32) in torch "
                  "float32 tensor ops, as chapter 11 writes it: lr, weight_decay, momentum, "
                  "nesterov, eps, adjust_lr_fn; --shape R,C")


# WSD and linear decay to zero (chapter 4's definitions, no torch class): as a
# LambdaLR in PyTorch's loop, like warmup-cosine.
def wsd_lambda(h, kind):
    lr, w, T = h["lr"], h.get("warmup_steps", 0), h["total_steps"]
    d = T - w if kind == "linear-to-zero" else h.get("total_iters", 0)
    lo = 0.0 if kind == "linear-to-zero" else h.get("eta_min", 0.0)

    def f(t):
        if t < w:
            return t / w
        if t >= T:
            return lo / lr
        if t + d < T:
            return 1.0
        return (lo + (lr - lo) * (T - t) / d) / lr
    return f


def wsd_case(kind):
    def case(rng, i):
        import warnings
        import torch
        T = rng.randint(5, 120)
        h = {"lr": nice(loguniform(rng, 1e-4, 1.0)), "total_steps": T}
        if rng.random() < 0.7 or i == 0:
            h["warmup_steps"] = rng.randint(0, T - 1)
        if kind == "wsd":
            h["total_iters"] = rng.randint(0, T - h.get("warmup_steps", 0))
            if rng.random() < 0.5:
                h["eta_min"] = nice(h["lr"] * rng.uniform(0.0, 0.5))
        n = rng.choice([T, T, T + rng.randint(1, 20), max(1, T // 2)])
        p = torch.zeros(1, requires_grad=True)
        p.grad = torch.zeros(1)
        opt = torch.optim.SGD([p], lr=h["lr"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, wsd_lambda(h, kind))
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(n):
                out.append([opt.param_groups[0]["lr"]])
                opt.step()
                sched.step()
        return {"args": schedule_args(kind, h, n), "inp": [],
                "out": [" ".join(map(fmt, o)) for o in out], "h": h}
    return case


for _kind, _what in (("wsd", "warmup-stable-decay: lr*t/W for t < W, lr until T - D, then linear "
                      "to eta_min at T (warmup_steps W, total_steps T, total_iters D, eta_min)"),
                     ("linear-to-zero", "linear decay to zero: lr*t/W for t < W, then "
                      "lr*(T - t)/(T - W) (warmup_steps W, total_steps T)")):
    SUITES["schedule-" + _kind] = (16, wsd_case(_kind), SCHEDULE_TOLERANCE, _what + "; a LambdaLR",
                                   "relative", SCHEDULE_NOTES)


# Schedule-free AdamW (chapter 11; Defazio et al. 2024, facebookresearch/schedule_free's
# AdamWScheduleFree, written with x kept explicitly as its adamw_schedulefree_reference.py
# does), which no torch release has, in torch float32 tensor operations following the
# chapter: in double, gamma_t = lr * min(1, t/W) * sqrt(1 - beta2^t), weight
# w_t = t^r * (max_{j<=t} gamma_j)^P, c_t = w_t / sum w (0 if the sum is 0); then, in
# float32, z -= gamma*wd * y (if wd != 0); v = beta2 v + (1 - beta2) g^2;
# z -= gamma g / (sqrt(v) + eps); x = (1 - c) x + c z; y = beta1 x + (1 - beta1) z,
# with z = x = y = p0 and v = 0 at the start.  replay prints x, the evaluation point,
# after every step; the gradients are those at y.  Tolerance as Adam's, K = 5.
SF_DEFAULTS = {"lr": 0.0025, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
               "warmup_steps": 0, "r": 0.0, "weight_lr_power": 2.0}


def schedulefree_run(h, p0, grads):
    import torch
    torch.set_num_threads(1)
    o = dict(SF_DEFAULTS, **h)
    beta1, beta2 = o["betas"]
    y = torch.tensor(p0, dtype=torch.float32)
    z, x, v = y.clone(), y.clone(), torch.zeros_like(y)
    lr_max, weight_sum, out = -1.0, 0.0, []
    for k, gl in enumerate(grads):
        g = torch.tensor(gl, dtype=torch.float32)
        sched = (k + 1) / o["warmup_steps"] if k < o["warmup_steps"] else 1.0
        lr = o["lr"] * sched * math.sqrt(1 - beta2 ** (k + 1))
        lr_max = max(lr, lr_max)
        weight = ((k + 1) ** o["r"]) * (lr_max ** o["weight_lr_power"])
        weight_sum += weight
        ckp1 = weight / weight_sum if weight_sum != 0 else 0.0
        if o["weight_decay"] != 0:
            z.sub_(y, alpha=lr * o["weight_decay"])
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        z.addcdiv_(g, v.sqrt().add_(o["eps"]), value=-lr)
        x.mul_(1 - ckp1).add_(z, alpha=ckp1)
        y = x.mul(beta1).add_(z, alpha=1 - beta1)
        out.append([float(t) for t in x.numpy()])
    return out


def schedulefree_case(rng, i):
    h = {}
    if rng.random() < 0.8:
        h["lr"] = nice(loguniform(rng, 1e-4, 0.1))
    if rng.random() < 0.5:
        h["betas"] = (nice(rng.uniform(0.0, 0.99), 3), nice(rng.uniform(0.9, 0.9999), 5))
    if rng.random() < 0.3:
        h["eps"] = nice(loguniform(rng, 1e-10, 1e-4))
    if rng.random() < 0.5:
        h["weight_decay"] = nice(loguniform(rng, 1e-4, 0.5))
    if rng.random() < 0.6 or i == 0:
        h["warmup_steps"] = rng.randint(0, 40)
    if rng.random() < 0.3:
        h["r"] = nice(rng.uniform(0.0, 2.0), 3)
    if rng.random() < 0.3:
        h["weight_lr_power"] = nice(rng.uniform(0.0, 4.0), 3)
    n, steps = rng.randint(1, 12), rng.randint(20, 80)
    p0 = [f32(rng.gauss(0.0, 1.0)) for _ in range(n)]
    grads = [[f32(rng.gauss(0.0, rng.choice([1.0, 0.01, 5.0]))) for _ in range(n)]
             for _ in range(steps)]
    out = schedulefree_run(h, p0, grads)
    args = ["optimizer", "adamw-schedulefree"]
    for k in sorted(h):
        opt = "--" + k.replace("_", "-")
        if k == "betas":
            args += [opt, "%r,%r" % h[k]]
        else:
            args += [opt, repr(h[k])]
    return {"args": args, "inp": [" ".join(map(fmt, p0))] + [" ".join(map(fmt, g)) for g in grads],
            "out": [" ".join(map(fmt, v)) for v in out], "h": h}


SUITES["adamw-schedulefree"] = (
    20, schedulefree_case, 5,
    "schedule-free AdamW (facebookresearch/schedule_free's AdamWScheduleFree, x kept "
    "explicitly) in torch float32 tensor ops, as chapter 11 writes it: lr, betas, eps, "
    "weight_decay, warmup_steps, r, weight_lr_power; replay prints x")


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


def suite_spec(name):
    """(ncases, gen, tol, what, mode, notes) of a suite; mode is None (the
    optimizers' max(1, |torch|)), 'relative' or 'exact'."""
    s = SUITES[name]
    return s + (None, []) if len(s) == 4 else s


def write_suite(outdir, name):
    import torch
    ncases, gen, tol, what, mode, notes = suite_spec(name)
    seed = suite_seed(name)
    rng = random.Random(seed)
    path = os.path.join(outdir, name + ".txt")
    arith = "" if mode else ", float32"
    lines = [
        "# tests/ref/%s.txt -- generated by tools/make-refs.py; do not edit (run `make refs`)." % name,
        "# %s; PyTorch %s%s, seed %d." % (what, torch.__version__, arith, seed),
    ]
    lines += ["# " + n for n in notes]
    lines.append("# Each case: args = replay's command line, in = its stdin, out = what it must print;")
    if mode == "relative":
        lines += ["# tools/refcheck.py compares with |replay - torch| <= tolerance * 1e-6 * |torch|,",
                  "# |torch| floored at 1e-6 times the largest |value| in its column of the case.",
                  "tolerance: %g relative" % tol]
    elif mode == "exact":
        lines += ["# tools/refcheck.py compares exactly: the same float32 bits (NaN equal to any NaN).",
                  "tolerance: 0"]
    else:
        lines += ["# tools/refcheck.py compares with |replay - torch| <= tolerance * 1e-6 * max(1, |torch|).",
                  "tolerance: %g" % tol]
    cases = []
    for i in range(ncases):
        c = gen(rng, i)
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
          % (path, ncases, os.path.getsize(path), coverage(cases) or "-"))


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
