import { defineConfig } from 'vitest/config';

// Unit tests: test/unit mirrors the source tree. Training tests are CPU-heavy; two workers fit
// this project's 2-core machines.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
