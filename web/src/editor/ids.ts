/** Node ids are what templates call `steps.<id>`, so they are readable: `notify`, `function_2`. */
export function toNodeId(text: string): string {
  const cleaned = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 56);
  return /^[a-z_]/.test(cleaned) ? cleaned : `n_${cleaned}`.replace(/_+$/, '') || 'node';
}

/** The first of `base`, `base_2`, `base_3`… that nobody uses. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const root = toNodeId(base);
  if (!taken.has(root)) return root;
  for (let n = 2; ; n++) if (!taken.has(`${root}_${n}`)) return `${root}_${n}`;
}
