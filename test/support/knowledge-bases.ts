import type { FastifyInstance } from 'fastify';

/** Creates a knowledge base with the given documents over the API and waits until every one is ready. */
export async function knowledgeBaseWith(
  app: FastifyInstance,
  name: string,
  documents: Array<{ title: string; text: string }>,
  timeoutMs = 60_000,
): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/knowledge-bases', payload: { name } });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const { id } = created.json<{ id: string }>();
  for (const doc of documents) {
    const added = await app.inject({ method: 'POST', url: `/api/v1/knowledge-bases/${id}/documents`, payload: doc });
    if (added.statusCode !== 202) throw new Error(`add failed: ${added.body}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await app.inject({ method: 'GET', url: `/api/v1/knowledge-bases/${id}/documents` });
    const statuses = listed.json<{ items: Array<{ status: string; error: string | null }> }>().items;
    if (statuses.length === documents.length && statuses.every((d) => d.status === 'ready')) return id;
    const failed = statuses.find((d) => d.status === 'failed');
    if (failed) throw new Error(`a document failed: ${failed.error}`);
    if (Date.now() > deadline) throw new Error(`documents not ready: ${JSON.stringify(statuses)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const HANDBOOK = [
  {
    title: 'Handbook',
    text:
      '# Handbook\n\n## Refunds\n\nCustomers may ask for a refund within 30 days of purchase. Refunds are paid back ' +
      'to the original card within five business days.\n\n## Vacation\n\nEvery employee has 25 vacation days a year.',
  },
  {
    title: 'Office guide',
    text: '# Office guide\n\n## Parking\n\nThe garage opens at seven. Bicycles go in the courtyard.',
  },
];
