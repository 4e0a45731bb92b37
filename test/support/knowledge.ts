import { readFile } from 'node:fs/promises';
import { parseAllowList } from '../../src/net/address-policy.ts';
import { guardedFetch } from '../../src/net/guarded-fetch.ts';
import { createOpenAiEmbedder } from '../../src/knowledge/embedding/openai.ts';
import { KnowledgeService } from '../../src/knowledge/service.ts';
import type { Database } from '../../src/store/db.ts';
import { LOOPBACK_HOSTS } from './config.ts';
import type { EmbeddingsServer } from './embeddings-server.ts';

export const knowledgeFixture = (name: string) => readFile(new URL(`../fixtures/knowledge/${name}`, import.meta.url));

/**
 * A knowledge service over `db` with the loopback embeddings server, that does not ingest by itself: the test
 * drives ingestion with `drain()` (or `ingestOnce`) and sees every state in between.
 */
export async function knowledgeService(
  db: Database,
  embeddings: EmbeddingsServer | undefined,
  options: { maxFileBytes?: number; model?: string } = {},
): Promise<KnowledgeService & { drain(): Promise<number> }> {
  const service = new KnowledgeService(db, {
    embedder: embeddings
      ? createOpenAiEmbedder({
          baseUrl: embeddings.base,
          model: options.model ?? 'test-embed',
          dimensions: embeddings.dimensions,
        })
      : undefined,
    maxFileBytes: options.maxFileBytes ?? 1024 * 1024,
    fetch: guardedFetch(parseAllowList(LOOPBACK_HOSTS.split(','))),
    urlTimeoutMs: 2000,
    work: false,
    shared: false,
    leaseMs: 30_000,
    pollMs: 60_000,
    onError: (error) => {
      throw error;
    },
  });
  await service.start();
  return Object.assign(service, {
    async drain() {
      let done = 0;
      while (await service.ingestOnce()) done++;
      return done;
    },
  });
}
