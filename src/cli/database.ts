import { loadConfig, type Config } from '../config/env.ts';
import { DuetError } from '../model/errors.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ensureDefaultWorkspace } from '../store/workspaces.ts';
import { CliError } from './read-json.ts';

/** Runs a command against the configured database and always closes it. */
export async function withDatabase<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2 });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

/** Provisioning against the configured database, before (or without) a running server: migrates first. */
export async function provision<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T> {
  return withDatabase(async (db, config) => {
    await migrate(db);
    await ensureDefaultWorkspace(db);
    try {
      return await work(db, config);
    } catch (error) {
      if (error instanceof DuetError) throw new CliError(error.message);
      throw error;
    }
  });
}
