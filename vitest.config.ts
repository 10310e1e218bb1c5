import { defineConfig } from 'vitest/config';
import { relaxedSimdExecArgv } from './main/trainer/backends/wasm/simd/kernel-build.js';

// Unit tests: test/unit mirrors the source tree. Training tests are CPU-heavy; two workers fit
// this project's 2-core machines. Timeouts are generous (5 min): the slowest tests train for 40–80 s
// on a quiet 2-core machine, and CI machines have been several times slower; a timeout here is a
// hang detector, never a speed goal (those live in `npm run bench`).
//
// The wasm kernels come in two builds (SIMD128 and relaxed SIMD with fused multiply-add): the
// `unit` project pins SIMD128, and `relaxed-simd` runs the kernel and training tests again with
// the relaxed build, in processes started with the flag Node 20 needs for it.
const RELAXED_TESTS = [
  'test/unit/main/trainer/backends/wasm/kernels.test.ts',
  'test/unit/main/trainer/backends/wasm/training.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          env: { BNLAB_WASM_KERNELS: 'simd128' },
        },
      },
      {
        extends: true,
        test: {
          name: 'relaxed-simd',
          include: RELAXED_TESTS,
          execArgv: relaxedSimdExecArgv(),
          env: { BNLAB_WASM_KERNELS: 'relaxed' },
        },
      },
    ],
  },
});
