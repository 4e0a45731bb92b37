import { describe, expect, it } from 'vitest';
import { copySelection, pasteClip } from '../../../web/src/editor/clipboard.ts';
import { deleteSelection, setConfigValue } from '../../../web/src/editor/doc-edits.ts';
import { docToGraph, edgeId, graphToDoc, type EditorDoc } from '../../../web/src/editor/flow-model.ts';
import { record, recordFrom, redo, replacePresent, startHistory, undo } from '../../../web/src/editor/history.ts';
import { toNodeId, uniqueId } from '../../../web/src/editor/ids.ts';
import { placeMissing } from '../../../web/src/editor/layout.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';

const graph: WorkflowGraph = {
  name: 'Refund',
  inputs: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
  nodes: [
    { id: 'start', type: 'start', name: 'Start', position: { x: 0, y: 0 } },
    {
      id: 'small',
      type: 'condition',
      name: 'Small?',
      position: { x: 200.4, y: 0 },
      config: { expression: 'input.amount < 100' },
    },
    { id: 'done', type: 'response', name: 'Done', position: { x: 400, y: 0 }, config: { output: 1 } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'small' },
    { id: 'e2', source: 'small', sourceHandle: 'true', target: 'done' },
  ],
};

describe('graph <-> editor document', () => {
  it('round-trips a graph, rounding positions and keeping handles', () => {
    const doc = graphToDoc(graph);
    expect(doc.edges[1]).toMatchObject({ sourceHandle: 'true', label: 'true' });
    const back = docToGraph(doc);
    expect(back.nodes[1]!.position).toEqual({ x: 200, y: 0 });
    expect(back.edges).toEqual(graph.edges);
    expect(back.inputs).toEqual(graph.inputs);
  });

  it('names edges after what they join, never twice', () => {
    expect(edgeId('a', null, 'b', new Set())).toBe('a-next-b');
    expect(edgeId('a', 'true', 'b', new Set(['a-true-b']))).toBe('a-true-b-2');
  });
});

describe('node ids', () => {
  it('turns names into template-safe ids and avoids taken ones', () => {
    expect(toNodeId('Notify the team!')).toBe('notify_the_team');
    expect(toNodeId('1st step')).toBe('n_1st_step');
    expect(uniqueId('function', new Set(['function', 'function_2']))).toBe('function_3');
  });
});

describe('undo history', () => {
  it('undoes and redoes, and a new change forgets the redo', () => {
    let h = record(record(startHistory(1), 2), 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = redo(h);
    expect(h.present).toBe(3);
    h = record(undo(h), 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('merges typing in one field into one step, and records a drag from where it began', () => {
    let h = record(startHistory('a'), 'ab', 'name');
    h = record(h, 'abc', 'name');
    expect(undo(h).present).toBe('a');
    const dragged = recordFrom(replacePresent(h, 'moving'), 'abc', 'moved');
    expect(dragged.present).toBe('moved');
    expect(undo(dragged).present).toBe('abc');
  });
});

describe('editing the document', () => {
  const select = (doc: EditorDoc, ids: string[]): EditorDoc => ({
    ...doc,
    nodes: doc.nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })),
  });

  it('deletes selected nodes with every edge touching them', () => {
    const doc = deleteSelection(select(graphToDoc(graph), ['small']));
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'done']);
    expect(doc.edges).toEqual([]);
  });

  it('copies the selection with its inner edges and pastes it with fresh ids, shifted and selected', () => {
    const doc = select(graphToDoc(graph), ['small', 'done']);
    const clip = copySelection(doc.nodes, doc.edges)!;
    expect(clip.edges.map((e) => e.id)).toEqual(['e2']);
    const pasted = pasteClip(clip, doc.nodes, doc.edges);
    const fresh = pasted.nodes.filter((n) => n.selected);
    expect(fresh.map((n) => n.id)).toEqual(['small_2', 'done_2']);
    expect(fresh[0]!.data.block.id).toBe('small_2');
    expect(fresh[0]!.position).toEqual({ x: 240.4, y: 40 });
    expect(pasted.edges.at(-1)).toMatchObject({ source: 'small_2', target: 'done_2', sourceHandle: 'true' });
    expect(copySelection(graphToDoc(graph).nodes, [])).toBeNull();
  });

  it('sets and removes config values, dropping an empty config', () => {
    const block = { id: 'f', type: 'function' as const, name: 'F' };
    const withCode = setConfigValue(block, 'code', 'return 1');
    expect(withCode.config).toEqual({ code: 'return 1' });
    expect(setConfigValue(withCode, 'code', undefined)).toEqual(block);
  });
});

describe('auto-layout', () => {
  it('places a chain left to right without overlaps', () => {
    const doc = graphToDoc({ ...graph, nodes: graph.nodes.map(({ position: _p, ...n }) => n) });
    const laid = placeMissing(doc.nodes, doc.edges, (n) => Boolean(n.data.block.position));
    const xs = laid.map((n) => n.position.x);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(xs[1]).toBeLessThan(xs[2]!);
    expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(200);
  });
});

describe('placing blocks that have no position', () => {
  const at = (id: string, x: number, y: number) => ({ id, position: { x, y } });
  it('puts a new block after the one leading into it, below anything in the way, and moves nobody else', () => {
    const nodes = [at('start', 0, 0), at('gate', 260, 0), at('done', 520, 0), at('notify', 0, 0)];
    const placed = placeMissing(nodes, [{ source: 'gate', target: 'notify' }], (n) => n.id !== 'notify');
    expect(placed.slice(0, 3)).toEqual(nodes.slice(0, 3));
    expect(placed[3]!.position).toEqual({ x: 520, y: 102 });
  });

  it('puts an unconnected new block right of everything', () => {
    const placed = placeMissing([at('start', 0, 0), at('lonely', 0, 0)], [], (n) => n.id === 'start');
    expect(placed[1]!.position).toEqual({ x: 260, y: 0 });
  });
});
