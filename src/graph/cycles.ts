import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { buildAdjacency, findCycles } from './topology.ts';

/**
 * A workflow runs forward: a directed cycle is refused, except inside one `loop` container, whose
 * body may repeat.
 */
export function checkCycles(parts: GraphParts): Problem[] {
  const adjacency = buildAdjacency(parts.graph);
  return findCycles(adjacency).flatMap(({ nodeIds, closingEdge, component }) => {
    const parents = new Set([...component].map((id) => adjacency.nodes.get(id)?.parentId));
    const [parentId] = parents;
    if (parents.size === 1 && parentId !== undefined && adjacency.nodes.get(parentId)?.type === 'loop') return [];
    return [
      {
        code: 'cycle',
        path: formatPath(['edges', parts.edgeIndex.get(closingEdge)!]),
        nodeId: nodeIds[0],
        edgeId: closingEdge.id,
        message:
          `these steps wait on each other in a circle: ${nodeIds.join(' → ')}; remove an edge ` +
          `(for example "${closingEdge.id}") or put the repeated steps inside a loop`,
      },
    ];
  });
}
