import type { Config } from '../../config/env.ts';
import type { Embedder } from '../embedder.ts';
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
 * The configured embedder, or none: without one, knowledge bases answer by full-text search alone (hybrid
 * searches fall back to it, vector searches are refused with the reason).
 */
export function configuredEmbedder(config: EmbeddingsConfig): Embedder | undefined {
  if (config.EMBEDDINGS_PROVIDER === 'openai')
    return createOpenAiEmbedder({
      baseUrl: config.EMBEDDINGS_BASE_URL ?? 'https://api.openai.com/v1',
      // loadConfig refuses `openai` without a model and dimensions.
      model: config.EMBEDDINGS_MODEL ?? '',
      dimensions: config.EMBEDDINGS_DIMENSIONS ?? 0,
      apiKey: config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY,
    });
  // The offline embedder (src/knowledge/embedding/internal.ts) plugs in here when it lands (#15, kb-embed).
  return undefined;
}
