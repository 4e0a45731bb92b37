import { loadConfig, type Config } from '../config/env.ts';
import { openDatabase, type Database } from '../store/db.ts';

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
