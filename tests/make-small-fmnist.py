#!/usr/bin/python3
"""make-small-fmnist.py -- write a small but valid Fashion-MNIST-format data set.

    tests/make-small-fmnist.py OUTDIR NTRAIN NTEST [SOURCE]

writes OUTDIR/train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz and the
two t10k-* files (the names chapters/A2-data.w reads), holding NTRAIN training
and NTEST test images.  They are the first NTRAIN and NTEST examples of the real
set in SOURCE (default $DESCENT_FASHION_MNIST, else
/usr/share/datasets/fashion-mnist), read as far as needed and no further; when
the real files are not there, the images are synthesized instead (a fixed
pseudo-random picture per example, label i mod 10), so the tests still run.
Either way the files are valid IDX: header, 28x28 unsigned bytes, labels
below 10, counts that agree.
"""
import gzip
import os
import struct
import sys

PIXELS = 28 * 28


def read_prefix(path, header, count, size):
    """The first COUNT records of SIZE bytes after HEADER bytes of an IDX file."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        f.read(header)
        data = f.read(count * size)
    if len(data) != count * size:
        raise SystemExit(f"make-small-fmnist: {path} has fewer than {count} records")
    return data


def synthesize(count, seed):
    """COUNT pseudo-random 28x28 pictures and labels, the same every time."""
    x = seed * 2654435761 % 2**32 or 1
    images = bytearray(count * PIXELS)
    for i in range(len(images)):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        images[i] = x & 0xFF
    labels = bytes(i % 10 for i in range(count))
    return bytes(images), labels


def source_files(src, kind):
    names = []
    for what in ("images-idx3", "labels-idx1"):
        base = os.path.join(src, f"{kind}-{what}-ubyte")
        path = base + ".gz" if os.path.exists(base + ".gz") else base
        if not os.path.exists(path):
            return None
        names.append(path)
    return names


def write_set(out, src, kind, count, seed):
    files = source_files(src, kind) if src else None
    if files:
        images = read_prefix(files[0], 16, count, PIXELS)
        labels = read_prefix(files[1], 8, count, 1)
    else:
        images, labels = synthesize(count, seed)
    with gzip.open(os.path.join(out, f"{kind}-images-idx3-ubyte.gz"), "wb", 1) as f:
        f.write(struct.pack(">HBBIII", 0, 8, 3, count, 28, 28) + images)
    with gzip.open(os.path.join(out, f"{kind}-labels-idx1-ubyte.gz"), "wb", 1) as f:
        f.write(struct.pack(">HBBI", 0, 8, 1, count) + labels)


def main():
    if len(sys.argv) not in (4, 5) or not sys.argv[2].isdigit() or not sys.argv[3].isdigit():
        raise SystemExit("usage: make-small-fmnist.py OUTDIR NTRAIN NTEST [SOURCE]")
    out, ntrain, ntest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    src = sys.argv[4] if len(sys.argv) == 5 else os.environ.get(
        "DESCENT_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
    if not os.path.isdir(src):
        src = None
    os.makedirs(out, exist_ok=True)
    write_set(out, src, "train", ntrain, 1)
    write_set(out, src, "t10k", ntest, 2)


if __name__ == "__main__":
    main()
