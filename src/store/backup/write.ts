import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Database } from '../db.ts';
import { loadMigrations, migrationStatus } from '../migrate.ts';
import { countRows, readCatalog, readTable, useStableTextForms } from './catalog.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  encodeRow,
  TableChecksum,
  type BackupEnd,
  type BackupProgress,
  type BackupHeader,
  type TableSummary,
} from './format.ts';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * Writes a gzip-compressed backup of every table to `out` from one REPEATABLE READ, read-only transaction,
 * so the snapshot is consistent however long it takes (on PGlite other queries wait until it ends).
 * Resolves once `out` has received everything; rejects, and leaves `out` destroyed, on any failure.
 */
export async function writeBackup(
  db: Database,
  out: Writable,
  duetVersion: string,
  progress?: BackupProgress,
): Promise<{ header: BackupHeader; end: BackupEnd }> {
  const gzip = createGzip();
  const piping = pipeline(gzip, out);
  let failed: unknown;
  piping.catch((error: unknown) => {
    failed = error;
  });
  const write = async (line: string) => {
    if (failed) throw failed;
    if (!gzip.write(`${line}\n`)) await Promise.race([once(gzip, 'drain'), piping]);
  };

  try {
    const result = await db.orm.transaction(
      async (tx) => {
        await useStableTextForms(tx);
        const states = await migrationStatus({ ...db, orm: tx as never });
        const checksums = new Map((await loadMigrations()).map((m) => [m.id, m.checksum]));
        const applied = states.filter((s) => s.status === 'applied');
        if (states.some((s) => s.status === 'changed')) {
          throw new BackupError(
            'the database has a migration whose file changed since it was applied; run `duet migrate status` and fix that first',
          );
        }
        const catalog = await readCatalog(tx);
        const tables = [];
        for (const table of catalog) tables.push({ ...table, rows: await countRows(tx, table.name) });
        const header: BackupHeader = {
          type: 'header',
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          duetVersion,
          engine: db.kind,
          createdAt: new Date().toISOString(),
          migrations: applied.map((s) => ({ id: s.id, tag: s.tag, checksum: checksums.get(s.id)! })),
          tables,
        };
        await write(JSON.stringify(header));
        const totalRows = tables.reduce((n, t) => n + t.rows, 0);
        let doneRows = 0;
        const summaries: Record<string, TableSummary> = {};
        for (const table of tables) {
          await write(JSON.stringify({ type: 'table', name: table.name }));
          const checksum = new TableChecksum();
          progress?.({ phase: 'backup', table: table.name, doneRows, totalRows });
          for await (const values of readTable(tx, table.name, table.columns)) {
            const line = encodeRow(values);
            checksum.add(line);
            await write(line);
            doneRows++;
            if (doneRows % 200 === 0) progress?.({ phase: 'backup', table: table.name, doneRows, totalRows });
          }
          summaries[table.name] = checksum.summary();
          progress?.({ phase: 'backup', table: table.name, doneRows, totalRows });
        }
        const end: BackupEnd = { type: 'end', tables: summaries };
        await write(JSON.stringify(end));
        return { header, end };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    gzip.end();
    await piping;
    return result;
  } catch (error) {
    gzip.destroy(error as Error);
    out.destroy(error as Error);
    await piping.catch(() => {});
    throw error;
  }
}
