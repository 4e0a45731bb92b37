import { DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES } from '../src/graph/size.ts';
import { validateGraph } from '../src/graph/validate.ts';
import type { WorkflowGraph } from '../src/model/graph.ts';
import { chainGraph } from '../test/support/fixtures.ts';
import { envCount, fmt, median, type Benchmark, type Section } from './machine.ts';

const REPEATS = 5;

export interface GraphValidationRound {
  /** Milliseconds to validate a chain at MAX_WORKFLOW_NODES (two templates a step), median of REPEATS. */
  atBoundMs: number;
  /** The same chain with nodes at the bound and extra edges up to MAX_WORKFLOW_EDGES. */
  atBoundEdgesMs: number;
  /** Ten times the bound with the limit raised: linear validation takes about ten times as long. */
  tenTimesMs: number;
  /** Refusing a graph ten times over the bound (counting only). */
  refuseMs: number;
}

/** The chain plus edges from every step to later steps, up to `edges` in all (a DAG: no cycle is added). */
function withEdges(graph: WorkflowGraph, edges: number): WorkflowGraph {
  const extra: WorkflowGraph['edges'] = [];
  const steps = graph.nodes.slice(1).map((n) => n.id);
  for (let span = 2; graph.edges.length + extra.length < edges; span++) {
    for (let i = 0; i + span < steps.length && graph.edges.length + extra.length < edges; i++) {
      extra.push({ id: `x${span}_${i}`, source: steps[i]!, target: steps[i + span]! });
    }
  }
  return { ...graph, edges: [...graph.edges, ...extra] };
}

function time(
  graph: WorkflowGraph,
  maxNodes: number,
  maxEdges: number,
  expectValid: boolean,
  repeats = REPEATS,
): number {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const { graph: valid, problems } = validateGraph(graph, { maxNodes, maxEdges });
    runs.push(performance.now() - started);
    if (Boolean(valid) !== expectValid) throw new Error(`unexpected result: ${JSON.stringify(problems.slice(0, 3))}`);
  }
  return median(runs);
}

async function round(): Promise<GraphValidationRound> {
  const chain = chainGraph(DEFAULT_MAX_NODES);
  const huge = chainGraph(DEFAULT_MAX_NODES * 10);
  return {
    atBoundMs: time(chain, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, true),
    atBoundEdgesMs: time(withEdges(chain, DEFAULT_MAX_EDGES), DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, true),
    tenTimesMs: time(huge, DEFAULT_MAX_NODES * 10, DEFAULT_MAX_EDGES * 10, true, 1),
    refuseMs: time(huge, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, false),
  };
}

function report(rounds: GraphValidationRound[]): Section {
  const m = (pick: (r: GraphValidationRound) => number) => fmt(median(rounds.map(pick)));
  return {
    title: 'Graph validation',
    about:
      `\`validateGraph\` (every check at once, as the API runs it) on a chain of http steps whose urls each read the ` +
      `step before and the start in templates, median of ${REPEATS} runs per round (one for the 10× graph). At the default bound ` +
      `(MAX_WORKFLOW_NODES = ${DEFAULT_MAX_NODES}, MAX_WORKFLOW_EDGES = ${DEFAULT_MAX_EDGES}) the API validates on a ` +
      'worker thread; beyond it a graph is refused after counting.',
    table: [
      ['graph', 'ms'],
      [`${DEFAULT_MAX_NODES} nodes, ${DEFAULT_MAX_NODES - 1} edges`, m((r) => r.atBoundMs)],
      [`${DEFAULT_MAX_NODES} nodes, ${DEFAULT_MAX_EDGES} edges`, m((r) => r.atBoundEdgesMs)],
      [`${DEFAULT_MAX_NODES * 10} nodes (limits raised)`, m((r) => r.tenTimesMs)],
      [`${DEFAULT_MAX_NODES * 10} nodes refused (default limits)`, m((r) => r.refuseMs)],
    ],
    notes: [
      'Most of the time goes to compiling each JSONata template; before the fix, ancestor sets per step made it ' +
        'quadratic (a 20,000-node graph kept the server from answering for over 15 s, and a 5,000-step chain ' +
        'overflowed the stack in the cycle check).',
    ],
  };
}

export const benchmark: Benchmark<GraphValidationRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
