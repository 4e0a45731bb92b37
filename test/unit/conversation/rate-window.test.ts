import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../../src/server/rate-window.ts';

describe('RateWindow', () => {
  it('allows perMinute hits per key and says how long to wait after that', () => {
    const rate = new RateWindow(2);
    expect(rate.take('a', 0)).toBe(0);
    expect(rate.take('a', 10_000)).toBe(0);
    expect(rate.take('a', 20_000)).toBe(40);
    expect(rate.take('b', 20_000)).toBe(0);
    expect(rate.take('a', 60_001)).toBe(0);
  });

  it('forgets keys whose minute has passed, so made-up keys cannot grow memory without bound', () => {
    const rate = new RateWindow(1);
    for (let i = 0; i < 10_000; i++) rate.take(`k${i}`, 0);
    expect(rate.size).toBe(10_000);
    rate.take('late', 120_000);
    expect(rate.size).toBe(1);
  });
});
