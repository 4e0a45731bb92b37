import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizedServer } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duet-doctor-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('duet doctor', () => {
  it('names each configuration problem, marks it ✗ and exits 1', async () => {
    const result = await runCli(['doctor'], { PORT: 'x', LOG_FORMAT: 'xml' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ configuration: 2 problem(s)');
    expect(result.stdout).toMatch(/PORT: .*\(got "x"\)/);
    expect(result.stdout).toMatch(/LOG_FORMAT: .*\(got "xml"\)/);
    expect(result.stdout).toContain('1 check(s) failed');
  });

  it('warns about a missing database and low disk space', async () => {
    const result = await runCli(['doctor'], { DATA_DIR: join(root, 'none'), DISK_FREE_WARN_MB: '10000000' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/⚠ database: there is no embedded database in .*none yet\n\s+→ `npm start`/);
    expect(result.stdout).toMatch(/⚠ disk: only .* free for DATA_DIR .* \(warning below DISK_FREE_WARN_MB=10000000\)/);
  });

  it('asks the running server when it holds the data dir, and opens the database itself once it is stopped', async () => {
    const dataDir = join(root, 'live');
    const server = await startAuthorizedServer({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    try {
      const live = await runCli(['doctor'], { DATA_DIR: dataDir, PORT: new URL(server.url).port });
      expect(live.stdout).toMatch(
        /✓ database: embedded database in use by the running server at http:\/\/127\.0\.0\.1:\d+; it answered \/ready/,
      );
      expect(live.stdout).toContain('✓ migrations: all applied (as the running server reports)');
      expect(live.code).toBe(0);
    } finally {
      await server.close();
    }
    const stopped = await runCli(['doctor'], { DATA_DIR: dataDir });
    expect(stopped.stdout).toMatch(/✓ database: embedded database in .*live opens/);
    expect(stopped.stdout).toMatch(/✓ migrations: all \d+ applied \(latest \d{4}_\w+\)/);
    expect(stopped.stdout).toMatch(/✓ disk: .* free for DATA_DIR/);
    expect(stopped.stdout).toContain('All checks passed.');
    expect(stopped.code).toBe(0);
  }, 90_000);
});
