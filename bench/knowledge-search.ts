/**
 * Reference retrieval for the knowledge evaluation, on a real embedded PostgreSQL (PGlite) like the store's:
 * full-text over an `english` tsvector of heading path + text, exact cosine over the vectors, and reciprocal rank
 * fusion of the two. It stands in for the store's search (kb-core) until that is merged; the lead swaps it for
 * the real `search` then, so the figures measure what users get.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Embedder } from '../src/knowledge/embedder.ts';

export interface IndexedChunk {
  text: string;
  headingPath: string[];
}

export type Mode = 'text' | 'vector' | 'hybrid';

/** Reciprocal rank fusion constant (Cormack et al.); 60 is the usual choice, not tuned here. */
const RRF_K = 60;
/** Candidates each mode contributes to the fusion. */
const FUSE_DEPTH = 50;

export class ReferenceSearch {
  private constructor(
    private readonly db: PGlite,
    private readonly chunks: IndexedChunk[],
    private readonly vectors: Float32Array[],
    private readonly embedder: Embedder,
  ) {}

  static async build(chunks: IndexedChunk[], vectors: Float32Array[], embedder: Embedder): Promise<ReferenceSearch> {
    const db = new PGlite();
    await db.exec(`CREATE TABLE chunks (id integer PRIMARY KEY, tsv tsvector NOT NULL);
      CREATE INDEX chunks_tsv ON chunks USING gin (tsv);`);
    const batch = 500;
    for (let from = 0; from < chunks.length; from += batch) {
      const slice = chunks.slice(from, from + batch);
      await db.query(
        `INSERT INTO chunks (id, tsv) SELECT id, to_tsvector('english', body)
           FROM unnest($1::int[], $2::text[]) AS t(id, body)`,
        [slice.map((_, i) => from + i), slice.map((c) => `${c.headingPath.join(' ')} ${c.text}`)],
      );
    }
    return new ReferenceSearch(db, chunks, vectors, embedder);
  }

  /** Texts of the best `k` chunks for a question. */
  async search(question: string, mode: Mode, k: number): Promise<string[]> {
    const ids =
      mode === 'text'
        ? await this.textIds(question, k)
        : mode === 'vector'
          ? await this.vectorIds(question, k)
          : fuse([await this.textIds(question, FUSE_DEPTH), await this.vectorIds(question, FUSE_DEPTH)], k);
    return ids.map((id) => this.chunks[id]!.text);
  }

  /**
   * Any of the question's words (a question rarely shares all its words with the passage that answers it), ranked by
   * `ts_rank`: with OR-ed words `ts_rank_cd` ranked far worse (development set recall@5 0.867 vs 0.900; ADR 0010).
   */
  private async textIds(question: string, k: number): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `WITH q AS (SELECT nullif(replace(plainto_tsquery('english', $1)::text, ' & ', ' | '), '')::tsquery AS q)
       SELECT id FROM chunks, q WHERE tsv @@ q.q ORDER BY ts_rank(tsv, q.q) DESC, id LIMIT $2`,
      [question, k],
    );
    return rows.map((r) => r.id);
  }

  private async vectorIds(question: string, k: number): Promise<number[]> {
    const [query] = await this.embedder.embed([question], 'query');
    const scored = this.vectors.map((v, id) => ({ id, score: dot(v, query!) }));
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return scored.slice(0, k).map((s) => s.id);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Reciprocal rank fusion: each list adds 1 / (RRF_K + rank) to the ids it ranks. */
function fuse(lists: number[][], k: number): number[] {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([id]) => id);
}
