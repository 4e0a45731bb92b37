import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapJourney } from '../../../src/journey/map.ts';
import { toMermaid } from '../../../src/journey/mermaid.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';

const dir = new URL('../../../examples/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('journeys of examples/', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s maps with no loss', (file) => {
    const graph = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as WorkflowGraph;
    const journey = mapJourney(graph);
    expect(journey.report.unmapped).toEqual([]);
    expect(journey.states.length).toBe(graph.nodes.length);
    expect(journey.states.map((s) => s.nodeId)).toEqual(graph.nodes.map((n) => n.id));
    expect(journey.report).toMatchObject({ mappedNodes: graph.nodes.length, mappedEdges: graph.edges.length });
    for (const edge of graph.edges) {
      expect(journey.transitions).toContainEqual(
        expect.objectContaining({ id: edge.id, from: edge.source, to: edge.target }),
      );
    }
    // Every state is reachable from the start, edges and container entries included.
    const reached = new Set(journey.states.filter((s) => s.kind === 'initial').map((s) => s.id));
    for (let grew = true; grew;) {
      grew = false;
      for (const t of journey.transitions)
        if (reached.has(t.from) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
    }
    expect([...reached].sort()).toEqual(journey.states.map((s) => s.id).sort());
    expect(journey.states.every((s) => s.description.length > 0)).toBe(true);
    expect(toMermaid(journey)).toBe(toMermaid(mapJourney(graph)));
  });
});
