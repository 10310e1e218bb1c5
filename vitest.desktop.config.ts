import { defineConfig } from 'vitest/config';

// The desktop harness: the built Electron bundle under Node with a stand-in `electron`
// (test/desktop/stand-in/), driven through Chromium. One file, one app at a time.
export default defineConfig({
  test: {
    include: ['test/desktop/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
