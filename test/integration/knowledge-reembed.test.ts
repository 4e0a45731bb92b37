import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main/start.ts';
import { startAuthorizedServer } from '../support/app.ts';
import { startEmbeddingsServer, type EmbeddingsServer } from '../support/embeddings-server.ts';
import { HANDBOOK } from '../support/knowledge-bases.ts';

let root: string;
let embeddings: EmbeddingsServer;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duet-kb-reembed-'));
  embeddings = await startEmbeddingsServer(64);
});
afterAll(async () => {
  await embeddings?.close();
  await rm(root, { recursive: true, force: true });
});

/** Forty short sections: with 200-character chunks, more than one embedding batch (32). */
const NOTES = Array.from(
  { length: 40 },
  (_, i) => `## Note ${i + 1}\n\nThe storeroom shelf number ${i + 1} holds spare parts sorted by colour and size.`,
).join('\n\n');

const internal = (dataDir: string) => startAuthorizedServer({ DATA_DIR: dataDir });
const openai = (dataDir: string) =>
  startAuthorizedServer({
    DATA_DIR: dataDir,
    EMBEDDINGS_PROVIDER: 'openai',
    EMBEDDINGS_BASE_URL: embeddings.base,
    EMBEDDINGS_MODEL: 'test-embed',
    EMBEDDINGS_DIMENSIONS: '64',
  });

const baseOf = async (server: RunningServer, id: string) =>
  (await server.app.inject({ url: `/api/v1/knowledge-bases/${id}` })).json();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const search = async (server: RunningServer, id: string, q: string, mode: string) =>
  (
    await server.app.inject({
      url: `/api/v1/knowledge-bases/${id}/search?q=${encodeURIComponent(q)}&k=3&mode=${mode}`,
    })
  ).json();

/** The dimensions the base's HNSW index casts its vectors to (pgvector in the embedded database). */
const indexedDimensions = async (server: RunningServer, id: string) => {
  const [row] = await server.db.query<{ def: string }>(`select indexdef as def from pg_indexes where indexname = $1`, [
    `knowledge_chunks_hnsw_${id.replaceAll('-', '')}`,
  ]);
  return Number(/vector\((\d+)\)/.exec(row?.def ?? '')?.[1]);
};

describe('changing the embedder re-embeds knowledge bases in the background (embedded, pgvector)', () => {
  it('moves a base from the offline embedder to an OpenAI-compatible one and back, resuming after a restart, while full text keeps answering', async () => {
    const dir = join(root, 'data');
    let id: string;
    let offline: string;
    const first = await internal(dir);
    try {
      const created = await first.app.inject({
        method: 'POST',
        url: '/api/v1/knowledge-bases',
        payload: { name: 'Handbook', chunkSize: 200, chunkOverlap: 0 },
      });
      id = created.json().id;
      for (const doc of [...HANDBOOK, { title: 'Storeroom', text: `# Storeroom\n\n${NOTES}` }])
        expect(
          (await first.app.inject({ method: 'POST', url: `/api/v1/knowledge-bases/${id}/documents`, payload: doc }))
            .statusCode,
        ).toBe(202);
      await waitFor('documents ready', async () => {
        const docs = (await first.app.inject({ url: `/api/v1/knowledge-bases/${id}/documents` })).json().items;
        return docs.every((d: { status: string }) => d.status === 'ready') ? true : undefined;
      });
      const made = await baseOf(first, id);
      expect(made).toMatchObject({ embedder: expect.stringMatching(/^internal:/), dimensions: 100, reembedding: null });
      offline = made.embedder;
      expect(await indexedDimensions(first, id)).toBe(100);
    } finally {
      await first.close();
    }

    // The endpoint answers one batch, then fails: the base stays on its old embedder and text search answers.
    embeddings.fail = 503;
    embeddings.answersBeforeFailing = 1;
    const second = await openai(dir);
    let total: number;
    try {
      const stuck = await waitFor('a failed re-embedding', async () => {
        const base = await baseOf(second, id);
        return base.reembedding?.error ? base : undefined;
      });
      total = stuck.reembedding.chunks;
      expect(total).toBeGreaterThan(32);
      expect(stuck).toMatchObject({
        embedder: offline,
        dimensions: 100,
        reembedding: { embedder: 'openai:test-embed', embedded: 32, error: expect.stringMatching(/embedder failed/) },
      });
      const text = await search(second, id, 'refund within 30 days', 'text');
      expect(text.items[0].text).toContain('Customers may ask for a refund within 30 days');
      // Meanwhile the base has no vectors of the configured embedder: hybrid answers by text, vector says why.
      expect((await search(second, id, 'refund', 'hybrid')).mode).toBe('text');
      expect((await search(second, id, 'refund', 'vector')).error.message).toMatch(
        /no vectors from the configured embedder/,
      );
    } finally {
      await second.close();
    }

    // Restarted with a working endpoint: only the chunks not yet done are sent, then the base switches.
    embeddings.fail = undefined;
    embeddings.answersBeforeFailing = undefined;
    const sentBefore = embeddings.received.flat().length;
    const third = await openai(dir);
    try {
      const switched = await waitFor('the switch to openai:test-embed', async () => {
        const base = await baseOf(third, id);
        return base.embedder === 'openai:test-embed' ? base : undefined;
      });
      expect(switched).toMatchObject({ dimensions: 64, reembedding: null });
      expect(embeddings.received.flat().length - sentBefore).toBe(total - 32);
      expect(await indexedDimensions(third, id)).toBe(64);
      // The loopback model folds reimbursement into refund: found by meaning, not by its words.
      const found = await search(third, id, 'reimbursement', 'vector');
      expect(found.mode).toBe('vector');
      expect(found.items[0].headingPath).toEqual(['Handbook', 'Refunds']);
      expect((await search(third, id, 'reimbursement', 'text')).items).toEqual([]);
    } finally {
      await third.close();
    }

    // And back to the offline embedder: 100 dimensions again, with their index.
    const fourth = await internal(dir);
    try {
      await waitFor('the switch back', async () =>
        (await baseOf(fourth, id)).embedder === offline ? true : undefined,
      );
      expect(await baseOf(fourth, id)).toMatchObject({ dimensions: 100, reembedding: null });
      expect(await indexedDimensions(fourth, id)).toBe(100);
      const found = await search(fourth, id, 'annual vacation days for employees', 'vector');
      expect(found.items[0].headingPath).toEqual(['Handbook', 'Vacation']);
    } finally {
      await fourth.close();
    }
  }, 240_000);
});
