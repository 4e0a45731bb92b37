import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, type Permission, type Role } from '../../src/model/roles.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import type { Database } from '../../src/store/db.ts';
import { upsertMember } from '../../src/store/members.ts';
import { createPasswordUser } from '../../src/store/users.ts';
import { createWorkspace } from '../../src/store/workspaces.ts';

type Inject = FastifyInstance['inject'];

/**
 * The roles of issue 6, restated here rather than imported from src/model/roles.ts, so that a wrong grant there
 * fails the tests: viewers read and start, editors also write workflows and steer executions, admins do all.
 */
const VIEWER: readonly Permission[] = [
  'workflows.read',
  'executions.read',
  'executions.start',
  'conversations.use',
  'knowledge.read',
  'tasks.read',
];
export const GRANTED: Record<Role, readonly Permission[]> = {
  viewer: VIEWER,
  editor: [...VIEWER, 'workflows.write', 'executions.control', 'knowledge.write', 'tasks.write'],
  admin: PERMISSIONS,
};

/** The password every account made by the tests has (long enough for the 12-character rule). */
export const PASSWORD = 'plenty of words here 42';

/**
 * Headers of a browser page on Duet's own origin. `app.inject` talks to Host `localhost`; cookie-authenticated
 * writes are accepted only with an Origin equal to it (CSRF rule).
 */
export const SAME_ORIGIN = { host: 'localhost', origin: 'http://localhost' } as const;

export interface TestUser {
  id: string;
  email: string;
  password: string;
}
export interface TestKey {
  id: string;
  key: string;
  name: string;
}

/** A unique email for this run. */
export const freshEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** An account that signs in with PASSWORD, optionally a member of a workspace. */
export async function addUser(
  db: Database,
  options: { email?: string; instanceAdmin?: boolean; member?: { workspaceId: string; role: Role } } = {},
): Promise<TestUser> {
  const user = await createPasswordUser(db.orm, {
    email: options.email ?? freshEmail(),
    password: PASSWORD,
    instanceAdmin: options.instanceAdmin ?? false,
  });
  if (options.member) await upsertMember(db.orm, options.member.workspaceId, user.id, options.member.role);
  return { id: user.id, email: user.email, password: PASSWORD };
}

/** An API key with a role in a workspace. */
export async function addKey(
  db: Database,
  workspaceId: string,
  role: Role,
  name = `${role} key ${randomUUID().slice(0, 6)}`,
): Promise<TestKey> {
  const created = await createApiKey(db, { workspaceId, name, role });
  return { id: created.id, key: created.key, name };
}

export async function addWorkspace(db: Database, slug: string): Promise<string> {
  return (await createWorkspace(db.orm, { slug })).id;
}

/** `Cookie` request header carrying the cookies a response set. */
export function cookieOf(setCookie: string | string[] | undefined): string {
  return [setCookie ?? []]
    .flat()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

/** Signs in by email and password as the web app does; returns the `Cookie` header of the session. */
export async function signIn(inject: Inject, email: string, password = PASSWORD): Promise<string> {
  const response = await inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: SAME_ORIGIN,
    payload: { email, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in of ${email} failed with ${response.statusCode}: ${response.body}`);
  const cookie = cookieOf(response.headers['set-cookie']);
  if (!cookie) throw new Error(`sign-in of ${email} set no cookie`);
  return cookie;
}

/** Headers of a browser signed in with `cookie`, on Duet's own origin. */
export const browser = (cookie: string) => ({ ...SAME_ORIGIN, cookie });
/** Headers of a script using an API key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
