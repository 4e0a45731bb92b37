import { createHash } from 'node:crypto';
import { DuetError, notFound } from '../model/errors.ts';
import {
  KNOWLEDGE_LIMITS,
  type DocumentStatus,
  type DocumentView,
  type KnowledgeBaseView,
  type KnowledgeHit,
  type SearchMode,
} from '../model/knowledge.ts';
import type { Database } from '../store/db.ts';
import { KnowledgeChunkStore, type ChunkHit, type SearchScope } from '../store/knowledge-chunks.ts';
import { KnowledgeReembedStore } from '../store/knowledge-reembed.ts';
import { KnowledgeStore, type AddOutcome, type DocumentRow, type KnowledgeBaseRow } from '../store/knowledge.ts';
import type { Embedder } from './embedder.ts';
import { fetchDocument } from './fetch-url.ts';
import { fuseRankings } from './fuse.ts';
import { Ingestor } from './ingest.ts';
import { DocumentError, mediaTypeOf, parseDocument } from './parse/index.ts';
import { unitLength } from './vectors.ts';

/** How vectors are ranked on this database: pgvector's HNSW, exact cosine in SQL, or not at all (no embedder). */
export type VectorSearch = 'pgvector-hnsw' | 'exact-cosine' | 'none';

export interface KnowledgeOptions {
  embedder?: Embedder;
  maxFileBytes: number;
  /** The SSRF-guarded fetch documents added by URL go through. */
  fetch: typeof globalThis.fetch;
  urlTimeoutMs: number;
  /** Whether this process ingests (false for `duet serve --no-worker` in queue mode). */
  work: boolean;
  /** Whether other processes may hold ingestion leases (queue mode); otherwise leases left by a crash are freed at start. */
  shared: boolean;
  leaseMs: number;
  pollMs: number;
  onError(error: unknown): void;
}

export interface NewBase {
  name: string;
  chunkSize?: number;
  chunkOverlap?: number;
}

/** A document to add: its bytes as received, and how to tell its format. */
export interface DocumentInput {
  bytes: Buffer;
  /** A file name or URL: names the document's source (adding the same source again replaces it). */
  source: string;
  fileName?: string;
  contentType?: string;
  title?: string;
  tags?: string[];
}

export interface SearchQuery {
  q: string;
  k: number;
  mode?: SearchMode;
  tags?: string[];
  documentIds?: string[];
}

/** Candidates each single mode contributes to a hybrid search, per hit asked for. */
const HYBRID_DEPTH = 4;
const EMBED_BATCH = 32;

/**
 * Knowledge bases of a workspace: bases, documents (parsed when added, chunked and embedded in the background)
 * and search (full-text, vector, hybrid by reciprocal rank fusion). Every method is scoped to a workspace; a base
 * of another workspace is "not found".
 */
export class KnowledgeService {
  private readonly store: KnowledgeStore;
  private readonly chunks: KnowledgeChunkStore;
  private readonly reembed: KnowledgeReembedStore;
  private readonly ingestor: Ingestor;
  private vectorSearch: VectorSearch = 'none';

  constructor(
    db: Database,
    private readonly options: KnowledgeOptions,
  ) {
    this.store = new KnowledgeStore(db);
    this.chunks = new KnowledgeChunkStore(db);
    this.reembed = new KnowledgeReembedStore(db);
    this.ingestor = new Ingestor(this.store, this.chunks, this.reembed, options.embedder, {
      leaseMs: options.leaseMs,
      pollMs: options.pollMs,
      batchSize: EMBED_BATCH,
      pgvector: () => this.vectorSearch === 'pgvector-hnsw',
      onError: options.onError,
    });
  }

  /**
   * Gets ready: learns whether pgvector is there (and makes sure every base has its index: a restored backup has
   * none), queues the re-embedding of bases made with another embedder (they keep answering meanwhile), and
   * starts the background work when this process works.
   */
  async start(): Promise<void> {
    const embedder = this.options.embedder;
    const pgvector = await this.chunks.hasPgvector();
    this.vectorSearch = !embedder ? 'none' : pgvector ? 'pgvector-hnsw' : 'exact-cosine';
    // Alone on the database, any lease left is a crashed predecessor's: its work continues now, not in a minute.
    if (!this.options.shared) {
      await this.chunks.releaseAllLeases();
      await this.reembed.releaseAllLeases();
    }
    for (const base of await this.store.allBases()) {
      if (embedder) await this.reembed.plan(base.id, embedder.id, embedder.dimensions);
      if (pgvector && base.dimensions > 0) await this.chunks.ensureVectorIndex(base.id, base.dimensions);
    }
    if (this.options.work) this.ingestor.start();
  }

  /** For /health and `duet doctor`. */
  describe(): { embedder: string; vectorSearch: VectorSearch } {
    return { embedder: this.options.embedder?.id ?? 'none', vectorSearch: this.vectorSearch };
  }

  close(): Promise<void> {
    return this.ingestor.close();
  }

