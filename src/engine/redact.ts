/** Keys whose values are credentials: they are kept out of stored step inputs (and so out of the API). */
const SECRET_KEY = /authorization|cookie|password|passwd|secret|token|api[-_]?key|credential/i;

/** A copy of a value with every credential-looking field replaced. Pure. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(item)]));
}
