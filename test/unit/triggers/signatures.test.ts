import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/triggers/signatures.ts';

// Vectors computed outside the code under test, when this test was written:
//   printf '%s' '1767225600.{"name":"Ada","plan":"pro"}' | openssl dgst -sha256 -hmac 'duet-hook-secret-1'
const DUET = {
  secret: 'duet-hook-secret-1',
  body: '{"name":"Ada","plan":"pro"}',
  t: 1767225600,
  v1: '9be9beaeccba86927d07b54fc2247a4b97b0689c4e48f28dafe3b7abcd244090',
};
// The Standard Webhooks specification's own example (standardwebhooks.com), checked with
//   printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
//   openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of base64-decoded key> -binary | base64
const STANDARD = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const hmac = { scheme: 'hmac' as const, secret: 'S', toleranceSeconds: 300 };
const standard = { scheme: 'standard' as const, secret: 'S', toleranceSeconds: 300 };

describe('X-Duet-Signature', () => {
  const at = (seconds: number) => seconds * 1000;
  const check = (header: string, body = DUET.body, now = at(DUET.t)) =>
    verifyDelivery(hmac, DUET.secret, Buffer.from(body), { 'x-duet-signature': header }, now);

  it('accepts the independently computed vector, also next to a rotated-out signature', () => {
    expect(check(`t=${DUET.t},v1=${DUET.v1}`)).toBeNull();
    expect(check(`t=${DUET.t},v1=${'0'.repeat(64)},v1=${DUET.v1}`)).toBeNull();
    expect(check(`t=${DUET.t},v1=${DUET.v1.toUpperCase()}`)).toBeNull();
  });

  it('refuses another body, another secret, a stale timestamp, or a malformed header', () => {
    expect(check(`t=${DUET.t},v1=${DUET.v1}`, DUET.body.replace('pro', 'free'))).toContain('does not match');
    expect(
      verifyDelivery(
        hmac,
        'other',
        Buffer.from(DUET.body),
        { 'x-duet-signature': `t=${DUET.t},v1=${DUET.v1}` },
        at(DUET.t),
      ),
    ).toContain('does not match');
    expect(check(`t=${DUET.t},v1=${DUET.v1}`, DUET.body, at(DUET.t + 301))).toContain('300 s');
    expect(check(`t=${DUET.t},v1=${DUET.v1}`, DUET.body, at(DUET.t - 301))).toContain('300 s');
    expect(check(`t=${DUET.t},v1=${DUET.v1}`, DUET.body, at(DUET.t + 299))).toBeNull();
    expect(check(`v1=${DUET.v1}`)).toContain('t=<unix seconds>');
    expect(verifyDelivery(hmac, DUET.secret, Buffer.from(DUET.body), {}, at(DUET.t))).toContain('missing');
  });
});

describe('Standard Webhooks', () => {
  const headers = (signature = STANDARD.signature, id = STANDARD.id) => ({
    'webhook-id': id,
    'webhook-timestamp': String(STANDARD.timestamp),
    'webhook-signature': signature,
  });
  const check = (h: Record<string, string>, body = STANDARD.body, now = STANDARD.timestamp * 1000) =>
    verifyDelivery(standard, STANDARD.secret, Buffer.from(body), h, now);

  it("accepts the specification's example, among several space-separated signatures", () => {
    expect(check(headers())).toBeNull();
    expect(check(headers(`v1a,abc v1,bm90IHRoaXM= ${STANDARD.signature}`))).toBeNull();
  });

  it('refuses a changed id or body, a stale timestamp, or missing headers', () => {
    expect(check(headers(STANDARD.signature, 'msg_other'))).toContain('does not match');
    expect(check(headers(), '{"test": 2432232315}')).toContain('does not match');
    expect(check(headers(), STANDARD.body, (STANDARD.timestamp + 600) * 1000)).toContain('300 s');
    expect(check({ 'webhook-id': STANDARD.id })).toContain('required');
  });
});

describe('shared token', () => {
  const token = { scheme: 'token' as const, secret: 'S' };
  it('takes a bearer or X-Duet-Token and refuses anything else', () => {
    const raw = Buffer.from('');
    expect(verifyDelivery(token, 'tok', raw, { authorization: 'Bearer tok' }, 0)).toBeNull();
    expect(verifyDelivery(token, 'tok', raw, { 'x-duet-token': 'tok' }, 0)).toBeNull();
    expect(verifyDelivery(token, 'tok', raw, { 'x-duet-token': 'to' }, 0)).toContain('not right');
    expect(verifyDelivery(token, 'tok', raw, {}, 0)).toContain('Bearer');
  });
});
