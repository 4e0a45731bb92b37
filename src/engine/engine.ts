import { randomUUID } from 'node:crypto';
import { Assistant, type KnowledgeAsker } from '../assistant/service.ts';
import { assistantFreeReader } from './assistant-reader.ts';
import { AssistantContacts, TaskStore } from '../store/tasks.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { KnowledgeLookup } from '../model/knowledge-hits.ts';
import type { Config } from '../config/env.ts';
import { createLlmRegistry } from '../llm/registry.ts';
import { parseAllowList } from '../net/address-policy.ts';
import { guardedFetch } from '../net/guarded-fetch.ts';
import type { Redis } from 'ioredis';
import { BullDispatch } from '../queue/bullmq.ts';
import { InProcessDispatch } from '../queue/in-process.ts';
import { redisBusTransport } from '../queue/redis-bus.ts';
import { FunctionPool } from '../sandbox/pool.ts';
import type { Database } from '../store/db.ts';
import { ExecutionStore } from '../store/executions.ts';
import { WorkflowRepository } from '../store/workflows.ts';
import type { NotifyChannels, SecretSource } from './blocks/types.ts';
import { systemClock, type Clock } from './clock.ts';
import { CreatedRows } from './created-rows.ts';
import { EventBus } from './event-bus.ts';
import { ExecutionRun } from './executor.ts';
import { EngineMetrics } from './metrics.ts';
import type { EngineCore, EngineRuntime } from './runtime.ts';
import { startReconciler } from './reconciler.ts';
import { ExecutionService } from './service.ts';
import { Timers } from './timers.ts';
import { workflowTools } from './workflow-tools.ts';
import { VersionCache } from './versions.ts';

const SHUTDOWN_GRACE_MS = 5000;

export interface Engine {
  service: ExecutionService;
  bus: EventBus;
  /** Queue mode only: the BullMQ dispatch, for /ready and metrics. */
  queue?: BullDispatch;
  /** Picks up what a previous process left: queued and running executions, and wait timers. */
  recover(): Promise<{ resumed: number; timers: number }>;
  close(): Promise<void>;
}

/** Allow-listed environment values templates may read (`env.NAME`); nothing else leaks in. */
export function workflowEnv(
  config: Pick<Config, 'WORKFLOW_ENV_ALLOWLIST'>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(
    config.WORKFLOW_ENV_ALLOWLIST.filter((name) => env[name] !== undefined).map((name) => [name, env[name]!]),
  );
}

function leased(store: ExecutionStore, ttlMs: number, run: (id: string) => Promise<void>, log: FastifyBaseLogger) {
  return async (id: string) => {
    const owner = randomUUID();
    if (!(await store.claim(id, owner, ttlMs))) {
      log.info({ executionId: id }, 'another run holds this execution; leaving it to that run');
      return;
    }
    const renewal = setInterval(
      () => {
        store.renew(id, owner, ttlMs).then(
          (held) => {
            if (!held)
              log.warn(
                { executionId: id },
                'this run lost its lease on the execution (it paused longer than QUEUE_LOCK_DURATION_MS)',
              );
          },
          (error: unknown) => log.warn({ err: error, executionId: id }, 'could not renew the lease'),
        );
      },
      Math.max(250, Math.floor(ttlMs / 3)),
    );
    try {
      await run(id);
    } finally {
      clearInterval(renewal);
      await store
        .release(id, owner)
        .catch((error: unknown) =>
          log.warn({ err: error, executionId: id }, 'could not release the lease; it expires by itself'),
        );
    }
  };
}

/** Queue mode (REDIS_URL): dispatch through BullMQ, events and nudges through Redis pub/sub. */
export interface QueueMode {
  /** For commands and BullMQ. */
  redis: Redis;
  /** Subscribed to pub/sub (a subscribed connection can do nothing else). */
  subscriber: Redis;
  /** Runs executions in this process; false for `duet serve --no-worker`. */
  work: boolean;
  concurrency: number;
}

/**
 * Wires the executor, dispatch, timers and service over one database; `secrets` lets templates read `secrets.NAME`;
 * `clock` is what waits, retries and timeouts count on (tests pass one they move by hand); `notify` is where
 * notify steps send SMS and chat messages.
 */
