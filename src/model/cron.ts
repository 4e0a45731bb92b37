import { Cron } from 'croner';

/**
 * Cron math for schedule triggers, on croner (time zones and DST included: a time skipped by spring-forward fires
 * at the first valid minute after it, a time repeated by fall-back fires once). Minute precision: five fields, or
 * a nickname such as `@daily`. Pure: times in, times out.
 */

export const CATCH_UP_POLICIES = ['skip', 'once', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** A fire more than this late counts as missed (the process was down), and follows the catch-up policy. */
export const ON_TIME_MS = 60_000;

const cronOf = (pattern: string, timezone: string) => new Cron(pattern, { timezone, paused: true, mode: '5-part' });

/** Why `timezone` is not an IANA time zone, or null. */
export function timeZoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`;
  }
}

/** Why `pattern` is not a usable cron expression in `timezone`, or null. */
export function cronProblem(pattern: string, timezone: string): string | null {
  try {
    if (cronOf(pattern, timezone).nextRun(new Date(0)) === null) return `"${pattern}" never fires`;
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return `"${pattern}" is not a cron expression (minute hour day-of-month month day-of-week): ${reason}`;
  }
}

/** The next `count` fire times strictly after `after`. */
export function nextFires(pattern: string, timezone: string, after: Date, count: number): Date[] {
  return cronOf(pattern, timezone).nextRuns(count, after);
}

/** The first fire time strictly after `after`, or null when the pattern never fires again. */
export function nextFire(pattern: string, timezone: string, after: Date): Date | null {
  return cronOf(pattern, timezone).nextRun(after);
}

export interface DueFires {
  /** Fire times to start now, oldest first. */
  fire: Date[];
  /** Where the schedule stands next: the first fire time after `now`. */
  next: Date | null;
}

/**
 * Which fire times to start now, given the first not yet handled (`from`) and the time now. Fires within
 * `ON_TIME_MS` of now are on time and always start; older ones were missed and follow `policy`: `skip` none,
 * `once` the latest, `all` the latest `max` of them.
 */
export function dueFires(
  schedule: { cron: string; timezone: string; catchUp: CatchUpPolicy; maxCatchUp: number },
  from: Date,
  now: Date,
): DueFires {
  const cron = cronOf(schedule.cron, schedule.timezone);
  const next = cron.nextRun(now);
  if (from > now) return { fire: [], next };
  const onTimeFrom = now.getTime() - ON_TIME_MS;
  const bound = Math.max(schedule.maxCatchUp, 1) + Math.ceil(ON_TIME_MS / 60_000) + 1;
  // Newest first; previousRuns looks strictly before its reference, and a fire exactly at `now` is due.
  const recent = cron.previousRuns(bound, new Date(now.getTime() + 1)).filter((d) => d >= from);
  const onTime = recent.filter((d) => d.getTime() >= onTimeFrom);
  const missed = recent.filter((d) => d.getTime() < onTimeFrom);
  const caught =
    schedule.catchUp === 'all'
      ? missed.slice(0, schedule.maxCatchUp)
      : schedule.catchUp === 'once'
        ? missed.slice(0, 1)
        : [];
  return { fire: [...caught, ...onTime].sort((a, b) => a.getTime() - b.getTime()), next };
}
