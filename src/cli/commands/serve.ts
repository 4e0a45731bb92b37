import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/env.ts';
import { startServer, startWorker, type Running } from '../../main/start.ts';
import { CliError } from '../read-json.ts';

const SHUTDOWN_DEADLINE_MS = 10_000;

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('start the API server; creates and migrates the embedded database on first start')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 3000)')
    .option('-H, --host <host>', 'address to bind (env HOST, default 0.0.0.0)')
    .option('--no-worker', 'queue mode (REDIS_URL): only accept and serve; `duet worker` processes run the executions')
    .action(async (options: { port?: string; host?: string; worker: boolean }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
      });
      if (!options.worker && !config.REDIS_URL)
        throw new CliError(
          '--no-worker needs queue mode: set REDIS_URL (and DATABASE_URL) so that `duet worker` processes can run the executions',
        );
      await run(
        config,
        startServer(config, { work: options.worker }),
        (server) =>
          `Duet is running at ${server.url}${config.REDIS_URL ? (options.worker ? ' (queue mode, also running executions)' : ' (queue mode, serving only)') : ''}`,
        (server) => `Duet is ready: open ${server.url} in your browser (Ctrl+C stops it).`,
      );
    });

  program
    .command('worker')
    .description('queue mode: run executions taken from the Redis queue (needs REDIS_URL and DATABASE_URL)')
    .option('-c, --concurrency <n>', 'executions run at once by this process (default MAX_CONCURRENT_EXECUTIONS)')
    .option('-p, --port <port>', 'also serve /health, /ready, /metrics and the API on this port (default: no HTTP)')
    .action(async (options: { concurrency?: string; port?: string }) => {
      const config = loadConfig({ ...process.env, ...(options.port ? { PORT: options.port } : {}) });
      if (!config.REDIS_URL)
        throw new CliError(
          'duet worker takes its work from Redis: set REDIS_URL=redis://… and DATABASE_URL=postgres://… (the same as the servers)',
        );
      const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000)) {
        throw new CliError(`--concurrency must be a whole number from 1 to 10000, not "${options.concurrency}"`);
      }
      const workOptions = concurrency ? { concurrency } : {};
      const running = `Duet worker is running (concurrency ${concurrency ?? config.MAX_CONCURRENT_EXECUTIONS})`;
      // Without --port a worker opens no HTTP port at all.
      if (options.port === undefined) await run(config, startWorker(config, workOptions), () => running);
      else
        await run(
          config,
          startServer(config, { work: true, ...workOptions }),
          (server) => `${running}; health at ${server.url}/health`,
        );
    });
}

/**
 * Waits for the start, announces (in the log, and to a person at a terminal in plain words), and on SIGTERM/SIGINT
 * finishes in-flight work within the deadline.
 */
async function run<T extends Running & { url?: string }>(
  config: Config,
  starting: Promise<T>,
  announce: (server: T) => string,
  greet?: (server: T) => string,
): Promise<void> {
  const server = await starting;
  const log = server.services.log;
  log.info({ url: server.url, database: server.db.kind, queue: Boolean(config.REDIS_URL) }, announce(server));
  if (greet && process.stdout.isTTY) process.stdout.write(`\n  ${greet(server)}\n\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal means "now"
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
