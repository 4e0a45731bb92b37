import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { EventInput, StoredEvent } from '../model/events.ts';
import type { ExecutionStatus } from '../model/execution.ts';
import { writeChanges, type ChangeItem, type ChangeWritten } from './change-batch.ts';
import { applyChange } from './change-statement.ts';
import { createExecutions, type CreateItem, type Created } from './create-batch.ts';
import type { Database } from './db.ts';
import type { Change, ExecutionRow, NewExecution, StepRunRow } from './execution-rows.ts';
import { GroupWriter } from './group-writer.ts';
import { decodeCursor, type Page, toPage } from './pagination.ts';
import { executionEvents, executions, stepRuns } from './schema.ts';

export type { Change, ExecutionRow, NewExecution, StepRunRow, StepWrite } from './execution-rows.ts';

// The log holds only what `EventInput` let through, so a row's payload is the data of its type.
const toEvent = (row: typeof executionEvents.$inferSelect): StoredEvent =>
  ({
    executionId: row.executionId,
    offset: row.offset,
    type: row.type,
    nodeId: row.nodeId,
    data: row.payload,
    at: row.at,
  }) as StoredEvent;

export interface ExecutionFilters {
  workflowId?: string;
  status?: ExecutionStatus;
  limit: number;
  cursor?: string;
}

/** Changes and creations ready in the same tick share one statement (group commit); see group-writer.ts. */
const MAX_BATCH = 256;

interface Writers {
  changes: GroupWriter<ChangeItem, ChangeWritten>;
  creates: GroupWriter<CreateItem, Created>;
}

/** One pair of writers per database, however many stores are built over it. */
const writersByDatabase = new WeakMap<Database, Writers>();

function writersOf(db: Database): Writers {
  let writers = writersByDatabase.get(db);
  if (!writers) {
    // PGlite has one connection; on PostgreSQL a few batches may be written at once (the pool has more).
    const concurrency = db.kind === 'pglite' ? 1 : 2;
    let creations = 0;
    writers = {
      changes: new GroupWriter(
        {
          writeBatch: (items) => writeChanges(db, items),
          writeOne: async (item) => rethrow((await writeChanges(db, [item]))[0]!),
        },
        { maxBatch: MAX_BATCH, concurrency, keyOf: (item) => item.executionId, alone: (item) => !!item.unlessStatus },
      ),
      creates: new GroupWriter(
        {
          writeBatch: (items) => createExecutions(db, items),
          writeOne: async (item) => (await createExecutions(db, [item]))[0]!,
        },
        // New rows depend on nothing written before them: any batches may run side by side.
        { maxBatch: MAX_BATCH, concurrency, keyOf: () => String(creations++) },
      ),
    };
    writersByDatabase.set(db, writers);
  }
  return writers;
}

function rethrow<T>(result: T | Error): T {
  if (result instanceof Error) throw result;
  return result;
}

/** Persistence for executions, their step attempts and their event log. */
export class ExecutionStore {
  private readonly writers: Writers;

  constructor(private readonly db: Database) {
    this.writers = writersOf(db);
  }

  /** Inserts an execution with its first event; returns the stored event too. */
  async create(
    values: NewExecution,
    event: EventInput,
  ): Promise<{ execution: ExecutionRow; event: StoredEvent; created: boolean }> {
    // A top-level execution is new by definition: it joins the batch. A child may exist already (below).
    if (!values.parentExecutionId) return { ...(await this.writers.creates.submit({ values, event })), created: true };
    return this.db.orm.transaction(async (tx) => {
      const inserted = await tx
        .insert(executions)
        .values({ ...values, lastOffset: 1 })
        .onConflictDoNothing()
        .returning();
      if (inserted.length === 0) {
        // A child that an earlier run of its parent step already created.
        const [existing] = await tx
          .select()
          .from(executions)
          .where(
            and(
              eq(executions.parentExecutionId, values.parentExecutionId!),
              eq(executions.parentNodeId, values.parentNodeId!),
              eq(executions.parentAttempt, values.parentAttempt!),
              eq(executions.iteration, values.iteration!),
            ),
          );
        return {
          execution: existing!,
          event: {
            executionId: existing!.id,
            offset: 1,
            type: event.type,
            nodeId: null,
            data: event.data ?? {},
            at: existing!.createdAt,
          } as StoredEvent,
          created: false,
        };
      }
      const execution = inserted[0]!;
      const [row] = await tx
        .insert(executionEvents)
        .values({
          executionId: execution.id,
          offset: 1,
          type: event.type,
          nodeId: event.nodeId ?? null,
          payload: event.data ?? {},
        })
        .returning();
      return { execution, event: toEvent(row!), created: true };
    });
  }

  /**
   * Applies one change atomically: the execution row is locked and its offset bumped by the number of
   * events, so concurrent writers (the executor and a command) get consecutive, gap-free offsets.
   * `guard` sees the locked row first and may throw to refuse the change.
   */
  async commit(
    executionId: string,
    change: Change | ((row: ExecutionRow) => Change),
  ): Promise<{ execution: ExecutionRow; events: StoredEvent[] }> {
    if (typeof change !== 'function') return (await this.writers.changes.submit({ executionId, change }))!;
    return this.db.orm.transaction(async (tx) => {
      const [locked] = await tx.select().from(executions).where(eq(executions.id, executionId)).for('update');
      if (!locked) throw new Error(`execution ${executionId} vanished`);
      return applyChange(tx, executionId, change(locked));
    });
  }

