/**
 * Knowledge search as users get it: the real KnowledgeService (parse, chunk, embed, store, search with reciprocal
 * rank fusion) on an in-memory embedded database with pgvector, with the offline embedder.
 */
import { parseAllowList } from '../src/net/address-policy.ts';
import { guardedFetch } from '../src/net/guarded-fetch.ts';
import type { Embedder } from '../src/knowledge/embedder.ts';
import { KnowledgeService } from '../src/knowledge/service.ts';
import { openDatabase, type Database } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { createWorkspace } from '../src/store/workspaces.ts';
import type { Mode } from './knowledge-search.ts';

export class StoreSearch {
  private constructor(
    private readonly db: Database,
    private readonly service: KnowledgeService,
    private readonly workspaceId: string,
    private readonly baseId: string,
    /** Chunks stored, and how long adding and ingesting the documents took (parse, chunk, embed, write). */
    readonly chunks: number,
    readonly ingestSeconds: number,
  ) {}

  /** A base holding `documents` (Markdown), chunked as given, fully ingested. */
  static async build(
    documents: Array<{ name: string; text: string }>,
    embedder: Embedder,
    chunking: { size: number; overlap: number },
  ): Promise<StoreSearch> {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
    const workspaceId = (await createWorkspace(db.orm, { slug: 'bench' })).id;
    const service = new KnowledgeService(db, {
      embedder,
      maxFileBytes: 50 * 1024 * 1024,
      fetch: guardedFetch(parseAllowList([])),
      urlTimeoutMs: 1000,
      work: false,
      shared: false,
      leaseMs: 600_000,
      pollMs: 600_000,
      onError: (error) => {
        throw error;
      },
    });
    await service.start();
    const base = await service.createBase(workspaceId, {
      name: 'bench',
      chunkSize: chunking.size,
      chunkOverlap: chunking.overlap,
    });
    const started = performance.now();
    for (const document of documents)
      await service.addDocument(workspaceId, base.id, {
        bytes: Buffer.from(document.text),
        source: `${document.name}.md`,
        contentType: 'text/markdown',
      });
    while (await service.ingestOnce());
    const ingestSeconds = (performance.now() - started) / 1000;
    const [{ count }] = (await db.query<{ count: number }>(
      'select count(*)::int as count from knowledge_chunks where knowledge_base_id = $1',
      [base.id],
    )) as [{ count: number }];
    return new StoreSearch(db, service, workspaceId, base.id, count, ingestSeconds);
  }

  async search(question: string, mode: Mode, k: number): Promise<string[]> {
    const { hits } = await this.service.search(this.workspaceId, this.baseId, { q: question, k, mode });
    return hits.map((hit) => hit.text);
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.db.close();
  }
}
