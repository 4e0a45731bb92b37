import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/env.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Database } from '../../src/store/db.ts';
import { ensureDefaultWorkspace } from '../../src/store/workspaces.ts';
import { testConfig } from './config.ts';
import { openTestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a private database; requests go through `app.inject` (no socket needed). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig({ NODE_ENV: 'test', ...env });
  const db = await openTestDatabase();
  const workspace = await ensureDefaultWorkspace(db);
  const app = await buildApp({ config, db, defaultWorkspaceId: workspace.id });
  await app.ready();
  return { app, db, config, close: async () => { await app.close(); await db.close(); } };
}
