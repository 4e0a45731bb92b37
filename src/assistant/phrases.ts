import { MAX_TASK_TITLE_CHARS } from '../model/tasks.ts';
import { findTime } from './when.ts';
import { instantOf, startOfLocalDay, wallTimeAt } from './zoned-time.ts';

/** What a message to the assistant asks for. Times are resolved instants; `null` target means "that one". */
export type AssistantIntent =
  | { kind: 'add'; title: string; dueAt: Date | null; remindAt: Date | null }
  | { kind: 'list'; from: Date | null; to: Date | null; label: string }
  | { kind: 'complete'; target: string | null }
  | { kind: 'snooze'; target: string | null; until: Date }
  | { kind: 'acknowledge' }
  | { kind: 'help' }
  | { kind: 'unknown' };

/** A reminder for a day without a time of day goes out at this local hour. */
export const DAY_REMINDER_HOUR = 9;
/** "snooze" without a time waits this long. */
export const DEFAULT_SNOOZE_MS = 10 * 60_000;

const ADD = [
  /^(?:please\s+)?remind\s+me\s+(?:to\s+|about\s+|that\s+)?(.+)$/i,
  /^(?:add|new|create)(?:\s+an?)?(?:\s+(?:task|todo|to-do|reminder))?\s*:?\s+(.+)$/i,
  /^(?:todo|to-do|task)\s*:\s*(.+)$/i,
  /^i\s+(?:need|have|must|should)\s+to\s+(.+)$/i,
];
const LIST = [
  /^(?:list|show)(?:\s+me)?(?:\s+all)?(?:\s+(?:my|the))?\s+(?:open\s+)?(?:tasks|todos|to-dos|reminders|agenda)\b(.*)$/,
  /^(?:what'?s|what\s+is|whats)\s+(?:on|up|planned|due|left)\b(.*)$/,
  /^what\s+do\s+i\s+have\b(.*)$/,
  /^(?:my\s+)?(?:tasks|todos|to-dos|reminders|agenda)\b(.*)$/,
];
/** Which LIST patterns ask about today when they name no day. */
const LIST_MEANS_TODAY = new Set([1, 2]);
const COMPLETE = [
  /^(?:i'?m\s+|i\s+am\s+)?(?:done|finished|completed?)(?:\s+with)?\s+(.+)$/,
  /^(?:mark|tick|check)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|off)$/,
  /^(?:mark|tick|check)\s+off\s+(.+)$/,
];
const THAT = /^(?:it|that|this|that one|the last one|done|finished|complete|completed|did it|i did it)$/;
const SNOOZE = /^(?:snooze|postpone|delay|remind\s+me\s+again|later)\b(.*)$/;
const ACKNOWLEDGE = /^(?:ok|okay|k|kk|thanks|thank you|thx|got it|yes|yep|sure|will do|on it|noted|👍)$/;
const HELP = /^(?:help|\?|what can you do|hi|hello|hey|start)$/;

/** Lower case, single spaces, no closing punctuation. */
const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]+$/, '')
    .trim();

/** What the user means by their message, read in their time zone at `now`. No I/O. */
export function understand(message: string, now: Date, zone: string): AssistantIntent {
  const text = normalize(message);
  if (text === '') return { kind: 'unknown' };
  if (HELP.test(text)) return { kind: 'help' };
  if (ACKNOWLEDGE.test(text)) return { kind: 'acknowledge' };
  if (THAT.test(text)) return { kind: 'complete', target: null };

  const snooze = SNOOZE.exec(text);
  if (snooze) return snoozeIntent(snooze[1]!, now, zone);
  for (const [i, pattern] of LIST.entries()) {
    const match = pattern.exec(text);
    // "what's on?" means today; "list my tasks" means everything open.
    if (match) return listIntent(match[1]!, now, zone, LIST_MEANS_TODAY.has(i));
  }
  for (const pattern of COMPLETE) {
    const match = pattern.exec(text);
    if (match) return { kind: 'complete', target: THAT.test(match[1]!) ? null : match[1]! };
  }
  // Titles keep the user's capitals: the add patterns read the message as written.
  const written = message
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
  for (const pattern of ADD) {
    const match = pattern.exec(written);
    if (match) return addIntent(match[1]!, now, zone);
  }
  return { kind: 'unknown' };
}

function addIntent(rest: string, now: Date, zone: string): AssistantIntent {
  const time = findTime(rest, now, zone);
  const title = cleanTitle(time ? rest.slice(0, time.index) + ' ' + rest.slice(time.index + time.text.length) : rest);
  if (title === '') return { kind: 'unknown' };
  if (!time) return { kind: 'add', title, dueAt: null, remindAt: null };
  if (!time.dayOnly) return { kind: 'add', title, dueAt: time.at, remindAt: time.at };
  // A day without a time: due that day, reminded in its morning (or not at all if that morning has passed).
  const w = wallTimeAt(time.at, zone);
  const morning = instantOf({ ...w, hour: DAY_REMINDER_HOUR, minute: 0 }, zone);
  return { kind: 'add', title, dueAt: time.at, remindAt: morning > now ? morning : null };
}

function cleanTitle(raw: string): string {
  const title = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:to|about)\s+/i, '')
    .replace(/\s+(?:at|on|by|for|in)$/i, '')
    .replace(/[\s,;:.!-]+$/, '')
    .trim();
  return title.slice(0, MAX_TASK_TITLE_CHARS);
}

function listIntent(rest: string, now: Date, zone: string, meansToday: boolean): AssistantIntent {
  const words = rest.trim();
  const time = words === '' ? null : findTime(words, now, zone);
  const day = time ? time.at : meansToday ? now : null;
  if (!day) return { kind: 'list', from: null, to: null, label: 'open' };
  const from = startOfLocalDay(day, zone);
  return { kind: 'list', from, to: startOfLocalDay(day, zone, 1), label: dayLabel(from, now, zone) };
}

function dayLabel(dayStart: Date, now: Date, zone: string): string {
  if (dayStart.getTime() === startOfLocalDay(now, zone).getTime()) return 'today';
  if (dayStart.getTime() === startOfLocalDay(now, zone, 1).getTime()) return 'tomorrow';
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' }).format(
    dayStart,
  );
}

function snoozeIntent(rest: string, now: Date, zone: string): AssistantIntent {
  // "snooze the bank for an hour": the words before the time name the task.
  const time = findTime(rest, now, zone);
  const before = (time ? rest.slice(0, time.index) : rest)
    .trim()
    .replace(/^(?:it|that|this)\b/, '')
    .replace(/\s*\b(?:until|till|to|at|for|on)$/, '')
    .trim();
  const until = time && time.at > now ? time.at : new Date(now.getTime() + DEFAULT_SNOOZE_MS);
  return { kind: 'snooze', target: before === '' ? null : before, until };
}
