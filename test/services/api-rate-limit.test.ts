import { afterEach, describe, expect, it } from 'vitest';
import { startDuet, startRedis } from '../support/cluster.ts';
import { createScratchDatabase } from '../support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('API rate limit in queue mode', () => {
  it('holds one budget per caller across server processes (counters in Redis)', async () => {
    const database = await createScratchDatabase();
    cleanups.push(database.drop);
    const redis = await startRedis();
    cleanups.push(redis.close);
    const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, API_RATE_LIMIT_PER_MINUTE: '3' };
    const first = await startDuet(['serve', '--no-worker'], env);
    cleanups.push(() => first.stop('SIGKILL'));
    const second = await startDuet(['serve', '--no-worker'], env);
    cleanups.push(() => second.stop('SIGKILL'));
    const servers = [first, second];

    // The same API key, and the same anonymous address, alternating between the two processes.
    const byKey = [];
    const anonymous = [];
    for (let i = 0; i < 4; i++) {
      byKey.push(
        await fetch(`${servers[i % 2]!.url}/api/v1/workflows`, { headers: { authorization: `Bearer ${first.key}` } }),
      );
      anonymous.push(await fetch(`${servers[i % 2]!.url}/api/v1/setup`));
    }
    for (const answers of [byKey, anonymous]) {
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await answers[3]!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    }
  });
});
