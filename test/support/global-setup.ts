import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * A brand-new PGlite takes seconds to create; a dump of one already migrated loads in well under
 * a second. So the suite creates and migrates one database once and every test clones it.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'duet-test-'));
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const client = (db.orm as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('gzip');
  await db.close();
  const file = join(dir, 'template.tar.gz');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
