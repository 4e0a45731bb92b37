import { describe, expect, it } from 'vitest';
import { mapJourney } from '../../../src/journey/map.ts';
import { toMermaid } from '../../../src/journey/mermaid.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';

describe('toMermaid', () => {
  it('draws states, transitions, ends and containers', () => {
    const graph: WorkflowGraph = {
      name: 'Small',
      nodes: [
        { id: 'start', type: 'start', name: 'Start' },
        { id: 'ok', type: 'condition', name: 'Say "yes"?', config: { expression: 'input.ok; true' } },
        { id: 'each', type: 'loop', name: 'Each\nitem', config: { items: 'input.list' } },
        { id: 'work', type: 'function', name: 'Work', parentId: 'each', config: { code: '1' } },
        { id: 'done', type: 'response', name: 'Done', config: { output: 1 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'ok' },
        { id: 'e2', source: 'ok', sourceHandle: 'true', target: 'each' },
        { id: 'e3', source: 'ok', sourceHandle: 'false', target: 'done' },
        { id: 'e4', source: 'each', target: 'done' },
      ],
    };
    expect(toMermaid(mapJourney(graph))).toBe(
      [
        'stateDiagram-v2',
        '  state "Start" as start',
        '  start : Starts the workflow',
        '  state "Say #quot;yes#quot;?" as ok',
        '  ok : Decides: input.ok#59; true',
        '  state "Each item" as each',
        '  each : For each item of input.list',
        '  state each {',
        '    state "Work" as work',
        '    work : Runs a JavaScript function',
        '    [*] --> work : for each item',
        '    work --> [*]',
        '  }',
        '  state "Done" as done',
        '  done : Replies with the result',
        '  [*] --> start',
        '  start --> ok : after #quot;Start#quot;',
        '  ok --> each : when input.ok#59; true',
        '  ok --> done : otherwise (not input.ok#59; true)',
        '  each --> done : after #quot;Each item#quot;',
        '  done --> [*]',
        '',
      ].join('\n'),
    );
  });

  it('ends a terminal state that is not a response', () => {
    const text = toMermaid(
      mapJourney({
        name: 'Dead end',
        nodes: [
          { id: 'start', type: 'start', name: 'Start' },
          { id: 'f', type: 'function', name: 'F', config: { code: '1' } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'f' }],
      }),
    );
    expect(text).toContain('\n  f --> [*]\n');
    expect(text).not.toContain('start --> [*]');
  });
});
