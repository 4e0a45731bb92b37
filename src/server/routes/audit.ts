import { listAudit } from '../../store/audit.ts';
import type { Database } from '../../store/db.ts';
import { listQuery } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

/** The workspace's audit log for its admins, newest first. */
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
    async (request) => listAudit(opts.db, request.workspaceId, request.query),
  );
}
