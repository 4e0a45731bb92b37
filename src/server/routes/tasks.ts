import { z } from 'zod';
import { phoneSchema, TASK_STATUSES, taskCreateSchema, taskPatchSchema } from '../../model/tasks.ts';
import { taskView, type TaskStore } from '../../store/tasks.ts';
import type { ZodApp } from '../zod.ts';

const idParams = z.strictObject({ id: z.uuid('the task id is a UUID') });
const listQuery = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  phone: phoneSchema.optional(),
  dueFrom: z.iso.datetime({ offset: true }).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** The personal assistant's tasks and reminders, as workspace data (DESIGN.md "Wave two"). */
export async function taskRoutes(app: ZodApp, opts: { tasks: TaskStore; now: () => Date }) {
  const { tasks, now } = opts;
  const tags = ['tasks'];

  app.get(
    '/api/v1/tasks',
    {
      config: { access: 'tasks.read' },
      schema: {
        tags,
        summary: 'Tasks, newest first; with dueFrom/dueBefore, those due in that range in due order',
        querystring: listQuery,
      },
    },
    async (request) => {
      const { dueFrom, dueBefore, ...rest } = request.query;
      const page = await tasks.list(request.workspaceId, {
        ...rest,
        ...(dueFrom ? { dueFrom: new Date(dueFrom) } : {}),
        ...(dueBefore ? { dueBefore: new Date(dueBefore) } : {}),
      });
      return { items: page.items.map(taskView), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/tasks',
    {
      config: { access: 'tasks.write' },
      schema: { tags, summary: 'Add a task; a remindAt in the future schedules its reminder', body: taskCreateSchema },
    },
    async (request, reply) =>
      reply.status(201).send(taskView(await tasks.create(request.workspaceId, request.body, now()))),
  );

  app.get(
    '/api/v1/tasks/:id',
    { config: { access: 'tasks.read' }, schema: { tags, summary: 'One task', params: idParams } },
    async (request) => taskView(await tasks.get(request.workspaceId, request.params.id)),
  );

  app.patch(
    '/api/v1/tasks/:id',
    {
      config: { access: 'tasks.write' },
      schema: {
        tags,
        summary: 'Change a task: status done stops its reminders; a new remindAt starts them afresh',
        params: idParams,
        body: taskPatchSchema,
      },
    },
    async (request) => taskView(await tasks.update(request.workspaceId, request.params.id, request.body, now())),
  );

  app.delete(
    '/api/v1/tasks/:id',
    { config: { access: 'tasks.write' }, schema: { tags, summary: 'Delete a task', params: idParams } },
    async (request, reply) => {
      await tasks.delete(request.workspaceId, request.params.id);
      return reply.status(204).send();
    },
  );
}
