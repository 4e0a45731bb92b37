import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './db.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 7_310_221;

export interface Migration {
  id: number;
  tag: string;
  checksum: string;
  statements: string[];
}

export interface MigrationState {
  id: number;
  tag: string;
  status: 'applied' | 'pending' | 'changed';
  appliedAt: Date | null;
}

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

/** The migrations shipped with this build, in order (written by `npm run db:generate`). */
export async function loadMigrations(): Promise<Migration[]> {
  const journal = JSON.parse(await readFile(new URL('meta/_journal.json', MIGRATIONS_DIR), 'utf8')) as Journal;
  return Promise.all(
    journal.entries.map(async (entry) => {
      const text = await readFile(new URL(`${entry.tag}.sql`, MIGRATIONS_DIR), 'utf8');
      return {
        id: entry.idx,
        tag: entry.tag,
        checksum: createHash('sha256').update(text).digest('hex'),
        statements: text
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    }),
  );
}

/** Creates the ledger under the migration lock: concurrent `create table if not exists` can still collide. */
const ensureLedger = (db: Database) =>
  db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`
    create table if not exists duet_migrations (
      id integer primary key,
      tag text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
  });

interface LedgerRow {
  id: number;
  tag: string;
  checksum: string;
  applied_at: Date | string;
}

async function readLedger(db: Database): Promise<Map<number, LedgerRow>> {
  const [exists] = rowsOf(await db.orm.execute(sql`select to_regclass('duet_migrations') is not null as present`));
  if (!exists?.present) return new Map();
  const result = await db.orm.execute(sql`select id, tag, checksum, applied_at from duet_migrations order by id`);
  return new Map((rowsOf(result) as unknown as LedgerRow[]).map((r) => [Number(r.id), r]));
}

/** Applied, pending and changed-since-applied migrations, for `duet migrate status` and /ready. */
export async function migrationStatus(db: Database): Promise<MigrationState[]> {
  const [migrations, ledger] = await Promise.all([loadMigrations(), readLedger(db)]);
  return migrations.map((m) => {
    const row = ledger.get(m.id);
    const status = !row ? 'pending' : row.checksum === m.checksum ? 'applied' : 'changed';
    return { id: m.id, tag: m.tag, status, appliedAt: row ? new Date(row.applied_at) : null };
  });
}

/**
 * Applies every pending migration, each in its own transaction together with its ledger row,
 * so a failure leaves the database at the last fully applied migration.
 */
export async function migrate(
  db: Database,
  onApplied?: (tag: string) => void,
  options: { upTo?: number } = {},
): Promise<string[]> {
  await ensureLedger(db);
  const applied: string[] = [];
  for (const migration of await loadMigrations()) {
    // A restore recreates the schema a backup was made at (`upTo`), loads it, then migrates the rest.
    if (options.upTo !== undefined && migration.id > options.upTo) break;
    const didApply = await db.orm.transaction(async (tx) => {
      // Another process may be migrating too: wait for it, then re-check inside the lock.
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
      const existing = rowsOf(await tx.execute(sql`select checksum from duet_migrations where id = ${migration.id}`));
      if (existing.length > 0) return false;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into duet_migrations (id, tag, checksum) values (${migration.id}, ${migration.tag}, ${migration.checksum})`,
      );
      return true;
    });
    if (didApply) {
      applied.push(migration.tag);
      onApplied?.(migration.tag);
    }
  }
  return applied;
}
