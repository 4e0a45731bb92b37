import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig, type Config } from '../../config/env.ts';
import { DataDirInUseError } from '../../store/data-dir-lock.ts';
import { openDatabase, rowsOf, type Database } from '../../store/db.ts';
import { clockCheck, diskCheck, knowledgeCheck, migrationsCheck, nodeCheck, redisCheck } from './checks.ts';
import type { CheckResult } from './report.ts';

/** Runs every check `duet doctor` knows, in order; never throws for a problem it can describe. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const results: CheckResult[] = [nodeCheck()];
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    results.push({
      name: 'configuration',
      status: 'fail',
      message: `${error.problems.length} problem(s):\n${error.problems.map((p) => `        ${p}`).join('\n')}`,
      fix: 'set these environment variables (docs/operations.md lists them all); the other checks need a valid configuration',
    });
    return results;
  }
  const where = config.DATABASE_URL
    ? `PostgreSQL at ${new URL(config.DATABASE_URL).host}`
    : `embedded database in ${config.DATA_DIR}`;
  results.push({ name: 'configuration', status: 'ok', message: `valid (${where})` });
  results.push(
    ...(await (config.DATABASE_URL ? postgresChecks(config, config.DATABASE_URL) : embeddedChecks(config, env))),
  );
  results.push(await redisCheck(config));
  if (!config.DATABASE_URL && config.DATA_DIR !== 'memory://') results.push(await diskCheck(config));
  return results;
}

async function postgresChecks(config: Config, url: string): Promise<CheckResult[]> {
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: url, dataDir: config.DATA_DIR, poolMax: 1 });
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    return [
      {
        name: 'database',
        status: 'fail',
        message: `cannot reach PostgreSQL at ${new URL(url).host}: ${reason}`,
        fix: 'start PostgreSQL or fix DATABASE_URL (host, port, user, password, database name)',
      },
    ];
  }
  try {
    const [row] = rowsOf(
      await db.orm.execute(
        sql`select current_setting('server_version_num')::int as num, current_setting('server_version') as version`,
      ),
    );
    const database: CheckResult =
      Number(row?.num) >= 140_000
        ? { name: 'database', status: 'ok', message: `PostgreSQL ${String(row?.version)} answers` }
        : {
            name: 'database',
            status: 'fail',
            message: `PostgreSQL ${String(row?.version)} is too old`,
            fix: 'Duet needs PostgreSQL 14 or newer',
          };
    return [database, await migrationsCheck(db), await clockCheck(db), await knowledgeCheck(config, db)];
  } finally {
    await db.close();
  }
}

async function embeddedChecks(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  if (config.DATA_DIR === 'memory://')
    return [
      {
        name: 'database',
        status: 'skip',
        message: 'DATA_DIR=memory:// is a throw-away in-memory database; nothing to check',
      },
    ];
  if (!existsSync(join(config.DATA_DIR, 'pg'))) {
    return [
      {
        name: 'database',
        status: 'warn',
        message: `there is no embedded database in ${config.DATA_DIR} yet`,
        fix: '`npm start` (or `duet migrate`) creates it; check DATA_DIR if you expected one there',
      },
    ];
  }
  let db: Database;
  try {
    db = await openDatabase({ dataDir: config.DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirInUseError)
      return askServer(env.DUET_URL || `http://127.0.0.1:${config.PORT}`, error.message);
    return [
      {
        name: 'database',
        status: 'fail',
        message: `cannot open the embedded database in ${config.DATA_DIR}: ${(error as Error).message}`,
        fix: 'restore it from a backup (`duet restore`) into a new DATA_DIR',
      },
    ];
  }
  try {
    const clock: CheckResult = {
      name: 'clock',
      status: 'skip',
      message: "the embedded database runs on this machine's clock",
    };
    return [
      { name: 'database', status: 'ok', message: `embedded database in ${config.DATA_DIR} opens` },
      await migrationsCheck(db),
      clock,
      await knowledgeCheck(config, db),
    ];
  } finally {
    await db.close();
  }
}

/** The data dir belongs to a running process: ask the server's /ready what it sees. */
async function askServer(url: string, lockMessage: string): Promise<CheckResult[]> {
  const started = performance.now();
  let body: {
    checks?: { database?: { status: string; error?: string }; migrations?: { status: string; pending?: string[] } };
  };
  try {
    body = (await (await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(3000) })).json()) as typeof body;
  } catch (error) {
    return [
      {
        name: 'database',
        status: 'fail',
        message: `${lockMessage}, and no Duet server answers at ${url} (${(error as Error).message})`,
        fix: 'start the server, pass its address in DUET_URL, or stop the process holding the data dir',
      },
    ];
  }
  const ms = Math.round(performance.now() - started);
  const database = body.checks?.database;
  const migrations = body.checks?.migrations;
  return [
    database?.status === 'ok'
      ? {
          name: 'database',
          status: 'ok',
          message: `embedded database in use by the running server at ${url}; it answered /ready in ${ms} ms`,
        }
      : {
          name: 'database',
          status: 'fail',
          message: `the server at ${url} reports its database is not answering (${database?.error ?? 'no detail'})`,
          fix: 'look at the server log; restart it',
        },
    migrations?.status === 'ok'
      ? { name: 'migrations', status: 'ok', message: 'all applied (as the running server reports)' }
      : {
          name: 'migrations',
          status: 'fail',
          message: `the running server reports: ${migrations?.pending?.join(', ') ?? 'not applied'}`,
          fix: 'restore edited migration files, then restart the server',
        },
    { name: 'clock', status: 'skip', message: "the embedded database runs on this machine's clock" },
  ];
}
