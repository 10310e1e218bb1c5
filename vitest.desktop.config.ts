import { defineConfig } from 'vitest/config';

// The desktop harness: the built Electron bundle under Node with a stand-in `electron`
// (test/desktop/stand-in/), driven through Chromium. One file, one app at a time.
export default defineConfig({
  test: {
    include: ['test/desktop/**/*.test.ts'],
    // Hang detectors, not speed goals: a loaded or slow CI machine has needed most of 4 minutes.
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
