import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from './db.ts';
import type { DocumentRow } from './knowledge.ts';

/** A chunk as the chunker made it, ready to be written. */
export interface ChunkInput {
  position: number;
  headingPath: string[];
  text: string;
  start: number;
  end: number;
}

export interface ChunkHit {
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
  text: string;
  score: number;
  start: number;
  end: number;
}

export interface SearchScope {
  knowledgeBaseId: string;
  k: number;
  /** Documents with at least one of these tags. */
  tags?: string[];
  documentIds?: string[];
}

/** The ingestion job a process holds: a document at one version, under its lease. */
export interface Lease {
  documentId: string;
  version: number;
  owner: string;
}

const INSERT_BATCH = 200;

const HIT_COLUMNS = `c.id as "chunkId", c.document_id as "documentId", d.title, c.heading_path as "headingPath",
  c.text, c.start_offset as start, c.end_offset as "end"`;

/** Only the serving version of each document answers, filtered by tags and documents. */
const CHUNKS = `knowledge_chunks c join knowledge_documents d on d.id = c.document_id and c.version = d.serving_version`;
const IN_SCOPE = `c.knowledge_base_id = $1 and ($2::text[] is null or d.tags && $2) and ($3::uuid[] is null or d.id = any($3))`;
const SCOPE = `from ${CHUNKS} where ${IN_SCOPE}`;

