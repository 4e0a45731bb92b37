import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema.ts';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One handle on the database, whichever engine backs it. */
export interface Database {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  /** The embedded database's directory when it lives on disk (not in memory, not PostgreSQL). */
  dataDir?: string;
  /** Cheap round trip used by /health and /ready. */
  ping(): Promise<void>;
  /**
   * One hand-written statement for the hot path, bypassing the query builder. `name` prepares it once per
   * connection on PostgreSQL (PGlite runs in-process and has no per-statement round trip to save).
   */
  query<Row = Record<string, unknown>>(text: string, params: unknown[], name?: string): Promise<Row[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolMax?: number;
  /** PostgreSQL: a query with no answer by then fails (and its connection is dropped) instead of hanging. */
  queryTimeoutMs?: number;
  /** A PGlite data-dir dump to start from (tests clone a migrated template this way). */
  pgliteDump?: Blob;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite in `dataDir`. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, options.poolMax ?? 10, options.queryTimeoutMs ?? 60_000);
  return openPglite(options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let client: PGlite;
  let unlock = async () => {};
  let dataDir: string | undefined;
  // pgvector ships inside PGlite's extension bundle: knowledge search gets HNSW indexes in the embedded database.
  const extensions = { vector };
  if (options.pgliteDump) {
    client = await PGlite.create({ loadDataDir: options.pgliteDump, extensions });
  } else if (options.dataDir === 'memory://') {
    client = await PGlite.create({ extensions });
  } else {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
    dataDir = options.dataDir;
    client = await PGlite.create(`${options.dataDir}/pg`, { extensions }).catch(async (error: unknown) => {
      await unlock();
      throw error;
    });
  }
  const orm = drizzlePglite(client, { schema }) as unknown as Orm;
  return {
    kind: 'pglite',
    orm,
    dataDir,
    ping: async () => {
      await client.query('select 1');
    },
    query: async <Row>(text: string, params: unknown[]) => (await client.query<Row>(text, params)).rows,
    close: async () => {
      await client.close();
      await unlock();
    },
  };
}

async function openPostgres(url: string, poolMax: number, queryTimeoutMs: number): Promise<Database> {
  // After a server restart a connection can be left half-open; keep-alive notices a dead peer and the query
  // timeout makes sure a run never waits forever on one (it fails, and recovery runs it again).
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    query_timeout: queryTimeoutMs,
  });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const orm = drizzlePg(pool, { schema }) as unknown as Orm;
  await orm.execute(sql`select 1`);
  return {
    kind: 'postgres',
    orm,
    ping: async () => {
      await orm.execute(sql`select 1`);
    },
    query: async <Row>(text: string, params: unknown[], name?: string) =>
      (await pool.query({ text, values: params, ...(name ? { name } : {}) })).rows as Row[],
    close: () => pool.end(),
  };
}

/** node-postgres returns `{rows}`, PGlite returns `{rows}` too; this keeps callers engine-agnostic. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}
