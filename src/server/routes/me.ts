import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../auth/principal.ts';
import { requestedWorkspace, WORKSPACE_HEADER } from '../../auth/principal.ts';
import type { Database } from '../../store/db.ts';
import { membershipsOf } from '../../store/members.ts';
import { workspaces } from '../../store/schema.ts';

/** Who the caller is, the workspaces they can switch to, and the one this request acts in with their role. */
export async function meRoutes(app: FastifyInstance, opts: { db: Database; authenticator: Authenticator }) {
  app.get(
    '/api/v1/me',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['accounts'], summary: 'The signed-in user (or API key), their workspaces and the current one' },
    },
    async (request) => {
      const principal = request.principal!;
      const current = await opts.authenticator
        .workspaceOf(principal, requestedWorkspace(request.headers[WORKSPACE_HEADER]))
        .catch(() => null);
      if (principal.kind === 'api_key') {
        return {
          apiKey: { id: principal.id, name: principal.name, role: principal.role },
          workspaces: current ? [{ id: current.workspaceId, slug: current.slug, role: current.role }] : [],
          current,
        };
      }
      const memberships = principal.instanceAdmin
        ? (
            await opts.db.orm
              .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
              .from(workspaces)
              .orderBy(workspaces.name)
              .limit(500)
          ).map((w) => ({ ...w, role: 'admin' as const }))
        : (await membershipsOf(opts.db, principal.id)).map((m) => ({ ...m.workspace, role: m.role }));
      return {
        user: {
          id: principal.id,
          email: principal.email,
          name: principal.name,
          instanceAdmin: principal.instanceAdmin,
        },
        workspaces: memberships,
        current,
      };
    },
  );
}
