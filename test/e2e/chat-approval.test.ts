import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';
import { expectRunStatus } from './support/canvas.ts';
import { publishApprovalWorkflow } from './support/server.ts';

const session = useE2ESession();

async function say(text: string): Promise<void> {
  await session.page.getByLabel('Message').fill(text);
  await session.page.getByLabel('Message').press('Enter');
}

it('runs a workflow from the chat, and approving in the chat drives the same execution on the canvas to the end', async () => {
  const slug = await publishApprovalWorkflow(session.server, 'Ship release');
  await session.page.goto(`${session.server.url}/workflows/${slug}`);
  await session.page.getByRole('button', { name: 'hybrid' }).click();
  await session.page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();

  await say('run it');
  // The canvas follows the execution the chat started: the approval step waits.
  await expectRunStatus(session.page, 'gate', 'waiting');
  await expectRunStatus(session.page, 'start', 'done');
  await session.page.getByTestId('approval-ask').getByText('Ship it?').waitFor();

  await say('approve');
  for (const id of ['start', 'gate', 'done']) await expectRunStatus(session.page, id, 'done');
  await session.page.getByTestId('chat').locator('.bubble.user', { hasText: 'approve' }).waitFor();
  const executions = await session.server.api<{ items: Array<{ status: string }> }>(
    'GET',
    `/api/v1/executions?workflowId=${slug}`,
  );
  expect(executions.items.map((e) => e.status)).toEqual(['completed']);
  await screenshot(session.page, 'e2e-chat-approval');
});

it('chats on a phone-width screen without sideways scrolling', async () => {
  const slug = await publishApprovalWorkflow(session.server, 'Phone check');
  await session.page.setViewportSize({ width: 390, height: 844 });
  await session.page.goto(`${session.server.url}/workflows/${slug}`);
  await session.page.getByRole('button', { name: 'conversational' }).click();
  await session.page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();
  await say('what does it do?');
  await session.page.getByTestId('chat').locator('.bubble.user', { hasText: 'what does it do?' }).waitFor();
  await expect.poll(() => session.page.getByTestId('chat').locator('.bubble.assistant').count()).toBeGreaterThan(1);
  expect(await session.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await session.page.getByLabel('Message').isVisible()).toBe(true);
  await screenshot(session.page, 'e2e-chat-phone');

  // A long paste is kept whole and the person is told the limit, instead of it being cut silently.
  await session.page.getByLabel('Message').fill('y'.repeat(1200));
  await session.page.getByRole('alert').getByText('This message has 1,200 characters').waitFor();
  expect(await session.page.getByLabel('Message').inputValue()).toHaveLength(1200);
  expect(await session.page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
});
