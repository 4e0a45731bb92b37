import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizedServer } from '../support/app.ts';
import { refundGraph } from '../support/fixtures.ts';
import { fetchJson } from '../support/http.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'duet-restart-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('embedded database across restarts', () => {
  it('creates the database on first start and keeps workflows and versions after a restart', async () => {
    const first = await startAuthorizedServer({ DATA_DIR: dataDir });
    const created = (await fetchJson(`${first.url}/api/v1/workflows`, { method: 'POST', body: refundGraph() })).body;
    await fetchJson(`${first.url}/api/v1/workflows/${created.id}/versions`, { method: 'POST' });
    await first.close();

    const second = await startAuthorizedServer({ DATA_DIR: dataDir });
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
