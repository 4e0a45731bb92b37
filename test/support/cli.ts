import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_ENV } from './config.ts';
import { useApiKey } from './http.ts';

const BIN = fileURLToPath(new URL('../../bin/duet.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `duet` binary in a child process. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...TEST_ENV, ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`duet ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Makes an admin API key of the default workspace with the real CLI, against the database `env` configures. */
export async function provisionApiKey(env: Record<string, string>): Promise<string> {
  const made = await runCli(['api-keys', 'create', '--role', 'admin', '--name', 'tests'], env);
  if (made.code !== 0) throw new Error(`duet api-keys create failed:\n${made.stderr}${made.stdout}`);
  return made.stdout.trim().split('\n').at(-1)!;
}

/** A `duet` process running in the background. */
export interface BackgroundDuet {
  child: ChildProcess;
  output(): string;
  /** Signals it (SIGTERM unless told) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A `duet` process that serves HTTP (`serve`, or `worker --port`). */
export interface DuetProcess extends BackgroundDuet {
  url: string;
  /** An admin API key of the default workspace (serve only), already registered for `fetchJson`. */
  key: string;
}

/** Spawns `duet <args>` with its output collected. */
function spawnDuet(args: string[], env: Record<string, string>): BackgroundDuet {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...TEST_ENV, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited(child);
    },
  };
}

/** Resolves once `ready` says the process is up; fails when it exits or takes over a minute. */
async function waitUntil(duet: BackgroundDuet, args: string[], ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const code = duet.child.exitCode;
    if (code !== null) throw new Error(`duet ${args.join(' ')} exited with ${code}:\n${duet.output()}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  duet.child.kill('SIGKILL');
  throw new Error(`duet ${args.join(' ')} did not start:\n${duet.output()}`);
}

/** Starts `duet <args> --port <port>` in a child process and resolves once it answers /health. */
export async function startDuetProcess(
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<DuetProcess> {
  const key = args[0] === 'serve' ? (env.DUET_API_KEY ?? (await provisionApiKey(env))) : '';
  const url = `http://127.0.0.1:${port}`;
  const duet = spawnDuet([...args, '--port', String(port)], env);
  await waitUntil(duet, args, () =>
    fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ),
  );
  if (key) useApiKey(url, key);
  return { ...duet, url, key };
}

/** Starts `duet worker <args>` without `--port` and resolves once it says it is running. */
export async function startPortlessWorker(args: string[], env: Record<string, string>): Promise<BackgroundDuet> {
  const duet = spawnDuet(['worker', ...args], env);
  await waitUntil(duet, ['worker', ...args], async () => duet.output().includes('Duet worker is running'));
  return duet;
}

/** The TCP ports a process listens on (Linux: its socket descriptors matched against /proc/net/tcp{,6}). */
export function listeningPorts(pid: number): number[] {
  const sockets = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        // closed since the listing
      }
      return /^socket:\[(\d+)\]$/.exec(target)?.[1] ?? [];
    }),
  );
  const LISTEN = '0A';
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns[3] === LISTEN && sockets.has(columns[9]!))
      .map((columns) => parseInt(columns[1]!.split(':').at(-1)!, 16)),
  );
}

/** Starts `duet serve` in a child process and resolves once it answers /health. */
export function startServeProcess(env: Record<string, string>, port: number): Promise<DuetProcess> {
  return startDuetProcess(['serve'], env, port);
}

/** Resolves with the exit code once the child ends. */
export function exited(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal has no exit code, only a signal code.
  const gone = child.exitCode !== null || child.signalCode !== null;
  return gone ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `duet` in a real pseudo-terminal (util-linux `script`), as a person at a keyboard would: each step waits
 * until the screen shows `after`, then types `keys`. Resolves with everything the terminal showed, as text.
 */
export function runCliInTerminal(
  args: string[],
  env: Record<string, string>,
  steps: Array<{ after: string | RegExp; keys: string }>,
  timeoutMs = 60_000,
): Promise<string> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, ...TEST_ENV, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let next = 0;
    let searchFrom = 0;
    child.stdout!.on('data', (d: Buffer) => {
      screen += d.toString();
      const step = steps[next];
      if (!step) return;
      const seen = screen.slice(searchFrom);
      if (typeof step.after === 'string' ? seen.includes(step.after) : step.after.test(seen)) {
        searchFrom = screen.length;
        next += 1;
        child.stdin!.write(step.keys);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`duet ${args.join(' ')} in a terminal timed out; the screen showed:\n${screen}`));
    }, timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      // Without the cursor movements the terminal was sent, as a person reads the screen.
      resolve(screen.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), ''));
    });
  });
}