/** A hand-written statement with `$n` placeholders as a drizzle query, so it can run inside a transaction. */
export function sqlText(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`));
  return sql.join(chunks);
}

const hnswIndexName = (knowledgeBaseId: string) => `knowledge_chunks_hnsw_${knowledgeBaseId.replaceAll('-', '')}`;

/**
 * The statement creating a base's own HNSW index over its vectors (their dimensions fixed); a no-op when it exists.
 * Only vectors of that length are indexed: while a base switches embedder (knowledge-reembed.ts) the index is
 * built in the same transaction that replaced the old vectors, whose row versions an index build still reads.
 */
export function createVectorIndexSql(knowledgeBaseId: string, dimensions: number): string {
  if (!/^[0-9a-f-]{36}$/.test(knowledgeBaseId) || !Number.isInteger(dimensions) || dimensions < 1)
    throw new Error('invalid knowledge base id or dimensions for a vector index');
  return `create index if not exists ${hnswIndexName(knowledgeBaseId)} on knowledge_chunks
         using hnsw ((embedding::vector(${dimensions})) vector_cosine_ops)
         where knowledge_base_id = '${knowledgeBaseId}' and cardinality(embedding) = ${dimensions}`;
}

export const dropVectorIndexSql = (knowledgeBaseId: string) => `drop index if exists ${hnswIndexName(knowledgeBaseId)}`;

/** The chunks of knowledge bases: writing them as documents are ingested, and finding them. */
export class KnowledgeChunkStore {
  constructor(private readonly db: Database) {}

  /** Whether this database has pgvector (HNSW indexes, `<=>`); without it vectors are ranked by exact cosine. */
  async hasPgvector(): Promise<boolean> {
    const [row] = await this.db.query<{ present: boolean }>(
      `select exists (select 1 from pg_extension where extname = 'vector') as present`,
      [],
    );
    return Boolean(row?.present);
  }

  /** A base's own HNSW index over its vectors (its dimensions fixed); a no-op when it exists. */
  async ensureVectorIndex(knowledgeBaseId: string, dimensions: number): Promise<void> {
    await this.db.query(createVectorIndexSql(knowledgeBaseId, dimensions), []);
  }

  async dropVectorIndex(knowledgeBaseId: string): Promise<void> {
    await this.db.query(dropVectorIndexSql(knowledgeBaseId), []);
  }

  /**
   * Takes the next document waiting for ingestion whose lease is free or expired, for `leaseMs`. Documents are
   * taken oldest change first; a busy process never waits on another's row (skip locked).
   */
  async claim(owner: string, leaseMs: number): Promise<DocumentRow | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `update knowledge_documents set lease_owner = $1, lease_expires_at = now() + ($2 || ' milliseconds')::interval,
              attempts = attempts + 1
        where id = (select id from knowledge_documents
                     where status in ('queued', 'parsing', 'embedding')
                       and (lease_expires_at is null or lease_expires_at < now())
                     order by updated_at limit 1 for update skip locked)
        returning id`,
      [owner, String(leaseMs)],
    );
    if (!row) return undefined;
    const [doc] = await this.db.orm.query.knowledgeDocuments.findMany({
      where: (d, { eq }) => eq(d.id, String(row.id)),
    });
    return doc;
  }

  /** Extends a held lease; false when it is no longer held (document changed, deleted, or taken over). */
  async renew(lease: Lease, leaseMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `update knowledge_documents set lease_expires_at = now() + ($4 || ' milliseconds')::interval
        where id = $1 and version = $2 and lease_owner = $3 returning id`,
      [lease.documentId, lease.version, lease.owner, String(leaseMs)],
    );
    return rows.length > 0;
  }

  /** Lets go of every lease: a single process (no queue mode) at start, when no one else can hold one. */
  async releaseAllLeases(): Promise<void> {
    await this.db.query(
      `update knowledge_documents set lease_owner = null, lease_expires_at = null where lease_owner is not null`,
      [],
    );
  }

  /**
   * Writes all chunks of the leased version in one transaction (replacing any left by an interrupted attempt) and
   * moves the document to `embedding`. Answers the base's embedder as of the write (undefined when the lease was
   * lost): the base row is share-locked, so a re-embedding switch (knowledge-reembed.ts) either sees these chunks
   * or happens before them.
   */
  async writeChunks(
    lease: Lease,
    knowledgeBaseId: string,
    chunks: readonly ChunkInput[],
  ): Promise<{ embedderId: string } | undefined> {
    return this.db.orm.transaction(async (tx) => {
      const [base] = rowsOf(
        await tx.execute(
          sqlText(`select embedder_id as "embedderId" from knowledge_bases where id = $1 for share`, [knowledgeBaseId]),
        ),
      );
      const held = rowsOf(
        await tx.execute(
          sqlText(
            `update knowledge_documents set status = 'embedding', chunks_total = $4, chunks_embedded = 0, updated_at = now()
            where id = $1 and version = $2 and lease_owner = $3 returning id`,
            [lease.documentId, lease.version, lease.owner, chunks.length],
          ),
        ),
      );
      if (!base || held.length === 0) return undefined;
      await tx.execute(
        sqlText(`delete from knowledge_chunks where document_id = $1 and version = $2`, [
          lease.documentId,
          lease.version,
        ]),
      );
      for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
        const batch = chunks.slice(i, i + INSERT_BATCH);
        await tx.execute(
          sqlText(
            `insert into knowledge_chunks (document_id, knowledge_base_id, version, position, heading_path, text,
                                           start_offset, end_offset, tsv)
             select $1, $2, $3, p, (select coalesce(array_agg(x), '{}') from jsonb_array_elements_text(h) x), t, s, e,
                    to_tsvector('english', (select coalesce(string_agg(x, ' '), '') from jsonb_array_elements_text(h) x) || ' ' || t)
               from jsonb_to_recordset($4::jsonb) as r(p int, h jsonb, t text, s int, e int)`,
            [
              lease.documentId,
              knowledgeBaseId,
              lease.version,
              JSON.stringify(batch.map((c) => ({ p: c.position, h: c.headingPath, t: c.text, s: c.start, e: c.end }))),
            ],
          ),
        );
      }
      return { embedderId: String(base.embedderId) };
    });
  }

  /** The next chunks of the leased version that have no vector yet, in document order. */
  async unembedded(lease: Lease, limit: number): Promise<Array<{ id: string; text: string; headingPath: string[] }>> {
    return this.db.query(
      `select id, text, heading_path as "headingPath" from knowledge_chunks
        where document_id = $1 and version = $2 and embedding is null order by position limit $3`,
      [lease.documentId, lease.version, limit],
    );
  }

  /** Stores vectors and the progress they make; false when the lease was lost (nothing written then). */
  async storeEmbeddings(
    lease: Lease,
    vectors: ReadonlyArray<{ id: string; embedding: Float32Array }>,
  ): Promise<boolean> {
    return this.db.orm.transaction(async (tx) => {
      const held = rowsOf(
        await tx.execute(
          sqlText(
            `update knowledge_documents set chunks_embedded = chunks_embedded + $4, updated_at = now()
            where id = $1 and version = $2 and lease_owner = $3 returning id`,
            [lease.documentId, lease.version, lease.owner, vectors.length],
          ),
        ),
      );
      if (held.length === 0) return false;
      await tx.execute(
        sqlText(
          `update knowledge_chunks c set embedding = v.embedding
             from (select (r->>'id')::uuid as id, array(select jsonb_array_elements_text(r->'e')::real) as embedding
                     from jsonb_array_elements($1::jsonb) r) v
            where c.id = v.id`,
          [JSON.stringify(vectors.map((v) => ({ id: v.id, e: Array.from(v.embedding) })))],
        ),
      );
      return true;
    });
  }

  /**
   * Makes the leased version the one that answers and drops every other version's chunks, in one transaction:
   * searches see the old chunks or the new ones, never both or neither.
   */
  async publish(lease: Lease): Promise<boolean> {
    return this.db.orm.transaction(async (tx) => {
      const held = rowsOf(
        await tx.execute(
          sqlText(
            `update knowledge_documents set status = 'ready', serving_version = version, error = null,
                  lease_owner = null, lease_expires_at = null, updated_at = now()
            where id = $1 and version = $2 and lease_owner = $3 returning id`,
            [lease.documentId, lease.version, lease.owner],
          ),
        ),
      );
      if (held.length === 0) return false;
      await tx.execute(
        sqlText(`delete from knowledge_chunks where document_id = $1 and version <> $2`, [
          lease.documentId,
          lease.version,
        ]),
      );
      return true;
    });
  }

  /** Marks the leased version failed with the reason; its chunks stay, so adding it again resumes. */
  async fail(lease: Lease, reason: string): Promise<void> {
    await this.db.query(
      `update knowledge_documents set status = 'failed', error = $4, lease_owner = null, lease_expires_at = null,
              updated_at = now()
        where id = $1 and version = $2 and lease_owner = $3`,
      [lease.documentId, lease.version, lease.owner, reason.slice(0, 2000)],
    );
  }

  /**
   * Full-text: every query word may match (OR; more matches rank higher by `ts_rank`, which beat `ts_rank_cd` on the development set, ADR 0010), so a question in plain
   * words finds passages that share only some of them. Quotes, `or` and `-word` keep websearch meaning.
   */
  async searchText(scope: SearchScope, query: string): Promise<ChunkHit[]> {
    const operators = /"|(^|\s)-\S|\sor\s/i.test(query);
    const tsquery = operators
      ? `websearch_to_tsquery('english', $4)`
      : `nullif(replace(plainto_tsquery('english', $4)::text, ' & ', ' | '), '')::tsquery`;
    return this.hits(
      `select ${HIT_COLUMNS}, ts_rank(c.tsv, q.q) as score from ${CHUNKS} cross join (select ${tsquery} as q) q
        where ${IN_SCOPE} and c.tsv @@ q.q order by score desc, c.id limit $5`,
      [scope, query],
    );
  }

  /** Nearest chunks by cosine over the base's HNSW index (pgvector). */
  async searchVectorIndexed(scope: SearchScope, dimensions: number, vector: Float32Array): Promise<ChunkHit[]> {
    const n = Math.trunc(dimensions);
    const distance = `c.embedding::vector(${n}) <=> $4::real[]::vector(${n})`;
    return this.hits(
      `select ${HIT_COLUMNS}, 1 - (${distance}) as score ${SCOPE} and cardinality(c.embedding) = ${n}
        order by ${distance} limit $5`,
      [scope, Array.from(vector)],
    );
  }

  /** Nearest chunks by exact cosine computed in SQL (vectors are stored unit-length: cosine is the dot product). */
  async searchVectorExact(scope: SearchScope, vector: Float32Array): Promise<ChunkHit[]> {
    return this.hits(
      `select * from (select ${HIT_COLUMNS},
              (select sum(a * b) from unnest(c.embedding, $4::real[]) as t(a, b)) as score
              ${SCOPE} and c.embedding is not null) ranked
        order by score desc, "chunkId" limit $5`,
      [scope, Array.from(vector)],
    );
  }

  private async hits(text: string, [scope, query]: [SearchScope, unknown]): Promise<ChunkHit[]> {
    const rows = await this.db.query<ChunkHit>(text, [
      scope.knowledgeBaseId,
      scope.tags?.length ? scope.tags : null,
      scope.documentIds?.length ? scope.documentIds : null,
      query,
      scope.k,
    ]);
    return rows.map((r) => ({ ...r, score: Number(r.score) }));
  }
}
