/** One line of `duet doctor`: what was checked, how it went, and for anything not ok, what to do. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  message: string;
  fix?: string;
}

const MARK: Record<CheckResult['status'], string> = { ok: '✓', warn: '⚠', fail: '✗', skip: '-' };

/** The report as text, and whether the process should fail (any ✗). Pure. */
export function formatReport(results: CheckResult[]): { text: string; failed: boolean } {
  const lines = results.map(
    (r) => `  ${MARK[r.status]} ${r.name}: ${r.message}${r.fix && r.status !== 'ok' ? `\n      → ${r.fix}` : ''}`,
  );
  const failures = results.filter((r) => r.status === 'fail').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  const summary =
    failures > 0
      ? `${failures} check(s) failed${warnings ? `, ${warnings} warning(s)` : ''}: fix the ✗ lines above and run \`duet doctor\` again.`
      : `All checks passed${warnings ? ` (${warnings} warning(s))` : ''}.`;
  return { text: `${lines.join('\n')}\n${summary}`, failed: failures > 0 };
}
