import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/main/services.ts';
import { buildApp } from '../../src/server/app.ts';
import { checkBackupFile, restoreBackup } from '../../src/store/backup/restore.ts';
import { writeBackup } from '../../src/store/backup/write.ts';
import { openDatabase } from '../../src/store/db.ts';
import { authorizeInject, startTestApp } from '../support/app.ts';
import { approvalGraph, dumpTables } from '../support/backup.ts';
import { runCli } from '../support/cli.ts';
import { testConfig } from '../support/config.ts';
import { createScratchDatabase } from '../support/postgres.ts';
import { command, publish, start, until } from '../support/workflows.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-backup-pg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backup across engines', () => {
  it('moves an embedded database to PostgreSQL and back with identical bytes, and a waiting approval continues on PostgreSQL', async () => {
    const embedded = await startTestApp();
    const slug = await publish(embedded.app, approvalGraph());
    const started = await start(embedded.app, slug, { input: { zeta: 'z', amount: 99.5 } });
    await until(embedded.app, started.body.id, ['waiting']);
    const fromEmbedded = join(dir, 'embedded.ndjson.gz');
    await writeBackup(embedded.db, createWriteStream(fromEmbedded), 'test');
    const original = await dumpTables(embedded.db);
    await embedded.close();

    const scratch = await createScratchDatabase();
    try {
      const restored = await runCli(['restore', fromEmbedded], { DATABASE_URL: scratch.url });
      expect(restored.stderr).not.toContain('Error');
      expect(restored.code).toBe(0);
      const pg = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
      try {
        expect(await dumpTables(pg)).toEqual(original);
        const fromPostgres = join(dir, 'postgres.ndjson.gz');
        const written = await writeBackup(pg, createWriteStream(fromPostgres), 'test');
        expect(written.header.engine).toBe('postgres');

        const back = await openDatabase({ dataDir: 'memory://' });
        try {
          await restoreBackup(back, fromPostgres, await checkBackupFile(fromPostgres));
          expect(await dumpTables(back)).toEqual(original);
        } finally {
          await back.close();
        }
        const config = testConfig();
        const app = await buildApp({ config, db: pg, services: await buildServices(config, pg) });
        await authorizeInject(app, pg);
        try {
          await app.engine.recover();
          expect((await command(app, started.body.id, 'approval', { decision: 'approve' })).status).toBeLessThan(300);
          const done = await until(app, started.body.id, ['completed', 'failed']);
          expect(JSON.stringify(done.output)).toBe(
            '{"approved":true,"prep":{"zeta":1,"alpha":99.5,"mid":[3,{"y":1,"b":2}]}}',
          );
        } finally {
          await app.close();
        }
      } finally {
        await pg.close();
      }
    } finally {
      await scratch.drop();
    }
  });
});
