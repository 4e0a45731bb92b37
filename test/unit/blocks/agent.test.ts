import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentBlock } from '../../../src/engine/blocks/agent.ts';
import type { StepContext } from '../../../src/engine/blocks/types.ts';
import { createLlmRegistry, type LlmConfig } from '../../../src/llm/registry.ts';
import { startLlmServer, type LlmServer } from '../../support/llm-server.ts';
import { stepContext } from '../../support/step-context.ts';

let llm: LlmServer;
let progress: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());
beforeEach(() => {
  llm.received = [];
  progress = [];
  llm.answer = (req) => ({ text: req.url === '/v1/messages' ? 'from claude' : 'Hello Ada' });
});

const OPENAI: LlmConfig = { OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' };
const ANTHROPIC: LlmConfig = { ANTHROPIC_API_KEY: 'ak-test', ANTHROPIC_MODEL: 'claude-test' };

function context(config: Record<string, unknown>, providers: LlmConfig | null, signal?: AbortSignal): StepContext {
  const ctx = stepContext({
    node: { id: 'ai', type: 'agent', name: 'AI' },
    config,
    template: { input: { name: 'Ada' }, steps: {}, vars: {}, execution: { id: 'exec-1' }, env: {} },
    signal,
    progress,
  });
  if (providers)
    ctx.services.llm = createLlmRegistry({
      OPENAI_BASE_URL: providers.OPENAI_API_KEY ? llm.base : undefined,
      ANTHROPIC_BASE_URL: llm.base,
      ...providers,
    });
  return ctx;
}

describe('agent block over OpenAI chat completions', () => {
  it('streams the rendered prompt, system, model and key, and returns text, usage and model', async () => {
    const outcome = await runAgentBlock(
      context({ prompt: 'Greet {{ input.name }}', system: 'Be brief with {{ input.name }}' }, OPENAI),
    );
    expect(outcome).toEqual({
      kind: 'completed',
      output: {
        text: 'Hello Ada',
        usage: { inputTokens: 11, outputTokens: 3 },
        model: 'gpt-test',
        finishReason: 'stop',
      },
    });
    const [req] = llm.received;
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief with Ada' },
        { role: 'user', content: 'Greet Ada' },
      ],
    });
    // The first delta is reported at once; later ones wait for the next progress window.
    expect(progress[0]).toEqual({ text: 'Hell', chars: 4 });
  });

  it('parses JSON output, fenced or not, and asks for JSON in the system message', async () => {
    llm.answer = () => ({ text: '```json\n{"ok": true, "n": 2}\n```' });
    const outcome = await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI));
    expect(outcome).toMatchObject({ output: { json: { ok: true, n: 2 } } });
    expect(JSON.stringify(llm.received[0]?.body.messages)).toContain('JSON');

    llm.answer = () => ({ text: '[1, 2]' });
    expect(await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI))).toMatchObject({
      output: { json: [1, 2] },
    });
  });

  it('fails without retry when the answer is not JSON', async () => {
    llm.answer = () => ({ text: 'Sure! Here is '.padEnd(300, 'x') });
    const error = await runAgentBlock(context({ prompt: 'p', output: 'json' }, OPENAI)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_json_output', retryable: false });
    expect((error as Error).message).toContain('Sure! Here is');
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('retries a 500 and a 429 but not a 401', async () => {
    llm.answer = () => ({ status: 500, body: { error: { message: 'upstream exploded', type: 'server_error' } } });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({
      code: 'llm_error',
      retryable: true,
      message: expect.stringContaining('upstream exploded'),
    });
    expect(llm.received).toHaveLength(1); // maxRetries 0: the engine owns retries

    llm.answer = () => ({ status: 429, body: { error: { message: 'slow down', type: 'rate_limit' } } });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({
      code: 'llm_error',
      retryable: true,
    });

    llm.answer = () => ({
      status: 401,
      body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
    });
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI))).rejects.toMatchObject({
      code: 'llm_error',
      retryable: false,
      message: expect.stringContaining('Incorrect API key'),
    });
  });

  it('reports a cancel while the provider is slow', async () => {
    llm.answer = () => 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI, controller.signal))).rejects.toMatchObject({
      code: 'cancelled',
      retryable: false,
    });
  });

  it('retries when the step timeout passes while the provider is slow', async () => {
    llm.answer = () => 'hang';
    await expect(runAgentBlock(context({ prompt: 'p' }, OPENAI, AbortSignal.timeout(100)))).rejects.toMatchObject({
      code: 'llm_error',
      retryable: true,
    });
  });
});

