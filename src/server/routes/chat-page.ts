import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { issueVisitorToken, readVisitorToken } from '../../channels/chat-page/visitor-token.ts';
import type { ConversationService } from '../../conversation/manager.ts';
import { DuetError } from '../../model/errors.ts';
import type { Permission } from '../../model/roles.ts';
import type { ChatConfig } from '../../model/triggers.ts';
import type { SecretStore } from '../../store/secrets.ts';
import type { Trigger, TriggerStore } from '../../store/triggers.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import { chatPageHtml, pageCsp } from '../chat-page/page.ts';
import type { RateLimiter } from '../rate-window.ts';
import type { ZodApp } from '../zod.ts';
import { checkMessage } from './conversations.ts';

const ASSETS = new URL('../chat-page/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, ASSETS), 'utf8');

const params = z.strictObject({
  workspaceSlug: z.string().min(1).max(100),
  slug: z.string().min(1).max(100),
});
const sessionBody = z
  .strictObject({ password: z.string().max(200).optional() })
  .nullish()
  .transform((body) => body ?? {});
const messageBody = z.strictObject({ text: z.string().trim().min(1, 'text is required') });
const turnsQuery = z.strictObject({ after: z.coerce.number().int().min(0).default(0) });

/** A visitor may start the page's workflow and answer it; never edit, never reach another workflow. */
const VISITOR: ReadonlySet<Permission> = new Set(['executions.start', 'executions.control', 'conversations.use']);
const visitorMay = (permission: Permission) => VISITOR.has(permission);
/** How long a visitor token (and so a page session) lasts. */
const VISITOR_TTL_MS = 12 * 3_600_000;

export interface ChatPageOptions {
  triggers: TriggerStore;
  workflows: WorkflowRepository;
  conversations: ConversationService;
  secrets: SecretStore;
  authSecret: string;
  /** Messages a minute per visitor (CHAT_MESSAGES_PER_MINUTE). */
  rate: RateLimiter;
  /** New sessions a minute per client address. */
  sessionRate: RateLimiter;
}

/**
 * The public chat page of a workflow (`/c/<workspace>/<chat slug>`, from an enabled `chat` trigger of a published
 * workflow) and the widget that embeds it (`/c/widget.js`). Visitors get a signed token for one conversation,
 * checked on every request together with the trigger; they never reach the API, the editor or other workflows.
 */
export async function chatPageRoutes(app: ZodApp, opts: ChatPageOptions) {
  const files = { widget: asset('widget.js'), script: asset('chat.js'), style: asset('chat.css') };
  const publicRoute = { config: { access: 'public' as const }, schema: { hide: true } };

  app.get('/c/widget.js', publicRoute, async (_request, reply) =>
    // Loaded by other sites' pages: allowed across origins (helmet's default would block it).
    reply
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=300')
      .type('text/javascript; charset=utf-8')
      .send(files.widget),
  );
  app.get('/c/assets/chat.js', publicRoute, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('text/javascript; charset=utf-8').send(files.script),
  );
  app.get('/c/assets/chat.css', publicRoute, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(files.style),
  );

  /** The enabled chat trigger at this address, with its published workflow, or a 404 that says so. */
  const chatAt = async (workspaceSlug: string, slug: string) => {
    const trigger = await opts.triggers.findByPath(workspaceSlug.toLowerCase(), 'chat', slug);
    const workflow = trigger && (await opts.workflows.find(trigger.workspaceId, trigger.workflowId));
    if (!trigger || !workflow?.latestVersion)
      throw new DuetError('not_found', `there is no chat page at /c/${workspaceSlug}/${slug}`);
    return { trigger, config: trigger.config as ChatConfig, workflow };
  };

  app.get('/c/:workspaceSlug/:slug', { ...publicRoute, schema: { hide: true, params } }, async (request, reply) => {
    const { workspaceSlug, slug } = request.params;
    const { config, workflow } = await chatAt(workspaceSlug, slug);
    reply.header('content-security-policy', pageCsp(config.allowedOrigins));
    // frame-ancestors decides who may embed the page; the legacy header would forbid every embedding.
    if (config.allowedOrigins.length > 0) reply.removeHeader('x-frame-options');
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        chatPageHtml({
          title: workflow.name,
          endpoint: `/c/${encodeURIComponent(workspaceSlug)}/${encodeURIComponent(slug)}`,
          passwordRequired: config.passwordSecret !== undefined,
        }),
      );
  });

  app.post(
    '/c/:workspaceSlug/:slug/session',
    { config: { access: 'public' }, schema: { hide: true, params, body: sessionBody } },
    async (request, reply) => {
      const { trigger, config, workflow } = await chatAt(request.params.workspaceSlug, request.params.slug);
      refuseForeignOrigin(request, config);
      await limit(reply, opts.sessionRate, `session:${request.ip}`, 'new chat sessions a minute per address');
      if (config.passwordSecret)
        await checkPassword(opts.secrets, trigger, config.passwordSecret, request.body.password);
      const started = await opts.conversations.start(trigger.workspaceId, {
        channel: 'chat-page',
        workflowId: workflow.id,
      });
      const expiresAt = Date.now() + VISITOR_TTL_MS;
      const token = issueVisitorToken(opts.authSecret, {
        conversationId: started.conversation.id,
        triggerId: trigger.id,
        expiresAt,
      });
      return reply.status(201).send({ token, expiresAt: new Date(expiresAt).toISOString(), reply: started.reply });
    },
  );

  /** The visitor's conversation, if the token grants it through this very trigger. */
  const visitor = async (request: FastifyRequest<{ Params: z.infer<typeof params> }>) => {
    const { trigger, config } = await chatAt(request.params.workspaceSlug, request.params.slug);
    refuseForeignOrigin(request, config);
    const header = request.headers.authorization ?? '';
    const grant = header.startsWith('Bearer ') ? readVisitorToken(opts.authSecret, header.slice(7)) : null;
    if (!grant || grant.triggerId !== trigger.id)
      throw new DuetError('unauthorized', 'this chat session has ended or is not valid here; reload the page');
    return { trigger, conversationId: grant.conversationId };
  };

  app.post(
    '/c/:workspaceSlug/:slug/messages',
    { config: { access: 'public' }, schema: { hide: true, params, body: messageBody } },
    async (request, reply) => {
      const { trigger, conversationId } = await visitor(request);
      try {
        await checkMessage(opts.rate, `visitor:${conversationId}`, request.body.text);
      } catch (error) {
        const retryAfter = (error as { retryAfter?: number }).retryAfter;
        if (retryAfter) reply.header('retry-after', String(retryAfter));
        throw error;
      }
      const result = await opts.conversations.message(
        trigger.workspaceId,
        conversationId,
        request.body.text,
        visitorMay,
        { onlyBoundWorkflow: true },
      );
      return { reply: result.reply, suggestedActions: result.suggestedActions };
    },
  );

  app.get(
    '/c/:workspaceSlug/:slug/turns',
    { config: { access: 'public' }, schema: { hide: true, params, querystring: turnsQuery } },
    async (request) => {
      const { trigger, conversationId } = await visitor(request);
      const { turns } = await opts.conversations.get(trigger.workspaceId, conversationId);
      return {
        items: turns
          .filter((turn) => turn.seq > request.query.after)
          .map((turn) => ({ seq: turn.seq, role: turn.role, text: turn.text, at: turn.at })),
      };
    },
  );
}

/** Browsers send Origin on these requests: the page itself (Duet's origin) or a site allowed to embed it. */
function refuseForeignOrigin(request: FastifyRequest, config: ChatConfig): void {
  const origin = request.headers.origin;
  if (!origin || !URL.canParse(origin)) return;
  const own = new URL(origin).host === request.host;
  if (!own && !config.allowedOrigins.some((allowed) => new URL(allowed).origin === origin))
    throw new DuetError('forbidden', `this chat does not accept requests from ${origin}`);
}

async function limit(reply: FastifyReply, rate: RateLimiter, key: string, what: string): Promise<void> {
  const wait = await rate.take(key);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    throw new DuetError('rate_limited', `at most ${rate.perMinute} ${what}; try again in ${wait} s`);
  }
}

async function checkPassword(secrets: SecretStore, trigger: Trigger, secretName: string, given: string | undefined) {
  const expected = (await secrets.resolve(trigger.workspaceId, [secretName])).get(secretName);
  if (expected === undefined)
    throw new DuetError('unavailable', 'this chat page is protected by a password that is not set up yet');
  const a = Buffer.from(expected);
  const b = Buffer.from(given ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new DuetError('unauthorized', 'wrong password');
}
