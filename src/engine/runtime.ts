import type { FastifyBaseLogger } from 'fastify';
import type { StoredEvent } from '../model/events.ts';
import type { ExecutionRow, ExecutionStore } from '../store/executions.ts';
import type { Dispatch } from '../queue/dispatch.ts';
import type { BlockServices } from './blocks/types.ts';
import type { Clock } from './clock.ts';
import type { CreatedRows } from './created-rows.ts';
import type { EventBus } from './event-bus.ts';
import type { EngineMetrics } from './metrics.ts';
import type { Timers } from './timers.ts';
import type { VersionCache } from './versions.ts';

export interface EngineLimits {
  maxWorkflowDurationMs: number;
  maxRetryAttempts: number;
  maxStepOutputBytes: number;
}

/** What the command service needs: the runtime without the services blocks call (one of which is the command service). */
export interface EngineCore {
  store: ExecutionStore;
  versions: VersionCache;
  bus: EventBus;
  dispatch: Dispatch;
  timers: Timers;
  /** What the engine reads as now and waits on; tests move it by hand. */
  clock: Clock;
  metrics: EngineMetrics;
  limits: EngineLimits;
  /** Allow-listed environment values templates may read as `env.NAME`. */
  env: Record<string, string>;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Executions just created here, for their first run (in-process dispatch only). */
  created: CreatedRows;
  /** Wakes a running execution's loop so it re-reads its row (pause, cancel). */
  nudge(executionId: string): void;
}

/** What the executor runs blocks with: the core plus the services blocks call; built once by `createEngine`. */
export interface EngineRuntime extends EngineCore {
  services: BlockServices;
}

/** Commit, then announce: the only way events reach listeners (`committed`: the row that commit returned). */
export function announce(runtime: Pick<EngineRuntime, 'bus'>, events: StoredEvent[], committed?: ExecutionRow): void {
  runtime.bus.publish(events, committed);
}
