import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeInject, startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { publish } from '../support/workflows.ts';

let t: TestApp;
let slug: string;
beforeAll(async () => {
  t = await startTestApp();
  slug = await publish(t.app, tinyGraph('Nightly report'));
});
afterAll(async () => t.close());

const add = (payload: object, workflow = slug) =>
  t.app.inject({ method: 'POST', url: `/api/v1/workflows/${workflow}/triggers`, payload });

describe('triggers API', () => {
  it('adds a schedule and shows its next 5 fire times in its time zone', async () => {
    const created = await add({ type: 'schedule', config: { cron: '30 9 * * 1-5', timezone: 'Europe/Berlin' } });
    expect(created.statusCode).toBe(201);
    const trigger = created.json();
    expect(trigger).toMatchObject({
      type: 'schedule',
      enabled: true,
      config: { cron: '30 9 * * 1-5', timezone: 'Europe/Berlin', catchUp: 'skip', maxCatchUp: 10, input: {} },
    });
    expect(trigger.nextRuns).toHaveLength(5);
    for (const run of trigger.nextRuns) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(run));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);
    }
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${slug}/triggers` });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(trigger.id);
  });

  it('refuses an invalid cron or time zone with 422 naming the field and the reason', async () => {
    const bad = await add({ type: 'schedule', config: { cron: '61 * * * *', timezone: 'Mars/Olympus' } });
    expect(bad.statusCode).toBe(422);
    const { error } = bad.json();
    expect(error.code).toBe('invalid_trigger');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['config.cron', 'config.timezone']);
    expect(error.message).toContain('minute: 61');
    expect(error.message).toContain('"Mars/Olympus" is not an IANA time zone');
    const seconds = await add({ type: 'schedule', config: { cron: '* * * * * *' } });
    expect(seconds.statusCode).toBe(422);
    expect(seconds.json().error.message).toContain('exactly 5 parts');
  });

  it('pauses and resumes a schedule: a paused one shows no fire times', async () => {
    const { id } = (await add({ type: 'schedule', config: { cron: '0 * * * *' } })).json();
    const paused = await t.app.inject({ method: 'PATCH', url: `/api/v1/triggers/${id}`, payload: { enabled: false } });
    expect(paused.json()).toMatchObject({ enabled: false, nextRuns: [] });
    const resumed = await t.app.inject({ method: 'PATCH', url: `/api/v1/triggers/${id}`, payload: { enabled: true } });
    expect(resumed.json().nextRuns).toHaveLength(5);
  });

  it('gives a webhook its public URL, keeps paths unique per workspace, and deletes', async () => {
    const created = await add({
      type: 'webhook',
      config: { path: 'orders', auth: { scheme: 'token', secret: 'HOOK_TOKEN' } },
    });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook.url).toMatch(/^\/hooks\/[a-z0-9-]+\/orders$/);
    expect(hook.config).toMatchObject({ allowGet: false, respond: 'async', rateLimitPerMinute: 600 });
    const twin = await add({ type: 'webhook', config: { path: 'orders' } });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.message).toContain('"orders"');
    const badPath = await add({ type: 'webhook', config: { path: 'Orders/../x' } });
    expect(badPath.statusCode).toBe(422);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/triggers/${hook.id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/triggers/${hook.id}` })).statusCode).toBe(404);
  });

  it('replaces a config with PATCH, checked like a new one', async () => {
    const { id } = (await add({ type: 'webhook', config: { path: 'patch-me' } })).json();
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${id}`,
      payload: { config: { path: 'patch-me', respond: 'later' } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0].path).toBe('config.respond');
    const good = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${id}`,
      payload: { config: { path: 'patched', respond: 'sync' } },
    });
    expect(good.json()).toMatchObject({ config: { path: 'patched', respond: 'sync' } });
    expect(good.json().url).toMatch(/\/patched$/);
  });

  it('lets a viewer read triggers but not add them', async () => {
    const { key } = await authorizeInject(t.app, t.db, 'viewer');
    const headers = { authorization: `Bearer ${key}` };
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${slug}/triggers`, headers });
    expect(read.statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workflows/${slug}/triggers`,
      headers,
      payload: { type: 'schedule', config: { cron: '@daily' } },
    });
    expect(write.statusCode).toBe(403);
  });
});
