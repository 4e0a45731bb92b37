import type { WordTable } from './table.ts';

/**
 * Smooth-inverse-frequency sentence vectors (Arora et al., 2017) from the word-vector table: the weighted mean of
 * the known words' vectors, normalized to unit length. The common component was removed from every word vector
 * when the table was built, which is the same as removing it from every sentence. Pure and synchronous; the
 * embedder runs it on a worker thread.
 */

/** Texts longer than this many words are embedded from their first MAX_TOKENS words (chunks are far shorter). */
export const MAX_TOKENS = 20_000;

/**
 * Lower-cased words and numbers, accents folded ("Café" → "cafe"), split at anything else; one-letter words are
 * dropped (mostly split contractions and initials). Documents and queries go through the same function.
 */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const tokens: string[] = [];
  for (const match of folded.matchAll(/[a-z0-9]+/g)) {
    if (match[0].length > 1 || /\d/.test(match[0])) tokens.push(match[0]);
    if (tokens.length === MAX_TOKENS) break;
  }
  return tokens;
}

export class SifModel {
  readonly dimensions: number;
  private readonly index = new Map<string, number>();

  constructor(private readonly table: WordTable) {
    this.dimensions = table.meta.dimensions;
    table.words.forEach((word, i) => this.index.set(word, i));
  }

  get wordCount(): number {
    return this.table.words.length;
  }

  /** The table row of a word, trying a few plain English inflections when the word itself is not in the table. */
  lookup(word: string): number | undefined {
    const direct = this.index.get(word);
    if (direct !== undefined || word.length < 5) return direct;
    for (const [suffix, replacement] of INFLECTIONS) {
      if (!word.endsWith(suffix)) continue;
      const row = this.index.get(word.slice(0, -suffix.length) + replacement);
      if (row !== undefined) return row;
    }
    return undefined;
  }

  /** A unit vector, or all zeros when the text has no known word (cosine 0 with everything). */
  embed(text: string): Float32Array {
    const dims = this.dimensions;
    const sum = new Float64Array(dims);
    const { weights, vectors, scales } = this.table;
    for (const token of tokenize(text)) {
      const row = this.lookup(token);
      if (row === undefined) continue;
      const weight = weights[row]!;
      const base = row * dims;
      for (let d = 0; d < dims; d++) sum[d]! += weight * vectors[base + d]!;
    }
    const out = new Float32Array(dims);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const value = sum[d]! * scales[d]!;
      out[d] = value;
      norm += value * value;
    }
    if (norm === 0) return out;
    const inverse = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[d]! *= inverse;
    return out;
  }
}

/** Suffix → replacement, most specific first: "policies" → "policy", "refunds" → "refund", "charged" → "charge". */
const INFLECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'],
  ['es', ''],
  ['s', ''],
  ['ed', ''],
  ['ed', 'e'],
  ['ing', ''],
  ['ing', 'e'],
  ['ly', ''],
];
