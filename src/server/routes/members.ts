import { z } from 'zod';
import { ROLES } from '../../model/roles.ts';
import type { Database } from '../../store/db.ts';
import { changeMember, listMembers } from '../../store/members.ts';
import type { ZodApp } from '../zod.ts';

const memberParams = z.strictObject({ userId: z.string().min(1).max(100) });
const roleBody = z.strictObject({ role: z.enum(ROLES) });

/** Who belongs to the workspace and with which role; a workspace always keeps at least one admin. */
export async function memberRoutes(app: ZodApp, opts: { db: Database }) {
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
      const { userId } = request.params;
      await changeMember(db, request.workspaceId, userId, request.body.role);
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
      await changeMember(db, request.workspaceId, request.params.userId, null);
      return reply.status(204).send();
    },
  );
}
