import type { BlockType } from '../../../src/model/blocks.ts';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../../../src/model/graph.ts';

/** A canvas node: React Flow's shape, carrying the workflow node in `data.block`. */
export interface FlowNode {
  id: string;
  type: 'block';
  position: { x: number; y: number };
  data: { block: WorkflowNode };
  selected?: boolean;
}
export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  label?: string;
  selected?: boolean;
}
/** Everything of a graph that is not nodes or edges. */
export type GraphMeta = Omit<WorkflowGraph, 'nodes' | 'edges'>;

export interface EditorDoc {
  meta: GraphMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function graphToDoc(graph: WorkflowGraph): EditorDoc {
  const { nodes, edges, ...meta } = graph;
  return {
    meta,
    nodes: nodes.map((block, i) => ({
      id: block.id,
      type: 'block',
      position: block.position ?? { x: i * 220, y: 0 },
      data: { block },
    })),
    edges: (edges ?? []).map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? null,
      label: edge.label ?? edge.sourceHandle,
    })),
  };
}

/** The graph to save: positions rounded, empty optional fields left out so diffs stay quiet. */
export function docToGraph(doc: EditorDoc): WorkflowGraph {
  const nodes: WorkflowNode[] = doc.nodes.map((node) => ({
    ...node.data.block,
    id: node.id,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
  }));
  const edges: WorkflowEdge[] = doc.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}),
  }));
  return { ...doc.meta, nodes, edges };
}

export function newBlockNode(
  id: string,
  type: BlockType,
  name: string,
  position: { x: number; y: number },
  config: Record<string, unknown>,
): FlowNode {
  const block: WorkflowNode = {
    id,
    type,
    name,
    ...(Object.keys(config).length > 0 ? { config: structuredClone(config) } : {}),
  };
  return { id, type: 'block', position, data: { block } };
}

/** Edge ids say what they join, like the examples do. */
export function edgeId(
  source: string,
  sourceHandle: string | null | undefined,
  target: string,
  taken: ReadonlySet<string>,
): string {
  const base = `${source}-${sourceHandle ?? 'next'}-${target}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
