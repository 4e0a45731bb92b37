import { z } from 'zod';
import { knowledgeBaseNames } from '../../conversation/knowledge-chat.ts';
import { mapJourney } from '../../journey/map.ts';
import type { KnowledgeLookup } from '../../model/knowledge-hits.ts';
import { toMermaid } from '../../journey/mermaid.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import { workflowParams } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

const journeyQuery = z.strictObject({
  format: z.enum(['json', 'mermaid']).default('json'),
  version: z.coerce.number().int().min(1).optional(),
});

/** The conversation view of a workflow: JSON for the dialogue manager, Mermaid for people. */
export async function journeyRoutes(app: ZodApp, opts: { workflows: WorkflowRepository; knowledge?: KnowledgeLookup }) {
  const { workflows, knowledge } = opts;
  app.get(
    '/api/v1/workflows/:id/journey',
    {
      config: { access: 'workflows.read' },
      schema: {
        tags: ['workflows'],
        summary: "A workflow's journey (its draft, or a published version) as JSON or a Mermaid state diagram",
        params: workflowParams,
        querystring: journeyQuery,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { format, version } = request.query;
      const graph =
        version === undefined
          ? (await workflows.get(request.workspaceId, id)).draft
          : (await workflows.getVersion(request.workspaceId, id, version)).graph;
      const journey = mapJourney(graph, {
        knowledgeBases: await knowledgeBaseNames(knowledge, request.workspaceId, graph),
      });
      if (format === 'json') return journey;
      return reply.type('text/plain; charset=utf-8').send(toMermaid(journey));
    },
  );
}
