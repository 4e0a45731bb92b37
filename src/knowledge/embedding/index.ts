import type { Config } from '../../config/env.ts';
import type { Embedder } from '../embedder.ts';
import { createInternalEmbedder } from './internal.ts';
import { createOpenAiEmbedder } from './openai.ts';

export type EmbeddingsConfig = Pick<
  Config,
  | 'EMBEDDINGS_PROVIDER'
  | 'EMBEDDINGS_BASE_URL'
  | 'EMBEDDINGS_MODEL'
  | 'EMBEDDINGS_API_KEY'
  | 'EMBEDDINGS_DIMENSIONS'
  | 'OPENAI_API_KEY'
>;

/**
 * The configured embedder: an OpenAI-compatible endpoint, or by default the offline word-vector embedder that
 * ships with Duet (docs/adr/0010), which needs no network and no key.
 */
export function configuredEmbedder(config: EmbeddingsConfig): Embedder {
  if (config.EMBEDDINGS_PROVIDER === 'openai')
    return createOpenAiEmbedder({
      baseUrl: config.EMBEDDINGS_BASE_URL ?? 'https://api.openai.com/v1',
      // loadConfig refuses `openai` without a model and dimensions.
      model: config.EMBEDDINGS_MODEL ?? '',
      dimensions: config.EMBEDDINGS_DIMENSIONS ?? 0,
      apiKey: config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY,
    });
  return createInternalEmbedder();
}
