import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { instanceSecrets } from '../auth/instance-secrets.ts';
import type { Config } from '../config/env.ts';
import { createSmsServices } from '../channels/sms/index.ts';
import { SmsInboundHandler } from '../channels/sms/inbound.ts';
import { postToConversation } from '../conversation/posted.ts';
import { configuredKnowledgeAnswers, configuredUnderstanding } from '../conversation/configured.ts';
import { LiveTurns } from '../conversation/live-turns.ts';
import { ConversationService } from '../conversation/manager.ts';
import { conversationMetrics } from '../conversation/metrics.ts';
import { ProgressNotifier } from '../conversation/notifier.ts';
import { startConversationPurger } from '../conversation/purger.ts';
import { everyOnClock, systemClock, type Clock } from '../engine/clock.ts';
import { ReminderSweeper } from '../assistant/reminders.ts';
import { AssistantLine } from '../channels/assistant-line.ts';
import { AssistantContacts, TaskStore } from '../store/tasks.ts';
import { createEngine } from '../engine/engine.ts';
import { configuredEmbedder } from '../knowledge/embedding/index.ts';
import { KnowledgeService } from '../knowledge/service.ts';
import { parseAllowList } from '../net/address-policy.ts';
import { guardedFetch } from '../net/guarded-fetch.ts';
import { Retention, retentionOptions } from '../ops/retention.ts';
import { startTracing } from '../ops/tracing/index.ts';
import { loggerOptions } from '../server/logger.ts';
import { ConversationStore } from '../store/conversations.ts';
import type { Database } from '../store/db.ts';
import { ExecutionStore } from '../store/executions.ts';
import { SecretStore } from '../store/secrets.ts';
import { TriggerStore } from '../store/triggers.ts';
import { WorkflowRepository } from '../store/workflows.ts';
import { Scheduler } from '../triggers/scheduler.ts';
import { TriggerService } from '../triggers/service.ts';
import { DUET_VERSION } from '../version.ts';
import type { QueueServices, Services } from '../server/services.ts';

export type { QueueServices, Services } from '../server/services.ts';

/** Expired conversations are deleted on this beat; they already answer 404 from the moment they expire. */
const PURGE_EVERY_MS = 10 * 60_000;
/** Due reminders and daily summaries are looked for on this beat, at most this many per beat. */
const REMINDER_SWEEP_MS = 15_000;
const REMINDER_BATCH = 500;
/** How often a process looks for knowledge documents to ingest that nobody told it about (other processes, expired leases). */
const KNOWLEDGE_POLL_MS = 2000;

