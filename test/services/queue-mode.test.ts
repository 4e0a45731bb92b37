import { execSync } from 'node:child_process';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, listeningPorts, startPortlessWorker } from '../support/cli.ts';
import { startDuet, startRedis, type DuetProcess, type RedisServer } from '../support/cluster.ts';
import { fetchJson, type Json } from '../support/http.ts';
import { createScratchDatabase } from '../support/postgres.ts';
import { chain, edge, node } from '../support/workflows.ts';

// Queue mode on real PostgreSQL and Redis, with real `duet serve --no-worker` and `duet worker` processes.
// Short locks and a fast reconciler keep the fault tests quick; production defaults are 30 s and 5 s.
const QUEUE_ENV = {
  QUEUE_LOCK_DURATION_MS: '3000',
  QUEUE_RECONCILE_INTERVAL_MS: '1000',
  DATABASE_POOL_MAX: '8',
  DATABASE_QUERY_TIMEOUT_MS: '10000',
};

interface Cluster {
  servers: DuetProcess[];
  workers: DuetProcess[];
  redis: RedisServer;
  databaseUrl: string;
  /** What every process of the cluster is started with. */
  env: Record<string, string>;
  sql<T = Json>(text: string, params?: unknown[]): Promise<T[]>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function cluster(shape: { servers: number; workers: number; env?: Record<string, string> }): Promise<Cluster> {
  const database = await createScratchDatabase();
  cleanups.push(database.drop);
  const redis = await startRedis();
  cleanups.push(redis.close);
  const env = { ...QUEUE_ENV, ...shape.env, DATABASE_URL: database.url, REDIS_URL: redis.url };
  // The first process migrates; the rest start together.
  const first = await startDuet(['serve', '--no-worker'], env);
  cleanups.push(() => first.stop('SIGKILL'));
  const rest = await Promise.all([
    ...Array.from({ length: shape.servers - 1 }, () => startDuet(['serve', '--no-worker'], env)),
    ...Array.from({ length: shape.workers }, () => startDuet(['worker', '--concurrency', '25'], env)),
  ]);
  for (const p of rest) cleanups.push(() => p.stop('SIGKILL'));
  const client = new pg.Pool({ connectionString: database.url, max: 2 });
  cleanups.push(() => client.end());
  return {
    servers: [first, ...rest.slice(0, shape.servers - 1)],
    workers: rest.slice(shape.servers - 1),
    redis,
    databaseUrl: database.url,
    env,
    sql: async (text, params) => (await client.query(text, params)).rows,
  };
}

async function publish(url: string, graph: object): Promise<string> {
  const created = await fetchJson(`${url}/api/v1/workflows`, { method: 'POST', body: graph });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await fetchJson(`${url}/api/v1/workflows/${created.body.slug}/versions`, { method: 'POST' })).status).toBe(
    201,
  );
  return created.body.slug;
}

async function startMany(url: string, slug: string, inputs: object[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < inputs.length; i += 50) {
    const answers = await Promise.all(
      inputs
        .slice(i, i + 50)
        .map((input) => fetchJson(`${url}/api/v1/workflows/${slug}/executions`, { method: 'POST', body: { input } })),
    );
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(202);
      ids.push(a.body.id);
    }
  }
  return ids;
}

/** Fails with `what` instead of hanging until the test's own timeout. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)),
  ]);
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const countByStatus = (c: Cluster, ids: string[]) =>
  c
    .sql<{ status: string; n: number }>(
      'select status, count(*)::int as n from executions where id = any($1) group by status',
      [ids],
    )
    .then((rows) => Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>);

/** Doubles n, waits 300 ms (a timer that lives in the worker holding the run), then adds one. */
const doubler = {
  name: 'Doubler',
  inputs: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
  nodes: [
    node('start', 'start'),
    node('double', 'function', { code: 'return { v: input.n * 2 };' }),
    node('pause', 'wait', { durationMs: 300 }),
    node('plus', 'function', { code: 'return steps.double.output.v + 1;' }),
    node('done', 'response', { output: '{{ steps.plus.output }}' }),
  ],
  edges: chain('start', 'double', 'pause', 'plus', 'done'),
};

/** Waits for approval, then answers 42. */
const gate = {
  name: 'Gate',
  nodes: [
    node('start', 'start'),
    node('gate', 'approval', { prompt: 'Go?' }),
    node('work', 'function', { code: 'return 42;' }),
    node('done', 'response', { output: '{{ steps.work.output }}' }),
  ],
  edges: [edge('start', 'gate'), edge('gate', 'work', 'approved'), edge('work', 'done')],
};

/** A socket.io client of a server, acting with its admin key; disconnected after the test. */
function socketTo(server: DuetProcess): Socket {
  const socket = connect(server.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token: server.key },
  });
  cleanups.push(async () => {
    socket.disconnect();
  });
  return socket;
}

