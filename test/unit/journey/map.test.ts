import { describe, expect, it } from 'vitest';
import { mapJourney } from '../../../src/journey/map.ts';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../../../src/model/graph.ts';

const start: WorkflowNode = { id: 'start', type: 'start', name: 'Start' };
const graphOf = (nodes: WorkflowNode[], edges: WorkflowEdge[] = []): WorkflowGraph => ({
  name: 'Test',
  nodes: [start, ...nodes],
  edges,
});
const stateOf = (node: WorkflowNode) => mapJourney(graphOf([node])).states.find((s) => s.id === node.id)!;

describe('states', () => {
  it.each<[WorkflowNode, string, string]>([
    [{ id: 'f', type: 'function', name: 'F', config: { code: 'return 1' } }, 'tool', 'Runs a JavaScript function'],
    [
      { id: 'h', type: 'http', name: 'H', config: { method: 'POST', url: 'https://x.test/a' } },
      'tool',
      'Calls POST https://x.test/a',
    ],
    [{ id: 'h', type: 'http', name: 'H', config: { url: 'https://x.test/a' } }, 'tool', 'Calls GET https://x.test/a'],
    [
      { id: 'c', type: 'condition', name: 'C', config: { expression: '{{ input.n > 1 }}' } },
      'fork',
      'Decides: input.n > 1',
    ],
    [
      {
        id: 'r',
        type: 'router',
        name: 'R',
        config: { routes: [{ name: 'gold', expression: 'input.tier = "gold"' }], default: 'other' },
      },
      'fork',
      'Chooses a route: gold, other',
    ],
    [
      { id: 'r', type: 'router', name: 'R', config: { routes: [{ name: 'gold', expression: 'x' }] } },
      'fork',
      'Chooses a route: gold, default',
    ],
    [{ id: 'w', type: 'wait', name: 'W', config: { durationMs: 300_000 } }, 'tool', 'Waits 5 minutes'],
    [
      { id: 'w', type: 'wait', name: 'W', config: { durationMs: 90_061_000 } },
      'tool',
      'Waits 1 day 1 hour 1 minute 1 second',
    ],
    [{ id: 'w', type: 'wait', name: 'W', config: { durationMs: 500 } }, 'tool', 'Waits 500 milliseconds'],
    [
      { id: 'w', type: 'wait', name: 'W', config: { until: '2030-01-01T00:00:00Z' } },
      'tool',
      'Waits until 2030-01-01T00:00:00Z',
    ],
    [{ id: 'l', type: 'loop', name: 'L', config: { items: 'input.list' } }, 'tool', 'For each item of input.list'],
    [{ id: 'p', type: 'parallel', name: 'P', config: {} }, 'tool', 'Runs branches in parallel'],
    [{ id: 's', type: 'subworkflow', name: 'S', config: { workflowId: 'billing' } }, 'tool', 'Runs workflow billing'],
    [
      { id: 's', type: 'subworkflow', name: 'S', config: { workflowId: 'billing', version: 2 } },
      'tool',
      'Runs workflow billing (version 2)',
    ],
    [{ id: 'd', type: 'response', name: 'D', config: { output: 1 } }, 'final', 'Replies with the result'],
  ])('%# %o', (node, kind, description) => {
    expect(stateOf(node)).toMatchObject({
      id: node.id,
      nodeId: node.id,
      kind,
      blockType: node.type,
      label: node.name,
      description,
    });
  });

  it('maps start to the initial state and lists the workflow inputs', () => {
    const graph = {
      ...graphOf([]),
      inputs: {
        type: 'object' as const,
        properties: { orderId: { type: 'string' as const, description: 'Order number' } },
      },
    };
    expect(mapJourney(graph).states[0]).toMatchObject({
      kind: 'initial',
      description: 'Starts the workflow with: Order number',
    });
    expect(mapJourney(graphOf([])).states[0]!.description).toBe('Starts the workflow');
  });

  it('describes an input step by its fields, with the raw prompt', () => {
    const state = stateOf({
      id: 'ask',
      type: 'input',
      name: 'Ask',
      config: {
        prompt: 'Details for {{input.name}}',
        schema: {
          type: 'object',
          required: ['startDate'],
          properties: {
            startDate: { type: 'string', description: 'start date' },
            laptop: { type: 'string', enum: ['mac', 'linux'] },
            office_floor: { type: 'integer' },
          },
        },
      },
    });
    expect(state).toMatchObject({
      kind: 'chat',
      description: 'Asks for: start date, laptop, office floor',
      prompt: 'Details for {{input.name}}',
    });
    expect(state.fields).toEqual([
      { name: 'startDate', type: 'string', description: 'start date', required: true },
      { name: 'laptop', type: 'string', description: 'laptop', required: false, enum: ['mac', 'linux'] },
      { name: 'office_floor', type: 'integer', description: 'office floor', required: false },
    ]);
  });

  it('describes approval and agent steps with their prompts', () => {
    expect(
      stateOf({ id: 'a', type: 'approval', name: 'A', config: { prompt: 'Refund {{input.amount}}?' } }),
    ).toMatchObject({
      kind: 'chat',
      description: 'Asks for approval: Refund {{input.amount}}?',
      prompt: 'Refund {{input.amount}}?',
    });
    const long = `Summarise ${'the ticket '.repeat(20)}`;
    const agent = stateOf({ id: 'g', type: 'agent', name: 'G', config: { prompt: long } });
    expect(agent).toMatchObject({ kind: 'tool', prompt: long });
    expect(agent.description).toMatch(/^Asks the AI: Summarise the ticket .*…$/);
    expect(agent.description.length).toBeLessThan(100);
  });

  it('still maps a node whose config is incomplete', () => {
    expect(stateOf({ id: 'h', type: 'http', name: 'Call', config: {} })).toMatchObject({
      kind: 'tool',
      description: 'Call (a http step whose configuration is incomplete)',
    });
  });

  it('marks top-level states without a way out as terminal', () => {
    const journey = mapJourney(
      graphOf(
        [
          { id: 'f', type: 'function', name: 'F', config: { code: '1' } },
          { id: 'd', type: 'response', name: 'D', config: { output: 1 } },
        ],
        [
          { id: 'e1', source: 'start', target: 'f' },
          { id: 'e2', source: 'start', target: 'd' },
        ],
      ),
    );
    expect(journey.states.map((s) => [s.id, s.terminal])).toEqual([
      ['start', false],
      ['f', true],
      ['d', true],
    ]);
  });
});

