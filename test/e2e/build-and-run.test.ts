import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useE2ESession } from './support/session.ts';
import { connect, dragBlock, expectRunStatus } from './support/canvas.ts';

const session = useE2ESession();

it('builds a workflow by dragging and connecting blocks, configures one, publishes, runs it and sees every node done', async () => {
  await session.page.goto(`${session.server.url}/workflows`);
  await session.page.getByText('No workflows yet').waitFor();
  await session.page.getByLabel('New workflow name').fill('Greeting');
  await session.page.getByRole('button', { name: 'Create' }).click();
  await session.page.getByTestId('node-start').waitFor();
  await session.page.getByRole('button', { name: 'visual' }).click();

  await dragBlock(session.page, 'function', { x: 0.45, y: 0.8 });
  await session.page.getByTestId('node-function').waitFor();
  await connect(session.page, 'start', 'next', 'function');
  await connect(session.page, 'function', 'next', 'done');

  // Configure the new block; a problem shows while the code is empty, and goes once it is filled in.
  await session.page.getByTestId('node-function').click();
  const code = session.page.locator('#cfg-function-code');
  await code.fill('');
  await expect.poll(() => session.page.getByTestId('problems-code').textContent()).toContain('code is required');
  await code.fill('return { greeting: "hello " + execution.id.length };');
  await expect.poll(() => session.page.getByTestId('problems-code').count()).toBe(0);
  await expect.poll(() => session.page.getByTestId('problem-count').textContent()).toBe('Valid');

  await session.page.getByRole('button', { name: 'Publish' }).click();
  await session.page.getByText('Published v1').waitFor();
  const saved = await session.server.api<{
    draft: {
      edges: Array<{ source: string; target: string }>;
      nodes: Array<{ id: string; config?: { code?: string } }>;
    };
  }>('GET', '/api/v1/workflows/greeting');
  expect(saved.draft.edges.map((e) => `${e.source}>${e.target}`).sort()).toEqual([
    'function>done',
    'start>done',
    'start>function',
  ]);
  expect(saved.draft.nodes.find((n) => n.id === 'function')?.config?.code).toContain('hello');

  await session.page.getByRole('tab', { name: 'Run' }).click();
  await session.page.getByRole('button', { name: '▶ Run' }).click();
  for (const id of ['start', 'function', 'done']) await expectRunStatus(session.page, id, 'done');
  await session.page.getByTestId('run-panel').getByText('completed').first().waitFor();
  await expect
    .poll(() => session.page.getByRole('button', { name: 'Pause' }).isDisabled(), {
      message: 'no command is allowed on a completed run',
    })
    .toBe(true);
  await session.page.getByTestId('step-detail').getByText('hello').first().waitFor();
  await screenshot(session.page, 'e2e-build-and-run');
});

it('copies, pastes, deletes, undoes and redoes with the keyboard, lays out and saves', async () => {
  const { page, server } = session;
  const created = await server.api<{ slug: string }>('POST', '/api/v1/workflows', {
    name: 'Keyboard',
    // Stacked on top of each other, so the auto-layout has something to do.
    nodes: [
      { id: 'start', type: 'start', name: 'Start', position: { x: 0, y: 0 } },
      { id: 'work', type: 'function', name: 'Work', position: { x: 0, y: 300 }, config: { code: 'return 1;' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'work' }],
  });
  await page.goto(`${server.url}/workflows/${created.slug}`);
  await page.getByRole('button', { name: 'visual' }).click();
  const copies = () => page.getByTestId('node-work_2').count();

  await page.getByTestId('node-work').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await page.getByTestId('node-work_2').waitFor();
  await page.keyboard.press('Delete');
  await expect.poll(copies).toBe(0);
  await page.keyboard.press('Control+z');
  await expect.poll(copies).toBe(1);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(copies).toBe(0);

  await page.getByRole('button', { name: 'Layout' }).click();
  expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
  await page.keyboard.press('Control+s');
  await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
  const saved = await server.api<{ draft: { nodes: Array<{ id: string; position?: { x: number } }> } }>(
    'GET',
    `/api/v1/workflows/${created.slug}`,
  );
  expect(saved.draft.nodes.map((n) => n.id)).toEqual(['start', 'work']);
  expect(saved.draft.nodes[1]!.position!.x).toBeGreaterThan(saved.draft.nodes[0]!.position!.x);
});

it('says in words when a workflow, execution or knowledge base link leads nowhere, and offers the way back', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/workflows/no-such-workflow`);
  await page.getByRole('heading', { name: 'This workflow does not exist' }).waitFor();
  expect(await page.getByText('not_found').count()).toBe(0);
  await screenshot(page, 'e2e-workflow-not-found');
  await page.getByRole('link', { name: 'All workflows' }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();

  await page.goto(`${server.url}/executions/00000000-0000-4000-8000-000000000000`);
  await page.getByRole('heading', { name: 'This execution does not exist' }).waitFor();
  await page.goto(`${server.url}/knowledge/00000000-0000-4000-8000-000000000000`);
  await page.getByRole('heading', { name: 'This knowledge base does not exist' }).waitFor();
});
