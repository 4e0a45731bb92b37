import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../support/engine-harness.ts';
import { refundGraph } from '../../support/fixtures.ts';
import { startPaymentsService, type PaymentsService } from '../../support/payments-service.ts';
import { chain, edge, node } from '../../support/workflows.ts';

let payments: PaymentsService;
beforeAll(async () => {
  payments = await startPaymentsService();
  process.env.PAYMENTS_URL = payments.url;
});
afterAll(() => payments.close());

let h: EngineHarness;
beforeEach(async () => {
  h = await startEngineHarness({ env: { WORKFLOW_ENV_ALLOWLIST: 'PAYMENTS_URL' } });
  payments.received.length = 0;
});
afterEach(async () => {
  await h.close();
});

describe('running workflows', () => {
  it('takes the true branch of the refund workflow and calls the payments service once with an idempotency key', async () => {
    const slug = await h.publish(refundGraph());
    const done = await h.run(slug, { orderId: 'A-17', amount: 40 });
    expect(done).toMatchObject({ status: 'completed', output: { status: 'refunded', id: 'R-1' } });
    expect(payments.received).toEqual([
      { url: '/refunds', body: JSON.stringify({ order: 'A-17' }), idempotencyKey: `${done.id}:pay:1` },
    ]);
    expect(done.steps.find((s) => s.nodeId === 'ask')!.status).toBe('pruned');
  });

  it('ends without paying when the approval is rejected', async () => {
    const slug = await h.publish(refundGraph());
    const { id } = await h.start(slug, { orderId: 'C-3', amount: 500 });
    await h.waitFor(id, 'waiting');
    await h.command(id, 'reject');
    const done = await h.waitFor(id, 'completed');
    expect(
      done.steps
        .filter((s) => s.status === 'pruned')
        .map((s) => s.nodeId)
        .sort(),
    ).toEqual(['done', 'pay']);
    expect(payments.received).toHaveLength(0);
  });

  it('runs independent branches concurrently and joins once', async () => {
    const slug = await h.publish({
      name: 'Fan',
      nodes: [
        node('start', 'start'),
        node('a', 'function', { code: 'return 1' }),
        node('b', 'function', { code: 'return 2' }),
        node('join', 'function', { code: 'return steps.a.output + steps.b.output' }),
      ],
      edges: [edge('start', 'a'), edge('start', 'b'), edge('a', 'join'), edge('b', 'join')],
    });
    const done = await h.run(slug);
    expect(done.status).toBe('completed');
    expect(done.output).toBe(3);
    expect(done.steps.filter((s) => s.nodeId === 'join')).toHaveLength(1);
  });

  it('prunes the branch not taken and still runs a join reached by the taken one', async () => {
    const slug = await h.publish({
      name: 'Prune',
      inputs: { type: 'object', properties: { x: { type: 'number' } } },
      nodes: [
        node('start', 'start'),
        node('big', 'condition', { expression: 'input.x > 10' }),
        node('yes', 'function', { code: 'return "big"' }),
        node('no', 'function', { code: 'return "small"' }),
        node('join', 'response', { output: '{{ steps.yes.output ? steps.yes.output : steps.no.output }}' }),
      ],
      edges: [
        edge('start', 'big'),
        edge('big', 'yes', 'true'),
        edge('big', 'no', 'false'),
        edge('yes', 'join'),
        edge('no', 'join'),
      ],
    });
    const small = await h.run(slug, { x: 1 });
    expect(small.output).toBe('small');
    expect(small.steps.find((s) => s.nodeId === 'yes')!.status).toBe('pruned');
    const big = await h.run(slug, { x: 11 });
    expect(big.output).toBe('big');
  });

  it('routes by the first matching route, else the default', async () => {
    const slug = await h.publish({
      name: 'Route',
      inputs: { type: 'object', properties: { tier: { type: 'string' } } },
      nodes: [
        node('start', 'start'),
        node('r', 'router', { routes: [{ name: 'gold', expression: 'input.tier = "gold"' }], default: 'other' }),
        node('g', 'response', { output: 'gold desk' }),
        node('o', 'response', { output: 'standard desk' }),
      ],
      edges: [edge('start', 'r'), edge('r', 'g', 'gold'), edge('r', 'o', 'other')],
    });
    expect((await h.run(slug, { tier: 'gold' })).output).toBe('gold desk');
    expect((await h.run(slug, { tier: 'tin' })).output).toBe('standard desk');
  });

  it('runs a loop over items with bounded concurrency and collects results in order', async () => {
    const slug = await h.publish({
      name: 'Loop',
      inputs: { type: 'object', properties: { items: { type: 'array', items: { type: 'number' } } } },
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: 'input.items', concurrency: 2 }),
        node('sq', 'function', { code: 'return vars.item * vars.item' }, { parentId: 'each' }),
        node('done', 'response', { output: '{{ steps.each.output }}' }),
      ],
      edges: [edge('start', 'each'), edge('each', 'done')],
    });
    const done = await h.run(slug, { items: [1, 2, 3, 4, 5] });
    expect(done.status).toBe('completed');
    expect(done.output).toEqual([1, 4, 9, 16, 25]);
    const list = await h.engine.service.list(h.workspaceId, { limit: 20 });
    expect(list.items).toHaveLength(1); // iterations are internal
  });

  it('runs the batch-notify example: one notification per recipient, in order', async () => {
    const graph = JSON.parse(readFileSync(new URL('../../../examples/batch-notify.json', import.meta.url), 'utf8'));
    const slug = await h.publish(graph);
    const done = await h.run(slug, { recipients: ['a@x.io', 'b@x.io', 'c@x.io'], message: 'hi' });
    expect(done.status).toBe('completed');
    const output = done.output as { count: number; notifications: Array<{ to: string; position: number }> };
    expect(output.count).toBe(3);
    expect(output.notifications.map((n) => `${n.position}:${n.to}`)).toEqual(['1:a@x.io', '2:b@x.io', '3:c@x.io']);
  });

  it('fails a loop over more items than maxIterations with a message that says what to change', async () => {
    const slug = await h.publish({
      name: 'Bounded',
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: '[1,2,3]', maxIterations: 2 }),
        node('x', 'function', { code: 'return 1' }, { parentId: 'each' }),
      ],
      edges: [edge('start', 'each')],
    });
    const done = await h.run(slug);
    expect(done.status).toBe('failed');
    expect((done.error as { message: string }).message).toContain('maxIterations is 2');
  });

  it('runs parallel branches inside a container and joins them', async () => {
    const slug = await h.publish({
      name: 'Par',
      nodes: [
        node('start', 'start'),
        node('p', 'parallel'),
        node('a', 'function', { code: 'return "A"' }, { parentId: 'p' }),
        node('b', 'function', { code: 'return "B"' }, { parentId: 'p' }),
        node('done', 'response', { output: '{{ steps.p.output }}' }),
      ],
      edges: [edge('start', 'p'), edge('p', 'done')],
    });
    expect((await h.run(slug)).output).toEqual({ a: 'A', b: 'B' });
  });

  it('runs a published subworkflow as a child execution and uses its output', async () => {
    await h.publish({
      name: 'Tax',
      inputs: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      nodes: [node('start', 'start'), node('out', 'response', { output: '{{ input.amount * 1.2 }}' })],
      edges: chain('start', 'out'),
    });
    const slug = await h.publish({
      name: 'Invoice',
      nodes: [
        node('start', 'start'),
        node('tax', 'subworkflow', { workflowId: 'tax', input: { amount: 100 } }),
        node('done', 'response', { output: '{{ steps.tax.output }}' }),
      ],
      edges: chain('start', 'tax', 'done'),
    });
    const done = await h.run(slug);
    expect(done.status).toBe('completed');
    expect(done.output).toBe(120);
  });

  it('fails an agent step without a provider, naming the settings to add', async () => {
    const slug = await h.publish({
      name: 'Agent',
      nodes: [node('start', 'start'), node('ai', 'agent', { prompt: 'hi' })],
      edges: chain('start', 'ai'),
    });
    const done = await h.run(slug);
    expect(done.status).toBe('failed');
    expect((done.error as { message: string }).message).toContain('OPENAI_API_KEY');
  });

  it('sleeps durably in a wait step', async () => {
    const slug = await h.publish({
      name: 'Nap',
      nodes: [
        node('start', 'start'),
        node('nap', 'wait', { durationMs: 300 }),
        node('done', 'response', { output: 'awake' }),
      ],
      edges: chain('start', 'nap', 'done'),
    });
    const started = h.clock.now();
    const { id } = await h.start(slug);
    const waiting = await h.waitFor(id, 'waiting');
    expect(waiting.waiting).toMatchObject({ reason: 'time', nodeId: 'nap' });
    await h.advance(299);
    expect((await h.get(id)).status).toBe('waiting');
    await h.advance(1);
    const done = await h.waitFor(id, 'completed');
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(300);
    expect(done.output).toBe('awake');
  });
});
