import type { Redis } from 'ioredis';
import { RateWindow } from './rate-window.ts';

const WINDOW_MS = 60_000;

/**
 * The per-minute message limit shared by every server instance: a counter per key and minute in Redis.
 * While Redis does not answer, each instance falls back to its own in-memory window rather than refusing chats.
 */
export class RedisRateWindow {
  private readonly local: RateWindow;

  constructor(
    private readonly redis: Redis,
    readonly perMinute: number,
  ) {
    this.local = new RateWindow(perMinute);
  }

  async take(key: string, now = Date.now()): Promise<number> {
    const minute = Math.floor(now / WINDOW_MS);
    const counter = `duet:rate:${key}:${minute}`;
    try {
      const [[, count]] = (await this.redis
        .multi()
        .incr(counter)
        .pexpire(counter, WINDOW_MS * 2)
        .exec()) as [[Error | null, number]];
      return count > this.perMinute ? Math.max(1, Math.ceil(((minute + 1) * WINDOW_MS - now) / 1000)) : 0;
    } catch {
      return this.local.take(key, now);
    }
  }
}
