import { describe, expect, it } from 'vitest';
import { knowledgeReferences } from '../../../src/graph/knowledge-refs.ts';
import { mapJourney } from '../../../src/journey/map.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';

const graph = {
  name: 'Ask the handbook',
  nodes: [
    { id: 'start', type: 'start', name: 'Start' },
    {
      id: 'lookup',
      type: 'knowledge',
      name: 'Lookup',
      config: { knowledgeBaseId: 'kb-1', query: '{{input.question}}' },
    },
    { id: 'ai', type: 'agent', name: 'Answer', config: { prompt: 'Answer', knowledgeBaseId: 'kb-2' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'lookup' },
    { id: 'e2', source: 'lookup', target: 'ai' },
  ],
} as WorkflowGraph;

describe('knowledge steps in the journey', () => {
  it('say which knowledge base they look up, and for what, by name when it is known', () => {
    const lookup = (names = {}) => mapJourney(graph, names).states.find((s) => s.id === 'lookup');
    expect(lookup({ knowledgeBases: { 'kb-1': 'Handbook' } })).toMatchObject({
      kind: 'tool',
      description: 'Looks up Handbook for input.question',
    });
    expect(lookup()?.description).toBe('Looks up kb-1 for input.question');
  });

  it('finds every knowledge base a graph names, with where', () => {
    expect(knowledgeReferences(graph)).toEqual([
      { nodeId: 'lookup', path: 'nodes[1].config.knowledgeBaseId', knowledgeBaseId: 'kb-1' },
      { nodeId: 'ai', path: 'nodes[2].config.knowledgeBaseId', knowledgeBaseId: 'kb-2' },
    ]);
  });
});
