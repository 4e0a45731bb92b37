import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys.ts';
import { listAudit } from '../../src/store/audit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const LIMIT = 3;

function expectRateLimited(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): { error: { code: string; message: string } };
}) {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.json().error.code).toBe('rate_limited');
  expect(response.json().error.message).toContain('API_RATE_LIMIT_PER_MINUTE');
}

describe('API rate limit per API key or user (API_RATE_LIMIT_PER_MINUTE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the call after the limit with 429 and Retry-After (unaudited), while another key still gets through', async () => {
    const { key: other } = await createApiKey(t.db, {
      workspaceId: t.workspaceId,
      name: 'other script',
      role: 'viewer',
    });
    for (let i = 1; i <= LIMIT; i++) {
      const response = await t.app.inject({ url: '/api/v1/workflows' });
      expect(response.statusCode, `call ${i}`).toBe(200);
      expect(response.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i));
    }
    expectRateLimited(await t.app.inject({ method: 'POST', url: '/api/v1/workflows', payload: {} }));
    expect(
      (await t.app.inject({ url: '/api/v1/workflows', headers: { authorization: `Bearer ${other}` } })).statusCode,
    ).toBe(200);
    // A flood of refused writes must not turn into a flood of audit rows.
    const audited = (await listAudit(t.db, { workspaceId: t.workspaceId }, { limit: 100 })).items;
    expect(audited.filter((entry) => entry.statusCode === 429)).toEqual([]);
  });

  it('never limits health, readiness, metrics or the web app', async () => {
    for (const url of ['/health', '/ready', '/metrics', '/', '/workflows/x', '/api/docs/']) {
      for (let i = 0; i <= LIMIT; i++) expect((await t.app.inject({ url })).statusCode, url).not.toBe(429);
    }
  });
});

describe('API rate limit per address for anonymous callers', () => {
  let t: TestApp;
  // The test's proxy is on loopback, as nginx on the same host would be.
  beforeAll(async () => {
    t = await startTestApp({ API_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const signIn = (address: string) =>
    t.anonymous({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: from(address),
      payload: { email: 'nobody@example.com', password: 'a wrong guess of a password' },
    });

  it('limits sign-in attempts from one address, and another address still gets to try', async () => {
    for (let i = 1; i <= LIMIT; i++) expect((await signIn('203.0.113.7')).statusCode, `attempt ${i}`).not.toBe(429);
    expectRateLimited(await signIn('203.0.113.7'));
    expect((await signIn('203.0.113.8')).statusCode).not.toBe(429);
  });

  it('shares one budget between every public route called from one address', async () => {
    expect((await t.anonymous({ url: '/api/v1/setup', headers: from('198.51.100.1') })).statusCode).toBe(200);
    expect((await t.anonymous({ url: '/api/openapi.json', headers: from('198.51.100.1') })).statusCode).toBe(200);
    expect((await signIn('198.51.100.1')).statusCode).not.toBe(429);
    expectRateLimited(await t.anonymous({ url: '/api/v1/setup', headers: from('198.51.100.1') }));
  });
});

describe('API rate limit without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('does not let an anonymous caller escape its limit by inventing X-Forwarded-For addresses', async () => {
    for (let i = 1; i <= LIMIT; i++)
      expect(
        (await t.anonymous({ url: '/api/v1/setup', headers: { 'x-forwarded-for': `192.0.2.${i}` } })).statusCode,
      ).toBe(200);
    expectRateLimited(await t.anonymous({ url: '/api/v1/setup', headers: { 'x-forwarded-for': '192.0.2.99' } }));
  });
});
