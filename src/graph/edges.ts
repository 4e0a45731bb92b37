import { blockConfigSchemas, outputHandles } from '../model/blocks.ts';
import type { WorkflowEdge, WorkflowNode } from '../model/graph.ts';
import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { buildAdjacency } from './topology.ts';
import { listNames } from './wording.ts';

/** Edge-level rules: known ends, nothing into start, a valid output handle, no duplicates, no crossing containers. */
export function checkEdges(parts: GraphParts): Problem[] {
  const { nodes } = buildAdjacency(parts.graph);
  const problems: Problem[] = [];
  const firstWithSameWiring = new Map<string, WorkflowEdge>();
  for (const edge of parts.graph.edges) {
    const index = parts.edgeIndex.get(edge)!;
    const report = (code: string, field: string | null, message: string): void => {
      const path = formatPath(field === null ? ['edges', index] : ['edges', index, field]);
      problems.push({ code, path, edgeId: edge.id, message });
    };
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    for (const [field, id, node] of [
      ['source', edge.source, source],
      ['target', edge.target, target],
    ] as const) {
      if (!node && !parts.unreadableIds.has(id)) {
        report(
          'unknown_node',
          field,
          `${field} "${id}" is not a node of this workflow; use one of: ${listNames(nodes.keys())}`,
        );
      }
    }
    if (target?.type === 'start') {
      report(
        'edge_into_start',
        'target',
        `nothing may lead into the start node "${target.id}"; point this edge elsewhere`,
      );
    }
    if (source) checkHandle(edge, source, report);
    if (source && target && source.parentId !== target.parentId) {
      report(
        'cross_container_edge',
        null,
        `edge from "${source.id}" (${placeOf(source)}) to "${target.id}" (${placeOf(target)}) ` +
          'crosses a container boundary; connect nodes that share the same parent, or connect the container itself',
      );
    }
    const wiring = JSON.stringify([edge.source, edge.sourceHandle ?? null, edge.target]);
    const first = firstWithSameWiring.get(wiring);
    if (first) {
      report(
        'duplicate_edge',
        null,
        `edge "${edge.id}" repeats edge "${first.id}" (same source, handle and target); remove one`,
      );
    } else {
      firstWithSameWiring.set(wiring, edge);
    }
  }
  return problems;
}

type Report = (code: string, field: string | null, message: string) => void;

function checkHandle(edge: WorkflowEdge, source: WorkflowNode, report: Report): void {
  const config = source.config ?? {};
  // A router's handles come from its routes: when its config is wrong that is reported already.
  if (!blockConfigSchemas[source.type].safeParse(config).success) return;
  const handles = outputHandles(source.type, config);
  const handle = edge.sourceHandle ?? null;
  if (handles.includes(handle)) return;
  const valid = listNames(handles);
  if (handle === null) {
    report(
      'missing_handle',
      'sourceHandle',
      `edges leaving ${source.type} node "${source.id}" need a sourceHandle: one of ${valid}`,
    );
  } else {
    report(
      'invalid_handle',
      'sourceHandle',
      `${source.type} node "${source.id}" has no output "${handle}"; valid handles are: ${valid}`,
    );
  }
}

function placeOf(node: WorkflowNode): string {
  return node.parentId === undefined ? 'top level' : `inside "${node.parentId}"`;
}
