import { and, asc, desc, eq, gte, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { DuetError, notFound } from '../model/errors.ts';
import {
  MAX_OPEN_TASKS_PER_WORKSPACE,
  reminderProblem,
  type TaskCreate,
  type TaskPatch,
  type TaskStatus,
  type TaskView,
} from '../model/tasks.ts';
import type { Database } from './db.ts';
import { decodeCursor, toPage, type Page } from './pagination.ts';
import { assistantContacts, tasks } from './schema.ts';

export type TaskRow = typeof tasks.$inferSelect;
export type AssistantContactRow = typeof assistantContacts.$inferSelect;

export interface TaskFilters {
  status?: TaskStatus;
  phone?: string;
  /** Due (or, without a due time, reminded) in [dueFrom, dueBefore). */
  dueFrom?: Date;
  dueBefore?: Date;
  limit: number;
  cursor?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function taskView(row: TaskRow): TaskView {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    status: row.status as TaskStatus,
    timeZone: row.timeZone,
    dueAt: iso(row.dueAt),
    remindAt: iso(row.remindAt),
    phone: row.phone,
    conversationId: row.conversationId,
    remindersSent: row.remindersSent,
    nextNotifyAt: iso(row.nextNotifyAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function checkReminder(remindAt: Date | null | undefined, now: Date): void {
  const problem = remindAt ? reminderProblem(remindAt, now) : null;
  if (problem) throw new DuetError('validation_failed', problem);
}

const dateOrNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/**
 * Tasks and reminders. A reminder is pending while `nextNotifyAt` is set on an open task; whoever sends it moves
 * `nextNotifyAt` on with a compare-and-set (`advance`), so two processes never both count the same send.
 */
export class TaskStore {
  constructor(private readonly db: Database) {}

  async create(workspaceId: string, input: TaskCreate, now: Date): Promise<TaskRow> {
    const remindAt = dateOrNull(input.remindAt) ?? null;
    checkReminder(remindAt, now);
    const open = await this.db.orm.$count(tasks, and(eq(tasks.workspaceId, workspaceId), eq(tasks.status, 'open')));
    if (open >= MAX_OPEN_TASKS_PER_WORKSPACE)
      throw new DuetError(
        'conflict',
        `a workspace holds at most ${MAX_OPEN_TASKS_PER_WORKSPACE} open tasks; complete or delete some first`,
      );
    const [row] = await this.db.orm
      .insert(tasks)
      .values({
        workspaceId,
        title: input.title,
        notes: input.notes ?? null,
        timeZone: input.timeZone,
        dueAt: dateOrNull(input.dueAt) ?? null,
        remindAt,
        nextNotifyAt: remindAt,
        phone: input.phone ?? null,
        conversationId: input.conversationId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  async get(workspaceId: string, id: string): Promise<TaskRow> {
    const [row] = await this.db.orm
      .select()
      .from(tasks)
      .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)));
    if (!row) throw notFound('task', id);
    return row;
  }

  /** Newest first, by cursor; or, with a due range, in due order (a day's agenda). */
  async list(workspaceId: string, filters: TaskFilters): Promise<Page<TaskRow>> {
    const when = sql`coalesce(${tasks.dueAt}, ${tasks.remindAt})`;
    const conditions: Array<SQL | undefined> = [
      eq(tasks.workspaceId, workspaceId),
      filters.status ? eq(tasks.status, filters.status) : undefined,
      filters.phone ? eq(tasks.phone, filters.phone) : undefined,
      filters.dueFrom ? gte(when, filters.dueFrom.toISOString()) : undefined,
      filters.dueBefore ? lt(when, filters.dueBefore.toISOString()) : undefined,
    ];
    if (filters.dueFrom || filters.dueBefore) {
      const rows = await this.db.orm
        .select()
        .from(tasks)
        .where(and(...conditions))
        .orderBy(asc(when), asc(tasks.id))
        .limit(filters.limit);
      return { items: rows, nextCursor: null };
    }
    const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
    const rows = await this.db.orm
      .select()
      .from(tasks)
      .where(
        and(
          ...conditions,
          after
            ? or(
                lt(tasks.createdAt, after.createdAt),
                and(eq(tasks.createdAt, after.createdAt), lt(tasks.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(tasks.createdAt), desc(tasks.id))
      .limit(filters.limit + 1);
    return toPage(rows, filters.limit, (row) => row);
  }

  /**
   * Changes a task. A new reminder time starts its reminders afresh; done stops them; reopening a task whose
   * reminder is still ahead pends it again.
   */
  async update(workspaceId: string, id: string, patch: TaskPatch, now: Date): Promise<TaskRow> {
    const current = await this.get(workspaceId, id);
    const remindAt = dateOrNull(patch.remindAt);
    checkReminder(remindAt, now);
    const status = patch.status ?? (current.status as TaskStatus);
    const reminder = remindAt === undefined ? current.remindAt : remindAt;
    const rearm = remindAt !== undefined || (patch.status === 'open' && current.status === 'done');
    const values: Partial<typeof tasks.$inferInsert> = {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.dueAt !== undefined ? { dueAt: dateOrNull(patch.dueAt) } : {}),
      ...(remindAt !== undefined ? { remindAt } : {}),
      status,
      updatedAt: now,
    };
    if (status === 'done') Object.assign(values, { nextNotifyAt: null, completedAt: current.completedAt ?? now });
    else if (rearm)
      Object.assign(values, {
        completedAt: null,
        remindersSent: 0,
        acknowledgedAt: null,
        nextNotifyAt: reminder && reminder > now ? reminder : null,
      });
    const [row] = await this.db.orm
      .update(tasks)
      .set(values)
      .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)))
      .returning();
    if (!row) throw notFound('task', id);
    return row;
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.db.orm
      .delete(tasks)
      .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)))
      .returning({ id: tasks.id });
    if (deleted.length === 0) throw notFound('task', id);
  }

  /** The reply to a reminder: no more follow-ups for it. */
  async acknowledge(workspaceId: string, id: string, now: Date): Promise<TaskRow> {
    const [row] = await this.db.orm
      .update(tasks)
      .set({ acknowledgedAt: now, nextNotifyAt: null, updatedAt: now })
      .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)))
      .returning();
    if (!row) throw notFound('task', id);
    return row;
  }

  /** Open tasks whose reminder or follow-up is due at `now`, oldest first (every workspace). */
  async due(now: Date, limit: number): Promise<TaskRow[]> {
    return this.db.orm
      .select()
      .from(tasks)
      .where(and(eq(tasks.status, 'open'), isNotNull(tasks.nextNotifyAt), lte(tasks.nextNotifyAt, now)))
      .orderBy(asc(tasks.nextNotifyAt))
      .limit(limit);
  }

  /**
   * Counts a sent reminder of `row` (as read by `due`) and schedules the next follow-up, or none once
   * `maxFollowUps` have gone out. False when another process counted it first.
   */
  async advance(row: TaskRow, now: Date, followUpMs: number, maxFollowUps: number): Promise<boolean> {
    const next = row.remindersSent < maxFollowUps ? new Date(now.getTime() + followUpMs) : null;
    const moved = await this.db.orm
      .update(tasks)
      .set({ remindersSent: row.remindersSent + 1, nextNotifyAt: next, updatedAt: now })
      .where(
        and(
          eq(tasks.id, row.id),
          eq(tasks.remindersSent, row.remindersSent),
          eq(tasks.nextNotifyAt, row.nextNotifyAt!),
        ),
      )
      .returning({ id: tasks.id });
    return moved.length === 1;
  }
}

