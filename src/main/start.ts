import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config/env.ts';
import { openRedis } from '../queue/redis.ts';
import { broadcastTurns } from '../server/conversation-rooms.ts';
import { serveHttp } from '../server/start.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ensureDefaultWorkspace } from '../store/workspaces.ts';
import { buildServices, type QueueServices, type Services } from './services.ts';

/** A running Duet process. */
export interface Running {
  db: Database;
  services: Services;
  /** Stops taking work, lets the work in hand finish, then closes the database and Redis. */
  close(): Promise<void>;
}

/** `duet serve` (and `duet worker --port`): the services with HTTP and sockets mounted on them. */
export interface RunningServer extends Running {
  app: FastifyInstance;
  url: string;
}

export interface StartOptions {
  /** Run executions in this process (default). Queue mode only: false for `duet serve --no-worker`. */
  work?: boolean;
  /** Executions this process runs at once in queue mode (default MAX_CONCURRENT_EXECUTIONS). */
  concurrency?: number;
}

/** Opens the database and the services, then listens; picks up what a previous process left once it listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  return start(config, options, async (services, db) => {
    const { app, url } = await serveHttp(config, db, services);
    return { app, url, stop: () => app.close() };
  });
}

/**
 * `duet worker` without `--port`: runs executions taken from Redis and listens on no port. The progress lines of
 * its runs still reach the servers' sockets, through Redis.
 */
export async function startWorker(config: Config, options: { concurrency?: number } = {}): Promise<Running> {
  return start(config, { ...options, work: true }, async (services) => {
    const stop = services.queue ? broadcastTurns(services.queue, services.turns) : () => undefined;
    return { stop: async () => stop() };
  });
}

/**
 * Opens (and on first start creates and migrates) the database, Redis in queue mode and the services, lets
 * `face` mount what the process shows the world, then picks up left work. On failure everything is released.
 */
async function start<Extra extends object>(
  config: Config,
  options: StartOptions,
  face: (services: Services, db: Database) => Promise<Extra & { stop(): Promise<void> }>,
): Promise<Running & Omit<Extra, 'stop'>> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  });
  const connections: Redis[] = [];
  let services: Services | undefined;
  let stopFace: (() => Promise<void>) | undefined;
  try {
    const applied = await migrate(db);
    await ensureDefaultWorkspace(db);
    const queue = config.REDIS_URL
      ? queueConnections(config.REDIS_URL, options, config.MAX_CONCURRENT_EXECUTIONS, connections)
      : undefined;
    services = await buildServices(config, db, queue ? { queue } : {});
    if (applied.length > 0) services.log.info({ applied }, 'database migrated');
    const { stop, ...extra } = await face(services, db);
    stopFace = stop;
    await services.recover();
    const built = services;
    return {
      ...extra,
      db,
      services: built,
      close: async () => {
        // Stop taking work (HTTP first, when there is any) and drain, then close what everything stood on.
        await stop();
        await built.close();
        await db.close();
        await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      },
    };
  } catch (error) {
    await stopFace?.();
    await services?.close();
    await db.close();
    connections.forEach((c) => c.disconnect());
    throw error;
  }
}

/** The Redis connections of queue mode: commands and BullMQ, pub/sub, and a fail-fast one for checks. */
function queueConnections(
  url: string,
  options: StartOptions,
  defaultConcurrency: number,
  opened: Redis[],
): QueueServices {
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
