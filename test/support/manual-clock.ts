import type { Clock } from '../../src/engine/clock.ts';

interface Alarm {
  at: number;
  order: number;
  fire: () => void;
}

/** How long `whenDue` waits (real time) for the engine to start a timer before the test fails instead of hanging. */
const SCHEDULE_PATIENCE_MS = 10_000;

/**
 * A clock that moves only when the test says so. Timers the engine starts fire when `advance` passes their time,
 * in the order they come due, so waits, retries and timeouts take no real time and happen in a known order.
 */
export class ManualClock implements Clock {
  private current: number;
  private alarms: Alarm[] = [];
  private order = 0;
  private onSchedule: Array<() => void> = [];

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fire: () => void): () => void {
    const alarm = { at: this.current + Math.max(0, ms), order: this.order++, fire };
    this.alarms.push(alarm);
    for (const notify of this.onSchedule.splice(0)) notify();
    // A timer already due fires by itself, as a real one would; only the future waits for `advance`.
    if (alarm.at <= this.current) setImmediate(() => this.fireIfPending(alarm));
    return () => {
      this.alarms = this.alarms.filter((a) => a !== alarm);
    };
  }

  /** Resolves once some timer is due within `ms` from now: the engine has started waiting on it. */
  async whenDue(ms: number): Promise<void> {
    const giveUpAt = Date.now() + SCHEDULE_PATIENCE_MS;
    while (!this.alarms.some((a) => a.at <= this.current + ms)) {
      if (Date.now() > giveUpAt) throw new Error(`no timer came due within ${ms} ms of the manual clock`);
      await new Promise<void>((resolve) => {
        const poll = setTimeout(resolve, 50);
        this.onSchedule.push(() => {
          clearTimeout(poll);
          resolve();
        });
      });
    }
  }

  /** Moves time forward by `ms`, firing every timer that comes due on the way, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.alarms.filter((a) => a.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      this.fireIfPending(next);
      // Let what the timer started take its first steps before the next one fires.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = target;
  }

  private fireIfPending(alarm: Alarm): void {
    if (!this.alarms.includes(alarm)) return;
    this.alarms = this.alarms.filter((a) => a !== alarm);
    alarm.fire();
  }
}
