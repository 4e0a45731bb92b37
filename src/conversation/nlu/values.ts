// Value entities: numbers, dates, yes/no, quoted strings.
import { normalize, tokens } from './normalize.ts';

// Dates, URLs and e-mails contain digits that are not numbers the user meant.
const NOT_NUMBERS = /\d{4}-\d{2}-\d{2}|https?:\/\/\S+|\S+@\S+/g;

export function extractNumbers(text: string): number[] {
  const clean = text.replace(NOT_NUMBERS, ' ');
  return [...clean.matchAll(/(?<![\w.-])-?\d+(?:\.\d+)?(?![\w.]*\w)/g)].map((m) => Number(m[0]));
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Dates as ISO days (UTC): explicit ISO dates first, then relative words resolved against `now`. */
export function extractDates(text: string, now: Date): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    // Round-tripping rejects impossible days such as 2026-02-31.
    if (isoDay(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === m[0]) found.push(m[0]);
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const relative: [RegExp, (m: RegExpMatchArray) => number][] = [
    [/\btoday\b/g, () => 0],
    [/\btomorrow\b/g, () => 1],
    [/\byesterday\b/g, () => -1],
    [/\bin (\d+) (day|days|week|weeks)\b/g, (m) => Number(m[1]) * (m[2]!.startsWith('week') ? 7 : 1)],
    [
      /\b(?:next|on|this) (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/g,
      (m) => {
        const diff = (WEEKDAYS.indexOf(m[1]!) - now.getUTCDay() + 7) % 7;
        return diff === 0 ? 7 : diff;
      },
    ],
  ];
  const n = normalize(text);
  for (const [re, days] of relative) {
    for (const m of n.matchAll(re)) found.push(isoDay(today + days(m) * DAY_MS));
  }
  return found;
}

const YES = new Set([
  'yes',
  'yeah',
  'yep',
  'yup',
  'sure',
  'ok',
  'okay',
  'approve',
  'approved',
  'accept',
  'confirm',
  'confirmed',
  'lgtm',
  'y',
  'affirmative',
  'absolutely',
]);
const NO = new Set([
  'no',
  'nope',
  'nah',
  'reject',
  'rejected',
  'deny',
  'denied',
  'decline',
  'declined',
  'refuse',
  'n',
  'negative',
  'never',
]);
const NEGATION = new Set(['not', 'dont', 'never', 'cannot', 'cant']);

export function extractYesNo(text: string): 'yes' | 'no' | undefined {
  const words = tokens(text);
  if (words.some((w) => NO.has(w))) return 'no';
  const negated = words.some((w) => NEGATION.has(w));
  if (words.some((w) => YES.has(w))) return negated ? 'no' : 'yes';
  return undefined;
}

export function extractQuoted(text: string): string[] {
  const re = /"([^"]*)"|“([^”]*)”|(?:^|\s)'([^']+)'(?=[\s.,!?]|$)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}
