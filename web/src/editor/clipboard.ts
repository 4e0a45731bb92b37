import type { FlowEdge, FlowNode } from './flow-model.ts';
import { edgeId } from './flow-model.ts';
import { uniqueId } from './ids.ts';

export interface Clip {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The selected nodes and the edges between them (an edge leaving the selection is not copied). */
export function copySelection(nodes: FlowNode[], edges: FlowEdge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: structuredClone(picked),
    edges: structuredClone(edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
  };
}

/** Copies with fresh ids, shifted so they do not hide the originals; the pasted nodes come selected. */
export function pasteClip(
  clip: Clip,
  nodes: FlowNode[],
  edges: FlowEdge[],
  offset = 40,
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const taken = new Set(nodes.map((n) => n.id));
  const renamed = new Map<string, string>();
  const pasted = clip.nodes.map((node) => {
    const id = uniqueId(node.id, taken);
    taken.add(id);
    renamed.set(node.id, id);
    return {
      ...structuredClone(node),
      id,
      selected: true,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      data: { block: { ...structuredClone(node.data.block), id } },
    };
  });
  const edgeIds = new Set(edges.map((e) => e.id));
  const pastedEdges = clip.edges.map((edge) => {
    const source = renamed.get(edge.source)!;
    const target = renamed.get(edge.target)!;
    const id = edgeId(source, edge.sourceHandle, target, edgeIds);
    edgeIds.add(id);
    return { ...edge, id, source, target, selected: false };
  });
  return {
    nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
    edges: [...edges, ...pastedEdges],
  };
}
