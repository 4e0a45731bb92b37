import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { SmsServices } from '../channels/sms/index.ts';
import type { LiveTurns } from '../conversation/live-turns.ts';
import type { ConversationService } from '../conversation/manager.ts';
import type { Engine, QueueMode } from '../engine/engine.ts';
import type { KnowledgeService } from '../knowledge/service.ts';
import type { SecretStore } from '../store/secrets.ts';
import type { TriggerStore } from '../store/triggers.ts';
import type { TriggerService } from '../triggers/service.ts';
import type { TaskStore } from '../store/tasks.ts';
import type { Clock } from '../engine/clock.ts';
import type { WorkflowRepository } from '../store/workflows.ts';

// The shape the HTTP app mounts on. src/main builds it (buildServices); it is declared here, below main, so the
// server depends on what it needs and never on the composition root.

/** Queue mode: the Redis connections, whether this process runs executions, and how many at once. */
export type QueueServices = QueueMode & {
  /** Fails fast instead of queueing commands while Redis is down: for checks and rate limits. */
  fast: Redis;
};

/** The product without its HTTP face: what `duet serve` mounts HTTP and sockets on and `duet worker` runs. */
export interface Services {
  log: FastifyBaseLogger;
  /** Every metric of the process; `/metrics` serves it when there is HTTP. */
  metrics: Registry;
  engine: Engine;
  workflows: WorkflowRepository;
  secrets: SecretStore;
  /** The personal assistant's tasks and reminders. */
  tasks: TaskStore;
  /** What "now" is for the engine and the assistant (tests move it by hand). */
  clock: Clock;
  /** Signs sign-in sessions. */
  authSecret: string;
  conversations: ConversationService;
  /** Knowledge bases: documents in, passages with citations out. */
  knowledge: KnowledgeService;
  /** The SMS channel: inbound handling, the outbox and its sender. */
  sms: SmsServices;
  /** Webhook, schedule and chat triggers: their API and their store (deliveries and fires). */
  triggers: { service: TriggerService; store: TriggerStore };
  /** Stored turns to show live; the sockets connect here. */
  turns: LiveTurns;
  queue?: QueueServices;
  /** Picks up what a previous process left (queued and running executions, wait timers), says so, starts schedules. */
  recover(): Promise<void>;
  /**
   * Stops taking work, lets the runs in hand finish (within the engine's grace period), then stops the timers
   * around them. The database and Redis stay open: they are the caller's. Closing twice closes once.
   */
  close(): Promise<void>;
}
