import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../model/graph.ts';

/** Lookups over a graph's nodes, edges and containers, built once and shared by validation and the engine. */
export interface Adjacency {
  /** The first node with each id (duplicates are a validation problem). */
  nodes: Map<string, WorkflowNode>;
  outgoing: Map<string, WorkflowEdge[]>;
  incoming: Map<string, WorkflowEdge[]>;
  /** Nodes by `parentId`; the key `undefined` holds the top-level nodes. */
  children: Map<string | undefined, WorkflowNode[]>;
}

type GraphShape = Pick<WorkflowGraph, 'nodes' | 'edges'>;

export function buildAdjacency(graph: GraphShape): Adjacency {
  const adjacency: Adjacency = { nodes: new Map(), outgoing: new Map(), incoming: new Map(), children: new Map() };
  for (const node of graph.nodes) {
    if (adjacency.nodes.has(node.id)) continue;
    adjacency.nodes.set(node.id, node);
    push(adjacency.children, node.parentId, node);
  }
  // Edges are indexed even when an end is unknown: callers check `nodes` before following them.
  for (const edge of graph.edges) {
    push(adjacency.outgoing, edge.source, edge);
    push(adjacency.incoming, edge.target, edge);
  }
  return adjacency;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A node's children, their children, and so on (guarded against `parentId` loops). */
export function descendantsOf(adjacency: Adjacency, nodeId: string): Set<string> {
  const found = new Set<string>();
  const pending = [nodeId];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const child of adjacency.children.get(id) ?? []) {
      if (found.has(child.id) || child.id === nodeId) continue;
      found.add(child.id);
      pending.push(child.id);
    }
  }
  return found;
}

/**
 * The nodes that can have finished before `nodeId` runs, so that its templates may read
 * `steps.<id>`: its predecessors along edges, transitively; the predecessors of its containers
 * (a loop body runs after whatever precedes the loop); and the children of any upstream container.
 * A container itself is not an ancestor of its own children: it finishes after them.
 */
export function ancestorsOf(graph: GraphShape, nodeId: string, adjacency = buildAdjacency(graph)): Set<string> {
  const ancestors = new Set<string>();
  const expanded = new Set<string>();
  const pending = [nodeId];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (expanded.has(id)) continue;
    expanded.add(id);
    for (const edge of adjacency.incoming.get(id) ?? []) {
      if (ancestors.has(edge.source)) continue;
      ancestors.add(edge.source);
      for (const inner of descendantsOf(adjacency, edge.source)) ancestors.add(inner);
      pending.push(edge.source);
    }
    const parentId = adjacency.nodes.get(id)?.parentId;
    if (parentId !== undefined) pending.push(parentId);
  }
  return ancestors;
}

/** How many nodes `upstreamQuery` looks back from a step before it floods forward from the step it reads instead. */
const NEAR_SEARCH = 64;

/**
 * Answers "is `x` in `ancestorsOf(y)`?" for many pairs without building every ancestor set (quadratic on long
 * chains): a short backward search from `y` settles the usual case, a template reading a nearby step; past that, one
 * forward flood from `x` (kept, so each far-read step is flooded once) says which steps run after it.
 */
export function upstreamQuery(adjacency: Adjacency): (x: string, y: string) => boolean {
  const floods = new Map<string, Set<string>>();
  return (x, y) => {
    // x has finished when any of these has: x itself or a container around it.
    const finishers = new Set([x, ...containersOf(adjacency, x)]);
    const near = searchBack(adjacency, y, finishers);
    if (near !== undefined) return near;
    let after = floods.get(x);
    if (!after) floods.set(x, (after = floodForward(adjacency, finishers)));
    return after.has(y);
  };
}

/** The containers around a node, innermost first (guarded against `parentId` loops). */
export function containersOf(adjacency: Adjacency, nodeId: string): string[] {
  const chain: string[] = [];
  for (
    let parent = adjacency.nodes.get(nodeId)?.parentId;
    parent !== undefined && parent !== nodeId && !chain.includes(parent);
    parent = adjacency.nodes.get(parent)?.parentId
  ) {
    chain.push(parent);
  }
  return chain;
}

