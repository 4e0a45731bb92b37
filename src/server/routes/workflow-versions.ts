import { z } from 'zod';
import { knowledgeReferences, unknownKnowledgeBase } from '../../graph/knowledge-refs.ts';
import { DuetError } from '../../model/errors.ts';
import type { KnowledgeLookup } from '../../model/knowledge-hits.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import { workflowParams } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

const versionParams = workflowParams.extend({ n: z.coerce.number().int().min(1) });

/** Publishing a draft freezes it as the next numbered, immutable version. */
export async function workflowVersionRoutes(
  app: ZodApp,
  opts: { workflows: WorkflowRepository; knowledge?: KnowledgeLookup },
) {
  const { workflows, knowledge } = opts;

  /** A version that names a knowledge base the workspace does not have would only fail when it runs. */
  async function checkKnowledgeBases(workspaceId: string, id: string): Promise<void> {
    const { draft } = await workflows.get(workspaceId, id);
    const refs = knowledgeReferences(draft);
    const missing = [];
    for (const ref of refs) {
      const found = await knowledge?.getBase(workspaceId, ref.knowledgeBaseId).then(
        () => true,
        (error: unknown) => {
          if (error instanceof DuetError && error.code === 'not_found') return false;
          throw error;
        },
      );
      if (!found) missing.push(unknownKnowledgeBase(ref));
    }
    if (missing.length > 0)
      throw new DuetError(
        'invalid_graph',
        `the workflow names ${missing.length} knowledge base(s) this workspace does not have: ${missing[0]!.message}`,
        missing,
      );
  }
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
      await checkKnowledgeBases(request.workspaceId, id);
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
