import type { Config } from '../config/env.ts';

/** Browser origins besides Duet's own that may act with cookies: CORS_ORIGINS and the origin of PUBLIC_URL. */
export function trustedOrigins(config: Pick<Config, 'CORS_ORIGINS' | 'PUBLIC_URL'>): string[] {
  return [...config.CORS_ORIGINS, ...(config.PUBLIC_URL ? [new URL(config.PUBLIC_URL).origin] : [])];
}

/**
 * Whether a request carrying cookies comes from a page we trust: Duet's own (its Origin names the Host it was sent
 * to) or a trusted origin. Cookies ride along on cross-site requests, so this is the CSRF check of HTTP writes and
 * of cookie-authenticated sockets alike.
 */
export function fromTrustedOrigin(origin: string | undefined, host: string | undefined, trusted: string[]): boolean {
  if (!origin) return false;
  const own = URL.canParse(origin) && new URL(origin).host === host;
  return own || trusted.includes(origin);
}
