import type { TaskView } from '../../../src/model/tasks.ts';

/** The browser's own time zone: the page adds tasks in it. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A `datetime-local` value (the browser's wall clock) as an ISO instant, or null when empty. */
export function localInputToIso(value: string): string | null {
  if (value === '') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** How a task's time reads in its own zone: "Tue 8 Dec, 09:00 (America/New_York)". */
export function taskWhen(task: Pick<TaskView, 'dueAt' | 'remindAt' | 'timeZone'>): string {
  const at = task.remindAt ?? task.dueAt;
  if (!at) return '';
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: task.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));
  return `${text} (${task.timeZone})`;
}
