import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { TWILIO_FROM, TwilioServer } from '../support/twilio-server.ts';
import { chain, node, publish, start, until } from '../support/workflows.ts';

/** A webhook receiver that records what it was sent. */
let hook: Server;
let hookUrl = '';
const received: Array<{ headers: IncomingHttpHeaders; body: Json }> = [];
let twilio: TwilioServer;
beforeAll(async () => {
  hook = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(received.length === 1 && req.url === '/flaky' ? 503 : 200).end('{}');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}`;
  twilio = await new TwilioServer().listen();
});
afterAll(async () => {
  await new Promise<void>((r) => hook.close(() => r()));
  await twilio.close();
});

let t: TestApp;
beforeEach(async () => {
  received.length = 0;
  twilio.messages.length = 0;
  t = await startTestApp(twilio.env());
});
afterEach(() => t.close());

const notifyGraph = (config: object) => ({
  name: `Notify ${Math.random().toString(36).slice(2, 8)}`,
  inputs: { type: 'object', properties: { who: { type: 'string' }, name: { type: 'string' } } },
  nodes: [node('start', 'start'), node('tell', 'notify', config)],
  edges: chain('start', 'tell'),
});

async function run(config: object, input: object) {
  const slug = await publish(t.app, notifyGraph(config));
  const started = await start(t.app, slug, { input });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return until(t.app, started.body.id, ['completed', 'failed']);
}

describe('notify block', () => {
  it('texts the rendered message through the SMS outbox to the loopback provider', async () => {
    const done = await run(
      { channel: 'sms', to: '{{input.who}}', text: 'Hi {{input.name}}, your order shipped.' },
      {
        who: '+15551230001',
        name: 'Ada',
      },
    );
    expect(done.status).toBe('completed');
    const output = done.steps.find((s: Json) => s.nodeId === 'tell').output;
    expect(output).toMatchObject({ channel: 'sms', to: '+15551230001', messages: [{ segments: 1 }] });
    const deadline = Date.now() + 10_000;
    while (twilio.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(twilio.messages).toEqual([
      expect.objectContaining({ to: '+15551230001', from: TWILIO_FROM, body: 'Hi Ada, your order shipped.' }),
    ]);
  });

  it('fails the step with a clear reason when the rendered number is not a phone number', async () => {
    const bad = await run({ channel: 'sms', to: '{{input.who}}', text: 'Hi' }, { who: 'call me maybe' });
    expect(bad.status).toBe('failed');
    expect(bad.error.message).toContain('is not a phone number in E.164 form');
  });

  it('posts JSON to a webhook with an Idempotency-Key, retrying a 5xx under the same step', async () => {
    const done = await run(
      {
        channel: 'webhook',
        to: `${hookUrl}/flaky`,
        text: 'Build {{input.name}} finished',
        retry: { maxAttempts: 2, delayMs: 10 },
      },
      { name: '#42' },
    );
    expect(done.status).toBe('completed');
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toEqual({ text: 'Build #42 finished', executionId: done.id, nodeId: 'tell' });
    expect(received[0]!.headers['idempotency-key']).toBe(`${done.id}:tell:1`);
    expect(received[1]!.headers['idempotency-key']).toBe(`${done.id}:tell:2`);
  });

  it('posts the message into a conversation, where it shows among its turns', async () => {
    const chat = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
    const done = await run(
      { channel: 'chat', to: '{{input.who}}', text: 'Reminder: {{input.name}}' },
      {
        who: chat.id,
        name: 'call the bank',
      },
    );
    expect(done.status).toBe('completed');
    const turns = (await t.app.inject({ url: `/api/v1/conversations/${chat.id}` })).json().turns as Json[];
    expect(turns.at(-1)).toMatchObject({ role: 'assistant', text: 'Reminder: call the bank', intent: 'notify' });

    const missing = await run(
      { channel: 'chat', to: '{{input.who}}', text: 'x' },
      {
        who: '00000000-0000-4000-8000-000000000000',
      },
    );
    expect(missing.status).toBe('failed');
    expect(missing.error.message).toContain('does not exist');
  });
});
