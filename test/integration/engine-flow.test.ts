import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { refundGraph } from '../support/fixtures.ts';
import { startPaymentsService, type PaymentsService } from '../support/payments-service.ts';
import { chain, command, getExecution, node, publish, start, until } from '../support/workflows.ts';

let payments: PaymentsService;
beforeAll(async () => {
  payments = await startPaymentsService();
  process.env.PAYMENTS_URL = payments.url;
});
afterAll(() => payments.close());

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ WORKFLOW_ENV_ALLOWLIST: 'PAYMENTS_URL' });
  payments.received.length = 0;
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

  it('waits for an approval, then pays when approved', async () => {
    const slug = await publish(t.app, refundGraph());
    const { status, body } = await start(t.app, slug, { input: { orderId: 'B-2', amount: 500 } });
    expect(status).toBe(202);
    const waiting = await until(t.app, body.id, ['waiting']);
    expect(waiting.waiting).toMatchObject({ reason: 'approval', nodeId: 'ask', prompt: 'Refund 500 EUR?' });
    expect(waiting.currentNodeIds).toEqual(['ask']);
    expect(payments.received).toHaveLength(0);

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
});
