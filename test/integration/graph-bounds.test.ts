import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chainGraph } from '../support/fixtures.ts';

let t: TestApp;
let url: string;
beforeAll(async () => {
  // A body limit that lets the 3.4 MB graph through, so that the graph bound is what refuses it.
  t = await startTestApp({ MAX_WORKFLOW_NODES: '300', MAX_WORKFLOW_EDGES: '400', MAX_REQUEST_BODY_BYTES: '8388608' });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('workflow graph bounds', () => {
  it('refuses a 20,000-node graph at once with 413, naming the setting, and stores nothing', async () => {
    const started = performance.now();
    const response = await post('/api/v1/workflows', chainGraph(20_000));
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain('20000 nodes');
    expect(error.message).toContain('MAX_WORKFLOW_NODES');
    expect(error.message).toContain('MAX_WORKFLOW_EDGES');
    // Counting comes first: no check that grows with the graph runs (a whole validation took over 15 s).
    expect(performance.now() - started).toBeLessThan(5000);
    const list = await t.app.inject({ url: '/api/v1/workflows' });
    expect(list.json().items).toEqual([]);
  });

  it('refuses an oversized import and draft update the same way', async () => {
    expect((await post('/api/v1/workflows/import', chainGraph(301))).status).toBe(413);
    const created = await post('/api/v1/workflows', chainGraph(10));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/workflows/${id}`, payload: chainGraph(301) });
    expect(put.statusCode).toBe(413);
  });

  it('checks a graph at the bound off the event loop: another route answers while it is validated', async () => {
    const big = chainGraph(300);
    const bigDone = post('/api/v1/workflows', big).then((r) => ({ status: r.status, at: performance.now() }));
    // Let the body reach the server, then ask something else.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await fetch(`${url}/health`).then((r) => ({ status: r.status, at: performance.now() }));
    const created = await bigDone;
    expect(health.status).toBe(200);
    expect(created.status).toBe(201);
    expect(health.at).toBeLessThan(created.at);
  });
});
