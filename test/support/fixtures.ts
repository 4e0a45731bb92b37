import { readFileSync } from 'node:fs';
import type { WorkflowGraph } from '../../src/model/graph.ts';

/** The refund workflow of docs/api.md ("Try it with curl"), as shipped in examples/. */
export function refundGraph(): WorkflowGraph {
  return JSON.parse(
    readFileSync(new URL('../../examples/refund-request.json', import.meta.url), 'utf8'),
  ) as WorkflowGraph;
}

/** The smallest valid workflow: start → response. */
export function tinyGraph(name = 'Tiny'): WorkflowGraph {
  return {
    name,
    nodes: [
      { id: 'start', type: 'start', name: 'Start' },
      { id: 'done', type: 'response', name: 'Done', config: { output: { ok: true } } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  };
}
