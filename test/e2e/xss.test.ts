import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';

const session = useE2ESession();

// Payloads that would run if any of them reached the page as HTML.
const WORKFLOW_NAME = '<img src=x onerror="window.__xss=1">';
const CHAT_MESSAGE = '<script>window.__xss=2</script>';
const STEP_NAME = '<b>bold</b><img src=y onerror="window.__xss=3">';

/** Nothing ran, and no element the payloads describe exists in the page. */
async function expectNoInjection(): Promise<void> {
  const { page } = session;
  expect(await page.evaluate('window.__xss')).toBeUndefined();
  expect(await page.locator('img[src="x"], img[src="y"], b:text("bold")').count()).toBe(0);
}

it('shows a workflow name, a chat message and a step name holding HTML back as text, and runs none of it', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/workflows`);
  await page.getByLabel('New workflow name').fill(WORKFLOW_NAME);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('node-start').waitFor();
  expect(await page.locator('.wf-title').textContent()).toBe(WORKFLOW_NAME);

  await page.getByRole('button', { name: 'hybrid' }).click();
  await page.getByTestId('node-done').click();
  await page.locator('#block-name').fill(STEP_NAME);
  await page.keyboard.press('Control+s');
  await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
  expect(await page.getByTestId('node-done').locator('.block-name').textContent()).toBe(STEP_NAME);

  await page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();
  await page.getByLabel('Message').fill(CHAT_MESSAGE);
  await page.getByLabel('Message').press('Enter');
  await page.getByTestId('chat').locator('.bubble.user', { hasText: CHAT_MESSAGE }).waitFor();
  await expect
    .poll(() => page.getByTestId('chat').locator('.bubble.assistant:not(.typing)').count())
    .toBeGreaterThan(1);
  await expectNoInjection();
  await screenshot(page, 'e2e-xss-as-text');

  // Stored and read back on other pages: still text.
  await page.goto(`${server.url}/workflows`);
  await page.getByRole('link', { name: WORKFLOW_NAME }).waitFor();
  const saved = await server.api<{
    items: Array<{ name: string; draft: { nodes: Array<{ id: string; name: string }> } }>;
  }>('GET', '/api/v1/workflows');
  expect(saved.items[0]!.name).toBe(WORKFLOW_NAME);
  expect(saved.items[0]!.draft.nodes.find((n) => n.id === 'done')!.name).toBe(STEP_NAME);
  await page.goto(`${server.url}/settings/audit`);
  await page.getByTestId('audit-workspace').waitFor();
  await expectNoInjection();
});
