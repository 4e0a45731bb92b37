import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the real server (`duet serve`) and Debian's Chromium driven by playwright-core.
// Files run one after another: each starts its own server and browser, and the machine is small.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
