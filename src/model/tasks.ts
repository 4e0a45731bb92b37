import { z } from 'zod';

/**
 * Assistant tasks and reminders: workspace data, not strings in a prompt. These are the rules the API, the
 * assistant's dialogue and the web page share. Pure.
 */
export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const MAX_TASK_TITLE_CHARS = 200;
export const MAX_TASK_NOTES_CHARS = 4000;
export const MAX_OPEN_TASKS_PER_WORKSPACE = 5000;
/** A reminder at most this far ahead: beyond it is a typo more often than a plan. */
export const MAX_REMINDER_AHEAD_MS = 5 * 366 * 24 * 3600_000;
/** A reminder "now" still counts (a client's clock may lag the server's by this much). */
export const REMINDER_PAST_GRACE_MS = 60_000;

/** True when the runtime knows `zone` as an IANA time zone ("Europe/Paris", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'timeZone must be an IANA time zone name such as "Europe/Paris" or "America/New_York"');

/** E.164: "+" and 8-15 digits. */
export const phoneSchema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'phone must be in E.164 form, e.g. +15551234567');

const title = z
  .string()
  .trim()
  .min(1, 'title must not be empty')
  .max(MAX_TASK_TITLE_CHARS, `title has at most ${MAX_TASK_TITLE_CHARS} characters`);
const notes = z.string().max(MAX_TASK_NOTES_CHARS, `notes have at most ${MAX_TASK_NOTES_CHARS} characters`);
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset' });

export const taskCreateSchema = z.strictObject({
  title,
  notes: notes.optional(),
  timeZone: timeZoneSchema.default('UTC'),
  dueAt: instant.nullable().optional(),
  remindAt: instant.nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  conversationId: z.uuid().nullable().optional(),
});
export type TaskCreate = z.infer<typeof taskCreateSchema>;

export const taskPatchSchema = z
  .strictObject({
    title: title.optional(),
    notes: notes.optional(),
    timeZone: timeZoneSchema.optional(),
    dueAt: instant.nullable().optional(),
    remindAt: instant.nullable().optional(),
    status: z.enum(TASK_STATUSES).optional(),
    phone: phoneSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type TaskPatch = z.infer<typeof taskPatchSchema>;

/** Why a reminder time cannot be used, or null when it can. */
export function reminderProblem(remindAt: Date, now: Date): string | null {
  if (remindAt.getTime() < now.getTime() - REMINDER_PAST_GRACE_MS)
    return `remindAt ${remindAt.toISOString()} is in the past; choose a time after ${now.toISOString()}`;
  if (remindAt.getTime() > now.getTime() + MAX_REMINDER_AHEAD_MS) return 'remindAt is more than five years ahead';
  return null;
}

/** A task as the API shows it. */
export interface TaskView {
  id: string;
  title: string;
  notes: string | null;
  status: TaskStatus;
  timeZone: string;
  dueAt: string | null;
  remindAt: string | null;
  phone: string | null;
  conversationId: string | null;
  /** Reminders sent for the current reminder time: the first, then follow-ups. */
  remindersSent: number;
  /** When the next reminder or follow-up goes out; null when none is pending. */
  nextNotifyAt: string | null;
  acknowledgedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
