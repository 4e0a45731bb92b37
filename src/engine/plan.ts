import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../model/graph.ts';

/**
 * Deterministic scheduling: given what has happened to each node, which nodes may run now and which
 * can never run. Pure, so the executor's decisions are replayable and testable without a database.
 */
export type NodeStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'pruned';

export interface NodeState {
  status: NodeStatus;
  /** For completed/skipped (and failed steps caught by an `error` edge): the output handle taken. */
  handle?: string | null;
}

export interface Plan {
  /** Nodes whose every active incoming branch is done: start them now. */
  ready: string[];
  /** Nodes that can no longer run because no incoming branch was taken. */
  pruned: string[];
  /** Nothing is running, waiting, ready or pending: the scope is done. */
  finished: boolean;
  /** Pending nodes that wait on each other and can never start (only possible with cycles). */
  stuck: string[];
}

/** The nodes of one scope: top level (`scope` undefined) or the children of one container. */
export function scopeNodes(graph: WorkflowGraph, scope: string | undefined): WorkflowNode[] {
  return graph.nodes.filter((n) => n.parentId === scope);
}

/** A failed step counts as handled when an `error` edge leaves it. */
export function hasErrorEdge(graph: WorkflowGraph, nodeId: string): boolean {
  return graph.edges.some((e) => e.source === nodeId && e.sourceHandle === 'error');
}

type EdgeFate = 'taken' | 'dead' | 'open';

function edgeFate(edge: WorkflowEdge, source: NodeState | undefined): EdgeFate {
  if (!source) return 'open';
  switch (source.status) {
    case 'completed':
    case 'skipped':
      return (edge.sourceHandle ?? null) === (source.handle ?? null) ? 'taken' : 'dead';
    case 'failed':
      // An unhandled failure ends the execution; a handled one takes only the `error` edges.
      return source.handle === 'error' ? (edge.sourceHandle === 'error' ? 'taken' : 'dead') : 'open';
    case 'pruned':
      return 'dead';
    default:
      return 'open';
  }
}

/**
 * Plans one scope. Entry nodes (the start node at top level, or container children with no incoming
 * sibling edge) are ready first; a node joins when all incoming edges are decided and at least one
 * was taken; pruning propagates until nothing changes.
 */
export function planScope(
  graph: WorkflowGraph,
  scope: string | undefined,
  states: ReadonlyMap<string, NodeState>,
): Plan {
  const nodes = scopeNodes(graph, scope);
  const ids = new Set(nodes.map((n) => n.id));
  const incoming = new Map<string, WorkflowEdge[]>(nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) {
    if (ids.has(edge.source) && ids.has(edge.target)) incoming.get(edge.target)!.push(edge);
  }
  const current = new Map(states);
  const ready: string[] = [];
  const pruned: string[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of nodes) {
      if ((current.get(node.id)?.status ?? 'pending') !== 'pending' || ready.includes(node.id)) continue;
      const edges = incoming.get(node.id)!;
      if (edges.length === 0) {
        // Only the start node (top level) or a container's entry nodes have no incoming edges.
        ready.push(node.id);
        continue;
      }
      const fates = edges.map((e) => edgeFate(e, current.get(e.source)));
      if (fates.includes('open')) continue;
      if (fates.includes('taken')) {
        ready.push(node.id);
      } else {
        pruned.push(node.id);
        current.set(node.id, { status: 'pruned' });
        changed = true;
      }
    }
  }
  const active = nodes.filter((n) => ['running', 'waiting'].includes(current.get(n.id)?.status ?? 'pending'));
  const pending = nodes.filter((n) => (current.get(n.id)?.status ?? 'pending') === 'pending' && !ready.includes(n.id));
  const finished = ready.length === 0 && active.length === 0 && pending.length === 0;
  const stuck = ready.length === 0 && active.length === 0 ? pending.map((n) => n.id) : [];
  return { ready, pruned, finished, stuck };
}
