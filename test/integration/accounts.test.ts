import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/store/invitations.ts';
import { apiKeys, auditLog, invitations, signInFailures, users } from '../../src/store/schema.ts';
import {
  addKey,
  addUser,
  addWorkspace,
  bearer,
  browser,
  cookieOf,
  freshEmail,
  PASSWORD,
  SAME_ORIGIN,
  signIn,
} from '../support/accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import type { Json } from '../support/http.ts';
import { buildWorld, type Call, type World } from '../support/route-calls.ts';

let t: TestApp;
const signInAs = (email: string, password: string) =>
  t.anonymous({ method: 'POST', url: '/api/auth/sign-in/email', headers: SAME_ORIGIN, payload: { email, password } });
const me = (cookie: string) => t.anonymous({ method: 'GET', url: '/api/v1/me', headers: browser(cookie) });
const userRow = async (email: string) => (await t.db.orm.select().from(users).where(eq(users.email, email)))[0];

describe('first-run setup', () => {
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('offers the first admin once, refuses bad input without writing anything, and signs the admin in', async () => {
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsFirstAdmin: true });

    const badEmail = await t.anonymous({
      method: 'POST',
      url: '/api/v1/setup',
      headers: SAME_ORIGIN,
      payload: { email: 'ada', password: PASSWORD },
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.message).toContain('must be an email address');
    const shortPassword = await t.anonymous({
      method: 'POST',
      url: '/api/v1/setup',
      headers: SAME_ORIGIN,
      payload: { email: 'ada@example.com', password: 'short' },
    });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json().error.message).toContain('at least 12 characters');
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsFirstAdmin: true });

    const created = await t.anonymous({
      method: 'POST',
      url: '/api/v1/setup',
      headers: SAME_ORIGIN,
      payload: { email: 'Ada@Example.com', password: PASSWORD, name: 'Ada' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().user).toMatchObject({ email: 'ada@example.com', name: 'Ada', instanceAdmin: true });
    expect(created.body).not.toContain(PASSWORD);
    const session = (await me(cookieOf(created.headers['set-cookie']))).json();
    expect(session.user).toMatchObject({ email: 'ada@example.com', instanceAdmin: true });
    expect(session.current).toMatchObject({ slug: 'default', role: 'admin' });

    expect((await t.anonymous({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsFirstAdmin: false });
    const again = await t.anonymous({
      method: 'POST',
      url: '/api/v1/setup',
      headers: SAME_ORIGIN,
      payload: { email: 'eve@example.com', password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect(await userRow('eve@example.com')).toBeUndefined();
  });
});

describe('sign-in, lockout and sessions', () => {
  beforeEach(async () => {
    t = await startTestApp({ AUTH_LOCKOUT_ATTEMPTS: '3', AUTH_LOCKOUT_MINUTES: '1' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses a wrong password with 401', async () => {
    const user = await addUser(t.db);
    const wrong = await signInAs(user.email, 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await signInAs('nobody@example.com', PASSWORD)).statusCode).toBe(401);
  });

  it('locks an account after AUTH_LOCKOUT_ATTEMPTS failures, even for the right password, until the lock expires', async () => {
    const user = await addUser(t.db);
    for (let i = 0; i < 3; i++) expect((await signInAs(user.email, `wrong password ${i}`)).statusCode).toBe(401);

    const locked = await signInAs(user.email, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.message).toContain('try again in 1 minute');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await signInAs(user.email.toUpperCase(), PASSWORD)).statusCode).toBe(429);

    // The minute passes.
    await t.db.orm.update(signInFailures).set({ lockedUntil: new Date(Date.now() - 1000) });
    expect((await signInAs(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('answers an email no account has exactly as a known one, lockout included, so it does not tell which exist', async () => {
    const user = await addUser(t.db);
    const stranger = freshEmail();
    const answers = async (email: string) => {
      const seen: Array<{ status: number; body: unknown; retryAfter: string | undefined }> = [];
      for (let i = 0; i < 4; i++) {
        const response = await signInAs(email, `wrong password ${i}`);
        seen.push({
          status: response.statusCode,
          body: response.json(),
          retryAfter: response.headers['retry-after'] === undefined ? undefined : 'set',
        });
      }
      return seen;
    };
    const known = await answers(user.email);
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(await answers(stranger)).toEqual(known);
    expect(await userRow(stranger)).toBeUndefined();
  });

  it('counts wrong passwords given to accept an invitation, and keeps a locked account out that way too', async () => {
    const user = await addUser(t.db);
    const invite = async () =>
      (await createInvitation(t.db, { workspaceId: t.workspaceId, email: user.email, role: 'viewer' })).token;
    const accept = async (token: string, password: string) =>
      t.anonymous({
        method: 'POST',
        url: `/api/v1/invitations/accept/${token}`,
        headers: SAME_ORIGIN,
        payload: { password },
      });
    const token = await invite();
    for (let i = 0; i < 3; i++) expect((await accept(token, `wrong password ${i}`)).statusCode).toBe(401);
    const locked = await accept(token, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signInAs(user.email, PASSWORD)).statusCode).toBe(429);
    expect((await t.anonymous({ method: 'GET', url: `/api/v1/invitations/accept/${token}` })).statusCode).toBe(200);
  });

  it('lets an instance admin reset a password: a new one shown once, old sessions ended, lockout lifted', async () => {
    const user = await addUser(t.db);
    const oldCookie = await signIn(t.anonymous, user.email);
    for (let i = 0; i < 3; i++) await signInAs(user.email, `wrong password ${i}`);
    expect((await signInAs(user.email, PASSWORD)).statusCode).toBe(429);
    const root = await addUser(t.db, { instanceAdmin: true });
    const rootCookie = await signIn(t.anonymous, root.email);

    const reset = await t.anonymous({
      method: 'POST',
      url: `/api/v1/admin/users/${user.id}/password`,
      headers: browser(rootCookie),
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const { password } = reset.json() as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect((await me(oldCookie)).statusCode).toBe(401);
    expect((await signInAs(user.email, PASSWORD)).statusCode).toBe(401);
    expect((await signInAs(user.email, password)).statusCode).toBe(200);
    const missing = await t.anonymous({
      method: 'POST',
      url: '/api/v1/admin/users/no-such-user/password',
      headers: browser(rootCookie),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('starts counting failures afresh after a successful sign-in', async () => {
    const user = await addUser(t.db);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await signInAs(user.email, `wrong password ${i}`)).statusCode).toBe(401);
      expect((await signInAs(user.email, PASSWORD)).statusCode, `round ${round}`).toBe(200);
    }
  });

  it('keeps sessions in HttpOnly SameSite=Lax cookies; signing out ends one, signing out everywhere ends all', async () => {
    const user = await addUser(t.db, { member: { workspaceId: t.workspaceId, role: 'viewer' } });
    const response = await signInAs(user.email, PASSWORD);
    const cookies = [response.headers['set-cookie'] ?? []].flat();
    const session = cookies.find((c) => c.includes('session_token'));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);

    const laptop = cookieOf(cookies);
    const phone = await signIn(t.anonymous, user.email);
    const tablet = await signIn(t.anonymous, user.email);
    for (const cookie of [laptop, phone, tablet]) expect((await me(cookie)).statusCode).toBe(200);

    const out = await t.anonymous({ method: 'POST', url: '/api/auth/sign-out', headers: browser(tablet) });
    expect(out.statusCode).toBe(200);
    expect((await me(tablet)).statusCode).toBe(401);
    expect((await me(laptop)).statusCode).toBe(200);

    const everywhere = await t.anonymous({
      method: 'POST',
      url: '/api/auth/revoke-sessions',
      headers: browser(laptop),
      payload: {},
    });
    expect(everywhere.statusCode, everywhere.body).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: browser(phone) })).statusCode).toBe(
      401,
    );

    // Signing out everywhere is attributed to the person who did it.
    const [entry] = await t.db.orm
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'POST /api/auth/revoke-sessions'))
      .orderBy(sql`${auditLog.at} desc`)
      .limit(1);
    expect(entry).toMatchObject({
      actorType: 'user',
      actorId: user.id,
      actorLabel: user.email,
      outcome: 'success',
      statusCode: 200,
    });
  });
});

describe('invitations and members', () => {
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp();
    const user = await addUser(t.db, { member: { workspaceId: t.workspaceId, role: 'admin' } });
    admin = await signIn(t.anonymous, user.email);
  });
  afterEach(async () => {
    await t.close();
  });

  const invite = async (email: string, role = 'editor') => {
    const response = await t.anonymous({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: browser(admin),
      payload: { email, role },
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    return { id: body.id as string, link: body.link as string, token: String(body.link).split('/invite/')[1]! };
  };
  const preview = (token: string) => t.anonymous({ method: 'GET', url: `/api/v1/invitations/accept/${token}` });
  const accept = (token: string, payload: object) =>
    t.anonymous({ method: 'POST', url: `/api/v1/invitations/accept/${token}`, headers: SAME_ORIGIN, payload });

  it('turns an invitation link into an account with the invited role, once', async () => {
    const email = freshEmail('grace');
    const { token, link } = await invite(email);
    expect(link).toMatch(/^http:\/\/localhost\/invite\/[A-Za-z0-9_-]{20,}$/);
    const listed = (await t.anonymous({ method: 'GET', url: '/api/v1/invitations', headers: browser(admin) })).json();
    expect(listed.items).toContainEqual(expect.objectContaining({ email, role: 'editor', acceptedAt: null }));
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await preview(token)).json()).toEqual({
      workspaceName: 'Default',
      email,
      role: 'editor',
      accountExists: false,
    });
    const weak = await accept(token, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('at least 12 characters');
    expect(await userRow(email)).toBeUndefined();

    const accepted = await accept(token, { password: PASSWORD, name: 'Grace' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ workspaceId: t.workspaceId, role: 'editor', email });
    const grace = cookieOf(accepted.headers['set-cookie']);
    expect((await me(grace)).json().current).toMatchObject({ workspaceId: t.workspaceId, role: 'editor' });
    expect(
      (await t.anonymous({ method: 'POST', url: '/api/v1/workflows', headers: browser(grace), payload: tinyGraph() }))
        .statusCode,
    ).toBe(201);

    expect((await preview(token)).statusCode).toBe(404);
    expect((await accept(token, { password: PASSWORD })).statusCode).toBe(404);
  });

  it('answers 404 for revoked and expired invitations', async () => {
    const revoked = await invite(freshEmail('revoked'));
    expect(
      (await t.anonymous({ method: 'DELETE', url: `/api/v1/invitations/${revoked.id}`, headers: browser(admin) }))
        .statusCode,
    ).toBe(204);
    const expired = await invite(freshEmail('expired'));
    await t.db.orm
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, expired.id));
    for (const { token } of [revoked, expired]) {
      expect((await preview(token)).statusCode).toBe(404);
      const refused = await accept(token, { password: PASSWORD });
      expect(refused.statusCode).toBe(404);
      expect(refused.json().error.message).toContain('ask a workspace admin for a new one');
    }
  });

  it('asks an existing account for its own password before it joins', async () => {
    const existing = await addUser(t.db);
    const { token } = await invite(existing.email, 'viewer');
    expect((await preview(token)).json().accountExists).toBe(true);
    const wrong = await accept(token, { password: 'somebody elses password' });
    expect(wrong.statusCode).toBe(401);
    expect((await preview(token)).statusCode).toBe(200);
    const cookie = await signIn(t.anonymous, existing.email);
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: browser(cookie) })).statusCode).toBe(
      403,
    );

    expect((await accept(token, { password: existing.password })).statusCode).toBe(201);
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: browser(cookie) })).statusCode).toBe(
      200,
    );
  });

  it("changes a member's role, removes members, and never leaves the workspace without an admin", async () => {
    const members = async () =>
      (await t.anonymous({ method: 'GET', url: '/api/v1/members', headers: browser(admin) })).json().items as Json[];
    const ada = await addUser(t.db, { member: { workspaceId: t.workspaceId, role: 'viewer' } });
    const adaCookie = await signIn(t.anonymous, ada.email);
    const create = () =>
      t.anonymous({ method: 'POST', url: '/api/v1/workflows', headers: browser(adaCookie), payload: tinyGraph() });
    expect((await create()).statusCode).toBe(403);

    const promoted = await t.anonymous({
      method: 'PATCH',
      url: `/api/v1/members/${ada.id}`,
      headers: browser(admin),
      payload: { role: 'editor' },
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ userId: ada.id, role: 'editor' });
    expect((await create()).statusCode).toBe(201);
    expect(
      (
        await t.anonymous({
          method: 'PATCH',
          url: `/api/v1/members/${ada.id}`,
          headers: browser(admin),
          payload: { role: 'owner' },
        })
      ).statusCode,
    ).toBe(400);

    expect(
      (await t.anonymous({ method: 'DELETE', url: `/api/v1/members/${ada.id}`, headers: browser(admin) })).statusCode,
    ).toBe(204);
    expect((await members()).map((m) => m.userId)).not.toContain(ada.id);
    expect(
      (await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: browser(adaCookie) })).statusCode,
    ).toBe(403);

    const [self] = (await members()).filter((m) => m.role === 'admin');
    const demote = await t.anonymous({
      method: 'PATCH',
      url: `/api/v1/members/${self.userId}`,
      headers: browser(admin),
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toContain('last admin');
    expect(
      (await t.anonymous({ method: 'DELETE', url: `/api/v1/members/${self.userId}`, headers: browser(admin) }))
        .statusCode,
    ).toBe(409);
    expect((await members()).find((m) => m.userId === self.userId)?.role).toBe('admin');
  });
});

