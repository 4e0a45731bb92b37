import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowNode } from './flow-model.ts';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 72;

/** Left-to-right layered layout (dagre); returns nodes with new positions, edges untouched. */
export function autoLayout<N extends { id: string; position: { x: number; y: number } }>(nodes: N[], edges: Pick<FlowEdge, 'source' | 'target'>[]): N[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    return placed ? { ...node, position: { x: Math.round(placed.x - NODE_WIDTH / 2), y: Math.round(placed.y - NODE_HEIGHT / 2) } } : node;
  });
}

/** A graph from a file or the chat may have no positions at all; lay those out once. */
export function needsLayout(nodes: FlowNode[]): boolean {
  return nodes.length > 1 && nodes.every((n) => !n.data.block.position);
}
