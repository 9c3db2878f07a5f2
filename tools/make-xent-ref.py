#!/usr/bin/python3
"""tools/make-xent-ref.py -- PyTorch's label-smoothed cross-entropy, as test vectors.

    /usr/bin/python3 tools/make-xent-ref.py tests/ref/xent-smooth.dat

Writes one example per line,

    K eps target z_0 .. z_{K-1} loss g_0 .. g_{K-1}

where loss = torch.nn.functional.cross_entropy(z[None], target[None],
label_smoothing=eps) and g its gradient with respect to z, all in float32
(PyTorch 1.13, Debian's python3-torch), printed with %.9g so that every
float32 reads back exactly.  tests/test_reg.c compares xent_smooth with
these lines.  Cases: hand-picked ones first (equal logits, logits of size
1e4 where a naive softmax overflows, eps = 0 and 1, K = 1), then random
logits at scales 1e-3 .. 1e4 with K from 2 to 100 and eps drawn from
[0, 1].  The seed is fixed, so the file is reproducible.
"""
import random
import sys

import torch
import torch.nn.functional as F


def case(z, t, eps):
    z = torch.tensor(z, dtype=torch.float32, requires_grad=True)
    loss = F.cross_entropy(z[None], torch.tensor([t]), label_smoothing=eps)
    loss.backward()
    f = lambda x: "%.9g" % x
    return " ".join([str(len(z)), repr(float(eps)), str(t)] + [f(v) for v in z.tolist()]
                    + [f(loss.item())] + [f(v) for v in z.grad.tolist()])


def main(path):
    rng = random.Random(8)
    lines = []
    hard = [([0.0, 0.0, 0.0], 1, 0.1), ([1e4, -1e4, 0.5], 0, 0.0), ([1e4, -1e4, 0.5], 1, 0.2),
            ([-1e4, -1e4 + 1, -1e4 + 2, -1e4 + 3], 2, 0.1), ([3.5], 0, 0.3), ([3.5], 0, 0.0),
            ([1.0, 2.0, 3.0], 2, 1.0), ([1.0, 2.0, 3.0], 0, 0.0), ([100.0, -100.0], 1, 0.05),
            ([2e4, 1e4, -3e4, 0.0, 5.0], 4, 0.5)]
    for z, t, eps in hard:
        lines.append(case(z, t, eps))
    for k in range(60):
        K = rng.choice([2, 3, 10, 10, 17, 100])
        scale = rng.choice([1e-3, 1.0, 1.0, 30.0, 1e4])
        eps = rng.choice([0.0, 1.0, rng.random(), rng.random()])
        z = [rng.gauss(0.0, scale) for _ in range(K)]
        lines.append(case(z, rng.randrange(K), eps))
    with open(path, "w") as f:
        f.write("# label-smoothed cross-entropy by PyTorch %s (tools/make-xent-ref.py); one case a line:\n"
                "# K eps target z[0..K-1] loss grad[0..K-1], float32 printed with %%.9g\n" % torch.__version__)
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make-xent-ref.py OUTFILE")
    main(sys.argv[1])
