import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { BackupFileError } from '../../store/backup/read.ts';
import { checkBackupFile, restoreBackup, RestoreRefusedError } from '../../store/backup/restore.ts';
import { withDatabase } from '../database.ts';
import { progressReporter } from '../progress.ts';
import { CliError } from '../read-json.ts';

export function registerRestore(program: Command) {
  program
    .command('restore')
    .description(
      'load a backup into an empty database (embedded DATA_DIR or DATABASE_URL) and verify row counts and checksums; the server must be stopped',
    )
    .argument('<file>', 'a file written by `duet backup`')
    .option('--force', 'replace everything in a database that already holds data')
    .action(async (file: string, options: { force?: boolean }) => {
      if (
        !(await stat(file).then(
          (s) => s.isFile(),
          () => false,
        ))
      )
        throw new CliError(`cannot read ${file}: the file does not exist or is not a file`);
      const progress = progressReporter();
      try {
        // The whole file is checked before any database is opened, so a damaged file creates and changes nothing.
        const checked = await checkBackupFile(file, progress.report);
        const result = await withDatabase((db) =>
          restoreBackup(db, file, checked, { force: options.force, progress: progress.report }),
        );
        progress.done();
        const { header } = result;
        console.log(
          `✓ restored ${file}: ${result.rows} rows in ${header.tables.length} tables, verified (made ${header.createdAt} by Duet ${header.duetVersion} on ${header.engine}, schema ${header.migrations.at(-1)?.tag ?? 'empty'})`,
        );
        for (const tag of result.upgraded) console.log(`  ✓ then applied migration ${tag}`);
      } catch (error) {
        progress.done();
        if (error instanceof BackupFileError)
          throw new CliError(`${file} is not a usable Duet backup: ${error.message}; nothing was restored`);
        if (error instanceof RestoreRefusedError) throw new CliError(`nothing was restored: ${error.message}`);
        throw error;
      }
    });
}
