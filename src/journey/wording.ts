/** Words for durations and expressions in journey descriptions. */
import { unwrapExpression } from '../graph/templates.ts';

const UNITS: Array<[string, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** `90000` → "1 minute 30 seconds"; below a second, milliseconds. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return plural(ms, 'millisecond');
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(plural(count, unit));
  }
  return parts.join(' ');
}

/** An expression as people read it: one enclosing `{{ … }}` dropped (it is syntax), spaces trimmed. */
export function expressionText(expression: string): string {
  return unwrapExpression(expression).trim();
}

/** `startDate` or `start_date` → "start date". */
export function humanize(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
