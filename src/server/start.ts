import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/env.ts';
import type { Services } from './services.ts';
import type { Database } from '../store/db.ts';
import { buildApp } from './app.ts';

/**
 * Mounts the HTTP app on the services and listens on HOST:PORT; returns it and the address it answers on.
 * Closing the app closes the services too; if listening fails, it is closed here.
 */
export async function serveHttp(
  config: Config,
  db: Database,
  services: Services,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ config, db, services });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return { app, url: `http://${shownHost}:${port}` };
}
