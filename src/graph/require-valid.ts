import { DuetError } from '../model/errors.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import { validateGraph, type ValidateOptions } from './validate.ts';

/** Returns the parsed graph, or throws `invalid_graph` (422) listing every problem. */
export function requireValidGraph(raw: unknown, options: ValidateOptions): WorkflowGraph {
  const { graph, problems } = validateGraph(raw, options);
  if (!graph) {
    const first = problems
      .slice(0, 3)
      .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
      .join('; ');
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more in details)` : '';
    throw new DuetError('invalid_graph', `the workflow has ${problems.length} problem(s): ${first}${more}`, problems);
  }
  return graph;
}
