import { unreadable } from './errors.ts';

/** Longest CSV accepted, in rows: each becomes a paragraph. */
const MAX_ROWS = 100_000;

/**
 * Each row as a paragraph of `column: value` pairs named by the header row, so a passage stands on its own.
 * RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
 */
export function csvToText(text: string): string {
  const rows = parseCsv(text);
  const [header, ...records] = rows;
  if (!header || records.length === 0) throw unreadable('the CSV needs a header row and at least one record');
  return records
    .map((record) =>
      record
        .map((value, i) => `${header[i]?.trim() || `column ${i + 1}`}: ${value.trim()}`)
        .filter((line) => !line.endsWith(': '))
        .join('\n'),
    )
    .filter(Boolean)
    .join('\n\n');
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
      if (rows.length > MAX_ROWS) throw unreadable(`the CSV has more than ${MAX_ROWS} rows`);
    } else field += ch;
  }
  if (quoted) throw unreadable('the CSV has a quoted field that is never closed');
  endField();
  if (row.some((value) => value !== '')) rows.push(row);
  return rows;
}
