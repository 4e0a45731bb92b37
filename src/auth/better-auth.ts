import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/env.ts';
import type { Database } from '../store/db.ts';
import { authAccounts, authVerifications, sessions, users } from '../store/schema.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../store/users.ts';
import { trustedOrigins } from './origins.ts';

export const AUTH_BASE_PATH = '/api/auth';

/**
 * better-auth over our own tables: email + password (scrypt), sessions in httpOnly SameSite=Lax cookies,
 * GitHub/Google when their credentials are set. Sign-up is closed: accounts come from the first-admin setup,
 * invitations and the CLI, which create them through the same tables.
 */
export function createAuth(db: Database, config: Config, secret: string, log: FastifyBaseLogger) {
  const secure = config.PUBLIC_URL?.startsWith('https://') ?? false;
  const trusted = trustedOrigins(config);
  const socialProviders = {
    ...(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET
      ? { github: { clientId: config.GITHUB_CLIENT_ID, clientSecret: config.GITHUB_CLIENT_SECRET } }
      : {}),
    ...(config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET
      ? { google: { clientId: config.GOOGLE_CLIENT_ID, clientSecret: config.GOOGLE_CLIENT_SECRET } }
      : {}),
  };
  return betterAuth({
    appName: 'Duet',
    secret,
    basePath: AUTH_BASE_PATH,
    // Without PUBLIC_URL, links and callbacks use the address each request came to (better-auth's own default);
    // saying so explicitly keeps it from warning on every default start.
    baseURL: config.PUBLIC_URL ?? { allowedHosts: ['*'], protocol: 'auto' },
    database: drizzleAdapter(db.orm as never, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: authAccounts, verification: authVerifications },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
    },
    socialProviders,
    user: { additionalFields: { instanceAdmin: { type: 'boolean', input: false, defaultValue: false } } },
    // Same-origin callers (the bundled UI) and the CORS allow-list may sign in with cookies.
    trustedOrigins: (request) => [...trusted, request ? new URL(request.url).origin : undefined],
    advanced: { useSecureCookies: secure, defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure } },
    // Failed sign-ins are counted by our lockout and requests by the API rate limit.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: {
      log: (level, message) => {
        const write =
          level === 'error' ? log.error.bind(log) : level === 'warn' ? log.warn.bind(log) : log.debug.bind(log);
        write({ component: 'auth' }, message);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
