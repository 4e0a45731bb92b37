import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentBlock } from '../../../src/engine/blocks/agent.ts';
import type { StepContext } from '../../../src/engine/blocks/types.ts';
import { createLlmRegistry, type LlmConfig } from '../../../src/llm/registry.ts';
import { stepContext } from '../../support/step-context.ts';

interface Received { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }
type Reply = { status: number; body: unknown } | 'hang';

let server: Server;
let base: string;
let received: Received[] = [];
let reply: (req: Received) => Reply;
const hanging: ServerResponse[] = [];

/** A real OpenAI chat completion; `model` echoes the request like the API does. */
function completion(req: Received, content: string): Reply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model: req.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
    },
  };
}

/** A real Anthropic messages answer. */
function message(req: Received, text: string): Reply {
  return {
    status: 200,
    body: {
      id: 'msg_1', type: 'message', role: 'assistant', model: req.body.model, content: [{ type: 'text', text }],
      stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 2 },
    },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') };
      received.push(got);
      const answer = reply(got);
      if (answer === 'hang') hanging.push(res);
      else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

beforeEach(() => {
  received = [];
  reply = (req) => (req.url === '/v1/messages' ? message(req, 'from claude') : completion(req, 'Hello Ada'));
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const OPENAI: LlmConfig = { OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' };
const ANTHROPIC: LlmConfig = { ANTHROPIC_API_KEY: 'ak-test', ANTHROPIC_MODEL: 'claude-test' };

function context(config: Record<string, unknown>, llm: LlmConfig | null, signal?: AbortSignal): StepContext {
  const ctx = stepContext({
    node: { id: 'ai', type: 'agent', name: 'AI' },
    config,
    template: { input: { name: 'Ada' }, steps: {}, vars: {}, execution: { id: 'exec-1' }, env: {} },
    signal,
  });
  if (llm) ctx.services.llm = createLlmRegistry({ OPENAI_BASE_URL: llm.OPENAI_API_KEY ? base : undefined, ...llm }, { anthropicBaseUrl: base });
  return ctx;
}

describe('agent block over OpenAI chat completions', () => {
  it('sends the rendered prompt, system, model and key, and returns text, usage and model', async () => {
    const outcome = await runAgentBlock(context({ prompt: 'Greet {{ input.name }}', system: 'Be brief with {{ input.name }}' }, OPENAI));
    expect(outcome).toEqual({
      kind: 'completed',
      output: { text: 'Hello Ada', usage: { inputTokens: 11, outputTokens: 3 }, model: 'gpt-test', finishReason: 'stop' },
    });
    const [req] = received;
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.body).toMatchObject({
      model: 'gpt-test',
      messages: [{ role: 'system', content: 'Be brief with Ada' }, { role: 'user', content: 'Greet Ada' }],
    });
  });

  it('parses JSON output, fenced or not, and asks for JSON in the system message', async () => {
    reply = (req) => completion(req, '```json\n{"ok": true, "n": 2}\n```');
    const outcome = await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI));
    expect(outcome).toMatchObject({ output: { json: { ok: true, n: 2 } } });
    expect(JSON.stringify(received[0]?.body.messages)).toContain('JSON');

    reply = (req) => completion(req, '[1, 2]');
    expect(await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI))).toMatchObject({ output: { json: [1, 2] } });
  });

  it('fails without retry when the answer is not JSON', async () => {
    reply = (req) => completion(req, 'Sure! Here is '.padEnd(300, 'x'));
    const error = await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_json_output', retryable: false });
    expect((error as Error).message).toContain('Sure! Here is');
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('retries a 500 and a 429 but not a 401', async () => {
    reply = () => ({ status: 500, body: { error: { message: 'upstream exploded', type: 'server_error' } } });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({ code: 'llm_error', retryable: true, message: expect.stringContaining('upstream exploded') });
    expect(received).toHaveLength(1); // maxRetries 0: the engine owns retries

    reply = () => ({ status: 429, body: { error: { message: 'slow down', type: 'rate_limit' } } });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({ code: 'llm_error', retryable: true });

    reply = () => ({ status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({ code: 'llm_error', retryable: false, message: expect.stringContaining('Incorrect API key') });
  });

  it('reports a cancel while the provider is slow', async () => {
    reply = () => 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI, controller.signal))).rejects.toMatchObject({ code: 'cancelled', retryable: false });
  });

  it('retries when the step timeout passes while the provider is slow', async () => {
    reply = () => 'hang';
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI, AbortSignal.timeout(100)))).rejects.toMatchObject({ code: 'llm_error', retryable: true });
  });
});

describe('agent block over the Anthropic messages API', () => {
  it('sends the key, version header and system field', async () => {
    const outcome = await runAgentBlock(context({ prompt: 'Hi {{ input.name }}', system: 'You are terse' }, ANTHROPIC));
    expect(outcome).toEqual({
      kind: 'completed',
      output: { text: 'from claude', usage: { inputTokens: 9, outputTokens: 2 }, model: 'claude-test', finishReason: 'stop' },
    });
    const [req] = received;
    expect(req?.url).toBe('/v1/messages');
    expect(req?.headers['x-api-key']).toBe('ak-test');
    expect(req?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(req?.body.system)).toContain('You are terse');
    expect(JSON.stringify(req?.body.messages)).toContain('Hi Ada');
  });

  it('routes "anthropic:<model>" to Anthropic when both providers are configured', async () => {
    await runAgentBlock(context({ prompt: 'p', model: 'anthropic:claude-x' }, { ...OPENAI, ...ANTHROPIC }));
    expect(received.map((r) => [r.url, r.body.model])).toEqual([['/v1/messages', 'claude-x']]);
    await runAgentBlock(context({ prompt: 'p', model: 'gpt-other' }, { ...OPENAI, ...ANTHROPIC }));
    expect(received[1]?.url).toBe('/v1/chat/completions');
    expect(received[1]?.body.model).toBe('gpt-other');
  });
});

describe('agent block without a usable setup', () => {
  it('names the env vars when no provider is configured', async () => {
    for (const ctx of [context({ prompt: 'p' }, null), context({ prompt: 'p' }, {})]) {
      await expect(runAgentBlock(ctx)).rejects.toMatchObject({ code: 'no_llm_provider', retryable: false, message: expect.stringMatching(/OPENAI_API_KEY.*ANTHROPIC_API_KEY/) });
    }
  });

  it('refuses tools until workflow tool calls exist', async () => {
    await expect(runAgentBlock(context({ prompt: 'p', tools: [{ workflowId: 'w' }] }, OPENAI))).rejects.toMatchObject({ code: 'tools_not_supported', retryable: false });
    expect(received).toHaveLength(0);
  });
});
