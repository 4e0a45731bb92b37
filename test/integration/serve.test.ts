import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, freePort, runCli, startServeProcess } from '../support/cli.ts';

let dataDir: string;
beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'duet-serve-')); });
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

describe('duet serve as a process', () => {
  it('guards its embedded database, refuses a busy port, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = await startServeProcess({ DATA_DIR: dataDir }, port);
    try {
      const busy = await runCli(['migrate'], { DATA_DIR: dataDir });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`in use by another Duet process (pid ${child.pid})`);

      const portTaken = await runCli(['serve'], { DATA_DIR: join(dataDir, 'other'), PORT: String(port), HOST: '127.0.0.1' });
      expect(portTaken.code).toBe(1);
      expect(portTaken.stderr).toContain('set PORT');

      const lines = output().trim().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
    expect(output()).toContain('shutting down');

    // The lock went with the process: the CLI can open the database now.
    const status = await runCli(['migrate', 'status'], { DATA_DIR: dataDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/0000_foundation\s+applied/);
  }, 120_000);
});