/** A checked key is trusted this long (API_KEY_CACHE_TTL_MS) before the database is asked again. */
const SHORT_KEY_CACHE_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('API keys', () => {
  beforeEach(async () => {
    t = await startTestApp({ API_KEY_CACHE_TTL_MS: String(SHORT_KEY_CACHE_MS) });
  });
  afterEach(async () => {
    await t.close();
  });

  const list = async () => await t.app.inject({ method: 'GET', url: '/api/v1/api-keys' });

  it('shows a new key once, lists only its prefix, tracks its last use and stops it at once when revoked', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'deploy bot', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key, prefix } = created.json();
    expect(key).toMatch(/^duet_[A-Za-z0-9_-]{40,}$/);
    expect(prefix).toBe(key.slice(0, 12));

    const listed = await list();
    expect(listed.body).not.toContain(key);
    const entry = listed.json().items.find((k: Json) => k.id === id);
    expect(entry).toMatchObject({ name: 'deploy bot', role: 'viewer', prefix, lastUsedAt: null, revokedAt: null });
    expect(entry).not.toHaveProperty('key');
    expect(entry).not.toHaveProperty('hash');
    expect(JSON.stringify(await t.db.orm.select().from(apiKeys))).not.toContain(key);

    expect((await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: bearer(key) })).statusCode).toBe(200);
    const firstUse = new Date((await list()).json().items.find((k: Json) => k.id === id).lastUsedAt).getTime();
    expect(Date.now() - firstUse).toBeLessThan(60_000);
    // An hour later the key is used again: the list says so.
    await t.db.orm
      .update(apiKeys)
      .set({ lastUsedAt: new Date(Date.now() - 3_600_000) })
      .where(eq(apiKeys.id, id));
    await sleep(SHORT_KEY_CACHE_MS + 50); // an hour is long past the key cache's lifetime too
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/executions', headers: bearer(key) })).statusCode).toBe(
      200,
    );
    expect(
      Date.now() - new Date((await list()).json().items.find((k: Json) => k.id === id).lastUsedAt).getTime(),
    ).toBeLessThan(60_000);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const refused = await t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: bearer(key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('unknown or revoked');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode).toBe(404);
  });

  it('acts in its own workspace only', async () => {
    const other = await addWorkspace(t.db, 'elsewhere');
    const own = await t.anonymous({
      method: 'GET',
      url: '/api/v1/workflows',
      headers: { ...bearer(t.key), 'x-duet-workspace': 'default' },
    });
    expect(own.statusCode).toBe(200);
    for (const workspace of ['elsewhere', other, 'does-not-exist']) {
      const response = await t.anonymous({
        method: 'GET',
        url: '/api/v1/workflows',
        headers: { ...bearer(t.key), 'x-duet-workspace': workspace },
      });
      expect(response.statusCode, workspace).toBe(404);
    }
  });

  it('can be made by admins only', async () => {
    for (const role of ['editor', 'viewer'] as const) {
      const { key } = await addKey(t.db, t.workspaceId, role);
      const refused = await t.anonymous({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: bearer(key),
        payload: { name: 'escalate', role: 'admin' },
      });
      expect(refused.statusCode, role).toBe(403);
      expect(
        (await t.anonymous({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(key) })).statusCode,
        role,
      ).toBe(403);
    }
    expect((await list()).json().items.map((k: Json) => k.name)).not.toContain('escalate');
  });
});

