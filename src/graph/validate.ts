import type { WorkflowGraph } from '../model/graph.ts';
import type { Problem } from '../model/problem.ts';
import { checkCycles } from './cycles.ts';
import { checkEdges } from './edges.ts';
import { checkInputs } from './inputs.ts';
import { checkNodes } from './nodes.ts';
import { checkReachability } from './reachability.ts';
import { checkReferences } from './references.ts';
import { checkSize, type SizeLimits } from './size.ts';
import { checkStructure } from './structure.ts';

/** Matches the MAX_RETRY_ATTEMPTS default; the server passes its configured value. */
export const DEFAULT_MAX_RETRY_ATTEMPTS = 3;

export interface ValidateOptions extends SizeLimits {
  maxRetryAttempts?: number;
}

export interface ValidationResult {
  /** The parsed graph, present only when there are no problems. */
  graph?: WorkflowGraph;
  problems: Problem[];
}

/**
 * Checks a submitted workflow graph and reports every problem at once, each located by path (and node
 * or edge id) so an editor can point at it. Semantic checks still run on the readable parts of a graph
 * whose shape is partly wrong.
 */
export function validateGraph(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const oversized = checkSize(raw, options);
  if (oversized.length > 0) return { problems: oversized };
  const structure = checkStructure(raw, options.maxRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS);
  const { parts } = structure;
  if (!parts) return { problems: structure.problems };
  const problems = [
    ...structure.problems,
    ...checkNodes(parts),
    ...checkEdges(parts),
    ...checkReachability(parts),
    ...checkCycles(parts),
    ...checkInputs(parts),
    ...checkReferences(parts),
  ];
  return problems.length === 0 && structure.graph ? { graph: structure.graph, problems } : { problems };
}
