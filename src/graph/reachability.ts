import { CONTAINER_TYPES } from '../model/blocks.ts';
import type { WorkflowNode } from '../model/graph.ts';
import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { buildAdjacency, type Adjacency } from './topology.ts';

/**
 * Every node must be able to run: top-level nodes must be reachable from start, and a container's
 * children from its entry nodes (children without an incoming edge from a sibling) once the container
 * itself is reachable. Children of an unreachable container are not listed one by one: fixing the
 * container fixes them.
 */
export function checkReachability(parts: GraphParts): Problem[] {
  const adjacency = buildAdjacency(parts.graph);
  const topLevel = adjacency.children.get(undefined) ?? [];
  const starts = topLevel.filter((n) => n.type === 'start');
  // Without a start (reported) or with nodes we could not read, everything would look unreachable.
  if (starts.length === 0 || !parts.complete) return [];
  const reached = new Set<string>();
  const judged: WorkflowNode[] = [];
  const visitScope = (members: WorkflowNode[], roots: WorkflowNode[]): void => {
    judged.push(...members);
    const scope = new Set(members.map((n) => n.id));
    for (const id of flood(
      adjacency,
      roots.map((n) => n.id),
      scope,
    ))
      reached.add(id);
    for (const node of members) {
      if (!reached.has(node.id) || !CONTAINER_TYPES.has(node.type)) continue;
      const children = adjacency.children.get(node.id) ?? [];
      visitScope(children, entriesOf(adjacency, children));
    }
  };
  visitScope(topLevel, starts);
  return judged
    .filter((node) => !reached.has(node.id))
    .map((node) => ({
      code: 'unreachable',
      path: formatPath(['nodes', parts.nodeIndex.get(node)!]),
      nodeId: node.id,
      message:
        node.parentId === undefined
          ? `"${node.id}" can never run: no path of edges leads to it from the start node; connect it or remove it`
          : `"${node.id}" can never run: no path of edges leads to it from the entry nodes of "${node.parentId}"; connect it or remove it`,
    }));
}

/** Children with no incoming edge from a sibling are where a container starts each run. */
function entriesOf(adjacency: Adjacency, children: WorkflowNode[]): WorkflowNode[] {
  const siblings = new Set(children.map((n) => n.id));
  return children.filter((child) => !(adjacency.incoming.get(child.id) ?? []).some((e) => siblings.has(e.source)));
}

/** Ids reachable from `roots` along edges that stay inside `scope`. */
function flood(adjacency: Adjacency, roots: string[], scope: Set<string>): Set<string> {
  const seen = new Set(roots);
  const pending = [...roots];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const edge of adjacency.outgoing.get(id) ?? []) {
      if (!scope.has(edge.target) || seen.has(edge.target)) continue;
      seen.add(edge.target);
      pending.push(edge.target);
    }
  }
  return seen;
}
