import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { backupFileName, backupsToPrune } from './format.ts';

export const DEFAULT_BACKUP_DIR = 'backups';

/** `--out` may name a file, or a directory (existing, or written with a trailing slash) to put a dated file in. */
export async function resolveBackupPath(out: string | undefined, now: Date): Promise<string> {
  const target = out ?? `${DEFAULT_BACKUP_DIR}/`;
  const isDir =
    target.endsWith('/') ||
    (await stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  const path = isDir ? join(target, backupFileName(now)) : target;
  await mkdir(dirname(path), { recursive: true });
  return path;
}

/**
 * Runs `write` against a temporary file next to `path` and renames it into place only when `write` succeeds,
 * so a failed or interrupted backup never leaves a file that looks complete.
 */
export async function writeAtomically<T>(path: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = `${path}.partial`;
  try {
    const result = await write(tmp);
    await rename(tmp, path);
    return result;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Deletes all but the `keep` newest `duet-backup-*.ndjson.gz` files in `dir`; returns the deleted names. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const doomed = backupsToPrune(await readdir(dir), keep);
  for (const name of doomed) await rm(join(dir, name), { force: true });
  return doomed;
}
