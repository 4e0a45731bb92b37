import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { refundGraph } from '../support/fixtures.ts';
import { chain, command, edge, getExecution, node, publish, start, until } from '../support/workflows.ts';

/** A loopback payments service: records requests, answers with a refund id. */
let payments: Server;
const received: Array<{ url: string; body: string; idempotencyKey: string | undefined }> = [];
beforeAll(async () => {
  payments = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ url: req.url!, body, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `R-${received.length}` }));
    });
  });
  await new Promise<void>((r) => payments.listen(0, '127.0.0.1', r));
  process.env.PAYMENTS_URL = `http://127.0.0.1:${(payments.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => payments.close(() => r())));

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ WORKFLOW_ENV_ALLOWLIST: 'PAYMENTS_URL' });
  received.length = 0;
});
afterEach(async () => {
  await t.close();
});

describe('running workflows', () => {
  const doubler = {
    name: 'Double',
    inputs: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
    nodes: [
      node('start', 'start'),
      node('double', 'function', { code: 'return { value: input.n * 2 }' }),
      node('done', 'response', { output: { result: '{{steps.double.output.value}}' } }),
    ],
    edges: chain('start', 'double', 'done'),
  };

  it('runs start → function → response and answers within waitMs', async () => {
    const slug = await publish(t.app, doubler);
    const { status, body } = await start(t.app, slug, { input: { n: 21 } }, 10_000);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', output: { result: 42 }, progress: 100, currentNodeIds: [] });
    expect(body.steps.map((s: { nodeId: string; status: string }) => `${s.nodeId}:${s.status}`)).toEqual([
      'start:completed',
      'double:completed',
      'done:completed',
    ]);

    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` })).json().items;
    expect(events.map((e: { offset: number }) => e.offset)).toEqual(events.map((_: unknown, i: number) => i + 1));
    expect(events[0].type).toBe('execution.queued');
    expect(events.at(-1).type).toBe('execution.completed');
  });

  it('answers waitMs from the ended run exactly as a later GET shows it, for many runs at once', async () => {
    const slug = await publish(t.app, doubler);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => start(t.app, slug, { input: { n } }, 10_000)),
    );
    for (const [n, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'completed', output: { result: n * 2 } });
      expect(answer.body).toEqual(await getExecution(t.app, answer.body.id));
    }
  });

  it('answers waitMs with 202 and the waiting state when the run stops for input', async () => {
    const slug = await publish(t.app, {
      name: 'Ask first',
      nodes: [
        node('start', 'start'),
        node('ask', 'input', { prompt: 'Name?', schema: { type: 'object', properties: { name: { type: 'string' } } } }),
        node('done', 'response', { output: '{{steps.ask.output.name}}' }),
      ],
      edges: chain('start', 'ask', 'done'),
    });
    const { status, body } = await start(t.app, slug, {}, 300);
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'waiting', waiting: { reason: 'input', prompt: 'Name?' }, output: null });
    expect(body).toEqual(await getExecution(t.app, body.id));
  });

  it('refuses input that does not fit the schema, writing nothing', async () => {
    const slug = await publish(t.app, refundGraph());
    const bad = await start(t.app, slug, { input: { orderId: 'A-1', amount: 'forty' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ code: 'invalid_input', path: 'amount', message: 'amount must be a number' }),
    ]);
    const missing = await start(t.app, slug, { input: {} });
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['orderId', 'amount']);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/executions' })).json();
    expect(list.items).toHaveLength(0);
  });

  it('says to publish first when a workflow has no version', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/workflows', payload: refundGraph() });
    const response = await start(t.app, 'refund-request', { input: { orderId: 'A', amount: 1 } });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain('publish');
  });

  it('takes the true branch of the refund workflow and calls the payments service once with an idempotency key', async () => {
    const slug = await publish(t.app, refundGraph());
    const { body } = await start(t.app, slug, { input: { orderId: 'A-17', amount: 40 } }, 10_000);
    expect(body).toMatchObject({ status: 'completed', output: { status: 'refunded', id: 'R-1' } });
    expect(received).toEqual([
      { url: '/refunds', body: JSON.stringify({ order: 'A-17' }), idempotencyKey: `${body.id}:pay:1` },
    ]);
    const ask = body.steps.find((s: { nodeId: string }) => s.nodeId === 'ask');
    expect(ask.status).toBe('pruned');
  });

  it('waits for an approval, then pays when approved', async () => {
    const slug = await publish(t.app, refundGraph());
    const { status, body } = await start(t.app, slug, { input: { orderId: 'B-2', amount: 500 } });
    expect(status).toBe(202);
    const waiting = await until(t.app, body.id, ['waiting']);
    expect(waiting.waiting).toMatchObject({ reason: 'approval', nodeId: 'ask', prompt: 'Refund 500 EUR?' });
    expect(waiting.currentNodeIds).toEqual(['ask']);
    expect(received).toHaveLength(0);

    const refused = await command(t.app, body.id, 'input', { values: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('allowed now: approve, reject, skip, pause, cancel');

    const approved = await command(t.app, body.id, 'approval', { decision: 'approve', comment: 'ok' });
    expect(approved.status).toBe(200);
    const done = await until(t.app, body.id, ['completed']);
    expect(done.output).toEqual({ status: 'refunded', id: 'R-1' });
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'ask')).toMatchObject({
      handle: 'approved',
      output: { decision: 'approved', comment: 'ok' },
    });
  });

  it('ends without paying when the approval is rejected', async () => {
    const slug = await publish(t.app, refundGraph());
    const { body } = await start(t.app, slug, { input: { orderId: 'C-3', amount: 500 } });
    await until(t.app, body.id, ['waiting']);
    await command(t.app, body.id, 'approval', { decision: 'reject' });
    const done = await until(t.app, body.id, ['completed']);
    expect(
      done.steps
        .filter((s: { status: string }) => s.status === 'pruned')
        .map((s: { nodeId: string }) => s.nodeId)
        .sort(),
    ).toEqual(['done', 'pay']);
    expect(received).toHaveLength(0);
  });

  it('asks for input, rejects bad values and keeps waiting, then continues with good ones', async () => {
    const slug = await publish(t.app, {
      name: 'Ask',
      nodes: [
        node('start', 'start'),
        node('ask', 'input', {
          prompt: 'How many?',
          schema: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 1 } } },
        }),
        node('done', 'response', { output: '{{steps.ask.output.count * 10}}' }),
      ],
      edges: chain('start', 'ask', 'done'),
    });
    const { body } = await start(t.app, slug);
    const waiting = await until(t.app, body.id, ['waiting']);
    expect(waiting.waiting).toMatchObject({ reason: 'input', prompt: 'How many?', schema: { required: ['count'] } });
    const bad = await command(t.app, body.id, 'input', { values: { count: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('count must be at least 1');
    expect((await getExecution(t.app, body.id)).status).toBe('waiting');
    expect((await command(t.app, body.id, 'input', { values: { count: 3 } })).status).toBe(200);
    expect((await until(t.app, body.id, ['completed'])).output).toBe(30);
  });

  it('runs independent branches concurrently and joins once', async () => {
    const slug = await publish(t.app, {
      name: 'Fan',
      nodes: [
        node('start', 'start'),
        node('a', 'function', { code: 'return 1' }),
        node('b', 'function', { code: 'return 2' }),
        node('join', 'function', { code: 'return steps.a.output + steps.b.output' }),
      ],
      edges: [edge('start', 'a'), edge('start', 'b'), edge('a', 'join'), edge('b', 'join')],
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');
    expect(body.output).toBe(3);
    expect(body.steps.filter((s: { nodeId: string }) => s.nodeId === 'join')).toHaveLength(1);
  });

  it('prunes the branch not taken and still runs a join reached by the taken one', async () => {
    const slug = await publish(t.app, {
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
    const small = await start(t.app, slug, { input: { x: 1 } }, 10_000);
    expect(small.body.output).toBe('small');
    expect(small.body.steps.find((s: { nodeId: string }) => s.nodeId === 'yes').status).toBe('pruned');
    const big = await start(t.app, slug, { input: { x: 11 } }, 10_000);
    expect(big.body.output).toBe('big');
  });

  it('routes by the first matching route, else the default', async () => {
    const slug = await publish(t.app, {
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
    expect((await start(t.app, slug, { input: { tier: 'gold' } }, 10_000)).body.output).toBe('gold desk');
    expect((await start(t.app, slug, { input: { tier: 'tin' } }, 10_000)).body.output).toBe('standard desk');
  });

  it('runs a loop over items with bounded concurrency and collects results in order', async () => {
    const slug = await publish(t.app, {
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
    const { body } = await start(t.app, slug, { input: { items: [1, 2, 3, 4, 5] } }, 15_000);
    expect(body.status).toBe('completed');
    expect(body.output).toEqual([1, 4, 9, 16, 25]);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/executions' })).json();
    expect(list.items).toHaveLength(1); // iterations are internal
  });

  it('runs the batch-notify example: one notification per recipient, in order', async () => {
    const graph = JSON.parse(readFileSync(new URL('../../examples/batch-notify.json', import.meta.url), 'utf8'));
    const slug = await publish(t.app, graph);
    const { body } = await start(
      t.app,
      slug,
      { input: { recipients: ['a@x.io', 'b@x.io', 'c@x.io'], message: 'hi' } },
      15_000,
    );
    expect(body.status).toBe('completed');
    expect(body.output.count).toBe(3);
    expect(body.output.notifications.map((n: { to: string; position: number }) => `${n.position}:${n.to}`)).toEqual([
      '1:a@x.io',
      '2:b@x.io',
      '3:c@x.io',
    ]);
  });

  it('fails a loop over more items than maxIterations with a message that says what to change', async () => {
    const slug = await publish(t.app, {
      name: 'Bounded',
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: '[1,2,3]', maxIterations: 2 }),
        node('x', 'function', { code: 'return 1' }, { parentId: 'each' }),
      ],
      edges: [edge('start', 'each')],
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.message).toContain('maxIterations is 2');
  });

  it('runs parallel branches inside a container and joins them', async () => {
    const slug = await publish(t.app, {
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
    const { body } = await start(t.app, slug, {}, 15_000);
    expect(body.output).toEqual({ a: 'A', b: 'B' });
  });

  it('runs a published subworkflow as a child execution and uses its output', async () => {
    await publish(t.app, {
      name: 'Tax',
      inputs: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      nodes: [node('start', 'start'), node('out', 'response', { output: '{{ input.amount * 1.2 }}' })],
      edges: chain('start', 'out'),
    });
    const slug = await publish(t.app, {
      name: 'Invoice',
      nodes: [
        node('start', 'start'),
        node('tax', 'subworkflow', { workflowId: 'tax', input: { amount: 100 } }),
        node('done', 'response', { output: '{{ steps.tax.output }}' }),
      ],
      edges: chain('start', 'tax', 'done'),
    });
    const { body } = await start(t.app, slug, {}, 15_000);
    expect(body.status).toBe('completed');
    expect(body.output).toBe(120);
  });

  it('fails an agent step without a provider, naming the settings to add', async () => {
    const slug = await publish(t.app, {
      name: 'Agent',
      nodes: [node('start', 'start'), node('ai', 'agent', { prompt: 'hi' })],
      edges: chain('start', 'ai'),
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.message).toContain('OPENAI_API_KEY');
  });

  it('sleeps durably in a wait step', async () => {
    const slug = await publish(t.app, {
      name: 'Nap',
      nodes: [
        node('start', 'start'),
        node('nap', 'wait', { durationMs: 300 }),
        node('done', 'response', { output: 'awake' }),
      ],
      edges: chain('start', 'nap', 'done'),
    });
    const started = Date.now();
    const { body } = await start(t.app, slug);
    const waiting = await until(t.app, body.id, ['waiting', 'completed']);
    if (waiting.status === 'waiting') expect(waiting.waiting).toMatchObject({ reason: 'time', nodeId: 'nap' });
    const done = await until(t.app, body.id, ['completed']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(done.output).toBe('awake');
  });
});
