import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main/start.ts';
import { startAuthorizedServer } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { HANDBOOK, knowledgeBaseWith } from '../support/knowledge-bases.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duet-kb-backup-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const serve = (dataDir: string) => startAuthorizedServer({ DATA_DIR: dataDir });
const QUERIES = ['how do I get my money back?', 'vacation days', 'where do bicycles go'];
const MODES = ['text', 'vector', 'hybrid'] as const;

/** Every query in every mode: the hits (chunk, document, heading path, offsets, score) a user would see. */
async function searches(app: FastifyInstance, baseId: string) {
  const results: Record<string, unknown> = {};
  for (const q of QUERIES)
    for (const mode of MODES) {
      const res = await app.inject({
        url: `/api/v1/knowledge-bases/${baseId}/search?q=${encodeURIComponent(q)}&k=3&mode=${mode}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      results[`${mode}: ${q}`] = res.json().items;
    }
  return results;
}

const hnswIndexes = async (server: RunningServer) =>
  (
    await server.db.query<{ name: string }>(
      `select indexname as name from pg_indexes where indexname like 'knowledge_chunks_hnsw_%'`,
      [],
    )
  ).map((r) => r.name);

describe('backup and restore of knowledge bases (embedded, pgvector)', () => {
  it('restores bases, documents and chunks into a fresh data dir: the same hits and citations, the index back, and documents can still be added', async () => {
    const dirA = join(root, 'a');
    const first = await serve(dirA);
    let baseId: string;
    let before: Record<string, unknown>;
    let file: string;
    try {
      baseId = await knowledgeBaseWith(first.app, 'Handbook', HANDBOOK);
      before = await searches(first.app, baseId);
      expect(JSON.stringify(before)).toContain('Refunds');
      expect(await hnswIndexes(first)).toHaveLength(1);
      const out = join(root, 'out');
      const backup = await runCli(['backup', '--out', `${out}/`], {
        DATA_DIR: dirA,
        PORT: new URL(first.url).port,
      });
      expect(backup.stderr).not.toContain('Error');
      expect(backup.code).toBe(0);
      file = join(out, (await readdir(out))[0]!);
    } finally {
      await first.close();
    }

    const dirB = join(root, 'b');
    const restored = await runCli(['restore', file], { DATA_DIR: dirB });
    expect(restored.stderr).not.toContain('Error');
    expect(restored.code).toBe(0);

    const second = await serve(dirB);
    try {
      const bases = await second.app.inject({ url: '/api/v1/knowledge-bases' });
      expect(bases.json().items).toMatchObject([{ id: baseId, name: 'Handbook', documents: 2 }]);
      expect(await hnswIndexes(second)).toHaveLength(1);
      expect(await searches(second.app, baseId)).toEqual(before);

      const added = await second.app.inject({
        method: 'POST',
        url: `/api/v1/knowledge-bases/${baseId}/documents`,
        payload: { title: 'Canteen', text: '# Canteen\n\nLunch is served from noon until two in the canteen.' },
      });
      expect(added.statusCode, added.body).toBe(202);
      const documentId = added.json().items[0].id as string;
      for (let status = ''; status !== 'ready'; await new Promise((r) => setTimeout(r, 50))) {
        status = (await second.app.inject({ url: `/api/v1/knowledge-bases/${baseId}/documents/${documentId}` })).json()
          .status;
        expect(status).not.toBe('failed');
      }
      const lunch = await second.app.inject({
        url: `/api/v1/knowledge-bases/${baseId}/search?q=${encodeURIComponent('when is lunch served')}&k=1`,
      });
      expect(lunch.json().items[0]).toMatchObject({ documentId, title: 'Canteen', headingPath: ['Canteen'] });
    } finally {
      await second.close();
    }
  }, 180_000);
});
