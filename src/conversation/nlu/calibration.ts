// Temperature scaling: one number that makes the classifier's confidence match how often it is right, fitted
// on held-out messages (never the training ones, on which any model is over-confident).
import { softmaxInto } from './logistic.ts';

export interface Labelled {
  /** Raw class scores (logits). */
  scores: Float64Array;
  label: number;
}

/** Mean negative log-likelihood of the true classes at a temperature. */
export function negativeLogLikelihood(items: readonly Labelled[], temperature: number): number {
  let total = 0;
  for (const { scores, label } of items) {
    const p = softmaxInto(new Float64Array(scores.length), scores, temperature)[label]!;
    total -= Math.log(Math.max(p, 1e-12));
  }
  return total / items.length;
}

/** The temperature in [0.05, 20] with the lowest NLL, by a log-spaced scan refined around the best point. */
export function fitTemperature(items: readonly Labelled[]): number {
  let best = 1;
  let bestLoss = Infinity;
  let low = Math.log(0.05);
  let high = Math.log(20);
  for (let round = 0; round < 4; round++) {
    const step = (high - low) / 40;
    for (let x = low; x <= high + 1e-9; x += step) {
      const loss = negativeLogLikelihood(items, Math.exp(x));
      if (loss < bestLoss) {
        bestLoss = loss;
        best = Math.exp(x);
      }
    }
    low = Math.log(best) - step;
    high = Math.log(best) + step;
  }
  return best;
}
