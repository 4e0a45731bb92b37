import type { Intent } from './nlu/intents.ts';
import type { Understand } from './understanding.ts';

export type IntentOracle = (text: string) => Promise<{ intent: Intent; confidence: number } | null>;

/**
 * Offline NLU first; when it is unsure, an LLM (NLP_PROVIDER) gets a say. The entities still come from the
 * offline extractor, and a failing or unsure model leaves the clarifying question in place: never a guess.
 */
export function withLlmFallback(
  offline: Understand,
  oracle: IntentOracle,
  threshold: number,
  onError: (error: unknown) => void,
): Understand {
  return async (text, context) => {
    const local = await offline(text, context);
    if (local.intent !== 'unknown') return local;
    try {
      const answer = await oracle(text);
      if (!answer || answer.confidence < threshold) return local;
      const { clarify: _clarify, ...rest } = local;
      return { ...rest, intent: answer.intent, confidence: answer.confidence };
    } catch (error) {
      onError(error);
      return local;
    }
  };
}
