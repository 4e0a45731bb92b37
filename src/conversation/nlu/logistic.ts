// Multinomial logistic regression over sparse vectors: a few hundred examples train in well under a second, and
// classifying is one sparse dot product per class. Deterministic: the same examples give the same weights.

export interface SparseRow {
  /** Feature ids, each below the model's feature count. */
  ids: readonly number[];
  values: readonly number[];
}

export interface TrainingOptions {
  epochs: number;
  /** L2 penalty per example on the weights a step touches: keeps rare features from dominating. */
  l2: number;
  learningRate: number;
  seed: number;
}

export class SoftmaxModel {
  /** Row-major: the weights of feature f are at f * classes … f * classes + classes - 1. */
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(
    readonly features: number,
    readonly classes: number,
  ) {
    this.weights = new Float64Array(features * classes);
    this.bias = new Float64Array(classes);
  }

  /** Raw class scores (logits) for one row. */
  scores(row: SparseRow): Float64Array {
    const out = Float64Array.from(this.bias);
    for (let k = 0; k < row.ids.length; k++) {
      const base = row.ids[k]! * this.classes;
      const v = row.values[k]!;
      for (let c = 0; c < this.classes; c++) out[c]! += this.weights[base + c]! * v;
    }
    return out;
  }

  /**
   * Stochastic gradient descent with AdaGrad step sizes (rare features still learn fast) over the rows in a
   * seeded shuffled order each epoch.
   */
  train(rows: readonly SparseRow[], labels: readonly number[], options: TrainingOptions): void {
    const gradSq = new Float64Array(this.weights.length).fill(1e-8);
    const biasSq = new Float64Array(this.classes).fill(1e-8);
    const order = rows.map((_, i) => i);
    const random = mulberry32(options.seed);
    const probs = new Float64Array(this.classes);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      for (const i of order) {
        const row = rows[i]!;
        softmaxInto(probs, this.scores(row));
        probs[labels[i]!]! -= 1;
        for (let c = 0; c < this.classes; c++) {
          const g = probs[c]!;
          biasSq[c]! += g * g;
          this.bias[c]! -= (options.learningRate * g) / Math.sqrt(biasSq[c]!);
        }
        for (let k = 0; k < row.ids.length; k++) {
          const base = row.ids[k]! * this.classes;
          const v = row.values[k]!;
          for (let c = 0; c < this.classes; c++) {
            const at = base + c;
            const g = probs[c]! * v + options.l2 * this.weights[at]!;
            gradSq[at]! += g * g;
            this.weights[at]! -= (options.learningRate * g) / Math.sqrt(gradSq[at]!);
          }
        }
      }
    }
  }
}

/** Softmax of `scores / temperature`, written into `out`. */
export function softmaxInto(out: Float64Array, scores: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) max = Math.max(max, scores[c]!);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    out[c] = Math.exp((scores[c]! - max) / temperature);
    sum += out[c]!;
  }
  for (let c = 0; c < scores.length; c++) out[c]! /= sum;
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
