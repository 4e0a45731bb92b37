/**
 * The knowledge-base contract of the API (DESIGN.md "Wave two"): views of bases, documents and search hits, and
 * the limits every entry point shares. Pure.
 */

export const DOCUMENT_STATUSES = ['queued', 'parsing', 'embedding', 'ready', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const SEARCH_MODES = ['hybrid', 'vector', 'text'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const KNOWLEDGE_LIMITS = {
  nameLength: 200,
  titleLength: 500,
  tags: 20,
  tagLength: 64,
  queryLength: 1000,
  maxK: 50,
  /** Files in one upload request; more are refused (the client sends another request). */
  filesPerRequest: 20,
  chunkSize: { min: 200, max: 8000, default: 1200 },
  chunkOverlap: { max: 2000, default: 150 },
} as const;

export interface KnowledgeBaseView {
  id: string;
  name: string;
  /** The embedder whose vectors this base holds ('none': full-text search only). */
  embedder: string;
  dimensions: number;
  /**
   * Set while the base is re-embedded for a newly configured embedder: chunks with a new vector out of all. Text
   * search (and `embedder`'s vectors, if this process has that embedder) answer until it switches, all at once.
   */
  reembedding: { embedder: string; chunks: number; embedded: number; error: string | null } | null;
  chunkSize: number;
  chunkOverlap: number;
  documents: number;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentView {
  id: string;
  knowledgeBaseId: string;
  title: string;
  source: string;
  mediaType: string;
  tags: string[];
  contentHash: string;
  bytes: number;
  status: DocumentStatus;
  /** Why the last ingestion failed (status `failed`); the previous version, if any, still answers searches. */
  error: string | null;
  /** Chunks embedded of those of the version being ingested: progress for the UI. */
  progress: { chunks: number; embedded: number };
  version: number;
  /** Whether a version of it answers searches now. */
  searchable: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One passage found by a search: `GET /api/v1/knowledge-bases/:id/search` items. */
export interface KnowledgeHit {
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
  text: string;
  score: number;
  offsets: { start: number; end: number };
}
