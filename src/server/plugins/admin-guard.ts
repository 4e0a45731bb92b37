import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DuetError } from '../../model/errors.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const PROXY_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'];

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may call admin routes until accounts and roles exist (the seam the auth plugin replaces):
 * with ADMIN_TOKEN set, whoever sends `Authorization: Bearer <ADMIN_TOKEN>`; without it, only a caller on this
 * machine talking to Duet directly (loopback peer, no proxy headers, so a local reverse proxy does not open it up).
 */
export function adminGuard(adminToken: string | undefined) {
  return async (request: FastifyRequest) => {
    if (adminToken) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!given)
        throw new DuetError(
          'unauthorized',
          'admin routes need `Authorization: Bearer <ADMIN_TOKEN>`; the CLI sends it when ADMIN_TOKEN is set in its environment',
        );
      if (!timingSafeEqual(digest(given), digest(adminToken)))
        throw new DuetError('forbidden', 'the admin token is wrong; use the ADMIN_TOKEN the server was started with');
      return;
    }
    const direct =
      LOOPBACK.has(request.socket.remoteAddress ?? '') && PROXY_HEADERS.every((h) => request.headers[h] === undefined);
    if (!direct) {
      throw new DuetError(
        'forbidden',
        'admin routes answer only callers on the same machine unless ADMIN_TOKEN is set; set ADMIN_TOKEN on the server and send it as a Bearer token',
      );
    }
  };
}
