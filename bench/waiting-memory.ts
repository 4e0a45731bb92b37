import { sql } from 'drizzle-orm';
import { edge, get, node, post, startDuet, type BenchServer } from './duet.ts';
import { envCount, fmt, median, progress, type Benchmark, type Section } from './machine.ts';

const EXECUTIONS = envCount('BENCH_WAITING', 10_000);
/** Memory is also read when this many are waiting, so the growth per execution leaves start-up effects out. */
const CHECKPOINT = Math.ceil(EXECUTIONS / 10);
const IN_FLIGHT = 100;
const SAMPLE = 50;
const MiB = 1024 * 1024;

interface Memory {
  rss: number;
  heap: number;
  external: number;
}
export interface WaitingMemoryRound {
  idle: Memory;
  checkpoint: Memory;
  waiting: Memory;
  /** Time spent starting executions until all of them were `waiting` (memory readings excluded). */
  seconds: number;
  gc: boolean;
}

const graph = {
  name: 'Bench wait for input',
  nodes: [
    node('start', 'start'),
    node('ask', 'input', {
      prompt: 'What is your name?',
      schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    }),
  ],
  edges: [edge('start', 'ask')],
};

const gc = (globalThis as { gc?: () => void }).gc;

/** RSS, JS heap and "external" (MiB) after full GCs when --expose-gc is on (run.ts starts rounds with it). */
async function memory(): Promise<Memory> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss: rss / MiB, heap: heapUsed / MiB, external: external / MiB };
}

