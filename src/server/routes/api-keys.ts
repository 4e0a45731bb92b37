import { z } from 'zod';
import type { ApiKeyVerifier } from '../../auth/api-key-verifier.ts';
import { ROLES } from '../../model/roles.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';
import type { ZodApp } from '../zod.ts';

const createBody = z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) });
const keyParams = z.strictObject({ id: z.string().uuid() });

/** Workspace API keys: the key is in the create answer only; lists show its first characters and last use. */
export async function apiKeyRoutes(app: ZodApp, opts: { db: Database; apiKeys: ApiKeyVerifier }) {
  const { db, apiKeys } = opts;
  const tags = ['api keys'];

  app.get(
    '/api/v1/api-keys',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'API keys of this workspace (never the keys themselves)' },
    },
    async (request) => ({ items: await listApiKeys(db, request.workspaceId) }),
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'Create an API key with a role; `key` is shown this once', body: createBody },
    },
    async (request, reply) => {
      const createdBy = request.principal?.kind === 'user' ? request.principal.email : request.principal?.name;
      return reply.status(201).send(
        await createApiKey(db, {
          workspaceId: request.workspaceId,
          ...request.body,
          ...(createdBy ? { createdBy } : {}),
        }),
      );
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Revoke an API key: refused at once by this server, by others within API_KEY_CACHE_TTL_MS',
        params: keyParams,
      },
    },
    async (request) => {
      const revoked = await revokeApiKey(db, request.workspaceId, request.params.id);
      apiKeys.forget(revoked.id);
      return revoked;
    },
  );
}