  /** Ingests one waiting document in this call (tests and `duet worker` drive it; the loop does otherwise). */
  ingestOnce(): Promise<boolean> {
    return this.ingestor.runOnce();
  }

  async createBase(workspaceId: string, input: NewBase): Promise<KnowledgeBaseView> {
    const chunkSize = input.chunkSize ?? KNOWLEDGE_LIMITS.chunkSize.default;
    const chunkOverlap = input.chunkOverlap ?? Math.min(KNOWLEDGE_LIMITS.chunkOverlap.default, chunkSize / 4);
    if (chunkOverlap * 2 > chunkSize)
      throw new DuetError('validation_failed', 'chunkOverlap must be at most half of chunkSize');
    const embedder = this.options.embedder;
    const row = await this.store.createBase({
      workspaceId,
      name: input.name,
      embedderId: embedder?.id ?? 'none',
      dimensions: embedder?.dimensions ?? 0,
      chunkSize,
      chunkOverlap: Math.round(chunkOverlap),
    });
    if (!row) throw new DuetError('conflict', `a knowledge base named "${input.name}" already exists`);
    if (this.vectorSearch === 'pgvector-hnsw' && row.dimensions > 0)
      await this.chunks.ensureVectorIndex(row.id, row.dimensions);
    return this.baseView(row, 0);
  }

  async listBases(workspaceId: string): Promise<KnowledgeBaseView[]> {
    const rows = await this.store.listBases(workspaceId);
    return Promise.all(rows.map((row) => this.baseView(row, row.documents)));
  }

  async getBase(workspaceId: string, id: string): Promise<KnowledgeBaseView> {
    const row = await this.base(workspaceId, id);
    return this.baseView(row, await this.store.countDocuments(row.id));
  }

  async renameBase(workspaceId: string, id: string, name: string): Promise<KnowledgeBaseView> {
    await this.base(workspaceId, id);
    if (!(await this.store.renameBase(workspaceId, id, name)))
      throw new DuetError('conflict', `a knowledge base named "${name}" already exists`);
    return this.getBase(workspaceId, id);
  }

  async deleteBase(workspaceId: string, id: string): Promise<void> {
    await this.base(workspaceId, id);
    await this.store.deleteBase(workspaceId, id);
    if (this.vectorSearch === 'pgvector-hnsw') await this.chunks.dropVectorIndex(id);
  }

  /**
   * Parses and stores a document now (so a corrupt or unsupported one is refused with the reason: 415/422), then
   * queues its chunking and embedding. The same content again is a no-op; new content under the same source is a
   * new version that replaces the old one once it is ready.
   */
  async addDocument(
    workspaceId: string,
    knowledgeBaseId: string,
    input: DocumentInput,
  ): Promise<{ document: DocumentView; outcome: AddOutcome }> {
    const base = await this.base(workspaceId, knowledgeBaseId);
    if (input.bytes.length > this.options.maxFileBytes)
      throw new DuetError(
        'payload_too_large',
        `${input.source} is larger than KNOWLEDGE_MAX_FILE_BYTES (${this.options.maxFileBytes} bytes)`,
      );
    if (input.bytes.length === 0) throw new DuetError('invalid_input', `${input.source} is empty`);
    const mediaType = mediaTypeOf(input.fileName ?? input.source, input.contentType);
    if (!mediaType)
      throw new DuetError(
        'unsupported_media_type',
        `${input.source}: ${input.contentType ?? 'this'} format is not supported; send text, Markdown, HTML, PDF, DOCX, CSV or JSON`,
      );
    let text: string;
    try {
      text = await parseDocument(input.bytes, mediaType);
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      throw new DuetError(
        error.reason === 'unsupported' ? 'unsupported_media_type' : 'invalid_input',
        `${input.source}: ${error.message}`,
      );
    }
    const { row, outcome } = await this.store.addDocument(base.id, {
      title: input.title ?? titleOf(input.source),
      source: input.source,
      mediaType,
      tags: input.tags ?? [],
      contentHash: createHash('sha256').update(input.bytes).digest('hex'),
      text,
      bytes: input.bytes.length,
    });
    if (outcome !== 'unchanged') this.ingestor.nudge();
    return { document: documentView(row), outcome };
  }

  /** Fetches a URL through the SSRF guard and adds what it answers; the URL is the document's source. */
  async addUrl(
    workspaceId: string,
    knowledgeBaseId: string,
    input: { url: string; title?: string; tags?: string[] },
  ): Promise<{ document: DocumentView; outcome: AddOutcome }> {
    await this.base(workspaceId, knowledgeBaseId);
    const fetched = await fetchDocument(this.options.fetch, input.url, {
      maxBytes: this.options.maxFileBytes,
      timeoutMs: this.options.urlTimeoutMs,
    });
    return this.addDocument(workspaceId, knowledgeBaseId, {
      bytes: fetched.bytes,
      source: input.url,
      fileName: fetched.fileName,
      contentType: fetched.contentType,
      title: input.title ?? input.url,
      tags: input.tags,
    });
  }