export function createEngine(
  db: Database,
  config: Config,
  registry: Registry,
  log: FastifyBaseLogger,
  queueMode?: QueueMode,
  secrets?: SecretSource,
  clock: Clock = systemClock,
  knowledge?: KnowledgeLookup,
  notify?: NotifyChannels,
  /** How the assistant answers a question from an attached knowledge base (the chat's answerer). */
  askKnowledge?: KnowledgeAsker,
): Engine {
  const runs = new Map<string, ExecutionRun>();
  const store = new ExecutionStore(db);
  const workflows = new WorkflowRepository(db);
  const reportBusError = (error: unknown) =>
    log.error({ err: error }, 'Redis pub/sub failed; readers fall back to the database');
  const bus = new EventBus(
    queueMode && redisBusTransport(queueMode.redis, queueMode.subscriber, reportBusError),
    (id) => runs.get(id)?.nudge(),
  );
  // In queue mode another process may run the execution and reads the row itself: nothing is kept here.
  const created = new CreatedRows(queueMode ? 0 : undefined);
  const runHere = async (id: string) => {
    // `runtime` is complete before dispatch hands out its first id: dispatch calls back asynchronously.
    const run = new ExecutionRun(runtime, id, created.take(id));
    runs.set(id, run);
    try {
      await run.run();
    } finally {
      runs.delete(id);
    }
  };
  // In queue mode a run also holds a lease in the database: should Redis lose its jobs (a restart without
  // persistence) and hand an execution out twice, the second run finds it held and backs off.
  const handler = queueMode ? leased(store, config.QUEUE_LOCK_DURATION_MS, runHere, log) : runHere;
  const onRunError = (id: string | undefined, error: unknown) =>
    log.error({ err: error, executionId: id }, 'execution run crashed; it will be picked up again');
  const queue =
    queueMode &&
    new BullDispatch({
      connection: queueMode.redis,
      handler: queueMode.work ? handler : undefined,
      concurrency: queueMode.concurrency,
      lockMs: config.QUEUE_LOCK_DURATION_MS,
      onError: onRunError,
    });
  const dispatch = queue ?? new InProcessDispatch(handler, config.MAX_CONCURRENT_EXECUTIONS, onRunError);
  const stopReconciler = queue
    ? startReconciler(
        store,
        queue,
        config.QUEUE_RECONCILE_INTERVAL_MS,
        (n) => log.warn({ redispatched: n }, 'dispatched executions that no worker held'),
        (error) => log.error({ err: error }, 'the reconciler could not run'),
      )
    : () => undefined;
  const timers = new Timers((id) => dispatch.enqueue(id), clock);
  const functions = new FunctionPool({ size: config.FUNCTION_WORKERS });
  // Built in dependency order: the command service needs the core, and agent blocks call workflows through it.
  const core: EngineCore = {
    store,
    bus,
    dispatch,
    timers,
    clock,
    versions: new VersionCache(workflows),
    metrics: new EngineMetrics(registry, { active: () => dispatch.active(), depth: () => dispatch.depth() }),
    limits: {
      maxWorkflowDurationMs: config.MAX_WORKFLOW_DURATION_MS,
      maxRetryAttempts: config.MAX_RETRY_ATTEMPTS,
      maxStepOutputBytes: config.MAX_STEP_OUTPUT_BYTES,
    },
    env: workflowEnv(config),
    log,
    created,
    nudge: (id: string) => {
      created.drop(id);
      runs.get(id)?.nudge();
      bus.nudgeElsewhere(id);
    },
  };
  const service = new ExecutionService(core, workflows);
  const llm = createLlmRegistry(config);
  const runtime: EngineRuntime = {
    ...core,
    services: {
      fetch: guardedFetch(parseAllowList(config.HTTP_ALLOWED_HOSTS)),
      limits: {
        functionTimeoutMs: config.FUNCTION_TIMEOUT_MS,
        functionMemoryBytes: config.FUNCTION_MEMORY_MB * 1024 * 1024,
      },
      functions,
      clock,
      llm,
      workflows: workflowTools(service, workflows),
      ...(secrets ? { secrets } : {}),
      ...(knowledge ? { knowledge } : {}),
      ...(notify ? { notify } : {}),
      assistant: new Assistant(
        new TaskStore(db),
        new AssistantContacts(db),
        assistantFreeReader(config, llm, (message) => log.warn(message)),
        askKnowledge,
      ),
    },
  };

  return {
    service,
    bus,
    queue,
    async recover() {
      const unfinished = await store.unfinished();
      for (const row of unfinished) dispatch.enqueue(row.id);
      const due = await store.timers();
      for (const timer of due) timers.set(timer.id, timer.wakeAt);
      return { resumed: unfinished.length, timers: due.length };
    },
    async close() {
      stopReconciler();
      timers.close();
      // Runs still busy after the grace period are left as `running` in the database; recovery resumes them.
      await Promise.race([dispatch.close(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
      await functions.close();
    },
  };
}
