import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Routes whose `:id` is an execution id; their log lines carry it as `executionId`. */
const EXECUTION_ROUTE = /^\/api\/v1\/executions\/:id(\/|$)/;

/**
 * Binds what a request is about to every log line written while handling it (requestId is bound by Fastify):
 * `workspaceId` always, `executionId` on execution routes. Registered after the auth plugin.
 */
export const logContextPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      const bindings: Record<string, string> = { workspaceId: request.workspaceId };
      const id = (request.params as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' && EXECUTION_ROUTE.test(request.routeOptions.url ?? '')) bindings.executionId = id;
      request.log = request.log.child(bindings);
      reply.log = request.log;
    });
  },
  { name: 'duet-log-context', dependencies: ['duet-auth'] },
);