/** The phone numbers the assistant serves. */
export class AssistantContacts {
  constructor(private readonly db: Database) {}

  async find(workspaceId: string, phone: string): Promise<AssistantContactRow | null> {
    const [row] = await this.db.orm
      .select()
      .from(assistantContacts)
      .where(and(eq(assistantContacts.workspaceId, workspaceId), eq(assistantContacts.phone, phone)));
    return row ?? null;
  }

  async put(
    workspaceId: string,
    values: Pick<AssistantContactRow, 'phone' | 'workflowId' | 'timeZone' | 'summaryTime'>,
    now: Date,
  ): Promise<AssistantContactRow> {
    const [row] = await this.db.orm
      .insert(assistantContacts)
      .values({ workspaceId, ...values, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [assistantContacts.workspaceId, assistantContacts.phone],
        set: { ...values, updatedAt: now },
      })
      .returning();
    return row!;
  }

  async remember(id: string, lastTaskId: string): Promise<void> {
    await this.db.orm.update(assistantContacts).set({ lastTaskId }).where(eq(assistantContacts.id, id));
  }

  /** Contacts with a daily summary (every workspace), at most `limit`. */
  async withSummary(limit: number): Promise<AssistantContactRow[]> {
    return this.db.orm
      .select()
      .from(assistantContacts)
      .where(isNotNull(assistantContacts.summaryTime))
      .orderBy(asc(assistantContacts.id))
      .limit(limit);
  }

  /** Marks `day`'s summary as sent; false when another process marked it first. */
  async markSummary(row: AssistantContactRow, day: string): Promise<boolean> {
    const moved = await this.db.orm
      .update(assistantContacts)
      .set({ lastSummaryOn: day })
      .where(
        and(
          eq(assistantContacts.id, row.id),
          row.lastSummaryOn === null
            ? sql`${assistantContacts.lastSummaryOn} is null`
            : eq(assistantContacts.lastSummaryOn, row.lastSummaryOn),
        ),
      )
      .returning({ id: assistantContacts.id });
    return moved.length === 1;
  }
}
