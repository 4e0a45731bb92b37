import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_BASE_PATH, type Auth } from '../auth/better-auth.ts';
import { DuetError } from '../model/errors.ts';
import type { SignInLockout } from '../store/users.ts';

/** The origin the caller reached us at (scheme and Host header). */
export const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? 'localhost'}`;

/**
 * Signs an account in through better-auth and gives its session cookies, for accounts just created (first admin,
 * accepted invitation) or proven by password (accepting an invitation with an existing account).
 */
export async function signInCookies(
  auth: Auth,
  request: FastifyRequest,
  credentials: { email: string; password: string },
): Promise<string[]> {
  const origin = ownOrigin(request);
  const response = await auth.handler(
    new Request(new URL(`${AUTH_BASE_PATH}/sign-in/email`, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(credentials),
    }),
  );
  if (!response.ok)
    throw new DuetError('unauthorized', 'the email and password do not match an account; check them and try again');
  return response.headers.getSetCookie();
}

/** Refuses a password sign-in to an account locked by repeated failures: 429 with Retry-After. */
export async function refuseLocked(lockout: SignInLockout, email: string, reply: FastifyReply): Promise<void> {
  const lockedMs = await lockout.lockedFor(email);
  if (lockedMs <= 0) return;
  reply.header('retry-after', String(Math.ceil(lockedMs / 1000)));
  throw new DuetError(
    'rate_limited',
    `too many failed sign-ins for this email; try again in ${Math.ceil(lockedMs / 60_000)} minute(s) or ask an admin to reset your password`,
  );
}
