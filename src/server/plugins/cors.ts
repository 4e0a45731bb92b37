import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Methods and headers a listed origin may use; the workspace header picks the workspace a call acts in. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-duet-workspace', 'x-request-id'];
const EXPOSED_HEADERS = [
  'retry-after',
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/** Whether a browser origin is on the CORS_ORIGINS allow-list (the same test for HTTP and socket.io). */
export const corsOriginCheck =
  (origins: string[]) => (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) =>
    callback(null, origin !== undefined && origins.includes(origin));

/**
 * CORS for the origins in CORS_ORIGINS only, with credentials (cookies) allowed for them. Any other origin gets no
 * Access-Control-* header at all, so the browser keeps the answer from its page; its preflight gets the JSON 404.
 * Duet's own pages are same-origin and need none of this.
 */
export const corsPlugin = fp(
  async (app: FastifyInstance, opts: { origins: string[] }) => {
    await app.register(cors, {
      origin: corsOriginCheck(opts.origins),
      credentials: true,
      methods: METHODS,
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  },
  { name: 'duet-cors' },
);
