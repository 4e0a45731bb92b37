import { understand } from '../assistant/phrases.ts';
import type { FreeReader } from '../assistant/service.ts';
import type { Config } from '../config/env.ts';
import type { LlmRegistry } from '../llm/registry.ts';
import { rephraseForAssistant } from '../llm/rephrase.ts';

/** A text must not wait long on a slow model: past this, the offline answer ("did not get that") stands. */
const REPHRASE_TIMEOUT_MS = 5000;

/**
 * With NLP_PROVIDER set, the assistant reads freer phrasing: the model restates the message as a plain command,
 * which the offline reader then understands in the person's time zone. Without it, or when the model fails, the
 * offline reading stands. Only the error's kind is reported: the message is the person's, not the log's.
 */
export function assistantFreeReader(
  config: Pick<Config, 'NLP_PROVIDER'>,
  llm: LlmRegistry,
  warn: (message: string) => void,
): FreeReader | undefined {
  if (config.NLP_PROVIDER === 'internal') return undefined;
  const model = llm.model(`${config.NLP_PROVIDER}:`);
  return async (message, now, zone) => {
    try {
      const plain = await rephraseForAssistant(model, message, REPHRASE_TIMEOUT_MS);
      const intent = plain === null ? null : understand(plain, now, zone);
      return intent && intent.kind !== 'unknown' ? intent : null;
    } catch (error) {
      warn(
        `the assistant's model (${config.NLP_PROVIDER}) did not answer: ${error instanceof Error ? error.name : 'error'}`,
      );
      return null;
    }
  };
}
