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

/**
 * start → n1 → … → n<count-1>: http steps each reading the step before and the start in a template, the shape whose
 * validation used to grow with the square of its length.
 */
export function chainGraph(count: number): WorkflowGraph {
  const nodes: WorkflowGraph['nodes'] = [{ id: 'start', type: 'start', name: 'Start' }];
  const edges: WorkflowGraph['edges'] = [];
  for (let i = 1; i < count; i++) {
    const previous = i === 1 ? 'start' : `n${i - 1}`;
    nodes.push({
      id: `n${i}`,
      type: 'http',
      name: `Step ${i}`,
      config: { url: `https://example.com/{{ steps.${previous}.output }}?from={{ steps.start.output }}` },
    });
    edges.push({ id: `e${i}`, source: previous, target: `n${i}` });
  }
  return { name: `Chain of ${count}`, nodes, edges };
}
