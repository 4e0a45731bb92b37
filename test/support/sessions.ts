import type { Role } from '../../src/model/roles.ts';
import { upsertMember } from '../../src/store/members.ts';
import { createPasswordUser } from '../../src/store/users.ts';
import type { TestApp } from './app.ts';

/** The origin `app.inject` requests come from by default (its Host header is localhost:80). */
export const INJECT_ORIGIN = 'http://localhost:80';

/**
 * A member of the default workspace with `role`, signed in through the real sign-in route: gives the `cookie`
 * header a browser would send back.
 */
export async function signedInMember(
  t: TestApp,
  role: Role,
  email = `${role}-${Date.now()}@example.com`,
): Promise<{ userId: string; cookie: string }> {
  const password = 'correct horse battery staple';
  const user = await createPasswordUser(t.db.orm, { email, password });
  await upsertMember(t.db.orm, t.workspaceId, user.id, role);
  const signIn = await t.anonymous({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { origin: INJECT_ORIGIN },
    payload: { email, password },
  });
  if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.statusCode} ${signIn.body}`);
  const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { userId: user.id, cookie };
}
