import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A Duet backup is gzip-compressed JSON lines:
 *   1. a header object: format, engine, the migration ledger, and every table with its columns and row count;
 *   2. per table, a `{"type":"table","name":…}` line, then one JSON array per row holding each column's
 *      PostgreSQL text form (null for NULL), so `json` columns keep their exact bytes and key order;
 *   3. an `end` object with each table's row count and checksum.
 * Text forms are read with TimeZone UTC and DateStyle ISO on both sides, so they are the same on PGlite and PostgreSQL.
 */
export const BACKUP_FORMAT = 'duet-backup';
export const BACKUP_FORMAT_VERSION = 1;
/** A row line larger than this is refused on reading: a bound on what one line may make us hold in memory. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case SQL identifier');

export const columnSchema = z.object({
  name: identifier,
  type: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-z0-9_ (),.[\]"]+$/),
});
export type Column = z.infer<typeof columnSchema>;

export const tableSchema = z.object({
  name: identifier,
  columns: z.array(columnSchema).min(1),
  rows: z.number().int().min(0),
});
export type TableInfo = z.infer<typeof tableSchema>;

export const migrationEntrySchema = z.object({
  id: z.number().int().min(0),
  tag: z.string().min(1),
  checksum: z.string().min(1),
});
export type MigrationEntry = z.infer<typeof migrationEntrySchema>;

export const headerSchema = z.object({
  type: z.literal('header'),
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  duetVersion: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  createdAt: z.string(),
  migrations: z.array(migrationEntrySchema),
  tables: z.array(tableSchema),
});
export type BackupHeader = z.infer<typeof headerSchema>;

export const tableSummarySchema = z.object({
  rows: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TableSummary = z.infer<typeof tableSummarySchema>;

export const endSchema = z.object({ type: z.literal('end'), tables: z.record(z.string(), tableSummarySchema) });
export type BackupEnd = z.infer<typeof endSchema>;

/** Reported as rows go by: what is being done, the table, and rows done out of the total. */
export type BackupProgress = (event: {
  phase: 'backup' | 'check' | 'restore' | 'verify';
  table: string;
  doneRows: number;
  totalRows: number;
}) => void;

/** One row as it is written: the JSON array of its columns' text forms. */
export type RowValues = Array<string | null>;
export const encodeRow = (values: RowValues): string => JSON.stringify(values);

const MOD = 1n << 256n;

/**
 * An order-independent table checksum: the sum of the rows' SHA-256 digests modulo 2^256. Order-independent
 * because PGlite and PostgreSQL may sort text differently (collations), and a restore re-reads the rows to check.
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  add(line: string): void {
    this.rows++;
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(line).digest('hex')}`)) % MOD;
  }

  summary(): TableSummary {
    return { rows: this.rows, checksum: this.sum.toString(16).padStart(64, '0') };
  }
}

/** The file name `duet backup` gives a backup made at `at`; sorting names sorts by time. */
export function backupFileName(at: Date): string {
  return `duet-backup-${at.toISOString().replace(/[-:.]/g, '')}.ndjson.gz`;
}

const BACKUP_NAME = /^duet-backup-\d{8}T\d{9}Z\.ndjson\.gz$/;

/** Which of a directory's file names `--keep N` deletes: backups beyond the N newest; other files are never touched. */
export function backupsToPrune(names: string[], keep: number): string[] {
  const backups = names.filter((n) => BACKUP_NAME.test(n)).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}

/** Tables in an order that inserts parents before children; self-references are ignored. Pure. */
export function dependencyOrder(tables: string[], references: Array<{ from: string; to: string }>): string[] {
  const pending = new Set(tables);
  const parents = new Map(
    tables.map((t) => [
      t,
      new Set(references.filter((r) => r.from === t && r.to !== t && pending.has(r.to)).map((r) => r.to)),
    ]),
  );
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => [...parents.get(t)!].every((p) => !pending.has(p))).sort();
    if (ready.length === 0)
      throw new Error(`foreign keys form a cycle between tables ${[...pending].sort().join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      pending.delete(t);
    }
  }
  return ordered;
}
