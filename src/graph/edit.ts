// Pure edits of a workflow graph, as a chat (or any client) asks for them. Each returns a new graph and a
// sentence saying what changed; the caller validates the result before saving it.
import { defaultBlockConfig, outputHandles, type BlockType } from '../model/blocks.ts';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../model/graph.ts';

export class EditError extends Error {}

export interface EditResult {
  graph: WorkflowGraph;
  summary: string;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

const STEP_PX = 220;

export type Edit =
  | { op: 'add'; type: BlockType; name: string; after?: string; before?: string }
  | { op: 'remove'; nodeId: string }
  | { op: 'connect'; from: string; to: string; handle?: string }
  | { op: 'disconnect'; from: string; to: string }
  | { op: 'rename'; nodeId: string; name: string }
  | { op: 'configure'; nodeId: string; key: string; value: unknown }
  | { op: 'move'; nodeId: string; direction: Direction };

export function applyEdit(graph: WorkflowGraph, edit: Edit): EditResult {
  switch (edit.op) {
    case 'add':
      return addBlock(graph, edit);
    case 'remove':
      return removeBlock(graph, edit.nodeId);
    case 'connect':
      return connect(graph, edit.from, edit.to, edit.handle);
    case 'disconnect':
      return disconnect(graph, edit.from, edit.to);
    case 'rename':
      return rename(graph, edit.nodeId, edit.name);
    case 'configure':
      return configure(graph, edit.nodeId, edit.key, edit.value);
    case 'move':
      return move(graph, edit.nodeId, edit.direction);
  }
}

function nodeOf(graph: WorkflowGraph, id: string): WorkflowNode {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) throw new EditError(`there is no step "${id}" in this workflow`);
  return node;
}

/** A node id from a name: `Send invoice` → `send_invoice`, made unique with a number. */
export function idFromName(graph: WorkflowGraph, name: string): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 56) || 'step';
  const start = /^[a-z_]/.test(base) ? base : `step_${base}`;
  const taken = new Set(graph.nodes.map((n) => n.id));
  let id = start;
  for (let i = 2; taken.has(id); i++) id = `${start}_${i}`;
  return id;
}

function edgeId(graph: WorkflowGraph, source: string, target: string): string {
  const taken = new Set(graph.edges.map((e) => e.id));
  let id = `${source}-${target}`;
  for (let i = 2; taken.has(id); i++) id = `${source}-${target}-${i}`;
  return id;
}

/** The output a new link leaves by: the plain one, or a branching block's first branch (true, approved…). */
function mainHandle(node: WorkflowNode): string | undefined {
  const handles = outputHandles(node.type, node.config);
  return handles.includes(null) ? undefined : (handles[0] ?? undefined);
}

function plainOut(graph: WorkflowGraph, id: string): WorkflowEdge[] {
  return graph.edges.filter((e) => e.source === id && e.sourceHandle === undefined);
}

/** Where a new block goes when the message did not say: before the response, else after the one last step. */
function defaultAnchor(graph: WorkflowGraph): { after?: string; before?: string } {
  const response = graph.nodes.find((n) => n.type === 'response' && n.parentId === undefined);
  if (response) return { before: response.id };
  const sinks = graph.nodes.filter((n) => n.parentId === undefined && !graph.edges.some((e) => e.source === n.id));
  if (sinks.length === 1) return { after: sinks[0]!.id };
  throw new EditError(`say where it goes, e.g. "after ${sinks[0]?.name ?? 'Start'}"`);
}

function addBlock(graph: WorkflowGraph, edit: Extract<Edit, { op: 'add' }>): EditResult {
  if (edit.type === 'start') throw new EditError('a workflow has exactly one start block; it cannot get another');
  const anchor = edit.after || edit.before ? { after: edit.after, before: edit.before } : defaultAnchor(graph);
  const id = idFromName(graph, edit.name);
  const ref = nodeOf(graph, (anchor.after ?? anchor.before)!);
  const at = ref.position ?? { x: 0, y: 0 };
  const node: WorkflowNode = {
    id,
    type: edit.type,
    name: edit.name,
    position: { x: at.x + (anchor.after ? STEP_PX : -STEP_PX), y: at.y + STEP_PX / 2 },
    ...(ref.parentId ? { parentId: ref.parentId } : {}),
    config: defaultBlockConfig(edit.type),
  };
  let edges = [...graph.edges];
  // A response ends its branch: nothing continues after it.
  const leadsOn = edit.type !== 'response';
  const link = (source: string, target: string, handle?: string): WorkflowEdge => ({
    id: edgeId({ ...graph, edges }, source, target),
    source,
    target,
    ...(handle ? { sourceHandle: handle } : {}),
  });
  if (anchor.after && anchor.before) {
    // "between A and B": replace A→B with A→new→B.
    const direct = edges.filter((e) => e.source === anchor.after && e.target === anchor.before);
    edges = edges.filter((e) => !direct.includes(e));
    edges.push(link(anchor.after, id, direct[0]?.sourceHandle));
    if (leadsOn) edges.push(link(id, anchor.before, mainHandle(node)));
  } else if (anchor.after) {
    // Insert into the plain "next" path of the anchor so the flow stays one line.
    const next = plainOut({ ...graph, edges }, anchor.after);
    edges = edges.filter((e) => !next.includes(e));
    edges.push(link(anchor.after, id, mainHandle(ref)));
    if (leadsOn) for (const e of next) edges.push(link(id, e.target, mainHandle(node)));
  } else {
    const into = edges.filter((e) => e.target === anchor.before);
    edges = edges.filter((e) => !into.includes(e));
    for (const e of into) edges.push({ ...link(e.source, id, e.sourceHandle), ...(e.label ? { label: e.label } : {}) });
    if (leadsOn) edges.push(link(id, anchor.before!, mainHandle(node)));
  }
  const where =
    anchor.after && anchor.before
      ? `between "${nodeOf(graph, anchor.after).name}" and "${nodeOf(graph, anchor.before).name}"`
      : anchor.after
        ? `after "${ref.name}"`
        : `before "${ref.name}"`;
  return {
    graph: { ...graph, nodes: [...graph.nodes, node], edges },
    summary: `added ${edit.type} block "${edit.name}" (${id}) ${where}`,
  };
}

