import { and, asc, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import { DuetError, notFound } from '../model/errors.ts';
import {
  newTriggerSchema,
  triggerPath,
  triggerProblems,
  type NewTrigger,
  type TriggerType,
} from '../model/triggers.ts';
import type { Database } from './db.ts';
import { triggerFires, triggers, workflows, workspaces } from './schema.ts';

/** A stored trigger: its type and config (checked when written) and where it stands. */
export type Trigger = NewTrigger & {
  id: string;
  workspaceId: string;
  workflowId: string;
  nextFireAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The most triggers one workflow may have. */
export const MAX_TRIGGERS_PER_WORKFLOW = 50;

type Row = typeof triggers.$inferSelect;
const toTrigger = (row: Row): Trigger =>
  ({
    id: row.id,
    workspaceId: row.workspaceId,
    workflowId: row.workflowId,
    type: row.type,
    enabled: row.enabled,
    config: row.config,
    nextFireAt: row.nextFireAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }) as Trigger;

/** Parses a trigger from the API: every problem at once, as 422 `invalid_trigger`. */
export function parseTrigger(body: unknown): NewTrigger {
  const parsed = newTriggerSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = triggerProblems(parsed.error);
  throw new DuetError(
    'invalid_trigger',
    `the trigger is not valid: ${problems.map((p) => p.message).join('; ')}`,
    problems,
  );
}

const UNIQUE_VIOLATION = '23505';
/** Whether a database error (or one it caused) is a unique-key violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.code === UNIQUE_VIOLATION) return true;
  return false;
}

/** Triggers of workflows, and the fires that make each delivery or scheduled time start one execution. */
export class TriggerStore {
  constructor(private readonly db: Database) {}

  async list(workspaceId: string, workflowId: string): Promise<Trigger[]> {
    const rows = await this.db.orm
      .select()
      .from(triggers)
      .where(and(eq(triggers.workspaceId, workspaceId), eq(triggers.workflowId, workflowId)))
      .orderBy(asc(triggers.createdAt), asc(triggers.id));
    return rows.map(toTrigger);
  }

  async get(workspaceId: string, id: string): Promise<Trigger> {
    const [row] = await this.db.orm
      .select()
      .from(triggers)
      .where(and(eq(triggers.workspaceId, workspaceId), eq(triggers.id, id)));
    if (!row) throw notFound('trigger', id);
    return toTrigger(row);
  }

  /** `nextFireAt` is the first fire time to handle (schedules only). */
  async create(
    workspaceId: string,
    workflowId: string,
    trigger: NewTrigger,
    nextFireAt: Date | null,
    createdBy?: string,
  ): Promise<Trigger> {
    const count = await this.db.orm.$count(triggers, eq(triggers.workflowId, workflowId));
    if (count >= MAX_TRIGGERS_PER_WORKFLOW)
      throw new DuetError('conflict', `a workflow has at most ${MAX_TRIGGERS_PER_WORKFLOW} triggers; delete one first`);
    try {
      const [row] = await this.db.orm
        .insert(triggers)
        .values({
          workspaceId,
          workflowId,
          type: trigger.type,
          enabled: trigger.enabled,
          config: trigger.config,
          path: triggerPath(trigger),
          nextFireAt,
          createdBy: createdBy ?? null,
        })
        .returning();
      return toTrigger(row!);
    } catch (error) {
      throw this.pathTaken(error, trigger);
    }
  }

  async update(workspaceId: string, id: string, trigger: NewTrigger, nextFireAt: Date | null): Promise<Trigger> {
    try {
      const [row] = await this.db.orm
        .update(triggers)
        .set({
          enabled: trigger.enabled,
          config: trigger.config,
          path: triggerPath(trigger),
          nextFireAt,
          updatedAt: sql`now()`,
        })
        .where(and(eq(triggers.workspaceId, workspaceId), eq(triggers.id, id)))
        .returning();
      if (!row) throw notFound('trigger', id);
      return toTrigger(row);
    } catch (error) {
      throw this.pathTaken(error, trigger);
    }
  }

  /** The workspace's slug, the first part of its public trigger addresses. */
  async workspaceSlug(workspaceId: string): Promise<string> {
    const [row] = await this.db.orm
      .select({ slug: workspaces.slug })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!row) throw notFound('workspace', workspaceId);
    return row.slug;
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.db.orm
      .delete(triggers)
      .where(and(eq(triggers.workspaceId, workspaceId), eq(triggers.id, id)))
      .returning({ id: triggers.id });
    if (deleted.length === 0) throw notFound('trigger', id);
  }

  /** The enabled trigger of a live workflow at a public address, e.g. a webhook's `/hooks/<workspace>/<path>`. */
  async findByPath(workspaceSlug: string, type: TriggerType, path: string): Promise<Trigger | null> {
    const [row] = await this.db.orm
      .select({ trigger: triggers })
      .from(triggers)
      .innerJoin(workspaces, eq(workspaces.id, triggers.workspaceId))
      .innerJoin(workflows, eq(workflows.id, triggers.workflowId))
      .where(
        and(
          eq(workspaces.slug, workspaceSlug),
          eq(triggers.type, type),
          eq(triggers.path, path),
          eq(triggers.enabled, true),
          isNull(workflows.deletedAt),
        ),
      );
    return row ? toTrigger(row.trigger) : null;
  }

  /** Enabled schedules of live workflows whose next fire time has come, oldest first. */
  async dueSchedules(now: Date, limit: number): Promise<Trigger[]> {
    const rows = await this.db.orm
      .select({ trigger: triggers })
      .from(triggers)
      .innerJoin(workflows, eq(workflows.id, triggers.workflowId))
      .where(
        and(
          eq(triggers.enabled, true),
          eq(triggers.type, 'schedule'),
          lte(triggers.nextFireAt, now),
          isNull(workflows.deletedAt),
        ),
      )
      .orderBy(asc(triggers.nextFireAt))
      .limit(limit);
    return rows.map((r) => toTrigger(r.trigger));
  }

  /** Moves a schedule on to its next fire time, never back (another process may have moved it further). */
  async advance(id: string, nextFireAt: Date | null): Promise<void> {
    await this.db.orm
      .update(triggers)
      .set({ nextFireAt })
      .where(
        and(
          eq(triggers.id, id),
          nextFireAt === null
            ? sql`true`
            : sql`(${triggers.nextFireAt} is null or ${triggers.nextFireAt} < ${nextFireAt})`,
        ),
      );
  }

  /**
   * Claims `key` of a trigger for `executionId`. Whoever inserts first owns it; everyone after gets the owner's
   * execution id (`claimed: false`).
   */
  async claim(triggerId: string, key: string, executionId: string): Promise<{ executionId: string; claimed: boolean }> {
    const inserted = await this.db.orm
      .insert(triggerFires)
      .values({ triggerId, key, executionId })
      .onConflictDoNothing()
      .returning({ executionId: triggerFires.executionId });
    if (inserted.length > 0) return { executionId, claimed: true };
    const [existing] = await this.db.orm
      .select({ executionId: triggerFires.executionId })
      .from(triggerFires)
      .where(and(eq(triggerFires.triggerId, triggerId), eq(triggerFires.key, key)));
    // Released between the insert and the read (its start was refused): claim it again.
    if (!existing) return this.claim(triggerId, key, executionId);
    return { executionId: existing.executionId, claimed: false };
  }

  /** Gives a claim back: its start was refused (bad input), so a corrected retry may start. */
  async release(triggerId: string, key: string, executionId: string): Promise<void> {
    await this.db.orm
      .delete(triggerFires)
      .where(
        and(
          eq(triggerFires.triggerId, triggerId),
          eq(triggerFires.key, key),
          eq(triggerFires.executionId, executionId),
        ),
      );
  }

  /** Forgets fires and deliveries recorded before `before` (a delivery retried after that starts again). */
  async pruneFires(before: Date): Promise<number> {
    const deleted = await this.db.orm
      .delete(triggerFires)
      .where(lt(triggerFires.at, before))
      .returning({ key: triggerFires.key });
    return deleted.length;
  }

  private pathTaken(error: unknown, trigger: NewTrigger): unknown {
    if (!isUniqueViolation(error)) return error;
    return new DuetError(
      'conflict',
      `another ${trigger.type} trigger of this workspace already uses "${triggerPath(trigger)}"; choose another`,
    );
  }
}
