import { defineConfig } from 'vitest/config';

// E2E: Chromium drives browser mode against a real lab (real trainer processes). One file at a
// time: the trainers already use the machine's cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Hang detectors, not speed goals: a loaded or slow CI machine has needed most of 4 minutes.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
