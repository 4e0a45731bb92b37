import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { publish, until } from '../support/workflows.ts';

const HMAC_SECRET = 'duet-hook-secret-1';
/** A Standard Webhooks key: whsec_ and base64 of the key bytes. */
const STANDARD_SECRET = `whsec_${Buffer.from('a standard webhooks key, 32 byte').toString('base64')}`;
const TOKEN = 'shared-token-9f2c';

/** Greets a customer: typed inputs, and an output a sync webhook answers with. */
const greeter = (name: string) => ({
  name,
  inputs: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      plan: { type: 'string', enum: ['free', 'pro'] },
      seats: { type: 'integer', minimum: 1 },
      event: { type: 'string' },
    },
  },
  nodes: [
    { id: 'start', type: 'start', name: 'Start' },
    { id: 'done', type: 'response', name: 'Done', config: { output: { greeting: 'Hello {{input.name}}' } } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'done' }],
});

let t: TestApp;
let slug: string;
let workspaceSlug: string;
beforeAll(async () => {
  t = await startTestApp({ MAX_REQUEST_BODY_BYTES: '4096' });
  slug = await publish(t.app, greeter('Greeter'));
  for (const [name, value] of [
    ['HOOK_HMAC', HMAC_SECRET],
    ['HOOK_STANDARD', STANDARD_SECRET],
    ['HOOK_TOKEN', TOKEN],
  ])
    await t.app.inject({ method: 'PUT', url: `/api/v1/secrets/${name}`, payload: { value } });
});
afterAll(async () => t.close());

async function hook(config: object): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/v1/workflows/${slug}/triggers`,
    payload: { type: 'webhook', config },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const { url } = created.json();
  workspaceSlug = url.split('/')[2];
  return url;
}

const deliver = (url: string, body: string, headers: Record<string, string> = {}, method: 'POST' | 'GET' = 'POST') =>
  t.anonymous({ method, url, payload: body, headers: { 'content-type': 'application/json', ...headers } });

async function executionsOf(): Promise<Json[]> {
  const listed = await t.app.inject({ method: 'GET', url: `/api/v1/executions?workflowId=${slug}&limit=100` });
  return listed.json().items;
}

const duetSignature = (body: string, at = Math.floor(Date.now() / 1000), secret = HMAC_SECRET) =>
  `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;

