import type { WorkflowGraph } from '../model/graph.ts';
import type { StepRunRow } from '../store/executions.ts';
import { scopeNodes } from './plan.ts';

/**
 * An execution's output: the last `response` step of its scope; without one, the output of its
 * single final step, or an object of every final step's output. Pure.
 */
export function executionOutput(
  graph: WorkflowGraph,
  scope: string | undefined,
  latest: ReadonlyMap<string, StepRunRow>,
): unknown {
  const nodes = scopeNodes(graph, scope);
  const done = nodes.map((n) => ({ node: n, row: latest.get(n.id) })).filter((x) => x.row?.status === 'completed');
  const responses = done
    .filter((x) => x.node.type === 'response')
    .sort((a, b) => (a.row!.finishedAt?.getTime() ?? 0) - (b.row!.finishedAt?.getTime() ?? 0));
  if (responses.length > 0) return responses.at(-1)!.row!.output;
  const finals = done.filter((x) => !graph.edges.some((e) => e.source === x.node.id));
  if (finals.length === 1) return finals[0]!.row!.output;
  return Object.fromEntries(finals.map((x) => [x.node.id, x.row!.output]));
}
