import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, freePort } from './cli.ts';

const BIN = fileURLToPath(new URL('../../bin/duet.js', import.meta.url));

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
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...auth], { stdio: 'ignore' });
    const cliAuth = options.password ? ['--no-auth-warning', '-a', options.password] : [];
    for (let i = 0; i < 100; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), ...cliAuth, 'ping']).stdout?.toString().trim() === 'PONG') return;
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

/** A `duet serve` or `duet worker` process; every one listens (a worker with --port) so the test knows it is up. */
export interface DuetProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startDuet(args: string[], env: Record<string, string>): Promise<DuetProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, ...args, '--port', String(port)], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`duet ${args.join(' ')} exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`duet ${args.join(' ')} did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, child, output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited(child);
    },
  };
}
