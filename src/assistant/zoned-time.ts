/**
 * Wall-clock time in an IANA time zone and back, with the DST rules of the runtime's time zone data. Pure: the
 * reference instant is always passed in.
 */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `instant`. */
export function wallTimeAt(instant: Date, zone: string): WallTime & { second: number } {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** How far `zone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const w = wallTimeAt(new Date(instant), zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant the wall clock in `zone` shows `wall`. A time skipped by a spring-forward gap moves forward by the
 * gap (02:30 → 03:30); a time that happens twice when clocks fall back is the first of the two.
 */
export function instantOf(wall: WallTime, zone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = offsetAt(asUtc - 24 * 3600_000, zone);
  const after = offsetAt(asUtc + 24 * 3600_000, zone);
  // Both readings of the wall time; the earlier one that the zone really shows wins.
  const candidates = [asUtc - Math.max(before, after), asUtc - Math.min(before, after)];
  for (const candidate of candidates) {
    if (asUtc - offsetAt(candidate, zone) === candidate) return new Date(candidate);
  }
  // In a gap: neither reading exists, so shift by the gap (the offset from before it).
  return new Date(asUtc - before);
}

/** Midnight that starts the local day holding `instant`, `plusDays` days later. */
export function startOfLocalDay(instant: Date, zone: string, plusDays = 0): Date {
  const w = wallTimeAt(instant, zone);
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day + plusDays));
  return instantOf(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0 },
    zone,
  );
}

/** "Tue 8 Dec, 09:00" in `zone`: how the assistant says a time. */
export function describeInstant(instant: Date, zone: string, now: Date): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(instant);
  const dayStart = startOfLocalDay(now, zone);
  const at = instant.getTime();
  if (at >= dayStart.getTime() && at < startOfLocalDay(now, zone, 1).getTime()) return `today at ${time}`;
  if (at >= startOfLocalDay(now, zone, 1).getTime() && at < startOfLocalDay(now, zone, 2).getTime())
    return `tomorrow at ${time}`;
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(instant);
  return `${day} at ${time}`;
}
