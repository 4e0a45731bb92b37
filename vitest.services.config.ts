import { defineConfig } from 'vitest/config';

// `npm run test:services`: the same code against real servers: PostgreSQL, redis-server (started per test), nginx, promtool.
// DUET_TEST_DATABASE_URL must point at a PostgreSQL where the test user may create databases.
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
