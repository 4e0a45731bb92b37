import type { BackupProgress } from '../store/backup/format.ts';

type ProgressEvent = Parameters<BackupProgress>[0];

const VERBS: Record<ProgressEvent['phase'], string> = {
  backup: 'backing up',
  check: 'checking',
  restore: 'restoring',
  verify: 'verifying',
};

/** `[######..........]  37%`: a bar and the percentage of `done` out of `total`. Pure. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** One progress line: a bar, the percentage, what is being done, and rows done out of the total. Pure. */
export function progressLine(event: ProgressEvent, width = 24): string {
  const what = event.table ? `${VERBS[event.phase]} ${event.table}` : VERBS[event.phase];
  return `${progressBar(event.doneRows, event.totalRows, width)} ${what} (${event.doneRows}/${event.totalRows} rows)`;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal (at most 10 times a second), otherwise a plain line when
 * a phase starts and then at most every 5 s, so logs and CI output stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  report: BackupProgress;
  done(): void;
} {
  let last = '';
  let lastDraw = 0;
  let drawn = false;
  return {
    report(event) {
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && event.doneRows < event.totalRows) return;
        lastDraw = now;
        stream.write(
          `\r${progressLine(event)
            .padEnd(stream.columns ? stream.columns - 1 : 80)
            .slice(0, (stream.columns ?? 81) - 1)}`,
        );
        drawn = true;
        return;
      }
      const now = Date.now();
      if (event.phase === last && now - lastDraw < 5000) return;
      last = event.phase;
      lastDraw = now;
      stream.write(
        `  ${VERBS[event.phase]}: ${event.doneRows}/${event.totalRows} rows${event.table ? ` (${event.table})` : ''}\n`,
      );
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
