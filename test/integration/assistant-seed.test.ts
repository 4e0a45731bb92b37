import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-assistant-seed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('duet seed --assistant', () => {
  it('says what to fix before touching the database', async () => {
    const env = { DATA_DIR: join(dir, 'refused') };
    const noPhone = await runCli(['seed', '--assistant'], env);
    expect(noPhone.code).toBe(2);
    expect(noPhone.stderr).toContain('--assistant needs --phone');
    const badZone = await runCli(['seed', '--assistant', '--phone', '+15551230001', '--time-zone', 'Mars/Base'], env);
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toContain('IANA time zone');
    const lonelyBase = await runCli(['seed', '--knowledge-base', '00000000-0000-4000-8000-000000000000'], env);
    expect(lonelyBase.code).toBe(2);
    expect(lonelyBase.stderr).toContain('--knowledge-base goes with --assistant');
    const badBase = await runCli(
      ['seed', '--assistant', '--phone', '+15551230001', '--knowledge-base', 'handbook'],
      env,
    );
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toContain('--knowledge-base is the id of a knowledge base');
  }, 120_000);

  it('loads, publishes and serves the personal assistant for a number', async () => {
    const env = { DATA_DIR: join(dir, 'data') };
    const seeded = await runCli(
      ['seed', '--assistant', '--phone', '+15551230001', '--time-zone', 'Europe/Paris', '--summary-at', '07:30'],
      env,
    );
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('created personal-assistant');
    expect(seeded.stdout).toContain(
      'Personal assistant: personal-assistant v1 answers texts from +15551230001 (Europe/Paris, daily summary at 07:30).',
    );
    expect(seeded.stdout).toContain('SMS is not configured yet');

    const missing = await runCli(
      ['seed', '--assistant', '--phone', '+15551230001', '--knowledge-base', '00000000-0000-4000-8000-000000000000'],
      env,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no knowledge base "00000000-0000-4000-8000-000000000000" in this workspace');
  }, 120_000);
});
