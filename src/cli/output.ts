import type { Problem } from '../model/problem.ts';

/** One line per problem, located, so a person can jump straight to it. */
export function formatProblems(problems: Problem[]): string {
  return problems
    .map((p) => {
      const where = p.path || '(document)';
      const subject = p.nodeId ? ` [node ${p.nodeId}]` : p.edgeId ? ` [edge ${p.edgeId}]` : '';
      return `  ✗ ${where}${subject}: ${p.message} (${p.code})`;
    })
    .join('\n');
}

/** A plain fixed-width table for list commands. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
