import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.ts';
import { testConfig } from '../support/config.ts';
import { refundGraph } from '../support/fixtures.ts';
import { fetchJson } from '../support/http.ts';

let dataDir: string;
beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'duet-restart-')); });
afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

const config = () => testConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });

describe('embedded database across restarts', () => {
  it('creates the database on first start and keeps workflows and versions after a restart', async () => {
    const first = await startServer(config());
    const created = (await fetchJson(`${first.url}/api/v1/workflows`, { method: 'POST', body: refundGraph() })).body;
    await fetchJson(`${first.url}/api/v1/workflows/${created.id}/versions`, { method: 'POST' });
    await first.close();

    const second = await startServer(config());
    try {
      const workflow = (await fetchJson(`${second.url}/api/v1/workflows/refund-request`)).body;
      expect(workflow).toMatchObject({ id: created.id, latestVersion: 1, draft: refundGraph() });
      const ready = await fetch(`${second.url}/ready`);
      expect(ready.status).toBe(200);
      const workspaces = await second.app.inject({ method: 'GET', url: '/metrics' });
      expect(workspaces.body).toMatch(/^projects_total 1$/m);
    } finally {
      await second.close();
    }
  });
});
