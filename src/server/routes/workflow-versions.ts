import { z } from 'zod';
import type { WorkflowRepository } from '../../store/workflows.ts';
import { workflowParams } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

const versionParams = workflowParams.extend({ n: z.coerce.number().int().min(1) });

/** Publishing a draft freezes it as the next numbered, immutable version. */
export async function workflowVersionRoutes(app: ZodApp, opts: { workflows: WorkflowRepository }) {
  const { workflows } = opts;
  const tags = ['versions'];

  app.post(
    '/api/v1/workflows/:id/versions',
    {
      config: { access: 'workflows.write' },
      schema: {
        tags,
        summary: 'Publish the draft as a new version (200 with the latest version if the draft is unchanged)',
        params: workflowParams,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, created } = await workflows.publish(request.workspaceId, id, null);
      return reply.status(created ? 201 : 200).send(version);
    },
  );

  app.get(
    '/api/v1/workflows/:id/versions',
    {
      config: { access: 'workflows.read' },
      schema: { tags, summary: 'List published versions, newest first', params: workflowParams },
    },
    async (request) => {
      const { id } = request.params;
      return { items: await workflows.listVersions(request.workspaceId, id), nextCursor: null };
    },
  );

  app.get(
    '/api/v1/workflows/:id/versions/:n',
    {
      config: { access: 'workflows.read' },
      schema: { tags, summary: 'Get one published version', params: versionParams },
    },
    async (request) => {
      const { id, n } = request.params;
      return workflows.getVersion(request.workspaceId, id, n);
    },
  );
}
