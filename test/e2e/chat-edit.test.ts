import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';
import { publishApprovalWorkflow } from './support/server.ts';

const session = useE2ESession();

it('edits the draft by chat and the new block appears on the canvas at once', async () => {
  const slug = await publishApprovalWorkflow(session.server, 'Release notes');
  await session.page.goto(`${session.server.url}/workflows/${slug}`);
  await session.page.getByRole('button', { name: 'hybrid' }).click();
  await session.page.getByTestId('chat').locator('.bubble.assistant').first().waitFor();
  await expect.poll(() => session.page.locator('.block-node').count()).toBe(3);

  await session.page.getByLabel('Message').fill('add a function block called notify');
  await session.page.getByLabel('Message').press('Enter');

  await session.page.locator('.block-node', { hasText: /notify/i }).waitFor();
  expect(await session.page.locator('.block-node').count()).toBe(4);
  const workflow = await session.server.api<{ draft: { nodes: Array<{ type: string; name: string }> } }>(
    'GET',
    `/api/v1/workflows/${slug}`,
  );
  expect(workflow.draft.nodes.some((n) => n.type === 'function' && /notify/i.test(n.name))).toBe(true);
  // The canvas shows the server's draft, so there is nothing unsaved.
  expect(await session.page.getByTestId('save-state').textContent()).toBe('Saved');
  await screenshot(session.page, 'e2e-chat-edit');
});
