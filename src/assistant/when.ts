import * as chrono from 'chrono-node';
import { instantOf, wallTimeAt, type WallTime } from './zoned-time.ts';

/** A time found in a phrase, resolved in the user's time zone. */
export interface FoundTime {
  at: Date;
  /** The words that said it, and where they start, so they can be cut out of a task's title. */
  text: string;
  index: number;
  /** A day without a time of day ("on Friday", "tomorrow"): `at` is that day's midnight. */
  dayOnly: boolean;
}

// "in an hour", "for 20 minutes", "two days from now": a span from now, counted in real time across DST.
const RELATIVE = /^(in|for|within|after)\b|\bfrom now$|\blater$/i;

/**
 * The first time `text` mentions, read on the wall clock of `zone` at `now`: chrono reads the words against the
 * wall clock as if it were UTC, then the wall time found is placed in `zone` (so DST is the zone's, not the
 * host's). Future readings win for ambiguous words ("at 9" after 9 means tomorrow).
 */
export function findTime(text: string, now: Date, zone: string): FoundTime | null {
  const wall = wallTimeAt(now, zone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const [found] = chrono.parse(text, { instant: new Date(wallAsUtc), timezone: 0 }, { forwardDate: true });
  if (!found) return null;
  const common = { text: found.text, index: found.index };
  if (RELATIVE.test(found.text.trim()))
    return { ...common, at: new Date(now.getTime() + (found.start.date().getTime() - wallAsUtc)), dayOnly: false };
  const dayOnly = !found.start.isCertain('hour');
  const day: WallTime = {
    year: found.start.get('year')!,
    month: found.start.get('month')!,
    day: found.start.get('day')!,
    hour: dayOnly ? 0 : found.start.get('hour')!,
    minute: dayOnly ? 0 : (found.start.get('minute') ?? 0),
  };
  return { ...common, at: instantOf(day, zone), dayOnly };
}
