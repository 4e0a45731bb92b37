import { generateText, type LanguageModel } from 'ai';

/**
 * One request to a model, no retries, bounded by `timeoutMs`: the callers have an answer of their own to fall back
 * on, so a slow or failing provider costs one attempt. Provider errors and the timeout are thrown.
 */
export async function askOnce(
  model: LanguageModel,
  system: string,
  prompt: string,
  timeoutMs: number,
): Promise<string> {
  const result = await generateText({
    model,
    system,
    prompt,
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
  return result.text;
}
