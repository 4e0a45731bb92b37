import { describe, expect, it } from 'vitest';
import { BLOCK_CATALOG, BLOCK_TYPES, blockConfigSchemas } from '../../../src/model/blocks.ts';
import { validateGraph } from '../../../src/graph/validate.ts';
import { PALETTE } from '../../../web/src/editor/block-catalog.ts';
import { configFields, formatFieldValue, parseFieldValue } from '../../../web/src/editor/config-fields.ts';
import { diffGraphs } from '../../../web/src/editor/diff.ts';
import { rowsToSchema, schemaToRows } from '../../../web/src/editor/input-schema-rows.ts';
import { indexProblems } from '../../../web/src/editor/problems.ts';
import { shortcutFor } from '../../../web/src/editor/shortcuts.ts';
import { applyCompletion, completeTemplate } from '../../../web/src/editor/template-complete.ts';

describe('block catalog', () => {
  it('has a palette entry for every block type, whose starting config is valid where the type allows', () => {
    expect(PALETTE.map((entry) => entry.type).sort()).toEqual([...BLOCK_TYPES].sort());
    for (const type of BLOCK_TYPES) {
      if (type === 'subworkflow') continue; // needs a workflow to be chosen
      expect(blockConfigSchemas[type].safeParse(BLOCK_CATALOG[type].defaultConfig).success, type).toBe(true);
    }
  });
});

describe('config forms from the block schemas', () => {
  it('generates fields with the right controls, own fields before the shared ones', () => {
    const http = configFields('http');
    expect(http.map((f) => f.key)).toEqual(['method', 'url', 'headers', 'query', 'body', 'retry', 'timeoutMs']);
    expect(http.find((f) => f.key === 'method')).toMatchObject({
      kind: 'select',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
      required: false,
    });
    expect(http.find((f) => f.key === 'url')).toMatchObject({ kind: 'template', required: true });
    expect(http.find((f) => f.key === 'headers')!.kind).toBe('json');
    expect(configFields('function')[0]).toMatchObject({ key: 'code', kind: 'code', required: true });
    expect(configFields('condition')[0]).toMatchObject({ key: 'expression', kind: 'expression' });
    expect(configFields('wait').map((f) => f.key)).toEqual(['durationMs', 'until', 'retry', 'timeoutMs']);
  });

  it('parses what is typed, keeping half-typed JSON as an error rather than a value', () => {
    const [timeout] = configFields('http').filter((f) => f.key === 'timeoutMs');
    const [headers] = configFields('http').filter((f) => f.key === 'headers');
    expect(parseFieldValue(timeout!, '250')).toEqual({ value: 250 });
    expect(parseFieldValue(timeout!, '')).toEqual({ value: undefined });
    expect(parseFieldValue(timeout!, 'soon')).toHaveProperty('error');
    expect(parseFieldValue(headers!, '{"a":')).toHaveProperty('error');
    expect(parseFieldValue(headers!, '{"a":"{{input.x}}"}')).toEqual({ value: { a: '{{input.x}}' } });
    expect(formatFieldValue(headers!, { a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('validation shown on nodes and fields', () => {
  it('puts each problem on its node and config field', () => {
    const { problems } = validateGraph({
      name: 'x',
      nodes: [
        { id: 'start', type: 'start', name: 'Start' },
        { id: 'f', type: 'function', name: 'F', config: { code: '' } },
      ],
      edges: [
        { id: 'e', source: 'start', target: 'f' },
        { id: 'bad', source: 'f', target: 'ghost' },
      ],
    });
    const index = indexProblems(problems);
    expect(index.nodes.get('f')!.byField.code!.join()).toContain('code is required');
    expect(index.edges.get('bad')!.join()).toMatch(/ghost/);
  });
});

describe('template autocompletion', () => {
  const context = {
    inputs: {
      type: 'object' as const,
      properties: { amount: { type: 'number' as const }, orderId: { type: 'string' as const } },
    },
    stepIds: ['pay', 'ask'],
  };

  it('suggests roots, input fields and step outputs inside {{ }} only', () => {
    expect(completeTemplate('Refund {{in', 11, context)?.options).toEqual(['input']);
    expect(completeTemplate('{{input.', 8, context)?.options).toEqual(['input.amount', 'input.orderId']);
    expect(completeTemplate('{{input.am', 10, context)?.options).toEqual(['input.amount']);
    expect(completeTemplate('{{steps.p', 9, context)?.options).toEqual(['steps.pay.output']);
    expect(completeTemplate('{{input.amount}} and input.', 27, context)).toBeNull();
    expect(completeTemplate('no template', 5, context)).toBeNull();
  });

  it('replaces the typed word with the chosen option', () => {
    const text = 'Pay {{input.am}} now';
    const completion = completeTemplate(text, 14, context)!;
    expect(applyCompletion(text, completion, 'input.amount')).toEqual({ text: 'Pay {{input.amount}} now', cursor: 18 });
  });
});

describe('input schema form rows', () => {
  it('round-trips fields, keeping bounds the form does not show', () => {
    const schema = {
      type: 'object' as const,
      required: ['amount'],
      properties: {
        amount: { type: 'number' as const, minimum: 0, description: 'EUR' },
        tier: { type: 'string' as const, enum: ['a', 'b'] },
      },
    };
    const rows = schemaToRows(schema);
    expect(rows).toEqual([
      { name: 'amount', type: 'number', description: 'EUR', required: true, options: '' },
      { name: 'tier', type: 'string', description: '', required: false, options: 'a, b' },
    ]);
    expect(rowsToSchema(rows, schema)).toEqual(schema);
    expect(rowsToSchema([])).toBeUndefined();
  });
});

describe('version diff', () => {
  it('lists added, removed and changed nodes and edges; moving a block is no change', () => {
    const before = {
      name: 'w',
      nodes: [
        { id: 'start', type: 'start' as const, name: 'S' },
        { id: 'a', type: 'function' as const, name: 'A', config: { code: '1' } },
      ],
      edges: [{ id: 'e', source: 'start', target: 'a' }],
    };
    const after = {
      name: 'w',
      nodes: [
        { id: 'start', type: 'start' as const, name: 'S', position: { x: 5, y: 5 } },
        { id: 'a', type: 'function' as const, name: 'A', config: { code: '2' } },
        { id: 'b', type: 'wait' as const, name: 'B' },
      ],
      edges: [{ id: 'x', source: 'a', target: 'b' }],
    };
    expect(diffGraphs(before, after)).toEqual([
      { kind: 'changed', what: 'node', id: 'a', detail: 'config' },
      { kind: 'added', what: 'node', id: 'b', detail: 'wait "B"' },
      { kind: 'added', what: 'edge', id: 'a → b', detail: 'a → b' },
      { kind: 'removed', what: 'edge', id: 'start → a', detail: 'start → a' },
    ]);
    expect(diffGraphs(before, before)).toEqual([]);
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });
  it('maps keys to actions, and leaves typing in fields alone except for save', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }), false)).toBe('undo');
    expect(shortcutFor(key('Z', { metaKey: true, shiftKey: true }), false)).toBe('redo');
    expect(shortcutFor(key('Delete'), false)).toBe('delete');
    expect(shortcutFor(key('Backspace'), true)).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(key('s', { ctrlKey: true }), true)).toBe('save');
  });
});
