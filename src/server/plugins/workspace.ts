import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace this request acts in; every store call is scoped to it. */
    workspaceId: string;
  }
}

/**
 * Resolves the workspace a request acts in. Until accounts exist every request acts in the
 * `default` workspace; the auth plugin replaces this with the caller's membership.
 */
export const workspacePlugin = fp(async (app: FastifyInstance, opts: { defaultWorkspaceId: string }) => {
  app.decorateRequest('workspaceId', '');
  app.addHook('onRequest', async (request) => {
    request.workspaceId = opts.defaultWorkspaceId;
  });
}, { name: 'duet-workspace' });
