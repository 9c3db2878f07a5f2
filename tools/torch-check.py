#!/usr/bin/python3
"""tools/torch-check.py -- the live check: replay against PyTorch on fresh random cases.

    /usr/bin/python3 tools/torch-check.py REPLAY [--seed N] [--cases N] [--keep FILE] [--stats]
                                          [--only SUITE,...] [--known]

Six parts, all decided by PyTorch itself (Debian's python3-torch 1.13.1):

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
4. Schedules, clipping, rounding, scaler: fresh random cases from the same
   generators as the committed files (N/2 of each of the nine schedule kinds,
   1-400 steps, every option on or off at random; N*0.6 clip-norm and N*0.4
   clip-value cases of up to 30 gradients of 1-300 entries; N/10 cases of 4000
   random float32 bit patterns per format, compared bit for bit; N*0.6 scaler
   runs of up to 400 steps against the GradScaler rule, which PyTorch 1.13
   runs only on CUDA).  Schedules relative to K = 0.02 (2e-8), clip-norm
   K = 1, the rest exact.
5. Keywords of the schedules: each kind takes exactly its PyTorch class's
   keyword arguments (T_max as --t-max; warmup-cosine: warmup_steps, t_max,
   eta_min); the scaler takes GradScaler's, and its defaults are GradScaler's.
6. Validation of the schedules, scaler, clipping and rounding: edges run
   through PyTorch -- onecycle stepped past total_steps, total_steps <= 0,
   pct_start outside [0, 1], an empty first phase, unknown anneal strategies,
   T_0 <= 0, T_mult < 1, unknown cyclic modes, LinearLR factors outside [0, 1]
   and start_factor 0, step_size 0, T_max 0 (any exception PyTorch raises in
   the constructor or in the loop's N scheduler.step() calls), GradScaler's
   growth_factor <= 1 and backoff_factor >= 1 (AssertionError, on a scaler
   forced to be enabled) -- and the values they accept nearby.  REPLAY must
   exit 2 with one line exactly where PyTorch raises, and agree elsewhere.
   Edges where replay is known to differ from PyTorch (KNOWN) are run and
   reported in the summary but not counted; --known lists them.
7. Chapter 11 (area beyond): fresh random cases of muon, adamw-schedulefree,
   schedule-wsd and schedule-linear-to-zero (N*0.3, N*0.4, N*0.3, N*0.3) from
   make-refs.py's generators, against its references: torch float32 tensor
   operations following the chapter (muon_run, schedulefree_run; torch 1.13 has
   neither optimizer) and LambdaLR schedules; K = 5 (of max(1, |torch|)) for the
   optimizers, schedules relative K = 0.02.

The seed is taken from the clock unless given, and printed so that a failure
can be reproduced.  --keep FILE writes failing trajectory cases in the
reference-file format, for tools/refcheck.py (FILE for the optimizers,
FILE.relative and FILE.exact for the others).  --stats prints, per suite, the
worst, 99th-percentile and median error of the cases in units of 1e-6 (how the
tolerances in make-refs.py were measured: run it with --cases 2000).  --only
runs the cases of the suites named (sgd, ..., schedule-cyclic, clip-norm,
round-bf16, scaler, ...; or a whole area: optimizer, schedule, clip, round,
scaler) and nothing else.

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
         ("adam", "adam", ()), ("adamw", "adamw", ()),
         ("lion", "lion", ()), ("lars", "lars", ()), ("lamb", "lamb", ()))


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


def record(msg, case, i, suite, t, keep_cases):
    """Count one case in the tally t = [passed, total]; report and keep a failure.
    Returns True when the case passed."""
    t[1] += 1
    if msg:
        keep_cases.append(case)
        print("torch-check: FAIL case %d (%s): replay %s: %s"
              % (i + 1, suite, " ".join(case["args"]), msg))
        return False
    t[0] += 1
    return True


# ---------------------------------------------------------------------------
# 1. trajectories

def check_trajectories(replay, rng, ncases, keep_cases, errors, kinds=KINDS, tally=None):
    passed = failed = 0
    tally = {} if tally is None else tally
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
        ok = record(msg, case, i, suite, tally.setdefault("optimizers", [0, 0]), keep_cases)
        passed += ok
        failed += not ok
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
# 4. schedules, clipping, rounding, loss scaling: fresh random cases

def _sched_maker(kind):
    return lambda rng: refs.schedule_case(rng, kind, refs.SCHED_STEPS_ANY)


# (suite, area, case maker, cases per --cases): schedules by PyTorch's scheduler
# classes, clipping by torch.nn.utils, rounding by tensor.to() (each case 4000
# fresh random bit patterns), the scaler by the rule of make-refs.py (PyTorch
# 1.13's GradScaler is CUDA-only)
OTHER_KINDS = tuple(("schedule-" + k, "schedule", _sched_maker(k), 0.5) for k in refs.SCHEDULES) + (
    ("clip-norm", "clip", lambda rng: refs.clip_case(rng, "norm", refs.CLIP_LINES_ANY,
                                                      refs.CLIP_DIMS_ANY), 0.6),
    ("clip-value", "clip", lambda rng: refs.clip_case(rng, "value", refs.CLIP_LINES_ANY,
                                                       refs.CLIP_DIMS_ANY), 0.4),
    ("round-fp16", "round", lambda rng: refs.round_case(rng, "fp16", 4000), 0.1),
    ("round-bf16", "round", lambda rng: refs.round_case(rng, "bf16", 4000), 0.1),
    ("scaler", "scaler", lambda rng: refs.scaler_case(rng, (1, 400)), 0.6),
)
AREAS = ("schedule", "clip", "round", "scaler")
AREA_NAMES = {"schedule": "schedules", "clip": "clipping", "round": "rounding", "scaler": "scaler"}


def xent_case(rng):
    """`replay loss xent --label-smoothing X` (chapter 8) on logits, targets and
    smoothing values drawn afresh: torch.nn.functional.cross_entropy of one example
    and its gradient in float32, K from 1 to 256, logits up to size 1e4."""
    import torch
    import torch.nn.functional as F
    eps = rng.choice([0.0, 1.0, rng.random(), rng.random()])
    inp, out = [], []
    for _ in range(rng.randint(1, 12)):
        K = rng.choice([1, 2, 3, 10, 37, 100, 256])
        scale = rng.choice([1e-3, 1.0, 30.0, 1e4])
        z = torch.tensor([rng.gauss(0.0, scale) for _ in range(K)], dtype=torch.float32,
                         requires_grad=True)
        t = rng.randrange(K)
        loss = F.cross_entropy(z[None], torch.tensor([t]), label_smoothing=eps)
        loss.backward()
        inp.append(" ".join([str(t)] + ["%.9g" % v for v in z.tolist()]))
        out.append(" ".join("%.9g" % v for v in [loss.item()] + z.grad.tolist()))
    return {"args": ["loss", "xent", "--label-smoothing", repr(eps)], "inp": inp, "out": out,
            "tolerance": 1, "relative": False}


OTHER_KINDS = OTHER_KINDS + (("loss-xent", "loss", xent_case, 0.4),)
AREAS = AREAS + ("loss",)
AREA_NAMES["loss"] = "loss"


# Chapter 11 (area "beyond"): Muon, schedule-free AdamW, WSD and linear decay to
# zero, none of which torch 1.13 has: fresh random cases from the generators that
# wrote tests/ref/{muon,adamw-schedulefree,schedule-wsd,schedule-linear-to-zero}.txt,
# whose references are torch tensor operations (make-refs.py's muon_run and
# schedulefree_run, shared, not copied) or a LambdaLR in PyTorch's loop.
def _beyond(maker, tol, relative):
    def case(rng):
        c = maker(rng)
        c["tolerance"], c["relative"] = tol, relative
        return c
    return case


OTHER_KINDS = OTHER_KINDS + (
    ("muon", "beyond", _beyond(lambda rng: refs.muon_case(rng, 3), 5, False), 0.3),
    ("adamw-schedulefree", "beyond",
     _beyond(lambda rng: refs.schedulefree_case(rng, 1), 5, False), 0.4),
    ("schedule-wsd", "beyond", _beyond(lambda rng: refs.wsd_case("wsd")(rng, 1),
                                       refs.SCHEDULE_TOLERANCE, True), 0.3),
    ("schedule-linear-to-zero", "beyond",
     _beyond(lambda rng: refs.wsd_case("linear-to-zero")(rng, 1), refs.SCHEDULE_TOLERANCE,
             True), 0.3),
)
AREAS = AREAS + ("beyond",)
AREA_NAMES["beyond"] = "chapter 11"


def check_others(replay, rng, ncases, keep_cases, errors, kinds=OTHER_KINDS, tally=None):
    passed = failed = 0
    tally = {} if tally is None else tally
    for suite, area, maker, factor in kinds:
        t = tally.setdefault(AREA_NAMES[area], [0, 0])
        for i in range(max(1, int(round(ncases * factor)))):
            case = maker(rng)
            case["suite"] = suite
            r = run(replay, case["args"], "\n".join(case["inp"]) + "\n")
            if r.returncode != 0:
                msg = describe(r)
            else:
                msg, err = refcheck.compare(r.stdout.splitlines(), case["out"], case["tolerance"],
                                            case["relative"])
                if not msg:
                    errors.setdefault(suite, []).append(err)
            ok = record(msg, case, i, suite, t, keep_cases)
            passed += ok
            failed += not ok
    return passed, failed


# ---------------------------------------------------------------------------
# 5. keywords of the schedules (and the scaler): replay takes exactly the
# keyword arguments of each PyTorch class, in kebab case (T_max is --t-max)

SCHED_CLASSES = {"step": "StepLR", "multistep": "MultiStepLR", "exponential": "ExponentialLR",
                 "cosine": "CosineAnnealingLR", "cosine-restarts": "CosineAnnealingWarmRestarts",
                 "cyclic": "CyclicLR", "onecycle": "OneCycleLR", "linear": "LinearLR"}
# not options of replay: the optimizer, the resume point, logging, a Python scale
# function, and OneCycleLR's alternative to total_steps
SCHED_NOT_OPTIONS = ("self", "optimizer", "last_epoch", "verbose", "scale_fn", "scale_mode",
                     "epochs", "steps_per_epoch")
# every schedule option replay has, with a value every kind that takes it accepts
SCHED_OPTIONS = {
    "step_size": "3", "gamma": "0.5", "milestones": "1,2", "t_max": "10", "eta_min": "0.001",
    "warmup_steps": "2", "t_0": "3", "t_mult": "2", "base_lr": "0.01", "max_lr": "0.1",
    "step_size_up": "2", "step_size_down": "3", "mode": "triangular2", "cycle_momentum": None,
    "base_momentum": "0.8", "max_momentum": "0.9", "total_steps": "10", "pct_start": "0.25",
    "anneal_strategy": "linear", "div_factor": "10", "final_div_factor": "100",
    "three_phase": None, "start_factor": "0.5", "end_factor": "0.9", "total_iters": "4",
}
SCHED_REQUIRED = {"step": ["step_size"], "multistep": ["milestones"], "exponential": ["gamma"],
                  "cosine": ["t_max"], "warmup-cosine": ["t_max"], "cosine-restarts": ["t_0"],
                  "cyclic": ["max_lr"], "onecycle": ["max_lr", "total_steps"], "linear": []}


def sched_keywords(kind):
    if kind == "warmup-cosine":                     # our LambdaLR's parameters
        return ["warmup_steps", "t_max", "eta_min"]
    from torch.optim import lr_scheduler
    cls = getattr(lr_scheduler, SCHED_CLASSES[kind])
    return [k.lower() for k in inspect.signature(cls.__init__).parameters
            if k not in SCHED_NOT_OPTIONS]


def sched_option_args(key):
    v = SCHED_OPTIONS[key]
    return ["--" + key.replace("_", "-")] + ([] if v is None else [v])


def check_other_keywords(replay):
    total = passed = 0
    for kind in refs.SCHEDULES:
        takes = sched_keywords(kind)
        unknown = [k for k in takes if k not in SCHED_OPTIONS]
        if unknown:
            total += 1
            print("torch-check: FAIL: %s takes %s, which this check does not know"
                  % (SCHED_CLASSES.get(kind, kind), ", ".join(unknown)))
        for key in SCHED_OPTIONS:
            total += 1
            args = ["schedule", kind, "--steps", "3", "--lr", "0.01"]
            for req in SCHED_REQUIRED[kind]:
                if req != key:
                    args += sched_option_args(req)
            args += sched_option_args(key)
            r = run(replay, args, "")
            if key in takes:
                ok = r.returncode == 0 and len(r.stdout.splitlines()) == 3
                want = "exit 0 and 3 lines (PyTorch's %s takes %s)" % (kind, key)
            else:
                ok = one_line_error(r)
                want = "exit 2 and one line (PyTorch's %s has no %s)" % (kind, key)
            if ok:
                passed += 1
            else:
                print("torch-check: FAIL: replay %s: %s; want %s" % (" ".join(args), describe(r), want))
    # the scaler: GradScaler's keywords and defaults (the rule's defaults are PyTorch's)
    import torch.cuda.amp.grad_scaler as gs
    sig = inspect.signature(gs.GradScaler.__init__).parameters
    for key in sig:
        if key in ("self", "enabled"):
            continue
        total += 1
        val = refs.SCALER_DEFAULTS.get(key)
        if val is None or sig[key].default != val:
            print("torch-check: FAIL: GradScaler's %s defaults to %r, make-refs.py's rule to %r"
                  % (key, sig[key].default, val))
            continue
        args = ["scaler", "--" + key.replace("_", "-"), refs.scaler_args({key: val})[2]]
        r = run(replay, args, "0\n1\n0\n")
        want = [" ".join(("%d" % f, refs.fmt(s))) for f, s in refs.scaler_rule({}, [0, 1, 0])]
        if r.returncode == 0 and r.stdout.splitlines() == want:
            passed += 1
        else:
            print("torch-check: FAIL: replay %s (PyTorch's default): %s; want %s"
                  % (" ".join(args), describe(r), " | ".join(want)))
    return passed, total


# ---------------------------------------------------------------------------
# 6. validation: schedules, scaler, clipping and rounding at their edges.
# Each edge is run by PyTorch; where PyTorch raises (a ValueError or
# AssertionError of a constructor, or a ZeroDivisionError or ValueError in one
# of the N scheduler.step() calls of the loop), replay must exit 2 with one
# line; where it does not, replay must run and agree.  An edge marked with a
# note is a known deviation of replay (reported, not failed: see KNOWN below).

def schedule_edges(rng):
    x = lambda: refs.nice(refs.loguniform(rng, 1e-3, 10.0))
    k = lambda: rng.randint(1, 60)
    T = rng.randint(5, 100)
    lr = refs.nice(refs.loguniform(rng, 1e-4, 1.0))
    oc = {"max_lr": x(), "total_steps": T}
    e = [  # (kind, options, N, known deviation or None)
        ("onecycle", oc, T + 1, None),                          # "Tried to step T+2 times"
        ("onecycle", oc, T + k(), None),
        ("onecycle", oc, T, None),
        ("onecycle", dict(oc, three_phase=True), T + 1, None),
        ("onecycle", dict(oc, total_steps=0), 1, None),
        ("onecycle", dict(oc, total_steps=-k()), 1, None),
        ("onecycle", dict(oc, pct_start=-x()), T, None),
        ("onecycle", dict(oc, pct_start=-1e-12), T, None),
        ("onecycle", dict(oc, pct_start=-0.0), T, None),
        ("onecycle", dict(oc, pct_start=0.0), T, None),
        ("onecycle", dict(oc, pct_start=1.0), T - 1, None),
        ("onecycle", dict(oc, pct_start=1.0 + 1e-12), T - 1, None),
        ("onecycle", dict(oc, pct_start=1.0 + x()), T - 1, None),
        ("onecycle", {"max_lr": x(), "total_steps": 10, "pct_start": 0.1}, 5, None),   # pT = 1
        ("onecycle", {"max_lr": x(), "total_steps": 4, "pct_start": 0.25, "three_phase": True}, 4, None),
        ("onecycle", dict(oc, anneal_strategy="cosine"), T, None),
        ("onecycle", dict(oc, anneal_strategy="Linear"), T, None),
        ("onecycle", dict(oc, anneal_strategy="linear", cycle_momentum=True), T, None),
        ("onecycle", dict(oc, div_factor=-x(), final_div_factor=-x()), T, None),
        ("onecycle", dict(oc, div_factor=0.0), T, None),          # ZeroDivisionError
        ("onecycle", dict(oc, final_div_factor=0.0), T, None),    # ZeroDivisionError
        # the N-th scheduler.step() computes t = T = N, in a last phase of length 0
        ("onecycle", dict(oc, pct_start=1.0), T, None),
        ("onecycle", {"max_lr": x(), "total_steps": 3, "pct_start": 2 / 3, "three_phase": True}, 3,
         None),
        ("onecycle", {"max_lr": x(), "total_steps": 3, "pct_start": 2 / 3, "three_phase": True}, 2,
         None),
        ("cosine-restarts", {"lr": lr, "t_0": 0}, 5, None),
        ("cosine-restarts", {"lr": lr, "t_0": -k()}, 5, None),
        ("cosine-restarts", {"lr": lr, "t_0": 1}, 5, None),
        ("cosine-restarts", {"lr": lr, "t_0": k(), "t_mult": 0}, 5, None),
        ("cosine-restarts", {"lr": lr, "t_0": k(), "t_mult": -k()}, 5, None),
        ("cosine-restarts", {"lr": lr, "t_0": 2, "t_mult": 1}, 9, None),
        ("cyclic", {"lr": lr, "max_lr": x(), "mode": "triangle"}, 5, None),
        ("cyclic", {"lr": lr, "max_lr": x(), "mode": "Triangular2"}, 5, None),
        ("cyclic", {"lr": lr, "max_lr": x(), "mode": "exp-range"}, 5, None),
        ("cyclic", {"lr": lr, "max_lr": x(), "step_size_up": 0, "step_size_down": k()}, 5, None),
        ("cyclic", {"lr": lr, "max_lr": x(), "gamma": -0.5, "mode": "exp_range"}, 7, None),
        ("linear", {"lr": lr, "start_factor": -x()}, 5, None),
        ("linear", {"lr": lr, "start_factor": 1.0 + x()}, 5, None),
        ("linear", {"lr": lr, "start_factor": 1.0 + 1e-12}, 5, None),
        ("linear", {"lr": lr, "start_factor": 0.0}, 1, None),     # ZeroDivisionError at t = 1
        ("linear", {"lr": lr, "start_factor": -0.0}, 3, None),
        ("linear", {"lr": lr, "start_factor": 1e-12}, 8, None),
        ("linear", {"lr": lr, "start_factor": 1.0}, 8, None),
        ("linear", {"lr": lr, "end_factor": -x()}, 5, None),
        ("linear", {"lr": lr, "end_factor": -1e-12}, 5, None),
        ("linear", {"lr": lr, "end_factor": 1.0 + x()}, 5, None),
        ("linear", {"lr": lr, "end_factor": -0.0}, 8, None),
        ("linear", {"lr": lr, "end_factor": 0.0, "start_factor": 1.0}, 8, None),
        ("step", {"lr": lr, "step_size": 0}, 3, None),            # ZeroDivisionError at t = 1
        ("cosine", {"lr": lr, "t_max": 0}, 3, None),              # ZeroDivisionError at t = 1
        ("exponential", {"lr": lr, "gamma": -x()}, 6, None),
        ("exponential", {"lr": lr, "gamma": 0.0}, 4, None),
        ("multistep", {"lr": lr, "milestones": [], "gamma": 0.5}, 4, None),
        ("multistep", {"lr": lr, "milestones": [-k(), 0, 0]}, 4, None),
        # known deviations (replay differs from PyTorch; see KNOWN)
        ("cyclic", {"lr": lr, "base_lr": lr, "max_lr": 10 * lr, "step_size_up": 4,
                    "step_size_down": 0}, 10, None),
        ("step", {"lr": lr, "step_size": -3}, 8, "step --step-size < 0"),
        ("cosine", {"lr": lr, "t_max": -5}, 12, "cosine --t-max < 0"),
        ("cyclic", {"lr": lr, "max_lr": 1.0, "step_size_up": -2, "step_size_down": 5}, 8,
         "cyclic --step-size-up < 0"),
    ]
    return e


def scaler_edges(rng):
    x = lambda: refs.nice(refs.loguniform(rng, 1e-6, 10.0))
    return [{"growth_factor": 1.0}, {"growth_factor": 1.0 - 1e-12}, {"growth_factor": -x()},
            {"growth_factor": rng.uniform(0.0, 1.0)}, {"growth_factor": 1.0 + 1e-12},
            {"growth_factor": 1.0 + x()},
            {"backoff_factor": 1.0}, {"backoff_factor": 1.0 + 1e-12}, {"backoff_factor": 1.0 + x()},
            {"backoff_factor": 1.0 - 1e-12}, {"backoff_factor": 0.0}, {"backoff_factor": -0.0},
            {"backoff_factor": -x()},
            {"growth_factor": 1.0, "backoff_factor": 1.0},
            {"init_scale": 0.0, "growth_interval": 1}, {"init_scale": -x(), "growth_interval": 2}]


def torch_scaler_rejects(h):
    """Whether GradScaler(**h) raises, on a scaler forced to be enabled (on a
    machine without CUDA it would disable itself and check nothing)."""
    import torch.cuda.amp.grad_scaler as gs
    saved = gs.amp_definitely_not_available
    gs.amp_definitely_not_available = lambda: False
    try:
        s = gs.GradScaler(**h)
        assert s._enabled
    except AssertionError:
        return True
    finally:
        gs.amp_definitely_not_available = saved
    return False


def clip_edges(rng):
    """(kind, options, gradients, known deviation or None, exact)"""
    v = refs.nice(refs.loguniform(rng, 1e-3, 10.0))
    g = [refs.f32(rng.gauss(0, 3)) for _ in range(rng.randint(2, 9))]
    one = [[refs.f32(rng.choice((-1, 1)) * refs.loguniform(rng, 1e-3, 1e3))] for _ in range(20)]
    return [
        ("norm", {"max": -v}, [g], None, False),                 # accepted: flips the gradient
        ("norm", {"max": 0.0}, [g], None, False),
        ("norm", {"max": -v, "norm_type": "inf"}, [g], None, False),
        ("value", {"max": v}, [g, [v, -v, 0.0, -0.0]], None, True),
        # clamp(min=-v, max=v) with min > max: v everywhere
        ("value", {"max": -v}, [g, [v, -v, 0.0, -0.0]], None, True),
        # PyTorch squares and sums in float32: inf beyond 3.4e38, 0 below 1.4e-45
        ("norm", {"max": 1.0}, [[1e20, 1.0], [1e18, -1e18, 3.0], [2e19] * 9, [1.85e19, 1.0],
                                [1e-25, 0.0], [1e-22] * 20, [3e-20, 4e-20]], None, True),
        # one entry: the norm is exact on both sides, so the gradient must be too:
        # the factor is reciprocal(norm + 1e-6) * max_norm, two float32 roundings
        ("norm", {"max": 0.03577}, [[0.345033884], [29.2050266], [-25.3114853]], None, True),
        ("norm", {"max": refs.nice(refs.loguniform(rng, 1e-3, 1.0))}, one, None, True),
        ("norm", {"max": refs.nice(refs.loguniform(rng, 1e-3, 1.0)), "norm_type": "inf"}, one,
         None, True),
    ]


# what each known deviation is, for the report (key: the note of an edge)
KNOWN = {
    "step --step-size < 0": "PyTorch accepts it (t % s == 0 every |s| steps); replay refuses",
    "cosine --t-max < 0": "PyTorch accepts it (the same values as |T_max|); replay refuses",
    "cyclic --step-size-up < 0": "PyTorch accepts negative step sizes; replay refuses",
    "clip norm, non-finite input": "PyTorch clips inf/NaN gradients (inf -> NaN, the rest 0); "
        "replay refuses them as input",
}


def round_text_edges():
    """Decimal texts (not %.9g of a float32) that replay reads with strtof and
    PyTorch with float() then float32: the same value for these."""
    return ["1e39", "-1e39", "3.4028236e38", "3.40282357e38", "1e-50", "-1e-50", "1e-45",
            "7e-46", "-0", "+0", "0.0", "-0.0", "inf", "-inf", "nan", "-nan", "Infinity",
            "65519.99", "65520", "0x1p-24", "0x1.8p-25", "1.00048828125", "1.00048828126"]


def check_other_validation(replay, rng, known_report):
    total = passed = 0

    def verdict(ok, what, known):
        nonlocal total, passed
        if known:
            known_report.append((known, ok))
            return
        total += 1
        if ok:
            passed += 1
        else:
            print("torch-check: FAIL: %s" % what)

    for kind, h, n, known in schedule_edges(rng):
        args = refs.schedule_args(kind, h, n)
        r = run(replay, args, "")
        try:
            want = [" ".join(map(refs.fmt, o)) for o in refs.torch_schedule(kind, h, n)]
            raised = None
        except Exception as e:       # whatever PyTorch raises, replay must refuse
            raised = "%s: %s" % (type(e).__name__, e)
        if raised:
            verdict(one_line_error(r), "PyTorch raises %s for %s %r, N = %d, but `replay %s` %s "
                    "(want exit 2, one line on stderr, nothing on stdout)"
                    % (raised, kind, h, n, " ".join(args), describe(r)), known)
        elif r.returncode != 0:
            verdict(False, "PyTorch accepts %s %r, N = %d, but `replay %s` %s"
                    % (kind, h, n, " ".join(args), describe(r)), known)
        else:
            msg, _ = refcheck.compare(r.stdout.splitlines(), want, refs.SCHEDULE_TOLERANCE, True)
            verdict(not msg, "`replay %s` (accepted, as by PyTorch): %s" % (" ".join(args), msg), known)

    for h in scaler_edges(rng):
        args = refs.scaler_args(h)
        flags = [rng.choice((0, 0, 0, 1)) for _ in range(12)]
        r = run(replay, args, "\n".join(map(str, flags)) + "\n")
        if torch_scaler_rejects(h):
            verdict(one_line_error(r), "GradScaler(%r) raises AssertionError but `replay %s` %s"
                    % (h, " ".join(args), describe(r)), None)
        else:
            want = ["%d %s" % (f, refs.fmt(s)) for f, s in refs.scaler_rule(h, flags)]
            msg = describe(r) if r.returncode else refcheck.compare(r.stdout.splitlines(), want, 0)[0]
            verdict(not msg, "GradScaler(%r) is accepted; `replay %s`: %s"
                    % (h, " ".join(args), msg), None)

    for kind, h, grads, known, exact in clip_edges(rng):
        c = refs.clip_case_from(kind, h, grads)
        if exact:
            c["tolerance"] = 0
        r = run(replay, c["args"], "\n".join(c["inp"]) + "\n")
        msg = describe(r) if r.returncode else refcheck.compare(
            r.stdout.splitlines(), c["out"], c["tolerance"], c["relative"])[0]
        verdict(not msg, "`replay %s` on %s: %s" % (" ".join(c["args"]), c["inp"], msg), known)
    # non-finite gradients: PyTorch clips them; replay refuses them as input
    g = "inf -2 1"
    r = run(replay, ["clip", "norm", "--max", "1"], g + "\n")
    verdict(r.returncode == 0 and r.stdout.split() == ["inf", "nan", "-0", "0"],
            "clip norm of %s" % g, "clip norm, non-finite input")

    for f in ("fp16", "bf16"):
        texts = round_text_edges()
        r = run(replay, ["round", f], "\n".join(texts) + "\n")
        vals = [refs.f32(float.fromhex(t) if t.startswith("0x") else float(t)) for t in texts]
        want = [refs.fmt_any(v) for v in refs.torch_round(f, vals)]
        msg = describe(r) if r.returncode else refcheck.compare(r.stdout.splitlines(), want, 0)[0]
        verdict(not msg, "replay round %s on the texts %s: %s" % (f, " ".join(texts), msg), None)
    return passed, total


# ---------------------------------------------------------------------------

def write_kept(keep, seed, kept):
    """Failing cases in the reference-file format, one file per comparison mode
    (a file has one tolerance line): KEEP for the optimizers' mode, KEEP.relative
    and KEEP.exact for the others."""
    groups = {}
    for c in kept:
        mode = "exact" if c["tolerance"] == 0 else "relative" if c.get("relative") else ""
        groups.setdefault(mode, []).append(c)
    for mode, cases in sorted(groups.items()):
        path = keep + ("." + mode if mode else "")
        tol = max(c["tolerance"] for c in cases)
        with open(path, "w") as f:
            f.write("# failing cases of torch-check.py --seed %d\ntolerance: %g%s\n"
                    % (seed, tol, " relative" if mode == "relative" else ""))
            for j, c in enumerate(cases, 1):
                f.write("# case %d\nargs: %s\nin:\n%s\nout:\n%s\n"
                        % (j, " ".join(c["args"]), "\n".join(c["inp"]), "\n".join(c["out"])))
        print("torch-check: failing cases written to %s" % path)


def main(argv):
    args = argv[1:]
    replay, seed, ncases, keep, stats, only, list_known = None, None, 50, None, False, None, False
    names = [k[0] for k in KINDS] + [k[0] for k in OTHER_KINDS] + list(AREAS) + ["optimizer"]
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
            elif a == "--known":
                list_known = True
            elif a == "--only":
                only = args.pop(0).split(",")
                bad = [o for o in only if o not in names]
                if bad:
                    raise ValueError("--only: unknown suite %s (have: %s)"
                                     % (bad[0], " ".join(names)))
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
              "[--only SUITE,...] [--known]",
              file=sys.stderr)
        return 2
    if seed is None:
        seed = int(time.time() * 1000) % 1000000007
    print("torch-check: seed %d (rerun with --seed %d)" % (seed, seed))
    print("torch-check: tolerance |replay - torch| <= k * 1e-6 * max(1, |torch|), k = %s; "
          "schedules k = %g relative, clip-norm k = %g relative; clip-value, round, scaler exact"
          % (", ".join("%g (%s)" % (refs.TOLERANCE[k], k) for k in refs.TOLERANCE),
             refs.SCHEDULE_TOLERANCE, refs.CLIP_NORM_TOLERANCE))
    rng = random.Random(seed)
    t0 = time.time()

    kept, errors, known = [], {}, []
    if only is None:
        kinds, others = KINDS, OTHER_KINDS
    else:
        kinds = tuple(k for k in KINDS if k[0] in only or "optimizer" in only)
        others = tuple(k for k in OTHER_KINDS if k[0] in only or k[1] in only)
    tally = {}
    passed, failed = (check_trajectories(replay, rng, ncases, kept, errors, kinds, tally)
                      if kinds else (0, 0))
    p2, f2 = check_others(replay, rng, ncases, kept, errors, others, tally)
    passed, failed = passed + p2, failed + f2
    kw_pass = kw_total = val_pass = val_total = 0
    if only is None:
        kw_pass, kw_total = check_keywords(replay)
        val_pass, val_total = check_validation(replay, rng)
        p, t = check_other_keywords(replay)
        kw_pass, kw_total = kw_pass + p, kw_total + t
        p, t = check_other_validation(replay, rng, known)
        val_pass, val_total = val_pass + p, val_total + t

    if keep and kept:
        write_kept(keep, seed, kept)

    suites = [k[0] for k in KINDS] + [k[0] for k in OTHER_KINDS]
    if stats:
        for suite in suites:
            e = sorted(errors.get(suite, []))
            if e:
                tol = refs.TOLERANCE.get(suite, 5 if suite in ("muon", "adamw-schedulefree")
                                         else refs.SCHEDULE_TOLERANCE if suite.startswith("schedule")
                                         else refs.CLIP_NORM_TOLERANCE if suite == "clip-norm" else 0)
                print("torch-check: stats %-24s %5d cases: worst %.3g, p99 %.3g, median %.3g"
                      " (units of 1e-6); tolerance %g"
                      % (suite, len(e), e[-1] * 1e6, e[min(len(e) - 1, int(0.99 * len(e)))] * 1e6,
                         e[len(e) // 2] * 1e6, tol))
    if list_known:
        for k, ok in known:
            print("torch-check: known deviation: %s: %s -- %s"
                  % (k, "now agrees" if ok else "still differs", KNOWN[k]))
    if known:
        fixed = [k for k, ok in known if ok]
        for k in fixed:
            print("torch-check: note: known deviation '%s' now agrees with PyTorch: "
                  "make it an ordinary check (tools/torch-check.py, KNOWN)" % k)
    print("torch-check: cases by area: %s"
          % ", ".join("%s %d/%d" % (a, tally[a][0], tally[a][1]) for a in tally))
    worst = ", ".join("%s %.2g" % (s, max(errors[s])) for s in suites if s in errors)
    print("torch-check: %d/%d cases agree (max rel err: %s), %d/%d keyword checks, "
          "%d/%d validation checks agree%s; seed %d, %.0f s"
          % (passed, passed + failed, worst or "-", kw_pass, kw_total, val_pass, val_total,
             "; %d known deviations not counted (%d still differ; --known lists them)"
             % (len(known), sum(1 for _, ok in known if not ok)) if known else "",
             seed, time.time() - t0))
    ok = failed == 0 and passed > 0 and kw_pass == kw_total and val_pass == val_total
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
