import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../model/roles.ts';
import type { Database } from '../../store/db.ts';
import { changeMember, listMembers } from '../../store/members.ts';

const memberParams = z.strictObject({ userId: z.string().min(1).max(100) });
const roleBody = z.strictObject({ role: z.enum(ROLES) });

/** Who belongs to the workspace and with which role; a workspace always keeps at least one admin. */
export async function memberRoutes(app: FastifyInstance, opts: { db: Database }) {
  const { db } = opts;
  const tags = ['members'];

  app.get(
    '/api/v1/members',
    { config: { access: 'workspace.admin' }, schema: { tags, summary: 'Members of this workspace with their roles' } },
    async (request) => ({ items: await listMembers(db, request.workspaceId) }),
  );

  app.patch(
    '/api/v1/members/:userId',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags,
        summary: "Change a member's role (409 for the last admin)",
        params: memberParams,
        body: roleBody,
      },
    },
    async (request) => {
      const { userId } = request.params as z.infer<typeof memberParams>;
      await changeMember(db, request.workspaceId, userId, (request.body as z.infer<typeof roleBody>).role);
      return (await listMembers(db, request.workspaceId)).find((m) => m.userId === userId);
    },
  );

  app.delete(
    '/api/v1/members/:userId',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'Remove a member (409 for the last admin)', params: memberParams },
    },
    async (request, reply) => {
      await changeMember(db, request.workspaceId, (request.params as z.infer<typeof memberParams>).userId, null);
      return reply.status(204).send();
    },
  );
}
