#!/bin/sh
# Builds the project's SIMD training kernels for tfjs's wasm backend, twice from one source:
#   kernels.wasm          SIMD128 (every runtime with wasm SIMD; the fallback)
#   kernels-relaxed.wasm  relaxed SIMD: f32x4.relaxed_madd (fused multiply-add) in the inner loops
# in main/trainer/backends/wasm/simd/. Both are committed, so a checkout needs no compiler.
# Needs clang ≥ 16 and wasm-ld (Debian: apt-get install clang-19 lld-19); CLANG overrides the
# compiler, otherwise the newest clang-NN on PATH is used.
set -eu
dir="$(dirname "$0")/../main/trainer/backends/wasm/simd"
if [ -z "${CLANG:-}" ]; then
  CLANG=clang
  for v in 22 21 20 19 18 17 16; do
    if command -v "clang-$v" >/dev/null 2>&1; then CLANG="clang-$v"; break; fi
  done
fi
build() {
  out="$1"
  shift
  "$CLANG" --target=wasm32 -O3 -msimd128 "$@" -mbulk-memory -mmutable-globals -nostdlib \
    -fno-builtin-memset -Wall -Wextra -Werror \
    -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer -Wl,--strip-debug \
    -o "$dir/$out" "$dir/kernels.c"
  echo "built $dir/$out ($(wc -c < "$dir/$out") bytes, $("$CLANG" --version | head -n 1))"
}
build kernels.wasm
build kernels-relaxed.wasm -mrelaxed-simd
