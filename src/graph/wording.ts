/** A readable list of names for messages, cut short so a 500-node graph does not flood them. */
export function listNames(names: Iterable<string | null>, max = 20): string {
  const all = [...names].map((n) => (n === null ? '(no handle)' : n));
  if (all.length === 0) return '(none)';
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown} and ${all.length - max} more` : shown;
}
