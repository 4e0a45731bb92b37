import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { ask } from '../support/sockets.ts';

/** NUL characters and lone surrogates can never be stored (PostgreSQL refuses NUL): every entry point says so first. */

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await startTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});
const s = {
  get app() {
    return t.app;
  },
  get t() {
    return t;
  },
};

/** Every route's URL with each parameter (and wildcard) filled with `value`. */
function routeUrls(value: string): Array<{ method: string; url: string }> {
  return s.app.routeAccess.map(({ method, url }) => ({
    method,
    url: url.replace(/:[A-Za-z]+/g, value).replace(/\*$/, value),
  }));
}

describe('NUL bytes and lone surrogates over HTTP', () => {
  it('answers GET /api/v1/workflows/%00 with a 400 that says what is wrong (it was a 500 from PostgreSQL)', async () => {
    const response = await s.app.inject({ url: '/api/v1/workflows/%00' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.message).toContain('the request path contains a NUL character at id');
  });

  it('answers a NUL or a lone surrogate in any path parameter of any route with a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const value of ['%00', 'a%00b', '%ED%A0%80', '%ED%B0%80x']) {
      for (const { method, url } of routeUrls(value)) {
        if (!url.includes(value)) continue;
        const response = await s.app.inject({ method: method as 'GET', url });
        if (response.statusCode >= 500) failures.push(`${method} ${url} → ${response.statusCode}`);
        else if (url.startsWith('/api/v1/') && ![400, 404].includes(response.statusCode))
          failures.push(`${method} ${url} → ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a NUL in a query parameter before the route runs', async () => {
    const response = await s.app.inject({ url: '/api/v1/workflows?cursor=a%00b' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('the request query contains a NUL character at cursor');
  });

  it('refuses JSON strings and keys with a NUL or a lone surrogate on every route that takes a body, storing nothing', async () => {
    const bodies = [
      { text: JSON.stringify({ ...tinyGraph(), name: 'bad\u0000name' }), what: 'a NUL character at name' },
      { text: JSON.stringify(tinyGraph()).replace('"Tiny"', '"\\ud800"'), what: 'an unpaired surrogate at name' },
      { text: '{"nodes":[{"\\udc00":1}]}', what: 'an unpaired surrogate at nodes[0].' },
    ];
    for (const { text, what } of bodies) {
      const response = await s.app.inject({
        method: 'POST',
        url: '/api/v1/workflows',
        headers: { 'content-type': 'application/json' },
        payload: text,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain(`the request body contains ${what}`);
    }
    const failures: string[] = [];
    for (const { method, url } of routeUrls('x')) {
      if (!['POST', 'PUT', 'PATCH'].includes(method)) continue;
      const response = await s.app.inject({
        method: method as 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{"name":"a\\u0000b","text":"\\ud800","input":{"k":"\\u0000"}}',
      });
      if (response.statusCode >= 500) failures.push(`${method} ${url} → ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
    expect((await s.app.inject({ url: '/api/v1/workflows' })).json().items).toEqual([]);
  });

  it('still accepts text with paired surrogates (emoji) and other control characters', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: { ...tinyGraph(), name: 'Greet 👋\tthem' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().name).toBe('Greet 👋\tthem');
  });
});

describe('NUL bytes and lone surrogates over the socket', () => {
  it('answers an event whose payload holds one with a validation error before any handler runs', async () => {
    const socket = connect(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: t.key },
    });
    onTestFinished(() => void socket.disconnect());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (const [event, payload] of [
      ['conversation.message', { conversationId: 'c', text: 'hi\u0000' }],
      ['execution.subscribe', { executionId: '\ud800' }],
      ['workspace.subscribe', { workspaceId: 'a\u0000' }],
    ] as const) {
      const answer = await ask(socket, event, payload);
      expect(answer, event).toMatchObject({ error: { code: 'validation_failed' } });
      expect(String((answer as { error: { message: string } }).error.message)).toMatch(
        /^the request payload contains (a NUL character|an unpaired surrogate) at \w+/,
      );
    }
    // The socket still works afterwards.
    expect(await ask(socket, 'workspace.subscribe', { workspaceId: s.t.workspaceId })).toEqual({ ok: true });
  });
});
