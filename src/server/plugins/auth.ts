import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Authenticator, Principal } from '../../auth/principal.ts';
import { requestedWorkspace, requirePermission, WORKSPACE_HEADER } from '../../auth/principal.ts';
import type { Access, Role } from '../../model/roles.ts';
import { fromTrustedOrigin } from '../../auth/origins.ts';
import { DuetError } from '../../model/errors.ts';
import { adminGuard } from './admin-guard.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say (the server refuses to start otherwise). */
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The workspace this request acts in ('' on routes that do not act in one); every store call is scoped to it. */
    workspaceId: string;
    role?: Role;
  }
  interface FastifyInstance {
    /** Every route with its access rule, as registered: the role × route matrix test is generated from it. */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export interface AuthPluginOptions {
  authenticator: Authenticator;
  /** Browser origins besides Duet's own that may write with cookies (CORS_ORIGINS). */
  trustedOrigins: string[];
  adminToken?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What an anonymous caller is told; `how` says where an API key goes on this channel. */
export const signInNeeded = (how = 'send `Authorization: Bearer <API key>`') =>
  `sign in first, or ${how} (create one in Settings → API keys or with \`duet api-keys create\`)`;

/** Routes outside /api (health, metrics, the web app) and the API's own documentation are public. */
const publicByDefault = (url: string) => !url.startsWith('/api/') || url.startsWith('/api/docs');

/**
 * Authentication and authorization of every route: who is calling (session cookie or API key), which workspace
 * they act in (`x-duet-workspace`, default their first), whether their role there allows the route's `access`,
 * and, for cookie-authenticated writes, that the request comes from Duet's own origin or CORS_ORIGINS (CSRF).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: AuthPluginOptions) => {
    const operatorGuard = adminGuard(opts.adminToken);
    app.decorate('routeAccess', []);
    app.decorateRequest('workspaceId', '');
    app.decorateRequest('principal', undefined);
    app.decorateRequest('role', undefined);

    app.addHook('onRoute', (route) => {
      const access = route.config?.access ?? (publicByDefault(route.url) ? 'public' : undefined);
      if (!access)
        throw new Error(
          `route ${String(route.method)} ${route.url} declares no config.access; every API route must say who may call it`,
        );
      for (const method of [route.method].flat())
        if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access });
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access ?? 'public';
      if (access === 'public') return;
      const principal = await opts.authenticator.identify(request.headers);
      if (principal) request.principal = principal;
      if (access === 'operator') {
        if (principal?.kind !== 'user' || !principal.instanceAdmin) await operatorGuard(request);
        return;
      }
      if (!principal) throw new DuetError('unauthorized', signInNeeded());
      refuseCrossSiteWrite(request, principal, opts.trustedOrigins);
      if (access === 'signed-in') return;
      if (access === 'instance-admin') {
        if (principal.kind !== 'user' || !principal.instanceAdmin)
          throw new DuetError('forbidden', 'only an instance admin can do this; the first account is one');
        return;
      }
      const workspace = await opts.authenticator.workspaceOf(
        principal,
        requestedWorkspace(request.headers[WORKSPACE_HEADER]),
      );
      request.workspaceId = workspace.workspaceId;
      request.role = workspace.role;
      requirePermission(workspace, access);
    });
  },
  { name: 'duet-auth' },
);

/** Cookies ride along on cross-site requests; writes made with them must come from an origin we trust. */
function refuseCrossSiteWrite(request: FastifyRequest, principal: Principal, trusted: string[]): void {
  if (principal.kind !== 'user' || SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin)
    throw new DuetError(
      'forbidden',
      'a write signed in by cookie needs an Origin header (browsers send one); scripts should use an API key instead',
    );
  if (!fromTrustedOrigin(origin, request.headers.host, trusted)) {
    throw new DuetError(
      'forbidden',
      `cross-site request refused: origin ${origin} is neither Duet's own nor listed in CORS_ORIGINS`,
    );
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer || !URL.canParse(referer)) return undefined;
  return new URL(referer).origin;
}
