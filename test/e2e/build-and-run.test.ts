import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/browser.ts';
import { connect, dragBlock, expectRunStatus } from './support/canvas.ts';
import { startDuet, type DuetServer } from './support/server.ts';

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

it('builds a workflow by dragging and connecting blocks, configures one, publishes, runs it and sees every node done', async () => {
  await page.goto(`${server.url}/workflows`);
  await page.getByText('No workflows yet').waitFor();
  await page.getByLabel('New workflow name').fill('Greeting');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('node-start').waitFor();
  await page.getByRole('button', { name: 'visual' }).click();

  await dragBlock(page, 'function', { x: 0.45, y: 0.8 });
  await page.getByTestId('node-function').waitFor();
  await connect(page, 'start', 'next', 'function');
  await connect(page, 'function', 'next', 'done');

  // Configure the new block; a problem shows while the code is empty, and goes once it is filled in.
  await page.getByTestId('node-function').click();
  const code = page.locator('#cfg-function-code');
  await code.fill('');
  await expect.poll(() => page.getByTestId('problems-code').textContent()).toContain('code is required');
  await code.fill('return { greeting: "hello " + execution.id.length };');
  await expect.poll(() => page.getByTestId('problems-code').count()).toBe(0);
  await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('Valid');

  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published v1').waitFor();
  const saved = await server.api<{ draft: { edges: Array<{ source: string; target: string }>; nodes: Array<{ id: string; config?: { code?: string } }> } }>('GET', '/api/v1/workflows/greeting');
  expect(saved.draft.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual(['function>done', 'start>done', 'start>function']);
  expect(saved.draft.nodes.find((n) => n.id === 'function')?.config?.code).toContain('hello');

  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByRole('button', { name: '▶ Run' }).click();
  for (const id of ['start', 'function', 'done']) await expectRunStatus(page, id, 'done');
  await page.getByTestId('run-panel').getByText('completed').first().waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Pause' }).isDisabled(), { message: 'no command is allowed on a completed run' }).toBe(true);
  await page.getByTestId('step-detail').getByText('hello').first().waitFor();
  await screenshot(page, 'e2e-build-and-run');
});
