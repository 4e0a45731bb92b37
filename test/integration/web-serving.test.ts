import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/server/plugins/web.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

// Whether or not the bundle was built in this checkout, page paths get HTML and API paths keep JSON errors.
describe('serving the web app', () => {
  it('answers page paths (deep links included) with the app page, not cached', async () => {
    for (const path of ['/', '/workflows/refund-request', '/executions/1b0c']) {
      const response = await t.app.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain(existsSync(`${WEB_DIST}index.html`) ? '<div id="root">' : 'npm run build:web');
    }
  });

  it('keeps JSON 404s for unknown API routes and missing files', async () => {
    for (const path of ['/api/v1/nope', '/api', '/socket.io/nope', '/assets/missing-1234.js', '/favicon.ico']) {
      const response = await t.app.inject({ method: 'GET', url: path });
      expect(response.statusCode, path).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });
});
