import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from './db.ts';
import { knowledgeBases, knowledgeDocuments } from './schema.ts';

export type KnowledgeBaseRow = typeof knowledgeBases.$inferSelect;
export type DocumentRow = typeof knowledgeDocuments.$inferSelect;
export type NewDocument = Pick<
  DocumentRow,
  'title' | 'source' | 'mediaType' | 'tags' | 'contentHash' | 'text' | 'bytes'
>;

/** What adding a document did: a new one, a new version of one with the same source, or nothing (same content). */
export type AddOutcome = 'created' | 'replaced' | 'unchanged' | 'retried';

/** Knowledge bases and their documents (rows, not search: see knowledge-chunks.ts). */
export class KnowledgeStore {
  constructor(private readonly db: Database) {}

  async createBase(
    values: Pick<KnowledgeBaseRow, 'workspaceId' | 'name' | 'embedderId' | 'dimensions' | 'chunkSize' | 'chunkOverlap'>,
  ): Promise<KnowledgeBaseRow | undefined> {
    const [row] = await this.db.orm.insert(knowledgeBases).values(values).onConflictDoNothing().returning();
    return row;
  }

  async listBases(workspaceId: string): Promise<Array<KnowledgeBaseRow & { documents: number }>> {
    const rows = await this.db.orm
      .select({ base: knowledgeBases, documents: count(knowledgeDocuments.id) })
      .from(knowledgeBases)
      .leftJoin(knowledgeDocuments, eq(knowledgeDocuments.knowledgeBaseId, knowledgeBases.id))
      .where(eq(knowledgeBases.workspaceId, workspaceId))
      .groupBy(knowledgeBases.id)
      .orderBy(asc(knowledgeBases.name));
    return rows.map((r) => ({ ...r.base, documents: Number(r.documents) }));
  }

  async getBase(workspaceId: string, id: string): Promise<KnowledgeBaseRow | undefined> {
    const [row] = await this.db.orm
      .select()
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.workspaceId, workspaceId), eq(knowledgeBases.id, id)));
    return row;
  }

  /** A base by id alone: for background work, which acts for no caller. */
  async baseById(id: string): Promise<KnowledgeBaseRow | undefined> {
    const [row] = await this.db.orm.select().from(knowledgeBases).where(eq(knowledgeBases.id, id));
    return row;
  }

  async allBases(): Promise<KnowledgeBaseRow[]> {
    return this.db.orm.select().from(knowledgeBases);
  }

  async countDocuments(knowledgeBaseId: string): Promise<number> {
    return this.db.orm.$count(knowledgeDocuments, eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId));
  }

  /** false when another base of the workspace has that name. */
  async renameBase(workspaceId: string, id: string, name: string): Promise<boolean> {
    const [clash] = await this.db.orm
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.workspaceId, workspaceId), eq(knowledgeBases.name, name)));
    if (clash && clash.id !== id) return false;
    await this.db.orm
      .update(knowledgeBases)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(knowledgeBases.workspaceId, workspaceId), eq(knowledgeBases.id, id)));
    return true;
  }

  /** Deletes a base with its documents and chunks (cascade). */
  async deleteBase(workspaceId: string, id: string): Promise<boolean> {
    const deleted = await this.db.orm
      .delete(knowledgeBases)
      .where(and(eq(knowledgeBases.workspaceId, workspaceId), eq(knowledgeBases.id, id)))
      .returning({ id: knowledgeBases.id });
    return deleted.length > 0;
  }

  /**
   * Adds a document, or a new version of the one with the same source. The same content again changes nothing,
   * unless its last ingestion failed: then it is queued again and resumes where it stopped.
   */
  async addDocument(knowledgeBaseId: string, doc: NewDocument): Promise<{ row: DocumentRow; outcome: AddOutcome }> {
    return this.db.orm.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(knowledgeDocuments)
        .where(and(eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId), eq(knowledgeDocuments.source, doc.source)))
        .for('update');
      if (!existing) {
        const [row] = await tx
          .insert(knowledgeDocuments)
          .values({ knowledgeBaseId, ...doc, status: 'queued' })
          .returning();
        return { row: row!, outcome: 'created' as const };
      }
      const now = new Date();
      if (existing.contentHash === doc.contentHash) {
        if (existing.status !== 'failed') return { row: existing, outcome: 'unchanged' as const };
        // Chunks already written (and embedded) for this version are kept: only the rest is done again.
        const [row] = await tx
          .update(knowledgeDocuments)
          .set({
            status: existing.chunksTotal > 0 ? 'embedding' : 'queued',
            error: null,
            title: doc.title,
            tags: doc.tags,
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: now,
          })
          .where(eq(knowledgeDocuments.id, existing.id))
          .returning();
        return { row: row!, outcome: 'retried' as const };
      }
      // A new version: the serving one keeps answering until this one is ready. A process still working on the
      // old version loses its lease and its writes no longer match.
      const [row] = await tx
        .update(knowledgeDocuments)
        .set({
          ...doc,
          status: 'queued',
          error: null,
          version: existing.version + 1,
          chunksTotal: 0,
          chunksEmbedded: 0,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: now,
        })
        .where(eq(knowledgeDocuments.id, existing.id))
        .returning();
      return { row: row!, outcome: 'replaced' as const };
    });
  }

  async listDocuments(knowledgeBaseId: string): Promise<DocumentRow[]> {
    return this.db.orm
      .select()
      .from(knowledgeDocuments)
      .where(eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId))
      .orderBy(asc(knowledgeDocuments.createdAt), asc(knowledgeDocuments.id));
  }

  async getDocument(knowledgeBaseId: string, id: string): Promise<DocumentRow | undefined> {
    const [row] = await this.db.orm
      .select()
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId), eq(knowledgeDocuments.id, id)));
    return row;
  }

  /** Deletes a document with its chunks (cascade); a process ingesting it finds it gone and stops. */
  async deleteDocument(knowledgeBaseId: string, id: string): Promise<boolean> {
    const deleted = await this.db.orm
      .delete(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId), eq(knowledgeDocuments.id, id)))
      .returning({ id: knowledgeDocuments.id });
    return deleted.length > 0;
  }
}
