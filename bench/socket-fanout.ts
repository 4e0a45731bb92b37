import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { authHeaders, edge, get, node, post, startDuet } from './duet.ts';
import type { FanoutJob, FanoutResult } from './fanout-clients.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

const CLIENTS = envCount('BENCH_CLIENTS', 5000);
const STEPS = 10;

/** Waits at an approval, then runs STEPS function steps: every step makes events that all clients receive. */
const graph = {
  name: 'Fanout',
  nodes: [
    node('start', 'start'),
    node('gate', 'approval', { prompt: 'Go?' }),
    ...Array.from({ length: STEPS }, (_, i) => node(`f${i}`, 'function', { code: `return ${i};` })),
    node('done', 'response', { output: 'ok' }),
  ],
  edges: [
    edge('start', 'gate'),
    edge('gate', 'f0', 'approved'),
    ...Array.from({ length: STEPS - 1 }, (_, i) => edge(`f${i}`, `f${i + 1}`)),
    edge(`f${STEPS - 1}`, 'done'),
  ],
};

interface Delivery {
  p50: number;
  p99: number;
  max: number;
  events: number;
  complete: boolean;
}
export interface FanoutRound {
  duet: Delivery;
  bare: Delivery;
}

/** Starts the client process, waits until every client listens, runs `trigger`, and returns the delays. */
async function measure(job: FanoutJob, expectedPerClient: number, trigger: () => Promise<void>): Promise<Delivery> {
  const child = fork(new URL('./fanout-clients.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the fan-out clients exited with ${code}`))),
  );
  const next = () => Promise.race([new Promise<unknown>((resolve) => child.once('message', resolve)), exited]);
  child.send(job);
  await next();
  await trigger();
  const result = (await next()) as FanoutResult;
  return {
    p50: percentile(result.delaysMs, 50),
    p99: percentile(result.delaysMs, 99),
    max: percentile(result.delaysMs, 100),
    events: result.delaysMs.length,
    complete:
      result.perClient.length === result.clients &&
      result.perClient.every((n) => expectedPerClient < 0 || n === expectedPerClient),
  };
}

/**
 * Baseline: a bare socket.io server broadcasting to one room events produced on Duet's schedule. Each event
 * is stamped with the time it was due, so a broadcast that falls behind the schedule counts as delay, as a
 * queued event does in Duet.
 */
async function bareBroadcast(events: number, spacingMs: number): Promise<Delivery> {
  const http = createServer();
  const io = new Server(http, { path: '/socket.io', serveClient: false });
  io.on('connection', (socket) =>
    socket.on('join', (ack: () => void) => {
      void socket.join('room');
      ack();
    }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    return await measure({ url, clients: CLIENTS, lastType: 'last' }, events, async () => {
      const start = Date.now();
      for (let i = 0; i < events; i++) {
        const due = start + i * spacingMs;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        io.to('room').emit('execution.event', {
          at: new Date(due).toISOString(),
          type: i === events - 1 ? 'last' : 'step',
          offset: i + 1,
        });
      }
    });
  } finally {
    io.disconnectSockets(true);
    await new Promise((resolve) => io.close(resolve));
  }
}

export const benchmark: Benchmark<FanoutRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    const duet = await startDuet({ WS_MAX_CONNECTIONS: String(CLIENTS + 100) });
    let duetDelivery: Delivery;
    let eventsPerRun: number;
    let spacingMs: number;
    try {
      const slug = await duet.publish(graph);
      const started = (await post(`${duet.url}/api/v1/workflows/${slug}/executions`, { input: {} }, 202)) as {
        id: string;
      };
      const before = await waitForWaiting(duet.url, started.id);
      progress(`socket fan-out: ${CLIENTS} clients follow one execution`);
      duetDelivery = await measure(
        {
          url: duet.url,
          token: authHeaders(duet.url).authorization!.slice('Bearer '.length),
          clients: CLIENTS,
          executionId: started.id,
          afterOffset: before,
          lastType: 'execution.completed',
        },
        -1,
        async () => {
          await post(`${duet.url}/api/v1/executions/${started.id}/approval`, { decision: 'approve' });
        },
      );
      const fresh = (
        (await get(`${duet.url}/api/v1/executions/${started.id}/events`)) as { items: Array<{ at: string }> }
      ).items.slice(before);
      eventsPerRun = fresh.length;
      // The baseline sends as many events at the pace the engine committed them.
      spacingMs = (Date.parse(fresh.at(-1)!.at) - Date.parse(fresh[0]!.at)) / Math.max(1, eventsPerRun - 1);
      duetDelivery.complete = duetDelivery.events === eventsPerRun * CLIENTS;
    } finally {
      await duet.close();
    }
    progress(`socket fan-out: baseline, a bare socket.io room of ${CLIENTS}`);
    const bare = await bareBroadcast(eventsPerRun, spacingMs);
    return { duet: duetDelivery, bare };
  },
  report(rounds): Section {
    const m = (pick: (r: FanoutRound) => number) => median(rounds.map(pick));
    const row = (label: string, pick: (r: FanoutRound) => Delivery) => [
      label,
      fmt(m((r) => pick(r).p50)),
      fmt(m((r) => pick(r).p99)),
      fmt(m((r) => pick(r).max)),
      rounds.every((r) => pick(r).complete) ? `yes (${fmt(m((r) => pick(r).events))})` : 'NO',
    ];
    return {
      title: 'Socket fan-out',
      about: `${fmt(CLIENTS)} socket.io clients (websocket transport, in a separate process) follow one execution that waits at an approval; approving it runs ${STEPS} function steps and completes, and every event goes to every client. Delay = arrival at the client − the event's stored \`at\` (its commit's transaction time), same machine clock. Baseline: a bare socket.io server broadcasting as many events on the schedule Duet committed them (each stamped with its due time, so falling behind counts) to a room of as many clients in the same client process.`,
      table: [
        ['', 'p50 delay (ms)', 'p99 delay (ms)', 'max (ms)', 'every event to every client (deliveries)'],
        row(`Duet, ${fmt(CLIENTS)} clients`, (r) => r.duet),
        row(`bare socket.io room, ${fmt(CLIENTS)} clients (baseline)`, (r) => r.bare),
        [
          'Duet / baseline',
          `${fmt(m((r) => r.duet.p50) / m((r) => r.bare.p50), 1)}×`,
          `${fmt(m((r) => r.duet.p99) / m((r) => r.bare.p99), 1)}×`,
          '',
          '',
        ],
      ],
      notes: [
        `p99 per round: Duet ${rounds.map((r) => fmt(r.duet.p99)).join(', ')} ms; baseline ${rounds.map((r) => fmt(r.bare.p99)).join(', ')} ms.`,
      ],
    };
  },
};

async function waitForWaiting(url: string, id: string): Promise<number> {
  for (;;) {
    const execution = (await get(`${url}/api/v1/executions/${id}`)) as { status: string };
    if (execution.status === 'waiting')
      return ((await get(`${url}/api/v1/executions/${id}/events`)) as { items: unknown[] }).items.length;
    await new Promise((r) => setTimeout(r, 20));
  }
}
