import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { startDuet, type DuetServer } from './server.ts';

export interface E2ESession { server: DuetServer; browser: Browser; page: Page }

/** One server and one browser page for the test file, at 1280×800; everything is stopped after the file. */
export function useE2ESession(): E2ESession {
  const session = {} as E2ESession;
  beforeAll(async () => {
    session.server = await startDuet();
    session.browser = await launchChromium();
    session.page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
    session.page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}
