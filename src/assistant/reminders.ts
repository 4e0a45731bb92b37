import type { AssistantContacts, TaskRow, TaskStore } from '../store/tasks.ts';
import { summaryDay } from './summary-time.ts';
import * as say from './wording.ts';
import { startOfLocalDay } from './zoned-time.ts';

/** Sends a text to a phone number; `key` names the message so a repeat of it is never sent twice. */
export type TextSender = (workspaceId: string, to: string, text: string, key: string) => Promise<void>;

export interface ReminderOptions {
  /** A reminder not acknowledged within this gets a follow-up... */
  followUpMs: number;
  /** ...at most this many times. */
  maxFollowUps: number;
  /** Most reminders and summaries one sweep sends. */
  batch: number;
}

/**
 * Sends what is due: reminders of open tasks, their follow-ups, and each contact's daily summary. A message is
 * sent first under a key naming it (the SMS outbox queues a key once), then counted with a compare-and-set, so a
 * crash between the two resends nothing and two processes sweeping together send each message once.
 */
export class ReminderSweeper {
  constructor(
    private readonly tasks: TaskStore,
    private readonly contacts: AssistantContacts,
    private readonly send: TextSender,
    private readonly options: ReminderOptions,
    private readonly fail: (error: unknown, what: string) => void,
  ) {}

  async sweep(now: Date): Promise<void> {
    for (const task of await this.tasks.due(now, this.options.batch)) await this.remind(task, now);
    for (const contact of await this.contacts.withSummary(this.options.batch)) {
      const day = summaryDay(now, contact.timeZone, contact.summaryTime!, contact.lastSummaryOn);
      if (!day) continue;
      // A number added after today's summary time starts with tomorrow's summary.
      const addedLate =
        contact.lastSummaryOn === null &&
        summaryDay(contact.createdAt, contact.timeZone, contact.summaryTime!, null) === day;
      if (addedLate) {
        await this.contacts.markSummary(contact, day);
        continue;
      }
      try {
        const today = await this.tasks.list(contact.workspaceId, {
          status: 'open',
          phone: contact.phone,
          dueFrom: startOfLocalDay(now, contact.timeZone),
          dueBefore: startOfLocalDay(now, contact.timeZone, 1),
          limit: 50,
        });
        const text = say.summary(today.items, contact.timeZone, now);
        await this.send(contact.workspaceId, contact.phone, text, `assistant-summary:${contact.id}:${day}`);
      } catch (error) {
        this.fail(error, `the daily summary to ${contact.phone}`);
      }
      // Marked even when sending failed: a summary is worth one try, never a stream of retries.
      await this.contacts.markSummary(contact, day);
    }
  }

  private async remind(task: TaskRow, now: Date): Promise<void> {
    if (task.phone) {
      const text = task.remindersSent === 0 ? say.reminder(task) : say.followUp(task);
      const key = `assistant-reminder:${task.id}:${task.nextNotifyAt!.getTime()}:${task.remindersSent}`;
      try {
        await this.send(task.workspaceId, task.phone, text, key);
      } catch (error) {
        this.fail(error, `the reminder of task ${task.id}`);
      }
      const contact = await this.contacts.find(task.workspaceId, task.phone);
      if (contact) await this.contacts.remember(contact.id, task.id);
    }
    // A task without a phone is shown as due on its page; its reminder is counted and not repeated.
    await this.tasks.advance(task, now, this.options.followUpMs, task.phone ? this.options.maxFollowUps : 0);
  }
}
