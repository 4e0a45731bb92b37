import { and, asc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { notFound } from '../model/errors.ts';
import type { Database } from './db.ts';
import { conversations, conversationTurns } from './schema.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type TurnRow = typeof conversationTurns.$inferSelect;
export type NewTurn = Pick<TurnRow, 'role' | 'text'> & Partial<Pick<TurnRow, 'intent' | 'confidence' | 'action'>>;

/** Sessions and their turns; history beyond `maxHistory` turns is trimmed as new ones arrive. */
export class ConversationStore {
  constructor(
    private readonly db: Database,
    private readonly maxHistory: number,
  ) {}

  async create(values: typeof conversations.$inferInsert): Promise<ConversationRow> {
    const [row] = await this.db.orm.insert(conversations).values(values).returning();
    return row!;
  }

  /** A live (not expired) conversation of the workspace, or not_found saying why. */
  async get(workspaceId: string, id: string): Promise<ConversationRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? (
          await this.db.orm
            .select()
            .from(conversations)
            .where(and(eq(conversations.id, id), eq(conversations.workspaceId, workspaceId)))
        )[0]
      : undefined;
    if (!row) throw notFound('conversation', id);
    if (row.expiresAt.getTime() <= Date.now()) throw notFound('conversation (it expired; start a new one)', id);
    return row;
  }

  /** Any conversation by id, expired or not (for internal use; the API goes through `get`). */
  async find(id: string): Promise<ConversationRow | null> {
    const [row] = await this.db.orm.select().from(conversations).where(eq(conversations.id, id));
    return row ?? null;
  }

  /** Unexpired conversations, in one workspace or (without one) in all. */
  async countActive(workspaceId?: string): Promise<number> {
    const [row] = await this.db.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(
        and(
          workspaceId ? eq(conversations.workspaceId, workspaceId) : undefined,
          gt(conversations.expiresAt, new Date()),
          isNull(conversations.endedAt),
        ),
      );
    return row?.n ?? 0;
  }

  /** Appends turns and applies the session's new state in one transaction, trimming old history. */
  async append(
    id: string,
    turns: NewTurn[],
    patch: Partial<Pick<ConversationRow, 'state' | 'workflowId' | 'executionId' | 'expiresAt' | 'config'>>,
  ): Promise<ConversationRow> {
    return this.db.orm.transaction(async (tx) => {
      const [row] = await tx
        .update(conversations)
        .set({ ...patch, turnCount: sql`${conversations.turnCount} + ${turns.length}`, updatedAt: new Date() })
        .where(eq(conversations.id, id))
        .returning();
      if (!row) throw notFound('conversation', id);
      const first = row.turnCount - turns.length + 1;
      if (turns.length > 0)
        await tx.insert(conversationTurns).values(turns.map((t, i) => ({ ...t, conversationId: id, seq: first + i })));
      // Nothing to trim until the history is full: skip the statement on every turn of a short conversation.
      if (row.turnCount > this.maxHistory)
        await tx
          .delete(conversationTurns)
          .where(
            and(eq(conversationTurns.conversationId, id), lte(conversationTurns.seq, row.turnCount - this.maxHistory)),
          );
      return row;
    });
  }

  async turns(id: string): Promise<TurnRow[]> {
    return this.db.orm
      .select()
      .from(conversationTurns)
      .where(eq(conversationTurns.conversationId, id))
      .orderBy(asc(conversationTurns.seq));
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const row = await this.get(workspaceId, id);
    await this.db.orm.delete(conversations).where(eq(conversations.id, row.id));
  }

  /** Deletes up to `limit` conversations (and their turns) that expired before `before`; returns how many. */
  async purgeExpired(before: Date, limit: number): Promise<number> {
    const doomed = this.db.orm
      .select({ id: conversations.id })
      .from(conversations)
      .where(lt(conversations.expiresAt, before))
      .limit(limit);
    const deleted = await this.db.orm
      .delete(conversations)
      .where(inArray(conversations.id, doomed))
      .returning({ id: conversations.id });
    return deleted.length;
  }

  /** Conversations following an execution, to push its progress to them. */
  async following(executionId: string): Promise<ConversationRow[]> {
    return this.db.orm
      .select()
      .from(conversations)
      .where(and(eq(conversations.executionId, executionId), gt(conversations.expiresAt, new Date())));
  }
}
