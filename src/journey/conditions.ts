import { blockConfigSchemas, outputHandles } from '../model/blocks.ts';
import type { WorkflowEdge, WorkflowNode } from '../model/graph.ts';
import { listNames } from '../graph/wording.ts';
import { expressionText } from './wording.ts';

export type ConditionResult = { condition: string } | { problem: string };

/** When an edge is taken, in words, or why its handle does not belong to its source. */
export function edgeCondition(source: WorkflowNode, edge: WorkflowEdge): ConditionResult {
  const handle = edge.sourceHandle ?? null;
  const offered = outputHandles(source.type, source.config);
  if (!offered.includes(handle)) {
    const name = handle === null ? 'the plain output' : `"${handle}"`;
    return {
      problem: `${name} is not an output of ${source.type} block "${source.name}" (outputs: ${listNames(offered)})`,
    };
  }
  if (handle === null) return { condition: `after "${source.name}"` };
  if (handle === 'error') return { condition: `if "${source.name}" fails` };
  return { condition: branchCondition(source, handle) };
}

function branchCondition(source: WorkflowNode, handle: string): string {
  switch (source.type) {
    case 'condition': {
      const config = blockConfigSchemas.condition.safeParse(source.config).data;
      const expression = config ? expressionText(config.expression) : `"${source.name}" holds`;
      return handle === 'true' ? `when ${expression}` : `otherwise (not ${expression})`;
    }
    case 'approval':
      return `when ${handle}`;
    default: {
      // Only a router offers other handles: a route's own name, or its default.
      const routes = blockConfigSchemas.router.safeParse(source.config).data?.routes ?? [];
      const route = routes.find((r) => r.name === handle);
      return route ? `when ${expressionText(route.expression)}` : 'when no other route matches';
    }
  }
}
