import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizedServer } from '../support/app.ts';
import type { RunningServer } from '../../src/main/start.ts';
import { openDatabase } from '../../src/store/db.ts';
import { approvalGraph, dumpTables } from '../support/backup.ts';
import { runCli } from '../support/cli.ts';
import { fetchJson } from '../support/http.ts';
import { until } from '../support/workflows.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duet-backup-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const serve = (dataDir: string) =>
  startAuthorizedServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
const portOf = (server: RunningServer) => new URL(server.url).port;
const backupsIn = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.ndjson.gz')).sort();

describe('duet backup and restore (embedded)', () => {
  let backupFile: string;
  let executionId: string;
  let before: { execution: unknown; events: unknown; dump: Record<string, string[]> };
  /** What the first restore produced: the backup's data. */
  let restoredDump: Record<string, string[]>;

  it('backs up a running server through its admin API, keeps the N newest, and restores into a fresh data dir where a waiting approval continues', async () => {
    const dirA = join(root, 'a');
    const out = join(root, 'out');
    const first = await serve(dirA);
    try {
      const created = await fetchJson(`${first.url}/api/v1/workflows`, { method: 'POST', body: approvalGraph() });
      expect(created.status).toBe(201);
      await fetchJson(`${first.url}/api/v1/workflows/${created.body.id}/versions`, { method: 'POST' });
      // Key order that jsonb would not keep: zeta before alpha.
      const started = await fetchJson(`${first.url}/api/v1/workflows/${created.body.id}/executions`, {
        method: 'POST',
        body: { input: { zeta: 'z', amount: 250 } },
      });
      executionId = started.body.id;
      await until(first.app, executionId, ['waiting']);

      const env = { DATA_DIR: dirA, PORT: portOf(first) };
      const one = await runCli(['backup', '--out', `${out}/`], env);
      expect(one.stderr).not.toContain('Error');
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(
        /✓ wrote .*duet-backup-\d{8}T\d{9}Z\.ndjson\.gz \(\d+ rows in \d+ tables, .*schema \d{4}_[a-z_]+, from pglite\)/,
      );
      const two = await runCli(['backup', '--out', `${out}/`, '--keep', '1'], env);
      expect(two.code).toBe(0);
      expect(two.stdout).toContain('removed old backup');
      const left = await backupsIn(out);
      expect(left).toHaveLength(1);
      expect(two.stdout).toContain(left[0]);
      backupFile = join(out, left[0]!);

      before = {
        execution: (await fetchJson(`${first.url}/api/v1/executions/${executionId}`)).body,
        events: (await fetchJson(`${first.url}/api/v1/executions/${executionId}/events`)).body,
        dump: {},
      };
    } finally {
      await first.close();
    }
    const source = await openDatabase({ dataDir: dirA });
    before.dump = await dumpTables(source);
    await source.close();

    const dirB = join(root, 'b');
    const restored = await runCli(['restore', backupFile], { DATA_DIR: dirB });
    expect(restored.stderr).not.toContain('Error');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/✓ restored .*: \d+ rows in \d+ tables, verified/);

    const copy = await openDatabase({ dataDir: dirB });
    restoredDump = await dumpTables(copy).finally(() => copy.close());
    const { audit_log: copiedAudit = [], ...copied } = restoredDump;
    const { audit_log: sourceAudit = [], ...original } = before.dump;
    expect(copied).toEqual(original);
    // The snapshot began while its own request was being answered, so that request's audit entry came after it.
    expect(sourceAudit.filter((row) => !copiedAudit.includes(row))).toEqual([
      expect.stringContaining('POST /api/v1/admin/backup'),
    ]);
    expect(copiedAudit.every((row) => sourceAudit.includes(row))).toBe(true);

    const second = await serve(dirB);
    try {
      const execution = (await fetchJson(`${second.url}/api/v1/executions/${executionId}`)).body;
      // Byte-for-byte: the same JSON text, key order included.
      expect(JSON.stringify(execution)).toBe(JSON.stringify(before.execution));
      expect(Object.keys(execution.input)).toEqual(['zeta', 'amount']);
      const events = (await fetchJson(`${second.url}/api/v1/executions/${executionId}/events`)).body;
      expect(events).toEqual(before.events);

      const approved = await fetchJson(`${second.url}/api/v1/executions/${executionId}/approval`, {
        method: 'POST',
        body: { decision: 'approve' },
      });
      expect(approved.status).toBeLessThan(300);
      const done = await until(second.app, executionId, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      expect(JSON.stringify(done.output)).toBe(
        '{"approved":true,"prep":{"zeta":1,"alpha":250,"mid":[3,{"y":1,"b":2}]}}',
      );
      const after = (await fetchJson(`${second.url}/api/v1/executions/${executionId}/events`)).body;
      const offsets = (after.items ?? after).map((e: { offset: number }) => e.offset);
      expect(offsets).toEqual(offsets.map((_: number, i: number) => i + 1));
    } finally {
      await second.close();
    }
  }, 120_000);

  it('refuses a target that holds data unless --force, and then replaces it', async () => {
    const dirB = join(root, 'b');
    const refused = await runCli(['restore', backupFile], { DATA_DIR: dirB });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /nothing was restored: the target database is not empty \(.*executions: 1 rows.*\); .*pass --force/,
    );

    const forced = await runCli(['restore', backupFile, '--force'], { DATA_DIR: dirB });
    expect(forced.code).toBe(0);
    const db = await openDatabase({ dataDir: dirB });
    // The approval given after the first restore is gone again: the data is the backup's.
    expect(await dumpTables(db)).toEqual(restoredDump);
    await db.close();
  });

  it('says what is wrong with a truncated, altered or foreign file and creates nothing', async () => {
    const bytes = await readFile(backupFile);
    const lines = gunzipSync(bytes).toString('utf8').split('\n');
    const row = lines.findIndex((l) => l.startsWith('[') && l.includes('Manager approval'));
    expect(row).toBeGreaterThan(0);
    const altered = lines.map((l, i) => (i === row ? l.replace('Manager approval', 'Manager approvaL') : l)).join('\n');
    const withoutEnd = lines.filter((l) => !l.startsWith('{"type":"end"')).join('\n');
    const cases: Array<[string, Buffer, RegExp]> = [
      [
        'truncated.gz',
        bytes.subarray(0, Math.floor(bytes.length / 2)),
        /is not a usable Duet backup: .*(truncated|damaged|not gzip)/,
      ],
      [
        'altered.gz',
        gzipSync(altered),
        /is not a usable Duet backup: the rows of workflows do not match their checksum: the file was altered or damaged/,
      ],
      [
        'no-end.gz',
        gzipSync(withoutEnd),
        /is not a usable Duet backup: it ends before its end record: it is truncated/,
      ],
      ['plain.json', Buffer.from('{"hello":1}\n'), /is not a usable Duet backup: it is not gzip data/],
      [
        'foreign.gz',
        gzipSync('{"hello":1}\n'),
        /is not a usable Duet backup: it does not start with a Duet backup header/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = join(root, name);
      await writeFile(file, content);
      const dataDir = join(root, `target-${name}`);
      const result = await runCli(['restore', file], { DATA_DIR: dataDir });
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).toContain('nothing was restored');
      expect(existsSync(dataDir), name).toBe(false);
    }
  });

  it("keeps nothing when the server's backup stream breaks off", async () => {
    const header = JSON.stringify({
      type: 'header',
      format: 'duet-backup',
      formatVersion: 1,
      duetVersion: '0.1.0',
      engine: 'pglite',
      createdAt: new Date().toISOString(),
      migrations: [],
      tables: [],
    });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(gzipSync(`${header}\n`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const out = join(root, 'broken-out');
    try {
      const result = await runCli(
        ['backup', '--url', `http://127.0.0.1:${(server.address() as { port: number }).port}`, '--out', `${out}/`],
        { DATA_DIR: join(root, 'unused') },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /the backup from http:\/\/127\.0\.0\.1:\d+ broke off or is damaged \(it ends before its end record: it is truncated\); nothing was written/,
      );
      expect(await readdir(out)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('refuses the admin backup route to proxied callers and checks ADMIN_TOKEN', async () => {
    const dir = join(root, 'guarded');
    const server = await startAuthorizedServer({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    try {
      const proxied = await fetch(`${server.url}/api/v1/admin/backup`, {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(proxied.status).toBe(403);
      expect(((await proxied.json()) as { error: { message: string } }).error.message).toContain('ADMIN_TOKEN');
    } finally {
      await server.close();
    }
    const token = 'a-very-long-admin-token-123';
    const guarded = await startAuthorizedServer({
      DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: token,
    });
    try {
      const url = `${guarded.url}/api/v1/admin/backup`;
      expect((await fetch(url, { method: 'POST' })).status).toBe(401);
      expect(
        (await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
      ).toBe(403);
      const ok = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/gzip');
      expect(gunzipSync(Buffer.from(await ok.arrayBuffer())).toString('utf8')).toMatch(
        /^\{"type":"header","format":"duet-backup"/,
      );
      const cli = await runCli(['backup', '--out', join(root, 'guarded-out') + '/'], {
        DATA_DIR: dir,
        PORT: portOf(guarded),
        ADMIN_TOKEN: token,
      });
      expect(cli.code).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});