  /** Like `commit`, but writes nothing (and answers null) when the execution's status is one of `statuses`. */
  async commitUnless(
    executionId: string,
    statuses: readonly string[],
    change: Change,
  ): Promise<{ execution: ExecutionRow; events: StoredEvent[] } | null> {
    return this.writers.changes.submit({ executionId, change, unlessStatus: statuses });
  }

  async get(executionId: string): Promise<ExecutionRow | null> {
    const [row] = await this.db.orm.select().from(executions).where(eq(executions.id, executionId));
    return row ?? null;
  }

  async steps(executionId: string): Promise<StepRunRow[]> {
    return this.db.orm
      .select()
      .from(stepRuns)
      .where(eq(stepRuns.executionId, executionId))
      .orderBy(
        asc(stepRuns.startedAt),
        // Pure steps run back to back within one millisecond: their events' order breaks the tie.
        sql`(select min(e."offset") from execution_events e where e.execution_id = ${stepRuns.executionId} and e.node_id = ${stepRuns.nodeId})`,
        asc(stepRuns.nodeId),
        asc(stepRuns.attempt),
      );
  }

  /** The children one attempt of a step spawned, in iteration order. */
  async children(executionId: string, nodeId: string, attempt: number): Promise<ExecutionRow[]> {
    return this.db.orm
      .select()
      .from(executions)
      .where(
        and(
          eq(executions.parentExecutionId, executionId),
          eq(executions.parentNodeId, nodeId),
          eq(executions.parentAttempt, attempt),
        ),
      )
      .orderBy(asc(executions.iteration));
  }

  /** Every direct child of an execution, whatever step spawned it. */
  async childrenOf(executionId: string): Promise<ExecutionRow[]> {
    return this.db.orm.select().from(executions).where(eq(executions.parentExecutionId, executionId));
  }

  async list(workspaceId: string, filters: ExecutionFilters): Promise<Page<ExecutionRow>> {
    const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
    const conditions: Array<SQL | undefined> = [
      eq(executions.workspaceId, workspaceId),
      // Loop iterations and branches are internal; subworkflow runs show under their own workflow.
      sql`(${executions.scope} is null)`,
      filters.workflowId ? eq(executions.workflowId, filters.workflowId) : undefined,
      filters.status ? eq(executions.status, filters.status) : undefined,
      after
        ? sql`(${executions.createdAt}, ${executions.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
        : undefined,
    ];
    const rows = await this.db.orm
      .select()
      .from(executions)
      .where(and(...conditions))
      .orderBy(desc(executions.createdAt), desc(executions.id))
      .limit(filters.limit + 1);
    return toPage(rows, filters.limit, (r) => r);
  }

  async events(executionId: string, after: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.orm
      .select()
      .from(executionEvents)
      .where(and(eq(executionEvents.executionId, executionId), gt(executionEvents.offset, after)))
      .orderBy(asc(executionEvents.offset))
      .limit(limit);
    return rows.map(toEvent);
  }

  /** Executions a restarted process must pick up again. */
  async unfinished(): Promise<ExecutionRow[]> {
    return this.db.orm
      .select()
      .from(executions)
      .where(inArray(executions.status, ['queued', 'running']))
      .orderBy(asc(executions.createdAt));
  }

  /**
   * Takes the execution for one run (`owner`) for `ttlMs` unless another run's lease is still live; the
   * database, not Redis, is the final word on who runs an execution.
   */
  async claim(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const free = or(
      isNull(executions.leaseOwner),
      eq(executions.leaseOwner, owner),
      lt(executions.leaseExpiresAt, sql`now()`),
    );
    const rows = await this.db.orm
      .update(executions)
      .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + ${ttlMs} * interval '1 millisecond'` })
      .where(and(eq(executions.id, id), free))
      .returning({ id: executions.id });
    return rows.length > 0;
  }

  /** Extends a lease this run holds; false when it was lost (expired and taken). */
  async renew(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db.orm
      .update(executions)
      .set({ leaseExpiresAt: sql`now() + ${ttlMs} * interval '1 millisecond'` })
      .where(and(eq(executions.id, id), eq(executions.leaseOwner, owner)))
      .returning({ id: executions.id });
    return rows.length > 0;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.orm
      .update(executions)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(executions.id, id), eq(executions.leaseOwner, owner)));
  }

  /** Executions that need a runner now: queued, running, or waiting for a time that has come. Oldest first. */
  async runnable(limit: number): Promise<string[]> {
    const rows = await this.db.orm
      .select({ id: executions.id })
      .from(executions)
      .where(
        or(
          inArray(executions.status, ['queued', 'running']),
          and(eq(executions.status, 'waiting'), lte(executions.wakeAt, new Date())),
        ),
      )
      .orderBy(asc(executions.createdAt))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** Waiting executions with a timer (a wait step), due or not. */
  async timers(): Promise<Array<{ id: string; wakeAt: Date }>> {
    const rows = await this.db.orm
      .select({ id: executions.id, wakeAt: executions.wakeAt })
      .from(executions)
      .where(and(isNotNull(executions.wakeAt), eq(executions.status, 'waiting')));
    return rows.map((r) => ({ id: r.id, wakeAt: r.wakeAt! }));
  }
}
