import { listAudit } from '../../store/audit.ts';
import type { Database } from '../../store/db.ts';
import { listQuery } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

/** The workspace's audit log for its admins, and the instance's (sign-in attempts…) for instance admins; newest first. */
export async function auditRoutes(app: ZodApp, opts: { db: Database }) {
  app.get(
    '/api/v1/audit',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags: ['audit'],
        summary: 'Who did what, when, from where, and how it ended (newest first)',
        querystring: listQuery,
      },
    },
    async (request) => listAudit(opts.db, { workspaceId: request.workspaceId }, request.query),
  );

  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: 'instance-admin' },
      schema: {
        tags: ['audit'],
        summary:
          'What belongs to no workspace: sign-in attempts (the email tried, the address, the outcome), sign-outs, first-run setup (newest first)',
        querystring: listQuery,
      },
    },
    async (request) => listAudit(opts.db, 'instance', request.query),
  );
}
