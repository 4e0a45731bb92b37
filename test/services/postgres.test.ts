import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { startAuthorizedServer, authorizeInject } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { buildServices } from '../../src/main/services.ts';
import { buildApp } from '../../src/server/app.ts';

import { openDatabase, rowsOf } from '../../src/store/db.ts';
import { migrate, migrationStatus } from '../../src/store/migrate.ts';
import { refundGraph } from '../support/fixtures.ts';
import { fetchJson } from '../support/http.ts';
import { createScratchDatabase } from '../support/postgres.ts';
import { SHIPPED_MIGRATIONS } from '../support/migrations.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function scratch() {
  const database = await createScratchDatabase();
  cleanups.push(database.drop);
  return database.url;
}

describe('PostgreSQL', () => {
  it('migrates an empty database, records it, and is a no-op the second time', async () => {
    const db = await openDatabase({ databaseUrl: await scratch(), dataDir: 'unused' });
    try {
      expect((await migrationStatus(db)).every((m) => m.status === 'pending')).toBe(true);
      expect(await migrate(db)).toEqual(SHIPPED_MIGRATIONS);
      expect(await migrate(db)).toEqual([]);
      const tables = rowsOf(
        await db.orm.execute(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
        ),
      ).map((r) => r.table_name);
      expect(tables).toEqual([
        'api_keys',
        'assistant_contacts',
        'audit_log',
        'auth_accounts',
        'auth_verifications',
        'conversation_turns',
        'conversations',
        'duet_migrations',
        'execution_events',
        'executions',
        'invitations',
        'knowledge_bases',
        'knowledge_chunks',
        'knowledge_documents',
        'members',
        'secrets',
        'sessions',
        'sign_in_failures',
        'sms_contacts',
        'sms_inbound',
        'sms_opt_outs',
        'sms_outbox',
        'sms_settings',
        'step_runs',
        'tasks',
        'trigger_fires',
        'triggers',
        'users',
        'workflow_versions',
        'workflows',
        'workspaces',
      ]);
      const status = await migrationStatus(db);
      expect(status).toHaveLength(SHIPPED_MIGRATIONS.length);
      expect(status.every((m) => m.status === 'applied')).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('lets two processes migrate at once without applying anything twice', async () => {
    const url = await scratch();
    const [a, b] = await Promise.all([
      openDatabase({ databaseUrl: url, dataDir: 'unused' }),
      openDatabase({ databaseUrl: url, dataDir: 'unused' }),
    ]);
    try {
      const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
      const all = SHIPPED_MIGRATIONS;
      expect([...appliedA, ...appliedB].sort()).toEqual(all);
      const ledger = rowsOf(await a.orm.execute(sql`select count(*)::int as n from duet_migrations`));
      expect(ledger[0]!.n).toBe(all.length);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('serves the workflow API on PostgreSQL and keeps data across a restart', async () => {
    const env = { DATABASE_URL: await scratch() };
    const first = await startAuthorizedServer(env);
    const created = await fetchJson(`${first.url}/api/v1/workflows`, { method: 'POST', body: refundGraph() });
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect((await fetchJson(`${first.url}/api/v1/workflows/${id}/versions`, { method: 'POST' })).status).toBe(201);
    const invalid = await fetchJson(`${first.url}/api/v1/workflows`, {
      method: 'POST',
      body: '{"name":"x","nodes":[]}',
    });
    expect(invalid.status).toBe(422);
    await first.close();

    const second = await startAuthorizedServer(env);
    try {
      const list = (await fetchJson(`${second.url}/api/v1/workflows`)).body;
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ id, slug: 'refund-request', latestVersion: 1 });
      const health = (await fetchJson(`${second.url}/health`)).body;
      expect(health.checks.database).toMatchObject({ status: 'ok', kind: 'postgres' });
    } finally {
      await second.close();
    }
  });

  it('reports 503 on /health and /ready when PostgreSQL stops answering', async () => {
    const database = await createScratchDatabase();
    const db = await openDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    await migrate(db);
    const config = testConfig();
    const app = await buildApp({ config, db, services: await buildServices(config, db) });
    await authorizeInject(app, db);
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      await database.drop(); // terminates every connection and removes the database
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json().checks.database.status).toBe('error');
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
