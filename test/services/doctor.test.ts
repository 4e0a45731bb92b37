import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createScratchDatabase } from '../support/postgres.ts';

describe('duet doctor on PostgreSQL', () => {
  it('reports the server version, pending migrations and the clock, and a wrong password as ✗', async () => {
    const scratch = await createScratchDatabase();
    try {
      const fresh = await runCli(['doctor'], { DATABASE_URL: scratch.url });
      expect(fresh.stdout).toMatch(/✓ database: PostgreSQL \d+\.\d+.* answers/);
      expect(fresh.stdout).toMatch(/⚠ migrations: \d+ pending: 0000_foundation/);
      expect(fresh.stdout).toMatch(/✓ clock: within \d+ ms of the database/);
      expect(fresh.code).toBe(0);
      expect((await runCli(['migrate'], { DATABASE_URL: scratch.url })).code).toBe(0);
      expect((await runCli(['doctor'], { DATABASE_URL: scratch.url })).stdout).toMatch(/✓ migrations: all \d+ applied/);

      const wrong = new URL(scratch.url);
      wrong.password = 'not-the-password';
      const refused = await runCli(['doctor'], { DATABASE_URL: wrong.toString() });
      expect(refused.stdout).toMatch(/✗ database: cannot reach PostgreSQL at 127\.0\.0\.1:5432: password authentication failed/);
      expect(refused.stdout).not.toContain('not-the-password');
      expect(refused.code).toBe(1);
    } finally {
      await scratch.drop();
    }
  });
});
