import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refundGraph } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const create = async () =>
  (await t.app.inject({ method: 'POST', url: '/api/v1/workflows', payload: refundGraph() })).json() as {
    id: string;
    slug: string;
  };

describe('GET /api/v1/workflows/:id/journey', () => {
  it('returns the journey of the draft as JSON', async () => {
    const { id } = await create();
    const response = await get(`/api/v1/workflows/${id}/journey`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const journey = response.json();
    expect(journey.name).toBe('Refund request');
    expect(journey.report).toEqual({ mappedNodes: 5, mappedEdges: 5, unmapped: [] });
    expect(journey.states[0]).toMatchObject({ id: 'start', kind: 'initial' });
    expect(journey.transitions).toContainEqual({
      id: 'e4',
      from: 'ask',
      to: 'pay',
      handle: 'approved',
      condition: 'when approved',
    });
  });

  it('returns a Mermaid state diagram as text', async () => {
    const { slug } = await create();
    const response = await get(`/api/v1/workflows/${slug}/journey?format=mermaid`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(response.body).toContain('[*] --> start');
    expect(response.body).toContain('done --> [*]');
  });

  it('maps a published version instead of the draft', async () => {
    const { id } = await create();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/versions` })).statusCode).toBe(201);
    const changed = { ...refundGraph(), name: 'Refund request v2' };
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/workflows/${id}`, payload: changed })).statusCode).toBe(
      200,
    );

    expect((await get(`/api/v1/workflows/${id}/journey`)).json().name).toBe('Refund request v2');
    expect((await get(`/api/v1/workflows/${id}/journey?version=1`)).json().name).toBe('Refund request');
  });

  it('answers 404 for an unknown workflow or version', async () => {
    const { id } = await create();
    const missing = await get('/api/v1/workflows/no-such-workflow/journey');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await get(`/api/v1/workflows/${id}/journey?version=3`)).statusCode).toBe(404);
  });

  it.each(['format=svg', 'version=0', 'version=one', 'colour=blue'])('answers 400 for ?%s', async (query) => {
    const { id } = await create();
    const response = await get(`/api/v1/workflows/${id}/journey?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });
});
