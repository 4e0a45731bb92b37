import { describe, expect, it } from 'vitest';
import { cronProblem, dueFires, nextFires } from '../../../src/model/cron.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const berlin = { timezone: 'Europe/Berlin', catchUp: 'skip' as const, maxCatchUp: 10 };

describe('cron in a time zone', () => {
  it('fires a time skipped by spring-forward once, at the first minute after the gap', () => {
    // 2026-03-29 02:00 CET jumps to 03:00 CEST in Berlin: 02:30 does not exist that day.
    expect(iso(nextFires('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the first valid local time after the gap
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fires a time repeated by fall-back once, and interval schedules in both hours', () => {
    // 2026-10-25 03:00 CEST goes back to 02:00 CET: 02:30 happens twice.
    expect(iso(nextFires('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 2))).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(iso(nextFires('*/30 2 * * *', 'Europe/Berlin', new Date('2026-10-25T00:00:00Z'), 4))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T01:30:00.000Z', // 02:30 CET
      '2026-10-26T01:00:00.000Z',
    ]);
  });

  it('says why an expression is refused', () => {
    expect(cronProblem('0 9 * * 1-5', 'UTC')).toBeNull();
    expect(cronProblem('@daily', 'UTC')).toBeNull();
    expect(cronProblem('0 25 * * *', 'UTC')).toContain('hour');
    expect(cronProblem('every day', 'UTC')).toContain('not a cron expression');
    expect(cronProblem('0 0 30 2 *', 'UTC')).toContain('never fires');
  });
});

describe('due fires after a downtime', () => {
  const hourly = { cron: '0 * * * *', timezone: 'UTC', maxCatchUp: 3 };
  const from = new Date('2026-05-01T10:00:00Z');
  const now = new Date('2026-05-01T15:00:30Z'); // 10:00 … 14:00 were missed, 15:00 is on time

  it('skip: only the fire on time', () => {
    expect(iso(dueFires({ ...hourly, catchUp: 'skip' }, from, now).fire)).toEqual(['2026-05-01T15:00:00.000Z']);
  });
  it('once: the latest missed one as well', () => {
    expect(iso(dueFires({ ...hourly, catchUp: 'once' }, from, now).fire)).toEqual([
      '2026-05-01T14:00:00.000Z',
      '2026-05-01T15:00:00.000Z',
    ]);
  });
  it('all: the latest maxCatchUp missed ones, oldest first, then the one on time', () => {
    const due = dueFires({ ...hourly, catchUp: 'all' }, from, now);
    expect(iso(due.fire)).toEqual([
      '2026-05-01T12:00:00.000Z',
      '2026-05-01T13:00:00.000Z',
      '2026-05-01T14:00:00.000Z',
      '2026-05-01T15:00:00.000Z',
    ]);
    expect(due.next?.toISOString()).toBe('2026-05-01T16:00:00.000Z');
  });
  it('nothing before the first unhandled fire time, and a fire exactly at now is due', () => {
    expect(
      dueFires({ ...hourly, catchUp: 'all' }, new Date('2026-05-01T15:00:00Z'), new Date('2026-05-01T15:00:00Z')).fire,
    ).toHaveLength(1);
    expect(dueFires({ ...berlin, cron: '0 * * * *' }, new Date('2026-05-01T16:00:00Z'), now).fire).toEqual([]);
  });
});
