import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { SCRAPE_TIMEOUT_MS } from '../ops/metrics.ts';
import { withTimeout } from '../ops/timeout.ts';

/** The engine's Prometheus metrics (listed in docs/operations.md, "Metrics"). */
export class EngineMetrics {
  readonly executions: Counter<'status' | 'mode'>;
  readonly duration: Histogram<'status'>;
  readonly steps: Counter<'type' | 'status'>;

  constructor(
    registry: Registry,
    gauges: { active: () => number; depth: () => number | Promise<number> },
    scrapeTimeoutMs = SCRAPE_TIMEOUT_MS,
  ) {
    this.executions = new Counter({
      name: 'workflow_executions_total',
      help: 'Executions that ended, by status and mode',
      labelNames: ['status', 'mode'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'workflow_duration_seconds',
      help: 'Execution duration from start to end',
      labelNames: ['status'],
      registers: [registry],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600],
    });
    this.steps = new Counter({
      name: 'workflow_steps_total',
      help: 'Step attempts that ended, by block type and status',
      labelNames: ['type', 'status'],
      registers: [registry],
    });
    new Gauge({
      name: 'executions_active',
      help: 'Executions running in this process',
      registers: [registry],
      collect() {
        this.set(gauges.active());
      },
    });
    // In queue mode the depth comes from Redis; while Redis is down it keeps its last value instead of hanging /metrics.
    new Gauge({
      name: 'queue_depth',
      help: 'Executions accepted and waiting for a free slot',
      registers: [registry],
      async collect() {
        const depth = await withTimeout(Promise.resolve(gauges.depth()), scrapeTimeoutMs).catch(() => undefined);
        if (depth !== undefined) this.set(depth);
      },
    });
  }
}
