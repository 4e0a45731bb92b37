import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrationStatus } from '../../src/store/migrate.ts';
import { ensureDefaultWorkspace } from '../../src/store/workspaces.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('migrations on embedded PGlite', () => {
  it('applies every shipped migration with its checksum recorded', async () => {
    const shipped = await loadMigrations();
    const states = await migrationStatus(t.db);
    expect(states.map((s) => [s.tag, s.status])).toEqual(shipped.map((m) => [m.tag, 'applied']));
    expect(await migrate(t.db)).toEqual([]);
  });

  it('flags an applied migration whose file changed, and /ready turns 503', async () => {
    await t.db.orm.execute(sql`update duet_migrations set checksum = 'edited'`);
    expect((await migrationStatus(t.db))[0]!.status).toBe('changed');
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.migrations.error).toContain('duet migrate');
  });

  it('creates the default workspace exactly once', async () => {
    const a = await ensureDefaultWorkspace(t.db);
    const b = await ensureDefaultWorkspace(t.db);
    expect(a.id).toBe(b.id);
    expect(a.slug).toBe('default');
  });
});
