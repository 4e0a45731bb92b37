import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/env.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ensureDefaultWorkspace } from '../store/workspaces.ts';
import { buildApp } from './app.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

/** Opens (and on first start creates and migrates) the database, then listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(db);
    const workspace = await ensureDefaultWorkspace(db);
    app = await buildApp({ config, db, defaultWorkspaceId: workspace.id });
    if (applied.length > 0) app.log.info({ applied }, 'database migrated');
    await app.listen({ port: config.PORT, host: config.HOST });
    const recovered = await app.engine.recover();
    if (recovered.resumed + recovered.timers > 0) app.log.info(recovered, 'resumed executions left by the previous process');
  } catch (error) {
    await app?.close();
    await db.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const server = app;
  return {
    app: server,
    db,
    url: `http://${shownHost}:${port}`,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}
