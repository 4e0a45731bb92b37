import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, startServeProcess } from '../../support/cli.ts';

export interface DuetServer { url: string; stop(): Promise<void>; api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> }

/** `duet serve` on a free loopback port with a throw-away data dir, serving the built web app. */
export async function startDuet(): Promise<DuetServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-'));
  const port = await freePort();
  const { child } = await startServeProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    api: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    stop: () => stop(child, dataDir),
  };
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** A workflow that stops at an approval step, created and published over the API; returns its slug. */
export async function publishApprovalWorkflow(server: DuetServer, name: string): Promise<string> {
  const created = await server.api<{ slug: string }>('POST', '/api/v1/workflows', {
    name,
    nodes: [
      { id: 'start', type: 'start', name: 'Start', position: { x: 0, y: 0 } },
      { id: 'gate', type: 'approval', name: 'Manager approval', position: { x: 280, y: 0 }, config: { prompt: 'Ship it?' } },
      { id: 'done', type: 'response', name: 'Done', position: { x: 560, y: 0 }, config: { output: { shipped: true } } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'gate' }, { id: 'e2', source: 'gate', sourceHandle: 'approved', target: 'done' }],
  });
  await server.api('POST', `/api/v1/workflows/${created.slug}/versions`);
  return created.slug;
}