describe('API key checks, cached', () => {
  afterEach(async () => {
    await t.close();
  });

  const revokeInDatabase = (id: string) =>
    t.db.orm.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
  const read = (key: string) => t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers: bearer(key) });

  it('refuses a key revoked through this server at the next request, although it was just checked', async () => {
    t = await startTestApp({ API_KEY_CACHE_TTL_MS: '60000' });
    const { id, key } = await addKey(t.db, t.workspaceId, 'viewer');
    expect((await read(key)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode).toBe(200);
    const refused = await read(key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('unknown or revoked');
  });

  // A key revoked elsewhere (another process, or the database directly): how its next use here is answered.
  it.each([
    { when: 'right away, within API_KEY_CACHE_TTL_MS', ttlMs: 60_000, waitMs: 0, status: 200 },
    {
      when: 'once API_KEY_CACHE_TTL_MS has passed',
      ttlMs: SHORT_KEY_CACHE_MS,
      waitMs: SHORT_KEY_CACHE_MS + 50,
      status: 401,
    },
    { when: 'right away with API_KEY_CACHE_TTL_MS=0', ttlMs: 0, waitMs: 0, status: 401 },
  ])('answers a key revoked elsewhere $status $when', async ({ ttlMs, waitMs, status }) => {
    t = await startTestApp({ API_KEY_CACHE_TTL_MS: String(ttlMs) });
    const { id, key } = await addKey(t.db, t.workspaceId, 'viewer');
    expect((await read(key)).statusCode).toBe(200);
    await revokeInDatabase(id);
    await sleep(waitMs);
    expect((await read(key)).statusCode).toBe(status);
  });
});

