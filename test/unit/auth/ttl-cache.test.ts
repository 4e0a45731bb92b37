import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../src/auth/ttl-cache.ts';

describe('TtlCache', () => {
  const clock = () => {
    let now = 1_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('keeps a value for its time to live, and not a moment longer', () => {
    const time = clock();
    const cache = new TtlCache<string, number>(5000, 10, time.now);
    cache.set('a', 1);
    time.advance(4999);
    expect(cache.get('a')).toBe(1);
    time.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most its size, dropping the least recently used first', () => {
    const cache = new TtlCache<string, number>(5000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // now b is the least recently used
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('drops the values a predicate picks', () => {
    const cache = new TtlCache<string, { id: string }>(5000, 10);
    cache.set('h1', { id: 'k1' });
    cache.set('h2', { id: 'k2' });
    cache.deleteWhere((value) => value.id === 'k1');
    expect([cache.get('h1'), cache.get('h2')]).toEqual([undefined, { id: 'k2' }]);
  });

  it('keeps nothing with a time to live of 0', () => {
    const cache = new TtlCache<string, number>(0, 10);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
