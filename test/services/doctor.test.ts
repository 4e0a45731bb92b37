import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startRedis } from '../support/cluster.ts';
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
      expect(refused.stdout).toMatch(
        /✗ database: cannot reach PostgreSQL at 127\.0\.0\.1:5432: password authentication failed/,
      );
      expect(refused.stdout).not.toContain('not-the-password');
      expect(refused.code).toBe(1);
    } finally {
      await scratch.drop();
    }
  });

  it('checks Redis with its password (PING after AUTH) and fails on one that does not answer', async () => {
    const scratch = await createScratchDatabase();
    const redis = await startRedis({ password: 's3cret' });
    try {
      const port = new URL(redis.url).port;
      const good = await runCli(['doctor'], {
        DATABASE_URL: scratch.url,
        REDIS_URL: `redis://:s3cret@127.0.0.1:${port}`,
      });
      expect(good.stdout).toMatch(/✓ redis: answered PING in \d+ ms/);
      const bad = await runCli(['doctor'], {
        DATABASE_URL: scratch.url,
        REDIS_URL: `redis://:wrong@127.0.0.1:${port}`,
      });
      expect(bad.stdout).toMatch(/✗ redis: REDIS_URL does not answer: Redis answered: WRONGPASS/);
      expect(bad.stdout).not.toContain('wrong@');
      expect(bad.code).toBe(1);
      await redis.stop();
      const gone = await runCli(['doctor'], {
        DATABASE_URL: scratch.url,
        REDIS_URL: `redis://:s3cret@127.0.0.1:${port}`,
      });
      expect(gone.stdout).toMatch(
        new RegExp(
          `✗ redis: REDIS_URL does not answer: nothing listens at 127\\.0\\.0\\.1:${port}\\n\\s+→ start Redis`,
        ),
      );
      expect(gone.code).toBe(1);
    } finally {
      await redis.close();
      await scratch.drop();
    }
  });
});