describe('audit log', () => {
  /** Route parameters that name the resource acted on; tokens are secrets and never named. */
  const resourceOf = (call: Call): string | null => {
    const named = call.params.id ?? call.params.userId ?? call.params.name;
    if (named) return named;
    return call.status === 201 ? ((call.json() as { id?: string }).id ?? null) : null;
  };
  const outcomeOf = (status: number) =>
    status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : status === 404 ? 'not_found' : 'invalid';

  let world: World;
  /** Every mutating route called by an admin (cookie), a viewer (API key) and an anonymous caller, with the newest entry of its action after the call. */
  const calls: Array<{ action: string; call?: Call; entry?: typeof auditLog.$inferSelect }> = [];
  beforeAll(async () => {
    world = await buildWorld();
    const callers = ['A admin (cookie)', 'A viewer (key)', 'anonymous'].map((name) =>
      world.callers.find((c) => c.name === name)!,
    );
    // The API's writes; webhook deliveries (/hooks) audit their own refusals (test/integration/webhooks.test.ts).
    for (const route of world.t.app.routeAccess.filter((r) => r.method !== 'GET' && r.url.startsWith('/api/'))) {
      for (const caller of callers) {
        const call = await world.call(route, caller);
        // A wildcard route is recorded with the path it was called on (`POST /api/auth/sign-in/email`).
        const action = `${route.method} ${route.url.replace('*', call?.params['*'] ?? '*')}`;
        if (call?.status === 201 && typeof call.json().key === 'string') world.secrets.push(call.json().key);
        const [entry] = await world.t.db.orm
          .select()
          .from(auditLog)
          .where(eq(auditLog.action, action))
          .orderBy(sql`${auditLog.at} desc`)
          .limit(1);
        calls.push({ action, ...(call ? { call } : {}), ...(entry ? { entry } : {}) });
        if (!call) break;
      }
    }
  }, 300_000);
  afterAll(async () => {
    await world.close();
  });

  it('records every mutating route, allowed or denied, with actor, action, resource, address, outcome and status', () => {
    expect(calls.length).toBeGreaterThan(75);
    const problems: string[] = [];
    for (const { action, call, entry } of calls) {
      if (!call) {
        problems.push(`${action}: no fixture in test/support/route-calls.ts`);
        continue;
      }
      // Public routes do not identify their caller (sign-in names the email tried, setup and invitations the new account).
      const actor =
        call.route.access === 'public'
          ? {}
          : { actorType: call.caller.actor.type, actorId: call.caller.actor.id, actorLabel: call.caller.actor.label };
      const want = {
        action,
        statusCode: call.status,
        outcome: outcomeOf(call.status),
        ip: '127.0.0.1',
        resourceId: resourceOf(call),
        ...actor,
      };
      const got = entry
        ? Object.fromEntries(Object.keys(want).map((k) => [k, entry[k as keyof typeof entry]]))
        : undefined;
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `${action} as ${call.caller.name}:\n    want ${JSON.stringify(want)}\n    got  ${JSON.stringify(got)}`,
        );
    }
    expect(problems, problems.join('\n')).toEqual([]);
    // Both sides were exercised: the admin's writes succeeded and the others' were denied.
    const seen = new Set(calls.map(({ call, entry }) => `${call?.caller.name} ${entry?.outcome}`));
    for (const outcome of ['A admin (cookie) success', 'A viewer (key) denied', 'anonymous denied'])
      expect(seen).toContain(outcome);
  });

  it('never holds a password, an API key, an invitation token or a session', async () => {
    const rows = await world.t.db.orm.select().from(auditLog);
    expect(rows.length).toBeGreaterThan(75);
    expect(world.secrets.length).toBeGreaterThan(10);
    const text = JSON.stringify(rows);
    expect(world.secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });

  it('shows instance admins the sign-in attempts (no workspace) and nobody else', async () => {
    const tried = freshEmail('guess');
    const failed = await world.t.anonymous({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: SAME_ORIGIN,
      payload: { email: tried, password: 'not the password at all' },
    });
    expect(failed.statusCode).toBe(401);
    for (const name of ['A admin (key)', 'A admin (cookie)', 'B admin (cookie)']) {
      const caller = world.callers.find((c) => c.name === name)!;
      expect(
        (await world.t.anonymous({ method: 'GET', url: '/api/v1/admin/audit', headers: caller.headers })).statusCode,
        name,
      ).toBe(403);
    }
    const root = world.callers.find((c) => c.name === 'instance admin (cookie)')!;
    const read = await world.t.anonymous({
      method: 'GET',
      url: '/api/v1/admin/audit?limit=100',
      headers: root.headers,
    });
    expect(read.statusCode).toBe(200);
    const items = read.json().items as Json[];
    expect(items.every((e) => e.workspaceId === null)).toBe(true);
    expect(items[0]).toMatchObject({
      action: 'POST /api/auth/sign-in/email',
      actorLabel: tried,
      outcome: 'denied',
      statusCode: 401,
      ip: '127.0.0.1',
    });
    expect(items.some((e) => e.outcome === 'success' && e.action === 'POST /api/auth/sign-in/email')).toBe(true);
  });

  it('is readable by workspace admins only, and shows their workspace alone', async () => {
    for (const name of ['A editor (key)', 'A viewer (key)', 'A viewer (cookie)']) {
      const caller = world.callers.find((c) => c.name === name)!;
      expect(
        (await world.t.anonymous({ method: 'GET', url: '/api/v1/audit', headers: caller.headers })).statusCode,
        name,
      ).toBe(403);
    }
    const read = await world.t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=100' });
    expect(read.statusCode).toBe(200);
    const items = read.json().items as Json[];
    expect(items.length).toBeGreaterThan(30);
    expect(items.every((e) => e.workspaceId === world.A.workspaceId)).toBe(true);
    expect(items.map((e) => e.outcome)).toEqual(expect.arrayContaining(['success', 'denied']));
    const first = (await world.t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=10' })).json();
    const second = (
      await world.t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?limit=10&cursor=${encodeURIComponent(first.nextCursor)}`,
      })
    ).json();
    expect([...first.items, ...second.items].map((e: Json) => e.id)).toEqual(items.slice(0, 20).map((e) => e.id));
    const b = world.callers.find((c) => c.name === 'B admin (key)')!;
    expect(
      (
        await world.t.anonymous({
          method: 'POST',
          url: '/api/v1/workflows',
          headers: b.headers,
          payload: tinyGraph('B only'),
        })
      ).statusCode,
    ).toBe(201);
    const theirs = (
      await world.t.anonymous({ method: 'GET', url: '/api/v1/audit?limit=100', headers: b.headers })
    ).json().items as Json[];
    expect(theirs.map((e) => e.action)).toEqual(['POST /api/v1/workflows']);
    expect(theirs[0]).toMatchObject({
      workspaceId: world.B.workspaceId,
      actorLabel: 'B admin key',
      outcome: 'success',
    });
  });
});
