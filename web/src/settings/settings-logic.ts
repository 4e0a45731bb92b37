/** Pure helpers of the settings pages (unit-tested in test/unit/web/accounts.test.ts). */

export interface Invitation {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}
export type InvitationStatus = 'open' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(invitation: Invitation, now = Date.now()): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  return new Date(invitation.expiresAt).getTime() <= now ? 'expired' : 'open';
}

/**
 * Secret names as the server accepts them: upper-case letters, digits and _, starting with a letter, at most 64
 * (mirrors SECRET_NAME of the server's secrets model; the server stays the judge and says why it refuses).
 */
export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

export function secretNameProblem(name: string): string | null {
  if (!name) return 'Give the secret a name, like STRIPE_KEY.';
  return SECRET_NAME.test(name)
    ? null
    : 'Use upper-case letters, digits and _, starting with a letter (at most 64), like STRIPE_KEY.';
}

/** How a workflow reads a secret, e.g. `{{secrets.STRIPE_KEY}}`. */
export const secretReference = (name: string): string => `{{secrets.${name}}}`;

export interface AuditItem {
  id: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  outcome: string;
  statusCode: number | null;
  at: string;
}

/** Who did it, in words: the user's email or the key's name, else what kind of caller it was. */
export function auditActor(item: AuditItem): string {
  const kind = item.actorType === 'api_key' ? 'API key' : item.actorType;
  return item.actorLabel ? (item.actorType === 'api_key' ? `API key "${item.actorLabel}"` : item.actorLabel) : kind;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A resource id as the lists show it: a uuid by its first 8 characters (like execution ids), a name or slug whole. */
export const shortId = (id: string): string => (UUID.test(id) ? id.slice(0, 8) : id);

/** Adds a further page to what is shown, skipping entries already there (a new entry may shift the pages). */
export function appendPage<T extends { id: string }>(shown: T[], page: T[]): T[] {
  const seen = new Set(shown.map((item) => item.id));
  return [...shown, ...page.filter((item) => !seen.has(item.id))];
}
