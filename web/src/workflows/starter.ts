import type { WorkflowGraph } from '../lib/types.ts';

/** A new workflow starts with a start block and a response, so it is valid and can be published at once. */
export function starterGraph(name: string): WorkflowGraph {
  return {
    name: name.slice(0, 200),
    nodes: [
      { id: 'start', type: 'start', name: 'Start', position: { x: 0, y: 0 } },
      { id: 'done', type: 'response', name: 'Done', position: { x: 320, y: 0 }, config: { output: { ok: true } } },
    ],
    edges: [{ id: 'start-next-done', source: 'start', target: 'done' }],
  };
}
