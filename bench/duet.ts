import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { startServer, type RunningServer } from '../src/main/start.ts';
import { createApiKey } from '../src/store/api-keys.ts';
import { ensureDefaultWorkspace } from '../src/store/workspaces.ts';

const keys = new Map<string, string>();

/** Makes `post`, `get` and `authHeaders` to this server's origin carry its API key. */
export function useApiKey(serverUrl: string, key: string): void {
  keys.set(new URL(serverUrl).origin, key);
}

/** The Authorization header for a server started here (or registered with useApiKey). */
export function authHeaders(url: string): Record<string, string> {
  const key = keys.get(new URL(url).origin);
  return key ? { authorization: `Bearer ${key}` } : {};
}

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
  const server = await startServer(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      MAX_CONCURRENT_EXECUTIONS: '200',
      // Load generators are one caller; the per-caller API limit would measure itself, not Duet.
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      CHAT_MESSAGES_PER_MINUTE: '1000000',
      ...env,
    }),
  );
  const { url } = server;
  // Benchmarks act as an admin of the default workspace through a real API key, like a script would.
  const workspace = await ensureDefaultWorkspace(server.db);
  useApiKey(url, (await createApiKey(server.db, { workspaceId: workspace.id, name: 'bench', role: 'admin' })).key);
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
    headers: { ...authHeaders(url), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (![expected].flat().includes(response.status)) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

export async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: authHeaders(url) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Graph helpers, as in test/support/workflows.ts. */
export const node = (id: string, type: string, config?: object) => ({
  id,
  type,
  name: id,
  ...(config ? { config } : {}),
});
export const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}-${sourceHandle ?? 'next'}-${target}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});
