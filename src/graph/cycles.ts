import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { buildAdjacency, findCycles } from './topology.ts';

/**
 * A workflow runs forward: a directed cycle is refused anywhere, inside a loop body too. A loop repeats its whole
 * body once per item by itself; steps in a circle inside it would wait on each other and never start.
 */
export function checkCycles(parts: GraphParts): Problem[] {
  const adjacency = buildAdjacency(parts.graph);
  return findCycles(adjacency).map(({ nodeIds, closingEdge, component }) => {
    const parents = new Set([...component].map((id) => adjacency.nodes.get(id)?.parentId));
    const [parentId] = parents;
    const loop = parents.size === 1 && parentId !== undefined && adjacency.nodes.get(parentId)?.type === 'loop';
    const fix = loop
      ? `the loop "${parentId}" already runs its body once per item, so remove an edge (for example "${closingEdge.id}")`
      : `remove an edge (for example "${closingEdge.id}") or put the repeated steps inside a loop`;
    return {
      code: 'cycle',
      path: formatPath(['edges', parts.edgeIndex.get(closingEdge)!]),
      nodeId: nodeIds[0],
      edgeId: closingEdge.id,
      message: `these steps wait on each other in a circle and could never start: ${nodeIds.join(' → ')}; ${fix}`,
    };
  });
}
