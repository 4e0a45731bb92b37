import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of a graph's canonical JSON, so the same graph hashes the same whatever its key order.
 * Takes any JSON value: stored drafts are hashed as they were saved.
 */
export function graphHash(graph: unknown): string {
  return createHash('sha256').update(canonicalJson(graph)).digest('hex');
}

/** JSON with object keys sorted at every depth; `undefined` members are left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
