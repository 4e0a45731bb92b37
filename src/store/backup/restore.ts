import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../db.ts';
import { loadMigrations, migrate, migrationStatus } from '../migrate.ts';
import { countRows, quoteIdent, readCatalog, readTable, useStableTextForms, type Executor } from './catalog.ts';
import {
  encodeRow,
  TableChecksum,
  type BackupHeader,
  type BackupProgress,
  type RowValues,
  type TableInfo,
} from './format.ts';
import { openFile, readBackup, verifyBackupFile } from './read.ts';

/** The restore cannot go ahead as asked; nothing was changed. The message says what to do instead. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export interface RestoreResult {
  header: BackupHeader;
  rows: number;
  /** Migrations of this build the backup predates, applied after the data was loaded. */
  upgraded: string[];
}

/** Rows and bytes per insert statement at most. */
const MAX_BATCH_ROWS = 500;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export type CheckedBackup = Awaited<ReturnType<typeof verifyBackupFile>>;

/** Reads the whole file and checks it without opening any database, so a damaged file changes nothing. */
export function checkBackupFile(path: string, progress?: BackupProgress): Promise<CheckedBackup> {
  return verifyBackupFile(path, (known, checked) => {
    if (checked % 500 === 0) progress?.({ phase: 'check', table: '', doneRows: checked, totalRows: totalRows(known) });
  });
}

/**
 * Loads a backup file checked by `checkBackupFile` into `db`: creates the schema at the backup's migration level if
 * the database is blank, then loads and re-checks every table in one transaction (all or nothing), and finally
 * applies this build's newer migrations. Refuses a database holding data unless `force`.
 */
export async function restoreBackup(
  db: Database,
  path: string,
  checked: CheckedBackup,
  options: { force?: boolean; progress?: BackupProgress } = {},
): Promise<RestoreResult> {
  const { header, end } = checked;
  await prepareSchema(db, header);

  const total = totalRows(header);
  await db.orm.transaction(async (tx) => {
    await useStableTextForms(tx);
    const catalog = await readCatalog(tx);
    checkColumns(header.tables, catalog);
    await clearTarget(
      tx,
      catalog.map((t) => t.name),
      options.force ?? false,
    );

    let done = 0;
    let batch: RowValues[] = [];
    let batchBytes = 0;
    let current: TableInfo | undefined;
    const flush = async () => {
      if (current && batch.length > 0) await insertRows(tx, current, batch);
      done += batch.length;
      batch = [];
      batchBytes = 0;
      if (current) options.progress?.({ phase: 'restore', table: current.name, doneRows: done, totalRows: total });
    };
    for await (const record of readBackup(openFile(path))) {
      if (record.kind !== 'row') continue;
      if (record.table !== current?.name) {
        await flush();
        current = header.tables.find((t) => t.name === record.table)!;
      }
      batch.push(record.values);
      batchBytes += record.values.reduce((n, v) => n + (v?.length ?? 0), 0);
      if (batch.length >= batchRows(current) || batchBytes >= MAX_BATCH_BYTES) await flush();
    }
    await flush();
    await resetSequences(tx);

    let verified = 0;
    for (const table of header.tables) {
      const checksum = new TableChecksum();
      for await (const values of readTable(tx, table.name, table.columns)) checksum.add(encodeRow(values));
      const got = checksum.summary();
      const want = end.tables[table.name]!;
      if (got.rows !== want.rows || got.checksum !== want.checksum) {
        throw new Error(
          `after loading, ${table.name} has ${got.rows} rows (checksum ${got.checksum.slice(0, 12)}…) but the backup has ${want.rows} (checksum ${want.checksum.slice(0, 12)}…); nothing was restored`,
        );
      }
      verified += got.rows;
      options.progress?.({ phase: 'verify', table: table.name, doneRows: verified, totalRows: total });
    }
  });
  const upgraded = await migrate(db);
  return { header, rows: total, upgraded };
}

/** PostgreSQL takes at most 65 535 parameters per statement: wide tables get smaller batches. */
const batchRows = (table: TableInfo) =>
  Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(60_000 / table.columns.length)));

const totalRows = (header: BackupHeader) => header.tables.reduce((n, t) => n + t.rows, 0);

