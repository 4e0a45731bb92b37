// Feature extraction for the intent classifier: words, bigrams and character n-grams.
import { stemmer } from 'stemmer';
import { charNgrams, tokens } from './normalize.ts';

export type SparseVector = Map<string, number>;

// "step three", "forty euros": numbers written as words are numbers too.
const NUMBER_WORDS = new Set(
  (
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen ' +
    'seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million'
  ).split(' '),
);

/** Values vary per message and carry no intent, so they collapse to placeholders. */
export function placeholder(token: string): string {
  if (/^https?:/.test(token) || /^www\./.test(token)) return '#url';
  if (/^-?\d+([.,]\d+)?$/.test(token) || NUMBER_WORDS.has(token)) return '#num';
  if (/^\d{4}-\d{2}-\d{2}/.test(token)) return '#date';
  if (token.includes('=')) return '#kv';
  if (token.includes('@')) return '#email';
  return token;
}

export function messageTokens(text: string): string[] {
  return tokens(text.replace(/"[^"]*"|“[^”]*”/g, ' #str ')).map((t) => (t === 'str' ? '#str' : placeholder(t)));
}

/** Inflections carry no intent ("pausing", "paused", "pauses" → "paus"); placeholders stay as they are. */
export function stem(token: string): string {
  return token.startsWith('#') ? token : stemmer(token);
}

// Function words, and name=value pairs (a value for a run as much as an answer), say nothing alone about the
// intent: as single-word features they only let a model learn accidents of the corpus ("and" → connect). They
// still count in bigrams and character n-grams.
const NEUTRAL_WORDS = new Set(
  (
    '#kv a an the and or with to of in on for at by from it its this that these those is are be was ' +
    'i me my you your we our us'
  ).split(' '),
);
export function wordFeatures(words: readonly string[]): SparseVector {
  const v: SparseVector = new Map();
  const add = (f: string, w: number): void => void v.set(f, (v.get(f) ?? 0) + w);
  for (const w of words) if (!NEUTRAL_WORDS.has(w)) add(`w:${w}`, 1);
  const padded = ['<s>', ...words];
  for (let i = 0; i + 1 < padded.length; i++) add(`b:${padded[i]}_${padded[i + 1]}`, 1);
  return v;
}

export function charFeatures(words: readonly string[]): SparseVector {
  const v: SparseVector = new Map();
  for (const w of words) {
    if (w.startsWith('#')) continue;
    for (const g of charNgrams(w)) v.set(g, (v.get(g) ?? 0) + 1);
  }
  return v;
}

/** Weights every feature by idf, then scales the vector to unit length. */
export function weigh(v: SparseVector, idf: ReadonlyMap<string, number>): SparseVector {
  const out: SparseVector = new Map();
  let norm = 0;
  for (const [f, tf] of v) {
    const w = (1 + Math.log(tf)) * (idf.get(f) ?? 0);
    if (w === 0) continue;
    out.set(f, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [f, w] of out) out.set(f, w / norm);
  return out;
}
