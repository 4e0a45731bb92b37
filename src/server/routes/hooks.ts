import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DuetError } from '../../model/errors.ts';
import { TRIGGER_PATH } from '../../model/triggers.ts';
import type { AuditEntry } from '../../store/audit.ts';
import type { Delivery, Webhook, WebhookReceiver } from '../../triggers/webhooks.ts';
import type { RateLimiter } from '../rate-window.ts';
import type { ZodApp } from '../zod.ts';

const hookParams = z.strictObject({
  workspaceSlug: z.string().min(1).max(100),
  path: z.string().regex(TRIGGER_PATH, 'no webhook has this path'),
});

/** Decodes a verified body: JSON, a form, or nothing. Anything else is refused with what to send instead. */
function decode(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new DuetError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  throw new DuetError(
    'unsupported_media_type',
    'send the body as application/json or application/x-www-form-urlencoded',
  );
}

/**
 * `POST|GET /hooks/<workspace>/<path>`: the public address of a webhook trigger. The body is read raw within this
 * scope only (signatures are over the exact bytes), checked against the hook's scheme, then decoded and mapped to
 * the workflow's input. A refused delivery is logged and audited and starts nothing.
 */
export async function hookRoutes(
  app: ZodApp,
  opts: {
    receiver: WebhookReceiver;
    /** One limiter per per-minute budget (hooks choose theirs); keys are trigger ids. */
    rateFor: (perMinute: number) => RateLimiter;
    audit: (entry: AuditEntry) => Promise<void>;
  },
) {
  const { receiver, rateFor, audit } = opts;

  const refuse = async (request: FastifyRequest, hook: Webhook, reason: string) => {
    request.log.warn({ triggerId: hook.id, workflowId: hook.workflowId, reason }, 'webhook delivery refused');
    await audit({
      workspaceId: hook.workspaceId,
      actorType: 'anonymous',
      actorId: null,
      actorLabel: null,
      action: `${request.method} /hooks/:workspaceSlug/:path`,
      resourceType: 'triggers',
      resourceId: hook.id,
      ip: request.ip,
      outcome: 'denied',
      statusCode: 401,
    });
    return new DuetError('unauthorized', `the delivery is refused: ${reason}`);
  };

  await app.register(async (scope) => {
    // Raw bytes for every content type, in this scope only: the signature is checked before anything is parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.route({
      method: ['POST', 'GET'],
      url: '/hooks/:workspaceSlug/:path',
      config: { access: 'public' },
      schema: {
        tags: ['triggers'],
        summary: 'Deliver to a webhook trigger: 202 {executionId}, or the response block output (sync hooks)',
        params: hookParams,
      },
      handler: async (request, reply) => {
        const { workspaceSlug, path } = request.params as z.infer<typeof hookParams>;
        const hook = await receiver.find(workspaceSlug, path);
        if (request.method === 'GET' && !hook.config.allowGet)
          throw new DuetError('method_not_allowed', 'this webhook takes POST only');
        const wait = await rateFor(hook.config.rateLimitPerMinute).take(`hook:${hook.id}`);
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          throw new DuetError(
            'rate_limited',
            `this webhook takes ${hook.config.rateLimitPerMinute} deliveries a minute; retry in ${wait} s`,
          );
        }
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const delivery: Delivery = {
          raw,
          body: undefined,
          query: request.query as Record<string, string | string[]>,
          headers: request.headers,
        };
        const refusal = await receiver.verify(hook, delivery);
        if (refusal) throw await refuse(request, hook, refusal);
        delivery.body = decode(raw, request.headers['content-type']);
        const { execution, ended, replayed } = await receiver.start(hook, delivery);
        reply.header('x-duet-execution-id', execution.id);
        if (ended && execution.status === 'completed') return reply.status(200).send(execution.output ?? null);
        return reply.status(202).send({ executionId: execution.id, status: execution.status, replayed });
      },
    });
  });
}