/** The target must be blank (then it gets the backup's schema) or at exactly the backup's migrations. */
async function prepareSchema(db: Database, header: BackupHeader): Promise<void> {
  const build = await loadMigrations();
  for (const entry of header.migrations) {
    const known = build.find((m) => m.id === entry.id);
    if (!known || known.tag !== entry.tag) {
      throw new RestoreRefusedError(
        `the backup was made by a newer Duet (${header.duetVersion}): this build does not know migration ${entry.tag}; restore it with Duet ${header.duetVersion} or later`,
      );
    }
    if (known.checksum !== entry.checksum) {
      throw new RestoreRefusedError(
        `migration ${entry.tag} in the backup differs from this build's file; restore it with the Duet version that made it (${header.duetVersion})`,
      );
    }
  }
  const applied = (await migrationStatus(db)).filter((s) => s.status !== 'pending').map((s) => s.tag);
  const wanted = header.migrations.map((m) => m.tag);
  if (applied.length === 0) {
    await migrate(db, undefined, { upTo: header.migrations.at(-1)?.id ?? -1 });
    return;
  }
  if (applied.join() !== wanted.join()) {
    throw new RestoreRefusedError(
      `the target database is at schema ${applied.at(-1)} but the backup is at ${wanted.at(-1) ?? '(none)'}; restore into a blank database (a new DATA_DIR, or an empty PostgreSQL database) and Duet migrates it after loading`,
    );
  }
}

function checkColumns(tables: TableInfo[], catalog: Array<{ name: string; columns: TableInfo['columns'] }>): void {
  for (const table of tables) {
    const target = catalog.find((t) => t.name === table.name);
    const describe = (columns: TableInfo['columns']) => columns.map((c) => `${c.name} ${c.type}`).join(', ');
    if (!target)
      throw new RestoreRefusedError(`the target database has no table ${table.name}; restore into a blank database`);
    if (describe(target.columns) !== describe(table.columns)) {
      throw new RestoreRefusedError(
        `table ${table.name} has columns (${describe(target.columns)}) in the target but (${describe(table.columns)}) in the backup; restore into a blank database`,
      );
    }
  }
}

/**
 * Refuses a target with data unless `force`. A lone `default` workspace with nothing else is what every server
 * creates on start, so it counts as empty. Whatever is there goes, inside the restore's transaction.
 */
async function clearTarget(tx: Executor, tables: string[], force: boolean): Promise<void> {
  const counts = [];
  for (const table of tables) counts.push({ table, rows: await countRows(tx, table) });
  const occupied = counts.filter((c) => c.rows > 0);
  const onlyDefaultWorkspace =
    occupied.length === 1 &&
    occupied[0]!.table === 'workspaces' &&
    occupied[0]!.rows === 1 &&
    rowsOf(await tx.execute(sql`select slug from workspaces`))[0]?.slug === 'default';
  if (occupied.length > 0 && !force && !onlyDefaultWorkspace) {
    throw new RestoreRefusedError(
      `the target database is not empty (${occupied.map((c) => `${c.table}: ${c.rows} rows`).join(', ')}); restore into an empty database, or pass --force to replace everything in it`,
    );
  }
  if (occupied.length > 0) await tx.execute(sql.raw(`truncate table ${tables.map(quoteIdent).join(', ')}`));
}

async function insertRows(tx: Executor, table: TableInfo, rows: RowValues[]): Promise<void> {
  // Every value travels as text and is cast by the server, so `json` keeps its exact bytes on both engines.
  const casts = table.columns.map((c) => sql.raw(`::text::${c.type}`));
  const tuples = rows.map(
    (values) =>
      sql`(${sql.join(
        values.map((v, i) => sql`${v}${casts[i]}`),
        sql`, `,
      )})`,
  );
  const columns = sql.raw(table.columns.map((c) => quoteIdent(c.name)).join(', '));
  await tx.execute(
    sql`insert into ${sql.raw(quoteIdent(table.name))} (${columns}) overriding system value values ${sql.join(tuples, sql`, `)}`,
  );
}

/** Serial and identity columns continue after the restored rows. */
async function resetSequences(tx: Executor): Promise<void> {
  const serials = rowsOf(
    await tx.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and (column_default like 'nextval(%' or is_identity = 'YES')`),
  );
  for (const { table_name: table, column_name: column } of serials) {
    const t = quoteIdent(String(table));
    const c = quoteIdent(String(column));
    await tx.execute(
      sql.raw(
        `select setval(pg_get_serial_sequence('${t}', '${String(column)}'), coalesce((select max(${c}) from ${t}), 0) + 1, false)`,
      ),
    );
  }
}
