// Spelling correction of unknown words against the training vocabulary (Damerau-Levenshtein, bounded by length).
import { allowedTypos, damerauLevenshtein } from './distance.ts';

const MAX_CORRECTIONS = 10_000;

export class Speller {
  /** How often each word occurs in training: between two equally close words, the commoner is likelier meant. */
  private readonly vocabulary = new Map<string, number>();
  // Vocabulary by word length: a word with k typos can only be within k letters of its length.
  private readonly byLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string>();

  constructor(words: Iterable<string>) {
    for (const word of words) {
      if (word.startsWith('#')) continue;
      const count = this.vocabulary.get(word);
      this.vocabulary.set(word, (count ?? 0) + 1);
      if (count !== undefined) continue;
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  /** The word itself when known (or a placeholder), else the closest known word within the allowed typos. */
  correct(token: string): string {
    if (token.startsWith('#') || this.vocabulary.has(token)) return token;
    const cached = this.corrections.get(token);
    if (cached !== undefined) return cached;
    const max = allowedTypos(token.length);
    let best = token;
    let bestDistance = max + 1;
    for (let length = token.length - max; max > 0 && length <= token.length + max; length++) {
      for (const word of this.byLength.get(length) ?? []) {
        const d = damerauLevenshtein(token, word, max);
        if (d < bestDistance || (d === bestDistance && this.vocabulary.get(word)! > this.vocabulary.get(best)!)) {
          best = word;
          bestDistance = d;
        }
      }
    }
    // Bounded: a long-running server must not grow a cache from every typo it ever sees.
    if (this.corrections.size >= MAX_CORRECTIONS) this.corrections.clear();
    this.corrections.set(token, best);
    return best;
  }
}
