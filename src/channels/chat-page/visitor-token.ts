import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a chat-page visitor's token grants: one conversation, through one chat trigger, until it expires. */
export interface VisitorGrant {
  conversationId: string;
  triggerId: string;
  expiresAt: number;
}

const sign = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`duet-visitor:${payload}`).digest('base64url');

/**
 * A visitor token: `<conversation>.<trigger>.<expiry ms>.<HMAC-SHA256>` under the instance's auth secret. Nothing
 * is stored: the signature proves the server issued it, and every request re-checks that the trigger is still
 * enabled and the conversation still alive.
 */
export function issueVisitorToken(secret: string, grant: VisitorGrant): string {
  const payload = `${grant.conversationId}.${grant.triggerId}.${grant.expiresAt}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** The grant of a token this server issued and that has not expired, else null. */
export function readVisitorToken(secret: string, token: string, now = Date.now()): VisitorGrant | null {
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [conversationId, triggerId, expiry, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(secret, `${conversationId}.${triggerId}.${expiry}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const expiresAt = Number(expiry);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  return { conversationId, triggerId, expiresAt };
}
