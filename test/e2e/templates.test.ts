import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';

const session = useE2ESession();

it('creates the personal assistant from the template gallery and opens its blocks on the canvas', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/workflows`);
  await page.getByRole('button', { name: 'New from template…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New from template' });
  const card = dialog.locator('.card', { hasText: 'Personal assistant' });
  await card.waitFor();
  expect(await card.innerText()).toContain('3 blocks');
  await screenshot(page, 'e2e-template-gallery');
  await card.getByRole('button', { name: 'Use Personal assistant' }).click();

  await page.waitForURL(/\/workflows\/personal-assistant$/);
  for (const id of ['start', 'assistant', 'answer']) await page.getByTestId(`node-${id}`).waitFor();
  expect(await page.getByTestId('node-assistant').innerText()).toContain('Tasks and reminders');

  const created = await server.api<{ name: string; latestVersion: number | null }>(
    'GET',
    '/api/v1/workflows/personal-assistant',
  );
  expect(created).toMatchObject({ name: 'Personal assistant', latestVersion: null });
});
