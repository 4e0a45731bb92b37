import { and, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { notFound } from '../model/errors.ts';
import type { Database } from './db.ts';
import { decodeCursor, type Page, toPage } from './pagination.ts';
import { smsOutbox } from './schema.ts';

export type OutboxRow = typeof smsOutbox.$inferSelect;
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';
export type NewOutboxMessage = Pick<
  OutboxRow,
  'workspaceId' | 'idempotencyKey' | 'toPhone' | 'fromPhone' | 'body' | 'encoding' | 'segments'
> &
  Partial<Pick<OutboxRow, 'status' | 'errorCode' | 'errorMessage'>>;

/** What a delivery report may move a sent message to; anything already final stays as it is. */
const REPORTED = new Set<OutboxStatus>(['sent', 'delivered', 'undelivered', 'failed']);

/**
 * The durable outbox of SMS messages. A message is queued once per idempotency key; a sender claims due rows
 * (SKIP LOCKED, so processes never share one), and every transition is guarded by the state it leaves, so a late
 * or repeated update cannot move a message backwards or send it twice.
 */
export class SmsOutbox {
  constructor(private readonly db: Database) {}

  /** Queues messages; one whose key was queued before is not added again, and the stored row is returned. */
  async enqueue(messages: NewOutboxMessage[]): Promise<OutboxRow[]> {
    if (messages.length === 0) return [];
    await this.db.orm.insert(smsOutbox).values(messages).onConflictDoNothing({ target: smsOutbox.idempotencyKey });
    const keys = messages.map((m) => m.idempotencyKey);
    const rows = await this.db.orm.select().from(smsOutbox).where(inArray(smsOutbox.idempotencyKey, keys));
    return keys.map((key) => rows.find((r) => r.idempotencyKey === key)!);
  }

  /** Takes up to `limit` due messages for sending; each is this caller's until `leaseMs` from now. */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const due = sql`select ${smsOutbox.id} from ${smsOutbox}
      where ${smsOutbox.status} = 'queued' and ${smsOutbox.nextAttemptAt} <= ${now.toISOString()}::timestamptz
      order by ${smsOutbox.nextAttemptAt}, ${smsOutbox.idempotencyKey} limit ${limit} for update skip locked`;
    return this.db.orm
      .update(smsOutbox)
      .set({
        status: 'sending',
        attempts: sql`${smsOutbox.attempts} + 1`,
        leaseUntil: new Date(now.getTime() + leaseMs),
        updatedAt: now,
      })
      .where(sql`${smsOutbox.id} in (${due})`)
      .returning();
  }

  /** The provider accepted it (its id is kept to match delivery reports). */
  async markSent(id: string, providerSid: string): Promise<void> {
    await this.move(id, 'sending', {
      status: 'sent',
      providerSid,
      leaseUntil: null,
      errorCode: null,
      errorMessage: null,
    });
  }

  /** Not sent this time, for a reason that may pass (outage, rate limit): queued again for `nextAttemptAt`. */
  async retryLater(id: string, nextAttemptAt: Date, errorCode: string, errorMessage: string): Promise<void> {
    await this.move(id, 'sending', { status: 'queued', nextAttemptAt, leaseUntil: null, errorCode, errorMessage });
  }

  async markFailed(id: string, from: 'queued' | 'sending', errorCode: string, errorMessage: string): Promise<void> {
    await this.move(id, from, { status: 'failed', leaseUntil: null, errorCode, errorMessage });
  }

  /**
   * Messages whose sender died mid-request: the provider may or may not have taken them, so they are failed with
   * `outcome_unknown` rather than sent again (a duplicate text cannot be taken back).
   */
  async abandonExpired(now: Date): Promise<number> {
    const rows = await this.db.orm
      .update(smsOutbox)
      .set({
        status: 'failed',
        leaseUntil: null,
        errorCode: 'outcome_unknown',
        errorMessage: 'the process sending it stopped mid-request; not resent, to never send it twice',
        updatedAt: now,
      })
      .where(and(eq(smsOutbox.status, 'sending'), lte(smsOutbox.leaseUntil, now)))
      .returning({ id: smsOutbox.id });
    return rows.length;
  }

  /** Applies a provider's delivery report; unknown ids and reports about final messages change nothing. */
  async report(
    workspaceId: string,
    providerSid: string,
    status: string,
    errorCode: string | null,
  ): Promise<OutboxRow | null> {
    if (!REPORTED.has(status as OutboxStatus)) return null;
    const [row] = await this.db.orm
      .update(smsOutbox)
      .set({
        status,
        ...(errorCode ? { errorCode, errorMessage: `the provider reported error ${errorCode}` } : {}),
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(smsOutbox.workspaceId, workspaceId),
          eq(smsOutbox.providerSid, providerSid),
          inArray(smsOutbox.status, status === 'sent' ? ['sending'] : ['sending', 'sent']),
        ),
      )
      .returning();
    return row ?? null;
  }

  async get(workspaceId: string, id: string): Promise<OutboxRow> {
    const [row] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.db.orm
          .select()
          .from(smsOutbox)
          .where(and(eq(smsOutbox.workspaceId, workspaceId), eq(smsOutbox.id, id)))
      : [];
    if (!row) throw notFound('SMS message', id);
    return row;
  }

  async list(
    workspaceId: string,
    filters: { status?: OutboxStatus; to?: string; limit: number; cursor?: string },
  ): Promise<Page<OutboxRow>> {
    const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
    const conditions: Array<SQL | undefined> = [
      eq(smsOutbox.workspaceId, workspaceId),
      filters.status ? eq(smsOutbox.status, filters.status) : undefined,
      filters.to ? eq(smsOutbox.toPhone, filters.to) : undefined,
      after
        ? sql`(${smsOutbox.createdAt}, ${smsOutbox.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
        : undefined,
    ];
    const rows = await this.db.orm
      .select()
      .from(smsOutbox)
      .where(and(...conditions))
      .orderBy(desc(smsOutbox.createdAt), desc(smsOutbox.id))
      .limit(filters.limit + 1);
    return toPage(rows, filters.limit, (row) => row);
  }

  private async move(id: string, from: OutboxStatus, set: Partial<OutboxRow>): Promise<void> {
    await this.db.orm
      .update(smsOutbox)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(smsOutbox.id, id), eq(smsOutbox.status, from)));
  }
}
