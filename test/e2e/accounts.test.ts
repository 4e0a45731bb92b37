import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openUserMenu, signedIn, signIn } from './support/accounts.ts';
import { screenshot } from './support/browser.ts';
import { publishApprovalWorkflow } from './support/server.ts';
import { useE2ESession } from './support/session.ts';

const session = useE2ESession();
const VIEWER = { email: 'vera@example.com', password: 'viewer password 123' };

/** A request as curl would make it: no cookie, just the key. */
const withKey = (key: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(session.server.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });

async function confirm(page: Page, row: string, label: string): Promise<void> {
  await page.getByTestId(row).getByRole('button', { name: label, exact: true }).click();
  await page
    .getByTestId(row)
    .getByRole('button', { name: `Yes, ${label.toLowerCase()}` })
    .click();
}

it('invites a viewer: the admin copies the link, the invitee sets a password and lands with the viewer role and no edit controls', async () => {
  const { page, server, browser } = session;
  const slug = await publishApprovalWorkflow(server, 'Quarterly report');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });

  await page.goto(`${server.url}/settings/invitations`);
  await page.getByLabel('Email to invite').fill(VIEWER.email);
  await page.getByLabel('Role of the invited person').selectOption('viewer');
  await page.getByRole('button', { name: 'Invite' }).click();
  const shown = page.getByTestId('invitation-link');
  await shown.getByRole('button', { name: 'Copy' }).click();
  await shown.getByRole('button', { name: 'Copied' }).waitFor();
  const link = (await page.evaluate('navigator.clipboard.readText()')) as string;
  expect(link).toBe(await shown.getByLabel('Invitation link').inputValue());
  expect(link).toMatch(new RegExp(`^${server.url}/invite/[\\w-]{20,}$`));
  await page.getByTestId(`invitation-${VIEWER.email}`).getByText('open').waitFor();
  await screenshot(page, 'e2e-invitation-link');

  // The invitee, in a browser of their own.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const invitee = await context.newPage();
  invitee.setDefaultTimeout(15_000);
  await invitee.goto(link);
  await invitee.getByRole('heading', { name: 'Join Default' }).waitFor();
  expect(await invitee.getByTestId('invited-role').textContent()).toBe('viewer');
  await invitee.getByLabel('Your name').fill('Vera Viewer');
  await invitee.getByLabel('Password', { exact: true }).fill(VIEWER.password);
  await invitee.getByLabel('Repeat the password').fill(VIEWER.password);
  await screenshot(invitee, 'e2e-invitation-accept');
  await invitee.getByRole('button', { name: 'Create my account and join' }).click();
  await signedIn(invitee);
  expect(new URL(invitee.url()).pathname).toBe('/');
  await openUserMenu(invitee);
  expect(await invitee.getByTestId('current-role').textContent()).toBe('viewer');
  expect(await invitee.getByRole('link', { name: 'Settings' }).count()).toBe(0);

  // A viewer reads, runs and chats, but sees no control that edits or steers.
  await invitee.goto(`${server.url}/workflows`);
  await invitee.getByRole('link', { name: 'Quarterly report' }).waitFor();
  expect(await invitee.getByRole('button', { name: 'Create' }).count()).toBe(0);
  await invitee.goto(`${server.url}/workflows/${slug}`);
  await invitee.getByTestId('read-only').waitFor();
  for (const name of ['Publish', 'Save', 'Layout', 'Import', 'Delete'])
    expect(await invitee.getByRole('button', { name, exact: true }).count(), name).toBe(0);
  expect(await invitee.locator('.palette').count()).toBe(0);
  await invitee.getByTestId('node-gate').click();
  expect(await invitee.locator('#block-name').isDisabled()).toBe(true);
  await invitee.getByRole('tab', { name: 'Run' }).click();
  await invitee.getByRole('button', { name: '▶ Run' }).click();
  await invitee.getByTestId('approval-ask').getByText('An editor or admin decides.').waitFor();
  expect(await invitee.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  expect(await invitee.getByRole('toolbar', { name: 'Run commands' }).count()).toBe(0);
  expect(await invitee.getByLabel('Message').isEnabled()).toBe(true);
  await screenshot(invitee, 'e2e-viewer-editor');

  // The admin sees the new member and the accepted invitation, and can make them an editor.
  await page.goto(`${server.url}/settings/members`);
  const member = page.getByTestId(`member-${VIEWER.email}`);
  await member.getByText('Vera Viewer').waitFor();
  await member.getByLabel(`Role of ${VIEWER.email}`).selectOption('editor');
  await expect.poll(() => member.getByLabel(`Role of ${VIEWER.email}`).inputValue()).toBe('editor');
  await invitee.reload();
  await invitee.getByRole('button', { name: 'Publish' }).waitFor();
  await context.close();
});

