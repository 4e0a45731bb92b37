import { defaultClassifier, understand } from './nlu/index.ts';
import type { Understand } from './understanding.ts';

/** The dialogue's view of the offline NLU: intent, confidence, and the entities it acts on. */
export function offlineUnderstanding(threshold: number): Understand {
  // The classifier trains on first use (a few hundred ms): do it now, at startup, not in the first chat turn.
  defaultClassifier();
  return (text, context) => {
    const result = understand(text, context, { threshold });
    const { workflow, step, values, numbers, yesNo } = result.entities;
    return {
      intent: result.intent,
      confidence: result.confidence,
      clarify: result.clarify,
      workflow,
      step,
      values,
      numbers,
      yesNo,
    };
  };
}
