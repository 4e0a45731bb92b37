import dagre from '@dagrejs/dagre';
import type { FlowEdge } from './flow-model.ts';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 72;

/** Left-to-right layered layout (dagre); returns nodes with new positions, edges untouched. */
export function autoLayout<N extends { id: string; position: { x: number; y: number } }>(
  nodes: N[],
  edges: Pick<FlowEdge, 'source' | 'target'>[],
): N[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges)
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    return placed
      ? { ...node, position: { x: Math.round(placed.x - NODE_WIDTH / 2), y: Math.round(placed.y - NODE_HEIGHT / 2) } }
      : node;
  });
}

const GAP_X = 60;
const GAP_Y = 30;

/**
 * Gives positions to the nodes a graph left without one (a block added by chat, a hand-written file) and keeps
 * everyone else where they are: after the block that leads into it, else right of everything, moved down until
 * it overlaps nothing. `placed` says which nodes had a position.
 */
export function placeMissing<N extends { id: string; position: { x: number; y: number } }>(
  nodes: N[],
  edges: Pick<FlowEdge, 'source' | 'target'>[],
  placed: (node: N) => boolean,
): N[] {
  const fixed = nodes.filter(placed);
  if (fixed.length === nodes.length) return nodes;
  if (fixed.length === 0) return autoLayout(nodes, edges);
  const taken = fixed.map((n) => n.position);
  const byId = new Map(fixed.map((n) => [n.id, n]));
  const rightmost = Math.max(...taken.map((p) => p.x));
  const overlaps = (p: { x: number; y: number }) =>
    taken.some((t) => Math.abs(t.x - p.x) < NODE_WIDTH && Math.abs(t.y - p.y) < NODE_HEIGHT);
  return nodes.map((node) => {
    if (placed(node)) return node;
    const from = edges.map((e) => (e.target === node.id ? byId.get(e.source) : undefined)).find(Boolean);
    const position = from
      ? { x: from.position.x + NODE_WIDTH + GAP_X, y: from.position.y }
      : { x: rightmost + NODE_WIDTH + GAP_X, y: fixed[0]!.position.y };
    while (overlaps(position)) position.y += NODE_HEIGHT + GAP_Y;
    taken.push(position);
    const moved = { ...node, position };
    byId.set(node.id, moved);
    return moved;
  });
}
