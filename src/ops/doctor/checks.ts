import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/env.ts';
import { rowsOf, type Database } from '../../store/db.ts';
import { KnowledgeChunkStore } from '../../store/knowledge-chunks.ts';
import { migrationStatus } from '../../store/migrate.ts';
import { pingRedis } from '../redis-ping.ts';
import type { CheckResult } from './report.ts';

/** Clock differences above these (ms) between this machine and the database warn / fail. */
const CLOCK_WARN_MS = 1000;
const CLOCK_FAIL_MS = 30_000;

export function nodeCheck(version = process.versions.node): CheckResult {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = (major === 20 && minor >= 19) || major >= 22;
  return ok
    ? { name: 'node', status: 'ok', message: `Node.js ${version}` }
    : {
        name: 'node',
        status: 'fail',
        message: `Node.js ${version} is not supported`,
        fix: 'install Node.js 20.19+ or 22+',
      };
}

export async function migrationsCheck(db: Database): Promise<CheckResult> {
  const states = await migrationStatus(db);
  const changed = states.filter((s) => s.status === 'changed').map((s) => s.tag);
  const pending = states.filter((s) => s.status === 'pending').map((s) => s.tag);
  if (changed.length > 0) {
    return {
      name: 'migrations',
      status: 'fail',
      message: `applied migration(s) changed since: ${changed.join(', ')}`,
      fix: 'restore the original migration files (never edit an applied migration; add a new one)',
    };
  }
  if (pending.length > 0) {
    return {
      name: 'migrations',
      status: 'warn',
      message: `${pending.length} pending: ${pending.join(', ')}`,
      fix: 'run `duet migrate` (the server also applies them when it starts)',
    };
  }
  return {
    name: 'migrations',
    status: 'ok',
    message: `all ${states.length} applied (latest ${states.at(-1)?.tag ?? 'none'})`,
  };
}

/** How far the database's clock is from ours, corrected for half the round trip. */
export async function clockCheck(db: Database): Promise<CheckResult> {
  const before = Date.now();
  const [row] = rowsOf(
    await db.orm.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms`),
  );
  const after = Date.now();
  const skew = Math.round(Number(row?.now_ms) - (before + after) / 2);
  const message = `this machine is ${Math.abs(skew)} ms ${skew > 0 ? 'behind' : 'ahead of'} the database`;
  if (Math.abs(skew) >= CLOCK_FAIL_MS)
    return {
      name: 'clock',
      status: 'fail',
      message,
      fix: 'synchronise the clocks (NTP: timedatectl set-ntp true) of this machine and the database server; timers and retention depend on them',
    };
  if (Math.abs(skew) >= CLOCK_WARN_MS)
    return {
      name: 'clock',
      status: 'warn',
      message,
      fix: 'synchronise the clocks with NTP (timedatectl set-ntp true)',
    };
  return { name: 'clock', status: 'ok', message: `within ${Math.abs(skew)} ms of the database` };
}

/** How knowledge bases rank by meaning here: which embedder, and pgvector's HNSW or exact cosine without it. */
export async function knowledgeCheck(config: Config, db: Database): Promise<CheckResult> {
  const pgvector = await new KnowledgeChunkStore(db).hasPgvector();
  const embedder =
    config.EMBEDDINGS_PROVIDER === 'openai'
      ? `embeddings from ${config.EMBEDDINGS_MODEL} at ${config.EMBEDDINGS_BASE_URL ?? 'api.openai.com'}`
      : 'the offline embedder (EMBEDDINGS_PROVIDER=internal)';
  return pgvector
    ? { name: 'knowledge', status: 'ok', message: `${embedder}; vector search by pgvector HNSW` }
    : {
        name: 'knowledge',
        status: 'ok',
        message: `${embedder}; this database has no pgvector, so vector search ranks by exact cosine (fine up to ~100k chunks per base)`,
      };
}

export async function redisCheck(config: Config): Promise<CheckResult> {
  if (!config.REDIS_URL)
    return { name: 'redis', status: 'skip', message: 'REDIS_URL is not set (one process; set it for queue mode)' };
  try {
    const ms = await pingRedis(config.REDIS_URL);
    return { name: 'redis', status: 'ok', message: `answered PING in ${ms} ms` };
  } catch (error) {
    return {
      name: 'redis',
      status: 'fail',
      message: `REDIS_URL does not answer: ${(error as Error).message}`,
      fix: 'start Redis or fix REDIS_URL (host, port, password: redis://:password@host:6379)',
    };
  }
}

/** Free space where the embedded database lives (or would be created). */
export async function diskCheck(config: Config): Promise<CheckResult> {
  let dir = resolve(config.DATA_DIR);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const stats = await statfs(dir);
  const freeMb = Math.floor((stats.bavail * stats.bsize) / 1024 / 1024);
  const shown = freeMb >= 10_240 ? `${(freeMb / 1024).toFixed(1)} GiB` : `${freeMb} MiB`;
  if (freeMb < config.DISK_FREE_WARN_MB) {
    return {
      name: 'disk',
      status: 'warn',
      message: `only ${shown} free for DATA_DIR ${config.DATA_DIR} (warning below DISK_FREE_WARN_MB=${config.DISK_FREE_WARN_MB})`,
      fix: 'free space, move DATA_DIR to a larger disk, or prune old executions (EXECUTION_RETENTION_DAYS)',
    };
  }
  return { name: 'disk', status: 'ok', message: `${shown} free for DATA_DIR ${config.DATA_DIR}` };
}
