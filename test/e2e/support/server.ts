import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, runCli, startServeProcess } from '../../support/cli.ts';

/** An account that signs in with email and password. */
export interface Account {
  email: string;
  password: string;
}

/** The instance admin every e2e server gets (unless it starts empty, for the first-run test). */
export const ADMIN: Account = { email: 'admin@example.com', password: 'e2e admin password 1' };

export interface DuetServer {
  url: string;
  /** The admin made with `duet users create --admin`, or null for an instance started without accounts. */
  admin: Account | null;
  /** An admin API key of the default workspace; `api()` sends it. */
  key: string;
  stop(): Promise<void>;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface StartOptions {
  /** false: start with no account at all (the UI then offers "create the first admin"). */
  admin?: boolean;
  env?: Record<string, string>;
}

/**
 * `duet serve` on a free loopback port with a throw-away data dir, serving the built web app. Before it starts,
 * the real CLI provisions the admin account and an admin API key against that data dir.
 */
export async function startDuet(options: StartOptions = {}): Promise<DuetServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env };
  const admin = options.admin === false ? null : ADMIN;
  if (admin) await provisionAdmin(env, admin);
  const port = await freePort();
  const { child, key } = await startServeProcess(env, port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    admin,
    key,
    api: async <T>(method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      };
      const response = await fetch(url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    stop: () => stop(child, dataDir),
  };
}

/** `duet users create --admin` against the server's database, before the server holds it. */
async function provisionAdmin(env: Record<string, string>, account: Account): Promise<void> {
  const made = await runCli(
    ['users', 'create', '--admin', '--email', account.email, '--password', account.password, '--name', 'E2E Admin'],
    env,
  );
  if (made.code !== 0) throw new Error(`duet users create failed:\n${made.stderr}${made.stdout}`);
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
      {
        id: 'gate',
        type: 'approval',
        name: 'Manager approval',
        position: { x: 280, y: 0 },
        config: { prompt: 'Ship it?' },
      },
      { id: 'done', type: 'response', name: 'Done', position: { x: 560, y: 0 }, config: { output: { shipped: true } } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'gate' },
      { id: 'e2', source: 'gate', sourceHandle: 'approved', target: 'done' },
    ],
  });
  await server.api('POST', `/api/v1/workflows/${created.slug}/versions`);
  return created.slug;
}
