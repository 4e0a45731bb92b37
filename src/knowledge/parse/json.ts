import { unreadable } from './errors.ts';

/**
 * JSON as readable lines: an array's items are paragraphs, each a `path: value` line per leaf, so a record's
 * fields stay together in one passage.
 */
export function jsonToText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreadable(`the JSON is not valid (${error instanceof Error ? error.message : String(error)})`);
  }
  const records = Array.isArray(value) ? value : [value];
  return records
    .map((record) => leaves(record, '').join('\n'))
    .filter(Boolean)
    .join('\n\n');
}

function leaves(value: unknown, path: string): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => leaves(item, path ? `${path}.${key}` : key));
  return [path ? `${path}: ${String(value)}` : String(value)];
}
