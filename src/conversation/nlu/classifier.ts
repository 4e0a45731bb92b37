// Intent classifier: multinomial logistic regression over TF-IDF word/bigram (stemmed, spell-corrected) and
// character n-gram features, trained from the corpus at first use, with a temperature-scaled confidence.
import { charFeatures, messageTokens, stem, weigh, wordFeatures, type SparseVector } from './features.ts';
import { INTENTS, isIntent, type Intent } from './intents.ts';
import { SoftmaxModel, softmaxInto, type SparseRow, type TrainingOptions } from './logistic.ts';
import { NeighbourIndex } from './neighbours.ts';
import { Speller } from './speller.ts';

export type Corpus = Record<string, readonly string[]>;

export interface Scored {
  intent: Intent;
  confidence: number;
}

export interface Classification extends Scored {
  alternatives: Scored[];
}

// Word features carry most meaning; char n-grams rescue typos the speller misses.
const WORD_WEIGHT = 0.65;
const CHAR_WEIGHT = 0.35;
// Chosen by 5-fold cross-validation on train.json and the dev set (scripts/eval-nlu.ts prints both).
const TRAINING: TrainingOptions = { epochs: 15, l2: 1e-4, learningRate: 0.5, seed: 17 };
/**
 * Temperature scaling of the scores, fitted by `npm run eval:nlu` (lowest log-loss) on held-out predictions only:
 * the dev set plus 5-fold cross-validation on train.json. Below 1 because a regularised model is under-confident.
 */
export const TEMPERATURE = 0.7;
// A linear model extrapolates boldly from one shared word ("a lot" → add-block): a message whose closest training
// example is less similar than this has its confidence scaled down in proportion.
const FAMILIAR_SIMILARITY = 0.25;

export class IntentClassifier {
  private readonly speller: Speller;
  private readonly wordIdf = new Map<string, number>();
  private readonly charIdf = new Map<string, number>();
  private readonly featureIds = new Map<string, number>();
  private readonly model: SoftmaxModel;
  private readonly neighbours: NeighbourIndex;

  constructor(corpus: Corpus) {
    const examples: { label: number; original: string[] }[] = [];
    for (const [intent, sentences] of Object.entries(corpus)) {
      if (!isIntent(intent)) throw new Error(`corpus has unknown intent "${intent}"`);
      for (const s of sentences) examples.push({ label: INTENTS.indexOf(intent), original: messageTokens(s) });
    }
    this.speller = new Speller(examples.flatMap((e) => e.original));
    const raw = examples.map((e) => ({
      words: wordFeatures(e.original.map(stem)),
      chars: charFeatures(e.original),
    }));
    fillIdf(
      this.wordIdf,
      raw.map((r) => r.words),
    );
    fillIdf(
      this.charIdf,
      raw.map((r) => r.chars),
    );
    for (const r of raw) {
      for (const f of r.words.keys()) if (!this.featureIds.has(f)) this.featureIds.set(f, this.featureIds.size);
      for (const f of r.chars.keys()) if (!this.featureIds.has(f)) this.featureIds.set(f, this.featureIds.size);
    }
    const rows = raw.map((r) => this.row(r.words, r.chars));
    this.model = new SoftmaxModel(this.featureIds.size, INTENTS.length);
    this.model.train(
      rows,
      examples.map((e) => e.label),
      TRAINING,
    );
    this.neighbours = new NeighbourIndex(rows);
  }

  classify(text: string): Classification {
    const row = this.rowOf(text);
    const probs = softmaxInto(new Float64Array(INTENTS.length), this.model.scores(row), TEMPERATURE);
    const familiarity = Math.min(1, this.neighbours.closest(row) / FAMILIAR_SIMILARITY);
    for (let c = 0; c < probs.length; c++) probs[c]! *= familiarity;
    const ranked = INTENTS.map((intent, c) => ({ intent, confidence: probs[c]! })).sort(
      (a, b) => b.confidence - a.confidence,
    );
    const [first, ...rest] = ranked;
    return { intent: first!.intent, confidence: first!.confidence, alternatives: rest.slice(0, 3) };
  }

  /** Raw scores (logits) per intent, in the order of INTENTS: what calibration is fitted on. */
  scores(text: string): Float64Array {
    return this.model.scores(this.rowOf(text));
  }

  private rowOf(text: string): SparseRow {
    const original = messageTokens(text);
    const corrected = original.map((t) => this.speller.correct(t));
    return this.row(wordFeatures(corrected.map(stem)), charFeatures(original));
  }

  /** One message as the model's input: word and char blocks, each unit length, weighted; unseen features drop. */
  private row(words: SparseVector, chars: SparseVector): SparseRow {
    const ids: number[] = [];
    const values: number[] = [];
    const add = (v: SparseVector, scale: number): void => {
      for (const [f, w] of v) {
        const id = this.featureIds.get(f);
        if (id === undefined) continue;
        ids.push(id);
        values.push(w * scale);
      }
    };
    add(weigh(words, this.wordIdf), WORD_WEIGHT);
    add(weigh(chars, this.charIdf), CHAR_WEIGHT);
    return { ids, values };
  }
}

function fillIdf(idf: Map<string, number>, docs: SparseVector[]): void {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  for (const [f, n] of df) idf.set(f, Math.log((1 + docs.length) / (1 + n)) + 1);
}
