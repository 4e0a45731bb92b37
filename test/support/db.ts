import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.ts';

/** A private, migrated, in-memory database cloned from the suite's template. */
export async function openTestDatabase(): Promise<Database> {
  const bytes = await readFile(inject('pgliteTemplate'));
  return openDatabase({ dataDir: 'memory://', pgliteDump: new Blob([bytes]) });
}
