import type { Problem } from '../model/problem.ts';

/** The MAX_WORKFLOW_NODES / MAX_WORKFLOW_EDGES defaults; the server passes its configured values. */
export const DEFAULT_MAX_NODES = 2000;
export const DEFAULT_MAX_EDGES = 5000;

export interface SizeLimits {
  maxNodes?: number;
  maxEdges?: number;
}

/**
 * Counts nodes and edges before anything else looks at a graph, so that an oversized one is refused at once
 * instead of after work that grows with its size.
 */
export function checkSize(raw: unknown, limits: SizeLimits): Problem[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const { nodes, edges } = raw as { nodes?: unknown; edges?: unknown };
  const problems: Problem[] = [];
  const maxNodes = limits.maxNodes ?? DEFAULT_MAX_NODES;
  const maxEdges = limits.maxEdges ?? DEFAULT_MAX_EDGES;
  if (Array.isArray(nodes) && nodes.length > maxNodes) {
    problems.push({
      code: 'too_many_nodes',
      path: 'nodes',
      message: `the workflow has ${nodes.length} nodes but this server allows at most ${maxNodes} (MAX_WORKFLOW_NODES); split it into subworkflows`,
    });
  }
  if (Array.isArray(edges) && edges.length > maxEdges) {
    problems.push({
      code: 'too_many_edges',
      path: 'edges',
      message: `the workflow has ${edges.length} edges but this server allows at most ${maxEdges} (MAX_WORKFLOW_EDGES); split it into subworkflows`,
    });
  }
  return problems;
}
