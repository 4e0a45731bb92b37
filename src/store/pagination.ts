import { DuetError } from '../model/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Position {
  createdAt: Date;
  id: string;
}

/** Opaque cursor: the (createdAt, id) of the last item returned, newest-first order. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new DuetError(
      'validation_failed',
      'cursor is not valid; pass the nextCursor value of a previous page unchanged',
    );
  }
}

/** Turns `limit + 1` fetched rows into a page; the extra row only proves there is more. */
export function toPage<R extends Position, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
