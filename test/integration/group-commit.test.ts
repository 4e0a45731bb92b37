import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { ExecutionStore, type ExecutionRow, type StepWrite } from '../../src/store/executions.ts';
import { migrate } from '../../src/store/migrate.ts';
import { WorkflowRepository } from '../../src/store/workflows.ts';
import { addWorkspace } from '../support/accounts.ts';
import { openTestDatabase } from '../support/db.ts';
import { chain, node } from '../support/workflows.ts';

/** Counts the statements the hot path sends, to see that many changes really share one. */
function counting(db: Database): Database & { statements: () => number } {
  let statements = 0;
  return {
    ...db,
    query: (text, params, name) => {
      statements++;
      return db.query(text, params, name);
    },
    statements: () => statements,
  };
}

async function newExecutions(db: Database, store: ExecutionStore, count: number): Promise<ExecutionRow[]> {
  const workspaceId = await addWorkspace(db, `gc-${randomUUID().slice(0, 8)}`);
  const workflows = new WorkflowRepository(db);
  const graph = {
    name: 'Tiny',
    nodes: [node('start', 'start'), node('done', 'response')],
    edges: chain('start', 'done'),
  };
  const workflow = await workflows.create(workspaceId, graph as never);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { execution } = await store.create(
        { workspaceId, workflowId: workflow.id, version: 1, status: 'queued', mode: 'autonomous', input: {} },
        { type: 'execution.queued', data: { mode: 'autonomous', version: 1 } },
      );
      return execution;
    }),
  );
}

const completedStep = (nodeId: string): StepWrite => ({
  nodeId,
  attempt: 1,
  status: 'completed',
  output: { nodeId },
  finishedAt: new Date(),
});

describe('group commit', () => {
  let db: Database & { statements: () => number };
  let store: ExecutionStore;
  beforeEach(async () => {
    db = counting(await openTestDatabase());
    store = new ExecutionStore(db);
  });
  afterEach(() => db.close());

  it('commits many executions in one statement with gap-free offsets in submission order per execution', async () => {
    const rows = await newExecutions(db, store, 40);
    const before = db.statements();
    // Two changes per execution, all submitted in the same tick.
    const results = await Promise.all(
      rows.flatMap((row) => [
        store.commit(row.id, {
          execution: { status: 'running' },
          events: [
            { type: 'execution.started' },
            { type: 'step.started', nodeId: 'start', data: { attempt: 1, type: 'start' } },
          ],
        }),
        store.commit(row.id, {
          steps: [completedStep('start')],
          events: [{ type: 'step.completed', nodeId: 'start', data: { attempt: 1 } }],
        }),
      ]),
    );
    expect(db.statements() - before).toBe(1);
    results.forEach((result, i) => expect(result.events.map((e) => e.offset)).toEqual(i % 2 === 0 ? [2, 3] : [4]));
    for (const row of rows) {
      const events = await store.events(row.id, 0, 100);
      expect(events.map((e) => `${e.offset}:${e.type}`)).toEqual([
        '1:execution.queued',
        '2:execution.started',
        '3:step.started',
        '4:step.completed',
      ]);
      expect((await store.get(row.id))!).toMatchObject({ status: 'running', lastOffset: 4 });
      expect(await store.steps(row.id)).toMatchObject([
        { nodeId: 'start', status: 'completed', output: { nodeId: 'start' } },
      ]);
    }
  });

  it('fails only the caller whose change breaks the batch; it writes nothing and the others commit', async () => {
    const [good, bad, other] = await newExecutions(db, store, 3);
    const outcomes = await Promise.allSettled([
      store.commit(good!.id, {
        steps: [completedStep('a')],
        events: [{ type: 'step.completed', nodeId: 'a', data: { attempt: 1 } }],
      }),
      // A step without a status violates the column's not-null constraint: the whole statement fails.
      store.commit(bad!.id, {
        steps: [{ ...completedStep('b'), status: null as never }],
        events: [{ type: 'step.completed', nodeId: 'b', data: { attempt: 1 } }],
      }),
      store.commit(randomUUID(), { events: [{ type: 'step.completed', nodeId: 'c', data: { attempt: 1 } }] }),
      store.commit(other!.id, { events: [{ type: 'execution.started' }] }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/null/);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/vanished/);
    expect((await store.events(bad!.id, 0, 10)).map((e) => e.type)).toEqual(['execution.queued']);
    expect(await store.steps(bad!.id)).toEqual([]);
    expect((await store.get(bad!.id))!.lastOffset).toBe(1);
    expect((await store.events(good!.id, 0, 10)).map((e) => e.offset)).toEqual([1, 2]);
    expect((await store.events(other!.id, 0, 10)).map((e) => e.offset)).toEqual([1, 2]);
    // The failed execution's next change still gets the next offset: no gap.
    expect((await store.commit(bad!.id, { events: [{ type: 'execution.started' }] })).events[0]!.offset).toBe(2);
  });

  it('writes nothing for a change refused by its status condition and still commits its neighbours', async () => {
    const [ended, running] = await newExecutions(db, store, 2);
    await store.commit(ended!.id, {
      execution: { status: 'cancelled' },
      events: [{ type: 'execution.cancelled', data: { error: { code: 'cancelled', message: 'by the test' } } }],
    });
    const [refused, written] = await Promise.all([
      store.commitUnless(ended!.id, ['cancelled'], {
        execution: { status: 'completed' },
        events: [{ type: 'execution.completed', data: { output: null } }],
      }),
      store.commitUnless(running!.id, ['cancelled'], {
        execution: { status: 'completed' },
        events: [{ type: 'execution.completed', data: { output: null } }],
      }),
    ]);
    expect(refused).toBeNull();
    expect(written!.execution.status).toBe('completed');
    expect((await store.get(ended!.id))!).toMatchObject({ status: 'cancelled', lastOffset: 2 });
  });
});

describe('a crash after the commit and before the announce', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'duet-group-commit-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('loses nothing: a reader catching up by offset after a restart gets every committed event', async () => {
    let db = await openDatabase({ dataDir });
    await migrate(db);
    const [row] = await newExecutions(db, new ExecutionStore(db), 1);
    // Committed, then the process "dies" before anyone announces the events.
    await new ExecutionStore(db).commit(row!.id, {
      execution: { status: 'running' },
      events: [
        { type: 'execution.started' },
        { type: 'step.started', nodeId: 'start', data: { attempt: 1, type: 'start' } },
      ],
    });
    await db.close();
    db = await openDatabase({ dataDir });
    try {
      const replay = await new ExecutionStore(db).events(row!.id, 1, 100);
      expect(replay.map((e) => `${e.offset}:${e.type}`)).toEqual(['2:execution.started', '3:step.started']);
    } finally {
      await db.close();
    }
    // A fresh on-disk database is migrated from scratch: slow on a busy machine.
  }, 180_000);
});
