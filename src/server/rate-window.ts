const WINDOW_MS = 60_000;
/** Beyond this many keys, stale ones are swept before a new key is added. */
const SWEEP_AT = 10_000;

/**
 * Counts events per key in a sliding one-minute window, in memory (Redis-backed with scale-out).
 * Keys whose window has emptied are swept, so memory stays bounded by the keys active in the last minute.
 */
/** A per-key message budget: the seconds to wait when over it, else 0. */
export interface RateLimiter {
  readonly perMinute: number;
  take(key: string): number | Promise<number>;
}

export class RateWindow implements RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly perMinute: number) {}

  /** Records a hit; returns the seconds to wait when over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    if (!this.hits.has(key) && this.hits.size >= SWEEP_AT) this.sweep(now);
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }

  get size(): number {
    return this.hits.size;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((at) => now - at >= WINDOW_MS)) this.hits.delete(key);
    }
  }
}
