import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const shipped = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json'));

describe('the template gallery', () => {
  it('lists every shipped example with its name, description and block count', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/templates' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; name: string; description: string | null; blocks: number }[];
    expect(items.map((i) => `${i.id}.json`).sort()).toEqual(shipped.sort());
    expect(items.find((i) => i.id === 'personal-assistant')).toMatchObject({
      name: 'Personal assistant',
      description: expect.stringContaining('remind me to call the bank'),
      blocks: 3,
    });
  });

  it('creates a draft from a template, numbering the name of a second copy, and the draft publishes', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/templates/personal-assistant/workflows' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ name: 'Personal assistant', slug: 'personal-assistant', latestVersion: null });
    expect(first.json().draft.nodes.map((n: { type: string }) => n.type)).toEqual(['start', 'assistant', 'response']);

    const second = await t.app.inject({ method: 'POST', url: '/api/v1/templates/personal-assistant/workflows' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ name: 'Personal assistant (2)', slug: 'personal-assistant-2' });

    const published = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${second.json().id}/versions` });
    expect(published.statusCode).toBe(201);
  });

  it('answers 404 for a template that is not shipped, a path included, and creates nothing', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/workflows?limit=100' })).json().items.length;
    for (const id of ['no-such-template', '..%2Fpackage', '..%2F..%2Fpackage.json', 'personal-assistant.json']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/templates/${id}/workflows` });
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.message).toContain('does not exist');
    }
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/workflows?limit=100' })).json().items.length;
    expect(after).toBe(before);
  });
});
