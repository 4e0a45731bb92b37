import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Config } from '../../src/config/env.ts';
import type { Role } from '../../src/model/roles.ts';
import { buildServices, type Services } from '../../src/main/services.ts';
import { buildApp } from '../../src/server/app.ts';
import { startServer, type RunningServer } from '../../src/main/start.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import type { Database } from '../../src/store/db.ts';
import { ensureDefaultWorkspace } from '../../src/store/workspaces.ts';
import { testConfig } from './config.ts';
import { openTestDatabase } from './db.ts';
import { useApiKey } from './http.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  services: Services;
  /** The default workspace, where `key` (role admin) acts. */
  workspaceId: string;
  key: string;
  /** `app.inject` without the admin key: what an anonymous caller gets. */
  anonymous: FastifyInstance['inject'];
  close(): Promise<void>;
}

/**
 * Makes `app.inject` carry an API key of the given role (in the default workspace) unless a request brings its
 * own `authorization` or `cookie` header; the real authentication path runs for every request.
 */
export async function authorizeInject(
  app: FastifyInstance,
  db: Database,
  role: Role = 'admin',
): Promise<{ key: string; workspaceId: string; anonymous: FastifyInstance['inject'] }> {
  const workspace = await ensureDefaultWorkspace(db);
  const { key } = await createApiKey(db, { workspaceId: workspace.id, name: `test ${role}`, role });
  const anonymous = app.inject.bind(app) as FastifyInstance['inject'];
  const withKey = (options: InjectOptions | string) => {
    const opts: InjectOptions = typeof options === 'string' ? { url: options } : options;
    const headers = (opts.headers ?? {}) as Record<string, unknown>;
    return 'authorization' in headers || 'cookie' in headers
      ? opts
      : { ...opts, headers: { ...headers, authorization: `Bearer ${key}` } };
  };
  (app as { inject: unknown }).inject = (options: InjectOptions | string) => anonymous(withKey(options));
  return { key, workspaceId: workspace.id, anonymous };
}

/** The real app on a private database; requests go through `app.inject` (no socket needed) as a workspace admin. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const db = await openTestDatabase();
  const services = await buildServices(config, db);
  const app = await buildApp({ config, db, services });
  await app.ready();
  const { key, workspaceId, anonymous } = await authorizeInject(app, db);
  return {
    app,
    db,
    config,
    services,
    key,
    workspaceId,
    anonymous,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** A listening server (`startServer`, as `duet serve` runs it) whose admin API key `fetchJson` and `app.inject` send. */
export async function startAuthorizedServer(env: Record<string, string>): Promise<RunningServer & { key: string }> {
  const server = await startServer(testConfig({ PORT: '0', HOST: '127.0.0.1', ...env }));
  const { key } = await authorizeInject(server.app, server.db);
  useApiKey(server.url, key);
  return Object.assign(server, { key });
}