it('creates an API key shown once, which works like curl would use it until it is revoked', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByLabel('Key name').fill('ci script');
  await page.getByLabel('Role of the key').selectOption('editor');
  await page.getByRole('button', { name: 'Create key' }).click();
  const reveal = page.getByTestId('new-api-key');
  await reveal.getByText('shown only this once').waitFor();
  const key = await reveal.getByLabel('API key ci script').inputValue();
  expect(key).toMatch(/^duet_/);
  await screenshot(page, 'e2e-api-key-shown-once');

  const listed = await withKey(key, '/api/v1/workflows');
  expect(listed.status).toBe(200);
  const created = await withKey(key, '/api/v1/workflows', {
    method: 'POST',
    body: { name: 'Made by a key', nodes: [{ id: 'start', type: 'start', name: 'Start' }], edges: [] },
  });
  expect(created.status).toBe(201);

  // Never shown again: a reload lists the key by its first characters, with its last use.
  await page.reload();
  const row = page.getByTestId('api-key-ci script');
  await row.getByText(`${key.slice(0, 12)}…`).waitFor();
  expect(await page.getByTestId('new-api-key').count()).toBe(0);
  expect(await page.locator('body').textContent()).not.toContain(key);
  expect(await row.getByTestId('last-used').textContent()).not.toBe('never');

  await confirm(page, 'api-key-ci script', 'Revoke');
  await row.getByText(/^revoked/).waitFor();
  const refused = await withKey(key, '/api/v1/workflows');
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('unknown or revoked');
});

it('shows the audit log newest first, with who did what', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/settings/audit`);
  const table = page.getByTestId('audit-workspace');
  await table.waitFor();
  const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(actions).toContain('POST /api/v1/api-keys');
  // The key was revoked after it was created: newest first.
  expect(actions.findIndex((a) => a.startsWith('DELETE /api/v1/api-keys'))).toBeLessThan(
    actions.indexOf('POST /api/v1/api-keys'),
  );
  await table.getByText('API key "ci script"').first().waitFor();
  await screenshot(page, 'e2e-audit-log');
});

it('lets the instance admin reset a member password and see sign-in attempts', async () => {
  const { page, server } = session;
  const signInAs = (password: string) =>
    fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: VIEWER.email, password }),
    });
  expect((await signInAs('a wrong guess of a password')).status).toBe(401);

  await page.goto(`${server.url}/settings/members`);
  await confirm(page, `member-${VIEWER.email}`, 'Reset password');
  const shown = page.getByLabel(`New password for ${VIEWER.email}`);
  await shown.waitFor();
  const password = await shown.inputValue();
  expect((await signInAs(VIEWER.password)).status).toBe(401);
  expect((await signInAs(password)).status).toBe(200);

  await page.getByRole('link', { name: 'Sign-in activity' }).click();
  const table = page.getByTestId('audit-instance');
  await table.getByText(VIEWER.email).first().waitFor();
  expect(await table.locator('tbody tr td:nth-child(3)').first().textContent()).toBe('POST /api/auth/sign-in/email');
  await screenshot(page, 'e2e-sign-in-activity');
});

it('sets, replaces and deletes secrets without ever showing a value', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/settings/secrets`);
  await page.getByLabel('Secret name').fill('stripe_key');
  await page.getByLabel('Secret value').fill('sk_test_very_secret_1');
  await page.getByRole('button', { name: 'Save secret' }).click();
  await page.getByText('Saved STRIPE_KEY').waitFor();
  const row = page.getByTestId('secret-STRIPE_KEY');
  await row.getByText('{{secrets.STRIPE_KEY}}').waitFor();
  await screenshot(page, 'e2e-secrets');
  await row.getByRole('button', { name: 'Replace value' }).click();
  await page.getByLabel('Secret value').fill('sk_test_very_secret_2');
  await page.getByRole('button', { name: 'Save secret' }).click();
  await page.getByText('Saved STRIPE_KEY').waitFor();
  await page.reload();
  await row.waitFor();
  const text = await page.locator('body').textContent();
  expect(text).not.toContain('sk_test_very_secret');
  await confirm(page, 'secret-STRIPE_KEY', 'Delete');
  await expect.poll(() => row.count()).toBe(0);
});

