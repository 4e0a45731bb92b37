import { CONTAINER_TYPES } from '../model/blocks.ts';
import type { WorkflowNode } from '../model/graph.ts';
import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { listNames } from './wording.ts';

/** Node-level rules: one start, unique ids, valid containers, known pause points. */
export function checkNodes(parts: GraphParts): Problem[] {
  return [...checkStart(parts), ...checkDuplicateIds(parts), ...checkParents(parts), ...checkPausePoints(parts)];
}

function at(parts: GraphParts, node: WorkflowNode, ...rest: PropertyKey[]): string {
  return formatPath(['nodes', parts.nodeIndex.get(node)!, ...rest]);
}

function checkStart(parts: GraphParts): Problem[] {
  const starts = parts.graph.nodes.filter((n) => n.type === 'start');
  const problems: Problem[] = [];
  if (starts.length === 0) {
    problems.push({
      code: 'missing_start',
      path: 'nodes',
      message: 'add a node of type "start": every workflow begins at one',
    });
  }
  for (const extra of starts.slice(1)) {
    problems.push({
      code: 'multiple_starts',
      path: at(parts, extra),
      nodeId: extra.id,
      message: `a workflow has exactly one start node, but "${extra.id}" is another besides "${starts[0]!.id}"; remove it or change its type`,
    });
  }
  for (const start of starts) {
    if (start.parentId === undefined) continue;
    problems.push({
      code: 'start_in_container',
      path: at(parts, start, 'parentId'),
      nodeId: start.id,
      message: `start node "${start.id}" cannot sit inside container "${start.parentId}"; remove its parentId`,
    });
  }
  return problems;
}

function checkDuplicateIds(parts: GraphParts): Problem[] {
  const problems: Problem[] = [];
  const seenNodes = new Set<string>();
  for (const node of parts.graph.nodes) {
    if (seenNodes.has(node.id)) {
      problems.push({
        code: 'duplicate_node',
        path: at(parts, node, 'id'),
        nodeId: node.id,
        message: `node id "${node.id}" is used more than once; give each node its own id`,
      });
    }
    seenNodes.add(node.id);
  }
  const seenEdges = new Set<string>();
  for (const edge of parts.graph.edges) {
    if (seenEdges.has(edge.id)) {
      problems.push({
        code: 'duplicate_edge_id',
        path: formatPath(['edges', parts.edgeIndex.get(edge)!, 'id']),
        edgeId: edge.id,
        message: `edge id "${edge.id}" is used more than once; give each edge its own id`,
      });
    }
    seenEdges.add(edge.id);
  }
  return problems;
}

/** `parentId` must name a container, and following parents must not come back to the same node. */
function checkParents(parts: GraphParts): Problem[] {
  const byId = new Map<string, WorkflowNode>();
  for (const node of parts.graph.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const problems: Problem[] = [];
  for (const node of parts.graph.nodes) {
    if (node.parentId === undefined) continue;
    const parent = byId.get(node.parentId);
    const path = at(parts, node, 'parentId');
    if (!parent) {
      if (parts.unreadableIds.has(node.parentId)) continue;
      problems.push({
        code: 'unknown_parent',
        path,
        nodeId: node.id,
        message: `parentId "${node.parentId}" is not a node of this workflow`,
      });
    } else if (!CONTAINER_TYPES.has(parent.type)) {
      problems.push({
        code: 'parent_not_container',
        path,
        nodeId: node.id,
        message: `parentId "${node.parentId}" is a ${parent.type} node; only ${[...CONTAINER_TYPES].join(' and ')} nodes can hold children`,
      });
    } else if (insideItself(node, byId)) {
      problems.push({
        code: 'parent_cycle',
        path,
        nodeId: node.id,
        message: `"${node.id}" ends up inside itself through parentId; containers cannot contain each other in a circle`,
      });
    }
  }
  return problems;
}

function insideItself(node: WorkflowNode, byId: Map<string, WorkflowNode>): boolean {
  const seen = new Set<string>();
  for (let id = node.parentId; id !== undefined; id = byId.get(id)?.parentId) {
    if (id === node.id) return true;
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return false;
}

function checkPausePoints(parts: GraphParts): Problem[] {
  const ids = new Set(parts.graph.nodes.map((n) => n.id));
  return (parts.graph.settings?.pausePoints ?? []).flatMap((id, i) => {
    if (ids.has(id) || parts.unreadableIds.has(id)) return [];
    return [
      {
        code: 'unknown_pause_point',
        path: formatPath(['settings', 'pausePoints', i]),
        message: `pause point "${id}" is not a node of this workflow; use one of: ${listNames(ids)}`,
      },
    ];
  });
}
