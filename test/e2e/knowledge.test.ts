import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { publishApprovalWorkflow } from './support/server.ts';
import { useE2ESession } from './support/session.ts';

const session = useE2ESession();
const HANDBOOK = fileURLToPath(new URL('../fixtures/knowledge-ui/handbook.md', import.meta.url));

it('creates a knowledge base, uploads a document, waits for it to be ready and finds a passage with its words marked', async () => {
  const { page, server } = session;
  await page.goto(`${server.url}/knowledge`);
  await page.getByText('No knowledge bases yet').waitFor();
  await page.getByLabel('New knowledge base name').fill('Handbook');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Handbook' }).waitFor();

  await page.getByLabel('Files to add').setInputFiles(HANDBOOK);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const doc = page.locator('.document', { hasText: 'handbook' });
  await doc.waitFor();
  // The list is polled while the document is ingested: it turns ready without a reload.
  await page.locator('.document[data-status="ready"]').waitFor({ timeout: 60_000 });

  await page.getByLabel('Search this knowledge base').fill('how long do refunds take');
  await page.getByRole('button', { name: 'Search' }).click();
  const first = page.getByRole('list', { name: 'Search results' }).locator('.hit').first();
  await first.waitFor();
  expect(await first.locator('.hit-source').innerText()).toContain('Refunds');
  expect(await first.locator('mark').allInnerTexts()).toContain('Refunds');
  await screenshot(page, 'e2e-knowledge-search');
});

it('answers a question in the chat from the bound knowledge base, with its source as a link to the document', async () => {
  const { page, server } = session;
  const base = await server.api<{ id: string }>('POST', '/api/v1/knowledge-bases', { name: 'Policies' });
  await server.api('POST', `/api/v1/knowledge-bases/${base.id}/documents`, {
    title: 'Refund policy',
    text: '# Refund policy\n\n## Timing\n\nRefunds are paid back to the original card within five business days.',
  });
  await expect
    .poll(
      async () =>
        (await server.api<{ items: Array<{ status: string }> }>('GET', `/api/v1/knowledge-bases/${base.id}/documents`))
          .items[0]?.status,
      { timeout: 60_000 },
    )
    .toBe('ready');

  const slug = await publishApprovalWorkflow(server, 'Support desk');
  await page.goto(`${server.url}/workflows/${slug}`);
  await page.getByRole('button', { name: 'conversational' }).click();
  const chat = page.getByTestId('chat');
  await chat.locator('.bubble.assistant').first().waitFor();
  await page.getByLabel('Answer from').selectOption({ label: 'Policies' });
  await chat.locator('.bubble.assistant', { hasText: 'I will answer questions from "Policies"' }).waitFor();

  await page.getByLabel('Message').fill('what does the handbook say about refunds?');
  await page.getByLabel('Message').press('Enter');
  const answer = chat.locator('.bubble.assistant', { hasText: 'five business days' });
  await answer.waitFor();
  const source = answer.getByRole('link', { name: 'Refund policy › Timing' });
  await source.waitFor();
  await screenshot(page, 'e2e-knowledge-chat');

  await source.click();
  await page.getByRole('heading', { name: 'Policies' }).waitFor();
  await page.locator('.document.selected', { hasText: 'Refund policy' }).waitFor();
});
