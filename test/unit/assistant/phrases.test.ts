import { describe, expect, it } from 'vitest';
import { understand } from '../../../src/assistant/phrases.ts';
import { matchTasks } from '../../../src/assistant/match.ts';
import { summaryDay } from '../../../src/assistant/summary-time.ts';

const NY = 'America/New_York';
// Monday 7 December 2026, 18:30 in New York (23:30 UTC).
const now = new Date('2026-12-07T23:30:00Z');

describe('assistant phrases', () => {
  it('adds a task with its reminder in the user time zone', () => {
    const intent = understand('Remind me to call the bank tomorrow at 9', now, NY);
    expect(intent).toEqual({
      kind: 'add',
      title: 'call the bank',
      dueAt: new Date('2026-12-08T14:00:00Z'),
      remindAt: new Date('2026-12-08T14:00:00Z'),
    });
  });

  it('reads the same words against another zone', () => {
    const intent = understand('remind me to call the bank tomorrow at 9', now, 'Asia/Tokyo');
    // It is already Tuesday 08:30 in Tokyo: tomorrow is Wednesday.
    expect(intent).toMatchObject({ kind: 'add', remindAt: new Date('2026-12-09T00:00:00Z') });
  });

  it('keeps the title when the time comes first and without a time', () => {
    expect(understand('remind me next monday at 2:30pm dentist', now, NY)).toMatchObject({
      title: 'dentist',
      remindAt: new Date('2026-12-14T19:30:00Z'),
    });
    expect(understand('add buy milk', now, NY)).toEqual({
      kind: 'add',
      title: 'buy milk',
      dueAt: null,
      remindAt: null,
    });
    expect(understand('todo: Renew passport', now, NY)).toMatchObject({ title: 'Renew passport' });
  });

  it('reminds a day-only task in that morning', () => {
    expect(understand('remind me to pay rent on Friday', now, NY)).toMatchObject({
      title: 'pay rent',
      dueAt: new Date('2026-12-11T05:00:00Z'),
      remindAt: new Date('2026-12-11T14:00:00Z'),
    });
  });

  it('counts "in an hour" in real time', () => {
    expect(understand('remind me to stretch in an hour', now, NY)).toMatchObject({
      title: 'stretch',
      remindAt: new Date('2026-12-08T00:30:00Z'),
    });
  });

  it('lists today, tomorrow or everything', () => {
    expect(understand("what's on today?", now, NY)).toEqual({
      kind: 'list',
      from: new Date('2026-12-07T05:00:00Z'),
      to: new Date('2026-12-08T05:00:00Z'),
      label: 'today',
    });
    expect(understand("What's on?", now, NY)).toMatchObject({ label: 'today' });
    expect(understand('what do I have tomorrow', now, NY)).toMatchObject({
      from: new Date('2026-12-08T05:00:00Z'),
      label: 'tomorrow',
    });
    expect(understand('list my tasks', now, NY)).toEqual({ kind: 'list', from: null, to: null, label: 'open' });
  });

  it('completes a named task or the last one', () => {
    expect(understand('done with the bank', now, NY)).toEqual({ kind: 'complete', target: 'the bank' });
    expect(understand('Done!', now, NY)).toEqual({ kind: 'complete', target: null });
    expect(understand('mark dentist as done', now, NY)).toEqual({ kind: 'complete', target: 'dentist' });
  });

  it('snoozes for a span or to a time', () => {
    expect(understand('snooze that for an hour', now, NY)).toEqual({
      kind: 'snooze',
      target: null,
      until: new Date('2026-12-08T00:30:00Z'),
    });
    expect(understand('snooze', now, NY)).toMatchObject({ until: new Date('2026-12-07T23:40:00Z') });
    expect(understand('snooze the bank until tomorrow at 8am', now, NY)).toMatchObject({
      target: 'the bank',
    });
  });

  it('acknowledges, helps, and admits what it does not understand', () => {
    expect(understand('ok', now, NY)).toEqual({ kind: 'acknowledge' });
    expect(understand('help', now, NY)).toEqual({ kind: 'help' });
    expect(understand('the weather is nice', now, NY)).toEqual({ kind: 'unknown' });
  });
});

describe('DST edges', () => {
  it('a reminder at 02:30 on the spring-forward night moves to 03:30', () => {
    const evening = new Date('2026-03-08T03:00:00Z'); // Sat 7 March 22:00 EST
    expect(understand('remind me to feed the cat tomorrow at 2:30am', evening, NY)).toMatchObject({
      remindAt: new Date('2026-03-08T07:30:00Z'), // 03:30 EDT
    });
  });

  it('a reminder at 01:30 on the fall-back night is the first 01:30', () => {
    const evening = new Date('2026-11-01T02:00:00Z'); // Sat 31 Oct 22:00 EDT
    expect(understand('remind me to check the oven tomorrow at 1:30am', evening, NY)).toMatchObject({
      remindAt: new Date('2026-11-01T05:30:00Z'), // 01:30 EDT
    });
  });

  it('"tomorrow at 9" across the change is 9 on the new offset', () => {
    const saturday = new Date('2026-03-07T17:00:00Z'); // Sat 12:00 EST
    expect(understand('remind me to call mum tomorrow at 9', saturday, NY)).toMatchObject({
      remindAt: new Date('2026-03-08T13:00:00Z'), // 09:00 EDT
    });
  });

  it('"today" on the short day spans 23 hours', () => {
    const sunday = new Date('2026-03-08T15:00:00Z');
    const intent = understand("what's on today", sunday, NY);
    expect(intent).toMatchObject({ from: new Date('2026-03-08T05:00:00Z'), to: new Date('2026-03-09T04:00:00Z') });
  });
});

describe('matching a task by words', () => {
  const tasks = [
    { id: '1', title: 'call the bank' },
    { id: '2', title: "book the dentist's appointment" },
    { id: '3', title: 'bank transfer to Sam' },
  ];
  it('finds the task that shares the most words', () => {
    expect(matchTasks(tasks, 'the bank').map((t) => t.id)).toEqual(['1', '3']);
    expect(matchTasks(tasks, 'call bank').map((t) => t.id)).toEqual(['1']);
    expect(matchTasks(tasks, 'dentist').map((t) => t.id)).toEqual(['2']);
    expect(matchTasks(tasks, 'groceries')).toEqual([]);
  });
});

describe('the daily summary day', () => {
  it('is due once the local time is reached, once per local day', () => {
    const at = (iso: string) => new Date(iso);
    expect(summaryDay(at('2026-12-08T12:59:00Z'), NY, '08:00', null)).toBeNull();
    expect(summaryDay(at('2026-12-08T13:00:00Z'), NY, '08:00', null)).toBe('2026-12-08');
    expect(summaryDay(at('2026-12-08T20:00:00Z'), NY, '08:00', '2026-12-08')).toBeNull();
    // 03:00 UTC on the 9th is still the 8th in New York.
    expect(summaryDay(at('2026-12-09T03:00:00Z'), NY, '08:00', '2026-12-08')).toBeNull();
    expect(summaryDay(at('2026-12-09T13:00:00Z'), NY, '08:00', '2026-12-08')).toBe('2026-12-09');
  });
});
