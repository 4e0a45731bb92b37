import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany } from 'ai';
import type { Embedder } from '../embedder.ts';

export interface OpenAiEmbedderOptions {
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey?: string;
  /** One request (a batch of texts) gets this long; an ingestion that times out fails with the reason and can be retried. */
  timeoutMs?: number;
}

/** Thrown when the endpoint answers with vectors of another length than configured: mixing them would be nonsense. */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** Vectors from an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM, LM Studio) via the AI SDK. */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const provider = createOpenAICompatible({ name: 'embeddings', baseURL: options.baseUrl, apiKey: options.apiKey });
  const model = provider.embeddingModel(options.model);
  return {
    id: `openai:${options.model}`,
    dimensions: options.dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const { embeddings } = await embedMany({
        model,
        values: [...texts],
        // Ingestion has its own retry (the document fails with the reason; adding it again resumes).
        maxRetries: 1,
        abortSignal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      return embeddings.map((vector) => {
        if (vector.length !== options.dimensions)
          throw new EmbeddingError(
            `${options.model} returned vectors of ${vector.length} dimensions, EMBEDDINGS_DIMENSIONS says ${options.dimensions}`,
          );
        return Float32Array.from(vector);
      });
    },
  };
}
