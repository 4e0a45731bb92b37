import type { WorkflowGraph } from '../../../src/model/graph.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';
export interface GraphChange {
  kind: ChangeKind;
  what: 'node' | 'edge' | 'workflow';
  id: string;
  detail: string;
}

/** Key order and positions do not count as changes (moving a block is not a new behaviour). */
function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** What changed from `before` to `after`, for the version history's diff view. Pure. */
export function diffGraphs(before: WorkflowGraph, after: WorkflowGraph): GraphChange[] {
  const changes: GraphChange[] = [];
  for (const key of ['name', 'description', 'inputs', 'settings'] as const) {
    if (!same(before[key], after[key]))
      changes.push({ kind: 'changed', what: 'workflow', id: key, detail: `${key} changed` });
  }
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  for (const [id, node] of afterNodes) {
    const old = beforeNodes.get(id);
    if (!old) {
      changes.push({ kind: 'added', what: 'node', id, detail: `${node.type} "${node.name}"` });
      continue;
    }
    const fields = (['type', 'name', 'description', 'config', 'parentId'] as const).filter(
      (k) => !same(old[k], node[k]),
    );
    if (fields.length > 0) changes.push({ kind: 'changed', what: 'node', id, detail: fields.join(', ') });
  }
  for (const [id, node] of beforeNodes)
    if (!afterNodes.has(id)) changes.push({ kind: 'removed', what: 'node', id, detail: `${node.type} "${node.name}"` });
  const edgeKey = (e: WorkflowGraph['edges'][number]) =>
    `${e.source} →${e.sourceHandle ? ` (${e.sourceHandle})` : ''} ${e.target}`;
  const beforeEdges = new Set(before.edges.map(edgeKey));
  const afterEdges = new Set(after.edges.map(edgeKey));
  for (const key of afterEdges)
    if (!beforeEdges.has(key)) changes.push({ kind: 'added', what: 'edge', id: key, detail: key });
  for (const key of beforeEdges)
    if (!afterEdges.has(key)) changes.push({ kind: 'removed', what: 'edge', id: key, detail: key });
  return changes;
}
