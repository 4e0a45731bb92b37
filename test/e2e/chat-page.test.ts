import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { startDuet, type DuetServer } from './support/server.ts';

// The public chat page and the embeddable widget in Chromium, under their real CSP: a visitor converses with the
// workflow, answers its question, and a real execution runs; the widget does the same from another site.
let server: DuetServer;
let browser: Browser;
let host: Server;
let hostUrl = '';
const problems: string[] = [];

beforeAll(async () => {
  host = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hostPage()));
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
  // No account is needed: visitors are anonymous, and the admin API key drives the setup.
  server = await startDuet({ admin: false });
  const workflow = await server.api<{ slug: string }>('POST', '/api/v1/workflows', {
    name: 'Greeter',
    inputs: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', description: 'Your name' } },
    },
    nodes: [
      { id: 'start', type: 'start', name: 'Start' },
      { id: 'done', type: 'response', name: 'Done', config: { output: { greeting: 'Hello {{input.name}}' } } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  });
  await server.api('POST', `/api/v1/workflows/${workflow.slug}/versions`);
  await server.api('POST', `/api/v1/workflows/${workflow.slug}/triggers`, {
    type: 'chat',
    config: { slug: 'hello', allowedOrigins: [hostUrl] },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((r) => host?.close(() => r()));
});

/** A page of another site that embeds the widget with one script tag. */
const hostPage = () => `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="${server.url}/c/widget.js" data-workspace="default" data-chat="hello" data-label="Ask us"></script></body></html>`;

async function watched(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.effectiveDirective + ' ' + e.blockedURI))`,
  );
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return page;
}

/** Converses in the chat page (the page itself or the widget's frame) until the run has started. */
async function converse(chat: Page | Frame) {
  await chat.locator('li.assistant').first().waitFor();
  await chat.locator('#text').fill('run it');
  await chat.locator('#text').press('Enter');
  await chat.locator('li.assistant', { hasText: 'Your name' }).waitFor();
  await chat.locator('#text').fill('Ada');
  await chat.locator('#text').press('Enter');
  await chat.locator('li.assistant', { hasText: 'Started "Greeter"' }).waitFor();
}

async function executions(): Promise<Array<{ status: string; input: { name: string } }>> {
  return (await server.api<{ items: Array<{ status: string; input: { name: string } }> }>('GET', '/api/v1/executions'))
    .items;
}

it('converses on the chat page and starts a real execution, with no CSP violation', async () => {
  const page = await watched();
  await page.goto(`${server.url}/c/default/hello`);
  await converse(page);
  const [run] = await executions();
  expect(run).toMatchObject({ status: 'completed', input: { name: 'Ada' } });
  expect(await page.locator('li.user').allTextContents()).toEqual(['run it', 'Ada']);
  expect(problems).toEqual([]);
  await page.close();
});

it('embeds the same chat on another site with one script tag', async () => {
  const page = await watched();
  await page.goto(hostUrl);
  await page.getByRole('button', { name: 'Ask us' }).click();
  const frame = page.frameLocator('iframe[data-duet-chat="frame"]');
  await frame.locator('#text').waitFor();
  const chat = page.frames().find((f) => f.url().startsWith(`${server.url}/c/default/hello`))!;
  await converse(chat);
  expect((await executions()).filter((e) => e.input.name === 'Ada')).toHaveLength(2);
  expect(problems).toEqual([]);
  await page.close();
});
