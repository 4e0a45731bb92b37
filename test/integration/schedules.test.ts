import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { triggers as triggerTable } from '../../src/store/schema.ts';
import { TriggerStore } from '../../src/store/triggers.ts';
import { Scheduler } from '../../src/triggers/scheduler.ts';
import { TriggerService } from '../../src/triggers/service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { publish, until } from '../support/workflows.ts';

/** A workflow that reports the time its schedule gave it. */
const report = (name: string) => ({
  name,
  inputs: { type: 'object', properties: { label: { type: 'string' } } },
  nodes: [
    { id: 'start', type: 'start', name: 'Start' },
    { id: 'done', type: 'response', name: 'Done', config: { output: { label: '{{input.label}}' } } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'done' }],
});

let t: TestApp;
let clock: ManualClock;
let triggers: TriggerService;
let scheduler: Scheduler;
const store = () => new TriggerStore(t.db);
const schedulerOn = (c: ManualClock) =>
  new Scheduler({ store: store(), executions: t.services.engine.service, clock: c, log: t.services.log, pollMs: 1000 });

beforeAll(async () => {
  t = await startTestApp();
  clock = new ManualClock(Date.parse('2026-03-28T12:00:00Z'));
  triggers = new TriggerService(store(), t.services.workflows, clock);
  scheduler = schedulerOn(clock);
});
afterAll(async () => t.close());
// Each test counts only its own schedules: those of earlier tests are paused.
beforeEach(async () => {
  await t.db.orm.update(triggerTable).set({ enabled: false });
});

/** A published workflow with one schedule trigger made at the manual clock's time. */
async function scheduled(config: object): Promise<{ slug: string; triggerId: string }> {
  const slug = await publish(t.app, report(`Report ${Math.random().toString(36).slice(2, 8)}`));
  const trigger = await triggers.create(t.workspaceId, slug, { type: 'schedule', config });
  return { slug, triggerId: trigger.id };
}

async function executionsOf(slug: string): Promise<Json[]> {
  return (await t.app.inject({ method: 'GET', url: `/api/v1/executions?workflowId=${slug}&limit=100` })).json().items;
}

const setClock = async (iso: string) => clock.advance(Date.parse(iso) - clock.now());

describe('schedule triggers', () => {
  it('fires across spring-forward and fall-back exactly once a day, with the configured input', async () => {
    const { slug } = await scheduled({ cron: '30 2 * * *', timezone: 'Europe/Berlin', input: { label: 'nightly' } });
    expect(await scheduler.runDue()).toBe(0);
    // 02:30 does not exist on 2026-03-29 in Berlin: it fires at 03:00 CEST (01:00 UTC), once.
    await setClock('2026-03-29T00:59:59Z');
    expect(await scheduler.runDue()).toBe(0);
    await setClock('2026-03-29T01:00:02Z');
    expect(await scheduler.runDue()).toBe(1);
    expect(await scheduler.runDue()).toBe(0);
    const [first] = await executionsOf(slug);
    expect((await until(t.app, first.id, ['completed'])).output).toEqual({ label: 'nightly' });
    await setClock('2026-03-30T00:30:01Z');
    expect(await scheduler.runDue()).toBe(1);
    expect(await executionsOf(slug)).toHaveLength(2);

    // 02:30 happens twice on 2026-10-25: it fires on the first one only.
    const autumn = await scheduled({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    await setClock('2026-10-24T12:00:00Z');
    // The spring schedule missed months (catch-up skip): it starts nothing for them.
    await scheduler.runDue();
    await setClock('2026-10-25T00:30:01Z');
    await scheduler.runDue();
    await setClock('2026-10-25T01:30:01Z');
    await scheduler.runDue();
    expect(await executionsOf(autumn.slug)).toHaveLength(1);
    await setClock('2026-10-26T01:30:01Z');
    await scheduler.runDue();
    expect(await executionsOf(autumn.slug)).toHaveLength(2);
  });

  it("after a downtime follows each schedule's catch-up policy: skip, run once, run all (bounded)", async () => {
    await setClock('2026-11-02T09:59:00Z');
    const skip = await scheduled({ cron: '0 * * * *', catchUp: 'skip' });
    const once = await scheduled({ cron: '0 * * * *', catchUp: 'once' });
    const all = await scheduled({ cron: '0 * * * *', catchUp: 'all', maxCatchUp: 3 });
    // Down from 09:59 to 15:00:20: 10:00 … 14:00 were missed, 15:00 is on time.
    await setClock('2026-11-02T15:00:20Z');
    expect(await scheduler.runDue()).toBe(1 + 2 + 4);
    expect(await executionsOf(skip.slug)).toHaveLength(1);
    expect(await executionsOf(once.slug)).toHaveLength(2);
    expect(await executionsOf(all.slug)).toHaveLength(4);
    expect(await scheduler.runDue()).toBe(0);
  });

  it('pauses and resumes: a paused schedule starts nothing, and a resumed one does not replay the pause', async () => {
    await setClock('2026-11-03T08:00:00Z');
    const { slug, triggerId } = await scheduled({ cron: '*/10 * * * *', catchUp: 'all' });
    await triggers.update(t.workspaceId, triggerId, { enabled: false });
    await setClock('2026-11-03T09:00:05Z');
    expect(await scheduler.runDue()).toBe(0);
    const resumed = await triggers.update(t.workspaceId, triggerId, { enabled: true });
    expect(resumed.nextRuns?.[0]).toBe('2026-11-03T09:10:00.000Z');
    await setClock('2026-11-03T09:10:01Z');
    expect(await scheduler.runDue()).toBe(1);
    expect(await executionsOf(slug)).toHaveLength(1);
  });

  it('starts each fire once however many schedulers see it at the same moment', async () => {
    await setClock('2026-11-04T07:59:00Z');
    const made = await Promise.all(Array.from({ length: 10 }, () => scheduled({ cron: '0 8 * * *' })));
    await setClock('2026-11-04T08:00:01Z');
    const others = [schedulerOn(clock), schedulerOn(clock), schedulerOn(clock)];
    const counts = await Promise.all([scheduler, ...others].map((s) => s.runDue()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    for (const { slug } of made) expect(await executionsOf(slug)).toHaveLength(1);
  });
});
