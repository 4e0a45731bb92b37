import { expect, it } from 'vitest';
import { fillSignIn, openUserMenu, signedIn } from './support/accounts.ts';
import { screenshot } from './support/browser.ts';
import type { Account } from './support/server.ts';
import { useE2ESession } from './support/session.ts';

// An empty instance: no account exists until the first admin is made through the UI.
const session = useE2ESession({ admin: false, env: { AUTH_LOCKOUT_ATTEMPTS: '3' } });
const FIRST: Account = { email: 'owner@example.com', password: 'first admin password' };

it('offers "create the first admin" on an empty instance and lands signed in', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/workflows`);
  await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/setup');

  await page.getByLabel('Your name').fill('Olivia Owner');
  await page.getByLabel('Email').fill(FIRST.email);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByLabel('Repeat the password').fill('too short');
  await page.getByRole('button', { name: 'Create the admin account' }).click();
  await page.getByRole('alert').getByText('at least 12 characters').waitFor();

  await page.getByLabel('Password', { exact: true }).fill(FIRST.password);
  await page.getByLabel('Repeat the password').fill(FIRST.password);
  await screenshot(page, 'e2e-first-admin-form');
  await page.getByRole('button', { name: 'Create the admin account' }).click();
  await signedIn(page);
  // Back where the person was headed, signed in as the new admin.
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
  await openUserMenu(page);
  expect(await page.getByTestId('user-menu').textContent()).toContain(FIRST.email);
  expect(await page.getByTestId('current-role').textContent()).toBe('admin');
  await screenshot(page, 'e2e-first-admin');

  const setup = await fetch(`${server.url}/api/v1/setup`).then((r) => r.json());
  expect(setup).toEqual({ needsFirstAdmin: false });
  await page.goto(`${server.url}/setup`);
  await page.getByText('This instance already has an admin').waitFor();
});

it('says when the password is wrong, and when repeated failures lock the account', async () => {
  const { page, server } = session;
  await page.goto(server.url);
  await openUserMenu(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to Duet' }).waitFor();

  await fillSignIn(page, { email: FIRST.email, password: 'not the password' });
  await page.getByRole('alert').getByText('Wrong email or password').waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  await screenshot(page, 'e2e-sign-in-wrong-password');

  // The lockout is at 3 failures here; after it even the right password is refused, with the wait said plainly.
  for (let attempt = 2; attempt <= 3; attempt++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in/email'));
    await fillSignIn(page, { email: FIRST.email, password: `wrong ${attempt}` });
    expect((await answered).status()).toBe(401);
  }
  await fillSignIn(page, FIRST);
  await page
    .getByRole('alert')
    .getByText(/too many failed sign-ins for this email; try again in \d+ minute/)
    .waitFor();
  await screenshot(page, 'e2e-sign-in-locked');
});

it('sends a visitor without a session to sign-in, then back to the page they asked for', async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${session.server.url}/executions?status=failed`);
  await page.getByRole('heading', { name: 'Sign in to Duet' }).waitFor();
  expect(new URL(page.url()).searchParams.get('next')).toBe('/executions?status=failed');
  await context.close();
});
