import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { exited, freePort, startDuetProcess, type DuetProcess } from './cli.ts';

export type { DuetProcess } from './cli.ts';

/** A real redis-server on loopback (Debian's package), started and stopped by the test. */
export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port, empty: a restart that lost everything in memory. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run does this)');
  }
  const port = await freePort();
  const dir = await mkdtemp(join(os.tmpdir(), 'duet-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    const auth = options.password ? ['--requirepass', options.password] : [];
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...auth],
      { stdio: 'ignore' },
    );
    const cliAuth = options.password ? ['--no-auth-warning', '-a', options.password] : [];
    for (let i = 0; i < 100; i++) {
      if (
        spawnSync('redis-cli', ['-p', String(port), ...cliAuth, 'ping'])
          .stdout?.toString()
          .trim() === 'PONG'
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited(child);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A `duet serve` or `duet worker` process on a free port; every one listens (a worker with --port) so the test knows it is up. */
export async function startDuet(args: string[], env: Record<string, string>): Promise<DuetProcess> {
  return startDuetProcess(args, { LOG_LEVEL: 'warn', ...env }, await freePort());
}
