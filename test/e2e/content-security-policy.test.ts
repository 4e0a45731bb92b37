import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { dragBlock } from './support/canvas.ts';
import { startDuet, type DuetServer } from './support/server.ts';

// The built web app and the API docs under the server's real CSP: every page renders and the browser reports no
// violation (a refused script, eval or inline style would break the app for every user).
let server: DuetServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startDuet({ admin: false });
  // A fresh instance: the first-admin setup signs in and hands back the session cookie a browser would keep.
  const setup = await fetch(`${server.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: 'csp@example.com', password: 'correct horse battery staple' }),
  });
  expect(setup.status).toBe(201);
  const cookies = setup.headers.getSetCookie().map((c) => c.split(';')[0]!.split('='));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(
    cookies.map(([name, ...value]) => ({ name: name!, value: value.join('='), url: server.url })),
  );
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Runs in the page (as text: the test's own TypeScript has no DOM types); violations reach the console below.
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.effectiveDirective + ' ' + e.blockedURI))`,
  );
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await context.request.fetch(server.url + path, {
    method,
    headers: { origin: server.url },
    ...(body === undefined ? {} : { data: body }),
  });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

it('renders every page of the web app and the API docs without a CSP violation', async () => {
  const { slug } = await api<{ slug: string }>('POST', '/api/v1/workflows', {
    name: 'Under CSP',
    nodes: [
      { id: 'start', type: 'start', name: 'Start' },
      { id: 'done', type: 'response', name: 'Done', config: { output: { ok: true } } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  });
  await api('POST', `/api/v1/workflows/${slug}/versions`);
  const { id } = await api<{ id: string }>('POST', `/api/v1/workflows/${slug}/executions?waitMs=10000`, { input: {} });

  await page.goto(server.url);
  await page.getByTestId('project-default').waitFor();
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByTestId('canvas').waitFor();
  // Inline styles set by React Flow while dragging must survive style-src 'self'.
  await dragBlock(page, 'http', { x: 0.6, y: 0.6 });
  await page.locator('.react-flow__node').nth(2).waitFor();
  await page.goto(`${server.url}/executions/${id}`);
  await page.getByText('Completed').first().waitFor();
  await page.goto(`${server.url}/api/docs`);
  await page.getByText('Duet API').first().waitFor();
  await page.waitForLoadState('networkidle');

  expect(problems).toEqual([]);
});
