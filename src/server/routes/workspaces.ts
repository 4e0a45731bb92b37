import { z } from 'zod';
import type { Principal } from '../../auth/principal.ts';
import type { Database } from '../../store/db.ts';
import { membershipsOf, upsertMember } from '../../store/members.ts';
import { createWorkspace, listWorkspaceSummaries, workspaceSlugSchema } from '../../store/workspaces.ts';
import type { ZodApp } from '../zod.ts';

const HOUR_MS = 3_600_000;
const summaryQuery = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});
const createBody = z.strictObject({ slug: workspaceSlugSchema, name: z.string().trim().min(1).max(200).optional() });

/** The workspaces a caller may see: an instance admin every one, a user theirs, an API key its own. */
async function visibleWorkspaceIds(db: Database, principal: Principal): Promise<string[] | undefined> {
  if (principal.kind === 'api_key') return [principal.workspaceId];
  if (principal.instanceAdmin) return undefined;
  return (await membershipsOf(db, principal.id)).map((m) => m.workspace.id);
}

/** The projects of the dashboard, and creating new ones. */
export async function workspaceRoutes(app: ZodApp, opts: { db: Database }) {
  const { db } = opts;
  const tags = ['workspaces'];

  app.get(
    '/api/v1/workspaces',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Your workspaces with counts of their executions (active now, ended within `hours`)',
        querystring: summaryQuery,
      },
    },
    async (request) => {
      const { hours } = request.query;
      const ids = await visibleWorkspaceIds(db, request.principal!);
      return { items: await listWorkspaceSummaries(db, new Date(Date.now() - hours * HOUR_MS), ids), nextCursor: null };
    },
  );

  app.post(
    '/api/v1/workspaces',
    {
      config: { access: 'instance-admin' },
      schema: { tags, summary: 'Create a workspace; its creator becomes its admin', body: createBody },
    },
    async (request, reply) => {
      const workspace = await db.orm.transaction(async (tx) => {
        const created = await createWorkspace(tx, request.body);
        if (request.principal?.kind === 'user') await upsertMember(tx, created.id, request.principal.id, 'admin');
        return created;
      });
      request.workspaceId = workspace.id;
      return reply.status(201).send(workspace);
    },
  );
}
