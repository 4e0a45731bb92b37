import { runFunction } from '../src/sandbox/quickjs.ts';
import { edge, node, post, startDuet } from './duet.ts';
import { envCount, fmt, median, progress, type Benchmark, type Section } from './machine.ts';

/** Steps per execution, the start step included; per-step figures divide by this. */
const STEPS = 100;
const RUNS_PER_ROUND = 3;
const CODE = 'return 1;';

interface Timing {
  serverMs: number;
  clientMs: number;
}
export interface StepOverheadRound {
  functionSteps: Timing;
  conditionSteps: Timing;
  /** The 100 functions back to back in QuickJS, no engine, no database. */
  quickjsMs: number;
}

/** start → s1 → … → s99, every step of one type; conditions follow their "true" handle. */
function linear(type: 'function' | 'condition') {
  const ids = Array.from({ length: STEPS - 1 }, (_, i) => `s${i + 1}`);
  const config = type === 'function' ? { code: CODE } : { expression: 'true' };
  const handle = type === 'condition' ? 'true' : undefined;
  return {
    name: `Bench ${STEPS} ${type} steps`,
    settings: { timeoutMs: 600_000 },
    nodes: [node('start', 'start'), ...ids.map((id) => node(id, type, config))],
    edges: ids.map((id, i) => edge(i === 0 ? 'start' : ids[i - 1]!, id, i === 0 ? undefined : handle)),
  };
}

async function timeExecution(url: string): Promise<Timing> {
  const began = performance.now();
  const execution = (await post(url, { input: {} }, 200)) as {
    status: string;
    steps: unknown[];
    startedAt: string;
    finishedAt: string;
  };
  const clientMs = performance.now() - began;
  if (execution.status !== 'completed' || execution.steps.length !== STEPS) {
    throw new Error(
      `expected a completed execution of ${STEPS} steps, got ${execution.status} with ${execution.steps.length}`,
    );
  }
  return { serverMs: Date.parse(execution.finishedAt) - Date.parse(execution.startedAt), clientMs };
}

async function medianTiming(url: string): Promise<Timing> {
  const runs: Timing[] = [];
  for (let i = 0; i < RUNS_PER_ROUND; i++) runs.push(await timeExecution(url));
  return { serverMs: median(runs.map((r) => r.serverMs)), clientMs: median(runs.map((r) => r.clientMs)) };
}

/** What the function block does per step, minus the engine: a fresh QuickJS runtime with the same kind of scope. */
async function quickjsOnly(): Promise<number> {
  const limits = { timeoutMs: 5000, memoryBytes: 64 * 1024 * 1024 };
  const began = performance.now();
  const steps: Record<string, { output: unknown; status: string; attempt: number }> = {};
  for (let i = 0; i < STEPS; i++) {
    const output = await runFunction(CODE, { input: {}, steps, vars: {}, execution: {} }, limits);
    steps[`s${i + 1}`] = { output, status: 'completed', attempt: 1 };
  }
  return performance.now() - began;
}

async function round(): Promise<StepOverheadRound> {
  const duet = await startDuet();
  try {
    const urls = await Promise.all(
      (['function', 'condition'] as const).map(
        async (type) => `${duet.url}/api/v1/workflows/${await duet.publish(linear(type))}/executions?waitMs=60000`,
      ),
    );
    progress(
      `step overhead: warming up, then ${RUNS_PER_ROUND} executions of ${STEPS} function steps and of ${STEPS} condition steps`,
    );
    await timeExecution(urls[0]!);
    await timeExecution(urls[1]!);
    await quickjsOnly();
    const functionSteps = await medianTiming(urls[0]!);
    const conditionSteps = await medianTiming(urls[1]!);
    const quickjs: number[] = [];
    for (let i = 0; i < RUNS_PER_ROUND; i++) quickjs.push(await quickjsOnly());
    return { functionSteps, conditionSteps, quickjsMs: median(quickjs) };
  } finally {
    await duet.close();
  }
}

function report(rounds: StepOverheadRound[]): Section {
  const us = (pick: (r: StepOverheadRound) => number) => (median(rounds.map(pick)) * 1000) / STEPS;
  const fnServer = us((r) => r.functionSteps.serverMs);
  const fnClient = us((r) => r.functionSteps.clientMs);
  const condServer = us((r) => r.conditionSteps.serverMs);
  const condClient = us((r) => r.conditionSteps.clientMs);
  const quickjs = us((r) => r.quickjsMs);
  return {
    title: 'Per-step overhead',
    about:
      `A linear workflow of ${STEPS} steps (start → ${STEPS - 1} steps), run with \`?waitMs=60000\`, ${RUNS_PER_ROUND} ` +
      "executions per round after one warm-up. Server time is the execution's `finishedAt − startedAt`; client time is " +
      `the whole HTTP call (create, run, answer). µs/step = time / ${STEPS}. Function steps run \`${CODE}\` in QuickJS; ` +
      'condition steps evaluate `true` (JSONata, no QuickJS), which isolates the engine and its persistence. ' +
      `Baseline: ${STEPS} calls of \`runFunction\` (src/sandbox/quickjs.ts) back to back with the same scope, nothing persisted.`,
    table: [
      ['', 'server µs/step', 'client µs/step', 'durable overhead µs/step (server − QuickJS)', '× QuickJS alone'],
      ['function steps', fmt(fnServer), fmt(fnClient), fmt(fnServer - quickjs), `${fmt(fnServer / quickjs)}×`],
      ['condition steps (no QuickJS)', fmt(condServer), fmt(condClient), '–', '–'],
      ['baseline: QuickJS runFunction alone', fmt(quickjs), '–', '–', '1×'],
    ],
    notes: [
      `Per round, ms per ${STEPS}-step execution (server): functions ${rounds.map((r) => fmt(r.functionSteps.serverMs)).join(', ')}; ` +
        `conditions ${rounds.map((r) => fmt(r.conditionSteps.serverMs)).join(', ')}; QuickJS alone ${rounds.map((r) => fmt(r.quickjsMs)).join(', ')}.`,
      `QuickJS's share of a function step: ${fmt((100 * quickjs) / fnServer)} %; function step − condition step = ${fmt(fnServer - condServer)} µs.`,
    ],
  };
}

export const benchmark: Benchmark<StepOverheadRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
