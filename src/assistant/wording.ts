import { describeInstant } from './zoned-time.ts';

/** What the assistant says. Pure: times are said in the user's zone against `now`. */
export interface Said {
  title: string;
  dueAt: Date | null;
  remindAt: Date | null;
}

export const HELP_TEXT =
  'I keep your tasks and reminders. Try: "remind me to call the bank tomorrow at 9", "what\'s on today?", ' +
  '"done with the bank", "snooze that for an hour", "list my tasks".';

export const NOT_UNDERSTOOD = `Sorry, I did not get that. ${HELP_TEXT}`;

export const KNOWLEDGE_GONE = `Sorry, I cannot look that up: the knowledge base I answer from was removed. ${HELP_TEXT}`;

const whenOf = (task: Said, zone: string, now: Date) => {
  const at = task.dueAt ?? task.remindAt;
  return at ? ` (${describeInstant(at, zone, now)})` : '';
};

export function added(task: Said, zone: string, now: Date): string {
  if (task.remindAt) return `OK, I'll remind you to ${task.title} ${describeInstant(task.remindAt, zone, now)}.`;
  return `Added "${task.title}"${whenOf(task, zone, now)}.`;
}

export function listed(items: readonly Said[], label: string, zone: string, now: Date): string {
  const scope = label === 'open' ? 'open' : `for ${label}`;
  if (items.length === 0) return `Nothing ${scope}.`;
  const lines = items.map((t, i) => `${i + 1}. ${t.title}${whenOf(t, zone, now)}`);
  return `Your tasks ${scope}:\n${lines.join('\n')}`;
}

export const reminder = (task: Said) => `Reminder: ${task.title}. Reply "done" when it's done, or "snooze".`;
export const followUp = (task: Said) => `Just checking: ${task.title}? Reply "done" or "snooze 1 hour".`;
export const completed = (task: Said) => `Done: ${task.title}. Nice work!`;
export const snoozed = (task: Said, until: Date, zone: string, now: Date) =>
  `OK, I'll remind you about ${task.title} ${describeInstant(until, zone, now)}.`;

export function summary(items: readonly Said[], zone: string, now: Date): string {
  if (items.length === 0) return 'Good morning! Nothing planned for today.';
  return `Good morning! Today: ${items.map((t) => `${t.title}${whenOf(t, zone, now)}`).join('; ')}.`;
}

export const ambiguous = (titles: readonly string[]) =>
  `Which one? ${titles.map((t) => `"${t}"`).join(' or ')}. Say a few more words of it.`;
export const noSuchTask = (words: string) =>
  `I found no open task matching "${words}". Say "list my tasks" to see them.`;
export const nothingPending = 'There is no task to refer to yet. Say "list my tasks" to see them.';
