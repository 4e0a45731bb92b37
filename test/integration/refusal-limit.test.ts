import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, PASSWORD, SAME_ORIGIN } from '../support/accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/** Guessing credentials from one address: after AUTH_REFUSALS_PER_MINUTE refusals, that address gets 429. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AUTH_REFUSALS_PER_MINUTE: '3' });
});
afterAll(async () => {
  await t.close();
});

const from = (remoteAddress: string, headers: Record<string, string>) =>
  t.anonymous({ method: 'GET', url: '/api/v1/workflows', headers, remoteAddress });

describe('refused requests per address', () => {
  it('turns an address away after too many 401s, even with good credentials, and leaves other addresses alone', async () => {
    const user = await addUser(t.db);
    const guesses = [];
    for (let i = 0; i < 4; i++) guesses.push((await from('203.0.113.7', bearer(`duet_guess${i}`))).statusCode);
    expect(guesses).toEqual([401, 401, 401, 401]);

    const blocked = await from('203.0.113.7', bearer(`duet_guess5`));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toContain('AUTH_REFUSALS_PER_MINUTE');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const signIn = await t.anonymous({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: SAME_ORIGIN,
      payload: { email: user.email, password: PASSWORD },
      remoteAddress: '203.0.113.7',
    });
    expect(signIn.statusCode).toBe(429);
    expect(signIn.headers['set-cookie']).toBeUndefined();

    expect((await from('198.51.100.9', bearer('duet_wrong'))).statusCode).toBe(401);
    // The admin key of the test app (another address, valid credentials) still works.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/workflows' })).statusCode).toBe(200);
    // Health is not part of the API: a blocked address can still be probed by a load balancer.
    expect((await t.anonymous({ method: 'GET', url: '/health', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
  });
});
