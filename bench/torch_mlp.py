#!/usr/bin/python3
"""bench/torch_mlp.py -- chapter 9's recipe in PyTorch, for `make bench`.

    /usr/bin/python3 bench/torch_mlp.py [--epochs N] [--threads N] [--sizes 784,1024,512,10]
                                        [--data DIR] [--seed N]

The same model (Linear/ReLU MLP, He-normal weights, zero biases), the same
recipe (AdamW lr 1e-3, betas (0.9, 0.999), weight decay 0.01 on the weights
only, 5 % linear warmup then cosine to 0 as a LambdaLR, clip_grad_norm_ 1.0,
batch 128, a fresh shuffle per epoch, the last partial batch dropped) and the
same data (Fashion-MNIST bytes / 255 in float32) as build/bin/09-trainer.
Prints one line per epoch, "epoch E samples_per_s S test_acc A train_loss L",
where samples/s counts the training steps only (not the evaluation).
"""
import argparse, gzip, math, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F

def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    nd = data[3]
    dims = struct.unpack(">" + "I" * nd, data[4:4 + 4 * nd])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--sizes", default="784,1024,512,10")
    ap.add_argument("--data", default=os.environ.get("DESCENT_FASHION_MNIST",
                                                     "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    d = a.data
    xtr = torch.from_numpy(idx(d + "/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255)
    ytr = torch.from_numpy(idx(d + "/train-labels-idx1-ubyte.gz").astype(np.int64))
    xte = torch.from_numpy(idx(d + "/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255)
    yte = torch.from_numpy(idx(d + "/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    sizes = [int(s) for s in a.sizes.split(",")]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = torch.optim.AdamW([{"params": weights, "weight_decay": 0.01},
                             {"params": biases, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    B = 128
    spe = xtr.shape[0] // B
    T = spe * a.epochs
    W = int(0.05 * T + 0.5)
    lam = lambda t: t / W if t < W else 0.5 * (1 + math.cos(math.pi * (t - W) / (T - W)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
    g = torch.Generator().manual_seed(a.seed)
    for e in range(a.epochs):
        perm = torch.randperm(xtr.shape[0], generator=g)
        model.train()
        total = 0.0
        t0 = time.perf_counter()
        for s in range(spe):
            rows = perm[s * B:(s + 1) * B]
            x, y = xtr[rows], ytr[rows]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
        secs = time.perf_counter() - t0
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"epoch {e + 1} samples_per_s {spe * B / secs:.1f} test_acc {acc:.4f} "
              f"train_loss {total / spe:.4f}", flush=True)

if __name__ == "__main__":
    main()
