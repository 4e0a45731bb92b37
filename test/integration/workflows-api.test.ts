import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refundGraph, tinyGraph } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });
const get = (url: string) => t.app.inject({ method: 'GET', url });
const put = (url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, payload: payload as object });
const countWorkflows = async () => (await get('/api/v1/workflows?limit=100')).json().items.length as number;

describe('create and read workflows', () => {
  it('creates a workflow from a graph and reads it back by id and by slug', async () => {
    const created = await post('/api/v1/workflows', refundGraph());
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name: 'Refund request', slug: 'refund-request', latestVersion: null });
    expect(body.draft.nodes).toHaveLength(5);
    expect(body.workspaceId).toMatch(/^[0-9a-f-]{36}$/);

    const byId = await get(`/api/v1/workflows/${body.id}`);
    const bySlug = await get('/api/v1/workflows/refund-request');
    expect(byId.json()).toEqual(body);
    expect(bySlug.json()).toEqual(body);
  });

  it('gives a second workflow with the same name a distinct slug', async () => {
    await post('/api/v1/workflows', tinyGraph('Same name'));
    const second = await post('/api/v1/workflows', tinyGraph('Same name'));
    expect(second.json().slug).toBe('same-name-2');
  });

  it('refuses an invalid graph with every problem listed, and writes nothing', async () => {
    const graph = refundGraph();
    graph.nodes.push({ id: 'start', type: 'start', name: 'Again' });
    graph.edges.push({ id: 'e9', source: 'pay', target: 'nowhere' });
    const response = await post('/api/v1/workflows', graph);
    expect(response.statusCode).toBe(422);
    const { error } = response.json();
    expect(error.code).toBe('invalid_graph');
    const codes = error.details.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['multiple_starts', 'duplicate_node', 'unknown_node']));
    expect(error.details.find((d: { code: string }) => d.code === 'unknown_node').edgeId).toBe('e9');
    expect(await countWorkflows()).toBe(0);
  });

  it('refuses unknown fields with the path of the field', async () => {
    const response = await post('/api/v1/workflows', { ...tinyGraph(), colour: 'blue' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain('colour');
    expect(await countWorkflows()).toBe(0);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('answers a body over the size limit with 413', async () => {
    const small = await startTestApp({ MAX_REQUEST_BODY_BYTES: '2048' });
    try {
      const graph = { ...tinyGraph(), description: 'x'.repeat(4000) };
      const response = await small.app.inject({ method: 'POST', url: '/api/v1/workflows', payload: graph });
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({ code: 'payload_too_large' });
      expect(response.json().error.message).toContain('2048');
    } finally {
      await small.close();
    }
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown workflow with 404 in the envelope', async () => {
    const response = await get('/api/v1/workflows/no-such-thing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'workflow "no-such-thing" does not exist', details: [] },
    });
  });
});

describe('list workflows', () => {
  it('pages through every workflow exactly once, newest first', async () => {
    for (let i = 1; i <= 5; i++) await post('/api/v1/workflows', tinyGraph(`Flow ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/api/v1/workflows?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json();
      seen.push(...page.items.map((w: { name: string }) => w.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Flow 5', 'Flow 4', 'Flow 3', 'Flow 2', 'Flow 1']);
  });

  it('refuses bad paging parameters with what to send instead', async () => {
    for (const query of ['limit=0', 'limit=1000', 'limit=abc', 'cursor=garbage', 'limt=5']) {
      const response = await get(`/api/v1/workflows?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code, query).toBe('validation_failed');
    }
  });
});

describe('update and delete', () => {
  it('replaces the draft, keeps the slug and renames', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('Before'))).json();
    const response = await put(`/api/v1/workflows/${id}`, tinyGraph('After'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'After', slug: 'before' });
    expect((await get(`/api/v1/workflows/${id}`)).json().draft.name).toBe('After');
  });

  it('leaves the draft untouched when the update is invalid', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('Keep me'))).json();
    const broken = { ...tinyGraph('Broken'), edges: [] };
    const response = await put(`/api/v1/workflows/${id}`, broken);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details[0]).toMatchObject({ code: 'unreachable', nodeId: 'done' });
    expect((await get(`/api/v1/workflows/${id}`)).json().name).toBe('Keep me');
  });

  it('soft-deletes: gone from reads and lists, slug free again', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('Doomed'))).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/workflows/${id}` })).statusCode).toBe(204);
    expect((await get(`/api/v1/workflows/${id}`)).statusCode).toBe(404);
    expect(await countWorkflows()).toBe(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/workflows/${id}` })).statusCode).toBe(404);
    expect((await post('/api/v1/workflows', tinyGraph('Doomed'))).json().slug).toBe('doomed');
  });
});

