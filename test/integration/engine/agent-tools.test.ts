import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../support/engine-harness.ts';
import type { Json } from '../../support/http.ts';
import { startLlmServer, type LlmRequest, type LlmServer } from '../../support/llm-server.ts';
import { chain, node } from '../../support/workflows.ts';

const lookupOrder = {
  name: 'Lookup order',
  description: 'Finds an order by its number',
  inputs: {
    type: 'object',
    required: ['orderId'],
    properties: { orderId: { type: 'string', description: 'the order number' } },
  },
  nodes: [
    node('start', 'start'),
    node('find', 'function', { code: "return { orderId: input.orderId, status: 'shipped' };" }),
    node('done', 'response', { output: '{{ steps.find.output }}' }),
  ],
  edges: chain('start', 'find', 'done'),
};

const assistant = {
  name: 'Assistant',
  inputs: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } },
  nodes: [
    node('start', 'start'),
    node('ai', 'agent', { prompt: 'Where is order {{ input.orderId }}?', tools: [{ workflowId: 'lookup-order' }] }),
    node('done', 'response', { output: '{{ steps.ai.output }}' }),
  ],
  edges: chain('start', 'ai', 'done'),
};

let llm: LlmServer;
let h: EngineHarness;
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());
afterEach(async () => {
  await h.close();
});

const said = (req: LlmRequest, text: string) => JSON.stringify(req.body.messages).includes(text);

const providers: Array<[string, () => Record<string, string>, string]> = [
  ['OpenAI chat completions', () => ({ OPENAI_BASE_URL: llm.base, OPENAI_API_KEY: 'sk-test' }), '/v1/chat/completions'],
  ['Anthropic messages', () => ({ ANTHROPIC_BASE_URL: llm.base, ANTHROPIC_API_KEY: 'ak-test' }), '/v1/messages'],
];

describe.each(providers)('agent tool calls to workflows over %s', (_name, env, url) => {
  beforeEach(async () => {
    h = await startEngineHarness({ env: env() });
  });

  it('runs the workflow the model calls, feeds its output back, and records the call', async () => {
    await h.publish(lookupOrder);
    await h.publish(assistant);
    llm.received = [];
    llm.answer = (req) =>
      said(req, 'shipped')
        ? { text: 'Order A-17 has shipped.' }
        : { toolCall: { id: 'call_1', name: 'lookup-order', args: { orderId: 'A-17' } } };

    const started = await h.start('assistant', { orderId: 'A-17' });
    const done = (await h.waitFor(started.id, ['completed', 'failed'])) as Json;
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.output).toMatchObject({
      text: 'Order A-17 has shipped.',
      toolCalls: [{ tool: 'lookup-order', workflow: 'lookup-order', input: { orderId: 'A-17' }, status: 'completed' }],
    });

    const toolRun = await h.get(done.output.toolCalls[0].executionId);
    expect(toolRun).toMatchObject({
      status: 'completed',
      input: { orderId: 'A-17' },
      output: { orderId: 'A-17', status: 'shipped' },
    });
    expect(llm.received.map((r) => r.url)).toEqual([url, url]);
    // The model was told about the tool with the workflow's own description and input schema.
    expect(JSON.stringify(llm.received[0]!.body.tools)).toContain('Finds an order by its number');
    expect(JSON.stringify(llm.received[0]!.body.tools)).toContain('the order number');
    expect(said(llm.received[1]!, 'A-17') && said(llm.received[1]!, 'shipped')).toBe(true);

    const events = await h.events(done.id);
    expect(events.find((e) => e.type === 'step.progress' && e.nodeId === 'ai')?.data).toMatchObject({
      attempt: 1,
      text: expect.any(String),
    });
  });

  it('tells the model when its tool input is wrong, so it can try again', async () => {
    await h.publish(lookupOrder);
    await h.publish(assistant);
    llm.answer = (req) =>
      said(req, 'shipped')
        ? { text: 'Found it.' }
        : said(req, 'does not fit')
          ? { toolCall: { id: 'call_2', name: 'lookup-order', args: { orderId: 'A-17' } } }
          : { toolCall: { id: 'call_1', name: 'lookup-order', args: { order: 17 } } };
    const started = await h.start('assistant', { orderId: 'A-17' });
    const done = (await h.waitFor(started.id, ['completed', 'failed'])) as Json;
    expect(done.output.toolCalls.map((c: Json) => c.status)).toEqual(['failed', 'completed']);
    expect(done.output.text).toBe('Found it.');
  });

  it('fails the step clearly when a tool names a workflow that is not published', async () => {
    await h.publish(assistant);
    llm.received = [];
    const started = await h.start('assistant', { orderId: 'A-17' });
    const failed = (await h.waitFor(started.id, 'failed')) as Json;
    expect(failed.error.message).toMatch(/tool workflow "lookup-order": .*lookup-order/);
    expect(llm.received).toHaveLength(0);
  });
});
