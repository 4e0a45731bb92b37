import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startDuet, startRedis } from '../support/cluster.ts';
import { fetchJson } from '../support/http.ts';
import { createScratchDatabase } from '../support/postgres.ts';
import { chain, node } from '../support/workflows.ts';

// Schedules in queue mode: a server and two workers on real PostgreSQL and Redis, each running the scheduler.
const ENV = {
  QUEUE_LOCK_DURATION_MS: '3000',
  QUEUE_RECONCILE_INTERVAL_MS: '1000',
  SCHEDULE_POLL_MS: '200',
  DATABASE_POOL_MAX: '8',
};
const SCHEDULES = 20;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function eventually<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 150_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('schedules in queue mode', () => {
  it('start each fire exactly once across three processes, also when a worker is killed in between', async () => {
    const database = await createScratchDatabase();
    cleanups.push(database.drop);
    const redis = await startRedis();
    cleanups.push(redis.close);
    const env = { ...ENV, DATABASE_URL: database.url, REDIS_URL: redis.url };
    const server = await startDuet(['serve'], env);
    cleanups.push(() => server.stop('SIGKILL'));
    // One after the other: two processes booting at once on a loaded machine can miss the start-up deadline.
    const workers = [await startDuet(['worker'], env), await startDuet(['worker'], env)];
    for (const w of workers) cleanups.push(() => w.stop('SIGKILL'));
    const client = new pg.Pool({ connectionString: database.url, max: 2 });
    cleanups.push(() => client.end());
    const sql = async <T>(text: string) => (await client.query(text)).rows as T[];

    const graph = {
      name: 'Tick',
      nodes: [node('start', 'start'), node('done', 'response', { output: { ok: true } })],
      edges: chain('start', 'done'),
    };
    const created = await fetchJson(`${server.url}/api/v1/workflows`, { method: 'POST', body: graph });
    const slug = created.body.slug as string;
    await fetchJson(`${server.url}/api/v1/workflows/${slug}/versions`, { method: 'POST' });
    for (let i = 0; i < SCHEDULES; i++) {
      const made = await fetchJson(`${server.url}/api/v1/workflows/${slug}/triggers`, {
        method: 'POST',
        body: { type: 'schedule', config: { cron: '* * * * *' } },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }

    const fires = () =>
      sql<{ key: string; n: number }>('select key, count(*)::int as n from trigger_fires group by key order by key');
    // The first minute's fires appear; a worker dies while (or right after) they are being started.
    const first = await eventually('the first fires', fires, (rows) => rows.length >= 1);
    await workers[0]!.stop('SIGKILL');
    // The next minute is handled by the survivors alone.
    const rows = await eventually(
      'two minutes of fires',
      fires,
      (r) => r.length >= 2 && r.slice(0, 2).every((x) => x.n === SCHEDULES),
    );
    expect(rows[0]!.key).toBe(first[0]!.key);
    const minutes = rows.slice(0, 2).map((r) => r.key);
    // Exactly one execution per (schedule, fire time), each one created and run to the end.
    const executions = await eventually(
      'the executions of those fires ending',
      () =>
        sql<{ key: string; total: number; completed: number; distinct_ids: number }>(
          `select f.key, count(e.id)::int as total, count(*) filter (where e.status = 'completed')::int as completed,
                    count(distinct f.execution_id)::int as distinct_ids
               from trigger_fires f left join executions e on e.id = f.execution_id
              where f.key = any(array['${minutes.join("','")}']) group by f.key order by f.key`,
        ),
      (r) => r.length === 2 && r.every((x) => x.completed === SCHEDULES),
    );
    for (const minute of executions) expect(minute).toMatchObject({ total: SCHEDULES, distinct_ids: SCHEDULES });
    const [{ n }] = (await sql<{ n: number }>('select count(*)::int as n from executions')) as [{ n: number }];
    const [{ f }] = (await sql<{ f: number }>('select count(*)::int as f from trigger_fires')) as [{ f: number }];
    expect(n).toBe(f);
  }, 240_000);
});