describe('versions', () => {
  it('publishes numbered immutable versions and does not duplicate an unchanged draft', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('V'))).json();
    const v1 = await post(`/api/v1/workflows/${id}/versions`, {});
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ workflowId: id, number: 1 });
    expect(v1.json().hash).toMatch(/^[0-9a-f]{64}$/);

    const again = await post(`/api/v1/workflows/${id}/versions`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().number).toBe(1);

    await put(`/api/v1/workflows/${id}`, tinyGraph('V changed'));
    const v2 = await post(`/api/v1/workflows/${id}/versions`, {});
    expect(v2.statusCode).toBe(201);
    expect(v2.json().number).toBe(2);
    expect((await get(`/api/v1/workflows/${id}`)).json().latestVersion).toBe(2);

    const list = (await get(`/api/v1/workflows/${id}/versions`)).json();
    expect(list.items.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    const first = (await get(`/api/v1/workflows/${id}/versions/1`)).json();
    expect(first.graph.name).toBe('V');
  });

  it('publishes concurrently without skipping or repeating numbers', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('Race'))).json();
    const results = await Promise.all([1, 2, 3].map(() => post(`/api/v1/workflows/${id}/versions`, {})));
    expect(results.map((r) => r.json().number)).toEqual([1, 1, 1]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
  });

  it('answers unknown and malformed version numbers clearly', async () => {
    const { id } = (await post('/api/v1/workflows', tinyGraph('N'))).json();
    expect((await get(`/api/v1/workflows/${id}/versions/9`)).statusCode).toBe(404);
    expect((await get(`/api/v1/workflows/${id}/versions/abc`)).statusCode).toBe(400);
    expect((await post('/api/v1/workflows/missing/versions', {})).statusCode).toBe(404);
  });
});

describe('import and export', () => {
  it('round-trips a workflow through export and import', async () => {
    const { id } = (await post('/api/v1/workflows', refundGraph())).json();
    const exported = await get(`/api/v1/workflows/${id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('refund-request.duet.json');
    const file = exported.json();
    expect(file).toMatchObject({ format: 'duet.workflow', formatVersion: 1, slug: 'refund-request' });

    const imported = await post('/api/v1/workflows/import', file);
    expect(imported.statusCode).toBe(201);
    expect(imported.json().slug).toBe('refund-request-2');
    expect(imported.json().draft).toEqual(refundGraph());
  });

  it('imports a bare graph', async () => {
    const response = await post('/api/v1/workflows/import', tinyGraph('Bare'));
    expect(response.statusCode).toBe(201);
    expect(response.json().slug).toBe('bare');
  });

  it('refuses a malformed export file and an invalid graph inside it', async () => {
    const wrongVersion = await post('/api/v1/workflows/import', {
      format: 'duet.workflow',
      formatVersion: 7,
      graph: tinyGraph(),
    });
    expect(wrongVersion.statusCode).toBe(400);
    expect(wrongVersion.json().error.details[0].path).toBe('formatVersion');
    const badGraph = await post('/api/v1/workflows/import', {
      format: 'duet.workflow',
      formatVersion: 1,
      graph: { name: 'x', nodes: [] },
    });
    expect(badGraph.statusCode).toBe(422);
    expect(await countWorkflows()).toBe(0);
  });
});
