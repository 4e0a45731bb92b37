import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookAuth } from '../model/triggers.ts';

/** Request headers as Node gives them (lower-case names). */
export type Headers = Record<string, string | string[] | undefined>;

/** Why a delivery is refused, said to the sender without revealing anything of the secret. */
export type Refusal = string;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Constant time over the values (both hashed first, so unequal lengths take the same time too). */
function same(a: string | Buffer, b: string | Buffer): boolean {
  const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function withinTolerance(seconds: string, now: number, toleranceSeconds: number): boolean {
  if (!/^\d{1,12}$/.test(seconds)) return false;
  return Math.abs(now / 1000 - Number(seconds)) <= toleranceSeconds;
}

/** `X-Duet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`; several v1 allowed (rotation). */
function duetSignature(raw: Buffer, headers: Headers, secret: string, toleranceSeconds: number, now: number) {
  const value = header(headers, 'x-duet-signature');
  if (!value) return 'the X-Duet-Signature header is missing';
  const parts = value.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const given = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!t || given.length === 0) return 'X-Duet-Signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>';
  if (!withinTolerance(t, now, toleranceSeconds))
    return `the signature's timestamp is more than ${toleranceSeconds} s away from the server's time`;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex');
  return given.some((v) => same(v.toLowerCase(), expected)) ? null : 'the signature does not match the body';
}

/** Standard Webhooks: HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>" under the base64 `whsec_` key. */
function standardSignature(raw: Buffer, headers: Headers, secret: string, toleranceSeconds: number, now: number) {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    return 'the webhook-id, webhook-timestamp and webhook-signature headers are required';
  if (!withinTolerance(timestamp, now, toleranceSeconds))
    return `webhook-timestamp is more than ${toleranceSeconds} s away from the server's time`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(raw).digest('base64');
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  return given.some((v) => same(v, expected)) ? null : 'the signature does not match the body';
}

function sharedToken(headers: Headers, secret: string) {
  const bearer = /^Bearer (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
  const token = bearer ?? header(headers, 'x-duet-token');
  if (!token) return 'send the token as Authorization: Bearer <token> or X-Duet-Token';
  return same(token, secret) ? null : 'the token is not right';
}

/**
 * Checks a delivery against its webhook's scheme over the raw body; null when it passes. `secret` is the value of
 * the workspace secret the scheme names (unused for `none`), `now` the server's time in ms.
 */
export function verifyDelivery(
  auth: WebhookAuth,
  secret: string,
  raw: Buffer,
  headers: Headers,
  now: number,
): Refusal | null {
  switch (auth.scheme) {
    case 'none':
      return null;
    case 'hmac':
      return duetSignature(raw, headers, secret, auth.toleranceSeconds, now);
    case 'standard':
      return standardSignature(raw, headers, secret, auth.toleranceSeconds, now);
    case 'token':
      return sharedToken(headers, secret);
  }
}
