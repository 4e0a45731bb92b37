import type { Config } from '../config/env.ts';
import { groundedAnswer } from '../llm/grounded-answer.ts';
import { classifyIntent } from '../llm/intent.ts';
import type { KnowledgeLookup } from '../model/knowledge-hits.ts';
import { KnowledgeAnswers } from './knowledge-chat.ts';
import { createLlmRegistry } from '../llm/registry.ts';
import { withLlmFallback } from './llm-fallback.ts';
import { INTENTS } from './nlu/index.ts';
import { offlineUnderstanding } from './offline.ts';
import type { Understand } from './understanding.ts';

/** A chat must not hang on a slow model: past this, the person gets the clarifying question instead. */
const FALLBACK_TIMEOUT_MS = 5000;
/** A written answer may take longer than a classification; past this, the passages answer themselves. */
const ANSWER_TIMEOUT_MS = 20_000;

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

/** Chat answers from knowledge bases: written by the NLP_PROVIDER model when one is set, else from the passages. */
export function configuredKnowledgeAnswers(
  config: Config,
  lookup: KnowledgeLookup,
  warn: (message: string) => void,
): KnowledgeAnswers {
  if (config.NLP_PROVIDER === 'internal') return new KnowledgeAnswers(lookup);
  const model = createLlmRegistry(config).model(`${config.NLP_PROVIDER}:`);
  return new KnowledgeAnswers(
    lookup,
    (question, passages) => groundedAnswer(model, question, passages, ANSWER_TIMEOUT_MS),
    // Only the reason: the error may quote the question or the passages.
    (error) =>
      warn(
        `the answer model (${config.NLP_PROVIDER}) did not answer, so the chat quoted the passages: ${error instanceof Error ? error.name : 'error'}`,
      ),
  );
}
