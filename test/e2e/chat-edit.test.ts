import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/browser.ts';
import { publishApprovalWorkflow, startDuet, type DuetServer } from './support/server.ts';

let server: DuetServer;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  server = await startDuet();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('edits the draft by chat and the new block appears on the canvas at once', async () => {
  const slug = await publishApprovalWorkflow(server, 'Release notes');
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByRole('button', { name: 'hybrid' }).click();
  await page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();
  await expect.poll(() => page.locator('.block-node').count()).toBe(3);

  await page.getByLabel('Message').fill('add a function block called notify');
  await page.getByLabel('Message').press('Enter');

  await page.locator('.block-node', { hasText: /notify/i }).waitFor();
  expect(await page.locator('.block-node').count()).toBe(4);
  const workflow = await server.api<{ draft: { nodes: Array<{ type: string; name: string }> } }>('GET', `/api/v1/workflows/${slug}`);
  expect(workflow.draft.nodes.some((n) => n.type === 'function' && /notify/i.test(n.name))).toBe(true);
  // The canvas shows the server's draft, so there is nothing unsaved.
  expect(await page.getByTestId('save-state').textContent()).toBe('Saved');
  await screenshot(page, 'e2e-chat-edit');
});
