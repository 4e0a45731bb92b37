import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chain, node, publish, start, until } from '../support/workflows.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('a wait that woke just before a crash', () => {
  it('resumes an execution left waiting with nothing to wait for, instead of waiting forever', async () => {
    const slug = await publish(t.app, {
      name: 'Nap',
      nodes: [
        node('start', 'start'),
        node('nap', 'wait', { durationMs: 3_600_000 }),
        node('done', 'response', { output: 'rested' }),
      ],
      edges: chain('start', 'nap', 'done'),
    });
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    // What a process that completed the wait and died before resuming the execution leaves behind.
    await t.db.orm.execute(
      sql`update step_runs set status = 'completed', output = '{"waitedUntil":"then"}' where execution_id = ${body.id}::uuid and node_id = 'nap'`,
    );
    await t.db.orm.execute(
      sql`update executions set wake_at = now() - interval '1 second' where id = ${body.id}::uuid`,
    );
    await t.app.engine.recover();
    const done = await until(t.app, body.id, ['completed']);
    expect(done.output).toBe('rested');
    expect(done.steps.filter((s: { nodeId: string }) => s.nodeId === 'nap')).toHaveLength(1);
  });
});