describe('transitions', () => {
  const fns = ['a', 'b', 'c'].map((id): WorkflowNode => ({
    id,
    type: 'function',
    name: id.toUpperCase(),
    config: { code: '1' },
  }));
  const conditionOf = (node: WorkflowNode, handle?: string) => {
    const edge: WorkflowEdge = { id: 'x', source: node.id, target: 'a', ...(handle ? { sourceHandle: handle } : {}) };
    const journey = mapJourney(graphOf([node, ...fns.filter((f) => f.id !== node.id)], [edge]));
    expect(journey.report.unmapped).toEqual([]);
    return journey.transitions[0]!;
  };
  const condition: WorkflowNode = {
    id: 'big',
    type: 'condition',
    name: 'Big?',
    config: { expression: 'input.n > 10' },
  };
  const router: WorkflowNode = {
    id: 'tier',
    type: 'router',
    name: 'Tier',
    config: { routes: [{ name: 'gold', expression: "{{ input.tier = 'gold' }}" }], default: 'other' },
  };
  const approval: WorkflowNode = { id: 'ok', type: 'approval', name: 'OK?', config: { prompt: 'OK?' } };

  it.each<[WorkflowNode, string | undefined, string]>([
    [condition, 'true', 'when input.n > 10'],
    [condition, 'false', 'otherwise (not input.n > 10)'],
    [router, 'gold', "when input.tier = 'gold'"],
    [router, 'other', 'when no other route matches'],
    [approval, 'approved', 'when approved'],
    [approval, 'rejected', 'when rejected'],
    [fns[1]!, 'error', 'if "B" fails'],
    [fns[1]!, undefined, 'after "B"'],
  ])('%# %s handle %s', (node, handle, text) => {
    expect(conditionOf(node, handle)).toEqual({
      id: 'x',
      from: node.id,
      to: 'a',
      handle: handle ?? null,
      condition: text,
    });
  });

  it('enters each child a sibling does not lead to, from its container', () => {
    const journey = mapJourney(
      graphOf(
        [
          { id: 'each', type: 'loop', name: 'Each', config: { items: 'input.list' } },
          { id: 'one', type: 'function', name: 'One', parentId: 'each', config: { code: '1' } },
          { id: 'two', type: 'function', name: 'Two', parentId: 'each', config: { code: '1' } },
          { id: 'both', type: 'parallel', name: 'Both', config: {} },
          { id: 'left', type: 'function', name: 'Left', parentId: 'both', config: { code: '1' } },
          { id: 'right', type: 'function', name: 'Right', parentId: 'both', config: { code: '1' } },
        ],
        [
          { id: 'e1', source: 'start', target: 'each' },
          { id: 'e2', source: 'one', target: 'two' },
          { id: 'e3', source: 'each', target: 'both' },
        ],
      ),
    );
    expect(journey.transitions.filter((t) => t.implicit)).toEqual([
      { id: 'each->one', from: 'each', to: 'one', handle: null, condition: 'for each item', implicit: true },
      { id: 'both->left', from: 'both', to: 'left', handle: null, condition: 'in parallel', implicit: true },
      { id: 'both->right', from: 'both', to: 'right', handle: null, condition: 'in parallel', implicit: true },
    ]);
    expect(journey.states.find((s) => s.id === 'two')).toMatchObject({ parentId: 'each', terminal: false });
    expect(journey.states.find((s) => s.id === 'both')!.terminal).toBe(true);
    expect(journey.report).toEqual({ mappedNodes: 7, mappedEdges: 3, unmapped: [] });
  });
});

