import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { exited, freePort, startServeProcess } from '../support/cli.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { fetchJson } from '../support/http.ts';
import { publish, start, until } from '../support/workflows.ts';
import { approvalGraph } from '../support/backup.ts';
import { sql } from 'drizzle-orm';

/** Every metric docs/operations.md lists ("Metrics"), except the queue-mode ones. */
const DOCUMENTED_METRICS = [
  'http_requests_total',
  'http_request_duration_seconds',
  'workflow_executions_total',
  'workflow_duration_seconds',
  'workflow_steps_total',
  'executions_active',
  'queue_depth',
  'conversational_sessions_active',
  'nlp_processing_duration_seconds',
  'websocket_connections_active',
  'projects_total',
  'executions_pruned_total',
  'database_up',
  'executions_waiting',
  'executions_waiting_overdue',
];

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('exports every documented metric, histograms with buckets', async () => {
    const slug = await publish(t.app, tinyGraph());
    expect((await start(t.app, slug, {}, 5000)).body.status).toBe('completed');
    const body = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const name of DOCUMENTED_METRICS)
      expect(body, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    expect(body).toMatch(/^workflow_duration_seconds_bucket\{le="0\.005",status="completed"\} \d+$/m);
    expect(body).toMatch(/^workflow_duration_seconds_bucket\{le="3600",status="completed"\} 1$/m);
    expect(body).toMatch(/^workflow_executions_total\{status="completed",mode="autonomous"\} 1$/m);
    expect(body).toMatch(/^database_up 1$/m);
  });

  it('counts waiting executions by reason and flags time waits that did not wake up', async () => {
    const slug = await publish(t.app, approvalGraph());
    const waiting = (await start(t.app, slug, { input: { amount: 5 } })).body;
    await until(t.app, waiting.id, ['waiting']);
    const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await scrape()).toMatch(/^executions_waiting\{reason="approval"\} 1$/m);
    expect(await scrape()).toMatch(/^executions_waiting_overdue 0$/m);
    await t.db.orm.execute(
      sql`update executions set wake_at = now() - interval '5 minutes' where id = ${waiting.id}::uuid`,
    );
    expect(await scrape()).toMatch(/^executions_waiting_overdue 1$/m);
  });
});

describe('logs and /health of a running server', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'duet-obs-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes JSON lines with requestId, workspaceId and executionId, logs each ended execution, and details /health', async () => {
    const port = await freePort();
    const { child, output, key } = await startServeProcess({ DATA_DIR: dataDir }, port);
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await fetchJson(`${base}/health`);
      expect(health.body.checks.database).toMatchObject({ status: 'ok', kind: 'pglite' });
      expect(health.body.checks.dataDir).toMatchObject({ status: 'ok', path: dataDir });
      expect(health.body.checks.dataDir.freeBytes).toBeGreaterThan(0);

      const created = (await fetchJson(`${base}/api/v1/workflows`, { method: 'POST', body: tinyGraph() })).body;
      await fetchJson(`${base}/api/v1/workflows/${created.id}/versions`, { method: 'POST' });
      const run = (
        await fetchJson(`${base}/api/v1/workflows/${created.id}/executions?waitMs=5000`, { method: 'POST', body: {} })
      ).body;
      expect(run.status).toBe('completed');
      await fetch(`${base}/api/v1/executions/${run.id}`, {
        headers: { 'x-request-id': 'trace-me-1', authorization: `Bearer ${key}` },
      });
      await new Promise((r) => setTimeout(r, 200));

      const lines = output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const completed = lines.find((l) => l.requestId === 'trace-me-1' && l.msg === 'request completed');
      expect(completed).toMatchObject({ executionId: run.id, workspaceId: expect.any(String) });
      expect(lines.find((l) => l.msg === 'execution ended')).toMatchObject({
        executionId: run.id,
        workflowId: created.id,
        status: 'completed',
        mode: 'autonomous',
      });
      const finished = lines.filter((l) => l.msg === 'request completed');
      expect(finished.length).toBeGreaterThan(3);
      expect(finished.every((l) => typeof l.workspaceId === 'string' && typeof l.requestId === 'string')).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  }, 90_000);
});
