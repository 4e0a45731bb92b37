import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Server as SocketServer } from 'socket.io';
import { registerOperationsMetrics, registerQueueMetrics } from '../ops/metrics.ts';
import { ExecutionStore } from '../store/executions.ts';
import { graphLimits, type Config } from '../config/env.ts';
import type { Engine } from '../engine/engine.ts';
import type { Services } from './services.ts';
import type { Database } from '../store/db.ts';
import { countWorkspaces } from '../store/workspaces.ts';
import { cleanInputPlugin } from './plugins/clean-input.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { logContextPlugin } from './plugins/log-context.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { authPlugin } from './plugins/auth.ts';
import { auditPlugin, writeAudit } from './plugins/audit.ts';
import { apiRateLimitPlugin } from './plugins/api-rate-limit.ts';
import { corsPlugin } from './plugins/cors.ts';
import { securityHeadersPlugin, swaggerUiCsp } from './plugins/security-headers.ts';
import { ApiKeyVerifier } from '../auth/api-key-verifier.ts';
import { createAuth } from '../auth/better-auth.ts';
import { trustedOrigins } from '../auth/origins.ts';
import { Authenticator } from '../auth/principal.ts';
import { SignInLockout } from '../store/users.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { knowledgeRoutes } from './routes/knowledge.ts';
import { userAdminRoutes } from './routes/user-admin.ts';
import { secretRoutes } from './routes/secrets.ts';
import { taskRoutes } from './routes/tasks.ts';
import { smsRoutes } from './routes/sms.ts';
import { chatPageRoutes } from './routes/chat-page.ts';
import { smsWebhookRoutes } from './routes/sms-webhook.ts';
import { authRoutes } from './routes/auth.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { meRoutes } from './routes/me.ts';
import { memberRoutes } from './routes/members.ts';
import { smtpMailer } from '../net/mailer.ts';
import { RateWindow, type RateLimiter } from './rate-window.ts';
import { refusalLimitPlugin } from './plugins/refusal-limit.ts';
import { systemClock } from '../engine/clock.ts';
import { WebhookReceiver } from '../triggers/webhooks.ts';
import { RedisRateWindow } from './redis-rate-window.ts';
import { attachRealtime } from './realtime.ts';
import { adminRoutes } from './routes/admin.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { executionRoutes } from './routes/executions.ts';
import { hookRoutes } from './routes/hooks.ts';
import { triggerRoutes } from './routes/triggers.ts';
import { healthRoutes } from './routes/health.ts';
import { journeyRoutes } from './routes/journey.ts';
import { workflowTransferRoutes } from './routes/workflow-transfer.ts';
import { templateRoutes } from './routes/templates.ts';
import { loadTemplates } from '../store/templates.ts';
import { workflowVersionRoutes } from './routes/workflow-versions.ts';
import { workflowRoutes } from './routes/workflows.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { ExecutionOwners } from './execution-owners.ts';
import { GraphChecker } from './graph-check/graph-checker.ts';
import { webPlugin } from './plugins/web.ts';
import { attachWorkspaceRooms } from './workspace-rooms.ts';
import { redisRoomsAdapter, sendTurnsToRooms } from './conversation-rooms.ts';
import { swaggerTransform, zodValidatorCompiler } from './zod.ts';
import { DUET_VERSION } from '../version.ts';

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
    /** The socket.io server: the listeners on its sockets are the event list the socket fuzz suite is generated from. */
    io: SocketServer;
  }
}

