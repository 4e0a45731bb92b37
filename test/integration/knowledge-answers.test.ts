import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { HANDBOOK, knowledgeBaseWith } from '../support/knowledge-bases.ts';
import { startLlmServer, type LlmServer } from '../support/llm-server.ts';
import { chain, node, publish, say as sayTo, start, until } from '../support/workflows.ts';

let llm: LlmServer;
let t: TestApp;
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());
afterEach(async () => {
  await t.close();
});

async function chat(knowledgeBaseId?: string): Promise<string> {
  const payload = knowledgeBaseId ? { config: { knowledgeBaseId } } : {};
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

const say = (id: string, text: string): Promise<Json> => sayTo(t.app, id, text);

describe('the knowledge block in a real execution', () => {
  it('looks up the rendered query and outputs the passages with their citations', async () => {
    t = await startTestApp();
    const kb = await knowledgeBaseWith(t.app, 'Handbook', HANDBOOK);
    const slug = await publish(t.app, {
      name: 'Ask the handbook',
      inputs: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] },
      nodes: [
        node('start', 'start'),
        node('lookup', 'knowledge', { knowledgeBaseId: kb, query: 'refunds {{input.question}}', k: 2 }),
        node('done', 'response', { output: '{{steps.lookup.output}}' }),
      ],
      edges: chain('start', 'lookup', 'done'),
    });
    const started = await start(t.app, slug, { input: { question: 'how long do they take' } });
    const ended = await until(t.app, started.body.id, ['completed', 'failed']);
    expect(ended.status, JSON.stringify(ended.error)).toBe('completed');
    const lookup = ended.steps.find((s: Json) => s.nodeId === 'lookup').output;
    expect(lookup.query).toBe('refunds how long do they take');
    expect(lookup.knowledgeBase).toEqual({ id: kb, name: 'Handbook' });
    expect(lookup.chunks[0].text).toContain('five business days');
    expect(lookup.citations[0]).toMatchObject({
      ref: 1,
      knowledgeBaseId: kb,
      documentId: lookup.chunks[0].documentId,
      chunkId: lookup.chunks[0].chunkId,
      label: 'Handbook › Refunds',
    });
  });

  it('refuses to publish a workflow naming an unknown base, and fails the step of one deleted since', async () => {
    t = await startTestApp();
    const ghost = '00000000-0000-4000-8000-000000000000';
    const graph = (kb: string) => ({
      name: 'Lost lookup',
      nodes: [node('start', 'start'), node('lookup', 'knowledge', { knowledgeBaseId: kb, query: 'refunds' })],
      edges: chain('start', 'lookup'),
    });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/workflows', payload: graph(ghost) });
    expect(created.statusCode, created.body).toBe(201);
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${created.json().slug}/versions` });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([
      expect.objectContaining({
        code: 'unknown_knowledge_base',
        nodeId: 'lookup',
        path: 'nodes[1].config.knowledgeBaseId',
      }),
    ]);

    const kb = await knowledgeBaseWith(t.app, 'Short-lived', HANDBOOK.slice(0, 1));
    const slug = await publish(t.app, { ...graph(kb), name: 'Lookup of a deleted base' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge-bases/${kb}` })).statusCode).toBe(204);
    const started = await start(t.app, slug, { input: {} });
    const ended = await until(t.app, started.body.id, ['completed', 'failed']);
    expect(ended.status).toBe('failed');
    const attempts = ended.steps.filter((s: Json) => s.nodeId === 'lookup');
    expect(attempts).toHaveLength(1);
    expect(attempts[0].error.code).toBe('unknown_knowledge_base');
    expect(attempts[0].error.message).toContain('does not exist in this workspace');
  });
});

