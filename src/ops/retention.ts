import type { FastifyBaseLogger } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config/env.ts';
import { TERMINAL } from '../model/execution.ts';
import type { Database } from '../store/db.ts';
import { pruneBatch } from '../store/retention.ts';

const DAY_MS = 24 * 3_600_000;
const BATCH_SIZE = 100;
/** Pause between batches so request handling and executions interleave with a long sweep. */
const BATCH_PAUSE_MS = 20;

export interface RetentionOptions {
  maxAgeDays: number;
  maxCount: number;
  intervalMs: number;
}

export const retentionOptions = (config: Config): RetentionOptions => ({
  maxAgeDays: config.EXECUTION_RETENTION_DAYS,
  maxCount: config.EXECUTION_RETENTION_MAX_COUNT,
  intervalMs: config.RETENTION_INTERVAL_MS,
});

/**
 * Prunes ended executions on a timer, in small batches with pauses between them, so the database does not grow
 * without bound and the server never stalls on one large delete. Off when both limits are 0.
 */
export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private readonly pruned: Counter;

  constructor(
    private readonly db: Database,
    private readonly options: RetentionOptions,
    registry: Registry,
    private readonly log: FastifyBaseLogger,
  ) {
    // One counter per registry, however many Retention objects share it.
    this.pruned =
      (registry.getSingleMetric('executions_pruned_total') as Counter | undefined) ??
      new Counter({
        name: 'executions_pruned_total',
        help: 'Executions (children included) deleted by retention',
        registers: [registry],
      });
  }

  get enabled(): boolean {
    return this.options.maxAgeDays > 0 || this.options.maxCount > 0;
  }

  start(): void {
    if (!this.enabled) return;
    // The first sweep soon after start, not a whole interval later.
    this.first = setTimeout(
      () => {
        void this.sweep();
      },
      Math.min(this.options.intervalMs, 60_000),
    );
    this.first.unref();
    this.timer = setInterval(() => {
      void this.sweep();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One sweep: batches until nothing is left to prune; a sweep already in progress is not doubled. */
  sweep(now = new Date()): Promise<{ executions: number; roots: number }> {
    if (!this.running) {
      this.running = this.sweepOnce(now).finally(() => {
        this.running = undefined;
      });
    }
    return this.running as Promise<{ executions: number; roots: number }>;
  }

  private async sweepOnce(now: Date) {
    const policy = {
      finishedBefore:
        this.options.maxAgeDays > 0 ? new Date(now.getTime() - this.options.maxAgeDays * DAY_MS) : undefined,
      keepNewest: this.options.maxCount > 0 ? this.options.maxCount : undefined,
      terminal: [...TERMINAL],
      batchSize: BATCH_SIZE,
    };
    const total = { executions: 0, roots: 0 };
    try {
      while (!this.stopped) {
        const batch = await pruneBatch(this.db, policy);
        if (batch.executions === 0) break;
        total.executions += batch.executions;
        total.roots += batch.roots;
        this.pruned.inc(batch.executions);
        await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
      }
    } catch (error) {
      this.log.error({ err: error }, 'retention sweep failed; it runs again at the next interval');
    }
    if (total.executions > 0) {
      this.log.info(
        {
          executions: total.executions,
          topLevel: total.roots,
          maxAgeDays: this.options.maxAgeDays,
          maxCount: this.options.maxCount,
        },
        'retention pruned ended executions',
      );
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.first);
    clearInterval(this.timer);
    await this.running;
  }
}
