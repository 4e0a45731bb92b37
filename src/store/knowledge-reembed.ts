import { rowsOf, type Database } from './db.ts';
import { createVectorIndexSql, dropVectorIndexSql, sqlText } from './knowledge-chunks.ts';

/** The re-embedding of a base a process holds, under its lease, towards one embedder. */
export interface ReembedLease {
  knowledgeBaseId: string;
  embedderId: string;
  dimensions: number;
  owner: string;
}

export interface ReembedProgress {
  embedder: string;
  chunks: number;
  embedded: number;
  /** Why the last attempt stopped (the embedder failed); it is tried again after a lease period. */
  error: string | null;
}

/**
 * Re-embedding a knowledge base after the configured embedder changed, as durable background work: the base row is
 * the job (leased like a document), each chunk's new vector goes into `next_embedding` batch by batch (committed,
 * so a restart resumes), and when every chunk has one the base switches embedder, vectors and HNSW index in one
 * transaction. Until then the old vectors and full text keep answering.
 */
export class KnowledgeReembedStore {
  constructor(private readonly db: Database) {}

  /**
   * Makes the base move to `embedderId` (a no-op when it is already there or on its way); a base already on it
   * forgets an unfinished move elsewhere (the embedder was switched back).
   */
  async plan(knowledgeBaseId: string, embedderId: string, dimensions: number): Promise<void> {
    await this.db.orm.transaction(async (tx) => {
      const [changed] = rowsOf(
        await tx.execute(
          sqlText(
            `update knowledge_bases
                set next_embedder_id = case when embedder_id = $2 then null else $2 end,
                    next_dimensions = case when embedder_id = $2 then null else $3::int end,
                    reembed_error = null, lease_owner = null, lease_expires_at = null, updated_at = now()
              where id = $1 and next_embedder_id is distinct from (case when embedder_id = $2 then null else $2 end)
              returning id`,
            [knowledgeBaseId, embedderId, dimensions],
          ),
        ),
      );
      if (changed)
        await tx.execute(
          sqlText(`update knowledge_chunks set next_embedding = null where knowledge_base_id = $1`, [knowledgeBaseId]),
        );
    });
  }

  /** Takes a base waiting to be re-embedded for `embedderId` whose lease is free or expired, for `leaseMs`. */
  async claim(owner: string, leaseMs: number, embedderId: string): Promise<ReembedLease | undefined> {
    const [row] = await this.db.query<{ id: string; dimensions: number }>(
      `update knowledge_bases set lease_owner = $1, lease_expires_at = now() + ($2 || ' milliseconds')::interval
        where id = (select id from knowledge_bases
                     where next_embedder_id = $3 and (lease_expires_at is null or lease_expires_at < now())
                     order by updated_at limit 1 for update skip locked)
        returning id, next_dimensions as dimensions`,
      [owner, String(leaseMs), embedderId],
    );
    return row && { knowledgeBaseId: row.id, embedderId, dimensions: Number(row.dimensions), owner };
  }

  /** The next chunks (every version: one may be published meanwhile) without a vector from the new embedder. */
  async pending(
    lease: ReembedLease,
    limit: number,
  ): Promise<Array<{ id: string; text: string; headingPath: string[] }>> {
    return this.db.query(
      `select id, text, heading_path as "headingPath" from knowledge_chunks
        where knowledge_base_id = $1 and next_embedding is null order by id limit $2`,
      [lease.knowledgeBaseId, limit],
    );
  }

  /** Stores new vectors and renews the lease; false when the lease was lost (nothing written then). */
  async store(
    lease: ReembedLease,
    leaseMs: number,
    vectors: ReadonlyArray<{ id: string; embedding: Float32Array }>,
  ): Promise<boolean> {
    return this.db.orm.transaction(async (tx) => {
      const held = rowsOf(
        await tx.execute(
          sqlText(
            `update knowledge_bases set lease_expires_at = now() + ($4 || ' milliseconds')::interval, reembed_error = null
              where id = $1 and next_embedder_id = $2 and lease_owner = $3 returning id`,
            [lease.knowledgeBaseId, lease.embedderId, lease.owner, String(leaseMs)],
          ),
        ),
      );
      if (held.length === 0) return false;
      await tx.execute(
        sqlText(
          `update knowledge_chunks c set next_embedding = v.embedding
             from (select (r->>'id')::uuid as id, array(select jsonb_array_elements_text(r->'e')::real) as embedding
                     from jsonb_array_elements($1::jsonb) r) v
            where c.id = v.id and c.knowledge_base_id = $2`,
          [JSON.stringify(vectors.map((v) => ({ id: v.id, e: Array.from(v.embedding) }))), lease.knowledgeBaseId],
        ),
      );
      return true;
    });
  }

