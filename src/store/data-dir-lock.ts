import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An embedded database belongs to one process: two PGlite instances on one directory corrupt it.
 * A pid file taken with O_EXCL guards it; a file left by a dead process is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'duet.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirInUseError(dataDir, null);
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `the embedded database in ${dataDir} is in use by another Duet process${pid ? ` (pid ${pid})` : ''}; ` +
        'stop it first, point DATA_DIR elsewhere, or use `duet workflows …` commands, which talk to the running server',
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
