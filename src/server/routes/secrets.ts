import { z } from 'zod';
import { secretNameSchema, secretValueSchema } from '../../model/secrets.ts';
import type { SecretStore } from '../../store/secrets.ts';
import type { ZodApp } from '../zod.ts';

const nameParams = z.strictObject({ name: secretNameSchema });
const putBody = z.strictObject({ value: secretValueSchema });

/**
 * Workspace secrets for workflows (`{{secrets.NAME}}`): set, list and delete. Values go in and never come out;
 * the engine alone reads them, while a step runs.
 */
export async function secretRoutes(app: ZodApp, opts: { secrets: SecretStore }) {
  const { secrets } = opts;
  const tags = ['secrets'];

  app.get(
    '/api/v1/secrets',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'Secrets of this workspace: names and times, never values' },
    },
    async (request) => ({ items: await secrets.list(request.workspaceId) }),
  );

  app.put(
    '/api/v1/secrets/:name',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Create (201) or replace (200) a secret; the answer does not hold the value',
        params: nameParams,
        body: putBody,
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const { value } = request.body;
      const createdBy = request.principal?.kind === 'user' ? request.principal.email : request.principal?.name;
      const { secret, created } = await secrets.put(request.workspaceId, name, value, createdBy);
      return reply.status(created ? 201 : 200).send(secret);
    },
  );

  app.delete(
    '/api/v1/secrets/:name',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Delete a secret; workflows that read it fail at that step from now on',
        params: nameParams,
      },
    },
    async (request, reply) => {
      await secrets.delete(request.workspaceId, request.params.name);
      return reply.status(204).send();
    },
  );
}
