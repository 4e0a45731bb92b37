import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { DuetError } from '../../model/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Refused by the API rate limit (not audited: a flood would otherwise write a row per refusal). */
    apiRateLimited?: boolean;
  }
}

export interface ApiRateLimitOptions {
  perMinute: number;
  /** Queue mode: counters in Redis, so the limit holds across every server process. */
  redis?: Redis;
}

/** The API is counted; health, metrics, the web app's files and the API's own docs page are not. */
const counted = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');

/** One budget per user or API key, wherever they call from; anonymous callers (sign-in, setup) share one per address. */
export const rateKeyOf = (request: FastifyRequest) =>
  request.principal ? `${request.principal.kind}:${request.principal.id}` : `ip:${request.ip}`;

/**
 * API_RATE_LIMIT_PER_MINUTE requests per caller per minute on /api. It runs at preValidation: after authentication
 * has named the caller, before any body is validated or handled. Over the limit: 429 with Retry-After (seconds) and
 * the error envelope; every counted answer carries x-ratelimit-limit/-remaining/-reset. Requests refused by
 * authentication are not counted (they cost one key lookup and name nobody to count against).
 */
export const apiRateLimitPlugin = fp(
  async (app: FastifyInstance, opts: ApiRateLimitOptions) => {
    await app.register(rateLimit, {
      hook: 'preValidation',
      max: opts.perMinute,
      timeWindow: 60_000,
      cache: 10_000,
      keyGenerator: rateKeyOf,
      allowList: (request) => !counted(request.url),
      // A Redis outage must not take the API down with it; /ready reports the outage.
      skipOnError: true,
      onExceeded: (request) => {
        request.apiRateLimited = true;
      },
      errorResponseBuilder: (request, context) =>
        new DuetError(
          'rate_limited',
          `more than ${context.max} API requests a minute ${request.principal ? 'by this account or API key' : 'from this address'} (API_RATE_LIMIT_PER_MINUTE); try again in ${context.after}`,
        ),
      ...(opts.redis ? { redis: opts.redis, nameSpace: 'duet:api-rate:' } : {}),
    });
  },
  { name: 'duet-api-rate-limit', dependencies: ['duet-auth'] },
);
