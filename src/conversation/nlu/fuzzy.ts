// Fuzzy lookup of workflow and step names in a message: token overlap, tolerant of typos.
import { allowedTypos, damerauLevenshtein } from './distance.ts';
import { tokens } from './normalize.ts';

export interface FuzzyMatch<T> {
  item: T;
  score: number;
  /** Index of the first message token that matched; orders several matches ("connect fetch to notify"). */
  position: number;
}

// Words that name the kind of thing, not which one: matching them alone proves nothing.
const GENERIC = new Set([
  'the',
  'a',
  'an',
  'of',
  'to',
  'for',
  'and',
  'workflow',
  'flow',
  'step',
  'block',
  'node',
  'process',
  'run',
]);
const MARKERS = new Set(['step', 'block', 'node']);

/** Words of a name, splitting slugs, snake_case and camelCase. */
export function nameTokens(name: string): string[] {
  const all = splitWords(name.replace(/([a-z])([A-Z])/g, '$1 $2'));
  const specific = all.filter((t) => !GENERIC.has(t));
  // A step whose id is just "a" is still named by it.
  return specific.length > 0 ? specific : all;
}

function splitWords(text: string): string[] {
  return tokens(text.replace(/[-_]/g, ' '));
}

function tokenScore(word: string, message: readonly string[], i: number): number {
  const candidate = message[i]!;
  if (candidate === word) {
    // A one- or two-letter name ("a") only counts right after "step"/"block", else "a" the article would match.
    return word.length > 2 || MARKERS.has(message[i - 1] ?? '') ? 1 : 0;
  }
  const max = allowedTypos(word.length);
  if (max === 0 || GENERIC.has(candidate)) return 0;
  return damerauLevenshtein(candidate, word, max) <= max ? 0.8 : 0;
}

function score(names: readonly string[][], message: readonly string[]): { score: number; position: number } {
  let best = { score: 0, position: -1 };
  for (const words of names) {
    if (words.length === 0) continue;
    let total = 0;
    let position = Infinity;
    for (const w of words) {
      let wordBest = 0;
      for (let i = 0; i < message.length; i++) {
        const s = tokenScore(w, message, i);
        if (s > wordBest) wordBest = s;
        if (s > 0) position = Math.min(position, i);
      }
      total += wordBest;
    }
    const s = total / words.length;
    if (s > best.score) best = { score: s, position };
  }
  return best;
}

/** Every item whose name (or alias) matches well enough, best score first. */
export function fuzzyFind<T>(
  text: string,
  items: readonly T[],
  namesOf: (item: T) => string[],
  minScore = 0.5,
): FuzzyMatch<T>[] {
  const message = splitWords(text);
  const matches: FuzzyMatch<T>[] = [];
  for (const item of items) {
    const { score: s, position } = score(namesOf(item).map(nameTokens), message);
    if (s >= minScore) matches.push({ item, score: s, position });
  }
  return matches.sort((a, b) => b.score - a.score || a.position - b.position);
}
