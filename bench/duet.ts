import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { startServer, type RunningServer } from '../src/server/start.ts';

/** A real Duet server in this process, on a fresh embedded database in a temp DATA_DIR. */
export interface BenchServer {
  server: RunningServer;
  url: string;
  /** Creates and publishes a workflow over HTTP; returns its slug. */
  publish(graph: object): Promise<string>;
  close(): Promise<void>;
}

export async function startDuet(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'duet-bench-'));
  const server = await startServer(loadConfig({
    // A benchmark is one caller making thousands of calls a minute: the API rate limit must not be what it measures.
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MAX_CONCURRENT_EXECUTIONS: '200', API_RATE_LIMIT_PER_MINUTE: '1000000', ...env,
  }));
  const { url } = server;
  return {
    server,
    url,
    async publish(graph) {
      const created = await post(`${url}/api/v1/workflows`, graph, 201);
      const slug = (created as { slug: string }).slug;
      await post(`${url}/api/v1/workflows/${slug}/versions`, undefined, 201);
      return slug;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON and returns the parsed answer, failing loudly when the status is not `expected`. */
export async function post(url: string, body: unknown, expected: number | number[] = 200): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (![expected].flat().includes(response.status)) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

export async function get(url: string): Promise<unknown> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Graph helpers, as in test/support/workflows.ts. */
export const node = (id: string, type: string, config?: object) => ({ id, type, name: id, ...(config ? { config } : {}) });
export const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
