/**
 * Turns texts into vectors for a knowledge base. Every base records the `id` and `dimensions` of the embedder that
 * filled it, so vectors from different models are never compared with each other.
 */
export interface Embedder {
  /** Stable id recorded per knowledge base, e.g. 'internal:wv100-sif-1' or 'openai:text-embedding-3-small'. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[], purpose: 'document' | 'query'): Promise<Float32Array[]>;
}
