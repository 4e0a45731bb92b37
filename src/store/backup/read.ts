import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import {
  endSchema,
  headerSchema,
  MAX_LINE_BYTES,
  TableChecksum,
  type BackupEnd,
  type BackupHeader,
  type RowValues,
} from './format.ts';

/** The file is not a complete, intact Duet backup; the message says what is wrong. */
export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

export type BackupRecord =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'row'; table: string; values: RowValues }
  | { kind: 'end'; end: BackupEnd };

/** Splits a byte stream into UTF-8 lines, refusing any line over `MAX_LINE_BYTES`. */
async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES)
        throw new BackupFileError(`a line is longer than ${MAX_LINE_BYTES} bytes; this is not a Duet backup`);
    }
  }
  if (pendingBytes > 0) throw new BackupFileError('the file ends in the middle of a line: it is truncated');
}

function parse<T>(line: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BackupFileError(`${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new BackupFileError(
      `${what} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * Reads a backup stream (gzip) record by record and checks it as it goes: the header, the tables in the
 * header's order, each row's width, and at the end every table's row count and checksum. Any problem throws a
 * BackupFileError before the offending record is yielded; a stream that ends before the `end` record throws too.
 */
export async function* readBackup(compressed: Readable): AsyncGenerator<BackupRecord> {
  const gunzip = createGunzip();
  compressed.on('error', (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  let header: BackupHeader | undefined;
  let tableIndex = -1;
  let checksum = new TableChecksum();
  const computed = new Map<string, ReturnType<TableChecksum['summary']>>();
  let ended = false;
  try {
    for await (const line of lines(gunzip)) {
      if (ended) throw new BackupFileError('there is data after the end record');
      if (!header) {
        if (!line.startsWith('{"type":"header"'))
          throw new BackupFileError('it does not start with a Duet backup header');
        header = parse(line, headerSchema, 'the header');
        yield { kind: 'header', header };
        continue;
      }
      if (line.startsWith('[')) {
        const table = header.tables[tableIndex];
        if (!table) throw new BackupFileError('a row comes before any table');
        const values = parse(line, rowSchema, `a row of ${table.name}`);
        if (values.length !== table.columns.length)
          throw new BackupFileError(
            `a row of ${table.name} has ${values.length} values for ${table.columns.length} columns`,
          );
        checksum.add(line);
        yield { kind: 'row', table: table.name, values };
        continue;
      }
      const marker = JSON.parse(line) as { type?: string; name?: string };
      if (tableIndex >= 0) computed.set(header.tables[tableIndex]!.name, checksum.summary());
      if (marker.type === 'table') {
        tableIndex++;
        const expected = header.tables[tableIndex];
        if (!expected || marker.name !== expected.name)
          throw new BackupFileError(
            `table ${String(marker.name)} is not the one the header lists next (${expected?.name ?? 'none'})`,
          );
        checksum = new TableChecksum();
        continue;
      }
      const end = parse(line, endSchema, 'the end record');
      verifyEnd(header, computed, end);
      ended = true;
      yield { kind: 'end', end };
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
      throw new BackupFileError(`it is not gzip data or it is damaged (${(error as Error).message})`);
    if (error instanceof SyntaxError) throw new BackupFileError(`a line is not valid JSON (${error.message})`);
    throw error;
  } finally {
    gunzip.destroy();
    compressed.destroy();
  }
  if (!header) throw new BackupFileError('it is empty');
  if (!ended) throw new BackupFileError('it ends before its end record: it is truncated');
}

const rowSchema = z.array(z.string().nullable());

function verifyEnd(
  header: BackupHeader,
  computed: Map<string, { rows: number; checksum: string }>,
  end: BackupEnd,
): void {
  for (const table of header.tables) {
    const got = computed.get(table.name);
    const want = end.tables[table.name];
    if (!got) throw new BackupFileError(`table ${table.name} is missing`);
    if (!want) throw new BackupFileError(`the end record has no checksum for ${table.name}`);
    if (got.rows !== table.rows || got.rows !== want.rows)
      throw new BackupFileError(`table ${table.name} has ${got.rows} rows but the backup says ${want.rows}`);
    if (got.checksum !== want.checksum)
      throw new BackupFileError(
        `the rows of ${table.name} do not match their checksum: the file was altered or damaged`,
      );
  }
}

/** Reads a whole backup file to check it, without touching any database; returns its header and summary. */
export async function verifyBackupFile(
  path: string,
  onRow?: (header: BackupHeader, rowsRead: number) => void,
): Promise<{ header: BackupHeader; end: BackupEnd }> {
  let header: BackupHeader | undefined;
  let end: BackupEnd | undefined;
  let rowsRead = 0;
  for await (const record of readBackup(openFile(path))) {
    if (record.kind === 'header') header = record.header;
    else if (record.kind === 'end') end = record.end;
    else onRow?.(header!, ++rowsRead);
  }
  return { header: header!, end: end! };
}

export function openFile(path: string): Readable {
  return createReadStream(path);
}
