import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signIn } from './accounts.ts';
import { launchChromium } from './browser.ts';
import { startDuet, type DuetServer, type StartOptions } from './server.ts';

export interface E2ESession {
  server: DuetServer;
  browser: Browser;
  page: Page;
}

/**
 * One server and one browser page for the test file, at 1280×800, signed in as the instance admin (unless the
 * server starts without accounts); everything is stopped after the file.
 */
export function useE2ESession(options: StartOptions = {}): E2ESession {
  const session = {} as E2ESession;
  beforeAll(async () => {
    session.server = await startDuet(options);
    session.browser = await launchChromium();
    session.page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
    session.page.setDefaultTimeout(15_000);
    if (session.server.admin) await signIn(session.page, session.server.url, session.server.admin);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}
