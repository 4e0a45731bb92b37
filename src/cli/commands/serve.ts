import type { Command } from 'commander';
import { loadConfig } from '../../config/env.ts';
import { startServer } from '../../server/start.ts';

const SHUTDOWN_DEADLINE_MS = 10_000;

export function registerServe(program: Command) {
  program.command('serve')
    .description('start the API server; creates and migrates the embedded database on first start')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 3000)')
    .option('-H, --host <host>', 'address to bind (env HOST, default 0.0.0.0)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig({ ...process.env, ...(options.port ? { PORT: options.port } : {}), ...(options.host ? { HOST: options.host } : {}) });
      const server = await startServer(config);
      server.app.log.info({ url: server.url, database: server.db.kind }, `Duet is running at ${server.url}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) process.exit(1); // a second signal means "now"
        stopping = true;
        server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
        const deadline = setTimeout(() => {
          server.app.log.error('shutdown took too long; exiting');
          process.exit(1);
        }, SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        server.close().then(() => process.exit(0), (error: unknown) => {
          server.app.log.error({ err: error }, 'error while shutting down');
          process.exit(1);
        });
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
