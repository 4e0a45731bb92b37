import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { SecretStore, SecretUnreadableError } from '../../src/store/secrets.ts';
import { createWorkspace } from '../../src/store/workspaces.ts';
import { runCli } from '../support/cli.ts';

/**
 * Rotating ENCRYPTION_KEY: servers run with the new key and the previous one, `duet secrets rotate-key` re-seals
 * every secret under the new key in one transaction, and afterwards the old key is no longer needed.
 */

const key = () => randomBytes(32);
/** Each case starts a CLI process that opens the embedded database; on a loaded machine that takes a while. */
const CLI_TIMEOUT = 180_000;
const oldKey = key();
const newKey = key();
let dir: string;
let dataDir: string;
let workspaceId: string;

async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const rotate = (env: Record<string, string>) => runCli(['secrets', 'rotate-key'], { DATA_DIR: dataDir, ...env });
const readAll = (k: Buffer, previous?: Buffer) =>
  withDb((db) => new SecretStore(db, k, previous).resolve(workspaceId, ['STRIPE', 'GITHUB']));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-rotate-'));
  dataDir = join(dir, 'data');
  await withDb(async (db) => {
    await migrate(db);
    workspaceId = (await createWorkspace(db.orm, { slug: 'ops' })).id;
    const old = new SecretStore(db, oldKey);
    await old.put(workspaceId, 'STRIPE', 'sk_live_one');
    await old.put(workspaceId, 'GITHUB', 'ghp_two');
  });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ENCRYPTION_KEY rotation', () => {
  it('during the rotation, a server with the new key and the previous one reads old and new values', async () => {
    await withDb(async (db) => {
      const rotating = new SecretStore(db, newKey, oldKey);
      await rotating.put(workspaceId, 'FRESH', 'sealed-under-new');
      const values = await rotating.resolve(workspaceId, ['STRIPE', 'FRESH']);
      expect(Object.fromEntries(values)).toEqual({ STRIPE: 'sk_live_one', FRESH: 'sealed-under-new' });
      await rotating.delete(workspaceId, 'FRESH');
    });
  });

  it(
    'refuses to run without ENCRYPTION_KEY_PREVIOUS, saying which settings to give',
    async () => {
      const result = await rotate({ ENCRYPTION_KEY: newKey.toString('hex') });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('ENCRYPTION_KEY_PREVIOUS');
      await expect(readAll(oldKey)).resolves.toEqual(
        new Map([
          ['STRIPE', 'sk_live_one'],
          ['GITHUB', 'ghp_two'],
        ]),
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'changes nothing when a secret opens with neither key, and names it',
    async () => {
      const stranger = key();
      const result = await rotate({
        ENCRYPTION_KEY: stranger.toString('hex'),
        ENCRYPTION_KEY_PREVIOUS: key().toString('hex'),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/secret "(STRIPE|GITHUB)" cannot be read/);
      expect(result.stderr).toContain('Nothing was changed');
      expect((await readAll(oldKey)).get('STRIPE')).toBe('sk_live_one');
    },
    CLI_TIMEOUT,
  );

  it(
    're-seals every secret under the new key; afterwards the old key opens none of them',
    async () => {
      const result = await rotate({
        ENCRYPTION_KEY: newKey.toString('hex'),
        ENCRYPTION_KEY_PREVIOUS: oldKey.toString('hex'),
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Re-sealed 2 secret(s)');
      expect(Object.fromEntries(await readAll(newKey))).toEqual({ STRIPE: 'sk_live_one', GITHUB: 'ghp_two' });
      await expect(readAll(oldKey)).rejects.toBeInstanceOf(SecretUnreadableError);
    },
    CLI_TIMEOUT,
  );
});
