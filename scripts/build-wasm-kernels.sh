#!/bin/sh
# Builds the project's SIMD training kernels for tfjs's wasm backend. The output
# (main/trainer/backends/wasm/simd/kernels.wasm) is committed, so a checkout needs no compiler.
# Needs clang and wasm-ld (Debian: apt-get install clang lld).
set -eu
dir="$(dirname "$0")/../main/trainer/backends/wasm/simd"
clang --target=wasm32 -O3 -msimd128 -mbulk-memory -mmutable-globals -nostdlib -fno-builtin-memset \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer -Wl,--strip-debug \
  -o "$dir/kernels.wasm" "$dir/kernels.c"
echo "built $dir/kernels.wasm ($(wc -c < "$dir/kernels.wasm") bytes)"
