import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.ts';
import { backupFileName, backupsToPrune, dependencyOrder, TableChecksum } from '../../src/store/backup/format.ts';

describe('backup format helpers', () => {
  it('names backups by time so that name order is time order', () => {
    const early = backupFileName(new Date('2026-01-02T03:04:05.006Z'));
    expect(early).toBe('duet-backup-20260102T030405006Z.ndjson.gz');
    expect([backupFileName(new Date('2026-11-02T00:00:00Z')), early].sort()[0]).toBe(early);
  });

  it('--keep deletes only the oldest duet backups beyond N and never other files', () => {
    const names = [
      'notes.txt',
      'duet-backup-20260103T000000000Z.ndjson.gz',
      'duet-backup-20260101T000000000Z.ndjson.gz',
      'duet-backup-20260102T000000000Z.ndjson.gz',
      'duet-backup-20260104T000000000Z.ndjson.gz.partial',
      'my.ndjson.gz',
    ];
    expect(backupsToPrune(names, 1)).toEqual([
      'duet-backup-20260101T000000000Z.ndjson.gz',
      'duet-backup-20260102T000000000Z.ndjson.gz',
    ]);
    expect(backupsToPrune(names, 3)).toEqual([]);
  });

  it('orders tables parents first, ignores self references and reports cycles', () => {
    const refs = [
      { from: 'events', to: 'executions' },
      { from: 'executions', to: 'workflows' },
      { from: 'executions', to: 'executions' },
      { from: 'workflows', to: 'workspaces' },
    ];
    expect(dependencyOrder(['events', 'executions', 'workflows', 'workspaces'], refs)).toEqual([
      'workspaces',
      'workflows',
      'executions',
      'events',
    ]);
    expect(() =>
      dependencyOrder(
        ['a', 'b'],
        [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      ),
    ).toThrow(/cycle between tables a, b/);
  });

  it('checksums a table whatever the row order, and tells any changed byte', () => {
    const sum = (lines: string[]) => {
      const c = new TableChecksum();
      for (const l of lines) c.add(l);
      return c.summary();
    };
    const a = sum(['["1","{\\"b\\":1,\\"a\\":2}"]', '["2",null]']);
    expect(sum(['["2",null]', '["1","{\\"b\\":1,\\"a\\":2}"]'])).toEqual(a);
    expect(sum(['["1","{\\"a\\":2,\\"b\\":1}"]', '["2",null]']).checksum).not.toBe(a.checksum);
    expect(a.rows).toBe(2);
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('draws a progress bar with percentage and rows', () => {
    expect(progressLine({ phase: 'backup', table: 'executions', doneRows: 50, totalRows: 200 }, 8)).toBe(
      '[##......]  25% backing up executions (50/200 rows)',
    );
    expect(progressLine({ phase: 'verify', table: '', doneRows: 0, totalRows: 0 }, 4)).toBe(
      '[####] 100% verifying (0/0 rows)',
    );
  });
});