/** Walks back from `y` as `ancestorsOf` does; undefined when the walk grows past NEAR_SEARCH nodes. */
function searchBack(adjacency: Adjacency, y: string, finishers: Set<string>): boolean | undefined {
  const expanded = new Set<string>();
  const pending = [y];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (expanded.has(id)) continue;
    if (expanded.size >= NEAR_SEARCH) return undefined;
    expanded.add(id);
    for (const edge of adjacency.incoming.get(id) ?? []) {
      if (finishers.has(edge.source)) return true;
      pending.push(edge.source);
    }
    const parentId = adjacency.nodes.get(id)?.parentId;
    if (parentId !== undefined) pending.push(parentId);
  }
  return false;
}

/** Every node that runs after one of `finishers` is done: along edges, and into the containers reached. */
function floodForward(adjacency: Adjacency, finishers: Set<string>): Set<string> {
  const seen = new Set<string>();
  const pending = [...finishers].flatMap((id) => (adjacency.outgoing.get(id) ?? []).map((e) => e.target));
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of adjacency.outgoing.get(id) ?? []) pending.push(edge.target);
    for (const child of adjacency.children.get(id) ?? []) pending.push(child.id);
  }
  return seen;
}

export interface Cycle {
  /** The node ids around the cycle, first repeated at the end: `['a', 'b', 'a']`. */
  nodeIds: string[];
  /** The edge that closes it, back into the first node. */
  closingEdge: WorkflowEdge;
  /** Every node caught in the same knot of cycles (its strongly connected component). */
  component: Set<string>;
}

/** One concrete cycle per strongly connected component that has one, over edges between known nodes. */
export function findCycles(adjacency: Adjacency): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of stronglyConnected(adjacency)) {
    const cycle = cycleWithin(adjacency, component);
    if (cycle) cycles.push(cycle);
  }
  return cycles;
}

function successors(adjacency: Adjacency, id: string): string[] {
  return (adjacency.outgoing.get(id) ?? []).map((e) => e.target).filter((t) => adjacency.nodes.has(t));
}

/**
 * Tarjan's algorithm, iterative so that a long chain cannot overflow the stack; components come out in no
 * particular order, nodes within them in graph order.
 */
function stronglyConnected(adjacency: Adjacency): Array<Set<string>> {
  const order = new Map([...adjacency.nodes.keys()].map((id, i) => [id, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: Array<Set<string>> = [];
  const open = (id: string): { id: string; next: string[]; at: number } => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    return { id, next: successors(adjacency, id), at: 0 };
  };
  const close = (id: string): void => {
    if (low.get(id) !== index.get(id)) return;
    const members: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      members.push(top);
      if (top === id) break;
    }
    components.push(new Set(members.sort((a, b) => order.get(a)! - order.get(b)!)));
  };
  for (const root of adjacency.nodes.keys()) {
    if (index.has(root)) continue;
    const frames = [open(root)];
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      const next = frame.next[frame.at++];
      if (next === undefined) {
        frames.pop();
        close(frame.id);
        const caller = frames.at(-1);
        if (caller) low.set(caller.id, Math.min(low.get(caller.id)!, low.get(frame.id)!));
      } else if (!index.has(next)) {
        frames.push(open(next));
      } else if (onStack.has(next)) {
        low.set(frame.id, Math.min(low.get(frame.id)!, index.get(next)!));
      }
    }
  }
  return components;
}

/** A shortest cycle through the component's first node, or null when the component is a single node without a self-edge. */
function cycleWithin(adjacency: Adjacency, component: Set<string>): Cycle | null {
  const [first] = component;
  if (first === undefined) return null;
  const cameFrom = new Map<string, string>();
  const queue = [first];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const edge of adjacency.outgoing.get(id) ?? []) {
      if (edge.target === first)
        return { nodeIds: [...pathTo(cameFrom, first, id), first], closingEdge: edge, component };
      if (!component.has(edge.target) || cameFrom.has(edge.target)) continue;
      cameFrom.set(edge.target, id);
      queue.push(edge.target);
    }
  }
  return null;
}

function pathTo(cameFrom: Map<string, string>, from: string, to: string): string[] {
  const path = [to];
  for (let id = to; id !== from; id = cameFrom.get(id)!) path.unshift(cameFrom.get(id)!);
  return path;
}