it('switches workspaces: every call and the socket act in the chosen one, and the choice survives a reload', async () => {
  const { page, server } = session;
  await page.goto(server.url);
  // Workspaces are made by an instance admin; the page's own fetch carries the cookie and Origin.
  const created = (await page.evaluate(
    `fetch('/api/v1/workspaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'second', name: 'Second' }) }).then((r) => r.json())`,
  )) as { id: string };
  await page.reload();
  await page.getByTestId('workspace-switcher').selectOption(created.id);
  await page.getByTestId('live-state').getByText('live').waitFor();
  await page.goto(`${server.url}/workflows`);
  await page.getByText('No workflows yet').waitFor();
  expect(await page.evaluate(`localStorage.getItem('duet.workspace')`)).toBe(created.id);

  // A run in the second workspace reaches the dashboard's live feed over the re-authenticated socket.
  await page.goto(server.url);
  await page.getByTestId('live-state').getByText('live').waitFor();
  expect(await page.getByTestId('workspace-switcher').inputValue()).toBe(created.id);
  const inSecond = (await page.evaluate(
    `fetch('/api/v1/workflows', { method: 'POST', headers: { 'content-type': 'application/json', 'x-duet-workspace': 'second' }, body: JSON.stringify({ name: 'Second flow', nodes: [{ id: 'start', type: 'start', name: 'Start' }, { id: 'done', type: 'response', name: 'Done', config: { output: { ok: true } } }], edges: [{ id: 'e', source: 'start', target: 'done' }] }) }).then((r) => r.json())`,
  )) as { id: string };
  await page.evaluate(
    `fetch('/api/v1/workflows/${inSecond.id}/versions', { method: 'POST', headers: { 'x-duet-workspace': 'second' } }).then((r) => r.status)`,
  );
  await page.evaluate(
    `fetch('/api/v1/workflows/${inSecond.id}/executions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-duet-workspace': 'second' }, body: '{}' }).then((r) => r.status)`,
  );
  await page.getByTestId('activity-feed').getByText('Completed').waitFor();
  await screenshot(page, 'e2e-workspace-switched');

  await page.getByTestId('project-default').getByRole('button', { name: 'Switch to Default' }).click();
  await expect.poll(() => page.getByTestId('workspace-switcher').inputValue()).not.toBe(created.id);
});

it('signs out everywhere: another browser of the same account is sent to sign-in', async () => {
  const { page, server, browser } = session;
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signIn(elsewhere, server.url, server.admin!);

  await page.goto(server.url);
  await openUserMenu(page);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('heading', { name: 'Sign in to Duet' }).waitFor();

  await elsewhere.goto(`${server.url}/workflows`);
  await elsewhere.getByRole('heading', { name: 'Sign in to Duet' }).waitFor();
  expect(new URL(elsewhere.url()).searchParams.get('next')).toBe('/workflows');
  await other.close();
});
