import type { Page } from 'playwright-core';
import type { Account } from './server.ts';

/** Signs in through the sign-in page, as a person would, and waits for the app. */
export async function signIn(page: Page, url: string, account: Account): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await fillSignIn(page, account);
  await signedIn(page);
}

export async function fillSignIn(page: Page, account: Account): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The app's main navigation shows only once the session is known. */
export async function signedIn(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Opens the account menu (sign out, role in this workspace). */
export async function openUserMenu(page: Page): Promise<void> {
  await page.locator('.user-menu summary').click();
  await page.getByTestId('user-menu').waitFor();
}
