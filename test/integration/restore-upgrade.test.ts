import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRow, TableChecksum, type RowValues } from '../../src/store/backup/format.ts';
import { checkBackupFile, restoreBackup } from '../../src/store/backup/restore.ts';
import { writeBackup } from '../../src/store/backup/write.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrationStatus } from '../../src/store/migrate.ts';
import { startTestApp } from '../support/app.ts';
import { approvalGraph, dumpTables } from '../support/backup.ts';
import { publish, start, until } from '../support/workflows.ts';
import { SHIPPED_MIGRATIONS } from '../support/migrations.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-upgrade-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ACCOUNT_TABLES = [
  'users',
  'sessions',
  'auth_accounts',
  'auth_verifications',
  'members',
  'invitations',
  'api_keys',
  'audit_log',
  'secrets',
];
const LATER_TABLES = [
  'conversations',
  'conversation_turns',
  ...ACCOUNT_TABLES,
  'sign_in_failures',
  'triggers',
  'trigger_fires',
  'knowledge_bases',
  'knowledge_documents',
  'knowledge_chunks',
  'sms_settings',
  'sms_contacts',
  'sms_opt_outs',
  'sms_inbound',
  'sms_outbox',
  'assistant_contacts',
  'tasks',
];
/** What the backup (made after 0001_engine) lacks and the restore applies. */
const LATER_MIGRATIONS = SHIPPED_MIGRATIONS.slice(SHIPPED_MIGRATIONS.indexOf('0002_conversations'));
/** Columns 0003 added to executions; an older backup's executions rows lack them. */
const LATER_COLUMNS = ['lease_owner', 'lease_expires_at'];

/** Turns a backup into one an older Duet (before 0002_conversations) would have written. */
function asOlderBackup(text: string): string {
  const lines = text.trimEnd().split('\n');
  const header = JSON.parse(lines[0]!);
  header.migrations = header.migrations.filter((m: { tag: string }) => !LATER_MIGRATIONS.includes(m.tag));
  header.tables = header.tables.filter((t: { name: string }) => !LATER_TABLES.includes(t.name));
  const executions = header.tables.find((t: { name: string }) => t.name === 'executions');
  const dropped = executions.columns.flatMap((c: { name: string }, i: number) =>
    LATER_COLUMNS.includes(c.name) ? [i] : [],
  );
  executions.columns = executions.columns.filter((c: { name: string }) => !LATER_COLUMNS.includes(c.name));
  const end = JSON.parse(lines.at(-1)!);
  for (const name of LATER_TABLES) delete end.tables[name];
  const body: string[] = [];
  let table = '';
  const checksum = new TableChecksum();
  for (const line of lines.slice(1, -1)) {
    const marker = line.startsWith('{') ? (JSON.parse(line) as { type: string; name: string }) : null;
    if (marker?.type === 'table') table = marker.name;
    if (LATER_TABLES.includes(table)) continue;
    if (table === 'executions' && !marker) {
      const row = encodeRow((JSON.parse(line) as RowValues).filter((_, i) => !dropped.includes(i)));
      checksum.add(row);
      body.push(row);
    } else {
      body.push(line);
    }
  }
  end.tables.executions = checksum.summary();
  return `${[JSON.stringify(header), ...body, JSON.stringify(end)].join('\n')}\n`;
}

describe('restoring a backup from an older schema', () => {
  it("creates the backup's schema, loads it, then applies the newer migrations", async () => {
    const app = await startTestApp();
    const slug = await publish(app.app, approvalGraph());
    const waiting = (await start(app.app, slug, { input: { amount: 3 } })).body;
    await until(app.app, waiting.id, ['waiting']);
    const current = join(dir, 'current.ndjson.gz');
    await writeBackup(app.db, createWriteStream(current), 'test');
    const original = await dumpTables(app.db);
    await app.close();

    const older = join(dir, 'older.ndjson.gz');
    await writeFile(older, gzipSync(asOlderBackup(gunzipSync(await readFile(current)).toString('utf8'))));
    const target = await openDatabase({ dataDir: 'memory://' });
    try {
      const checked = await checkBackupFile(older);
      expect(checked.header.migrations.map((m) => m.tag)).toEqual(['0000_foundation', '0001_engine']);
      const result = await restoreBackup(target, older, checked);
      expect(result.upgraded).toEqual(LATER_MIGRATIONS);
      expect((await migrationStatus(target)).every((m) => m.status === 'applied')).toBe(true);
      // The older backup had no room for the later tables: they come back empty, everything else as it was.
      const withoutLater = Object.fromEntries(
        Object.entries(original).map(([name, rows]) => [name, LATER_TABLES.includes(name) ? [] : rows]),
      );
      expect(await dumpTables(target)).toEqual(withoutLater);
    } finally {
      await target.close();
    }
  });
});
