import { APICallError, generateText } from 'ai';
import { noProviderError } from '../../llm/registry.ts';
import { StepError, type BlockRunner, type StepContext } from './types.ts';

const JSON_INSTRUCTION = 'Reply with one JSON value only: no prose and no code fences.';

/** Calls a language model through the configured provider registry (`services.llm`). */
export const runAgentBlock: BlockRunner = async (ctx) => {
  const config = ctx.config as { prompt: string; system?: string; model?: string; output?: 'text' | 'json'; tools?: unknown[] };
  if (config.tools && config.tools.length > 0) {
    throw new StepError('tool calls to workflows are not available yet: remove "tools" from this agent block', 'tools_not_supported', false);
  }
  if (!ctx.services.llm) throw noProviderError();
  const model = ctx.services.llm.model(config.model);
  const prompt = stringify(await ctx.render(config.prompt));
  const rendered = config.system === undefined ? undefined : stringify(await ctx.render(config.system));
  const json = config.output === 'json';
  const system = json ? [rendered, JSON_INSTRUCTION].filter(Boolean).join('\n\n') : rendered;

  let result;
  try {
    // maxRetries 0: the engine owns retries, with the block's own retry policy.
    result = await generateText({ model, prompt, system, abortSignal: ctx.signal, maxRetries: 0 });
  } catch (err) {
    throw toStepError(err, ctx);
  }
  const output = {
    text: result.text,
    ...(json ? { json: parseJson(result.text) } : {}),
    usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    model: result.response.modelId,
    finishReason: result.finishReason,
  };
  return { kind: 'completed', output };
};

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Models often wrap JSON in a ```json fence despite being asked not to. */
function parseJson(text: string): unknown {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  try {
    return JSON.parse(fenced?.[1] ?? text);
  } catch {
    throw new StepError(`the model did not answer with valid JSON: ${text.slice(0, 200)}`, 'invalid_json_output', false);
  }
}

function toStepError(err: unknown, ctx: StepContext): StepError {
  if (err instanceof StepError) return err;
  // The engine aborts ctx.signal for a cancel and for its own step timeout; only the latter is worth retrying.
  if (ctx.signal.aborted) {
    const timedOut = ctx.signal.reason instanceof DOMException && ctx.signal.reason.name === 'TimeoutError';
    return timedOut
      ? new StepError('the LLM provider did not answer before the step timeout', 'llm_error', true)
      : new StepError('cancelled', 'cancelled', false);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    // No status means the request never got an answer (refused, reset, timed out): worth another attempt.
    const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
    const prefix = status === undefined ? 'the LLM provider could not be reached' : `the LLM provider answered ${status}`;
    return new StepError(`${prefix}: ${message}`, 'llm_error', retryable, { statusCode: status });
  }
  return new StepError(`the LLM call failed: ${message}`, 'llm_error', true);
}
