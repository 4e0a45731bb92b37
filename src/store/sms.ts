import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { DuetError, notFound } from '../model/errors.ts';
import type { Database } from './db.ts';
import { smsContacts, smsInbound, smsOptOuts, smsSettings } from './schema.ts';

export type SmsSettingsRow = typeof smsSettings.$inferSelect;
export type SmsContactRow = typeof smsContacts.$inferSelect;

/** Most contacts a workspace may list (a bound on the directory, not on traffic). */
export const MAX_SMS_CONTACTS = 10_000;

/** Who may text a workspace, who opted out, which workflow answers, and which deliveries were already handled. */
export class SmsDirectory {
  constructor(private readonly db: Database) {}

  async settings(workspaceId: string): Promise<SmsSettingsRow | null> {
    const [row] = await this.db.orm.select().from(smsSettings).where(eq(smsSettings.workspaceId, workspaceId));
    return row ?? null;
  }

  async putSettings(
    workspaceId: string,
    values: { workflowId: string | null; unknownReply: string | null; knowledgeBaseId: string | null },
  ): Promise<SmsSettingsRow> {
    const [row] = await this.db.orm
      .insert(smsSettings)
      .values({ workspaceId, ...values })
      .onConflictDoUpdate({ target: smsSettings.workspaceId, set: { ...values, updatedAt: new Date() } })
      .returning();
    return row!;
  }

  async contacts(workspaceId: string): Promise<SmsContactRow[]> {
    return this.db.orm
      .select()
      .from(smsContacts)
      .where(eq(smsContacts.workspaceId, workspaceId))
      .orderBy(asc(smsContacts.createdAt))
      .limit(MAX_SMS_CONTACTS);
  }

  async contact(workspaceId: string, phone: string): Promise<SmsContactRow | null> {
    const [row] = await this.db.orm
      .select()
      .from(smsContacts)
      .where(and(eq(smsContacts.workspaceId, workspaceId), eq(smsContacts.phone, phone)));
    return row ?? null;
  }

  async addContact(
    workspaceId: string,
    values: { phone: string; name: string | null; role: 'viewer' | 'editor' },
  ): Promise<SmsContactRow> {
    const [{ n }] = (await this.db.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(smsContacts)
      .where(eq(smsContacts.workspaceId, workspaceId))) as [{ n: number }];
    if (n >= MAX_SMS_CONTACTS)
      throw new DuetError('conflict', `a workspace has at most ${MAX_SMS_CONTACTS} SMS contacts; remove some first`);
    const [row] = await this.db.orm
      .insert(smsContacts)
      .values({ workspaceId, ...values })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DuetError('conflict', `${values.phone} is already a contact of this workspace`);
    return row;
  }

  async removeContact(workspaceId: string, phone: string): Promise<void> {
    const gone = await this.db.orm
      .delete(smsContacts)
      .where(and(eq(smsContacts.workspaceId, workspaceId), eq(smsContacts.phone, phone)))
      .returning({ id: smsContacts.id });
    if (gone.length === 0) throw notFound('SMS contact', phone);
  }

  async bindConversation(contactId: string, conversationId: string): Promise<void> {
    await this.db.orm.update(smsContacts).set({ conversationId }).where(eq(smsContacts.id, contactId));
  }

  async optedOut(workspaceId: string, phone: string): Promise<boolean> {
    const [row] = await this.db.orm
      .select({ phone: smsOptOuts.phone })
      .from(smsOptOuts)
      .where(and(eq(smsOptOuts.workspaceId, workspaceId), eq(smsOptOuts.phone, phone)));
    return row !== undefined;
  }

  async setOptOut(workspaceId: string, phone: string, out: boolean): Promise<void> {
    if (out) await this.db.orm.insert(smsOptOuts).values({ workspaceId, phone }).onConflictDoNothing();
    else
      await this.db.orm
        .delete(smsOptOuts)
        .where(and(eq(smsOptOuts.workspaceId, workspaceId), eq(smsOptOuts.phone, phone)));
  }

  /**
   * Claims an inbound delivery by its MessageSid. `first` means this process handles it; otherwise it was seen
   * before and `reply` is what was answered then (null while the first delivery is still being handled).
   */
  async claimInbound(
    workspaceId: string,
    messageSid: string,
    fromPhone: string,
  ): Promise<{ first: true } | { first: false; reply: string | null }> {
    const inserted = await this.db.orm
      .insert(smsInbound)
      .values({ messageSid, workspaceId, fromPhone })
      .onConflictDoNothing()
      .returning({ sid: smsInbound.messageSid });
    if (inserted.length > 0) return { first: true };
    const [row] = await this.db.orm
      .select({ reply: smsInbound.reply, workspaceId: smsInbound.workspaceId })
      .from(smsInbound)
      .where(eq(smsInbound.messageSid, messageSid));
    return { first: false, reply: row?.workspaceId === workspaceId ? row.reply : '' };
  }

  /** Stores the answer to a delivery ('' for "no reply"), so a redelivery gets the same one. */
  async recordReply(messageSid: string, reply: string): Promise<void> {
    await this.db.orm.update(smsInbound).set({ reply }).where(eq(smsInbound.messageSid, messageSid));
  }

  /** Forgets a delivery whose handling failed, so the provider's retry is handled afresh. */
  async releaseInbound(messageSid: string): Promise<void> {
    await this.db.orm.delete(smsInbound).where(eq(smsInbound.messageSid, messageSid));
  }

  /** Deletes delivery records older than `before` (providers stop redelivering within minutes); returns how many. */
  async purgeInbound(before: Date): Promise<number> {
    const gone = await this.db.orm
      .delete(smsInbound)
      .where(lt(smsInbound.receivedAt, before))
      .returning({ sid: smsInbound.messageSid });
    return gone.length;
  }
}
