import { defineConfig } from 'vitest/config';

// `npm test`: pure unit tests and integration tests on embedded PGlite; nothing else needed.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
