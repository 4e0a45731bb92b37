import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { publishApprovalWorkflow } from './support/server.ts';
import { useE2ESession } from './support/session.ts';

const session = useE2ESession();

it('shows what the draft changes since a version, and restores that version', async () => {
  const { page, server } = session;
  const slug = await publishApprovalWorkflow(server, 'Versioned');
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByRole('button', { name: 'visual' }).click();
  await page.getByTestId('node-gate').click();
  await page.locator('#block-name').fill('Boss approval');
  await page.getByRole('tab', { name: 'Versions' }).click();
  await page.getByTestId('version-diff').getByText('gate').waitFor();
  expect(await page.getByTestId('version-diff').textContent()).toContain('name');
  await screenshot(page, 'e2e-version-diff');

  await page.getByRole('button', { name: 'Restore v1 into the draft' }).click();
  await page.getByText('No changes: the draft is what v1 runs.').waitFor();
  expect(await page.getByTestId('node-gate').textContent()).toContain('Manager approval');
});

it('exports the workflow as a file and imports a file into the draft', async () => {
  const { page, server } = session;
  const slug = await publishApprovalWorkflow(server, 'Portable');
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByTestId('node-gate').waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported).toMatchObject({ format: 'duet.workflow', slug });
  expect(exported.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'gate', 'done']);

  exported.graph.nodes.push({ id: 'extra', type: 'wait', name: 'Extra pause', config: { durationMs: 10 } });
  await page.locator('input[aria-label="Import JSON into the draft"]').setInputFiles({
    name: 'portable.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(exported)),
  });
  await page.getByTestId('node-extra').waitFor();
  expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
  // Not connected to anything yet: the validator says so on the node as soon as it arrives.
  expect(await page.getByTestId('problem-count').textContent()).toMatch(/problem/);
});
