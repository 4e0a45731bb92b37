/** A NUL, or a UTF-16 surrogate without its pair: PostgreSQL refuses the first, and neither is text anyone typed. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnsafeText {
  /** Where it sits, as `a.b[2]` (a key is reported at the key's own path). */
  path: string;
  what: 'a NUL character' | 'an unpaired surrogate';
}

function describe(text: string): UnsafeText['what'] | null {
  const found = UNSAFE.exec(text);
  if (!found) return null;
  return found[0] === '\u0000' ? 'a NUL character' : 'an unpaired surrogate';
}

/**
 * The first string (or object key) inside a parsed JSON value, route parameters or a query that holds a NUL or a
 * lone surrogate; null when all text is clean. Iterative, so that a deeply nested body cannot overflow the stack.
 */
export function findUnsafeText(value: unknown): UnsafeText | null {
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [current, path] = item;
    if (typeof current === 'string') {
      const what = describe(current);
      if (what) return { path, what };
    } else if (Array.isArray(current)) {
      current.forEach((child, i) => pending.push([child, `${path}[${i}]`]));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        const what = describe(key);
        if (what) return { path: at.replace(UNSAFE, '�'), what };
        pending.push([child, at]);
      }
    }
  }
  return null;
}

/** The message for a caller that sent such text, in the request's `where` (params, query, body, payload). */
export function unsafeTextMessage(where: string, found: UnsafeText): string {
  const at = found.path ? ` at ${found.path}` : '';
  return (
    `the request ${where} contains ${found.what}${at}; remove it ` +
    '(text may not contain NUL characters or unpaired UTF-16 surrogates)'
  );
}