/** Joins the conversation's room; its turns then arrive as `conversation.turn`. */
async function followConversation(socket: Socket, conversationId: string): Promise<void> {
  expect(
    await within(
      10_000,
      'conversation subscribe ack',
      new Promise((resolve) => socket.emit('conversation.subscribe', { conversationId }, resolve)),
    ),
  ).toEqual({ ok: true });
}

/** What an unfinished execution looks like, so a failure says where it stopped. */
async function describeUnfinished(c: Cluster, ids: string[]): Promise<string> {
  const rows = await c.sql(
    "select id, status, waiting, wake_at, lease_owner, lease_expires_at from executions where id = any($1) and status <> 'completed' limit 3",
    [ids],
  );
  const details = await Promise.all(
    rows.map(async (row: Json) => ({
      row,
      steps: await c.sql(
        'select node_id, attempt, status from step_runs where execution_id = $1 order by node_id, attempt',
        [row.id],
      ),
      events: (
        await c.sql('select "offset", type, node_id from execution_events where execution_id = $1 order by "offset"', [
          row.id,
        ])
      ).map((e: Json) => `${e.offset}:${e.type}${e.node_id ? `@${e.node_id}` : ''}`),
    })),
  );
  return JSON.stringify(details, null, 1);
}

/** Every execution completed once with n*2+1, and no step completed twice. */
async function expectExactlyOnce(c: Cluster, ids: string[], inputs: Array<{ n: number }>) {
  const rows = await c.sql<{ id: string; status: string; output: number }>(
    'select id, status, output from executions where id = any($1)',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  ids.forEach((id, i) => expect(byId.get(id), id).toMatchObject({ status: 'completed', output: inputs[i]!.n * 2 + 1 }));
  const twice = await c.sql(
    "select execution_id, node_id, count(*)::int as n from execution_events where execution_id = any($1) and type = 'step.completed' group by 1, 2 having count(*) > 1",
    [ids],
  );
  expect(twice).toEqual([]);
  const ended = await c.sql(
    "select execution_id from execution_events where execution_id = any($1) and type = 'execution.completed' group by 1 having count(*) <> 1",
    [ids],
  );
  expect(ended).toEqual([]);
}

describe('queue mode (PostgreSQL + Redis, separate processes)', () => {
  it('loses nothing when one of two workers is SIGKILLed with 500 executions in flight', async () => {
    const c = await cluster({ servers: 1, workers: 2 });
    const slug = await publish(c.servers[0]!.url, doubler);
    const inputs = Array.from({ length: 500 }, (_, n) => ({ n }));
    const ids = await startMany(c.servers[0]!.url, slug, inputs);
    await eventually(
      'some executions completed',
      () => countByStatus(c, ids),
      (s) => (s.completed ?? 0) >= 50,
    );
    await c.workers[0]!.stop('SIGKILL');
    await eventually(
      'all 500 completed on the surviving worker',
      () => countByStatus(c, ids),
      (s) => s.completed === 500,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await describeUnfinished(c, ids)}`);
    });
    await expectExactlyOnce(c, ids, inputs);
  }, 300_000);

  it('keeps serving reads while Redis is down for 10 s, and completes every accepted execution after', async () => {
    const c = await cluster({ servers: 1, workers: 1 });
    const url = c.servers[0]!.url;
    const slug = await publish(url, doubler);
    const before = Array.from({ length: 50 }, (_, n) => ({ n }));
    const accepted = await startMany(url, slug, before);
    const acceptedInputs = [...before];

    const scrape = (when: string) =>
      within(
        5000,
        `/metrics ${when}`,
        fetch(`${url}/metrics`).then(async (r) => ({ status: r.status, text: await r.text() })),
      );
    const healthy = await scrape('before the outage');
    expect(healthy.text).toMatch(/^redis_up 1$/m);
    expect(healthy.text).toMatch(/^queue_workers 1$/m);

    await c.redis.stop();
    const outageEnds = Date.now() + 10_000;
    // /metrics still answers (the alerts need it) and says Redis is down, rather than hanging on the queue's depth;
    // the worker count, unreadable now, keeps its last value.
    const metrics = await scrape('during the outage');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^redis_up 0$/m);
    expect(metrics.text).toMatch(/^queue_workers 1$/m);
    let n = 1000;
    while (Date.now() < outageEnds) {
      expect((await fetchJson(`${url}/api/v1/workflows/${slug}`)).status).toBe(200);
      expect((await fetchJson(`${url}/api/v1/executions?limit=5`)).status).toBe(200);
      const ready = await fetchJson(`${url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks.redis.status).toBe('error');
      const started = await fetchJson(`${url}/api/v1/workflows/${slug}/executions`, {
        method: 'POST',
        body: { input: { n } },
      });
      // Accepted (committed as queued, dispatched once Redis is back) or refused with a clear error.
      if (started.status === 202) {
        accepted.push(started.body.id);
        acceptedInputs.push({ n });
      } else {
        expect(started.status).toBeGreaterThanOrEqual(500);
        expect(started.body.error.message).toEqual(expect.any(String));
      }
      n++;
      await new Promise((r) => setTimeout(r, 500));
    }
    await c.redis.start();
    await eventually(
      'every accepted execution completed',
      () => countByStatus(c, accepted),
      (s) => s.completed === accepted.length,
    );
    await expectExactlyOnce(c, accepted, acceptedInputs);
    expect((await fetchJson(`${url}/ready`)).status).toBe(200);
  }, 300_000);

  it('reconnects by itself after PostgreSQL restarts under load and loses no accepted execution', async () => {
    const restart = process.env.DUET_TEST_PG_RESTART;
    if (!restart)
      throw new Error(
        'DUET_TEST_PG_RESTART is not set: the command that restarts the test PostgreSQL, e.g. "pg_ctlcluster 15 main restart -m fast" (.ci/run sets it)',
      );
    const c = await cluster({ servers: 1, workers: 1 });
    const url = c.servers[0]!.url;
    const slug = await publish(url, doubler);
    const accepted: string[] = [];
    const inputs: Array<{ n: number }> = [];
    let refused = 0;
    const load = (async () => {
      for (let n = 0; n < 120; n++) {
        const started = await fetchJson(`${url}/api/v1/workflows/${slug}/executions`, {
          method: 'POST',
          body: { input: { n } },
        }).catch(() => null);
        if (started?.status === 202) {
          accepted.push(started.body.id);
          inputs.push({ n });
        } else {
          refused++;
          if (started) expect(started.status, JSON.stringify(started.body)).toBe(503);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    execSync(restart, { stdio: 'ignore' });
    await load;
    expect(accepted.length).toBeGreaterThan(0);
    await eventually(
      'every accepted execution completed',
      () => countByStatus(c, accepted),
      (s) => s.completed === accepted.length,
    ).catch(async (error: Error) => {
      throw new Error(
        `${error.message}\n${await describeUnfinished(c, accepted)}\nworker says:\n${c.workers[0]!.output().slice(-3000)}`,
      );
    });
    await expectExactlyOnce(c, accepted, inputs);
    expect(accepted.length + refused).toBe(120);
  }, 300_000);

  it('streams every event in order to a client on one server for an execution started through another', async () => {
    const c = await cluster({ servers: 2, workers: 1 });
    const [a, b] = c.servers as [DuetProcess, DuetProcess];
    const slug = await publish(b.url, gate);
    const started = await fetchJson(`${b.url}/api/v1/workflows/${slug}/executions`, { method: 'POST', body: {} });
    const id = started.body.id as string;

    const socket = socketTo(a);
    const events: Json[] = [];
    const completed = new Promise<void>((resolve) =>
      socket.on('execution.event', (e: Json) => {
        events.push(e);
        if (e.type === 'execution.completed') resolve();
      }),
    );
    expect(
      await within(
        10_000,
        'subscribe ack',
        new Promise((resolve) => socket.emit('execution.subscribe', { executionId: id }, resolve)),
      ),
    ).toEqual({ ok: true });
    await eventually(
      'waiting for approval',
      () => fetchJson(`${a.url}/api/v1/executions/${id}`),
      (r) => r.body.status === 'waiting',
      30_000,
    );
    expect(
      (await fetchJson(`${b.url}/api/v1/executions/${id}/approval`, { method: 'POST', body: { decision: 'approve' } }))
        .status,
    ).toBe(200);
    await within(30_000, `execution.completed on A (got ${JSON.stringify(events.map((e) => e.type))})`, completed);
    const stored = (await fetchJson(`${a.url}/api/v1/executions/${id}/events`)).body.items as Json[];
    expect(events.map((e) => e.offset)).toEqual(stored.map((e) => e.offset));
    expect(events.map((e) => e.type)).toEqual(stored.map((e) => e.type));

    // A chat message answered by B reaches a socket on A through the Redis adapter.
    const chat = (await fetchJson(`${b.url}/api/v1/conversations`, { method: 'POST', body: {} })).body;
    await followConversation(socket, chat.id);
    const turn = new Promise<Json>((resolve) => socket.on('conversation.turn', resolve));
    await fetchJson(`${b.url}/api/v1/conversations/${chat.id}/messages`, { method: 'POST', body: { text: 'help' } });
    expect(await within(10_000, 'conversation.turn on A', turn)).toMatchObject({
      conversationId: chat.id,
      role: 'user',
      text: 'help',
    });
  }, 300_000);

  it('answers waitMs on a server for a run in a worker, as a later GET shows it', async () => {
    const c = await cluster({ servers: 1, workers: 1 });
    const url = c.servers[0]!.url;
    const slug = await publish(url, doubler);
    const asked = Date.now();
    const answers = await Promise.all(
      [3, 4, 5].map((n) =>
        fetchJson(`${url}/api/v1/workflows/${slug}/executions?waitMs=60000`, {
          method: 'POST',
          body: { input: { n } },
        }),
      ),
    );
    // Answered when the worker's run ended (heard through Redis), not when waitMs ran out.
    expect(Date.now() - asked).toBeLessThan(30_000);
    for (const [i, answer] of answers.entries()) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ status: 'completed', output: (i + 3) * 2 + 1 });
      expect(answer.body).toEqual((await fetchJson(`${url}/api/v1/executions/${answer.body.id}`)).body);
    }
  }, 300_000);

  it('refuses a key revoked through one server on another once API_KEY_CACHE_TTL_MS has passed', async () => {
    const ttlMs = 1000;
    const c = await cluster({ servers: 2, workers: 0, env: { API_KEY_CACHE_TTL_MS: String(ttlMs) } });
    const [a, b] = c.servers as [DuetProcess, DuetProcess];
    const made = await fetchJson(`${a.url}/api/v1/api-keys`, {
      method: 'POST',
      body: { name: 'script', role: 'viewer' },
    });
    expect(made.status).toBe(201);
    const read = async (server: DuetProcess) =>
      (await fetch(`${server.url}/api/v1/workflows`, { headers: { authorization: `Bearer ${made.body.key}` } })).status;
    expect([await read(a), await read(b)]).toEqual([200, 200]);
    expect((await fetchJson(`${a.url}/api/v1/api-keys/${made.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await read(a)).toBe(401);
    await new Promise((r) => setTimeout(r, ttlMs + 100));
    expect(await read(b)).toBe(401);
  }, 300_000);

  it('runs executions on a worker started without --port, which listens on no port, and pushes their progress', async () => {
    const c = await cluster({ servers: 1, workers: 0 });
    const server = c.servers[0]!;
    const worker = await startPortlessWorker(['--concurrency', '5'], c.env);
    cleanups.push(() => worker.stop('SIGKILL'));
    expect(listeningPorts(server.child.pid!)).toContain(Number(new URL(server.url).port));
    expect(listeningPorts(worker.child.pid!)).toEqual([]);

    // The server takes no work (--no-worker): whatever completes ran on the port-less worker.
    const slug = await publish(server.url, doubler);
    const inputs = Array.from({ length: 10 }, (_, n) => ({ n }));
    const ids = await startMany(server.url, slug, inputs);
    await eventually(
      'all completed',
      () => countByStatus(c, ids),
      (s) => s.completed === 10,
    );
    await expectExactlyOnce(c, ids, inputs);

    // Progress lines of a run the worker holds reach a socket on the server, through Redis.
    const gated = await publish(server.url, gate);
    const chat = (
      await fetchJson(`${server.url}/api/v1/conversations`, {
        method: 'POST',
        body: { workflowId: gated, config: { explainSteps: true } },
      })
    ).body;
    const socket = socketTo(server);
    const progress: string[] = [];
    const finished = new Promise<void>((resolve) =>
      socket.on('conversation.turn', (turn: Json) => {
        if (turn.intent === 'progress') progress.push(turn.text);
        if (turn.text.startsWith('Finished')) resolve();
      }),
    );
    await followConversation(socket, chat.id);
    const say = (text: string) =>
      fetchJson(`${server.url}/api/v1/conversations/${chat.id}/messages`, { method: 'POST', body: { text } });
    await say('run it');
    await say('yes');
    await within(30_000, `the run finishing (progress so far ${JSON.stringify(progress)})`, finished);
    expect(progress).toEqual(expect.arrayContaining(['✓ work done (a function step)', 'Finished. Result: 42']));

    // No HTTP to close: SIGTERM drains and exits cleanly.
    worker.child.kill('SIGTERM');
    expect(await within(15_000, 'the worker exiting', exited(worker.child))).toBe(0);
  }, 300_000);

  it('runs a delayed step exactly once across three workers', async () => {
    const c = await cluster({ servers: 1, workers: 3 });
    const slug = await publish(c.servers[0]!.url, doubler);
    const inputs = Array.from({ length: 60 }, (_, n) => ({ n }));
    const ids = await startMany(c.servers[0]!.url, slug, inputs);
    await eventually(
      'all completed',
      () => countByStatus(c, ids),
      (s) => s.completed === 60,
    );
    await expectExactlyOnce(c, ids, inputs);
    const startedTwice = await c.sql(
      "select execution_id from execution_events where execution_id = any($1) and type = 'step.started' and node_id = 'plus' group by 1 having count(*) <> 1",
      [ids],
    );
    expect(startedTwice).toEqual([]);
  }, 300_000);
});
