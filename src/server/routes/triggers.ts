import { z } from 'zod';
import { newTriggerSchema, triggerPatchSchema } from '../../model/triggers.ts';
import type { TriggerService } from '../../triggers/service.ts';
import { docOnly, type ZodApp } from '../zod.ts';
import { workflowParams } from './workflows.ts';

const triggerParams = z.strictObject({ id: z.uuid('a trigger id is a UUID') });

/**
 * A workflow's triggers (webhook, schedule, chat page): list, add, read, pause/resume or change, delete. Bodies are
 * checked by the service so that a bad config (an invalid cron, a taken path) is a 422 naming every field.
 */
export async function triggerRoutes(app: ZodApp, opts: { triggers: TriggerService }) {
  const { triggers } = opts;
  const tags = ['triggers'];

  app.get(
    '/api/v1/workflows/:id/triggers',
    {
      config: { access: 'workflows.read' },
      schema: {
        tags,
        summary: "A workflow's triggers; schedules with their next 5 fire times",
        params: workflowParams,
      },
    },
    async (request) => ({ items: await triggers.list(request.workspaceId, request.params.id) }),
  );

  app.post(
    '/api/v1/workflows/:id/triggers',
    {
      config: { access: 'workflows.write' },
      schema: {
        tags,
        summary: 'Add a trigger; it starts the latest published version',
        params: workflowParams,
        body: docOnly(newTriggerSchema),
      },
    },
    async (request, reply) => {
      const createdBy = request.principal?.kind === 'user' ? request.principal.email : request.principal?.name;
      const created = await triggers.create(request.workspaceId, request.params.id, request.body, createdBy);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/triggers/:id',
    { config: { access: 'workflows.read' }, schema: { tags, summary: 'Get a trigger', params: triggerParams } },
    async (request) => triggers.get(request.workspaceId, request.params.id),
  );

  app.patch(
    '/api/v1/triggers/:id',
    {
      config: { access: 'workflows.write' },
      schema: {
        tags,
        summary: 'Pause or resume (enabled) and/or replace the config of a trigger',
        params: triggerParams,
        body: docOnly(triggerPatchSchema),
      },
    },
    async (request) => triggers.update(request.workspaceId, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/triggers/:id',
    { config: { access: 'workflows.write' }, schema: { tags, summary: 'Delete a trigger', params: triggerParams } },
    async (request, reply) => {
      await triggers.remove(request.workspaceId, request.params.id);
      return reply.status(204).send();
    },
  );
}
