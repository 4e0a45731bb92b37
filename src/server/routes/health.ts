import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../store/db.ts';
import type { QueueProbe } from '../../ops/metrics.ts';
import { withTimeout } from '../../ops/timeout.ts';
import { migrationStatus } from '../../store/migrate.ts';

const CHECK_TIMEOUT_MS = 2000;

interface Check {
  status: 'ok' | 'error';
  latencyMs: number;
  error?: string;
}

async function timed(work: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'error', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** The embedded database's directory: writable, and how much room is left (`duet doctor` warns when low). */
async function dataDirCheck(dataDir: string) {
  const check = await timed(() => access(dataDir, constants.W_OK));
  if (check.status !== 'ok') return { ...check, path: dataDir, error: `DATA_DIR is not writable: ${check.error}` };
  const stats = await statfs(dataDir);
  return { ...check, path: dataDir, freeBytes: stats.bavail * stats.bsize };
}

/** Liveness (`/health`) and readiness (`/ready`) for load balancers and orchestrators. */
export async function healthRoutes(
  app: FastifyInstance,
  opts: {
    db: Database;
    version: string;
    dataDir?: string;
    queue?: QueueProbe;
    /** Which embedder knowledge bases use and how vectors are ranked (pgvector HNSW or exact cosine). */
    knowledge?: () => { embedder: string; vectorSearch: string };
  },
) {
  const startedAt = Date.now();

  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Liveness with per-dependency checks' } },
    async (_request, reply) => {
      const [database, dataDir] = await Promise.all([
        timed(() => opts.db.ping()),
        opts.dataDir ? dataDirCheck(opts.dataDir) : undefined,
      ]);
      const ok = database.status === 'ok' && (!dataDir || dataDir.status === 'ok');
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'error',
        version: opts.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        checks: {
          database: { ...database, kind: opts.db.kind },
          ...(dataDir ? { dataDir } : {}),
          ...(opts.knowledge ? { knowledge: { status: 'ok', ...opts.knowledge() } } : {}),
        },
      });
    },
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: database answering, migrations applied, and in queue mode Redis answering',
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        timed(() => opts.db.ping()),
        opts.queue ? timed(() => opts.queue!.ping()) : undefined,
      ]);
      const migrations =
        database.status === 'ok'
          ? await pendingMigrations(opts.db)
          : { status: 'error' as const, error: 'the database is not answering' };
      // No worker is not "unready": accepted executions wait, queued, until one connects.
      const queue =
        opts.queue && redis?.status === 'ok'
          ? { status: 'ok' as const, workers: await opts.queue.workers() }
          : undefined;
      const ok = database.status === 'ok' && migrations.status === 'ok' && (redis?.status ?? 'ok') === 'ok';
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'not_ready',
        checks: { database, migrations, ...(redis ? { redis, queue } : {}) },
      });
    },
  );
}

async function pendingMigrations(db: Database) {
  const pending = (await migrationStatus(db))
    .filter((m) => m.status !== 'applied')
    .map((m) => `${m.tag} (${m.status})`);
  return pending.length === 0
    ? { status: 'ok' as const }
    : { status: 'error' as const, pending, error: 'migrations are not applied; run `duet migrate`' };
}