async function countWaiting(duet: BenchServer): Promise<number> {
  const result = await duet.server.db.orm.execute(
    sql`select count(*)::int as n from executions where status = 'waiting'`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
  return rows[0]!.n;
}

/**
 * Starts executions number `from` to `to` - 1 with IN_FLIGHT requests at a time, then waits until `to` are waiting.
 * Only a sample of ids is kept: this process is the one measured, and 10k ids would count as server memory.
 */
async function startUntilWaiting(
  duet: BenchServer,
  url: string,
  from: number,
  to: number,
  sample: string[],
): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const n = next++;
      const { id } = (await post(url, { input: {} }, 202)) as { id: string };
      if (n % Math.ceil(EXECUTIONS / SAMPLE) === 0) sample.push(id);
      if ((n + 1) % 1000 === 0) progress(`waiting memory: ${n + 1} of ${EXECUTIONS} started`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  while ((await countWaiting(duet)) < to) await new Promise((resolve) => setTimeout(resolve, 250));
}

/** Reads every waiting execution through the API (pages of 100) and checks the sample one by one. */
async function verify(duet: BenchServer, sample: string[]): Promise<void> {
  let listed = 0;
  let cursor: string | null = null;
  do {
    const page = (await get(
      `${duet.url}/api/v1/executions?status=waiting&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )) as { items: unknown[]; nextCursor: string | null };
    listed += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  if (listed !== EXECUTIONS) throw new Error(`the API lists ${listed} waiting executions, expected ${EXECUTIONS}`);
  for (const id of sample) {
    const execution = (await get(`${duet.url}/api/v1/executions/${id}`)) as {
      status: string;
      waiting: { reason: string } | null;
    };
    if (execution.status !== 'waiting' || execution.waiting?.reason !== 'input')
      throw new Error(`execution ${id} is ${execution.status}, not waiting for input`);
  }
}

async function round(): Promise<WaitingMemoryRound> {
  const duet = await startDuet();
  try {
    const url = `${duet.url}/api/v1/workflows/${await duet.publish(graph)}/executions`;
    const idle = await memory();
    progress(
      `waiting memory: idle RSS ${fmt(idle.rss)} MiB; starting ${EXECUTIONS} executions, ${IN_FLIGHT} in flight`,
    );
    const sample: string[] = [];
    let began = performance.now();
    await startUntilWaiting(duet, url, 0, CHECKPOINT, sample);
    let seconds = (performance.now() - began) / 1000;
    const checkpoint = await memory();
    progress(`waiting memory: ${CHECKPOINT} waiting, RSS ${fmt(checkpoint.rss)} MiB`);
    began = performance.now();
    await startUntilWaiting(duet, url, CHECKPOINT, EXECUTIONS, sample);
    seconds += (performance.now() - began) / 1000;
    const waiting = await memory();
    progress(
      `waiting memory: ${EXECUTIONS} waiting after ${fmt(seconds)} s, RSS ${fmt(waiting.rss)} MiB; verifying through the API`,
    );
    await verify(duet, sample);
    return { idle, checkpoint, waiting, seconds, gc: gc !== undefined };
  } finally {
    await duet.close();
  }
}

function report(rounds: WaitingMemoryRound[]): Section {
  const m = (pick: (r: WaitingMemoryRound) => number) => median(rounds.map(pick));
  const row = (label: string, pick: (r: WaitingMemoryRound) => Memory) => [
    label,
    fmt(m((r) => pick(r).rss)),
    fmt(m((r) => pick(r).heap)),
    fmt(m((r) => pick(r).external)),
  ];
  /** KiB per execution between two readings. */
  const per = (field: keyof Memory, from: (r: WaitingMemoryRound) => Memory, count: number, base: number) =>
    fmt((m((r) => r.waiting[field] - from(r)[field]) * 1024) / (count - base), 2);
  const seconds = m((r) => r.seconds);
  return {
    title: 'Memory of waiting executions',
    about:
      `A workflow start → input step (a prompt and a schema with one string field). ${fmt(EXECUTIONS)} executions are started ` +
      `(${IN_FLIGHT} requests in flight) and left \`waiting\` for input; the API must list all of them as waiting and show a ` +
      `sample of ${SAMPLE} (fetched one by one) waiting for input. Memory is the server process's (the server runs in it), read ` +
      `${rounds.every((r) => r.gc) ? 'after forced GCs (--expose-gc)' : 'without a forced GC'} when idle, when ${fmt(CHECKPOINT)} ` +
      `and when all ${fmt(EXECUTIONS)} are waiting. Baseline: the same server idle, workflow published.`,
    table: [
      ['', 'RSS (MiB)', 'JS heap used (MiB)', 'external (MiB)'],
      row('idle server (baseline)', (r) => r.idle),
      row(`${fmt(CHECKPOINT)} executions waiting`, (r) => r.checkpoint),
      row(`${fmt(EXECUTIONS)} executions waiting`, (r) => r.waiting),
      [
        `${fmt(EXECUTIONS)} waiting / idle`,
        `${fmt(
          m((r) => r.waiting.rss / r.idle.rss),
          2,
        )}×`,
        `${fmt(
          m((r) => r.waiting.heap / r.idle.heap),
          2,
        )}×`,
        `${fmt(
          m((r) => r.waiting.external / r.idle.external),
          2,
        )}×`,
      ],
      [
        'KiB per waiting execution, from idle',
        per('rss', (r) => r.idle, EXECUTIONS, 0),
        per('heap', (r) => r.idle, EXECUTIONS, 0),
        '',
      ],
      [
        `KiB per waiting execution, ${fmt(CHECKPOINT)} → ${fmt(EXECUTIONS)}`,
        per('rss', (r) => r.checkpoint, EXECUTIONS, CHECKPOINT),
        per('heap', (r) => r.checkpoint, EXECUTIONS, CHECKPOINT),
        '',
      ],
      [
        'time to start them all until all are waiting',
        `${fmt(seconds)} s = ${fmt(EXECUTIONS / seconds)} starts/s`,
        '',
        '',
      ],
    ],
    notes: [
      `Per round, RSS idle → ${fmt(CHECKPOINT)} → ${fmt(EXECUTIONS)} waiting: ${rounds.map((r) => `${fmt(r.idle.rss)} → ${fmt(r.checkpoint.rss)} → ${fmt(r.waiting.rss)} MiB`).join('; ')}; ` +
        `time ${rounds.map((r) => `${fmt(r.seconds)} s`).join(', ')}.`,
      '"external" is what V8 reports outside its heap, mostly the WebAssembly memories of PGlite (the embedded Postgres, ' +
        'sized up front, which is why RSS is large when idle) and QuickJS. A waiting execution is rows in the database, not ' +
        'an object in memory; a figure at or below zero means the memory did not grow measurably.',
    ],
  };
}

export const benchmark: Benchmark<WaitingMemoryRound> = { rounds: envCount('BENCH_MEMORY_ROUNDS', 1), round, report };
