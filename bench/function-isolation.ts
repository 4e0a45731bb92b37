import autocannon from 'autocannon';
import { availableParallelism, loadavg } from 'node:os';
import { edge, get, node, post, startDuet } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

const CONNECTIONS = 10;
const SECONDS = envCount('BENCH_SECONDS', 4);
/** The spinning step's limit: long enough to hold its worker through the whole measurement. */
const SPIN_LIMIT_MS = SECONDS * 1000 + 2000;
/** Callers that each start a quick execution and wait for it, one after another, during the measurement. */
const CALLERS = 2;

interface Phase {
  healthPerSecond: number;
  healthP50: number;
  healthP99: number;
  healthErrors: number;
  /** Quick executions that completed during the measurement, and their latency (start to answer). */
  executions: number;
  executionP50: number;
  executionP99: number;
}
export interface FunctionIsolationRound {
  idle: Phase;
  spinning: Phase;
  /** How the spinning execution ended, and how long after it started. */
  spinOutcome: string;
  spinMs: number;
  /** The machine's 1-minute load average at the end: other jobs on it show in every latency here. */
  loadAverage: number;
}

const flow = (name: string, code: string) => ({
  name,
  nodes: [node('start', 'start'), node('fn', 'function', { code })],
  edges: [edge('start', 'fn')],
});

/** GET /health under load while CALLERS run quick executions back to back, all for SECONDS. */
async function measure(url: string, quickUrl: string): Promise<Phase> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const callers = Array.from({ length: CALLERS }, async () => {
    while (performance.now() < deadline) {
      const began = performance.now();
      const execution = (await post(quickUrl, { input: { n: 21 } })) as { status: string; output: unknown };
      if (execution.status !== 'completed' || execution.output !== 42)
        throw new Error(`a quick execution ended ${execution.status}: ${JSON.stringify(execution.output)}`);
      latencies.push(performance.now() - began);
    }
  });
  const [health] = await Promise.all([
    autocannon({ url: `${url}/health`, connections: CONNECTIONS, duration: SECONDS, workers: 1, timeout: 30 }),
    ...callers,
  ]);
  return {
    healthPerSecond: (health.statusCodeStats['200']?.count ?? 0) / health.duration,
    healthP50: health.latency.p50,
    healthP99: health.latency.p99,
    healthErrors: health.non2xx + health.errors + health.timeouts,
    executions: latencies.length,
    executionP50: percentile(latencies, 50),
    executionP99: percentile(latencies, 99),
  };
}

async function round(): Promise<FunctionIsolationRound> {
  const duet = await startDuet({ FUNCTION_TIMEOUT_MS: String(SPIN_LIMIT_MS) });
  try {
    const executions = (slug: string, waitMs: number) =>
      `${duet.url}/api/v1/workflows/${slug}/executions${waitMs ? `?waitMs=${waitMs}` : ''}`;
    const quickUrl = executions(await duet.publish(flow('Quick', 'return input.n * 2')), SPIN_LIMIT_MS * 2);
    const spinUrl = executions(await duet.publish(flow('Spin', 'while (true) {}')), 0);
    progress(`function isolation: warming up, then /health and quick executions for ${SECONDS} s, idle and spinning`);
    // As many at once as there are workers, so that every worker has started before anything is measured.
    const warmUrl = quickUrl.replace(/waitMs=\d+/, 'waitMs=60000');
    await Promise.all(Array.from({ length: 4 }, () => post(warmUrl, { input: { n: 21 } })));
    const idle = await measure(duet.url, quickUrl);

    const spinStarted = performance.now();
    const { id } = (await post(spinUrl, { input: {} }, [200, 201, 202])) as { id: string };
    for (let status = ''; status !== 'running';) {
      status = ((await get(`${duet.url}/api/v1/executions/${id}`)) as { status: string }).status;
    }
    const spinning = await measure(duet.url, quickUrl);
    for (;;) {
      const execution = (await get(`${duet.url}/api/v1/executions/${id}`)) as {
        status: string;
        error?: { step?: { message?: string } };
      };
      if (execution.status !== 'running' && execution.status !== 'queued') {
        const spinMs = performance.now() - spinStarted;
        const spinOutcome = `${execution.status}: ${execution.error?.step?.message}`;
        return { idle, spinning, spinOutcome, spinMs, loadAverage: loadavg()[0]! };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await duet.close();
  }
}

function report(rounds: FunctionIsolationRound[]): Section {
  const m = (pick: (r: FunctionIsolationRound) => number) => median(rounds.map(pick));
  const row = (label: string, pick: (p: Phase) => number) => [
    label,
    fmt(m((r) => pick(r.idle))),
    fmt(m((r) => pick(r.spinning))),
  ];
  return {
    title: 'Function isolation',
    about:
      `One execution whose \`function\` step spins (\`while (true) {}\`) at its time limit (FUNCTION_TIMEOUT_MS = ` +
      `${SPIN_LIMIT_MS} ms, default FUNCTION_WORKERS = min(4, cores) = ${Math.min(4, availableParallelism())}) while, ` +
      `for ${SECONDS} s, autocannon loads \`GET /health\` with ${CONNECTIONS} connections and ${CALLERS} callers run ` +
      'start → function → response executions (`?waitMs=`) back to back; the same load without the spinning ' +
      'execution as a baseline. Embedded database, one process, API-key auth. **Target: /health p99 < 50 ms.**',
    table: [
      ['', 'idle', 'one function spinning'],
      row('/health requests / s', (p) => p.healthPerSecond),
      row('/health p50 (ms)', (p) => p.healthP50),
      row('/health p99 (ms)', (p) => p.healthP99),
      row('/health errors', (p) => p.healthErrors),
      row(`quick executions completed in ${SECONDS} s`, (p) => p.executions),
      row('quick execution p50 (ms)', (p) => p.executionP50),
      row('quick execution p99 (ms)', (p) => p.executionP99),
    ],
    notes: [
      `/health p99 while spinning, per round: ${rounds.map((r) => fmt(r.spinning.healthP99)).join(', ')} ms.`,
      `The spinning execution ended ${rounds.map((r) => `after ${fmt(r.spinMs / 1000)} s (${r.spinOutcome})`).join('; ')}.`,
      `Load average of the machine at the end of each round: ${rounds.map((r) => fmt(r.loadAverage)).join(', ')} ` +
        `(${availableParallelism()} cores): compare the two columns, not the absolute figures.`,
      'Before function steps ran on worker threads, nothing in the process answered while a function ran: /health ' +
        'and every other execution waited for up to FUNCTION_TIMEOUT_MS.',
    ],
  };
}

export const benchmark: Benchmark<FunctionIsolationRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
