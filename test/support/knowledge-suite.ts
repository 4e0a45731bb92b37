import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeService, VectorSearch } from '../../src/knowledge/service.ts';
import type { Database } from '../../src/store/db.ts';
import { addWorkspace } from './accounts.ts';
import { startEmbeddingsServer, type EmbeddingsServer } from './embeddings-server.ts';
import { knowledgeFixture, knowledgeService } from './knowledge.ts';

type Service = KnowledgeService & { drain(): Promise<number> };

/**
 * What a knowledge base must do on every database Duet runs on: the embedded one (pgvector HNSW) and PostgreSQL
 * without pgvector (exact cosine). Each test describes what a user sees.
 */
export function describeKnowledgeSuite(
  title: string,
  setup: { open(): Promise<Database>; vectorSearch: VectorSearch },
): void {
  describe(title, () => {
    let db: Database;
    let embeddings: EmbeddingsServer;
    let knowledge: Service;
    let workspaceId: string;
    let otherWorkspaceId: string;
    const add = async (baseId: string, name: string, extra: { title?: string; tags?: string[]; bytes?: Buffer } = {}) =>
      knowledge.addDocument(workspaceId, baseId, {
        bytes: extra.bytes ?? (await knowledgeFixture(name)),
        source: name,
        ...extra,
      });

    beforeAll(async () => {
      db = await setup.open();
      embeddings = await startEmbeddingsServer();
      workspaceId = await addWorkspace(db, `kb-${Date.now()}`);
      otherWorkspaceId = await addWorkspace(db, `kb-other-${Date.now()}`);
      knowledge = await knowledgeService(db, embeddings, { maxFileBytes: 64 * 1024 });
    });
    afterAll(async () => {
      await knowledge?.close();
      await embeddings?.close();
      await db?.close();
    });

    it(`ingests every format and finds passages by words, meaning and both (${setup.vectorSearch})`, async () => {
      expect(knowledge.describe()).toEqual({ embedder: 'openai:test-embed', vectorSearch: setup.vectorSearch });
      const base = await knowledge.createBase(workspaceId, { name: 'Handbook', chunkSize: 400, chunkOverlap: 40 });
      const added = [];
      for (const name of [
        'handbook.md',
        'notes.txt',
        'faq.html',
        'handbook.pdf',
        'travel-policy.docx',
        'products.csv',
        'stores.json',
      ])
        added.push(
          await add(
            base.id,
            name,
            name === 'faq.html' ? { tags: ['shipping'] } : name === 'handbook.pdf' ? { title: 'Handbook PDF' } : {},
          ),
        );
      expect(added.map((a) => [a.outcome, a.document.status])).toEqual(added.map(() => ['created', 'queued']));
      expect(await knowledge.drain()).toBe(7);
      const docs = await knowledge.listDocuments(workspaceId, base.id);
      expect(docs.map((d) => d.status)).toEqual(docs.map(() => 'ready'));
      for (const d of docs) expect(d.progress.embedded).toBe(d.progress.chunks);

      const text = await knowledge.search(workspaceId, base.id, { q: 'gift cards', k: 3, mode: 'text' });
      // The Markdown and the PDF both say it; each hit cites its own document and place.
      expect(new Set(text.hits.slice(0, 2).map((h) => h.title))).toEqual(new Set(['handbook', 'Handbook PDF']));
      expect(text.hits.find((h) => h.title === 'Handbook PDF')!.headingPath).toEqual(['Page 1']);
      const hit = text.hits.find((h) => h.title === 'handbook')!;
      expect(hit.headingPath).toEqual(['Handbook', 'Refunds', 'Exceptions']);
      expect(hit.text).toContain('Gift cards are never refunded.');
      expect(hit.offsets.end - hit.offsets.start).toBe(hit.text.length);

      // "reimbursement" is not in any document; the embedder knows it means refund.
      const byMeaning = await knowledge.search(workspaceId, base.id, { q: 'reimbursement', k: 3, mode: 'vector' });
      expect(byMeaning.hits[0]!.text).toMatch(/refund/i);
      expect((await knowledge.search(workspaceId, base.id, { q: 'reimbursement', k: 3, mode: 'text' })).hits).toEqual(
        [],
      );

      const hybrid = await knowledge.search(workspaceId, base.id, { q: 'how many vacation days do we get', k: 5 });
      expect(hybrid.mode).toBe('hybrid');
      expect(hybrid.hits[0]!.text).toContain('25 days of paid leave');

      const tagged = await knowledge.search(workspaceId, base.id, { q: 'ship orders', k: 5, tags: ['shipping'] });
      expect(new Set(tagged.hits.map((h) => h.title))).toEqual(new Set(['faq']));
      await expect(knowledge.search(otherWorkspaceId, base.id, { q: 'gift', k: 3 })).rejects.toThrow(/does not exist/);
    });

    it('ignores the same content added again, and replaces a changed document only once its new version is ready', async () => {
      const base = await knowledge.createBase(workspaceId, { name: 'Versions' });
      const first = await add(base.id, 'policy.md', {
        bytes: Buffer.from('# Policy\n\nReturns are accepted for 14 days.'),
      });
      await knowledge.drain();
      const again = await add(base.id, 'policy.md', {
        bytes: Buffer.from('# Policy\n\nReturns are accepted for 14 days.'),
      });
      expect(again.outcome).toBe('unchanged');
      expect(await knowledge.drain()).toBe(0);

      const changed = await add(base.id, 'policy.md', {
        bytes: Buffer.from('# Policy\n\nReturns are accepted for 60 days.'),
      });
      expect(changed).toMatchObject({
        outcome: 'replaced',
        document: { id: first.document.id, version: 2, searchable: true },
      });
      // Until the new version is ready the old one answers.
      const before = await knowledge.search(workspaceId, base.id, { q: 'returns accepted', k: 5 });
      expect(before.hits.map((h) => h.text)).toEqual(['# Policy\n\nReturns are accepted for 14 days.']);
      await knowledge.drain();
      const after = await knowledge.search(workspaceId, base.id, { q: 'returns accepted', k: 5 });
      expect(after.hits.map((h) => h.text)).toEqual(['# Policy\n\nReturns are accepted for 60 days.']);

      await knowledge.deleteDocument(workspaceId, base.id, first.document.id);
      expect((await knowledge.search(workspaceId, base.id, { q: 'returns accepted', k: 5 })).hits).toEqual([]);
      expect(await knowledge.listDocuments(workspaceId, base.id)).toEqual([]);
    });

    it('marks a document failed with the reason when the embedder fails mid-way, keeps the old version serving, and resumes', async () => {
      const base = await knowledge.createBase(workspaceId, { name: 'Flaky', chunkSize: 200, chunkOverlap: 0 });
      const long = (n: number) =>
        Buffer.from(
          Array.from({ length: 80 }, (_, i) => `## Part ${i}\n\nClause ${i} of version ${n} about refund rules.`).join(
            '\n\n',
          ),
        );
      const v1 = await add(base.id, 'terms.md', { bytes: long(1) });
      await knowledge.drain();
      await add(base.id, 'terms.md', { bytes: long(2) });
      embeddings.received = [];
      embeddings.answersBeforeFailing = 1;
      embeddings.fail = 500;
      await knowledge.drain();
      const failed = await knowledge.getDocument(workspaceId, base.id, v1.document.id);
      expect(failed).toMatchObject({ status: 'failed', version: 2, searchable: true });
      expect(failed.error).toMatch(/the embedder failed: .*overloaded/);
      expect(failed.progress).toEqual({ chunks: 80, embedded: 32 });
      const serving = await knowledge.search(workspaceId, base.id, { q: 'clause 7', k: 1, mode: 'text' });
      expect(serving.hits[0]!.text).toContain('version 1');

      embeddings.fail = undefined;
      embeddings.received = [];
      const retried = await add(base.id, 'terms.md', { bytes: long(2) });
      expect(retried.outcome).toBe('retried');
      await knowledge.drain();
      // Only the 48 chunks not embedded before were sent again.
      expect(embeddings.received.flat()).toHaveLength(48);
      const done = await knowledge.getDocument(workspaceId, base.id, v1.document.id);
      expect(done).toMatchObject({ status: 'ready', error: null, progress: { chunks: 80, embedded: 80 } });
      const now = await knowledge.search(workspaceId, base.id, { q: 'clause 7', k: 1, mode: 'text' });
      expect(now.hits[0]!.text).toContain('version 2');
    });

    it('finishes an ingestion that a stopped process left half done', async () => {
      const base = await knowledge.createBase(workspaceId, { name: 'Restart', chunkSize: 200, chunkOverlap: 0 });
      const text = Array.from({ length: 70 }, (_, i) => `## Step ${i}\n\nDo thing ${i} carefully.`).join('\n\n');
      const { document } = await add(base.id, 'steps.md', { bytes: Buffer.from(text) });
      // The first process embeds one batch, then its embedder hangs: it is "killed" with its lease held.
      embeddings.answersBeforeFailing = 1;
      embeddings.fail = 'hang';
      const stuck = knowledge.ingestOnce();
      await expect
        .poll(async () => (await knowledge.getDocument(workspaceId, base.id, document.id)).progress.embedded, {
          timeout: 20_000,
        })
        .toBe(32);
      expect((await knowledge.getDocument(workspaceId, base.id, document.id)).status).toBe('embedding');
      embeddings.fail = undefined;
      embeddings.received = [];
      // The next process starts on the same database, takes the job over and embeds only the rest.
      const next = await knowledgeService(db, embeddings);
      expect(await next.drain()).toBe(1);
      // Steps 0-31 were embedded before the stop and are not sent again.
      const sent = new Set(embeddings.received.flat().map((t) => Number(/^Step (\d+)/.exec(t)?.[1])));
      expect([...sent].sort((a, b) => a - b)).toEqual(Array.from({ length: 38 }, (_, i) => 32 + i));
      expect(await next.getDocument(workspaceId, base.id, document.id)).toMatchObject({
        status: 'ready',
        progress: { chunks: 70, embedded: 70 },
      });
      // The first process's late end changes nothing: its lease is gone.
      embeddings.dropHanging();
      await stuck;
      expect(await next.getDocument(workspaceId, base.id, document.id)).toMatchObject({ status: 'ready', error: null });
      await next.close();
    });

    it('refuses unsupported, corrupt, empty and oversized documents with the reason', async () => {
      const base = await knowledge.createBase(workspaceId, { name: 'Bad input' });
      const refused = (name: string, bytes?: Buffer) =>
        add(base.id, name, bytes ? { bytes } : {}).then(
          () => expect.unreachable(`${name} was accepted`),
          (error: { code: string; message: string }) => [error.code, error.message],
        );
      expect(await refused('photo.png', Buffer.from([0x89, 0x50]))).toEqual([
        'unsupported_media_type',
        expect.stringMatching(/not supported/),
      ]);
      expect(await refused('corrupt.pdf')).toEqual(['invalid_input', expect.stringMatching(/PDF cannot be read/)]);
      expect(await refused('corrupt.docx')).toEqual(['invalid_input', expect.stringMatching(/DOCX cannot be read/)]);
      expect(await refused('blank.md', Buffer.from('\n \n'))).toEqual([
        'invalid_input',
        expect.stringMatching(/no text/),
      ]);
      expect(await refused('big.txt', Buffer.alloc(64 * 1024 + 1, 'a'))).toEqual([
        'payload_too_large',
        expect.stringMatching(/KNOWLEDGE_MAX_FILE_BYTES/),
      ]);
      expect(await knowledge.listDocuments(workspaceId, base.id)).toEqual([]);
      await expect(knowledge.search(workspaceId, base.id, { q: '   ', k: 3 })).rejects.toThrow(/empty/);
      await expect(knowledge.search(workspaceId, base.id, { q: 'x'.repeat(1001), k: 3 })).rejects.toThrow(/longer/);
    });

    it('re-embeds every base for a newly configured model in the background, then switches each at once', async () => {
      const base = await knowledge.createBase(workspaceId, { name: 'Models', chunkSize: 200, chunkOverlap: 0 });
      await add(base.id, 'handbook.md');
      await knowledge.drain();
      // The next start has another model: nothing changes until its vectors are all there.
      const next = await knowledgeService(db, embeddings, { model: 'test-embed-2' });
      const waiting = await next.getBase(workspaceId, base.id);
      expect(waiting).toMatchObject({
        embedder: 'openai:test-embed',
        reembedding: { embedder: 'openai:test-embed-2', embedded: 0, error: null },
      });
      expect(waiting.reembedding!.chunks).toBeGreaterThan(0);
      const meanwhile = await next.search(workspaceId, base.id, { q: 'gift cards', k: 3 });
      expect(meanwhile.mode).toBe('text');
      expect(meanwhile.hits[0]!.text).toContain('Gift cards are never refunded.');
      await next.drain();
      expect(await next.getBase(workspaceId, base.id)).toMatchObject({
        embedder: 'openai:test-embed-2',
        dimensions: embeddings.dimensions,
        reembedding: null,
      });
      const byMeaning = await next.search(workspaceId, base.id, { q: 'reimbursement', k: 3, mode: 'vector' });
      expect(byMeaning.hits[0]!.text).toMatch(/refund/i);
      // A process still configured with the old model no longer compares its vectors with these.
      await expect(knowledge.search(workspaceId, base.id, { q: 'refund', k: 3, mode: 'vector' })).rejects.toThrow(
        /no vectors from the configured embedder/,
      );
      await next.close();
    });
  });
}
