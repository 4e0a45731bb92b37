// Nearest-neighbour intent classifier over TF-IDF word/bigram and character n-gram vectors,
// trained at load time from the corpus. Unknown words are spell-corrected against the training vocabulary.
import { allowedTypos, damerauLevenshtein } from './distance.ts';
import { charFeatures, messageTokens, weigh, wordFeatures, type SparseVector } from './features.ts';
import { INTENTS, isIntent, type Intent } from './intents.ts';

export type Corpus = Record<string, readonly string[]>;

export interface Scored {
  intent: Intent;
  confidence: number;
}

export interface Classification extends Scored {
  alternatives: Scored[];
}

interface Posting {
  example: number;
  weight: number;
}

// Word features carry most meaning; char n-grams rescue typos the speller misses.
const WORD_WEIGHT = 0.65;
const CHAR_WEIGHT = 0.35;
// Average of the best K neighbours per intent: robust to one odd training sentence.
const K = 3;
// Softmax temperature: similarities differ by a few hundredths between close intents.
const TEMPERATURE = 0.04;
const MAX_CORRECTIONS = 10_000;

export class IntentClassifier {
  private readonly labels: Intent[] = [];
  // Inverted index (feature → examples): a message touches few features, so scoring stays well under 1 ms.
  private readonly wordIndex = new Map<string, Posting[]>();
  private readonly charIndex = new Map<string, Posting[]>();
  private readonly wordIdf = new Map<string, number>();
  private readonly charIdf = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  // Vocabulary by word length: a word with k typos can only be within k letters of its length.
  private readonly byLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string>();

  constructor(corpus: Corpus) {
    const raw: { intent: Intent; words: SparseVector; chars: SparseVector }[] = [];
    for (const [intent, sentences] of Object.entries(corpus)) {
      if (!isIntent(intent)) throw new Error(`corpus has unknown intent "${intent}"`);
      for (const s of sentences) {
        const toks = messageTokens(s);
        for (const t of toks) this.vocabulary.add(t);
        raw.push({ intent, words: wordFeatures(toks), chars: charFeatures(toks) });
      }
    }
    for (const word of this.vocabulary) {
      if (word.startsWith('#')) continue;
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
    fillIdf(
      this.wordIdf,
      raw.map((r) => r.words),
    );
    fillIdf(
      this.charIdf,
      raw.map((r) => r.chars),
    );
    raw.forEach((r, example) => {
      this.labels.push(r.intent);
      index(this.wordIndex, weigh(r.words, this.wordIdf), example);
      index(this.charIndex, weigh(r.chars, this.charIdf), example);
    });
  }

  classify(text: string): Classification {
    const original = messageTokens(text);
    const corrected = original.map((t) => this.correct(t));
    const words = weigh(wordFeatures(corrected), this.wordIdf);
    const chars = weigh(charFeatures(original), this.charIdf);
    const sims = new Float64Array(this.labels.length);
    accumulate(sims, this.wordIndex, words, WORD_WEIGHT);
    accumulate(sims, this.charIndex, chars, CHAR_WEIGHT);
    const best = new Map<Intent, number[]>();
    this.labels.forEach((intent, example) => {
      const list = best.get(intent) ?? [];
      insertTopK(list, sims[example]!);
      best.set(intent, list);
    });
    const scores = INTENTS.map((intent) => {
      const list = best.get(intent) ?? [];
      return { intent, score: list.reduce((a, b) => a + b, 0) / K };
    });
    const top = Math.max(...scores.map((s) => s.score));
    const exps = scores.map((s) => Math.exp((s.score - top) / TEMPERATURE));
    const sum = exps.reduce((a, b) => a + b, 0);
    // A message unlike anything in training gets low confidence even if one intent wins the softmax.
    const familiarity = Math.min(1, top / 0.25);
    const ranked = scores
      .map((s, i) => ({ intent: s.intent, confidence: ((exps[i] ?? 0) / sum) * familiarity }))
      .sort((a, b) => b.confidence - a.confidence);
    const [first, ...rest] = ranked;
    return { intent: first!.intent, confidence: first!.confidence, alternatives: rest.slice(0, 3) };
  }

  private correct(token: string): string {
    if (token.startsWith('#') || this.vocabulary.has(token)) return token;
    const cached = this.corrections.get(token);
    if (cached !== undefined) return cached;
    const max = allowedTypos(token.length);
    let best = token;
    let bestDistance = max + 1;
    for (let length = token.length - max; max > 0 && length <= token.length + max; length++) {
      for (const word of this.byLength.get(length) ?? []) {
        const d = damerauLevenshtein(token, word, max);
        if (d < bestDistance) {
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

function fillIdf(idf: Map<string, number>, docs: SparseVector[]): void {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  for (const [f, n] of df) idf.set(f, Math.log((1 + docs.length) / (1 + n)) + 1);
}

function index(into: Map<string, Posting[]>, vector: SparseVector, example: number): void {
  for (const [feature, weight] of vector) {
    const list = into.get(feature) ?? [];
    list.push({ example, weight });
    into.set(feature, list);
  }
}

function accumulate(sims: Float64Array, from: Map<string, Posting[]>, query: SparseVector, scale: number): void {
  for (const [feature, weight] of query) {
    for (const p of from.get(feature) ?? []) sims[p.example]! += scale * weight * p.weight;
  }
}

function insertTopK(list: number[], value: number): void {
  if (list.length < K) {
    list.push(value);
    list.sort((a, b) => b - a);
  } else if (value > list[K - 1]!) {
    list[K - 1] = value;
    list.sort((a, b) => b - a);
  }
}
