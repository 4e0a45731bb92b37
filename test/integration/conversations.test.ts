import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { refundGraph } from '../support/fixtures.ts';
import type { Json } from '../support/http.ts';
import { chain, getExecution, node, publish, say as sayTo, until } from '../support/workflows.ts';

/** The payments service the refund workflow calls. */
let payments: Server;
beforeAll(async () => {
  payments = createServer((_req, res) =>
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"R-9"}'),
  );
  await new Promise<void>((r) => payments.listen(0, '127.0.0.1', r));
  process.env.PAYMENTS_URL = `http://127.0.0.1:${(payments.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => payments.close(() => r())));

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ WORKFLOW_ENV_ALLOWLIST: 'PAYMENTS_URL' });
});
afterEach(async () => {
  await t.close();
});

async function open(body: object = {}): Promise<Json> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: body });
  expect(response.statusCode).toBe(201);
  return response.json();
}
const say = (id: string, text: string): Promise<Json> => sayTo(t.app, id, text);

describe('conversations', () => {
  it('runs the refund workflow by chat: asks for missing inputs, validates them, asks for approval, finishes', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request' });
    expect(chat.reply).toContain('Refund request');

    const asked = await say(chat.id, 'run it');
    expect(asked.intent).toBe('start');
    expect(asked.reply).toBe('What is the order number?');

    expect((await say(chat.id, 'A-17')).reply).toBe('What is the amount in EUR?');
    const wrong = await say(chat.id, 'a lot');
    expect(wrong.reply).toBe('Sorry, that is not a number. What is the amount in EUR?');

    const started = await say(chat.id, '500 euros');
    expect(started.action).toMatchObject({ type: 'start' });
    expect(started.reply).toContain('needs your approval: Refund 500 EUR?');
    const executionId = started.action.executionId;
    expect(await getExecution(t.app, executionId)).toMatchObject({
      status: 'waiting',
      input: { orderId: 'A-17', amount: 500 },
    });

    // Steps that finished while the reply waited for the run to settle are in the history, after the message.
    const soFar = (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${chat.id}` }))
      .json()
      .turns.map((turn: Json) => turn.text);
    expect(soFar.slice(soFar.indexOf('500 euros'))).toEqual(['500 euros', '✓ Under 100? done', started.reply]);

    const approved = await say(chat.id, 'yes');
    expect(approved.intent).toBe('approve');
    const done = await until(t.app, executionId, ['completed']);
    expect(done.output).toEqual({ status: 'refunded', id: 'R-9' });
    expect((await say(chat.id, 'status')).reply).toContain('completed');

    const history = (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${chat.id}` })).json();
    expect(history).toMatchObject({ workflowId: expect.any(String), executionId });
    expect(history.turns.filter((turn: Json) => turn.role === 'user').map((turn: Json) => turn.text)).toEqual([
      'run it',
      'A-17',
      'a lot',
      '500 euros',
      'yes',
      'status',
    ]);
  });

  it('takes the inputs from the first message when it names them', async () => {
    await publish(t.app, refundGraph());
    const chat = await open();
    const started = await say(chat.id, 'run the refund workflow with orderId=A-17 and amount=40');
    expect(started.action).toMatchObject({ type: 'start' });
    const done = await until(t.app, started.action.executionId, ['completed']);
    expect(done.input).toEqual({ orderId: 'A-17', amount: 40 });
  });

  it('acts on commands only when they apply, and says what is possible instead', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request' });
    expect((await say(chat.id, 'pause')).reply).toContain('There is no run in this conversation yet');
    await say(chat.id, 'run it with orderId=B-2 and amount=900');
    const paused = await say(chat.id, 'pause');
    expect(paused.reply).toMatch(/^Paused\./);
    expect((await say(chat.id, 'approve')).reply).toContain('I could not do that');
    const resumed = await say(chat.id, 'resume');
    expect(resumed.reply).toContain('needs your approval');
    const cancelled = await say(chat.id, 'cancel');
    expect(cancelled.reply).toMatch(/^Cancelled\./);
    const again = await say(chat.id, 'cancel');
    expect(again.reply).toContain('cannot cancel an execution that is cancelled');
    const help = await say(chat.id, 'what can I do?');
    expect(help.reply).toContain('This run has ended');
  });

  it('retries and skips a failed step by chat, and refuses both while nothing has failed', async () => {
    await publish(t.app, {
      name: 'Flaky',
      inputs: { type: 'object', properties: { fail: { type: 'boolean', default: false } } },
      nodes: [
        node('start', 'start'),
        node('flaky', 'function', {
          code: 'if (input.fail) throw new Error("the service is down"); return { ok: true };',
        }),
        node('done', 'response', { output: '{{ steps.flaky.output }}' }),
      ],
      edges: chain('start', 'flaky', 'done'),
    });
    const chat = await open({ workflowId: 'flaky' });
    const ok = await say(chat.id, 'run it');
    expect(ok.reply).toContain('completed');
    expect((await say(chat.id, 'retry the failed step')).reply).toContain('I could not do that');

    const failing = await say(chat.id, 'run it with fail=true');
    expect(failing.reply).toContain('the service is down');
    expect(failing.suggestedActions).toEqual(expect.arrayContaining(['retry the failed step', 'skip this step']));
    const retried = await say(chat.id, 'retry the flaky step');
    expect(retried).toMatchObject({ intent: 'retry-step', action: { type: 'retry' } });
    expect(
      (await until(t.app, failing.action.executionId, ['failed'])).steps.filter((s: Json) => s.nodeId === 'flaky'),
    ).toHaveLength(2);
    const skipped = await say(chat.id, 'skip it');
    expect(skipped).toMatchObject({ intent: 'skip-step', action: { type: 'skip' } });
    expect((await until(t.app, failing.action.executionId, ['completed'])).status).toBe('completed');
  });

  it('exports conversation metrics', async () => {
    const chat = await open();
    await say(chat.id, 'help');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^conversational_sessions_active 1$/m);
    expect(metrics).toMatch(/^nlp_processing_duration_seconds_count 1$/m);
  });

  it('asks a clarifying question instead of guessing', async () => {
    const chat = await open();
    const answer = await say(chat.id, 'blorp zzz');
    expect(answer.intent).toBe('unknown');
    expect(answer.action).toBeNull();
    expect(answer.reply).toContain("didn't understand");
  });

  it('lists and describes workflows', async () => {
    await publish(t.app, refundGraph());
    const chat = await open();
    expect((await say(chat.id, 'list workflows')).reply).toBe('Your workflows: Refund request.');
    const described = await say(chat.id, 'describe the refund workflow');
    expect(described.reply).toContain(
      'Steps: Under 100? (decides: input.amount < 100) → Manager approval (asks for approval: Refund {{input.amount}} EUR?) → Issue refund',
    );
    expect(described.reply).toContain('orderId (Order number)');
  });

  it('explains a step from the journey: what it does and where each branch leads', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request' });
    const explained = await say(chat.id, 'explain the under 100 step');
    expect(explained.intent).toBe('explain-step');
    expect(explained.reply).toBe(
      '"Under 100?" is a condition step: Decides: input.amount < 100. Next: "Issue refund" when input.amount < 100; "Manager approval" otherwise (not input.amount < 100).',
    );
  });

  it('refuses over-long messages with 413 and too many with 429 and Retry-After', async () => {
    await t.close();
    t = await startTestApp({ CHAT_MESSAGES_PER_MINUTE: '2' });
    const chat = await open();
    const long = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${chat.id}/messages`,
      payload: { text: 'x'.repeat(1001) },
    });
    expect(long.statusCode).toBe(413);
    expect(long.json().error.message).toContain('at most 1000 characters');
    await say(chat.id, 'help');
    await say(chat.id, 'help');
    const limited = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${chat.id}/messages`,
      payload: { text: 'help' },
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('validates bodies, limits sessions, and forgets deleted conversations', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: { workflowId: 'nope' } }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          payload: { config: { personality: 'grumpy' } },
        })
      ).statusCode,
    ).toBe(400);
    const chat = await open();
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${chat.id}/messages`, payload: { text: '' } }))
        .statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/conversations/${chat.id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${chat.id}` })).statusCode).toBe(404);

    await t.close();
    t = await startTestApp({ MAX_CONCURRENT_SESSIONS: '1' });
    await open();
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} });
    expect(second.statusCode).toBe(429);
    expect(second.json().error.message).toContain('MAX_CONCURRENT_SESSIONS');
  });
});

describe('editing and confirmations by chat', () => {
  async function draft(): Promise<Json> {
    return (await t.app.inject({ method: 'GET', url: '/api/v1/workflows/refund-request' })).json();
  }

  it('adds a block to the draft, says what changed, and leaves the published version alone', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request' });
    const added = await say(chat.id, 'add a function block called notify after issue refund');
    expect(added).toMatchObject({ intent: 'add-block', action: { type: 'edit-draft' } });
    expect(added.reply).toBe(
      'Done: added function block "notify" (notify) after "Issue refund". The draft of "Refund request" now has 6 steps; publish it to run the change.',
    );
    const workflow = await draft();
    expect(workflow.latestVersion).toBe(1);
    expect(workflow.draft.nodes.map((n: Json) => n.id)).toContain('notify');
    expect(workflow.draft.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'pay', target: 'notify' }),
        expect.objectContaining({ source: 'notify', target: 'done' }),
      ]),
    );

    const renamed = await say(chat.id, 'rename notify to Tell the customer');
    expect(renamed.intent).toBe('rename-block');
    expect((await draft()).draft.nodes.find((n: Json) => n.id === 'notify').name).toBe('Tell the customer');
  });

  it('refuses an edit that would break the workflow and changes nothing', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request' });
    const before = (await draft()).draft;
    const broken = await say(chat.id, 'disconnect issue refund from done');
    expect(broken.reply).toMatch(
      /^I left the draft as it was: that would make the workflow invalid \("done" can never run.*\)\.$/,
    );
    expect(broken.action).toBeNull();
    const unknown = await say(chat.id, 'remove the start block');
    expect(unknown.reply).toBe('I left the draft as it was: the start block cannot be removed.');
    expect((await draft()).draft).toEqual(before);
  });

  it('asks before acting when the conversation wants confirmation', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({ workflowId: 'refund-request', config: { askForConfirmation: true } });

    const proposed = await say(chat.id, 'rename issue refund to Pay back');
    expect(proposed.reply).toBe(
      'About to change the draft of "Refund request": renamed "Issue refund" to "Pay back". Go ahead? (yes / no)',
    );
    expect((await draft()).draft.nodes.find((n: Json) => n.id === 'pay').name).toBe('Issue refund');
    expect((await say(chat.id, 'yes')).intent).toBe('rename-block');
    expect((await draft()).draft.nodes.find((n: Json) => n.id === 'pay').name).toBe('Pay back');

    const asked = await say(chat.id, 'run it with orderId=A-1 and amount=10');
    expect(asked.reply).toBe('Start "Refund request" with orderId="A-1", amount=10? (yes / no)');
    expect((await say(chat.id, 'no')).reply).toBe('OK, I left everything as it was.');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/executions' })).json().items).toEqual([]);

    await say(chat.id, 'run it with orderId=A-2 and amount=900');
    const started = await say(chat.id, 'yes');
    expect(started.action).toMatchObject({ type: 'start' });
    expect((await say(chat.id, 'cancel')).reply).toBe('Cancel this run of "Refund request"? (yes / no)');
    expect((await getExecution(t.app, started.action.executionId)).status).toBe('waiting');
    await say(chat.id, 'yes');
    expect((await getExecution(t.app, started.action.executionId)).status).toBe('cancelled');
  });

  it('speaks in the configured voice', async () => {
    await publish(t.app, refundGraph());
    const chat = await open({
      workflowId: 'refund-request',
      config: { personality: 'professional', communicationStyle: 'direct' },
    });
    expect(chat.reply).toBe('Hello. I can run "Refund request" for you and keep you posted.');
  });
});
