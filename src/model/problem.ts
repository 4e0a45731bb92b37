/** One thing wrong with a piece of input, located precisely enough to fix it. */
export interface Problem {
  /** Stable machine code, e.g. `unknown_node`, `cycle`, `invalid_expression`. */
  code: string;
  message: string;
  /** JSON path inside the document, e.g. `nodes[2].config.url`. Empty for the document itself. */
  path: string;
  nodeId?: string;
  edgeId?: string;
}

/** Renders a zod-style path (`['nodes', 2, 'config']`) as `nodes[2].config`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
