import { afterAll } from 'vitest';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { describeKnowledgeSuite } from '../support/knowledge-suite.ts';
import { createScratchDatabase } from '../support/postgres.ts';

// Debian's PostgreSQL 15 has no pgvector: the same behaviour must hold with vectors ranked by exact cosine in SQL.
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describeKnowledgeSuite('knowledge bases on PostgreSQL without pgvector (exact cosine)', {
  open: async () => {
    const scratch = await createScratchDatabase();
    drops.push(scratch.drop);
    const db = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
    await migrate(db);
    return db;
  },
  vectorSearch: 'exact-cosine',
});