export interface AppDeps {
  config: Config;
  db: Database;
  /** What the app serves; closing the app closes them too, once HTTP has stopped. */
  services: Services;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The longest route parameter any route accepts (a workflow id or slug); longer ones answer 404 before routing. */
const MAX_PARAM_LENGTH = 200;
/** A client must have sent its whole request (headers and body) within this; slow senders are cut off. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Mounts HTTP and sockets on the services; listening, signals and shutdown belong to the caller. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, services } = deps;
  const { engine, queue } = services;
  const app = Fastify({
    loggerInstance: services.log,
    bodyLimit: config.MAX_REQUEST_BODY_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Request line and headers together: Node's 16 KiB, stated so that NODE_OPTIONS cannot quietly raise it (431 beyond).
    http: { maxHeaderSize: 16 * 1024 },
    trustProxy: config.TRUST_PROXY,
    // Honour a caller's request id when it is sane, so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  });
  // The API speaks JSON only; anything else gets a clear 415 instead of being parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin, { bodyLimit: config.MAX_REQUEST_BODY_BYTES });
  // First of the hooks: text that can never be stored is refused before authentication touches the database.
  await app.register(cleanInputPlugin);
  const auth = createAuth(db, config, services.authSecret, app.log);
  const apiKeys = new ApiKeyVerifier(db, config.API_KEY_CACHE_TTL_MS);
  const authenticator = new Authenticator(db, auth, apiKeys);
  const trusted = trustedOrigins(config);
  await app.register(securityHeadersPlugin);
  await app.register(corsPlugin, { origins: config.CORS_ORIGINS });
  // Before authentication: an address that keeps being refused is turned away without a credential lookup.
  await app.register(refusalLimitPlugin, {
    limiter: queue
      ? new RedisRateWindow(queue.fast, config.AUTH_REFUSALS_PER_MINUTE)
      : new RateWindow(config.AUTH_REFUSALS_PER_MINUTE),
  });
  await app.register(authPlugin, {
    authenticator,
    trustedOrigins: trusted,
    ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
  });
  // Before any route, so that every /api route gets the limit.
  await app.register(apiRateLimitPlugin, {
    perMinute: config.API_RATE_LIMIT_PER_MINUTE,
    ...(queue ? { redis: queue.fast } : {}),
  });
  await app.register(auditPlugin, { db });
  await app.register(metricsPlugin, {
    registry: services.metrics,
    enabled: config.METRICS_ENABLED,
    countProjects: () => countWorkspaces(db),
  });
  if (config.METRICS_ENABLED) registerOperationsMetrics(app.metrics, db);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Duet API',
        version: DUET_VERSION,
        description:
          'Workflows you can draw and talk to. Errors are `{"error":{"code","message","details"}}`. Send an API key as `Authorization: Bearer duet_…` (or sign in for a session cookie); `x-duet-workspace` picks the workspace. See docs/security.md.',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'A workspace API key (`duet api-keys create`, or Settings → API keys)',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'better-auth.session_token',
            description: 'The session cookie set by POST /api/auth/sign-in/email',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: swaggerTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', transformStaticCSP: swaggerUiCsp });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(logContextPlugin);
  const { workflows } = services;
  const graphs = new GraphChecker(graphLimits(config));
  app.addHook('onClose', async () => graphs.close());
  const queueProbe =
    queue && engine.queue ? { ping: () => queue.fast.ping(), workers: () => engine.queue!.workers() } : undefined;
  if (config.METRICS_ENABLED && queueProbe) registerQueueMetrics(app.metrics, queueProbe);
  await app.register(healthRoutes, {
    db,
    version: DUET_VERSION,
    dataDir: db.dataDir,
    knowledge: () => services.knowledge.describe(),
    ...(queueProbe ? { queue: queueProbe } : {}),
  });
  await app.register(adminRoutes, { db, version: DUET_VERSION });
  const lockout = new SignInLockout(db, config.AUTH_LOCKOUT_ATTEMPTS, config.AUTH_LOCKOUT_MINUTES * 60_000);
  await app.register(authRoutes, { db, auth, lockout });
  await app.register(meRoutes, { db, authenticator });
  await app.register(memberRoutes, { db });
  await app.register(invitationRoutes, {
    db,
    auth,
    lockout,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL.replace(/\/$/, '') } : {}),
    ...(config.SMTP_URL && config.SMTP_FROM ? { mailer: smtpMailer(config.SMTP_URL, config.SMTP_FROM) } : {}),
  });
  await app.register(apiKeyRoutes, { db, apiKeys });
  await app.register(auditRoutes, { db });
  await app.register(userAdminRoutes, { db });
  await app.register(secretRoutes, { secrets: services.secrets });
  await app.register(taskRoutes, { tasks: services.tasks, now: () => new Date(services.clock.now()) });
  await app.register(workflowRoutes, { workflows, graphs });
  await app.register(workflowVersionRoutes, { workflows, knowledge: services.knowledge });
  await app.register(workflowTransferRoutes, { workflows, graphs });
  await app.register(templateRoutes, { workflows, templates: await loadTemplates(graphLimits(config)) });
  await app.register(journeyRoutes, { workflows, knowledge: services.knowledge });
  await app.register(workspaceRoutes, { db });
  await app.register(knowledgeRoutes, { knowledge: services.knowledge, maxFileBytes: config.KNOWLEDGE_MAX_FILE_BYTES });

  app.decorate('engine', engine);
  app.addHook('preClose', async () => engine.bus.close());
  await app.register(executionRoutes, { executions: engine.service, workflows });
  const messageRate = queue
    ? new RedisRateWindow(queue.fast, config.CHAT_MESSAGES_PER_MINUTE)
    : new RateWindow(config.CHAT_MESSAGES_PER_MINUTE);
  await app.register(conversationRoutes, { conversations: services.conversations, rate: messageRate });
  await app.register(smsRoutes, { sms: services.sms, workflows, knowledge: services.knowledge });
  await app.register(chatPageRoutes, {
    triggers: services.triggers.store,
    workflows,
    conversations: services.conversations,
    secrets: services.secrets,
    authSecret: services.authSecret,
    rate: messageRate,
    sessionRate: queue
      ? new RedisRateWindow(queue.fast, config.CHAT_MESSAGES_PER_MINUTE)
      : new RateWindow(config.CHAT_MESSAGES_PER_MINUTE),
  });
  await app.register(smsWebhookRoutes, {
    sms: services.sms,
    db,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL.replace(/\/$/, '') } : {}),
  });
  await app.register(triggerRoutes, { triggers: services.triggers.service });
  const hookRates = new Map<number, RateLimiter>();
  await app.register(hookRoutes, {
    receiver: new WebhookReceiver({
      store: services.triggers.store,
      workflows,
      executions: engine.service,
      secrets: services.secrets,
      clock: systemClock,
    }),
    rateFor: (perMinute) => {
      if (!hookRates.has(perMinute))
        hookRates.set(perMinute, queue ? new RedisRateWindow(queue.fast, perMinute) : new RateWindow(perMinute));
      return hookRates.get(perMinute)!;
    },
    audit: (entry) => writeAudit(db, app.log, entry),
  });
  const rooms = queue && redisRoomsAdapter(queue);
  if (rooms) app.addHook('onClose', async () => rooms.close());
  const io = attachRealtime(app, {
    conversations: services.conversations,
    rate: messageRate,
    maxConnections: config.WS_MAX_CONNECTIONS,
    authenticator,
    trustedOrigins: trusted,
    corsOrigins: config.CORS_ORIGINS,
    audit: (entry) => writeAudit(db, app.log, entry),
    ...(rooms ? { adapter: rooms.adapter } : {}),
  });
  app.decorate('io', io);
  const stopTurns = sendTurnsToRooms(io, services.turns);
  app.addHook('onClose', async () => stopTurns());
  attachWorkspaceRooms(app, io, new ExecutionOwners(new ExecutionStore(db)));
  await app.register(webPlugin);
  // onClose hooks run last-registered first: the services stop taking work and drain while everything above (the
  // sockets' Redis connection too) still works; the caller then closes the database.
  app.addHook('onClose', () => services.close());
  return app;
}
