import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { chain, node, publish } from '../support/workflows.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ CHAT_MESSAGES_PER_MINUTE: '5' });
});
afterEach(() => t.close());

const graph = (name: string) => ({
  name,
  nodes: [node('start', 'start'), node('done', 'response', { output: { ok: true } })],
  edges: chain('start', 'done'),
});

async function chatTrigger(workflow: string, config: object) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/workflows/${workflow}/triggers`,
    payload: { type: 'chat', config },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function session(path: string, body: object = {}, headers: Record<string, string> = {}) {
  return t.anonymous({ method: 'POST', url: `${path}/session`, payload: body, headers });
}

async function say(path: string, token: string, text: string) {
  return t.anonymous({
    method: 'POST',
    url: `${path}/messages`,
    payload: { text },
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('public chat page', () => {
  it('serves the page of an enabled chat trigger on a published workflow, with the app CSP, and 404 otherwise', async () => {
    expect((await t.anonymous({ url: '/c/default/support' })).statusCode).toBe(404);
    const slug = await publish(t.app, graph('Support'));
    await chatTrigger(slug, { slug: 'support' });
    const page = await t.anonymous({ url: '/c/default/support' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>Support</title>');
    expect(page.body).toContain('src="/c/assets/chat.js"');
    expect(page.body).not.toMatch(/<script>|style=/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('lets only the allowed origins embed it, and refuses requests from other sites', async () => {
    const slug = await publish(t.app, graph('Support'));
    await chatTrigger(slug, { slug: 'support', allowedOrigins: ['https://shop.example.com'] });
    const page = await t.anonymous({ url: '/c/default/support' });
    expect(page.headers['content-security-policy']).toContain('frame-ancestors https://shop.example.com');
    expect(page.headers['x-frame-options']).toBeUndefined();
    const widget = await t.anonymous({ url: '/c/widget.js' });
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(widget.body).toContain('iframe');
    expect((await session('/c/default/support', {}, { origin: 'https://evil.example.net' })).statusCode).toBe(403);
    expect((await session('/c/default/support', {}, { origin: 'https://shop.example.com' })).statusCode).toBe(201);
  });

  it('converses with its one workflow only: runs it for real, and never lists or runs another', async () => {
    const slug = await publish(t.app, graph('Support'));
    await publish(t.app, graph('Payroll'));
    await chatTrigger(slug, { slug: 'support' });
    const opened = await session('/c/default/support');
    expect(opened.statusCode, opened.body).toBe(201);
    const { token, reply } = opened.json();
    expect(reply).toContain('Support');

    const listed = (await say('/c/default/support', token, 'list workflows')).json();
    expect(listed.reply).toContain('Support');
    expect(listed.reply).not.toContain('Payroll');
    const other = (await say('/c/default/support', token, 'run Payroll')).json();
    expect(other.reply).not.toContain('Payroll');
    const started = (await say('/c/default/support', token, 'run it')).json();
    expect(started.reply).toContain('Started "Support"');

    // "run Payroll" could only mean the page's own workflow: every run is of Support.
    const executions = (await t.app.inject({ url: '/api/v1/executions' })).json().items as Json[];
    const support = (await t.app.inject({ url: `/api/v1/workflows/${slug}` })).json();
    expect(executions.length).toBeGreaterThan(0);
    expect(executions.every((e) => e.workflowId === support.id)).toBe(true);
    const turns = (
      await t.anonymous({ url: '/c/default/support/turns?after=0', headers: { authorization: `Bearer ${token}` } })
    ).json().items as Json[];
    expect(turns.filter((turn) => turn.role === 'user').map((turn) => turn.text)).toEqual([
      'list workflows',
      'run Payroll',
      'run it',
    ]);
  });

  it('refuses a missing, forged or foreign visitor token, and a disabled trigger', async () => {
    const support = await publish(t.app, graph('Support'));
    const sales = await publish(t.app, graph('Sales'));
    const trigger = await chatTrigger(support, { slug: 'support' });
    await chatTrigger(sales, { slug: 'sales' });
    const { token } = (await session('/c/default/support')).json();
    expect((await say('/c/default/support', 'nope', 'hi')).statusCode).toBe(401);
    expect((await say('/c/default/support', `${token.slice(0, -2)}xx`, 'hi')).statusCode).toBe(401);
    expect((await say('/c/default/sales', token, 'hi')).statusCode).toBe(401);
    // Visitors have no way into the API.
    const api = await t.anonymous({ url: '/api/v1/workflows', headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(401);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/triggers/${trigger.id}`, payload: { enabled: false } });
    expect((await say('/c/default/support', token, 'hi')).statusCode).toBe(404);
  });

  it('asks for the password when the page has one', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/secrets/CHAT_PASSWORD',
      payload: { value: 'open sesame' },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const slug = await publish(t.app, graph('Support'));
    await chatTrigger(slug, { slug: 'support', passwordSecret: 'CHAT_PASSWORD' });
    expect((await t.anonymous({ url: '/c/default/support' })).body).toContain('data-password="true"');
    expect((await session('/c/default/support')).statusCode).toBe(401);
    expect((await session('/c/default/support', { password: 'guess' })).json().error.message).toBe('wrong password');
    expect((await session('/c/default/support', { password: 'open sesame' })).statusCode).toBe(201);
  });

  it('limits the messages of each visitor (CHAT_MESSAGES_PER_MINUTE)', async () => {
    const slug = await publish(t.app, graph('Support'));
    await chatTrigger(slug, { slug: 'support' });
    const first = (await session('/c/default/support')).json().token;
    const second = (await session('/c/default/support')).json().token;
    for (let i = 0; i < 5; i++) expect((await say('/c/default/support', first, 'status')).statusCode).toBe(200);
    const limited = await say('/c/default/support', first, 'status');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await say('/c/default/support', second, 'status')).statusCode).toBe(200);
  });
});
