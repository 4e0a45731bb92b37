import type { Role } from '../../../src/model/roles.ts';
import { ApiError, errorText } from '../lib/api.ts';

/** Pure rules of the account pages (unit-tested in test/unit/web/accounts.test.ts). */

/** The server's rule for new passwords (src/store/users.ts PASSWORD_MIN / PASSWORD_MAX), checked before sending. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** What is wrong with a new password and its repetition, or null. */
export function newPasswordProblem(password: string, repeat: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters (a few words make a good one).`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (password !== repeat) return 'The two passwords differ; type the same one twice.';
  return null;
}

/** What to tell someone whose sign-in failed; a lockout keeps the server's words, which say how long to wait. */
export function signInErrorText(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 401) return 'Wrong email or password. Check both and try again.';
  return errorText(error);
}

/** What each role may do, in a sentence (the matrix itself is src/model/roles.ts, which the UI imports). */
export const ROLE_HINTS: Record<Role, string> = {
  admin: 'everything, including members, invitations, API keys, secrets and the audit log',
  editor: 'edit, publish and delete workflows, knowledge bases and tasks; run and control executions',
  viewer: 'read workflows, executions, knowledge bases and tasks, start runs and chat; no editing',
};
