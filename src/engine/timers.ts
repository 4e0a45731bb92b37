/** setTimeout takes at most ~24.8 days; longer waits re-arm. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * In-memory alarms for waits. The wake-up time lives in the database (`executions.wake_at`), so
 * these are only a cache: recovery re-arms them after a restart.
 */
export class Timers {
  private readonly alarms = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly fire: (executionId: string) => void) {}

  set(executionId: string, at: Date): void {
    if (this.closed) return;
    this.clear(executionId);
    const delay = Math.max(0, at.getTime() - Date.now());
    const timer = setTimeout(
      () => {
        this.alarms.delete(executionId);
        if (delay > MAX_DELAY_MS) this.set(executionId, at);
        else this.fire(executionId);
      },
      Math.min(delay, MAX_DELAY_MS),
    );
    timer.unref();
    this.alarms.set(executionId, timer);
  }

  clear(executionId: string): void {
    const timer = this.alarms.get(executionId);
    if (timer) clearTimeout(timer);
    this.alarms.delete(executionId);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.alarms.values()) clearTimeout(timer);
    this.alarms.clear();
  }
}