  /** The embedder failed: records why and lets go; the base is tried again once `leaseMs` has passed. */
  async fail(lease: ReembedLease, leaseMs: number, reason: string): Promise<void> {
    await this.db.query(
      `update knowledge_bases set reembed_error = $4, lease_owner = null,
              lease_expires_at = now() + ($5 || ' milliseconds')::interval
        where id = $1 and next_embedder_id = $2 and lease_owner = $3`,
      [lease.knowledgeBaseId, lease.embedderId, lease.owner, reason.slice(0, 2000), String(leaseMs)],
    );
  }

  /**
   * Switches the base to the new embedder in one transaction once every chunk has its new vector: its id and
   * dimensions, the vectors, and (with pgvector) its HNSW index rebuilt for the new dimensions. 'pending' when
   * chunks were added meanwhile (embed them and try again), 'lost' when the lease is no longer held.
   */
  async switchOver(lease: ReembedLease, pgvector: boolean): Promise<'switched' | 'pending' | 'lost'> {
    return this.db.orm.transaction(async (tx) => {
      // Locked against chunk writes (they share-lock the base): nothing arrives between the check and the switch.
      const [held] = rowsOf(
        await tx.execute(
          sqlText(
            `select id from knowledge_bases where id = $1 and next_embedder_id = $2 and lease_owner = $3 for update`,
            [lease.knowledgeBaseId, lease.embedderId, lease.owner],
          ),
        ),
      );
      if (!held) return 'lost';
      const [missing] = rowsOf(
        await tx.execute(
          sqlText(`select 1 from knowledge_chunks where knowledge_base_id = $1 and next_embedding is null limit 1`, [
            lease.knowledgeBaseId,
          ]),
        ),
      );
      if (missing) return 'pending';
      // The old index casts to the old dimensions: it must go before vectors of another length arrive.
      if (pgvector) await tx.execute(sqlText(dropVectorIndexSql(lease.knowledgeBaseId), []));
      await tx.execute(
        sqlText(
          `update knowledge_chunks set embedding = next_embedding, next_embedding = null where knowledge_base_id = $1`,
          [lease.knowledgeBaseId],
        ),
      );
      await tx.execute(
        sqlText(
          `update knowledge_bases set embedder_id = $2, dimensions = $3, next_embedder_id = null, next_dimensions = null,
                  reembed_error = null, lease_owner = null, lease_expires_at = null, updated_at = now()
            where id = $1`,
          [lease.knowledgeBaseId, lease.embedderId, lease.dimensions],
        ),
      );
      if (pgvector) await tx.execute(sqlText(createVectorIndexSql(lease.knowledgeBaseId, lease.dimensions), []));
      return 'switched';
    });
  }

  /** Lets go of every base lease: a single process at start, when no one else can hold one. */
  async releaseAllLeases(): Promise<void> {
    await this.db.query(
      `update knowledge_bases set lease_owner = null, lease_expires_at = null where lease_expires_at is not null`,
      [],
    );
  }

  /** How far a base's re-embedding is; undefined when it is not being re-embedded. */
  async progress(knowledgeBaseId: string): Promise<ReembedProgress | undefined> {
    const [row] = await this.db.query<{
      embedder: string | null;
      error: string | null;
      chunks: number;
      embedded: number;
    }>(
      `select b.next_embedder_id as embedder, b.reembed_error as error,
              (select count(*)::int from knowledge_chunks c where c.knowledge_base_id = b.id) as chunks,
              (select count(next_embedding)::int from knowledge_chunks c where c.knowledge_base_id = b.id) as embedded
         from knowledge_bases b where b.id = $1`,
      [knowledgeBaseId],
    );
    if (!row?.embedder) return undefined;
    return { embedder: row.embedder, chunks: Number(row.chunks), embedded: Number(row.embedded), error: row.error };
  }
}
