import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentBlock } from '../../../src/engine/blocks/agent.ts';
import { createLlmRegistry } from '../../../src/llm/registry.ts';
import { citationsOf, type KnowledgeHit, type KnowledgeOutput } from '../../../src/model/knowledge-hits.ts';
import { startLlmServer, type LlmServer } from '../../support/llm-server.ts';
import { stepContext } from '../../support/step-context.ts';

let llm: LlmServer;
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());

const hits: KnowledgeHit[] = [
  {
    chunkId: 'c1',
    documentId: 'd1',
    title: 'Handbook',
    headingPath: ['Refunds'],
    text: 'Refunds are paid within 5 business days.',
    score: 0.9,
    offsets: { start: 0, end: 41 },
  },
];
/** What a knowledge step before the agent left in `steps` (its output, as the engine passes it on). */
const lookup: KnowledgeOutput = {
  query: 'refunds',
  knowledgeBase: { id: 'kb-1', name: 'Handbook' },
  chunks: hits,
  citations: citationsOf('kb-1', hits),
};

describe('agent block after a knowledge step', () => {
  it('gets the retrieved passages with their sources in its prompt, and its answer cites only those', async () => {
    llm.received = [];
    // The model cites the retrieved passage [1] and one it made up [4].
    llm.answer = () => ({ text: 'Refunds take 5 business days [1], or 2 for gold members [4].' });
    const ctx = stepContext({
      node: { id: 'answer', type: 'agent', name: 'Answer' },
      config: { prompt: 'How long do refunds take?' },
      template: { input: {}, steps: { lookup }, vars: {}, execution: { id: 'exec-1' }, env: {} },
    });
    ctx.services.llm = createLlmRegistry({ OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'gpt-test' });
    const outcome = await runAgentBlock(ctx);

    const system = JSON.stringify(llm.received[0]?.body.messages);
    expect(system).toContain('Passages from the knowledge base \\"Handbook\\"');
    expect(system).toContain('[1] (Handbook › Refunds) Refunds are paid within 5 business days.');
    expect(outcome).toMatchObject({
      kind: 'completed',
      output: {
        citations: [{ ref: 1, documentId: 'd1', label: 'Handbook › Refunds', knowledgeBaseId: 'kb-1' }],
      },
    });
    const output = (outcome as { output: { citations: unknown[] } }).output;
    expect(output.citations).toHaveLength(1);
  });
});
