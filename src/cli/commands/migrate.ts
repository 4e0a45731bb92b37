import type { Command } from 'commander';
import { migrate, migrationStatus } from '../../store/migrate.ts';
import { withDatabase } from '../database.ts';
import { formatTable } from '../output.ts';

export function registerMigrate(program: Command) {
  const command = program
    .command('migrate')
    .description('apply pending database migrations (embedded DATA_DIR or DATABASE_URL)')
    .action(async () => {
      await withDatabase(async (db) => {
        const applied = await migrate(db, (tag) => console.log(`  ✓ applied ${tag}`));
        console.log(
          applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s) to ${db.kind}.`,
        );
      });
    });

  command
    .command('status')
    .description('list migrations and whether each is applied')
    .action(async () => {
      await withDatabase(async (db) => {
        const states = await migrationStatus(db);
        console.log(
          formatTable(
            ['ID', 'MIGRATION', 'STATUS', 'APPLIED AT'],
            states.map((s) => [String(s.id), s.tag, s.status, s.appliedAt?.toISOString() ?? '-']),
          ),
        );
        const pending = states.filter((s) => s.status === 'pending').length;
        const changed = states.filter((s) => s.status === 'changed').length;
        if (changed > 0)
          console.log(
            `\n${changed} applied migration(s) differ from this build's files; do not edit applied migrations, add a new one.`,
          );
        if (pending > 0) console.log(`\n${pending} pending; run \`duet migrate\`.`);
        if (pending > 0 || changed > 0) process.exitCode = 1;
      });
    });
}
