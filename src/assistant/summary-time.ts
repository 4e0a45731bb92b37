import { wallTimeAt } from './zoned-time.ts';

/** "HH:MM", 24-hour. */
export const SUMMARY_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The local date ("YYYY-MM-DD") whose daily summary is due at `now`, or null: due once the wall clock in `zone`
 * has reached `time` on a day that has not had its summary yet. Pure.
 */
export function summaryDay(now: Date, zone: string, time: string, lastSentOn: string | null): string | null {
  const w = wallTimeAt(now, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const today = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  if (lastSentOn !== null && lastSentOn >= today) return null;
  return `${pad(w.hour)}:${pad(w.minute)}` >= time ? today : null;
}