describe('webhook triggers', () => {
  it('starts the published version with the body mapped to its inputs and answers 202 with the execution id', async () => {
    const url = await hook({ path: 'signup' });
    const response = await deliver(url, JSON.stringify({ name: 'Ada', plan: 'pro', extra: { ignored: true } }));
    expect(response.statusCode).toBe(202);
    const { executionId } = response.json();
    expect(response.headers['x-duet-execution-id']).toBe(executionId);
    const done = await until(t.app, executionId, ['completed']);
    expect(done.input).toEqual({ name: 'Ada', plan: 'pro' });
    expect(done.output).toEqual({ greeting: 'Hello Ada' });
  });

  it('answers a sync hook with the response block output', async () => {
    const url = await hook({ path: 'sync-signup', respond: 'sync' });
    const response = await deliver(url, JSON.stringify({ name: 'Grace' }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ greeting: 'Hello Grace' });
  });

  it('refuses a body that does not fit the inputs with 422 naming each field, starting nothing', async () => {
    const url = await hook({ path: 'strict' });
    const before = (await executionsOf()).length;
    const response = await deliver(url, JSON.stringify({ plan: 'gold', seats: 0 }));
    expect(response.statusCode).toBe(422);
    expect(
      response
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['name', 'plan', 'seats']);
    expect((await executionsOf()).length).toBe(before);
  });

  it('checks X-Duet-Signature over the raw body: a bad or stale one is 401, audited, and starts nothing', async () => {
    const url = await hook({ path: 'signed', auth: { scheme: 'hmac', secret: 'HOOK_HMAC' } });
    // Key order and spacing are kept exactly: the signature covers the bytes sent, not a re-serialisation.
    const body = '{"plan": "free",   "name": "Linus"}';
    const before = (await executionsOf()).length;
    const wrong = await deliver(url, body, { 'x-duet-signature': duetSignature(body, undefined, 'not-the-secret') });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('signature does not match');
    const stale = await deliver(url, body, {
      'x-duet-signature': duetSignature(body, Math.floor(Date.now() / 1000) - 600),
    });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toContain('300 s');
    const missing = await deliver(url, body);
    expect(missing.statusCode).toBe(401);
    expect((await executionsOf()).length).toBe(before);
    const audit = (await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=100' })).json().items;
    const refused = audit.filter((e: Json) => e.action === 'POST /hooks/:workspaceSlug/:path');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused[0]).toMatchObject({
      outcome: 'denied',
      statusCode: 401,
      resourceType: 'triggers',
      actorType: 'anonymous',
    });

    const good = await deliver(url, body, { 'x-duet-signature': duetSignature(body) });
    expect(good.statusCode).toBe(202);
    expect((await until(t.app, good.json().executionId, ['completed'])).input).toEqual({ plan: 'free', name: 'Linus' });
  });

  it('accepts Standard Webhooks deliveries and uses webhook-id as the idempotency key', async () => {
    const url = await hook({ path: 'standard', auth: { scheme: 'standard', secret: 'HOOK_STANDARD' } });
    const body = JSON.stringify({ name: 'Margaret' });
    const id = `msg_${randomUUID()}`;
    const at = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(STANDARD_SECRET.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
    const headers = { 'webhook-id': id, 'webhook-timestamp': at, 'webhook-signature': `v1,bm90IGl0 v1,${signature}` };
    const first = await deliver(url, body, headers);
    expect(first.statusCode).toBe(202);
    const again = await deliver(url, body, headers);
    expect(again.json()).toMatchObject({ executionId: first.json().executionId, replayed: true });
    const tampered = await deliver(url, body.replace('Margaret', 'Mallory'), headers);
    expect(tampered.statusCode).toBe(401);
  });

  it('takes a shared token as a bearer or X-Duet-Token header', async () => {
    const url = await hook({ path: 'token', auth: { scheme: 'token', secret: 'HOOK_TOKEN' } });
    const body = JSON.stringify({ name: 'Barbara' });
    expect((await deliver(url, body, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(202);
    expect((await deliver(url, body, { 'x-duet-token': TOKEN })).statusCode).toBe(202);
    expect((await deliver(url, body, { 'x-duet-token': `${TOKEN}x` })).statusCode).toBe(401);
  });

  it('starts a retried delivery once: the same Idempotency-Key or body field returns the same execution', async () => {
    const url = await hook({ path: 'orders', idempotencyField: 'delivery.id' });
    const before = (await executionsOf()).length;
    const headers = { 'idempotency-key': `order-${randomUUID()}` };
    const deliveries = await Promise.all(
      Array.from({ length: 5 }, () => deliver(url, JSON.stringify({ name: 'Katherine' }), headers)),
    );
    const ids = new Set(deliveries.map((d) => d.json().executionId));
    expect(ids.size).toBe(1);
    expect(deliveries.filter((d) => d.json().replayed === false)).toHaveLength(1);
    const byField = JSON.stringify({ name: 'Katherine', delivery: { id: 'evt_42' } });
    const one = await deliver(url, byField);
    expect(one.statusCode).toBe(202);
    const two = await deliver(url, byField);
    expect(two.json().executionId).toBe(one.json().executionId);
    expect((await executionsOf()).length).toBe(before + 2);
  });

  it('takes GET (query string, typed by the inputs) only when allowed, and forms as well as JSON', async () => {
    const closed = await hook({ path: 'post-only' });
    expect((await t.anonymous({ method: 'GET', url: `${closed}?name=Ada` })).statusCode).toBe(405);
    const open = await hook({ path: 'pixel', allowGet: true, headerFields: { event: 'x-event-name' } });
    const got = await t.anonymous({
      method: 'GET',
      url: `${open}?name=Alan&seats=3`,
      headers: { 'x-event-name': 'ping' },
    });
    expect(got.statusCode).toBe(202);
    expect((await until(t.app, got.json().executionId, ['completed'])).input).toEqual({
      name: 'Alan',
      seats: 3,
      event: 'ping',
    });
    const form = await t.anonymous({
      method: 'POST',
      url: open,
      payload: 'name=Edsger&plan=free',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await until(t.app, form.json().executionId, ['completed'])).input).toEqual({
      name: 'Edsger',
      plan: 'free',
    });
    const xml = await deliver(open, '<name>x</name>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
  });

  it('refuses an oversized body with 413 and too many deliveries with 429, starting nothing', async () => {
    const url = await hook({ path: 'limited', rateLimitPerMinute: 2 });
    const before = (await executionsOf()).length;
    const big = await deliver(url, JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(big.statusCode).toBe(413);
    expect((await deliver(url, JSON.stringify({ name: 'One' }))).statusCode).toBe(202);
    expect((await deliver(url, JSON.stringify({ name: 'Two' }))).statusCode).toBe(202);
    const third = await deliver(url, JSON.stringify({ name: 'Three' }));
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await executionsOf()).length).toBe(before + 2);
  });

  it('answers 404 for an unknown, paused or other workspace hook', async () => {
    const url = await hook({ path: 'paused-hook' });
    const listed = (await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${slug}/triggers` })).json().items;
    const { id } = listed.find((h: Json) => h.url === url);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/triggers/${id}`, payload: { enabled: false } });
    expect((await deliver(url, JSON.stringify({ name: 'Ada' }))).statusCode).toBe(404);
    expect((await deliver(`/hooks/${workspaceSlug}/nothing-here`, '{}')).statusCode).toBe(404);
    expect((await deliver(`/hooks/elsewhere/signup`, '{}')).statusCode).toBe(404);
  });
});
