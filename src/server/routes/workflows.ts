import { z } from 'zod';
import { graphSchema } from '../../model/graph.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import type { GraphChecker } from '../graph-check/graph-checker.ts';
import { docOnly, type ZodApp } from '../zod.ts';

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});
export const workflowParams = z.strictObject({ id: z.string().min(1).max(200) });
/** The graph body is validated by `graph/validate` so that every problem is reported at once (422). */
export const graphBody = docOnly(graphSchema);

export interface WorkflowRoutesOptions {
  workflows: WorkflowRepository;
  graphs: GraphChecker;
}

/** Create, list, read, update the draft of, and delete workflows. */
export async function workflowRoutes(app: ZodApp, opts: WorkflowRoutesOptions) {
  const { workflows } = opts;
  const tags = ['workflows'];
  const validate = (body: unknown) => opts.graphs.require(body);

  app.get(
    '/api/v1/workflows',
    {
      config: { access: 'workflows.read' },
      schema: { tags, summary: 'List workflows, newest first', querystring: listQuery },
    },
    async (request) => {
      return workflows.list(request.workspaceId, request.query);
    },
  );

  app.post(
    '/api/v1/workflows',
    {
      config: { access: 'workflows.write' },
      schema: { tags, summary: 'Create a workflow from a graph', body: graphBody },
    },
    async (request, reply) => {
      const graph = await validate(request.body);
      return reply.status(201).send(await workflows.create(request.workspaceId, graph));
    },
  );

  app.get(
    '/api/v1/workflows/:id',
    {
      config: { access: 'workflows.read' },
      schema: { tags, summary: 'Get a workflow by id or slug', params: workflowParams },
    },
    async (request) => {
      const { id } = request.params;
      return workflows.get(request.workspaceId, id);
    },
  );

  app.put(
    '/api/v1/workflows/:id',
    {
      config: { access: 'workflows.write' },
      schema: { tags, summary: "Replace a workflow's draft graph", params: workflowParams, body: graphBody },
    },
    async (request) => {
      const { id } = request.params;
      const graph = await validate(request.body);
      return workflows.updateDraft(request.workspaceId, id, graph);
    },
  );

  app.delete(
    '/api/v1/workflows/:id',
    {
      config: { access: 'workflows.write' },
      schema: { tags, summary: 'Delete a workflow (its versions and executions are kept)', params: workflowParams },
    },
    async (request, reply) => {
      const { id } = request.params;
      await workflows.remove(request.workspaceId, id);
      return reply.status(204).send();
    },
  );
}
