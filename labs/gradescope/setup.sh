#!/bin/bash
# labs/gradescope/setup.sh -- Gradescope runs this once, as root, on its Ubuntu
# (or Debian) image, to build the autograder's image.  The zip (make-zip.sh)
# unpacks to /autograder/source: this file, run_autograder, LAB and descent/,
# the student tree of the book.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# what the library, replay and the tests need (tools/install-deps names the same)
apt-get install -y -qq --no-install-recommends make gcc libc6-dev pkg-config zlib1g-dev \
  texlive-binaries libcriterion-dev python3
# PyTorch for the hidden live tests; without it they are left out, and said so
apt-get install -y -qq --no-install-recommends python3-torch python3-numpy \
  || echo "setup: python3-torch is not available: the live PyTorch tests will not run"
# the Fashion-MNIST test set that a few library tests read, where the image has it
apt-get install -y -qq --no-install-recommends dataset-fashion-mnist || true
# build the tree once, so that a submission recompiles only what it changes
cd /autograder/source/descent
make -j"$(nproc)" build/bin/test_descent build/bin/replay
