import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config/env.ts';
import { ConversationService } from '../conversation/manager.ts';
import { conversationMetrics } from '../conversation/metrics.ts';
import { ProgressNotifier } from '../conversation/notifier.ts';
import { offlineUnderstanding } from '../conversation/offline.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import { ConversationStore } from '../store/conversations.ts';
import { ExecutionStore } from '../store/executions.ts';
import type { Database } from '../store/db.ts';
import { countWorkspaces } from '../store/workspaces.ts';
import { WorkflowRepository } from '../store/workflows.ts';
import { loggerOptions } from './logger.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { workspacePlugin } from './plugins/workspace.ts';
import { RateWindow } from './rate-window.ts';
import { attachRealtime } from './realtime.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { executionRoutes } from './routes/executions.ts';
import { healthRoutes } from './routes/health.ts';
import { journeyRoutes } from './routes/journey.ts';
import { workflowTransferRoutes } from './routes/workflow-transfer.ts';
import { workflowVersionRoutes } from './routes/workflow-versions.ts';
import { workflowRoutes } from './routes/workflows.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { ExecutionOwners } from './execution-owners.ts';
import { webPlugin } from './plugins/web.ts';
import { attachWorkspaceRooms } from './workspace-rooms.ts';
import { swaggerTransform, zodValidatorCompiler } from './zod.ts';
import { DUET_VERSION } from '../version.ts';

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
    /** Until accounts exist, sockets act in the default workspace like HTTP requests do. */
    defaultWorkspaceId: string;
  }
}

export interface AppDeps {
  config: Config;
  db: Database;
  defaultWorkspaceId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP app; listening, signals and shutdown belong to the caller. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.MAX_REQUEST_BODY_BYTES,
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
  app.addHook('onSend', async (request, reply) => { reply.header('x-request-id', request.id); });

  await app.register(errorsPlugin, { bodyLimit: config.MAX_REQUEST_BODY_BYTES });
  await app.register(metricsPlugin, { enabled: config.METRICS_ENABLED, countProjects: () => countWorkspaces(db) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Duet API', version: DUET_VERSION, description: 'Workflows you can draw and talk to. Errors are `{"error":{"code","message","details"}}`.' },
    },
    transform: swaggerTransform as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(workspacePlugin, { defaultWorkspaceId: deps.defaultWorkspaceId });
  const workflows = new WorkflowRepository(db);
  const limits = { maxRetryAttempts: config.MAX_RETRY_ATTEMPTS };
  await app.register(healthRoutes, { db, version: DUET_VERSION });
  await app.register(workflowRoutes, { workflows, ...limits });
  await app.register(workflowVersionRoutes, { workflows });
  await app.register(workflowTransferRoutes, { workflows, ...limits });
  await app.register(journeyRoutes, { workflows });
  await app.register(workspaceRoutes, { db });

  const engine = createEngine(db, config, app.metrics, app.log);
  app.decorate('engine', engine);
  app.decorate('defaultWorkspaceId', deps.defaultWorkspaceId);
  app.addHook('preClose', async () => engine.bus.close());
  app.addHook('onClose', () => engine.close());
  await app.register(executionRoutes, { executions: engine.service, workflows });

  const conversationStore = new ConversationStore(db, config.MAX_CONVERSATION_HISTORY);
  const executionRows = new ExecutionStore(db);
  // Progress goes to the sockets of each conversation's room; `io` exists before any event can flow.
  const notifier = new ProgressNotifier(conversationStore, engine.bus, async (executionId) => {
    const row = await executionRows.get(executionId);
    return row ? workflows.versionGraph(row.workspaceId, row.workflowId, row.version) : null;
  }, (turn) => io.to(`conversation:${turn.conversationId}`).emit('conversation.turn', turn), (error) => app.log.error({ err: error }, 'could not push progress to a conversation'));
  app.addHook('onClose', async () => notifier.close());
  const conversations = new ConversationService(
    conversationStore, workflows, engine.service,
    conversationMetrics(app.metrics, offlineUnderstanding(config.NLP_CONFIDENCE_THRESHOLD), () => conversationStore.countActive()),
    { maxSessions: config.MAX_CONCURRENT_SESSIONS, sessionTimeoutMs: config.SESSION_TIMEOUT_MS, settleMs: 2000 },
    {
      onFollow: (executionId) => notifier.follow(executionId),
      onTurns: (conversationId, turns) => {
        for (const turn of turns) io.to(`conversation:${conversationId}`).emit('conversation.turn', { conversationId, ...turn });
      },
    },
  );
  const messageRate = new RateWindow(config.API_RATE_LIMIT_PER_MINUTE);
  await app.register(conversationRoutes, { conversations, rate: messageRate });
  const io = attachRealtime(app, { conversations, rate: messageRate, maxConnections: config.WS_MAX_CONNECTIONS });
  attachWorkspaceRooms(app, io, new ExecutionOwners(executionRows));
  await app.register(webPlugin);
  return app;
}
