import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Retention } from '../../src/ops/retention.ts';
import { rowsOf } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { approvalGraph } from '../support/backup.ts';
import { chain, edge, node, publish, start, until } from '../support/workflows.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const loopGraph = {
  name: 'Squares',
  nodes: [
    node('start', 'start'),
    node('each', 'loop', { items: '[1, 2, 3]' }),
    node('sq', 'function', { code: 'return vars.item * vars.item' }, { parentId: 'each' }),
    node('done', 'response', { output: '{{ steps.each.output }}' }),
  ],
  edges: [...chain('start', 'each', 'done')],
};
const tiny = {
  name: 'Tiny',
  nodes: [node('start', 'start'), node('done', 'response', { output: { ok: true } })],
  edges: [edge('start', 'done')],
};

async function count(table: string, where = sql`true`): Promise<number> {
  return Number(
    rowsOf(await t.db.orm.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`))[0]!.n,
  );
}
const ageDays = (ids: string[], days: number) =>
  t.db.orm.execute(sql`
  update executions set finished_at = now() - make_interval(days => ${days}), created_at = now() - make_interval(days => ${days})
  where id in (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}) or parent_execution_id in (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`);
const retention = (maxAgeDays: number, maxCount: number) =>
  new Retention(t.db, { maxAgeDays, maxCount, intervalMs: 3_600_000 }, t.app.metrics, t.app.log);

describe('retention', () => {
  it('prunes ended executions older than the age with their children, steps and events, and keeps everything live', async () => {
    const loop = await publish(t.app, loopGraph);
    const old = (await start(t.app, loop, {}, 10_000)).body;
    expect(old.status).toBe('completed');
    const recent = (await start(t.app, loop, {}, 10_000)).body;
    const approval = await publish(t.app, approvalGraph());
    const waiting = (await start(t.app, approval, { input: { amount: 1 } })).body;
    await until(t.app, waiting.id, ['waiting']);
    await ageDays([old.id, waiting.id], 40);
    // A finished child of a live parent, aged too: it belongs to the parent and stays.
    await t.db.orm
      .execute(sql`insert into executions (workspace_id, workflow_id, version, status, mode, parent_execution_id, parent_node_id, parent_attempt, iteration, finished_at)
      select workspace_id, workflow_id, version, 'completed', mode, id, 'ask', 1, 0, now() - interval '40 days' from executions where id = ${waiting.id}::uuid`);
    const oldChildren = await count('executions', sql`parent_execution_id = ${old.id}::uuid`);
    expect(oldChildren).toBe(3);
    expect(await count('execution_events', sql`execution_id = ${old.id}::uuid`)).toBeGreaterThan(0);

    const result = await retention(30, 0).sweep();
    expect(result).toEqual({ executions: 1 + oldChildren, roots: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/executions/${old.id}` })).statusCode).toBe(404);
    expect(await count('executions', sql`id = ${old.id}::uuid or parent_execution_id = ${old.id}::uuid`)).toBe(0);
    expect(await count('execution_events', sql`execution_id = ${old.id}::uuid`)).toBe(0);
    expect(await count('step_runs', sql`execution_id = ${old.id}::uuid`)).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/executions/${recent.id}` })).json().status).toBe(
      'completed',
    );
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/executions/${waiting.id}` })).json().status).toBe(
      'waiting',
    );
    expect(await count('executions', sql`parent_execution_id = ${waiting.id}::uuid`)).toBe(1);

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^executions_pruned_total 4$/m);
    expect(await retention(30, 0).sweep()).toEqual({ executions: 0, roots: 0 });
  });

  it('keeps only the newest N ended executions, in batches, and does nothing when both limits are off', async () => {
    const slug = await publish(t.app, tiny);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await start(t.app, slug, {}, 10_000)).body.id);
    expect(retention(0, 0).enabled).toBe(false);
    expect(await retention(0, 0).sweep()).toEqual({ executions: 0, roots: 0 });
    expect(await retention(0, 2).sweep()).toEqual({ executions: 3, roots: 3 });
    const left = rowsOf(await t.db.orm.execute(sql`select id from executions order by finished_at`)).map((r) =>
      String(r.id),
    );
    expect(left).toEqual(ids.slice(3));
  });
});
