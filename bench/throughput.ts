import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { authHeaders, edge, node, post, startDuet } from './duet.ts';
import { envCount, fmt, median, progress, type Benchmark, type Section } from './machine.ts';

const CONNECTIONS = 50;
const SECONDS = envCount('BENCH_SECONDS', 10);
const WARMUP_SECONDS = 2;
const BODY = JSON.stringify({ input: { n: 21 } });

export interface Load {
  /** Answers that carried a finished execution (200); for the bare server, every 2xx. */
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** 202: accepted but not finished within waitMs. */
  unfinished: number;
  errors: number;
}

export interface ThroughputRound {
  duet: Load;
  bare: Load;
}

export const graph = {
  name: 'Bench double',
  nodes: [
    node('start', 'start'),
    node('fn', 'function', { code: 'return { doubled: input.n * 2 };' }),
    node('done', 'response', { output: '{{steps.fn.output}}' }),
  ],
  edges: [edge('start', 'fn'), edge('fn', 'done')],
};

/** autocannon from a worker thread, so the load generator does not share the server's event loop. */
export async function load(url: string, seconds: number): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { ...authHeaders(url), 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    timeout: 30,
  });
  const ok = result.statusCodeStats['200']?.count ?? 0;
  return {
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    unfinished: result.statusCodeStats['202']?.count ?? 0,
    errors: result.errors + result.timeouts,
  };
}

/** The baseline: parse the same body, double n, answer JSON; nothing else. */
async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: { n: number } };
      const out = JSON.stringify({ doubled: input.n * 2 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function round(): Promise<ThroughputRound> {
  const bareServer = await startBare();
  progress(`throughput: bare node:http, ${SECONDS} s with ${CONNECTIONS} connections`);
  await load(bareServer.url, WARMUP_SECONDS);
  const bare = await load(bareServer.url, SECONDS);
  await bareServer.close();

  const duet = await startDuet();
  try {
    const slug = await duet.publish(graph);
    const url = `${duet.url}/api/v1/workflows/${slug}/executions?waitMs=5000`;
    const check = (await post(url, JSON.parse(BODY), 200)) as { status: string; output: unknown };
    if (check.status !== 'completed' || (check.output as { doubled?: number })?.doubled !== 42) {
      throw new Error(`the workflow did not answer {doubled: 42}: ${JSON.stringify(check)}`);
    }
    progress(`throughput: Duet, ${SECONDS} s with ${CONNECTIONS} connections`);
    await load(url, WARMUP_SECONDS);
    return { duet: await load(url, SECONDS), bare };
  } finally {
    await duet.close();
  }
}

function report(rounds: ThroughputRound[]): Section {
  const m = (pick: (r: ThroughputRound) => number) => median(rounds.map(pick));
  const duet = m((r) => r.duet.perSecond);
  const bare = m((r) => r.bare.perSecond);
  const sum = (pick: (r: ThroughputRound) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  return {
    title: 'Throughput',
    about:
      `A 3-step workflow (start → function \`return { doubled: input.n * 2 }\` → response) started with ` +
      `\`POST /api/v1/workflows/<slug>/executions?waitMs=5000\` and body \`{"input":{"n":21}}\`, by autocannon with ` +
      `${CONNECTIONS} connections for ${SECONDS} s per round (after a ${WARMUP_SECONDS} s warm-up). Executions/s counts ` +
      '200 answers, i.e. executions that completed within the request. Baseline: a bare `node:http` server that parses ' +
      'the same body, doubles n and answers JSON, loaded the same way in the same process.',
    table: [
      ['', 'Duet', 'bare node:http', 'Duet / bare'],
      ['executions (requests) / s', fmt(duet), fmt(bare), `${fmt(duet / bare, 4)}`],
      [
        'latency p50 (ms)',
        fmt(m((r) => r.duet.p50)),
        fmt(m((r) => r.bare.p50)),
        `${fmt(m((r) => r.duet.p50) / m((r) => r.bare.p50))}×`,
      ],
      [
        'latency p99 (ms)',
        fmt(m((r) => r.duet.p99)),
        fmt(m((r) => r.bare.p99)),
        `${fmt(m((r) => r.duet.p99) / m((r) => r.bare.p99))}×`,
      ],
      ['non-2xx answers (all rounds)', String(sum((r) => r.duet.non2xx)), String(sum((r) => r.bare.non2xx)), ''],
      ['202 = not finished within waitMs (all rounds)', String(sum((r) => r.duet.unfinished)), '–', ''],
      [
        'socket errors / timeouts (all rounds)',
        String(sum((r) => r.duet.errors)),
        String(sum((r) => r.bare.errors)),
        '',
      ],
    ],
    notes: [
      `Executions/s per round: Duet ${rounds.map((r) => fmt(r.duet.perSecond)).join(', ')}; bare ${rounds.map((r) => fmt(r.bare.perSecond)).join(', ')}.`,
    ],
  };
}

export const benchmark: Benchmark<ThroughputRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
