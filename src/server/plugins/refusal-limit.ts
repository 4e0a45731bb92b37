import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DuetError } from '../../model/errors.ts';
import type { RateLimiter } from '../rate-window.ts';

export interface RefusalLimitOptions {
  /** Counts refused (401) requests per address; its `perMinute` is AUTH_REFUSALS_PER_MINUTE. */
  limiter: RateLimiter;
  now?: () => number;
}

/** Beyond this many blocked addresses, expired blocks are swept before a new one is added. */
const SWEEP_AT = 10_000;

/**
 * Guessing credentials costs: an address whose requests were refused with 401 more than AUTH_REFUSALS_PER_MINUTE
 * times in a minute gets 429 on every /api request (and cannot even try a password) until its window passes.
 * Runs before authentication, so a blocked address costs no credential lookup. With Redis the count is shared
 * by every process; each process blocks the address once one of its own refusals crosses the limit.
 */
export const refusalLimitPlugin = fp(
  async (app: FastifyInstance, opts: RefusalLimitOptions) => {
    const now = opts.now ?? Date.now;
    const blockedUntil = new Map<string, number>();

    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const until = blockedUntil.get(request.ip);
      if (until === undefined) return;
      const waitMs = until - now();
      if (waitMs <= 0) {
        blockedUntil.delete(request.ip);
        return;
      }
      request.apiRateLimited = true;
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new DuetError(
        'rate_limited',
        `more than ${opts.limiter.perMinute} refused (401) requests a minute from this address (AUTH_REFUSALS_PER_MINUTE); check the credentials and try again in ${Math.ceil(waitMs / 1000)} s`,
      );
    });

    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode !== 401) return;
      const waitS = await opts.limiter.take(`refused:${request.ip}`);
      if (waitS <= 0) return;
      if (!blockedUntil.has(request.ip) && blockedUntil.size >= SWEEP_AT) {
        const t = now();
        for (const [ip, until] of blockedUntil) if (until <= t) blockedUntil.delete(ip);
      }
      blockedUntil.set(request.ip, now() + waitS * 1000);
    });
  },
  { name: 'duet-refusal-limit' },
);
