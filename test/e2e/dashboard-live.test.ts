import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';
import { publishApprovalWorkflow } from './support/server.ts';

const session = useE2ESession();

const count = (name: string) => session.page.getByTestId('project-default').getByTestId(`count-${name}`).textContent();

it('updates project counts and the activity feed live when executions start and end elsewhere', async () => {
  const slug = await publishApprovalWorkflow(session.server, 'Deploy');
  await session.page.goto(session.server.url);
  await session.page.getByTestId('live-state').getByText('live').waitFor();
  expect(await count('waiting')).toBe('0');
  expect(await count('completed')).toBe('0');
  const loads = { count: 0 };
  session.page.on('load', () => {
    loads.count++;
  });

  // Started through the API, not the page: the card learns of it over the socket.
  const started = await session.server.api<{ id: string }>('POST', `/api/v1/workflows/${slug}/executions`, {});
  await expect.poll(() => count('waiting'), { timeout: 15_000 }).toBe('1');
  await session.page
    .getByTestId('activity-feed')
    .getByText(/Waiting for approval/)
    .waitFor();

  await session.server.api('POST', `/api/v1/executions/${started.id}/approval`, { decision: 'approve' });
  await expect.poll(() => count('completed'), { timeout: 15_000 }).toBe('1');
  expect(await count('waiting')).toBe('0');
  await session.page.getByTestId('activity-feed').getByText('Completed').waitFor();
  expect(loads.count, 'the page never reloaded').toBe(0);
  await screenshot(session.page, 'e2e-dashboard-live');
});

it('fits a phone-width screen', async () => {
  await session.page.setViewportSize({ width: 390, height: 844 });
  await session.page.goto(session.server.url);
  await session.page.getByTestId('project-default').waitFor();
  // Runs in the page; the test's own TypeScript has no DOM types.
  const width = (await session.page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(width).toBeLessThanOrEqual(390);
  await screenshot(session.page, 'e2e-dashboard-phone');
});
