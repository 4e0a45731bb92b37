import type { Server, Socket } from 'socket.io';
import type { Authenticator, Principal } from '../auth/principal.ts';
import { requestedWorkspace, requirePermission, WORKSPACE_HEADER } from '../auth/principal.ts';
import type { Permission, Role } from '../model/roles.ts';
import { fromTrustedOrigin } from '../auth/origins.ts';
import { DuetError } from '../model/errors.ts';
import { signInNeeded } from './plugins/auth.ts';

/** What a socket was admitted as; checked again before each event, since keys, sessions and roles change. */
export interface SocketIdentity {
  principal: Principal;
  workspaceId: string;
  slug: string;
  role: Role;
}

/** Sockets whose credentials went away (key revoked, signed out everywhere, removed) are dropped within this. */
const RECHECK_EVERY_MS = 60_000;

/**
 * Admits a socket only with the credentials an HTTP request would need: the session cookie (from Duet's own
 * origin or CORS_ORIGINS, so another site cannot ride the cookie) or an API key in `auth.token`. The workspace is
 * `auth.workspace` (id or slug), else the caller's first. Refusals reach the client as `connect_error` with
 * `data.code`.
 */
export function admitSockets(io: Server, authenticator: Authenticator, trustedOrigins: string[]): () => void {
  io.use((socket, next) => {
    socket.data.recheck = () => identify(socket, authenticator, trustedOrigins);
    identify(socket, authenticator, trustedOrigins).then(
      (identity) => {
        socket.data.identity = identity;
        next();
      },
      (error: unknown) => {
        const known = error instanceof DuetError;
        next(
          Object.assign(new Error(known ? error.message : 'could not check your credentials; try again'), {
            data: { code: known ? error.code : 'internal' },
          }),
        );
      },
    );
  });
  // Room events flow without any client event, so open sockets are also checked on a beat.
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) void current(socket).catch(() => undefined);
  }, RECHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The socket's identity as of now. Credentials that no longer admit it (or another failure to check them) end
 * the connection after the caller has answered, with an `error` event saying why.
 */
async function current(socket: Socket): Promise<SocketIdentity> {
  try {
    const identity = await (socket.data.recheck as () => Promise<SocketIdentity>)();
    socket.data.identity = identity;
    return identity;
  } catch (error) {
    const known = error instanceof DuetError;
    const refusal = known ? error : new DuetError('unavailable', 'could not check your credentials; connect again');
    setImmediate(() => {
      socket.emit('error', { code: refusal.code, message: refusal.message });
      socket.disconnect(true);
    });
    throw refusal;
  }
}

async function identify(
  socket: Socket,
  authenticator: Authenticator,
  trustedOrigins: string[],
): Promise<SocketIdentity> {
  const auth = (socket.handshake.auth ?? {}) as { token?: unknown; workspace?: unknown };
  const headers = { ...socket.request.headers };
  if (typeof auth.token === 'string') headers.authorization = `Bearer ${auth.token}`;
  const principal = await authenticator.identify(headers);
  if (!principal) throw new DuetError('unauthorized', signInNeeded('pass `auth: {token: <API key>}`'));
  if (principal.kind === 'user' && !fromTrustedOrigin(headers.origin, headers.host, trustedOrigins)) {
    throw new DuetError(
      'forbidden',
      `a socket signed in by cookie must come from Duet's own origin or CORS_ORIGINS (got ${headers.origin ?? 'no Origin header'})`,
    );
  }
  const requested = typeof auth.workspace === 'string' ? auth.workspace : headers[WORKSPACE_HEADER];
  const workspace = await authenticator.workspaceOf(principal, requestedWorkspace(requested));
  return { principal, workspaceId: workspace.workspaceId, slug: workspace.slug, role: workspace.role };
}

/** The identity of an admitted socket, checked again now, after checking its role allows `permission`. */
export async function allowed(socket: Socket, permission: Permission): Promise<SocketIdentity> {
  const identity = await current(socket);
  requirePermission(identity, permission);
  return identity;
}
