import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { signedInMember } from '../support/sessions.ts';

const LISTED = 'https://app.example.com';
const FOREIGN = 'https://evil.example';
/** What a browser on a page of Duet itself sends. */
const OWN = { host: 'duet.example.com:3000', origin: 'http://duet.example.com:3000' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: LISTED });
});
afterAll(async () => {
  await t.close();
});

const preflight = (origin: string) =>
  t.anonymous({
    method: 'OPTIONS',
    url: '/api/v1/workflows',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-duet-workspace',
    },
  });

describe('CORS (CORS_ORIGINS)', () => {
  it("answers a listed origin's preflight with its origin, credentials, and the methods and headers it may use", async () => {
    const response = await preflight(LISTED);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(LISTED);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(response.headers['access-control-allow-headers'])).toContain('x-duet-workspace');
  });

  it('lets a listed origin read the actual answer, credentials included', async () => {
    const response = await t.app.inject({ url: '/api/v1/workflows', headers: { origin: LISTED } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(LISTED);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers.vary).toContain('Origin');
  });

  it('gives a foreign origin no CORS header at all, on preflight or actual request', async () => {
    for (const response of [
      await preflight(FOREIGN),
      await t.app.inject({ url: '/api/v1/workflows', headers: { origin: FOREIGN } }),
    ]) {
      const cors = Object.keys(response.headers).filter((h) => h.startsWith('access-control-'));
      expect(cors).toEqual([]);
    }
    expect((await preflight(FOREIGN)).statusCode).toBe(404);
  });
});

describe('socket.io CORS', () => {
  let url: string;
  beforeAll(async () => {
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  const handshake = (origin: string) => fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });

  it('lets a listed origin open a long-polling socket with credentials', async () => {
    const response = await handshake(LISTED);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('gives a foreign origin no CORS header', async () => {
    const response = await handshake(FOREIGN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CSRF: writes signed in by cookie', () => {
  let cookie: string;
  beforeAll(async () => {
    ({ cookie } = await signedInMember(t, 'editor'));
  });

  const create = (name: string, headers: Record<string, string>) =>
    t.anonymous({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: { cookie, ...headers },
      payload: tinyGraph(name),
    });
  const names = async () =>
    (await t.app.inject({ url: '/api/v1/workflows?limit=100' })).json().items.map((w: { name: string }) => w.name);

  it('are refused without an Origin header', async () => {
    const response = await create('No origin', {});
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/Origin/);
  });

  it('are refused from a foreign origin, and nothing is written', async () => {
    const response = await create('Forged', { origin: FOREIGN });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toContain(FOREIGN);
    expect(await names()).not.toContain('Forged');
  });

  it("go through from Duet's own origin and from a CORS_ORIGINS origin", async () => {
    expect((await create('Own origin', OWN)).statusCode).toBe(201);
    expect((await create('Listed origin', { origin: LISTED })).statusCode).toBe(201);
    expect(await names()).toEqual(expect.arrayContaining(['Own origin', 'Listed origin']));
  });
});