/** Builds every service over one open, migrated database (and Redis in queue mode), in dependency order. */
export async function buildServices(
  config: Config,
  db: Database,
  options: { queue?: QueueServices; clock?: Clock } = {},
): Promise<Services> {
  const log: FastifyBaseLogger = pino(loggerOptions(config));
  const metrics = new Registry();
  const secrets = await instanceSecrets(config);
  if (secrets.generated)
    log.warn(
      `BETTER_AUTH_SECRET or ENCRYPTION_KEY is not set: using development values kept in ${config.DATA_DIR}; set both in production`,
    );
  const workflows = new WorkflowRepository(db);
  const secretStore = new SecretStore(db, secrets.encryptionKey, secrets.previousEncryptionKey);
  // Built before the engine: knowledge blocks and agents search through it.
  const knowledge = new KnowledgeService(db, {
    embedder: configuredEmbedder(config),
    maxFileBytes: config.KNOWLEDGE_MAX_FILE_BYTES,
    fetch: guardedFetch(parseAllowList(config.HTTP_ALLOWED_HOSTS)),
    urlTimeoutMs: 30_000,
    work: options.queue?.work ?? true,
    shared: options.queue !== undefined,
    leaseMs: config.QUEUE_LOCK_DURATION_MS,
    pollMs: KNOWLEDGE_POLL_MS,
    onError: (error) => log.error({ err: error }, 'knowledge ingestion failed; it is retried when its lease ends'),
  });
  await knowledge.start();
  const turns = new LiveTurns();
  const conversationStore = new ConversationStore(db, config.MAX_CONVERSATION_HISTORY);
  const smsOut = createSmsServices(db, config, log);
  const clock = options.clock ?? systemClock;
  // One answerer for the chat and the assistant: the same answers, with sources, wherever a question is asked.
  const knowledgeAnswers = configuredKnowledgeAnswers(config, knowledge, (message) => log.warn(message));
  const engine = createEngine(
    db,
    config,
    metrics,
    log,
    options.queue,
    secretStore,
    clock,
    knowledge,
    {
      sms: async (workspaceId, to, text, key) =>
        (await smsOut.channel.send(workspaceId, to, text, key)).map(({ id, status, segments }) => ({
          id,
          status,
          segments,
        })),
      chat: postToConversation(conversationStore, turns),
    },
    (workspaceId, knowledgeBaseId, question) => knowledgeAnswers.answer(workspaceId, knowledgeBaseId, question),
  );
  const retention = new Retention(db, retentionOptions(config), metrics, log);
  retention.start();
  const stopTracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? startTracing(engine.bus, {
        endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
        serviceName: config.OTEL_SERVICE_NAME,
        version: DUET_VERSION,
        log,
      })
    : async () => undefined;

  const executionRows = new ExecutionStore(db);
  const notifier = new ProgressNotifier(
    conversationStore,
    engine.bus,
    async (executionId) => {
      const row = await executionRows.get(executionId);
      return row ? workflows.versionGraph(row.workspaceId, row.workflowId, row.version) : null;
    },
    (turn) => turns.push(turn),
    (error) => log.error({ err: error }, 'could not push progress to a conversation'),
  );
  const conversations = new ConversationService(
    conversationStore,
    workflows,
    engine.service,
    conversationMetrics(
      metrics,
      configuredUnderstanding(config, (message) => log.warn(message)),
      () => conversationStore.countActive(),
    ),
    {
      maxSessions: config.MAX_CONCURRENT_SESSIONS,
      sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
      settleMs: 2000,
      maxRetryAttempts: config.MAX_RETRY_ATTEMPTS,
    },
    {
      onFollow: (executionId) => notifier.follow(executionId),
      onTurns: (conversationId, stored) => {
        for (const turn of stored) turns.push({ conversationId, ...turn });
      },
    },
    knowledgeAnswers,
  );
  const contacts = new AssistantContacts(db);
  const tasks = new TaskStore(db);
  const sms = {
    ...smsOut,
    inbound: new SmsInboundHandler(smsOut.directory, conversations, new AssistantLine(contacts, engine.service)),
  };
  const reminders = new ReminderSweeper(
    tasks,
    contacts,
    async (workspaceId, to, text, key) => {
      await sms.channel.send(workspaceId, to, text, key);
    },
    {
      followUpMs: config.ASSISTANT_FOLLOW_UP_MINUTES * 60_000,
      maxFollowUps: config.ASSISTANT_MAX_FOLLOW_UPS,
      batch: REMINDER_BATCH,
    },
    (error, what) => log.warn({ err: error }, `could not send ${what}`),
  );
  const stopReminders = everyOnClock(
    clock,
    REMINDER_SWEEP_MS,
    (now) => reminders.sweep(now),
    (error) => log.error({ err: error }, 'could not send due reminders'),
  );
  const stopPurger = startConversationPurger(
    conversationStore,
    PURGE_EVERY_MS,
    (purged) => log.info({ purged }, 'deleted expired conversations'),
    (error) => log.error({ err: error }, 'could not delete expired conversations'),
  );

  const triggerStore = new TriggerStore(db);
  const triggers = new TriggerService(triggerStore, workflows, clock);
  const scheduler = new Scheduler({
    store: triggerStore,
    executions: engine.service,
    clock,
    log,
    pollMs: config.SCHEDULE_POLL_MS,
  });

  let closing: Promise<void> | undefined;
  const close = async () => {
    // No new scheduled starts while the engine drains.
    await scheduler.stop();
    // Waiting readers answer now; then the engine stops taking work and drains.
    engine.bus.close();
    await engine.close();
    await knowledge.close();
    await retention.stop();
    // After the engine has stopped, so the last spans are sent.
    await stopTracing();
    notifier.close();
    stopPurger();
    stopReminders();
    await sms.close();
  };
  return {
    log,
    metrics,
    engine,
    workflows,
    secrets: secretStore,
    authSecret: secrets.authSecret,
    conversations,
    knowledge,
    sms,
    tasks,
    clock,
    triggers: { service: triggers, store: triggerStore },
    turns,
    ...(options.queue ? { queue: options.queue } : {}),
    async recover() {
      const recovered = await engine.recover();
      // After recovery, so fires missed while down are started by a running engine.
      scheduler.start();
      if (recovered.resumed + recovered.timers > 0)
        log.info(recovered, 'resumed executions left by the previous process');
    },
    close: () => (closing ??= close()),
  };
}