describe('chat answers from a knowledge base', () => {
  it('offline: quotes the best passage and names its source', async () => {
    t = await startTestApp();
    const kb = await knowledgeBaseWith(t.app, 'Handbook', HANDBOOK);
    const id = await chat(kb);
    const answer = await say(id, 'what does the handbook say about refunds?');
    expect(answer.intent).toBe('ask-knowledge');
    expect(answer.reply).toContain('Refunds are paid back to the original card within five business days. [1]');
    expect(answer.reply).toContain('Sources: [1] Handbook › Refunds');
    expect(answer.action).toMatchObject({
      type: 'knowledge-answer',
      knowledgeBaseId: kb,
      citations: [{ ref: 1, label: 'Handbook › Refunds', knowledgeBaseId: kb }],
    });
  });

  it('binds and unbinds a conversation, and says what to fix for a bad binding', async () => {
    t = await startTestApp();
    const kb = await knowledgeBaseWith(t.app, 'Handbook', HANDBOOK);
    const id = await chat();
    expect((await say(id, 'what does the handbook say about refunds?')).reply).toContain(
      'not bound to a knowledge base',
    );
    const bound = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${id}`,
      payload: { knowledgeBaseId: kb },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json()).toMatchObject({ knowledgeBaseId: kb });
    expect(bound.json().turns.at(-1).text).toContain('"Handbook"');
    expect((await say(id, 'how many vacation days do we get?')).reply).toContain('25 vacation days');

    const unknown = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${id}`,
      payload: { knowledgeBaseId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, payload: { kb: 1 } });
    expect(bad.statusCode).toBe(400);
    const unbound = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${id}`,
      payload: { knowledgeBaseId: null },
    });
    expect(unbound.json()).toMatchObject({ knowledgeBaseId: null });
  });

  it('with an LLM: the written answer keeps the citations of retrieved passages and drops a made-up one', async () => {
    t = await startTestApp({ NLP_PROVIDER: 'openai', OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'answer-model' });
    const kb = await knowledgeBaseWith(t.app, 'Handbook', HANDBOOK);
    const id = await chat(kb);
    llm.received = [];
    llm.answer = () => ({ text: 'Refunds reach your card within five business days [1], or at once for VIPs [9].' });
    const answer = await say(id, 'what does the handbook say about refunds?');
    expect(answer.reply).toContain('within five business days [1], or at once for VIPs.');
    expect(answer.reply).not.toContain('[9]');
    expect(answer.reply.split('\n').at(-1)).toBe('Sources: [1] Handbook › Refunds');
    expect(answer.action.citations.map((c: Json) => c.ref)).toEqual([1]);
    // The model was given the retrieved passages, numbered, with their sources.
    const sent = JSON.stringify(llm.received.at(-1)!.body.messages);
    expect(sent).toContain('[1] (Handbook › Refunds)');

    // A model that cites nothing retrieved (or fails) gives way to the passages themselves.
    llm.answer = () => ({ text: 'Ask your manager [9].' });
    const fallback = await say(id, 'what does the handbook say about refunds?');
    expect(fallback.reply).toMatch(/^From "Handbook": .*five business days\. \[1\]/);
  });
});

describe('an agent with a knowledge base as a tool', () => {
  it('searches it when the model asks, and its output cites only what the search returned', async () => {
    t = await startTestApp({ OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'agent-model' });
    const kb = await knowledgeBaseWith(t.app, 'Handbook', HANDBOOK);
    const slug = await publish(t.app, {
      name: 'Agent with handbook',
      nodes: [
        node('start', 'start'),
        node('ai', 'agent', { prompt: 'How long do refunds take?', knowledgeBaseId: kb }),
      ],
      edges: chain('start', 'ai'),
    });
    llm.received = [];
    llm.answer = (req) => {
      const messages = req.body.messages as Array<{ role: string }>;
      return messages.some((m) => m.role === 'tool')
        ? { text: 'Five business days [1]; see also [12].' }
        : { toolCall: { id: 'call-1', name: 'search_knowledge', args: { query: 'refund timing' } } };
    };
    const started = await start(t.app, slug, { input: {} });
    const ended = await until(t.app, started.body.id, ['completed', 'failed']);
    expect(ended.status, JSON.stringify(ended.error)).toBe('completed');
    const output = ended.steps.find((s: Json) => s.nodeId === 'ai').output;
    expect(output.text).toBe('Five business days [1]; see also [12].');
    expect(output.citations).toEqual([
      expect.objectContaining({ ref: 1, label: 'Handbook › Refunds', knowledgeBaseId: kb }),
    ]);
    const toolResult = JSON.stringify(llm.received.at(-1)!.body.messages);
    expect(toolResult).toContain('five business days');
  });
});
