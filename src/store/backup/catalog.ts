import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Orm } from '../db.ts';
import { dependencyOrder, type Column, type RowValues } from './format.ts';

/** Anything that runs SQL: the ORM or a transaction of it. */
export type Executor = Pick<Orm, 'execute'>;

/** The migration ledger is carried in the backup header, not as data. */
export const LEDGER_TABLE = 'duet_migrations';

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Text forms must not depend on the session: both ends of a backup read and write them like this. */
export async function useStableTextForms(tx: Executor): Promise<void> {
  await tx.execute(sql`set local timezone to 'UTC'`);
  await tx.execute(sql`set local datestyle to 'ISO, YMD'`);
  await tx.execute(sql`set local intervalstyle to 'postgres'`);
  await tx.execute(sql`set local extra_float_digits to 1`);
}

/** The data tables of the `public` schema (the ledger excluded) in foreign-key order, with their columns. */
export async function readCatalog(tx: Executor): Promise<Array<{ name: string; columns: Column[] }>> {
  const tableRows = rowsOf(
    await tx.execute(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> ${LEDGER_TABLE}`),
  );
  const columnRows = rowsOf(
    await tx.execute(sql`
    select c.relname as table_name, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    order by c.relname, a.attnum`),
  );
  const referenceRows = rowsOf(
    await tx.execute(sql`
    select src.relname as "from", dst.relname as "to" from pg_constraint k
    join pg_class src on src.oid = k.conrelid join pg_class dst on dst.oid = k.confrelid
    join pg_namespace n on n.oid = src.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`),
  );
  const names = tableRows.map((r) => String(r.name));
  const order = dependencyOrder(
    names,
    referenceRows.map((r) => ({ from: String(r.from), to: String(r.to) })),
  );
  return order.map((name) => ({
    name,
    columns: columnRows
      .filter((c) => c.table_name === name)
      .map((c) => ({ name: String(c.name), type: String(c.type) })),
  }));
}

export async function countRows(tx: Executor, table: string): Promise<number> {
  const [row] = rowsOf(await tx.execute(sql.raw(`select count(*)::int as n from ${quoteIdent(table)}`)));
  return Number(row?.n ?? 0);
}

/** A select of every column as text, aliased c0…cN so duplicate-looking names cannot collide. */
export function selectAsText(table: string, columns: Column[]): SQL {
  return sql.raw(
    `select ${columns.map((c, i) => `${quoteIdent(c.name)}::text as c${i}`).join(', ')} from ${quoteIdent(table)}`,
  );
}

export function rowValues(row: Record<string, unknown>, width: number): RowValues {
  return Array.from({ length: width }, (_, i) => {
    const value = row[`c${i}`];
    return value === null || value === undefined ? null : String(value);
  });
}

/**
 * Streams a table's rows through a cursor, `batch` at a time, inside the caller's transaction:
 * memory stays bounded however large the table is.
 */
export async function* readTable(
  tx: Executor,
  table: string,
  columns: Column[],
  batch = 500,
): AsyncGenerator<RowValues> {
  const cursor = `duet_backup_${table}`;
  await tx.execute(sql`declare ${sql.raw(quoteIdent(cursor))} no scroll cursor for ${selectAsText(table, columns)}`);
  try {
    for (;;) {
      const rows = rowsOf(await tx.execute(sql.raw(`fetch ${batch} from ${quoteIdent(cursor)}`)));
      for (const row of rows) yield rowValues(row, columns.length);
      if (rows.length < batch) break;
    }
  } finally {
    // After a failed statement the transaction is aborted and the cursor gone; the original error matters.
    await tx.execute(sql.raw(`close ${quoteIdent(cursor)}`)).catch(() => {});
  }
}
