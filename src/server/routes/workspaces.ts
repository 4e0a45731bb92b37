import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../store/db.ts';
import { listWorkspaceSummaries } from '../../store/workspaces.ts';

const HOUR_MS = 3_600_000;
const summaryQuery = z.strictObject({ hours: z.coerce.number().int().min(1).max(24 * 30).default(24) });

/** The projects of the dashboard. Until accounts exist every caller sees every workspace. */
export async function workspaceRoutes(app: FastifyInstance, opts: { db: Database }) {
  app.get('/api/v1/workspaces', {
    schema: { tags: ['workspaces'], summary: 'Every workspace with counts of its executions (active now, ended within `hours`)', querystring: summaryQuery },
  }, async (request) => {
    const { hours } = request.query as z.infer<typeof summaryQuery>;
    return { items: await listWorkspaceSummaries(opts.db, new Date(Date.now() - hours * HOUR_MS)), nextCursor: null };
  });
}
