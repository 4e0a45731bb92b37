import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { startLlmServer, type LlmServer } from '../support/llm-server.ts';
import { publish, say as sayTo } from '../support/workflows.ts';
import { tinyGraph } from '../support/fixtures.ts';

let llm: LlmServer;
let t: TestApp;
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());
beforeEach(async () => {
  t = await startTestApp({ NLP_PROVIDER: 'openai', OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'nlu-model' });
  await publish(t.app, tinyGraph('Weekly report'));
  llm.received = [];
});
afterEach(async () => {
  await t.close();
});

async function say(text: string): Promise<Json> {
  const chat = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
  return sayTo(t.app, chat.id, text);
}

// Far from anything in the training corpus, so the offline classifier is unsure.
const ODD = 'flibbertigibbet wobble the thingamajigs';

describe('NLU fallback to an LLM (NLP_PROVIDER)', () => {
  it('asks the model only when the offline NLU is unsure, and acts on a confident answer', async () => {
    await say('list workflows');
    expect(llm.received).toHaveLength(0);

    llm.answer = () => ({ text: '{"intent": "list-workflows", "confidence": 0.92}' });
    const reply = await say(ODD);
    expect(reply).toMatchObject({ intent: 'list-workflows', confidence: 0.92 });
    expect(reply.reply).toContain('Weekly report');
    expect(llm.received).toHaveLength(1);
    expect(llm.received[0]!.body.model).toBe('nlu-model');
    expect(JSON.stringify(llm.received[0]!.body.messages)).toContain(ODD);
    expect(JSON.stringify(llm.received[0]!.body.messages)).toContain('list-workflows');
  });

  it('keeps the clarifying question when the model is unsure, makes something up, or fails', async () => {
    for (const answer of [
      { text: '{"intent": "start", "confidence": 0.2}' },
      { text: '{"intent": "launch-rockets", "confidence": 0.99}' },
      { text: 'I think they want to start something' },
      { status: 500, body: { error: { message: 'overloaded', type: 'server_error' } } },
    ]) {
      llm.answer = () => answer;
      const reply = await say(ODD);
      expect(reply.intent, JSON.stringify(answer)).toBe('unknown');
      expect(reply.reply).toMatch(/^Sorry, I didn't understand\.|^Do you want to/);
    }
  });
});
