import type { LanguageModel } from 'ai';
import { askOnce } from './ask-once.ts';
import { z } from 'zod';

const answerSchema = z.object({ intent: z.string(), confidence: z.number().min(0).max(1) });

/**
 * Asks a language model which of `intents` a chat message means. Returns null when the model's answer is
 * unusable (not JSON, an intent we do not know); provider errors and the timeout are thrown to the caller.
 */
export async function classifyIntent<I extends string>(
  model: LanguageModel,
  text: string,
  intents: readonly I[],
  timeoutMs: number,
): Promise<{ intent: I; confidence: number } | null> {
  const system = [
    'You classify one message a person sent to a workflow assistant.',
    `Intents: ${intents.join(', ')}, unknown.`,
    'Answer with JSON only, no prose: {"intent": "<one of the intents>", "confidence": <0 to 1>}.',
  ].join('\n');
  const answer = await askOnce(model, system, text, timeoutMs);
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(answer)?.[1] ?? answer;
  let parsed;
  try {
    parsed = answerSchema.safeParse(JSON.parse(fenced));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const { intent: answered, confidence } = parsed.data;
  const intent = intents.find((known) => known === answered);
  return intent === undefined ? null : { intent, confidence };
}
