import { z } from 'zod';
import { EXECUTION_STATUSES } from '../../model/execution.ts';
import type { ExecutionService } from '../../engine/service.ts';
import { executionModeSchema } from '../../model/graph.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import { listQuery, workflowParams } from './workflows.ts';
import type { ZodApp } from '../zod.ts';

const MAX_WAIT_MS = 60_000;

/** No body at all means "no input", like `{}`. */
const startBody = z
  .strictObject({
    input: z.record(z.string(), z.unknown()).default({}),
    mode: executionModeSchema.optional(),
    pausePoints: z.array(z.string().max(64)).max(500).optional(),
    version: z.number().int().min(1).optional(),
  })
  .nullish()
  .transform((body) => body ?? { input: {} });
const waitQuery = z.strictObject({ waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(0) });
const executionParams = z.strictObject({ id: z.string().min(1).max(100) });
const stepParams = executionParams.extend({ nodeId: z.string().min(1).max(64) });
const listExecutionsQuery = listQuery.extend({
  workflowId: z.string().max(200).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
});
const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  waitMs: z.coerce.number().int().min(0).max(30_000).default(0),
});
const skipBody = z.strictObject({ handle: z.string().max(64).optional() }).nullish();
const inputBody = z.strictObject({ nodeId: z.string().max(64).optional(), values: z.record(z.string(), z.unknown()) });
const approvalBody = z.strictObject({
  nodeId: z.string().max(64).optional(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(2000).optional(),
});

/** Start, read, follow and steer executions. */
export async function executionRoutes(
  app: ZodApp,
  opts: { executions: ExecutionService; workflows: WorkflowRepository },
) {
  const { executions, workflows } = opts;
  const tags = ['executions'];

  app.post(
    '/api/v1/workflows/:id/executions',
    {
      config: { access: 'executions.start' },
      schema: {
        tags,
        summary:
          'Start an execution of the latest (or a given) published version; 202, or 200 when it ends within waitMs',
        params: workflowParams,
        body: startBody,
        querystring: waitQuery,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { waitMs } = request.query;
      const { ended, execution } = await executions.startAndWait(request.workspaceId, id, request.body, waitMs);
      return reply.status(ended ? 200 : 202).send(execution);
    },
  );

  app.get(
    '/api/v1/executions',
    {
      config: { access: 'executions.read' },
      schema: { tags, summary: 'List executions, newest first', querystring: listExecutionsQuery },
    },
    async (request) => {
      const query = request.query;
      const workflowId = query.workflowId ? (await workflows.get(request.workspaceId, query.workflowId)).id : undefined;
      return executions.list(request.workspaceId, { ...query, workflowId });
    },
  );

  app.get(
    '/api/v1/executions/:id',
    {
      config: { access: 'executions.read' },
      schema: { tags, summary: 'An execution with its steps, current nodes and progress', params: executionParams },
    },
    async (request) => {
      const { id } = request.params;
      return executions.get(request.workspaceId, id);
    },
  );

  app.get(
    '/api/v1/executions/:id/events',
    {
      config: { access: 'executions.read' },
      schema: {
        tags,
        summary: 'Events after an offset; waitMs long-polls for the next one',
        params: executionParams,
        querystring: eventsQuery,
      },
    },
    async (request) => {
      const { id } = request.params;
      const { after, waitMs } = request.query;
      const items = await executions.events(request.workspaceId, id, after, waitMs);
      return { items, nextAfter: items.at(-1)?.offset ?? after };
    },
  );

  for (const command of ['pause', 'resume', 'cancel'] as const) {
    app.post(
      `/api/v1/executions/:id/${command}`,
      {
        config: { access: 'executions.control' },
        schema: {
          tags,
          summary: `${command[0]!.toUpperCase()}${command.slice(1)} an execution (409 lists what is allowed now)`,
          params: executionParams,
        },
      },
      async (request) => {
        const { id } = request.params;
        return executions.command(request.workspaceId, id, command);
      },
    );
  }

  for (const command of ['retry', 'skip'] as const) {
    app.post(
      `/api/v1/executions/:id/steps/:nodeId/${command}`,
      {
        config: { access: 'executions.control' },
        schema: {
          tags,
          summary:
            command === 'retry'
              ? 'Run a failed step again'
              : 'Skip a failed or waiting step (optionally taking a given output handle)',
          params: stepParams,
          body: skipBody,
        },
      },
      async (request) => {
        const { id, nodeId } = request.params;
        return executions.command(request.workspaceId, id, command, { nodeId, handle: request.body?.handle });
      },
    );
  }

  app.post(
    '/api/v1/executions/:id/input',
    {
      config: { access: 'executions.control' },
      schema: {
        tags,
        summary: 'Answer an input step; values are checked against its schema',
        params: executionParams,
        body: inputBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      return executions.command(request.workspaceId, id, 'input', request.body);
    },
  );

  app.post(
    '/api/v1/executions/:id/approval',
    {
      config: { access: 'executions.control' },
      schema: { tags, summary: 'Approve or reject an approval step', params: executionParams, body: approvalBody },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      return executions.command(request.workspaceId, id, body.decision, body);
    },
  );
}
