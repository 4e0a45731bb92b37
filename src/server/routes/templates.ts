import { z } from 'zod';
import { notFound } from '../../model/errors.ts';
import type { WorkflowTemplate } from '../../store/templates.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import type { ZodApp } from '../zod.ts';

const tags = ['workflows'];
const templateParams = z.strictObject({ id: z.string().min(1).max(100) });

const templateView = ({ id, graph }: WorkflowTemplate) => ({
  id,
  name: graph.name,
  description: graph.description ?? null,
  blocks: graph.nodes.length,
});

/** The template gallery: the shipped example workflows, each a click away from a new draft. */
export async function templateRoutes(
  app: ZodApp,
  opts: { templates: readonly WorkflowTemplate[]; workflows: WorkflowRepository },
) {
  const { workflows } = opts;
  // Looked up by id in the list read at startup: a request never names a file.
  const byId = new Map(opts.templates.map((t) => [t.id, t]));

  app.get(
    '/api/v1/templates',
    { config: { access: 'workflows.read' }, schema: { tags, summary: 'The workflow templates shipped with Duet' } },
    async () => ({ items: opts.templates.map(templateView) }),
  );

  app.post(
    '/api/v1/templates/:id/workflows',
    {
      config: { access: 'workflows.write' },
      schema: { tags, summary: 'Create a new draft workflow from a template', params: templateParams },
    },
    async (request, reply) => {
      const template = byId.get(request.params.id);
      if (!template) throw notFound('template', request.params.id);
      const workflow = await workflows.create(request.workspaceId, template.graph, undefined, { numberName: true });
      return reply.status(201).send(workflow);
    },
  );
}
