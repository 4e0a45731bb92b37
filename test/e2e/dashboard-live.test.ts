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

const count = (name: string) => page.getByTestId('project-default').getByTestId(`count-${name}`).textContent();

it('updates project counts and the activity feed live when executions start and end elsewhere', async () => {
  const slug = await publishApprovalWorkflow(server, 'Deploy');
  await page.goto(server.url);
  await page.getByTestId('live-state').getByText('live').waitFor();
  expect(await count('waiting')).toBe('0');
  expect(await count('completed')).toBe('0');
  const loads = { count: 0 };
  page.on('load', () => { loads.count++; });

  // Started through the API, not the page: the card learns of it over the socket.
  const started = await server.api<{ id: string }>('POST', `/api/v1/workflows/${slug}/executions`, {});
  await expect.poll(() => count('waiting'), { timeout: 15_000 }).toBe('1');
  await page.getByTestId('activity-feed').getByText(/Waiting for approval/).waitFor();

  await server.api('POST', `/api/v1/executions/${started.id}/approval`, { decision: 'approve' });
  await expect.poll(() => count('completed'), { timeout: 15_000 }).toBe('1');
  expect(await count('waiting')).toBe('0');
  await page.getByTestId('activity-feed').getByText('Completed').waitFor();
  expect(loads.count, 'the page never reloaded').toBe(0);
  await screenshot(page, 'e2e-dashboard-live');
});

it('fits a phone-width screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url);
  await page.getByTestId('project-default').waitFor();
  // Runs in the page; the test's own TypeScript has no DOM types.
  const width = await page.evaluate('document.documentElement.scrollWidth') as number;
  expect(width).toBeLessThanOrEqual(390);
  await screenshot(page, 'e2e-dashboard-phone');
});
