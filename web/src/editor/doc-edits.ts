import type { WorkflowNode } from '../../../src/model/graph.ts';
import type { EditorDoc, FlowNode } from './flow-model.ts';

/** Small pure edits of the editor document; each returns a new document. */

export function updateBlock(doc: EditorDoc, nodeId: string, update: (block: WorkflowNode) => WorkflowNode): EditorDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, block: update(n.data.block) } } : n)),
  };
}

export function setConfigValue(block: WorkflowNode, key: string, value: unknown): WorkflowNode {
  const config = { ...(block.config ?? {}) };
  if (value === undefined) delete config[key];
  else config[key] = value;
  const { config: _old, ...rest } = block;
  return Object.keys(config).length > 0 ? { ...rest, config } : rest;
}

/** Removes the selected nodes and edges, and every edge touching a removed node. */
export function deleteSelection(doc: EditorDoc): EditorDoc {
  const gone = new Set(doc.nodes.filter((n) => n.selected).map((n) => n.id));
  const edges = doc.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
  if (gone.size === 0 && edges.length === doc.edges.length) return doc;
  return { ...doc, nodes: doc.nodes.filter((n) => !gone.has(n.id)), edges };
}

export function selectOnly(doc: EditorDoc, nodeId: string | null): EditorDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (Boolean(n.selected) === (n.id === nodeId) ? n : { ...n, selected: n.id === nodeId })),
    edges: doc.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  };
}

export function addNode(doc: EditorDoc, node: FlowNode): EditorDoc {
  return { ...selectOnly(doc, null), nodes: [...selectOnly(doc, null).nodes, { ...node, selected: true }] };
}
