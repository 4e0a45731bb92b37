import type { FastifyBaseLogger } from 'fastify';
import { nowDate, type Clock } from '../engine/clock.ts';
import type { ExecutionService } from '../engine/service.ts';
import { dueFires } from '../model/cron.ts';
import { DuetError } from '../model/errors.ts';
import type { ScheduleConfig } from '../model/triggers.ts';
import type { Trigger, TriggerStore } from '../store/triggers.ts';
import { startOnce } from './start-once.ts';

type Schedule = Trigger & { type: 'schedule'; config: ScheduleConfig };

/** Schedules handled per round; a full round is followed at once by the next. */
const ROUND = 200;
/** Fires and delivery keys are kept this long (a webhook retried later starts again), pruned once an hour. */
export const FIRES_KEPT_MS = 30 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/**
 * Starts what schedules have due. Every process runs one; each fire is claimed in the database under
 * (trigger id, fire time), so however many processes see a fire, it starts one execution. A schedule's
 * `nextFireAt` is moved on only after its fires are claimed and started, so a process killed in between leaves
 * them to the next round (of any process), which completes them.
 */
export class Scheduler {
  private stopped = false;
  private cancel: (() => void) | undefined;
  private round: Promise<void> = Promise.resolve();
  private prunedAt = 0;

  constructor(
    private readonly deps: {
      store: TriggerStore;
      executions: ExecutionService;
      clock: Clock;
      log: FastifyBaseLogger;
      pollMs: number;
    },
  ) {}

  /** Looks for due fires every `pollMs` until stopped. */
  start(): void {
    const beat = () => {
      if (this.stopped) return;
      this.round = this.runDue()
        .then(() => this.prune())
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'could not start scheduled executions'))
        .finally(() => {
          if (!this.stopped) this.cancel = this.deps.clock.after(this.deps.pollMs, beat, true);
        });
    };
    beat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.round;
  }

  /** Starts every fire due now; returns how many executions this process started. */
  async runDue(): Promise<number> {
    let started = 0;
    for (;;) {
      const now = nowDate(this.deps.clock);
      const due = (await this.deps.store.dueSchedules(now, ROUND)) as Schedule[];
      const counts = await Promise.all(due.map((schedule) => this.fire(schedule, now)));
      started += counts.reduce((a, b) => a + b, 0);
      if (due.length < ROUND || this.stopped) return started;
    }
  }

  private async prune(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.deps.store.pruneFires(new Date(now - FIRES_KEPT_MS));
  }

  private async fire(schedule: Schedule, now: Date): Promise<number> {
    const { store, executions, log } = this.deps;
    const { fire, next } = dueFires(schedule.config, schedule.nextFireAt!, now);
    let started = 0;
    for (const at of fire) {
      try {
        const result = await startOnce(
          { store, executions },
          schedule,
          `fire:${at.toISOString()}`,
          schedule.config.input,
        );
        if (!result.replayed) started++;
      } catch (error) {
        // A fire the workflow refuses (no published version, input that no longer fits) is skipped, and said.
        if (!(error instanceof DuetError)) throw error;
        log.warn(
          { triggerId: schedule.id, workflowId: schedule.workflowId, fireAt: at.toISOString(), err: error },
          `scheduled fire skipped: ${error.message}`,
        );
      }
    }
    await store.advance(schedule.id, next);
    return started;
  }
}
