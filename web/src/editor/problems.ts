import type { Problem } from '../../../src/model/problem.ts';

export interface NodeProblems {
  all: string[];
  byField: Record<string, string[]>;
}
export interface ProblemIndex {
  nodes: Map<string, NodeProblems>;
  edges: Map<string, string[]>;
  graph: string[];
}

/**
 * Sorts the validator's problems by where the editor shows them: on a node (and the config field it concerns,
 * from a path like `nodes[2].config.url`), on an edge, or for the workflow as a whole.
 */
export function indexProblems(problems: Problem[]): ProblemIndex {
  const index: ProblemIndex = { nodes: new Map(), edges: new Map(), graph: [] };
  for (const problem of problems) {
    if (problem.nodeId) {
      const entry = index.nodes.get(problem.nodeId) ?? { all: [], byField: {} };
      entry.all.push(problem.message);
      const field = /^nodes\[\d+\]\.(config\.)?([A-Za-z_]\w*)/.exec(problem.path);
      const key = field ? (field[1] ? field[2]! : field[2] === 'name' ? 'name' : 'config') : 'config';
      (entry.byField[key] ??= []).push(problem.message);
      index.nodes.set(problem.nodeId, entry);
    } else if (problem.edgeId) {
      index.edges.set(problem.edgeId, [...(index.edges.get(problem.edgeId) ?? []), problem.message]);
    } else {
      index.graph.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
    }
  }
  return index;
}
