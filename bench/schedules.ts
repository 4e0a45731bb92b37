import pg from 'pg';
import { startDuet, startRedis, type DuetProcess } from '../test/support/cluster.ts';
import { createScratchDatabase } from '../test/support/postgres.ts';
import { edge, node, post, useApiKey } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';
import { MAX_TRIGGERS_PER_WORKFLOW } from '../src/store/triggers.ts';

const SCHEDULES = envCount('BENCH_SCHEDULES', 1000);

interface ScheduleRound {
  fired: number;
  duplicates: number;
  missing: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Schedule accuracy: SCHEDULES schedules that all fire in the same minute, in queue mode (one `duet serve
 * --no-worker`, two `duet worker`, every process running the scheduler) on PostgreSQL and Redis. Delay is the
 * time from the fire time to the execution's row being committed.
 */
async function round(): Promise<ScheduleRound> {
  const database = await createScratchDatabase();
  const redis = await startRedis();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const processes: DuetProcess[] = [];
  const client = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    processes.push(await startDuet(['serve', '--no-worker'], env));
    processes.push(await startDuet(['worker', '--concurrency', '50'], env));
    processes.push(await startDuet(['worker', '--concurrency', '50'], env));
    const url = processes[0]!.url;
    useApiKey(url, processes[0]!.key);
    // A workflow holds at most MAX_TRIGGERS_PER_WORKFLOW triggers, so the schedules are spread over enough workflows.
    const slugs: string[] = [];
    for (let w = 0; w < Math.ceil(SCHEDULES / MAX_TRIGGERS_PER_WORKFLOW); w++) {
      const created = (await post(
        `${url}/api/v1/workflows`,
        {
          name: `Scheduled bench ${w + 1}`,
          nodes: [node('start', 'start'), node('done', 'response', { output: 1 })],
          edges: [edge('start', 'done')],
        },
        201,
      )) as { slug: string };
      await post(`${url}/api/v1/workflows/${created.slug}/versions`, undefined, 201);
      slugs.push(created.slug);
    }
    // Far enough ahead that every schedule exists before it: the next minute at least 30 s away.
    const fireAt = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
    const cron = `${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
    progress(`schedules: ${SCHEDULES} schedules "${cron}" (UTC), firing at ${fireAt.toISOString()}`);
    for (let i = 0; i < SCHEDULES; i += MAX_TRIGGERS_PER_WORKFLOW) {
      const slug = slugs[i / MAX_TRIGGERS_PER_WORKFLOW]!;
      await Promise.all(
        Array.from({ length: Math.min(MAX_TRIGGERS_PER_WORKFLOW, SCHEDULES - i) }, () =>
          post(`${url}/api/v1/workflows/${slug}/triggers`, { type: 'schedule', config: { cron } }, 201),
        ),
      );
    }
    const key = `fire:${fireAt.toISOString()}`;
    const deadline = fireAt.getTime() + 120_000;
    for (;;) {
      const { rows } = await client.query(
        'select count(*)::int as n from trigger_fires f join executions e on e.id = f.execution_id where f.key = $1',
        [key],
      );
      if (rows[0].n >= SCHEDULES || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { rows } = await client.query(
      `select extract(epoch from (e.created_at - $2::timestamptz)) * 1000 as delay
         from trigger_fires f join executions e on e.id = f.execution_id where f.key = $1`,
      [key, fireAt.toISOString()],
    );
    const delays = rows.map((r: { delay: string }) => Number(r.delay));
    // Executions per schedule for that minute: exactly one each, or a duplicate / a miss.
    const { rows: counts } = await client.query(
      `select t.id, count(f.key)::int as n from triggers t left join trigger_fires f on f.trigger_id = t.id and f.key = $1
        group by t.id`,
      [key],
    );
    const [{ total }] = (await client.query('select count(*)::int as total from executions')).rows as [
      { total: number },
    ];
    return {
      fired: delays.length,
      duplicates: total - delays.length,
      missing: counts.filter((c: { n: number }) => c.n === 0).length,
      p50: percentile(delays, 50),
      p99: percentile(delays, 99),
      max: Math.max(...delays),
    };
  } finally {
    await client.end();
    for (const p of processes) await p.stop('SIGTERM');
    await redis.close();
    await database.drop();
  }
}

function report(rounds: ScheduleRound[]): Section {
  const m = (pick: (r: ScheduleRound) => number) => fmt(median(rounds.map(pick)));
  const sum = (pick: (r: ScheduleRound) => number) => String(rounds.reduce((n, r) => n + pick(r), 0));
  return {
    title: 'Schedule accuracy',
    about:
      `${SCHEDULES} schedules firing in the same minute, in queue mode: one \`duet serve --no-worker\` and two ` +
      '`duet worker` processes (each running the scheduler, `SCHEDULE_POLL_MS` 1000) on PostgreSQL and redis-server. ' +
      'Delay: from the fire time to the execution committed `queued`. Duplicates: executions beyond one per schedule.',
    table: [
      ['started', 'p50 delay (ms)', 'p99 delay (ms)', 'max (ms)', 'duplicates', 'missed'],
      [
        m((r) => r.fired),
        m((r) => r.p50),
        m((r) => r.p99),
        m((r) => r.max),
        sum((r) => r.duplicates),
        sum((r) => r.missing),
      ],
    ],
  };
}

export const benchmark: Benchmark<ScheduleRound> = { rounds: envCount('BENCH_ROUNDS', 1), round, report };