describe('agent block over the Anthropic messages API', () => {
  it('sends the key, version header and system field', async () => {
    const outcome = await runAgentBlock(context({ prompt: 'Hi {{ input.name }}', system: 'You are terse' }, ANTHROPIC));
    expect(outcome).toEqual({
      kind: 'completed',
      output: {
        text: 'from claude',
        usage: { inputTokens: 9, outputTokens: 2 },
        model: 'claude-test',
        finishReason: 'stop',
      },
    });
    const [req] = llm.received;
    expect(req?.url).toBe('/v1/messages');
    expect(req?.body.stream).toBe(true);
    expect(req?.headers['x-api-key']).toBe('ak-test');
    expect(req?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(req?.body.system)).toContain('You are terse');
    expect(JSON.stringify(req?.body.messages)).toContain('Hi Ada');
  });

  it('routes "anthropic:<model>" to Anthropic when both providers are configured', async () => {
    await runAgentBlock(context({ prompt: 'p', model: 'anthropic:claude-x' }, { ...OPENAI, ...ANTHROPIC }));
    expect(llm.received.map((r) => [r.url, r.body.model])).toEqual([['/v1/messages', 'claude-x']]);
    await runAgentBlock(context({ prompt: 'p', model: 'gpt-other' }, { ...OPENAI, ...ANTHROPIC }));
    expect(llm.received[1]?.url).toBe('/v1/chat/completions');
    expect(llm.received[1]?.body.model).toBe('gpt-other');
  });
});

describe("agent block with the workspace's own key", () => {
  it('sends the rendered key instead of the instance key', async () => {
    await runAgentBlock(context({ prompt: 'p', apiKey: '{{ "ws-" & input.name }}' }, OPENAI));
    expect(llm.received[0]?.headers.authorization).toBe('Bearer ws-Ada');
  });

  it('needs no instance key: OpenAI by default, Anthropic when the model names it', async () => {
    await runAgentBlock(
      context(
        { prompt: 'p', apiKey: '{{ "ws-" & input.name }}' },
        { OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'gpt-test' },
      ),
    );
    expect(llm.received[0]).toMatchObject({
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer ws-Ada' },
      body: { model: 'gpt-test' },
    });
    await runAgentBlock(context({ prompt: 'p', model: 'anthropic:claude-x', apiKey: '{{ "ak-" & input.name }}' }, {}));
    expect(llm.received[1]).toMatchObject({
      url: '/v1/messages',
      headers: { 'x-api-key': 'ak-Ada' },
      body: { model: 'claude-x' },
    });
  });

  it('fails without retry when the key renders to nothing, before calling the model', async () => {
    await expect(runAgentBlock(context({ prompt: 'p', apiKey: '{{ input.missing }}' }, OPENAI))).rejects.toMatchObject({
      code: 'invalid_config',
      retryable: false,
      message: expect.stringContaining('apiKey rendered to nothing'),
    });
    expect(llm.received).toHaveLength(0);
  });
});

describe('agent block without a usable setup', () => {
  it('names the env vars when no provider is configured', async () => {
    for (const ctx of [context({ prompt: 'p' }, null), context({ prompt: 'p' }, {})]) {
      await expect(runAgentBlock(ctx)).rejects.toMatchObject({
        code: 'no_llm_provider',
        retryable: false,
        message: expect.stringMatching(/OPENAI_API_KEY.*ANTHROPIC_API_KEY/),
      });
    }
  });

  it('fails clearly when a tool workflow cannot be run here, before calling the model', async () => {
    await expect(runAgentBlock(context({ prompt: 'p', tools: [{ workflowId: 'w' }] }, OPENAI))).rejects.toMatchObject({
      code: 'tools_not_supported',
      retryable: false,
    });
    expect(llm.received).toHaveLength(0);
  });
});
