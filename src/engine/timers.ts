import type { Clock } from './clock.ts';

/** setTimeout takes at most ~24.8 days; longer waits re-arm. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * In-memory alarms for waits. The wake-up time lives in the database (`executions.wake_at`), so
 * these are only a cache: recovery re-arms them after a restart.
 */
export class Timers {
  private readonly alarms = new Map<string, () => void>();
  private closed = false;

  constructor(
    private readonly fire: (executionId: string) => void,
    private readonly clock: Clock,
  ) {}

  set(executionId: string, at: Date): void {
    if (this.closed) return;
    this.clear(executionId);
    const delay = Math.max(0, at.getTime() - this.clock.now());
    const cancel = this.clock.after(
      Math.min(delay, MAX_DELAY_MS),
      () => {
        this.alarms.delete(executionId);
        if (delay > MAX_DELAY_MS) this.set(executionId, at);
        else this.fire(executionId);
      },
      true,
    );
    this.alarms.set(executionId, cancel);
  }

  clear(executionId: string): void {
    this.alarms.get(executionId)?.();
    this.alarms.delete(executionId);
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.alarms.values()) cancel();
    this.alarms.clear();
  }
}
