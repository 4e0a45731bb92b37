import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  evaluateExpression,
  evaluateTemplate,
  expressionSecretNames,
  findTemplates,
  referencedRoots,
  scanTemplates,
  secretNames,
  TemplateError,
  unwrapExpression,
  type TemplateContext,
} from '../../../src/graph/templates.ts';

describe('findTemplates', () => {
  it('finds several templates with their positions', () => {
    expect(findTemplates('Hi {{ input.name }}, you owe {{input.amount}} EUR')).toEqual([
      { expression: 'input.name', start: 3, end: 19 },
      { expression: 'input.amount', start: 29, end: 45 },
    ]);
  });

  it('skips braces and quotes inside the expression', () => {
    expect(findTemplates('{{ {"a": {"b": "}}"}} }}!')).toEqual([
      { expression: '{"a": {"b": "}}"}}', start: 0, end: 24 },
    ]);
  });

  it('returns nothing for plain text', () => {
    expect(findTemplates('no templates { here }')).toEqual([]);
  });

  it('reports where an unclosed {{ starts', () => {
    expect(scanTemplates('ok {{a}} then {{ b')).toEqual({
      templates: [{ expression: 'a', start: 3, end: 8 }],
      unclosedAt: 14,
    });
  });
});

describe('unwrapExpression', () => {
  it('takes the expression out of a single template', () => {
    expect(unwrapExpression('  {{ a > 1 }} ')).toBe('a > 1');
  });

  it('leaves a bare expression or text with several templates alone', () => {
    expect(unwrapExpression('a > 1')).toBe('a > 1');
    expect(unwrapExpression('{{a}} and {{b}}')).toBe('{{a}} and {{b}}');
  });
});

describe('compileExpression', () => {
  it('compiles valid JSONata', async () => {
    const result = compileExpression('1 + 2');
    expect(result.ok).toBe(true);
    if (result.ok) expect(await result.expression.evaluate({})).toBe(3);
  });

  it("returns jsonata's message and position for invalid JSONata", () => {
    expect(compileExpression('input.')).toEqual({
      ok: false,
      message: 'Unexpected end of expression (at character 6)',
      position: 6,
    });
  });
});

describe('referencedRoots', () => {
  const roots = (expr: string) => {
    const compiled = compileExpression(expr);
    if (!compiled.ok) throw new Error(compiled.message);
    return referencedRoots(compiled.expression.ast()).map(({ root, name }) =>
      name === undefined ? root : `${root}.${name}`,
    );
  };

  it('finds input fields and step ids', () => {
    expect(roots('input.amount < 100')).toEqual(['input.amount']);
    expect(roots('steps.pay.output.body.id')).toEqual(['steps.pay']);
  });

  it('reports a bare input as the whole input', () => {
    expect(roots('input')).toEqual(['input']);
    expect(roots('$keys(input)')).toEqual(['input']);
  });

  it('searches arguments, operands, conditions, predicates, objects, lambdas and blocks', () => {
    expect(roots('$sum(steps.a.output.items[price > input.min].price)')).toEqual(['steps.a', 'input.min']);
    expect(roots('$count(input.items) > 0 ? steps.b : steps.c')).toEqual(['input.items', 'steps.b', 'steps.c']);
    expect(roots('{"x": input.x, "y": [steps.d.output]}')).toEqual(['input.x', 'steps.d']);
    expect(roots('$map(input.list, function($v) { $v & steps.e.output })')).toEqual(['input.list', 'steps.e']);
    expect(roots('(input.f; steps.g)')).toEqual(['input.f', 'steps.g']);
  });

  it('finds secrets by name, and a bare secrets as the whole object', () => {
    expect(roots('"Bearer " & secrets.TOKEN')).toEqual(['secrets.TOKEN']);
    expect(roots('$keys(secrets)')).toEqual(['secrets']);
  });

  it('accepts $$ as the explicit root', () => {
    expect(roots('$$.input.h')).toEqual(['input.h']);
  });

  it('ignores input and steps that are not the first step of a path', () => {
    expect(roots('foo.input.x')).toEqual([]);
    expect(roots('vars.item.steps.y')).toEqual([]);
    expect(roots('"input.z"')).toEqual([]);
  });
});

