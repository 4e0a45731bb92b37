import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AUTH_BASE_PATH, type Auth } from '../../auth/better-auth.ts';
import { toHeaders } from '../../auth/principal.ts';
import { DuetError } from '../../model/errors.ts';
import type { Database } from '../../store/db.ts';
import type { SignInLockout } from '../../store/users.ts';
import {
  countUsers,
  createPasswordUser,
  emailSchema,
  nameSchema,
  passwordSchema,
  publicUser,
} from '../../store/users.ts';
import { ownOrigin, refuseLocked, signInCookies } from '../sign-in.ts';
import type { ZodApp } from '../zod.ts';

const setupBody = z.strictObject({ email: emailSchema, password: passwordSchema, name: nameSchema.optional() });
const SIGN_IN_PATH = `${AUTH_BASE_PATH}/sign-in/email`;
/** Hop-by-hop and length headers do not survive re-encoding the body. */
const DROPPED = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie']);

export interface AuthRoutesOptions {
  db: Database;
  auth: Auth;
  lockout: SignInLockout;
}

/** A fastify request as the Web Request better-auth expects (the JSON body was already parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = toHeaders(request.headers);
  headers.delete('content-length');
  const body =
    request.body === undefined || request.method === 'GET' || request.method === 'HEAD'
      ? undefined
      : JSON.stringify(request.body);
  return new Request(new URL(request.url, ownOrigin(request)), { method: request.method, headers, body });
}

async function relay(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.status(response.status);
  response.headers.forEach((value, name) => {
    if (!DROPPED.has(name)) reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  const text = await response.text();
  return reply.send(text === '' ? undefined : text);
}

/**
 * Sign-in, sign-out and sessions are better-auth's (`/api/auth/*`), with our lockout in front of password sign-in.
 * First-run setup makes the first account, an instance admin, while no account exists.
 */
export async function authRoutes(app: ZodApp, opts: AuthRoutesOptions) {
  const { db, auth, lockout } = opts;
  const tags = ['accounts'];

  app.route({
    method: ['GET', 'POST'],
    url: `${AUTH_BASE_PATH}/*`,
    config: { access: 'public' },
    schema: {
      tags,
      summary:
        'better-auth: sign-in/email, sign-out, get-session, revoke-sessions (sign out everywhere), list-sessions, sign-in/social, callbacks',
    },
    handler: async (request, reply) => {
      const email = request.url.startsWith(SIGN_IN_PATH)
        ? (request.body as { email?: unknown } | undefined)?.email
        : undefined;
      if (typeof email !== 'string') {
        // Sign-out and sign-out everywhere end the session they arrive with: name its user in the audit log first.
        if (request.method === 'POST' && request.headers.cookie) {
          const found = await auth.api.getSession({ headers: toHeaders(request.headers) }).catch(() => null);
          if (found) request.auditActor = { type: 'user', id: found.user.id, label: found.user.email };
        }
        return relay(reply, await auth.handler(webRequest(request)));
      }
      request.auditActor = { type: 'anonymous', id: null, label: email.slice(0, 254) };
      await refuseLocked(lockout, email, reply);
      const response = await auth.handler(webRequest(request));
      if (response.status === 401) await lockout.failed(email);
      else if (response.ok) await lockout.succeeded(email);
      return relay(reply, response);
    },
  });

  app.get(
    '/api/v1/setup',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Whether this instance still needs its first admin account' },
    },
    async () => ({ needsFirstAdmin: (await countUsers(db.orm)) === 0 }),
  );

  app.post(
    '/api/v1/setup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Create the first account (instance admin, admin of the default workspace) and sign in; only while no account exists',
        body: setupBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const user = await db.orm.transaction(async (tx) => {
        // Two first-run forms submitted at once: the lock makes the second see the first account and stop.
        await tx.execute(sql`lock table users in exclusive mode`);
        if ((await countUsers(tx)) > 0)
          throw new DuetError('conflict', 'this instance already has accounts; sign in, or ask an admin to invite you');
        return createPasswordUser(tx, { ...body, instanceAdmin: true });
      });
      request.auditActor = { type: 'user', id: user.id, label: user.email };
      const cookies = await signInCookies(auth, request, body);
      return reply
        .status(201)
        .header('set-cookie', cookies)
        .send({ user: publicUser(user) });
    },
  );
}
