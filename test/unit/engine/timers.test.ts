import { describe, expect, it } from 'vitest';
import { Timers } from '../../../src/engine/timers.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const DAY = 86_400_000;

function timersOn(clock: ManualClock) {
  const fired: string[] = [];
  return { fired, timers: new Timers((id) => fired.push(id), clock) };
}

describe('wait timers', () => {
  it('wakes an execution at its time, not before, in order of time', async () => {
    const clock = new ManualClock(0);
    const { fired, timers } = timersOn(clock);
    timers.set('late', new Date(500));
    timers.set('early', new Date(200));
    await clock.advance(199);
    expect(fired).toEqual([]);
    await clock.advance(301);
    expect(fired).toEqual(['early', 'late']);
  });

  it('wakes at once for a time already past', async () => {
    const clock = new ManualClock(1000);
    const { fired, timers } = timersOn(clock);
    timers.set('overdue', new Date(0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toEqual(['overdue']);
  });

  it('keeps only the latest time of an execution, and forgets a cleared one', async () => {
    const clock = new ManualClock(0);
    const { fired, timers } = timersOn(clock);
    timers.set('moved', new Date(100));
    timers.set('moved', new Date(300));
    timers.set('cleared', new Date(100));
    timers.clear('cleared');
    await clock.advance(200);
    expect(fired).toEqual([]);
    await clock.advance(100);
    expect(fired).toEqual(['moved']);
  });

  it('wakes a wait longer than setTimeout can hold (~24.8 days) at its time', async () => {
    const clock = new ManualClock(0);
    const { fired, timers } = timersOn(clock);
    timers.set('month', new Date(30 * DAY));
    await clock.advance(25 * DAY);
    expect(fired).toEqual([]);
    await clock.advance(5 * DAY);
    expect(fired).toEqual(['month']);
  });

  it('wakes nothing once closed', async () => {
    const clock = new ManualClock(0);
    const { fired, timers } = timersOn(clock);
    timers.set('a', new Date(100));
    timers.close();
    timers.set('b', new Date(100));
    await clock.advance(100);
    expect(fired).toEqual([]);
  });
});
