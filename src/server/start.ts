import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/env.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ensureDefaultWorkspace } from '../store/workspaces.ts';
import type { Redis } from 'ioredis';
import { openRedis } from '../queue/redis.ts';
import { buildApp } from './app.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Run executions in this process (default). Queue mode only: false for `duet serve --no-worker`. */
  work?: boolean;
  /** Serve HTTP (default). A `duet worker` without `--port` does not. */
  listen?: boolean;
  /** Executions this process runs at once in queue mode (default MAX_CONCURRENT_EXECUTIONS). */
  concurrency?: number;
}

/** Opens (and on first start creates and migrates) the database, then listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  });
  const connections: Redis[] = [];
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(db);
    await ensureDefaultWorkspace(db);
    const queue = config.REDIS_URL
      ? queueMode(config.REDIS_URL, options, config.MAX_CONCURRENT_EXECUTIONS, connections)
      : undefined;
    app = await buildApp({ config, db, ...(queue ? { queue } : {}) });
    if (applied.length > 0) app.log.info({ applied }, 'database migrated');
    if (options.listen ?? true) await app.listen({ port: config.PORT, host: config.HOST });
    else await app.ready();
    const recovered = await app.engine.recover();
    if (recovered.resumed + recovered.timers > 0)
      app.log.info(recovered, 'resumed executions left by the previous process');
  } catch (error) {
    await app?.close();
    await db.close();
    connections.forEach((c) => c.disconnect());
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
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** The Redis connections of queue mode: commands and BullMQ, pub/sub, and a fail-fast one for checks. */
function queueMode(url: string, options: StartOptions, defaultConcurrency: number, opened: Redis[]) {
  // Outages are logged by whoever uses the connection; ioredis reports every reconnect attempt here.
  const quiet = () => undefined;
  const [redis, subscriber, fast] = ['main', 'subscriber', 'fast'].map((name) =>
    openRedis(url, name, quiet, { failFast: name === 'fast' }),
  );
  opened.push(redis!, subscriber!, fast!);
  return {
    redis: redis!,
    subscriber: subscriber!,
    fast: fast!,
    work: options.work ?? true,
    concurrency: options.concurrency ?? defaultConcurrency,
  };
}