describe('report', () => {
  it('maps what it can from a broken graph and says what it could not', () => {
    const graph = graphOf(
      [
        { id: 'f', type: 'function', name: 'F', config: { code: '1' } },
        { id: 'f', type: 'function', name: 'Again', config: { code: '1' } },
        { id: 'odd', type: 'teleport' as never, name: 'Odd' },
        { id: 'lost', type: 'function', name: 'Lost', parentId: 'f', config: { code: '1' } },
      ],
      [
        { id: 'e1', source: 'start', target: 'f' },
        { id: 'e2', source: 'f', target: 'nowhere' },
        { id: 'e3', source: 'f', target: 'odd' },
        { id: 'e1', source: 'start', target: 'f' },
        { id: 'e4', source: 'f', sourceHandle: 'true', target: 'start' },
      ],
    );
    const journey = mapJourney(graph);
    expect(journey.states.map((s) => s.id)).toEqual(['start', 'f']);
    expect(journey.transitions.map((t) => t.id)).toEqual(['e1']);
    expect(journey.report.mappedNodes).toBe(2);
    expect(journey.report.mappedEdges).toBe(1);
    expect(journey.report.unmapped).toEqual([
      { kind: 'node', id: 'f', reason: 'another node already has this id' },
      { kind: 'node', id: 'odd', reason: 'unknown block type "teleport"' },
      { kind: 'node', id: 'lost', reason: 'its parent "f" is a function block, not a loop or parallel' },
      { kind: 'edge', id: 'e2', reason: 'its target "nowhere" is not a mapped node' },
      { kind: 'edge', id: 'e3', reason: 'its target "odd" is not a mapped node' },
      { kind: 'edge', id: 'e1', reason: 'another edge already has this id' },
      { kind: 'edge', id: 'e4', reason: '"true" is not an output of function block "F" (outputs: (no handle), error)' },
    ]);
  });
});
