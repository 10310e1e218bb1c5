#!/bin/sh
# The issue-13 measurements, for a quiet machine (nothing else running). Alternates the lab's
# bench and the PyTorch reference three times so both see the same machine state, then times
# the bn-simple preset at full width with the default parallelism and one at a time.
# Needs python3-torch (Debian) for the reference; run from the repository root:
#   sh bench/quiet-machine.sh 2>&1 | tee bench-quiet.log
# The whole preset runs with the default parallelism (2 at once on 2 cores, the last run beside
# them) and one at a time.
set -eu
# Debian's python3 (with python3-torch), not a pyenv shim earlier on PATH.
PY="${PYTHON:-/usr/bin/python3}"
for i in 1 2 3; do
  echo "== round $i"
  npx tsx bench/index.ts --model simple-cnn --backend wasm --steps 20 --warmup 3
  taskset -c 0 "$PY" bench/torch-reference.py
  taskset -c 0 "$PY" bench/torch-reference.py --bn
  taskset -c 0 "$PY" bench/torch-reference.py --channels-last
  taskset -c 0 "$PY" bench/torch-reference.py --channels-last --bn
done
echo "== kernel builds (relaxed SIMD vs SIMD128), CPU time"
BNLAB_WASM_KERNELS=simd128 npx tsx bench/index.ts --model simple-cnn --backend wasm --steps 20 --warmup 3
node --experimental-wasm-relaxed-simd --import tsx bench/fma.ts 21
echo "== whole preset"
npx tsx bench/index.ts --experiment bn-simple --steps 50 --warmup 3
npx tsx bench/index.ts --experiment bn-simple --seeds 2 --steps 50 --warmup 3
