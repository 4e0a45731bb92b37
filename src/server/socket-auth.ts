import type { Server, Socket } from 'socket.io';
import type { Authenticator, Principal } from '../auth/principal.ts';
import { WORKSPACE_HEADER } from '../auth/principal.ts';
import { can, PERMISSION_WORDS, type Permission, type Role } from '../auth/roles.ts';
import { DuetError } from '../model/errors.ts';
import { SIGN_IN_NEEDED } from './plugins/auth.ts';

/** What a socket was admitted as; fixed for the connection's life. */
export interface SocketIdentity { principal: Principal; workspaceId: string; slug: string; role: Role }

/**
 * Admits a socket only with the credentials an HTTP request would need: the session cookie (from Duet's own
 * origin or CORS_ORIGINS, so another site cannot ride the cookie) or an API key in `auth.token`. The workspace is
 * `auth.workspace` (id or slug), else the caller's first. Refusals reach the client as `connect_error` with
 * `data.code`.
 */
export function admitSockets(io: Server, authenticator: Authenticator, trustedOrigins: string[]): void {
  io.use((socket, next) => {
    identify(socket, authenticator, trustedOrigins).then((identity) => {
      socket.data.identity = identity;
      next();
    }, (error: unknown) => {
      const known = error instanceof DuetError;
      next(Object.assign(new Error(known ? error.message : 'could not check your credentials; try again'), { data: { code: known ? error.code : 'internal' } }));
    });
  });
}

async function identify(socket: Socket, authenticator: Authenticator, trustedOrigins: string[]): Promise<SocketIdentity> {
  const auth = (socket.handshake.auth ?? {}) as { token?: unknown; workspace?: unknown };
  const headers = { ...socket.request.headers };
  if (typeof auth.token === 'string') headers.authorization = `Bearer ${auth.token}`;
  const principal = await authenticator.identify(headers);
  if (!principal) throw new DuetError('unauthorized', SIGN_IN_NEEDED.replace('send `Authorization: Bearer <API key>`', 'pass `auth: {token: <API key>}`'));
  if (principal.kind === 'user') {
    const origin = headers.origin;
    const own = origin !== undefined && URL.canParse(origin) && new URL(origin).host === headers.host;
    if (!own && !(origin && trustedOrigins.includes(origin))) {
      throw new DuetError('forbidden', `a socket signed in by cookie must come from Duet's own origin or CORS_ORIGINS (got ${origin ?? 'no Origin header'})`);
    }
  }
  const requested = typeof auth.workspace === 'string' ? auth.workspace : headers[WORKSPACE_HEADER];
  const workspace = await authenticator.workspaceOf(principal, typeof requested === 'string' && requested ? requested : undefined);
  return { principal, workspaceId: workspace.workspaceId, slug: workspace.slug, role: workspace.role };
}

/** The identity of an admitted socket, after checking its role allows `permission`. */
export function allowed(socket: Socket, permission: Permission): SocketIdentity {
  const identity = socket.data.identity as SocketIdentity;
  if (!can(identity.role, permission)) {
    throw new DuetError('forbidden', `your role "${identity.role}" in workspace "${identity.slug}" cannot ${PERMISSION_WORDS[permission]}`);
  }
  return identity;
}
