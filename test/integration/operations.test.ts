import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('reports health with a database check', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok', kind: 'pglite' } } });
  });

  it('reports 503 when the database is gone', async () => {
    await t.db.close();
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().checks.database.status).toBe('error');
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    t.close = async () => {
      await t.app.close();
    };
  });

  it('is ready once migrations are applied', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
    });
  });

  it('exports Prometheus metrics for requests, the process and projects', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/workflows' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/workflows",status_code="200"\} 1/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(/^projects_total 1$/m);
  });

  it('echoes a sane request id and invents one otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const invented = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(invented.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and its browsable docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workflows',
        '/api/v1/workflows/{id}',
        '/api/v1/workflows/{id}/versions',
        '/api/v1/workflows/{id}/versions/{n}',
        '/api/v1/workflows/import',
        '/api/v1/workflows/{id}/export',
      ]),
    );
    expect(
      spec.paths['/api/v1/workflows'].post.requestBody.content['application/json'].schema.properties.nodes,
    ).toBeDefined();
    // Credentials are declared, so the docs page offers "Authorize"; public routes say they need none.
    expect(Object.keys(spec.components.securitySchemes)).toEqual(['apiKey', 'session']);
    expect(spec.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(spec.paths['/api/v1/workflows'].get.security).toBeUndefined();
    expect(spec.paths['/api/v1/setup'].get.security).toEqual([]);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
