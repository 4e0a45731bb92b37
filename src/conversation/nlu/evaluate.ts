// Accuracy of a classifier on a labelled corpus, per intent and overall, and k-fold cross-validation.
import type { Labelled } from './calibration.ts';
import { IntentClassifier, type Corpus } from './classifier.ts';
import { INTENTS, type Intent } from './intents.ts';

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
  /** Below the threshold: answered with a clarifying question instead of an action. */
  clarify: number;
}

export function evaluate(classifier: IntentClassifier, corpus: Corpus, threshold: number): EvalReport {
  let confidentWrong = 0;
  let clarify = 0;
  const perIntent = Object.entries(corpus).map(([intent, texts]): IntentReport => {
    const results = texts.map((text) => ({ text, ...classifier.classify(text) }));
    const misses = results
      .filter((r) => r.intent !== intent)
      .map((r) => ({ text: r.text, predicted: r.intent as string }));
    confidentWrong += results.filter((r) => r.intent !== intent && r.confidence >= threshold).length;
    clarify += results.filter((r) => r.confidence < threshold).length;
    const confident = results.filter((r) => r.intent === intent && r.confidence >= threshold).length;
    const correct = texts.length - misses.length;
    return { intent, correct, total: texts.length, accuracy: correct / texts.length, confident, misses };
  });
  const correct = perIntent.reduce((a, r) => a + r.correct, 0);
  const total = perIntent.reduce((a, r) => a + r.total, 0);
  return { perIntent, correct, total, accuracy: correct / total, confidentWrong, clarify };
}

/** Raw scores of every sentence of a corpus with its true intent: what calibration is fitted on. */
export function scoreCorpus(classifier: IntentClassifier, corpus: Corpus): Labelled[] {
  return Object.entries(corpus).flatMap(([intent, texts]) =>
    texts.map((text) => ({ scores: classifier.scores(text), label: INTENTS.indexOf(intent as Intent) })),
  );
}

/**
 * k-fold cross-validation: every sentence is scored by a model trained without it (the i-th of every k sentences
 * of each intent forms fold i). Training sentences share their authors' habits, so this is a harsh test.
 */
export function crossValidate(corpus: Corpus, folds: number): { accuracy: number; heldOut: Labelled[] } {
  const heldOut: Labelled[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train: Record<string, string[]> = {};
    const test: Record<string, string[]> = {};
    for (const [intent, texts] of Object.entries(corpus)) {
      train[intent] = texts.filter((_, i) => i % folds !== fold);
      test[intent] = texts.filter((_, i) => i % folds === fold);
    }
    heldOut.push(...scoreCorpus(new IntentClassifier(train), test));
  }
  const correct = heldOut.filter((h) => argmax(h.scores) === h.label).length;
  return { accuracy: correct / heldOut.length, heldOut };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
