import { DuetError } from '../model/errors.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import { validateGraph, type ValidateOptions, type ValidationResult } from './validate.ts';

/** Returns the parsed graph, or throws `invalid_graph` (422) listing every problem (`payload_too_large`, 413, when too big). */
export function requireValidGraph(raw: unknown, options: ValidateOptions): WorkflowGraph {
  return acceptGraph(validateGraph(raw, options));
}

/** `requireValidGraph` for a result computed elsewhere (a worker thread). */
export function acceptGraph({ graph, problems }: ValidationResult): WorkflowGraph {
  if (graph) return graph;
  if (problems.some((p) => p.code === 'too_many_nodes' || p.code === 'too_many_edges')) {
    throw new DuetError('payload_too_large', problems.map((p) => p.message).join('; '), problems);
  }
  const first = problems
    .slice(0, 3)
    .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
    .join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more in details)` : '';
  throw new DuetError('invalid_graph', `the workflow has ${problems.length} problem(s): ${first}${more}`, problems);
}
