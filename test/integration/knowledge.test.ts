import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeService } from '../../src/knowledge/service.ts';
import type { Database } from '../../src/store/db.ts';
import { addWorkspace } from '../support/accounts.ts';
import { openTestDatabase } from '../support/db.ts';
import { knowledgeFixture, knowledgeService } from '../support/knowledge.ts';
import { describeKnowledgeSuite } from '../support/knowledge-suite.ts';

describeKnowledgeSuite('knowledge bases on the embedded database (pgvector HNSW)', {
  open: openTestDatabase,
  vectorSearch: 'pgvector-hnsw',
});

describe('a knowledge base without an embedder', () => {
  let db: Database;
  let knowledge: KnowledgeService & { drain(): Promise<number> };
  let workspaceId: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    workspaceId = await addWorkspace(db, 'kb-text-only');
    knowledge = await knowledgeService(db, undefined);
  });
  afterAll(async () => {
    await knowledge.close();
    await db.close();
  });

  it('is searched by its words (hybrid falls back to full text) and refuses vector search with the reason', async () => {
    const base = await knowledge.createBase(workspaceId, { name: 'Plain' });
    expect(base.embedder).toBe('none');
    await knowledge.addDocument(workspaceId, base.id, {
      bytes: await knowledgeFixture('handbook.md'),
      source: 'handbook.md',
    });
    await knowledge.drain();
    const found = await knowledge.search(workspaceId, base.id, { q: 'gift cards', k: 3 });
    expect(found.mode).toBe('text');
    expect(found.hits[0]!.text).toContain('Gift cards are never refunded.');
    await expect(knowledge.search(workspaceId, base.id, { q: 'gift', k: 3, mode: 'vector' })).rejects.toThrow(
      /no vectors from the configured embedder/,
    );
    expect(knowledge.describe()).toEqual({ embedder: 'none', vectorSearch: 'none' });
  });
});
