import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

/** The CSP header as directive → sources. */
function csp(header: unknown): Map<string, string[]> {
  expect(typeof header, 'a Content-Security-Policy header').toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('puts a CSP without eval or inline script, and a ban on framing, on pages, API answers and errors alike', async () => {
    for (const url of ['/', '/workflows/anything', '/api/v1/workflows', '/api/v1/nope', '/health']) {
      const response = await t.app.inject({ url });
      const policy = csp(response.headers['content-security-policy']);
      expect(policy.get('script-src'), url).toEqual(["'self'"]);
      expect(policy.get('style-src'), url).toEqual(["'self'"]);
      expect(policy.get('object-src'), url).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(response.headers['content-security-policy'], url).not.toMatch(/unsafe-eval|unsafe-inline/);
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('lets the API docs page, and only it, use inline styles; its scripts stay same-origin', async () => {
    const docs = await t.anonymous({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    const policy = csp(docs.headers['content-security-policy']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('ignores X-Forwarded-Proto from a proxy it does not trust: no HSTS on plain http', async () => {
    const response = await t.anonymous({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('HSTS behind a trusted TLS proxy (TRUST_PROXY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is sent when the proxy says the request came over https, on pages and API answers', async () => {
    for (const url of ['/', '/api/v1/workflows']) {
      const response = await t.app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.headers['strict-transport-security'], url).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
    }
  });

  it('is not sent for plain http through the same proxy', async () => {
    expect(
      (await t.app.inject({ url: '/', headers: { 'x-forwarded-proto': 'http' } })).headers['strict-transport-security'],
    ).toBeUndefined();
    expect((await t.app.inject({ url: '/' })).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('HSTS with a proxy list that does not include the caller', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '10.0.0.0/8' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('ignores X-Forwarded-Proto from any other peer', async () => {
    const response = await t.anonymous({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});