  async listDocuments(workspaceId: string, knowledgeBaseId: string): Promise<DocumentView[]> {
    const base = await this.base(workspaceId, knowledgeBaseId);
    return (await this.store.listDocuments(base.id)).map(documentView);
  }

  async getDocument(workspaceId: string, knowledgeBaseId: string, id: string): Promise<DocumentView> {
    const base = await this.base(workspaceId, knowledgeBaseId);
    const row = await this.store.getDocument(base.id, id);
    if (!row) throw notFound('document', id);
    return documentView(row);
  }

  async deleteDocument(workspaceId: string, knowledgeBaseId: string, id: string): Promise<void> {
    const base = await this.base(workspaceId, knowledgeBaseId);
    if (!(await this.store.deleteDocument(base.id, id))) throw notFound('document', id);
  }

  /**
   * The passages that best answer `q`. Hybrid (default) fuses full-text and vector rankings by reciprocal rank;
   * without an embedder for this base it is full-text alone, and `vector` is refused with the reason.
   */
  async search(
    workspaceId: string,
    knowledgeBaseId: string,
    query: SearchQuery,
  ): Promise<{ name: string; mode: SearchMode; hits: KnowledgeHit[] }> {
    const base = await this.base(workspaceId, knowledgeBaseId);
    const q = query.q.trim();
    if (!q) throw new DuetError('validation_failed', 'the query is empty: say what to look for');
    if (q.length > KNOWLEDGE_LIMITS.queryLength)
      throw new DuetError('validation_failed', `the query is longer than ${KNOWLEDGE_LIMITS.queryLength} characters`);
    const k = Math.min(Math.max(1, Math.trunc(query.k)), KNOWLEDGE_LIMITS.maxK);
    const embedder = this.options.embedder;
    const vectors = embedder !== undefined && embedder.id === base.embedderId;
    const wanted = query.mode ?? 'hybrid';
    if (wanted === 'vector' && !vectors)
      throw new DuetError(
        'validation_failed',
        `knowledge base "${base.name}" has no vectors from the configured embedder (${embedder?.id ?? 'none'}): search it with mode=text or hybrid`,
      );
    const mode: SearchMode = vectors ? wanted : 'text';
    const scope = (depth: number): SearchScope => ({
      knowledgeBaseId: base.id,
      k: depth,
      tags: query.tags,
      documentIds: query.documentIds,
    });
    const byVector = async (depth: number) => {
      const [vector] = await embedder!.embed([q], 'query');
      const unit = unitLength(vector!);
      return this.vectorSearch === 'pgvector-hnsw'
        ? this.chunks.searchVectorIndexed(scope(depth), base.dimensions, unit)
        : this.chunks.searchVectorExact(scope(depth), unit);
    };
    let hits: ChunkHit[];
    if (mode === 'text') hits = await this.chunks.searchText(scope(k), q);
    else if (mode === 'vector') hits = await byVector(k);
    else {
      const depth = Math.max(k * HYBRID_DEPTH, 20);
      const [text, vector] = await Promise.all([this.chunks.searchText(scope(depth), q), byVector(depth)]);
      hits = fuseRankings([text, vector], (hit) => hit.chunkId, k);
    }
    return { name: base.name, mode, hits: hits.map(hitView) };
  }

  private async baseView(row: KnowledgeBaseRow, documents: number): Promise<KnowledgeBaseView> {
    const reembedding = row.nextEmbedderId ? ((await this.reembed.progress(row.id)) ?? null) : null;
    return {
      id: row.id,
      name: row.name,
      embedder: row.embedderId,
      dimensions: row.dimensions,
      reembedding,
      chunkSize: row.chunkSize,
      chunkOverlap: row.chunkOverlap,
      documents,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async base(workspaceId: string, id: string): Promise<KnowledgeBaseRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.store.getBase(workspaceId, id) : undefined;
    if (!row) throw notFound('knowledge base', id);
    return row;
  }
}

/** "reports/q3-summary.pdf" → "q3-summary"; a URL or title stays as it is. */
function titleOf(source: string): string {
  if (/^https?:\/\//.test(source)) return source;
  return (source.split('/').pop() ?? source).replace(/\.[a-z0-9]+$/i, '') || source;
}

const documentView = (row: DocumentRow): DocumentView => ({
  id: row.id,
  knowledgeBaseId: row.knowledgeBaseId,
  title: row.title,
  source: row.source,
  mediaType: row.mediaType,
  tags: row.tags,
  contentHash: row.contentHash,
  bytes: row.bytes,
  status: row.status as DocumentStatus,
  error: row.error,
  progress: { chunks: row.chunksTotal, embedded: row.chunksEmbedded },
  version: row.version,
  searchable: row.servingVersion !== null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const hitView = (hit: ChunkHit): KnowledgeHit => ({
  chunkId: hit.chunkId,
  documentId: hit.documentId,
  title: hit.title,
  headingPath: hit.headingPath,
  text: hit.text,
  score: hit.score,
  offsets: { start: hit.start, end: hit.end },
});
