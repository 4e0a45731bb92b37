import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../support/engine-harness.ts';
import { chain, node } from '../../support/workflows.ts';

let h: EngineHarness;
beforeEach(async () => {
  h = await startEngineHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a wait that woke just before a crash', () => {
  it('resumes an execution left waiting with nothing to wait for, instead of waiting forever', async () => {
    const slug = await h.publish({
      name: 'Nap',
      nodes: [
        node('start', 'start'),
        node('nap', 'wait', { durationMs: 3_600_000 }),
        node('done', 'response', { output: 'rested' }),
      ],
      edges: chain('start', 'nap', 'done'),
    });
    const { id } = await h.start(slug);
    await h.waitFor(id, 'waiting');
    // What a process that completed the wait and died before resuming the execution leaves behind.
    await h.db.orm.execute(
      sql`update step_runs set status = 'completed', output = '{"waitedUntil":"then"}' where execution_id = ${id}::uuid and node_id = 'nap'`,
    );
    const aSecondAgo = new Date(h.clock.now() - 1000).toISOString();
    await h.db.orm.execute(sql`update executions set wake_at = ${aSecondAgo}::timestamptz where id = ${id}::uuid`);
    await h.engine.recover();
    const done = await h.waitFor(id, 'completed');
    expect(done.output).toBe('rested');
    expect(done.steps.filter((s) => s.nodeId === 'nap')).toHaveLength(1);
  });
});
