import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/model/problem.ts';
import { validateGraph } from '../../../src/graph/validate.ts';

type Json = Record<string, unknown>;

/** A small valid graph: start → check (condition) → ok / ko (responses). Tests break one thing at a time. */
function graph(): { name: string; inputs: Json; nodes: Json[]; edges: Json[]; settings?: Json } {
  return {
    name: 'Test',
    inputs: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
    nodes: [
      { id: 'start', type: 'start', name: 'Start' },
      { id: 'check', type: 'condition', name: 'Check', config: { expression: 'input.amount > 10' } },
      { id: 'ok', type: 'response', name: 'OK', config: { output: { amount: '{{input.amount}}' } } },
      { id: 'ko', type: 'response', name: 'KO', config: { output: 'too small' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'check' },
      { id: 'e2', source: 'check', sourceHandle: 'true', target: 'ok' },
      { id: 'e3', source: 'check', sourceHandle: 'false', target: 'ko' },
    ],
  };
}

function problemsOf(raw: unknown, options?: { maxRetryAttempts?: number }): Problem[] {
  return validateGraph(raw, options).problems;
}

/** Asserts the graph has exactly one problem with this code and returns it. */
function only(raw: unknown, code: string): Problem {
  const problems = problemsOf(raw);
  expect(problems.map((p) => p.code)).toEqual([code]);
  return problems[0]!;
}

describe('validateGraph', () => {
  it('accepts a valid graph and returns it parsed', () => {
    const result = validateGraph(graph());
    expect(result.problems).toEqual([]);
    expect(result.graph?.nodes.map((n) => n.id)).toEqual(['start', 'check', 'ok', 'ko']);
    expect(result.graph?.edges).toHaveLength(3);
  });

  describe('structure', () => {
    it('refuses unknown fields, with the path of the object holding them', () => {
      const g = graph();
      (g as Json).colour = 'red';
      const p = only(g, 'invalid_shape');
      expect(p.path).toBe('');
      expect(p.message).toContain('colour');
    });

    it('names a missing field and the node it belongs to', () => {
      const g = graph();
      delete g.nodes[2]!.name;
      const p = only(g, 'invalid_shape');
      expect(p).toMatchObject({ path: 'nodes[2].name', nodeId: 'ok', message: 'name is required (expected string)' });
    });

    it('gives the edge id for a broken edge', () => {
      const g = graph();
      g.edges[1]!.label = 42;
      expect(only(g, 'invalid_shape')).toMatchObject({ path: 'edges[1].label', edgeId: 'e2' });
    });

    it('stops after the shape when nodes is not a list', () => {
      const result = validateGraph({ name: 'x', nodes: 'start', edges: [] });
      expect(result.graph).toBeUndefined();
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ code: 'invalid_shape', path: 'nodes' });
    });

    it('refuses a document that is not an object', () => {
      expect(problemsOf(null).map((p) => p.code)).toEqual(['invalid_shape']);
    });

    it('keeps checking the wiring of nodes whose other fields are wrong', () => {
      const g = graph();
      g.nodes[1]!.name = '';
      g.edges.push({ id: 'e4', source: 'check', sourceHandle: 'maybe', target: 'ko' });
      const problems = problemsOf(g);
      expect(problems.map((p) => [p.code, p.path])).toEqual([
        ['invalid_shape', 'nodes[1].name'],
        ['invalid_handle', 'edges[3].sourceHandle'],
      ]);
    });
  });

  describe('block configs', () => {
    it('checks each config against its type', () => {
      const g = graph();
      g.nodes.push({ id: 'call', type: 'http', name: 'Call', config: { method: 'GET' } });
      g.edges.push({ id: 'e4', source: 'ok', sourceHandle: 'error', target: 'call' });
      const p = only(g, 'invalid_config');
      expect(p).toMatchObject({
        path: 'nodes[4].config.url',
        nodeId: 'call',
        message: 'url is required (expected string)',
      });
    });

    it('treats an absent config as {}', () => {
      const g = graph();
      delete g.nodes[1]!.config;
      expect(only(g, 'invalid_config')).toMatchObject({ path: 'nodes[1].config.expression', nodeId: 'check' });
    });

    it('locates problems deep inside a config', () => {
      const g = graph();
      g.nodes[1] = {
        id: 'check',
        type: 'router',
        name: 'Route',
        config: { routes: [{ name: 'big one', expression: 'true' }] },
      };
      g.edges = [g.edges[0]!];
      g.nodes.splice(2, 2);
      const p = only(g, 'invalid_config');
      expect(p).toMatchObject({ path: 'nodes[1].config.routes[0].name', nodeId: 'check' });
      expect(p.message).toContain('handle names');
    });

    it('refuses retry attempts above the configured limit and names the env var', () => {
      const g = graph();
      g.nodes[2]!.config = { output: 1, retry: { maxAttempts: 5 } };
      const p = only(g, 'retry_limit');
      expect(p).toMatchObject({ path: 'nodes[2].config.retry.maxAttempts', nodeId: 'ok' });
      expect(p.message).toContain('at most 3');
      expect(p.message).toContain('MAX_RETRY_ATTEMPTS');
      expect(problemsOf(g, { maxRetryAttempts: 5 })).toEqual([]);
    });
  });

  describe('nodes', () => {
    it('requires a start node', () => {
      const g = graph();
      g.nodes[0]!.type = 'function';
      g.nodes[0]!.config = { code: 'return 1' };
      expect(only(g, 'missing_start')).toMatchObject({ path: 'nodes' });
    });

    it('refuses a second start node', () => {
      const g = graph();
      g.nodes.push({ id: 'start2', type: 'start', name: 'Again' });
      g.edges.push({ id: 'e4', source: 'start2', target: 'ko' });
      expect(only(g, 'multiple_starts')).toMatchObject({ path: 'nodes[4]', nodeId: 'start2' });
    });

    it('refuses duplicate node ids', () => {
      const g = graph();
      g.nodes.push({ id: 'ko', type: 'response', name: 'Again', config: { output: 2 } });
      expect(only(g, 'duplicate_node')).toMatchObject({ path: 'nodes[4].id', nodeId: 'ko' });
    });

    it('refuses duplicate edge ids', () => {
      const g = graph();
      g.edges[2]!.id = 'e2';
      expect(only(g, 'duplicate_edge_id')).toMatchObject({ path: 'edges[2].id', edgeId: 'e2' });
    });

    it('refuses pause points that are not nodes', () => {
      const g = graph();
      g.settings = { mode: 'hybrid', pausePoints: ['check', 'nope'] };
      const p = only(g, 'unknown_pause_point');
      expect(p.path).toBe('settings.pausePoints[1]');
      expect(p.message).toContain('"nope"');
    });
  });

  describe('edges', () => {
    it('refuses edges to and from unknown nodes', () => {
      const g = graph();
      g.edges.push(
        { id: 'e4', source: 'ghost', target: 'ok' },
        { id: 'e5', source: 'ok', sourceHandle: 'error', target: 'phantom' },
      );
      const problems = problemsOf(g);
      expect(problems.map((p) => [p.code, p.path, p.edgeId])).toEqual([
        ['unknown_node', 'edges[3].source', 'e4'],
        ['unknown_node', 'edges[4].target', 'e5'],
      ]);
      expect(problems[0]!.message).toContain('"ghost"');
    });

    it('refuses edges into the start node', () => {
      const g = graph();
      g.edges.push({ id: 'back', source: 'ko', sourceHandle: 'error', target: 'start' });
      const problems = problemsOf(g);
      expect(problems.map((p) => p.code)).toEqual(['edge_into_start', 'cycle']);
      expect(problems[0]).toMatchObject({ path: 'edges[3].target', edgeId: 'back' });
    });

    it('refuses a handle the source does not have and lists the valid ones', () => {
      const g = graph();
      g.edges[1]!.sourceHandle = 'yes';
      const p = only(g, 'invalid_handle');
      expect(p).toMatchObject({ path: 'edges[1].sourceHandle', edgeId: 'e2' });
      expect(p.message).toContain('true, false, error');
    });

    it('requires a handle on edges leaving a condition, approval or router', () => {
      const g = graph();
      delete g.edges[1]!.sourceHandle;
      const p = only(g, 'missing_handle');
      expect(p).toMatchObject({ path: 'edges[1].sourceHandle', edgeId: 'e2' });
      expect(p.message).toContain('true, false, error');
    });

    it('accepts router route names and the default handle', () => {
      const g = graph();
      g.nodes[1] = {
        id: 'check',
        type: 'router',
        name: 'Route',
        config: { routes: [{ name: 'big', expression: 'input.amount > 10' }], default: 'rest' },
      };
      g.edges[1]!.sourceHandle = 'big';
      g.edges[2]!.sourceHandle = 'rest';
      expect(problemsOf(g)).toEqual([]);
      g.edges[2]!.sourceHandle = 'default';
      expect(only(g, 'invalid_handle').message).toContain('big, rest, error');
    });

    it('refuses an edge repeating another', () => {
      const g = graph();
      g.edges.push({ id: 'again', source: 'check', sourceHandle: 'true', target: 'ok' });
      const p = only(g, 'duplicate_edge');
      expect(p).toMatchObject({ path: 'edges[3]', edgeId: 'again' });
      expect(p.message).toContain('"e2"');
    });
  });

  describe('containers', () => {
    /** start → each (loop over input.items) → done; `body` runs inside the loop. */
    function loopGraph(): ReturnType<typeof graph> {
      return {
        name: 'Loop',
        inputs: { type: 'object', properties: { items: { type: 'array' } } },
        nodes: [
          { id: 'start', type: 'start', name: 'Start' },
          { id: 'each', type: 'loop', name: 'Each', config: { items: 'input.items' } },
          { id: 'body', type: 'function', name: 'Body', parentId: 'each', config: { code: 'return vars.item' } },
          { id: 'done', type: 'response', name: 'Done', config: { output: '{{steps.each.output}}' } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'each' },
          { id: 'e2', source: 'each', target: 'done' },
        ],
      };
    }

    it('accepts a loop with a child', () => {
      expect(problemsOf(loopGraph())).toEqual([]);
    });

    it('refuses a parentId that is not a node', () => {
      const g = loopGraph();
      g.nodes[3]!.config = { output: 'done' }; // a child moved out of the loop no longer runs before done
      g.nodes[2]!.parentId = 'nowhere';
      expect(only(g, 'unknown_parent')).toMatchObject({ path: 'nodes[2].parentId', nodeId: 'body' });
    });

    it('refuses a parent that is not a container', () => {
      const g = loopGraph();
      g.nodes[3]!.config = { output: 'done' };
      g.nodes[2]!.parentId = 'done';
      const p = only(g, 'parent_not_container');
      expect(p).toMatchObject({ path: 'nodes[2].parentId', nodeId: 'body' });
      expect(p.message).toContain('loop and parallel');
    });

    it('refuses containers inside each other in a circle', () => {
      const g = loopGraph();
      g.nodes.push({ id: 'inner', type: 'parallel', name: 'Inner', parentId: 'each' });
      g.nodes[1]!.parentId = 'inner';
      const problems = problemsOf(g);
      expect(problems.map((p) => [p.code, p.nodeId])).toEqual([
        ['parent_cycle', 'each'],
        ['parent_cycle', 'inner'],
        ['cross_container_edge', undefined],
        ['cross_container_edge', undefined],
        ['unreachable', 'done'],
        ['step_inside_container', 'done'],
      ]);
    });

    it('refuses a start node inside a container', () => {
      const g = loopGraph();
      g.nodes[0]!.parentId = 'each';
      const problems = problemsOf(g);
      expect(problems[0]).toMatchObject({ code: 'start_in_container', path: 'nodes[0].parentId', nodeId: 'start' });
    });

    it('refuses edges between different containers', () => {
      const g = loopGraph();
      g.edges.push({ id: 'out', source: 'body', target: 'done' });
      const p = only(g, 'cross_container_edge');
      expect(p).toMatchObject({ path: 'edges[2]', edgeId: 'out' });
      expect(p.message).toContain('inside "each"');
    });

    it('reports a child no entry node leads to', () => {
      const g = loopGraph();
      g.nodes.push(
        { id: 'x', type: 'function', name: 'X', parentId: 'each', config: { code: 'return 1' } },
        { id: 'y', type: 'function', name: 'Y', parentId: 'each', config: { code: 'return 2' } },
      );
      g.edges.push({ id: 'xy', source: 'x', target: 'y' }, { id: 'yx', source: 'y', target: 'x' });
      // x ⇄ y: nothing starts it, and it is a cycle besides.
      const problems = problemsOf(g);
      expect(problems.map((p) => [p.code, p.path, p.nodeId])).toEqual([
        ['unreachable', 'nodes[4]', 'x'],
        ['unreachable', 'nodes[5]', 'y'],
        ['cycle', 'edges[3]', 'x'],
      ]);
    });
  });

  describe('reachability and cycles', () => {
    it('reports a top-level node that nothing leads to', () => {
      const g = graph();
      g.nodes.push({ id: 'orphan', type: 'response', name: 'Orphan', config: { output: 1 } });
      const p = only(g, 'unreachable');
      expect(p).toMatchObject({ path: 'nodes[4]', nodeId: 'orphan' });
    });

    it('reports a cycle with its nodes in order', () => {
      const g = graph();
      g.nodes.push({ id: 'a', type: 'function', name: 'A', config: { code: 'return 1' } });
      g.nodes.push({ id: 'b', type: 'function', name: 'B', config: { code: 'return 2' } });
      g.edges.push(
        { id: 'ea', source: 'ok', sourceHandle: 'error', target: 'a' },
        { id: 'ab', source: 'a', target: 'b' },
        { id: 'ba', source: 'b', target: 'a' },
      );
      const p = only(g, 'cycle');
      expect(p).toMatchObject({ path: 'edges[5]', nodeId: 'a', edgeId: 'ba' });
      expect(p.message).toContain('a → b → a');
    });

    it('reports an edge from a node to itself as a cycle', () => {
      const g = graph();
      g.edges.push({ id: 'self', source: 'ok', sourceHandle: 'error', target: 'ok' });
      expect(only(g, 'cycle').message).toContain('ok → ok');
    });

    it('refuses a cycle inside a loop body, naming its steps (it was accepted and then stuck at run time)', () => {
      const g = {
        name: 'Loop',
        nodes: [
          { id: 'start', type: 'start', name: 'Start' },
          { id: 'each', type: 'loop', name: 'Each', config: { items: '[1, 2]' } },
          { id: 'entry', type: 'function', name: 'Entry', parentId: 'each', config: { code: 'return 0' } },
          { id: 'a', type: 'function', name: 'A', parentId: 'each', config: { code: 'return 1' } },
          { id: 'b', type: 'condition', name: 'B', parentId: 'each', config: { expression: 'vars.index < 3' } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'each' },
          { id: 'ea', source: 'entry', target: 'a' },
          { id: 'ab', source: 'a', target: 'b' },
          { id: 'ba', source: 'b', sourceHandle: 'true', target: 'a' },
        ],
      };
      const p = only(g, 'cycle');
      expect(p).toMatchObject({ path: 'edges[3]', nodeId: 'a', edgeId: 'ba' });
      expect(p.message).toContain('a → b → a');
      expect(p.message).toContain('the loop "each" already runs its body once per item');
    });
  });

  describe('templates and expressions', () => {
    it("reports invalid JSONata in an expression field with jsonata's message", () => {
      const g = graph();
      g.nodes[1]!.config = { expression: 'input.amount >' };
      const p = only(g, 'invalid_expression');
      expect(p).toMatchObject({ path: 'nodes[1].config.expression', nodeId: 'check' });
      expect(p.message).toContain('Unexpected end of expression');
      expect(p.message).toContain('at character');
    });

    it('accepts an expression field wrapped in {{ }}', () => {
      const g = graph();
      g.nodes[1]!.config = { expression: '{{ input.amount > 10 }}' };
      expect(problemsOf(g)).toEqual([]);
    });

    it('reports invalid JSONata inside a template, deep in a config', () => {
      const g = graph();
      g.nodes[2]!.config = { output: { list: ['fine', 'total: {{ $sum( }}'] } };
      expect(only(g, 'invalid_expression')).toMatchObject({ path: 'nodes[2].config.output.list[1]', nodeId: 'ok' });
    });

    it('reports an unclosed {{', () => {
      const g = graph();
      g.nodes[3]!.config = { output: 'amount {{ input.amount' };
      const p = only(g, 'unclosed_template');
      expect(p).toMatchObject({ path: 'nodes[3].config.output', nodeId: 'ko' });
      expect(p.message).toContain('character 7');
    });

    it('does not read function code as templates', () => {
      const g = graph();
      g.nodes[3] = {
        id: 'ko',
        type: 'function',
        name: 'KO',
        config: { code: 'const s = "{{ not jsonata ((";\nreturn s;' },
      };
      expect(problemsOf(g)).toEqual([]);
    });

    it('reports inputs that are not declared and lists the declared ones', () => {
      const g = graph();
      g.nodes[3]!.config = { output: '{{ input.amout * 2 }}' };
      const p = only(g, 'unknown_input');
      expect(p).toMatchObject({ path: 'nodes[3].config.output', nodeId: 'ko' });
      expect(p.message).toContain('input.amout');
      expect(p.message).toContain('amount');
    });

    it('accepts any input field when the workflow declares no inputs', () => {
      const g = graph();
      delete (g as Json).inputs;
      g.nodes[3]!.config = { output: '{{ input.anything }}' };
      expect(problemsOf(g)).toEqual([]);
    });

    it('accepts secrets read by name, and reports names that can never exist or reads of the whole object', () => {
      const g = graph();
      g.nodes[2]!.config = {
        output: { auth: 'Bearer {{ secrets.API_TOKEN }}', both: '{{ $$.secrets.A1 & secrets.B_2 }}' },
      };
      expect(problemsOf(g)).toEqual([]);
      g.nodes[3]!.config = { output: '{{ secrets.api_token }}' };
      const p = only(g, 'invalid_secret_name');
      expect(p).toMatchObject({ path: 'nodes[3].config.output', nodeId: 'ko' });
      expect(p.message).toContain('secrets.api_token can never exist: a secret name is 1-64 upper-case letters');
      g.nodes[3]!.config = { output: '{{ $lookup(secrets, $string(input.amount)) }}' };
      expect(only(g, 'secret_by_name').message).toContain('one at a time by name');
    });

    it('takes an agent key only as a template, so no key is written into the workflow', () => {
      const g = graph();
      g.nodes[3] = { id: 'ko', type: 'agent', name: 'KO', config: { prompt: 'hi', apiKey: '{{secrets.OPENAI_KEY}}' } };
      expect(problemsOf(g)).toEqual([]);
      g.nodes[3]!.config = { prompt: 'hi', apiKey: 'sk-live-123' };
      expect(
        problemsOf(g)
          .map((p) => p.message)
          .join(),
      ).toContain('apiKey must be a template such as "{{secrets.OPENAI_KEY}}"');
    });

    it('reports steps that are not nodes', () => {
      const g = graph();
      g.nodes[2]!.config = { output: '{{ steps.chek.output }}' };
      const p = only(g, 'unknown_step');
      expect(p).toMatchObject({ path: 'nodes[2].config.output', nodeId: 'ok' });
      expect(p.message).toContain('steps.chek');
    });

    it('reports steps that do not run before the reader', () => {
      const g = graph();
      g.nodes[2]!.config = { output: { other: '{{ steps.ko.output }}' } };
      const p = only(g, 'step_not_upstream');
      expect(p).toMatchObject({ path: 'nodes[2].config.output.other', nodeId: 'ok' });
      expect(p.message).toContain('"ko" does not run before "ok"');
    });

    it('reports references inside router routes', () => {
      const g = graph();
      g.nodes[1] = {
        id: 'check',
        type: 'router',
        name: 'Route',
        config: { routes: [{ name: 'big', expression: 'steps.ok.output > 1' }], default: 'rest' },
      };
      g.edges[1]!.sourceHandle = 'big';
      g.edges[2]!.sourceHandle = 'rest';
      expect(only(g, 'step_not_upstream')).toMatchObject({
        path: 'nodes[1].config.routes[0].expression',
        nodeId: 'check',
      });
    });

    it('reports reads of a container child from outside the container, naming the container to read', () => {
      const g = {
        name: 'Loop',
        nodes: [
          { id: 'start', type: 'start', name: 'Start' },
          { id: 'each', type: 'loop', name: 'Each', config: { items: '[1,2]' } },
          { id: 'inner', type: 'function', name: 'Inner', parentId: 'each', config: { code: 'return 1' } },
          { id: 'after', type: 'response', name: 'After', config: { output: '{{ steps.inner.output }}' } },
        ],
        edges: [
          { id: 'a', source: 'start', target: 'each' },
          { id: 'b', source: 'each', target: 'after' },
        ],
      };
      const p = only(g, 'step_inside_container');
      expect(p).toMatchObject({ nodeId: 'after', path: 'nodes[3].config.output' });
      expect(p.message).toContain('read steps.each.output instead');
      g.nodes[3]!.config = { output: '{{ steps.each.output }}' };
      expect(problemsOf(g)).toEqual([]);
    });

    it('leaves vars, execution and env unchecked', () => {
      const g = graph();
      g.nodes[3]!.config = { output: '{{ vars.x }} {{ execution.id }} {{ env.ANYTHING }}' };
      expect(problemsOf(g)).toEqual([]);
    });
  });

  describe('input schemas', () => {
    it('reports required inputs that are not declared', () => {
      const g = graph();
      g.inputs.required = ['amount', 'currency'];
      const p = only(g, 'unknown_required_input');
      expect(p.path).toBe('inputs.required[1]');
      expect(p.message).toContain('"currency"');
    });

    it('reports a default that does not fit its field', () => {
      const g = graph();
      g.inputs.properties = { amount: { type: 'number', minimum: 1, default: 0 } };
      const p = only(g, 'invalid_default');
      expect(p.path).toBe('inputs.properties.amount.default');
      expect(p.message).toContain('amount must be at least 1');
    });

    it('checks the schema of input blocks too', () => {
      const g = graph();
      g.nodes.push({
        id: 'ask',
        type: 'input',
        name: 'Ask',
        config: {
          prompt: 'Which?',
          schema: {
            type: 'object',
            required: ['size'],
            properties: { colour: { type: 'string', enum: ['red'], default: 'blue' } },
          },
        },
      });
      g.edges.push({ id: 'e4', source: 'ko', sourceHandle: 'error', target: 'ask' });
      const problems = problemsOf(g);
      expect(problems.map((p) => [p.code, p.path, p.nodeId])).toEqual([
        ['unknown_required_input', 'nodes[4].config.schema.required[0]', 'ask'],
        ['invalid_default', 'nodes[4].config.schema.properties.colour.default', 'ask'],
      ]);
    });
  });

  it('reports every problem of a graph at once', () => {
    const g = graph();
    (g as Json).extra = true;
    g.nodes[1]!.config = { expression: 'input.amount >' };
    g.nodes.push({ id: 'ok', type: 'response', name: 'Dup', config: { output: 1 } });
    g.nodes.push({
      id: 'lost',
      type: 'http',
      name: 'Lost',
      config: { url: '{{ steps.nowhere.output }}', retry: { maxAttempts: 9 } },
    });
    g.edges.push({ id: 'e1', source: 'check', sourceHandle: 'perhaps', target: 'ghost' });
    g.settings = { pausePoints: ['nope'] };
    const result = validateGraph(g);
    expect(result.graph).toBeUndefined();
    expect(result.problems.map((p) => p.code).sort()).toEqual([
      'duplicate_edge_id',
      'duplicate_node',
      'invalid_expression',
      'invalid_handle',
      'invalid_shape',
      'retry_limit',
      'unknown_node',
      'unknown_pause_point',
      'unknown_step',
      'unreachable',
    ]);
  });
});
