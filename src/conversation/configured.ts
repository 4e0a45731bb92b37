import type { Config } from '../config/env.ts';
import { classifyIntent } from '../llm/intent.ts';
import { createLlmRegistry } from '../llm/registry.ts';
import { withLlmFallback } from './llm-fallback.ts';
import { INTENTS } from './nlu/index.ts';
import { offlineUnderstanding } from './offline.ts';
import type { Understand } from './understanding.ts';

/** A chat must not hang on a slow model: past this, the person gets the clarifying question instead. */
const FALLBACK_TIMEOUT_MS = 5000;

/** The NLU the settings ask for: offline always, with the NLP_PROVIDER model as the fallback when it is set. */
export function configuredUnderstanding(config: Config, warn: (message: string) => void): Understand {
  const offline = offlineUnderstanding(config.NLP_CONFIDENCE_THRESHOLD);
  if (config.NLP_PROVIDER === 'internal') return offline;
  const model = createLlmRegistry(config).model(`${config.NLP_PROVIDER}:`);
  return withLlmFallback(
    offline,
    (text) => classifyIntent(model, text, INTENTS, FALLBACK_TIMEOUT_MS),
    config.NLP_CONFIDENCE_THRESHOLD,
    // Only the reason: provider errors can carry the message text, which is the person's, not the log's.
    (error) =>
      warn(
        `the NLU fallback model (${config.NLP_PROVIDER}) did not answer, so the chat asked instead: ${error instanceof Error ? error.name : 'error'}`,
      ),
  );
}
