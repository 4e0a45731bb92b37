import { randomUUID } from 'node:crypto';
import type { KnowledgeChunkStore, Lease } from '../store/knowledge-chunks.ts';
import type { KnowledgeReembedStore } from '../store/knowledge-reembed.ts';
import type { KnowledgeStore } from '../store/knowledge.ts';
import { chunkText } from './chunk.ts';
import type { Embedder } from './embedder.ts';
import { embeddingInput, unitLength } from './vectors.ts';
import { reembedOnce } from './reembed.ts';

export interface IngestorOptions {
  /** How long a claimed document is this process's; renewed after every batch. A dead process's lease expires. */
  leaseMs: number;
  /** How often to look for work nobody nudged this process about (another process added it, or a lease expired). */
  pollMs: number;
  /** Chunks embedded per request to the embedder. */
  batchSize: number;
  /** Whether the database has pgvector (re-embedded bases get their HNSW index rebuilt). */
  pgvector(): boolean;
  onError(error: unknown): void;
}

/**
 * Durable background ingestion: each document row is its own job. A process claims one under a lease, writes its
 * chunks (one transaction), embeds them batch by batch (each batch committed with its progress), then publishes
 * the version in one transaction. A crash anywhere leaves a state the next claim continues from; an embedder
 * failure marks the document `failed` with the reason, and adding it again resumes with the chunks not yet embedded.
 */
export class Ingestor {
  private readonly owner = `ingest-${randomUUID()}`;
  private closed = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly chunks: KnowledgeChunkStore,
    private readonly reembed: KnowledgeReembedStore,
    private readonly embedder: Embedder | undefined,
    private readonly options: IngestorOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Work was just added: look now rather than at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
  }

  /** Ingests one waiting document, else re-embeds a base for a new embedder; false when there was nothing to do. */
  async runOnce(): Promise<boolean> {
    if (await this.ingestOne()) return true;
    if (!this.embedder) return false;
    return reembedOnce(this.reembed, this.embedder, this.owner, {
      leaseMs: this.options.leaseMs,
      batchSize: this.options.batchSize,
      pgvector: this.options.pgvector,
      closed: () => this.closed,
    });
  }

  private async ingestOne(): Promise<boolean> {
    const doc = await this.chunks.claim(this.owner, this.options.leaseMs);
    if (!doc) return false;
    const lease: Lease = { documentId: doc.id, version: doc.version, owner: this.owner };
    const base = await this.store.baseById(doc.knowledgeBaseId);
    if (!base) return true;
    let embedderId = base.embedderId;
    if (doc.status === 'queued' || doc.status === 'parsing') {
      const pieces = chunkText(doc.text, { size: base.chunkSize, overlap: base.chunkOverlap });
      const written = await this.chunks.writeChunks(lease, base.id, pieces);
      if (!written) return true;
      embedderId = written.embedderId;
    }
    // A base made without an embedder (or with another one than this process has) is searched by its words only;
    // one being re-embedded for this process's embedder gets these chunks' vectors from the re-embedding.
    if (this.embedder && this.embedder.id === embedderId) {
      for (;;) {
        if (this.closed) return true;
        const batch = await this.chunks.unembedded(lease, this.options.batchSize);
        if (batch.length === 0) break;
        let vectors: Float32Array[];
        try {
          vectors = await this.embedder.embed(batch.map(embeddingInput), 'document');
        } catch (error) {
          await this.chunks.fail(
            lease,
            `the embedder failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return true;
        }
        const stored = await this.chunks.storeEmbeddings(
          lease,
          batch.map((c, i) => ({ id: c.id, embedding: unitLength(vectors[i]!) })),
        );
        if (!stored || !(await this.chunks.renew(lease, this.options.leaseMs))) return true;
      }
    }
    await this.chunks.publish(lease);
    return true;
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.options.onError(error);
      }
      if (worked || this.closed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
