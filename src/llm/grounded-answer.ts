import type { LanguageModel } from 'ai';
import { askOnce } from './ask-once.ts';

/**
 * Asks a model to answer a question from numbered passages only (the prompt section says how to cite them).
 * Provider errors and the timeout are thrown to the caller, which answers without the model then.
 */
export async function groundedAnswer(
  model: LanguageModel,
  question: string,
  passages: string,
  timeoutMs: number,
): Promise<string> {
  const system = [
    'You answer questions about an organisation from its documents.',
    'If the passages do not hold the answer, say that they do not. Keep it short: a few sentences.',
    passages,
  ].join('\n\n');
  return (await askOnce(model, system, question, timeoutMs)).trim();
}