function removeBlock(graph: WorkflowGraph, nodeId: string): EditResult {
  const node = nodeOf(graph, nodeId);
  if (node.type === 'start') throw new EditError('the start block cannot be removed');
  const gone = new Set([nodeId, ...graph.nodes.filter((n) => n.parentId === nodeId).map((n) => n.id)]);
  const into = graph.edges.filter((e) => e.target === nodeId && !gone.has(e.source));
  const out = plainOut(graph, nodeId).filter((e) => !gone.has(e.target));
  const edges = graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  // Keep the flow joined: a single way in is linked to where the removed block led.
  if (into.length === 1) {
    for (const e of out) {
      if (
        !edges.some(
          (x) => x.source === into[0]!.source && x.target === e.target && x.sourceHandle === into[0]!.sourceHandle,
        )
      ) {
        edges.push({
          id: edgeId({ ...graph, edges }, into[0]!.source, e.target),
          source: into[0]!.source,
          target: e.target,
          ...(into[0]!.sourceHandle ? { sourceHandle: into[0]!.sourceHandle } : {}),
        });
      }
    }
  }
  const children = gone.size - 1;
  return {
    graph: { ...graph, nodes: graph.nodes.filter((n) => !gone.has(n.id)), edges },
    summary: `removed "${node.name}"${children ? ` and the ${children} step(s) inside it` : ''}`,
  };
}

function connect(graph: WorkflowGraph, from: string, to: string, handle?: string): EditResult {
  const source = nodeOf(graph, from);
  const target = nodeOf(graph, to);
  const handles = outputHandles(source.type, source.config);
  if (handle !== undefined && !handles.includes(handle)) {
    throw new EditError(
      `"${source.name}" has no "${handle}" output; it has: ${handles.map((h) => h ?? 'next').join(', ')}`,
    );
  }
  // A plain block connects with its plain output; a branching one with its first unused branch.
  const used = new Set(graph.edges.filter((e) => e.source === from).map((e) => e.sourceHandle ?? null));
  const chosen =
    handle ?? (handles.includes(null) ? null : (handles.find((h) => h !== 'error' && !used.has(h)) ?? null));
  if (chosen === null && !handles.includes(null))
    throw new EditError(`say which output of "${source.name}" to use: ${handles.join(', ')}`);
  if (graph.edges.some((e) => e.source === from && e.target === to && (e.sourceHandle ?? null) === chosen)) {
    throw new EditError(`"${source.name}" already leads to "${target.name}"`);
  }
  const edge: WorkflowEdge = {
    id: edgeId(graph, from, to),
    source: from,
    target: to,
    ...(chosen ? { sourceHandle: chosen } : {}),
  };
  return {
    graph: { ...graph, edges: [...graph.edges, edge] },
    summary: `connected "${source.name}"${chosen ? ` (${chosen})` : ''} to "${target.name}"`,
  };
}

function disconnect(graph: WorkflowGraph, from: string, to: string): EditResult {
  const source = nodeOf(graph, from);
  const target = nodeOf(graph, to);
  const between = (e: WorkflowEdge) => (e.source === from && e.target === to) || (e.source === to && e.target === from);
  if (!graph.edges.some(between)) throw new EditError(`"${source.name}" and "${target.name}" are not connected`);
  return {
    graph: { ...graph, edges: graph.edges.filter((e) => !between(e)) },
    summary: `disconnected "${source.name}" from "${target.name}"`,
  };
}

function rename(graph: WorkflowGraph, nodeId: string, name: string): EditResult {
  const node = nodeOf(graph, nodeId);
  const clean = name.trim().slice(0, 200);
  if (!clean) throw new EditError('say the new name, e.g. "rename fetch to Get order"');
  return {
    graph: { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, name: clean } : n)) },
    summary: `renamed "${node.name}" to "${clean}"`,
  };
}

function configure(graph: WorkflowGraph, nodeId: string, key: string, value: unknown): EditResult {
  const node = nodeOf(graph, nodeId);
  const config = { ...node.config };
  const path = key.split('.');
  let target: Record<string, unknown> = config;
  for (const part of path.slice(0, -1)) {
    const inner = target[part];
    target[part] =
      inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : {};
    target = target[part] as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
  return {
    graph: { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, config } : n)) },
    summary: `set ${key} of "${node.name}" to ${JSON.stringify(value)}`,
  };
}

function move(graph: WorkflowGraph, nodeId: string, direction: Direction): EditResult {
  const node = nodeOf(graph, nodeId);
  const at = node.position ?? { x: 0, y: 0 };
  const delta = { left: [-STEP_PX, 0], right: [STEP_PX, 0], up: [0, -STEP_PX / 2], down: [0, STEP_PX / 2] }[direction];
  const position = { x: at.x + delta[0]!, y: at.y + delta[1]! };
  return {
    graph: { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, position } : n)) },
    summary: `moved "${node.name}" ${direction}`,
  };
}
