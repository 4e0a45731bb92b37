import { Gauge, type Registry } from 'prom-client';
import { WAIT_REASONS } from '../model/execution.ts';
import type { Database } from '../store/db.ts';
import { waitingStats } from '../store/waiting-stats.ts';
import { withTimeout } from './timeout.ts';

/** Values read at scrape time are bounded, so one dependency that does not answer cannot hang the whole of /metrics. */
export const SCRAPE_TIMEOUT_MS = 2000;
/** A time wait whose moment passed this long ago without waking counts as overdue. */
const OVERDUE_GRACE_SECONDS = 60;

/**
 * Gauges operators alert on, read from the database at scrape time: `database_up` (1 when it answers within 2 s),
 * `executions_waiting{reason}` and `executions_waiting_overdue` (time waits that did not wake up: a lost timer).
 * A scrape that cannot read the database keeps the previous waiting values rather than failing /metrics.
 */
export function registerOperationsMetrics(registry: Registry, db: Database): void {
  new Gauge({
    name: 'database_up',
    help: 'Whether the database answered a ping within 2 s at scrape time',
    registers: [registry],
    async collect() {
      this.set(
        await withTimeout(db.ping(), SCRAPE_TIMEOUT_MS).then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  // A scrape collects all metrics at once, so both gauges share the one query in flight.
  let inflight: Promise<Awaited<ReturnType<typeof waitingStats>> | null> | undefined;
  const stats = () => {
    inflight ??= withTimeout(waitingStats(db, OVERDUE_GRACE_SECONDS), SCRAPE_TIMEOUT_MS)
      .catch(() => null)
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
  new Gauge({
    name: 'executions_waiting',
    help: 'Executions waiting for input, an approval or a time',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      const current = await stats();
      if (!current) return;
      for (const reason of new Set([...WAIT_REASONS, ...Object.keys(current.byReason)]))
        this.set({ reason }, current.byReason[reason] ?? 0);
    },
  });
  new Gauge({
    name: 'executions_waiting_overdue',
    help: 'Executions waiting on a time that passed more than 60 s ago',
    registers: [registry],
    async collect() {
      const current = await stats();
      if (current) this.set(current.overdue);
    },
  });
}

export interface QueueProbe {
  ping(): Promise<unknown>;
  /** Worker processes connected to the queue. */
  workers(): Promise<number>;
}

/**
 * Queue mode: `redis_up` (1 when Redis answers a ping within 2 s at scrape time) and `queue_workers` (worker
 * processes connected to the queue, as BullMQ sees them). With Redis down the worker count cannot be read; the
 * gauge keeps its last value and `redis_up` 0 says why.
 */
export function registerQueueMetrics(registry: Registry, queue: QueueProbe, timeoutMs = SCRAPE_TIMEOUT_MS): void {
  new Gauge({
    name: 'redis_up',
    help: 'Whether Redis answered a ping within 2 s at scrape time (queue mode)',
    registers: [registry],
    async collect() {
      this.set(
        await withTimeout(queue.ping(), timeoutMs).then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  new Gauge({
    name: 'queue_workers',
    help: 'Worker processes connected to the execution queue (queue mode)',
    registers: [registry],
    async collect() {
      const workers = await withTimeout(queue.workers(), timeoutMs).catch(() => undefined);
      if (workers !== undefined) this.set(workers);
    },
  });
}
