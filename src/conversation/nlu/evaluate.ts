// Accuracy of a classifier on a labelled corpus, per intent and overall.
import type { Corpus, IntentClassifier } from './classifier.ts';

export interface IntentReport {
  intent: string;
  correct: number;
  total: number;
  accuracy: number;
  /** Right intent with confidence at or above the threshold: what a user would see acted on. */
  confident: number;
  misses: { text: string; predicted: string }[];
}

export interface EvalReport {
  perIntent: IntentReport[];
  correct: number;
  total: number;
  accuracy: number;
  /** Wrong intent with confidence at or above the threshold: the mistakes that would become wrong actions. */
  confidentWrong: number;
}

export function evaluate(classifier: IntentClassifier, corpus: Corpus, threshold: number): EvalReport {
  let confidentWrong = 0;
  const perIntent = Object.entries(corpus).map(([intent, texts]): IntentReport => {
    const results = texts.map((text) => ({ text, ...classifier.classify(text) }));
    const misses = results
      .filter((r) => r.intent !== intent)
      .map((r) => ({ text: r.text, predicted: r.intent as string }));
    confidentWrong += results.filter((r) => r.intent !== intent && r.confidence >= threshold).length;
    const confident = results.filter((r) => r.intent === intent && r.confidence >= threshold).length;
    const correct = texts.length - misses.length;
    return { intent, correct, total: texts.length, accuracy: correct / texts.length, confident, misses };
  });
  const correct = perIntent.reduce((a, r) => a + r.correct, 0);
  const total = perIntent.reduce((a, r) => a + r.total, 0);
  return { perIntent, correct, total, accuracy: correct / total, confidentWrong };
}
