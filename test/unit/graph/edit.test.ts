import { describe, expect, it } from 'vitest';
import { applyEdit, EditError, idFromName } from '../../../src/graph/edit.ts';
import { validateGraph } from '../../../src/graph/validate.ts';
import { BLOCK_TYPES, defaultBlockConfig } from '../../../src/model/blocks.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';
import { refundGraph, tinyGraph } from '../../support/fixtures.ts';

function valid(graph: WorkflowGraph): WorkflowGraph {
  const result = validateGraph(graph, { maxRetryAttempts: 3 });
  expect(result.problems).toEqual([]);
  return result.graph!;
}

const wiring = (g: WorkflowGraph) =>
  g.edges.map((e) => `${e.source}${e.sourceHandle ? `:${e.sourceHandle}` : ''}>${e.target}`).sort();

describe('applyEdit', () => {
  it('adds every block type with a starter config the validator accepts', () => {
    for (const type of BLOCK_TYPES.filter((t) => t !== 'start' && t !== 'response')) {
      const { graph } = applyEdit(tinyGraph(), { op: 'add', type, name: `My ${type}` });
      valid(graph);
      expect(graph.nodes.at(-1)).toMatchObject({ id: `my_${type}`, type, config: defaultBlockConfig(type) });
    }
  });

  it('inserts a new block into the line before the response by default', () => {
    const { graph, summary } = applyEdit(tinyGraph(), { op: 'add', type: 'function', name: 'Notify' });
    expect(wiring(valid(graph))).toEqual(['notify>done', 'start>notify']);
    expect(summary).toBe('added function block "Notify" (notify) before "Done"');
  });

  it('inserts after a step, taking over where it led, and leaves a branching block by its first branch', () => {
    const { graph } = applyEdit(refundGraph(), { op: 'add', type: 'approval', name: 'Second look', after: 'pay' });
    expect(wiring(valid(graph))).toContain('pay>second_look');
    expect(wiring(graph)).toContain('second_look:approved>done');
    expect(wiring(graph)).not.toContain('pay>done');
  });

  it('inserts between two steps, keeping the branch the first one took', () => {
    const { graph } = applyEdit(refundGraph(), {
      op: 'add',
      type: 'wait',
      name: 'Cool off',
      after: 'small',
      before: 'pay',
    });
    expect(wiring(valid(graph))).toEqual(expect.arrayContaining(['small:true>cool_off', 'cool_off>pay']));
    expect(wiring(graph)).not.toContain('small:true>pay');
  });

  it('removes a block and joins its single way in to where it led', () => {
    const { graph, summary } = applyEdit(tinyGraph(), { op: 'add', type: 'function', name: 'Notify' });
    const removed = applyEdit(graph, { op: 'remove', nodeId: 'notify' });
    expect(wiring(valid(removed.graph))).toEqual(['start>done']);
    expect(summary).toContain('Notify');
    expect(() => applyEdit(graph, { op: 'remove', nodeId: 'start' })).toThrow(EditError);
    expect(() => applyEdit(graph, { op: 'remove', nodeId: 'ghost' })).toThrow('there is no step "ghost"');
  });

  it('connects with the plain output or the first unused branch, and refuses duplicates and unknown branches', () => {
    const g = refundGraph();
    const rejected = applyEdit(g, { op: 'add', type: 'response', name: 'Refused', after: 'start' }).graph;
    const linked = applyEdit(
      { ...rejected, edges: rejected.edges.filter((e) => e.target !== 'refused') },
      { op: 'connect', from: 'ask', to: 'refused' },
    );
    expect(wiring(linked.graph)).toContain('ask:rejected>refused');
    expect(() => applyEdit(g, { op: 'connect', from: 'pay', to: 'done' })).toThrow('already leads to');
    expect(() => applyEdit(g, { op: 'connect', from: 'small', to: 'done', handle: 'maybe' })).toThrow(
      'has no "maybe" output; it has: true, false, error',
    );
  });

  it('disconnects either direction and says when nothing connects them', () => {
    const { graph } = applyEdit(refundGraph(), { op: 'disconnect', from: 'done', to: 'pay' });
    expect(wiring(graph)).not.toContain('pay>done');
    expect(() => applyEdit(refundGraph(), { op: 'disconnect', from: 'start', to: 'done' })).toThrow(
      'are not connected',
    );
  });

  it('renames, configures nested keys and moves without touching anything else', () => {
    const renamed = applyEdit(refundGraph(), { op: 'rename', nodeId: 'pay', name: ' Pay back ' }).graph;
    expect(renamed.nodes.find((n) => n.id === 'pay')!.name).toBe('Pay back');
    const configured = applyEdit(refundGraph(), {
      op: 'configure',
      nodeId: 'pay',
      key: 'retry.maxAttempts',
      value: 3,
    }).graph;
    expect(valid(configured).nodes.find((n) => n.id === 'pay')!.config).toMatchObject({
      method: 'POST',
      retry: { maxAttempts: 3 },
    });
    const before = refundGraph().nodes.find((n) => n.id === 'ask')!.position ?? { x: 0, y: 0 };
    const moved = applyEdit(refundGraph(), { op: 'move', nodeId: 'ask', direction: 'right' }).graph;
    expect(moved.nodes.find((n) => n.id === 'ask')!.position).toEqual({ x: before.x + 220, y: before.y });
  });

  it('makes unique ids from names', () => {
    expect(idFromName(refundGraph(), 'Issue refund!')).toBe('issue_refund');
    expect(idFromName(refundGraph(), 'pay')).toBe('pay_2');
    expect(idFromName(refundGraph(), '3rd try')).toBe('step_3rd_try');
  });
});
