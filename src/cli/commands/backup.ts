import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/env.ts';
import { DataDirInUseError } from '../../store/data-dir-lock.ts';
import { openDatabase } from '../../store/db.ts';
import type { BackupEnd, BackupHeader, BackupProgress } from '../../store/backup/format.ts';
import { pruneBackups, resolveBackupPath, writeAtomically } from '../../store/backup/files.ts';
import { BackupFileError, readBackup } from '../../store/backup/read.ts';
import { writeBackup } from '../../store/backup/write.ts';
import { DUET_VERSION } from '../../version.ts';
import { progressReporter } from '../progress.ts';
import { CliError } from '../read-json.ts';

interface BackupOptions {
  out?: string;
  keep?: string;
  url?: string;
}
type Written = { header: BackupHeader; end: BackupEnd };

export function registerBackup(program: Command) {
  program
    .command('backup')
    .description(
      'write a consistent, compressed backup of all data (embedded or PostgreSQL); asks the running server when it holds the embedded database',
    )
    .option('-o, --out <file-or-dir>', 'the backup file, or a directory for a dated file (default backups/)')
    .option('--keep <n>', 'afterwards keep only the N newest duet-backup-* files in that directory')
    .option(
      '--url <url>',
      'ask this running server for the backup (without --url, a server holding the embedded database is asked at DUET_URL or http://127.0.0.1:PORT)',
    )
    .action(async (options: BackupOptions) => {
      const keep = options.keep === undefined ? undefined : Number(options.keep);
      if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1))
        throw new CliError(`--keep must be a whole number of at least 1 (got "${options.keep}")`, 2);
      const config = loadConfig();
      const path = await resolveBackupPath(options.out, new Date());
      const progress = progressReporter();
      const result = await writeAtomically(path, (tmp) => backupTo(tmp, config, options.url, progress.report)).finally(
        progress.done,
      );
      const rows = Object.values(result.end.tables).reduce((n, t) => n + t.rows, 0);
      const size = (await stat(path)).size;
      console.log(
        `✓ wrote ${path} (${rows} rows in ${result.header.tables.length} tables, ${formatBytes(size)}, schema ${result.header.migrations.at(-1)?.tag ?? 'empty'}, from ${result.header.engine})`,
      );
      if (keep !== undefined) {
        for (const name of await pruneBackups(dirname(path), keep)) console.log(`  removed old backup ${name}`);
      }
    });
}

async function backupTo(
  tmp: string,
  config: Config,
  url: string | undefined,
  report: BackupProgress,
): Promise<Written> {
  const serverUrl = url ?? process.env.DUET_URL;
  if (url) return downloadBackup(tmp, url, report);
  let db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2 });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    // The server owns the embedded database: it makes the backup and streams it to us.
    return downloadBackup(tmp, serverUrl ?? `http://127.0.0.1:${config.PORT}`, report);
  }
  try {
    return await writeBackup(db, createWriteStream(tmp), DUET_VERSION, report);
  } finally {
    await db.close();
  }
}

/** Streams the server's backup into `tmp` and checks it on the way (header, row counts, checksums, end record). */
async function downloadBackup(tmp: string, url: string, report: BackupProgress): Promise<Written> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/v1/admin/backup', url), {
      method: 'POST',
      headers: process.env.ADMIN_TOKEN ? { authorization: `Bearer ${process.env.ADMIN_TOKEN}` } : {},
    });
  } catch (error) {
    throw new CliError(
      `the embedded database is in use, so the backup must come from the running server, but it cannot be reached at ${url} (${(error as Error).cause ?? (error as Error).message}); pass --url or set DUET_URL`,
    );
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    const message = (() => {
      try {
        return (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        return text.slice(0, 200);
      }
    })();
    throw new CliError(`the server at ${url} refused the backup (${response.status}): ${message}`);
  }
  const source = Readable.fromWeb(response.body as never);
  const file = createWriteStream(tmp);
  const check = new PassThrough();
  // A write error (disk full) ends the reading below with it. Once we give up on the file (destroy below), a write
  // still in flight fails too; that error is about a file being thrown away and must not crash the CLI.
  file.on('error', (error) => check.destroy(error));
  source.pipe(file);
  source.pipe(check);
  let header: BackupHeader | undefined;
  let end: BackupEnd | undefined;
  let done = 0;
  try {
    for await (const record of readBackup(check)) {
      if (record.kind === 'header') header = record.header;
      else if (record.kind === 'end') end = record.end;
      else if (++done % 200 === 0)
        report({ phase: 'backup', table: record.table, doneRows: done, totalRows: total(header!) });
    }
    await finished(file);
  } catch (error) {
    source.destroy();
    file.destroy();
    if (error instanceof BackupFileError || (error as Error).name === 'TypeError') {
      throw new CliError(
        `the backup from ${url} broke off or is damaged (${(error as Error).message}); nothing was written; see the server log`,
      );
    }
    throw error;
  }
  report({ phase: 'backup', table: '', doneRows: done, totalRows: total(header!) });
  return { header: header!, end: end! };
}

const total = (header: BackupHeader) => header.tables.reduce((n, t) => n + t.rows, 0);

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
