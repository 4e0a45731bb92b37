import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startServeProcess, type CliResult } from '../support/cli.ts';
import { TEST_ENV } from '../support/config.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { PASSWORD } from '../support/accounts.ts';

/**
 * Provisioning an instance from the CLI before the server starts, as a setup script or CI would: the accounts,
 * workspace, membership and key it makes are the ones the server then honours.
 */

let dir: string;
let env: Record<string, string>;
const duet = (...args: string[]) => runCli(args, env);
const lastLine = (result: CliResult) => result.stdout.trim().split('\n').at(-1)!;
const made: Record<string, CliResult> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-cli-accounts-'));
  env = { ...TEST_ENV, DATA_DIR: join(dir, 'data') };
  made.admin = await duet('users', 'create', '--admin', '--email', 'Root@Example.com', '--password', PASSWORD);
  made.workspace = await duet('workspaces', 'create', 'ops', '--name', 'Operations');
  made.editor = await duet('users', 'create', '--email', 'ed@example.com', '--password', PASSWORD);
  made.member = await duet('members', 'add', 'ops', 'ed@example.com', '--role', 'editor');
  made.key = await duet('api-keys', 'create', '--workspace', 'ops', '--role', 'viewer', '--name', 'x');
  made.reset = await duet('users', 'reset-password', '--email', 'ed@example.com');
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('duet provisioning commands', () => {
  it('create an instance admin, a workspace, a member and a key, saying what they made', () => {
    for (const [step, result] of Object.entries(made)) expect(result.code, `${step}: ${result.stderr}`).toBe(0);
    expect(made.admin!.stdout).toContain('Created instance admin root@example.com');
    expect(made.workspace!.stdout).toContain('Created workspace "ops"');
    expect(made.member!.stdout).toContain('ed@example.com is now editor in "ops"');
    expect(made.key!.stdout).toContain('viewer in "ops"');
    expect(made.key!.stdout).not.toContain(PASSWORD);
  });

  it('print the API key alone on the last line', () => {
    expect(lastLine(made.key!)).toMatch(/^duet_[A-Za-z0-9_-]{40,}$/);
  });

  it('reset a password to a generated one, printed alone on the last line', () => {
    expect(made.reset!.stdout).toContain('New password set for ed@example.com');
    expect(lastLine(made.reset!)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('refuse a bad role, email or password with exit code 2 and a message, creating nothing', async () => {
    const cases: Array<[string[], string]> = [
      [['users', 'create', '--email', 'not-an-email', '--password', PASSWORD], '--email must be an email address'],
      [['users', 'create', '--email', 'short@example.com', '--password', 'short'], 'at least 12 characters'],
      [['users', 'create', '--email', 'nopass@example.com'], '--password-stdin'],
      [
        ['members', 'add', 'ops', 'ed@example.com', '--role', 'owner'],
        '--role must be one of admin, editor, viewer (got "owner")',
      ],
      [['api-keys', 'create', '--workspace', 'ops', '--role', 'root'], '--role must be one of admin, editor, viewer'],
      [['workspaces', 'create', 'Not A Slug!'], 'lowercase letters, digits and single dashes'],
    ];
    // Input is checked before the database is opened, so these may run side by side.
    const results = await Promise.all(cases.map(([args]) => duet(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stdout, args.join(' ')).not.toMatch(/^duet_/m);
    }
  }, 180_000);

  it('name the fix when the workspace or the account is missing, or already exists', async () => {
    const key = await duet('api-keys', 'create', '--workspace', 'sales', '--role', 'viewer');
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('there is no workspace "sales"; create it with `duet workspaces create sales`');
    // The account refused above was not created.
    const member = await duet('members', 'add', 'ops', 'short@example.com', '--role', 'viewer');
    expect(member.code).toBe(1);
    expect(member.stderr).toContain(
      'there is no account short@example.com; create it with `duet users create --email short@example.com --password …`',
    );
    const again = await duet('users', 'create', '--email', 'ed@example.com', '--password', PASSWORD);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an account with email ed@example.com already exists');
  }, 180_000);

  it('list themselves in --help', async () => {
    const [help, users] = await Promise.all([duet('--help'), duet('users', 'create', '--help')]);
    expect(help.code).toBe(0);
    for (const command of ['users', 'workspaces', 'members', 'api-keys'])
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    for (const option of ['--admin', '--email', '--password', '--password-stdin'])
      expect(users.stdout).toContain(option);
  });
});

describe('a server started on the provisioned database', () => {
  it('honours the key for reads and refuses its writes, and lets the admin sign in', async () => {
    const key = lastLine(made.key!);
    const server = await startServeProcess(env, await freePort());
    try {
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${server.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
        });
      expect((await call('/api/v1/workflows')).status).toBe(200);
      const write = await call('/api/v1/workflows', { method: 'POST', body: JSON.stringify(tinyGraph()) });
      expect(write.status).toBe(403);
      expect(((await write.json()) as { error: { message: string } }).error.message).toContain(
        'your role "viewer" in workspace "ops"',
      );
      // The key is of "ops": the default workspace does not exist for it.
      expect((await call('/api/v1/workflows', { headers: { 'x-duet-workspace': 'default' } })).status).toBe(404);

      const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ email: 'root@example.com', password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })).json()) as {
        user: { instanceAdmin: boolean };
        workspaces: Array<{ slug: string }>;
      };
      expect(me.user.instanceAdmin).toBe(true);
      expect(me.workspaces.map((w) => w.slug).sort()).toEqual(['default', 'ops']);

      // The reset password works and the old one no longer does.
      const signInEd = (password: string) =>
        fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.url },
          body: JSON.stringify({ email: 'ed@example.com', password }),
        });
      expect((await signInEd(PASSWORD)).status).toBe(401);
      expect((await signInEd(lastLine(made.reset!))).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 180_000);
});
