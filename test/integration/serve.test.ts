import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, freePort, runCli, runCliInTerminal, startServeProcess } from '../support/cli.ts';
import { fetchJson } from '../support/http.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'duet-serve-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('duet serve as a process', () => {
  it('guards its embedded database, refuses a busy port, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = await startServeProcess({ DATA_DIR: dataDir }, port);
    let poll: Promise<{ status: number }> | undefined;
    try {
      const busy = await runCli(['migrate'], { DATA_DIR: dataDir });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`in use by another Duet process (pid ${child.pid})`);

      const portTaken = await runCli(['serve'], {
        DATA_DIR: join(dataDir, 'other'),
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      expect(portTaken.code).toBe(1);
      expect(portTaken.stderr).toContain('set PORT');

      const lines = output()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

      // A reader long-polling a waiting execution must not hold up the shutdown.
      const base = `http://127.0.0.1:${port}`;
      await fetchJson(`${base}/api/v1/workflows`, {
        method: 'POST',
        body: {
          name: 'Gate',
          nodes: [
            { id: 'start', type: 'start', name: 'Start' },
            { id: 'gate', type: 'approval', name: 'Gate', config: { prompt: 'ok?' } },
          ],
          edges: [{ id: 'e', source: 'start', target: 'gate' }],
        },
      });
      await fetchJson(`${base}/api/v1/workflows/gate/versions`, { method: 'POST' });
      const { body } = await fetchJson(`${base}/api/v1/workflows/gate/executions?waitMs=500`, {
        method: 'POST',
        body: {},
      });
      poll = fetchJson(`${base}/api/v1/executions/${body.id}/events?after=100&waitMs=30000`);
    } finally {
      child.kill('SIGTERM');
    }
    const stopping = Date.now();
    expect(await exited(child)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect((await poll)?.status).toBe(200);
    expect(output()).toContain('shutting down');

    // The lock went with the process: the CLI can open the database now.
    const status = await runCli(['migrate', 'status'], { DATA_DIR: dataDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/0000_foundation\s+applied/);
  }, 120_000);

  it('tells a person at a terminal where to open it, and starts without warnings on the default settings', async () => {
    const port = await freePort();
    const env = { DATA_DIR: join(dataDir, 'terminal'), PORT: String(port), LOG_LEVEL: 'info' };
    const screen = await runCliInTerminal(['serve'], env, [
      // Ctrl+C, as a person stops it (the test would time out if it did not).
      { after: 'in your browser', keys: '\u0003' },
    ]);
    expect(screen).toContain(`Duet is ready: open http://localhost:${port} in your browser (Ctrl+C stops it).`);
    const warnings = screen
      .split('\n')
      .filter((line) => line.startsWith('{') && JSON.parse(line).level >= 40)
      .map((line) => JSON.parse(line).msg as string);
    // The development secrets warning is expected on a default start; nothing else is.
    expect(warnings.filter((msg) => !msg.includes('BETTER_AUTH_SECRET'))).toEqual([]);
  }, 120_000);

  it('keeps `duet run` following an execution across a server restart', async () => {
    const port = await freePort();
    const env = { DATA_DIR: join(dataDir, 'restart') };
    let server = await startServeProcess(env, port);
    try {
      const created = await fetchJson(`${server.url}/api/v1/workflows`, {
        method: 'POST',
        body: {
          name: 'Pause',
          nodes: [
            { id: 'start', type: 'start', name: 'Start' },
            { id: 'nap', type: 'wait', name: 'Nap', config: { durationMs: 6000 } },
          ],
          edges: [{ id: 'e', source: 'start', target: 'nap' }],
        },
      });
      expect(created.status).toBe(201);
      await fetchJson(`${server.url}/api/v1/workflows/pause/versions`, { method: 'POST' });
      const following = runCli(['run', 'pause', '--url', server.url], { DUET_API_KEY: server.key }, 90_000);
      await waitFor(async () => {
        const { body } = await fetchJson(`${server.url}/api/v1/executions?workflowId=pause`);
        return body.items?.[0]?.status === 'waiting';
      });
      await server.stop();
      server = await startServeProcess({ ...env, DUET_API_KEY: server.key }, port);
      const result = await following;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('reconnecting…');
      expect(result.stdout).toContain('(reconnected)');
      expect(result.stdout).toContain('■ completed');
    } finally {
      await server.stop();
    }
  }, 180_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
