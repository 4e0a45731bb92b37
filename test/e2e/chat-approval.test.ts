import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/browser.ts';
import { expectRunStatus } from './support/canvas.ts';
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

async function say(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

it('runs a workflow from the chat, and approving in the chat drives the same execution on the canvas to the end', async () => {
  const slug = await publishApprovalWorkflow(server, 'Ship release');
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByRole('button', { name: 'hybrid' }).click();
  await page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();

  await say('run it');
  // The canvas follows the execution the chat started: the approval step waits.
  await expectRunStatus(page, 'gate', 'waiting');
  await expectRunStatus(page, 'start', 'done');
  await page.getByTestId('approval-ask').getByText('Ship it?').waitFor();

  await say('approve');
  for (const id of ['start', 'gate', 'done']) await expectRunStatus(page, id, 'done');
  await page.getByTestId('chat').locator('.bubble.user', { hasText: 'approve' }).waitFor();
  const executions = await server.api<{ items: Array<{ status: string }> }>('GET', `/api/v1/executions?workflowId=${slug}`);
  expect(executions.items.map((e) => e.status)).toEqual(['completed']);
  await screenshot(page, 'e2e-chat-approval');
});
