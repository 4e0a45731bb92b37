import type { IncomingHttpHeaders } from 'node:http';
import { DuetError } from '../model/errors.ts';
import { API_KEY_PREFIX } from '../store/api-keys.ts';
import type { Database } from '../store/db.ts';
import { membershipsOf, roleIn } from '../store/members.ts';
import { findWorkspace, DEFAULT_WORKSPACE_SLUG } from '../store/workspaces.ts';
import type { ApiKeyVerifier } from './api-key-verifier.ts';
import type { Auth } from './better-auth.ts';
import { can, PERMISSION_WORDS, type Permission, type Role } from '../model/roles.ts';

/** Who is calling: a signed-in user (cookie session) or a workspace API key. */
export type Principal =
  | { kind: 'user'; id: string; email: string; name: string; instanceAdmin: boolean; sessionId: string }
  | { kind: 'api_key'; id: string; name: string; workspaceId: string; workspaceSlug: string; role: Role };

export interface WorkspaceAccess {
  workspaceId: string;
  slug: string;
  role: Role;
}

export const WORKSPACE_HEADER = 'x-duet-workspace';

/** The workspace a caller names (header or socket option), or undefined when they name none. */
export const requestedWorkspace = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

/** Refuses what the caller's role in the workspace does not allow, saying what is missing and who can help. */
export function requirePermission(access: WorkspaceAccess, permission: Permission): void {
  if (!can(access.role, permission)) {
    throw new DuetError(
      'forbidden',
      `your role "${access.role}" in workspace "${access.slug}" cannot ${PERMISSION_WORDS[permission]}; ask a workspace admin for a role that can`,
    );
  }
}
export const SIGN_IN_HINT =
  'sign in, or send `Authorization: Bearer <API key>` (create one with `duet api-keys create`)';

export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

/** Node's header object as Web Headers (better-auth reads those). */
export function toHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    try {
      if (typeof value === 'string') out.set(name, value);
      else if (Array.isArray(value)) for (const v of value) out.append(name, v);
    } catch {
      // Only an in-process caller can send a header value HTTP forbids (a NUL, a line break); say which one.
      throw new DuetError('validation_failed', `the ${name} header holds a character headers cannot carry`);
    }
  }
  return out;
}

/** Resolves callers and the workspace they act in, for HTTP requests and socket handshakes alike. */
export class Authenticator {
  constructor(
    private readonly db: Database,
    private readonly auth: Auth,
    private readonly apiKeys: ApiKeyVerifier,
  ) {}

  /**
   * The caller, or undefined for an anonymous one. A bearer token that is not a live API key is an error, not
   * anonymity: scripts must hear that their key is wrong. Other bearer tokens (ADMIN_TOKEN) are left to their routes.
   */
  async identify(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const bearer = bearerOf(headers);
    if (bearer?.startsWith(API_KEY_PREFIX)) {
      const key = await this.apiKeys.verify(bearer);
      if (!key)
        throw new DuetError(
          'unauthorized',
          'this API key is unknown or revoked; create a new one in Settings → API keys or with `duet api-keys create`',
        );
      return {
        kind: 'api_key',
        id: key.id,
        name: key.name,
        workspaceId: key.workspaceId,
        workspaceSlug: key.workspaceSlug,
        role: key.role,
      };
    }
    if (!headers.cookie) return undefined;
    const found = await this.auth.api.getSession({ headers: toHeaders(headers) });
    if (!found) return undefined;
    const { user, session } = found;
    return {
      kind: 'user',
      id: user.id,
      email: user.email,
      name: user.name,
      instanceAdmin: Boolean(user.instanceAdmin),
      sessionId: session.id,
    };
  }

  /**
   * The workspace a caller acts in and their role there. `requested` (id or slug) comes from the
   * x-duet-workspace header; without it a user acts in their first workspace. A workspace the caller does not
   * belong to answers 404, exactly like one that does not exist.
   */
  async workspaceOf(principal: Principal, requested: string | undefined): Promise<WorkspaceAccess> {
    const unknown = () =>
      new DuetError('not_found', `workspace "${requested}" does not exist or you are not a member of it`);
    if (principal.kind === 'api_key') {
      if (requested && requested !== principal.workspaceId && requested.toLowerCase() !== principal.workspaceSlug)
        throw unknown();
      return { workspaceId: principal.workspaceId, slug: principal.workspaceSlug, role: principal.role };
    }
    if (requested) {
      const workspace = await findWorkspace(this.db.orm, requested);
      if (!workspace) throw unknown();
      const role = principal.instanceAdmin ? 'admin' : await roleIn(this.db, workspace.id, principal.id);
      if (!role) throw unknown();
      return { workspaceId: workspace.id, slug: workspace.slug, role };
    }
    const [first] = await membershipsOf(this.db, principal.id);
    if (first)
      return {
        workspaceId: first.workspace.id,
        slug: first.workspace.slug,
        role: principal.instanceAdmin ? 'admin' : first.role,
      };
    if (principal.instanceAdmin) {
      const fallback = await findWorkspace(this.db.orm, DEFAULT_WORKSPACE_SLUG);
      if (fallback) return { workspaceId: fallback.id, slug: fallback.slug, role: 'admin' };
    }
    throw new DuetError('forbidden', 'you are not a member of any workspace yet; ask a workspace admin to invite you');
  }
}
