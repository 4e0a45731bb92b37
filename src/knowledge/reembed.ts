import type { KnowledgeReembedStore } from '../store/knowledge-reembed.ts';
import type { Embedder } from './embedder.ts';
import { embeddingInput, unitLength } from './vectors.ts';

export interface ReembedOptions {
  leaseMs: number;
  batchSize: number;
  /** Whether the database has pgvector: the base's HNSW index is rebuilt for the new dimensions at the switch. */
  pgvector(): boolean;
  /** True once the process is closing: stop between batches (the lease expires, the work resumes elsewhere). */
  closed(): boolean;
}

/**
 * Re-embeds one base waiting for this process's embedder, batch by batch, then switches it over
 * (store/knowledge-reembed.ts). An embedder failure is recorded on the base and retried after a lease period.
 */
export async function reembedOnce(
  store: KnowledgeReembedStore,
  embedder: Embedder,
  owner: string,
  options: ReembedOptions,
): Promise<boolean> {
  const lease = await store.claim(owner, options.leaseMs, embedder.id);
  if (!lease) return false;
  for (;;) {
    if (options.closed()) return true;
    const batch = await store.pending(lease, options.batchSize);
    if (batch.length === 0) {
      const outcome = await store.switchOver(lease, options.pgvector());
      if (outcome !== 'pending') return true;
      continue;
    }
    let vectors: Float32Array[];
    try {
      vectors = await embedder.embed(batch.map(embeddingInput), 'document');
    } catch (error) {
      await store.fail(
        lease,
        options.leaseMs,
        `the embedder failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return true;
    }
    const vectorsOf = batch.map((c, i) => ({ id: c.id, embedding: unitLength(vectors[i]!) }));
    if (!(await store.store(lease, options.leaseMs, vectorsOf))) return true;
  }
}