describe('evaluateTemplate', () => {
  const context: TemplateContext = {
    input: { amount: 42, name: 'Ada', tags: ['a', 'b'] },
    steps: { pay: { output: { body: { id: 'r-1', ok: true } } } },
    vars: { item: { sku: 'X' }, index: 2 },
    execution: { id: 'exec-1' },
    env: { PAYMENTS_URL: 'https://pay.example' },
  };

  it('yields the value itself for a string that is exactly one template', async () => {
    expect(await evaluateTemplate('{{ input.amount }}', context)).toBe(42);
    expect(await evaluateTemplate('  {{steps.pay.output.body}} ', context)).toEqual({ id: 'r-1', ok: true });
    expect(await evaluateTemplate('{{ input.tags }}', context)).toEqual(['a', 'b']);
    expect(await evaluateTemplate('{{ input.missing }}', context)).toBeUndefined();
  });

  it('interpolates templates surrounded by text as text', async () => {
    expect(await evaluateTemplate('{{env.PAYMENTS_URL}}/refunds/{{ steps.pay.output.body.id }}', context)).toBe(
      'https://pay.example/refunds/r-1',
    );
    expect(await evaluateTemplate('n={{input.amount}} item={{vars.item}} none=[{{input.missing}}]', context)).toBe(
      'n=42 item={"sku":"X"} none=[]',
    );
  });

  it('resolves nested objects and arrays without changing the original', async () => {
    const value = {
      order: '{{input.name}}',
      lines: [{ n: '{{ vars.index + 1 }}' }, 'at {{execution.id}}', 7, null],
      ok: true,
    };
    const copy = structuredClone(value);
    expect(await evaluateTemplate(value, context)).toEqual({
      order: 'Ada',
      lines: [{ n: 3 }, 'at exec-1', 7, null],
      ok: true,
    });
    expect(value).toEqual(copy);
  });

  it('returns plain arrays for jsonata sequences', async () => {
    const result = await evaluateTemplate('{{ input.tags.$uppercase($) }}', context);
    expect(result).toEqual(['A', 'B']);
    expect(Object.keys(result as object)).toEqual(['0', '1']);
  });

  it('throws a TemplateError for invalid or failing expressions', async () => {
    await expect(evaluateTemplate('x {{ input. }}', context)).rejects.toThrow(TemplateError);
    await expect(evaluateTemplate('{{ $notAFunction() }}', context)).rejects.toThrow(/non-function/);
  });

  it('evaluates expression fields, bare or wrapped', async () => {
    expect(await evaluateExpression('input.amount > 10', context)).toBe(true);
    expect(await evaluateExpression('{{ input.amount > 100 }}', context)).toBe(false);
  });
});

describe('secretNames', () => {
  it('lists each secret the templates of a value read, once, and nothing for other text', () => {
    expect(
      secretNames({
        headers: { Authorization: 'Bearer {{ secrets.TOKEN }}', 'X-Both': '{{secrets.A}}-{{ $$.secrets.TOKEN }}' },
        body: ['{{ input.secrets.NOT_ONE }}', 'secrets.PLAIN_TEXT', 42, null],
      }),
    ).toEqual(['TOKEN', 'A']);
    expect(secretNames('{{ secrets.( }}')).toEqual([]);
  });

  it('reads expression fields as bare JSONata or one template', () => {
    expect(expressionSecretNames('input.key = secrets.KEY')).toEqual(['KEY']);
    expect(expressionSecretNames('{{ secrets.KEY != null }}')).toEqual(['KEY']);
    expect(expressionSecretNames('input.amount > 1')).toEqual([]);
  });
});
