import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedAssistant } from '../../src/store/seed.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startLlmServer, type LlmServer } from '../support/llm-server.ts';

const ALICE = '+15551230001';

let llm: LlmServer;
beforeAll(async () => {
  llm = await startLlmServer();
});
afterAll(() => llm.close());

let t: TestApp;
beforeEach(async () => {
  llm.received.length = 0;
  t = await startTestApp({ NLP_PROVIDER: 'openai', OPENAI_BASE_URL: llm.base, OPENAI_MODEL: 'nlu-model' });
  await seedAssistant(t.db, t.workspaceId, {
    maxRetryAttempts: 3,
    phone: ALICE,
    timeZone: 'Europe/Paris',
    summaryTime: null,
    now: new Date(),
  });
});
afterEach(() => t.close());

/** Runs the personal assistant template as its SMS line does, and returns its reply. */
async function say(message: string): Promise<string> {
  const run = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workflows/personal-assistant/executions?waitMs=20000',
    payload: { input: { message, from: ALICE } },
  });
  expect(run.json().status, run.body).toBe('completed');
  return run.json().output.reply;
}

describe('the personal assistant with an LLM (NLP_PROVIDER)', () => {
  it('understands freer phrasing through the model, with the time still read in the person zone', async () => {
    llm.answer = () => ({ text: 'remind me to ring my sister on friday at 6pm' });
    const reply = await say("Don't let me forget my sister's call, Friday 6pm");
    expect(reply).toMatch(/^OK, I'll remind you to ring my sister .* at 18:00\.$/);
    const [task] = (await t.app.inject({ url: '/api/v1/tasks' })).json().items;
    expect(task).toMatchObject({ title: 'ring my sister', timeZone: 'Europe/Paris' });
    // 18:00 in Paris is 17:00 UTC in winter.
    expect(task.remindAt).toMatch(/T17:00:00\.000Z$/);
    expect(JSON.stringify(llm.received[0]!.body)).toContain("sister's call");
  });

  it('does not ask the model what the offline reader understands, and a failing model changes nothing', async () => {
    expect(await say('add buy milk')).toBe('Added "buy milk".');
    expect(llm.received).toHaveLength(0);
    llm.answer = () => ({ status: 500, body: { error: { message: 'down' } } });
    expect(await say('blah blah weather')).toContain('Sorry, I did not get that.');
    llm.answer = () => ({ text: 'unknown' });
    expect(await say('sing me a song')).toContain('Sorry, I did not get that.');
    expect((await t.app.inject({ url: '/api/v1/tasks' })).json().items).toHaveLength(1);
  });
});
