import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import type { Json } from '../support/http.ts';
import { HANDBOOK, knowledgeBaseWith } from '../support/knowledge-bases.ts';
import { INVALID_NUMBER, TWILIO_FROM, TWILIO_TOKEN, TwilioServer, twilioSign } from '../support/twilio-server.ts';
import { chain, node, publish } from '../support/workflows.ts';

const PUBLIC_URL = 'https://duet.example.com';
const ALICE = '+15551230001';
const BOB = '+15551230002';
const STRANGER = '+15551239999';

let twilio: TwilioServer;
beforeAll(async () => {
  twilio = await new TwilioServer().listen();
});
afterAll(() => twilio.close());

let t: TestApp;
beforeEach(async () => {
  twilio.messages.length = 0;
  twilio.script.length = 0;
  twilio.requests = 0;
  t = await startTestApp({ ...twilio.env(), PUBLIC_URL });
});
afterEach(() => t.close());

let sids = 0;
/** Delivers an inbound SMS the way Twilio does: a signed form post to the public URL; returns the TwiML. */
async function text(from: string, body: string, options: { sid?: string; signature?: string } = {}) {
  const path = '/channels/sms/default';
  const params = {
    AccountSid: 'AC00000000000000000000000000000000',
    MessageSid: options.sid ?? `SMin${String(++sids).padStart(28, '0')}`,
    From: from,
    To: TWILIO_FROM,
    Body: body,
    NumMedia: '0',
  };
  return t.anonymous({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': options.signature ?? twilioSign(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
}

/** The message texts of a TwiML answer. */
function messages(twiml: string): string[] {
  return [...twiml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!
      .replaceAll('&quot;', '"')
      .replaceAll('&apos;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&'),
  );
}

async function addContact(phone: string, role = 'editor') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms/contacts',
    payload: { phone, role },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function send(to: string, body: string, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms/messages',
    payload: { to, text: body },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

/** Polls an outbound message until its status is one of `statuses`. */
async function untilStatus(id: string, statuses: string[], timeoutMs = 15_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = (await t.app.inject({ method: 'GET', url: `/api/v1/channels/sms/messages/${id}` })).json();
    if (statuses.includes(message.status)) return message;
    if (Date.now() > deadline) throw new Error(`SMS ${id} is ${message.status}: ${JSON.stringify(message.error)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('inbound SMS', () => {
  it('refuses a request whose X-Twilio-Signature is wrong: 401, audited, nothing handled', async () => {
    await addContact(ALICE);
    const refused = await text(ALICE, 'list workflows', { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('X-Twilio-Signature');
    const contact = (await t.app.inject({ url: '/api/v1/channels/sms/contacts' })).json().items[0];
    expect(contact.conversationId).toBeNull();
    const audit = (await t.app.inject({ url: '/api/v1/audit?limit=100' })).json().items as Json[];
    expect(audit.some((e) => e.action === 'POST /channels/sms/:workspaceSlug' && e.outcome === 'denied')).toBe(true);
  });

  it('gives each contact its own conversation with the dialogue manager, answered in TwiML', async () => {
    await publish(t.app, tinyGraph('Greeter'));
    await addContact(ALICE);
    await addContact(BOB);
    const answer = await text(ALICE, 'list workflows');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toContain('text/xml');
    expect(messages(answer.body)).toEqual(['Your workflows: Greeter.']);
    await text(ALICE, 'status');
    await text(BOB, 'list workflows');

    const contacts = (await t.app.inject({ url: '/api/v1/channels/sms/contacts' })).json().items as Json[];
    const alice = contacts.find((c) => c.phone === ALICE)!;
    const bob = contacts.find((c) => c.phone === BOB)!;
    expect(alice.conversationId).not.toBe(bob.conversationId);
    const conversation = (await t.app.inject({ url: `/api/v1/conversations/${alice.conversationId}` })).json();
    expect(conversation.channel).toBe('sms');
    expect(conversation.turns.filter((turn: Json) => turn.role === 'user').map((turn: Json) => turn.text)).toEqual([
      'list workflows',
      'status',
    ]);
  });

  it('runs the workspace SMS workflow for a contact: the reply is the dialogue manager starting a real execution', async () => {
    const slug = await publish(t.app, {
      name: 'Ping',
      nodes: [node('start', 'start'), node('done', 'response', { output: { pong: true } })],
      edges: chain('start', 'done'),
    });
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/channels/sms', payload: { workflowId: slug } });
    expect(put.statusCode, put.body).toBe(200);
    await addContact(ALICE);
    const [reply] = messages((await text(ALICE, 'run it')).body);
    expect(reply).toContain('Started "Ping"');
    const executions = (await t.app.inject({ url: '/api/v1/executions' })).json().items as Json[];
    expect(executions).toHaveLength(1);
    expect(executions[0].status).toBe('completed');
  });

  it("answers contacts' questions from the knowledge base chosen in the SMS settings, with the source", async () => {
    await addContact(ALICE);
    await text(ALICE, 'list workflows'); // Alice's conversation exists before the base is chosen.
    const handbook = await knowledgeBaseWith(t.app, 'Company handbook', HANDBOOK);
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/channels/sms',
      payload: { knowledgeBaseId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.statusCode).toBe(404);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/channels/sms',
      payload: { knowledgeBaseId: handbook },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/channels/sms' })).json().knowledgeBaseId).toBe(handbook);

    for (const phone of [ALICE, BOB]) {
      if (phone === BOB) await addContact(BOB); // A new contact's conversation starts bound to it.
      const [answer] = messages((await text(phone, 'what does the handbook say about refunds?')).body);
      expect(answer, phone).toContain('refund within 30 days of purchase');
      expect(answer, phone).toMatch(/Sources?:[\s\S]*Handbook › Refunds/);
    }
  });

  it('answers a redelivered MessageSid again but handles it once', async () => {
    await addContact(ALICE);
    const first = await text(ALICE, 'list workflows', { sid: 'SMrepeat0000000000000000000000001' });
    const again = await text(ALICE, 'list workflows', { sid: 'SMrepeat0000000000000000000000001' });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    const contact = (await t.app.inject({ url: '/api/v1/channels/sms/contacts' })).json().items[0];
    const conversation = (await t.app.inject({ url: `/api/v1/conversations/${contact.conversationId}` })).json();
    expect(conversation.turns.filter((turn: Json) => turn.role === 'user')).toHaveLength(1);
  });

  it('answers numbers that are not contacts with the configured reply, or with nothing', async () => {
    expect(messages((await text(STRANGER, 'hello')).body)).toEqual([]);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/channels/sms',
      payload: { unknownReply: 'This number only answers registered people.' },
    });
    expect(messages((await text(STRANGER, 'hello again')).body)).toEqual([
      'This number only answers registered people.',
    ]);
  });

  it('honours STOP (recorded; nothing more is sent), HELP, and START', async () => {
    await addContact(ALICE);
    expect(messages((await text(ALICE, 'STOP')).body)[0]).toContain('no more messages');
    const refused = await send(ALICE, 'Reminder: call the bank');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('opted out');
    expect(messages((await text(ALICE, 'list workflows')).body)).toEqual([]);
    expect(messages((await text(ALICE, 'help')).body)[0]).toContain('Reply STOP to unsubscribe');
    expect(messages((await text(ALICE, 'START')).body)[0]).toContain('subscribed');
    expect((await send(ALICE, 'Reminder: call the bank')).statusCode).toBe(202);
  });

  it('rejects a delivery without the fields it needs with a 400 that names them', async () => {
    const params = { MessageSid: 'SM1', From: 'not a number' };
    const response = await t.anonymous({
      method: 'POST',
      url: '/channels/sms/default',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(TWILIO_TOKEN, `${PUBLIC_URL}/channels/sms/default`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('From');
  });
});

describe('outbound SMS', () => {
  it('sends through the Messages API once per idempotency key and records the delivery report', async () => {
    const queued = await send(ALICE, 'Your refund was issued.', 'refund-1');
    expect(queued.statusCode, queued.body).toBe(202);
    const again = await send(ALICE, 'Your refund was issued.', 'refund-1');
    const [message] = queued.json().items;
    expect(again.json().items[0].id).toBe(message.id);
    expect(message).toMatchObject({ to: ALICE, from: TWILIO_FROM, encoding: 'GSM-7', segments: 1 });

    const sent = await untilStatus(message.id, ['sent']);
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]).toMatchObject({ to: ALICE, from: TWILIO_FROM, body: 'Your refund was issued.' });
    expect(twilio.messages[0]!.statusCallback).toBe(`${PUBLIC_URL}/channels/sms/${t.workspaceId}/status`);
    expect(sent.providerSid).toBe(twilio.messages[0]!.sid);

    // The provider reports delivery to the StatusCallback (PUBLIC_URL is a proxy in front of this app).
    const report = { MessageSid: sent.providerSid, MessageStatus: 'delivered', To: ALICE, From: TWILIO_FROM };
    const callback = twilio.messages[0]!.statusCallback!;
    const forged = await t.anonymous({
      method: 'POST',
      url: new URL(callback).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bad' },
      payload: new URLSearchParams(report).toString(),
    });
    expect(forged.statusCode).toBe(401);
    const delivered = await t.anonymous({
      method: 'POST',
      url: new URL(callback).pathname,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(TWILIO_TOKEN, callback, report),
      },
      payload: new URLSearchParams(report).toString(),
    });
    expect(delivered.statusCode).toBe(204);
    expect((await untilStatus(message.id, ['delivered'])).status).toBe('delivered');
  });

  it('fails a message the provider refuses (21211 invalid number) without retrying it', async () => {
    const [message] = (await send(INVALID_NUMBER, 'hello')).json().items;
    const failed = await untilStatus(message.id, ['failed']);
    expect(failed.error.code).toBe('21211');
    expect(failed.error.message).toContain('not a valid phone number');
    expect(failed.attempts).toBe(1);
  });

  it('queues a message through a rate limit and an outage and sends it once they pass', async () => {
    twilio.script.push(429, 500);
    const [message] = (await send(BOB, 'Back online?')).json().items;
    const retried = await untilStatus(message.id, ['queued'], 5000);
    expect(retried.error.code).toMatch(/20429|20500/);
    const sent = await untilStatus(message.id, ['sent'], 15_000);
    expect(sent.attempts).toBe(3);
    expect(sent.error).toBeNull();
    expect(twilio.requests).toBe(3);
    expect(twilio.messages).toHaveLength(1);
  });

  it('never sends twice when the provider may have taken a message but did not answer', async () => {
    twilio.script.push('drop');
    const [message] = (await send(BOB, 'Only once')).json().items;
    const failed = await untilStatus(message.id, ['failed']);
    expect(failed.error.code).toBe('outcome_unknown');
    await new Promise((r) => setTimeout(r, 1500));
    expect(twilio.requests).toBe(1);
  });

  it('splits a long text into messages of at most 1600 characters and counts their segments', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `item${i}`).join(' ');
    const items = (await send(ALICE, long)).json().items as Json[];
    expect(items.length).toBeGreaterThan(1);
    expect(items.every((m) => m.body.length <= 1600 && m.segments === Math.ceil(m.body.length / 153))).toBe(true);
    for (const item of items) await untilStatus(item.id, ['sent']);
    expect(items.map((m) => m.body).join(' ')).toBe(long);
    expect(twilio.messages.map((m) => m.body)).toEqual(items.map((m) => m.body));
  });

  it('shows the messages with their status, filtered by status', async () => {
    await send(INVALID_NUMBER, 'x');
    const [ok] = (await send(ALICE, 'y')).json().items;
    await untilStatus(ok.id, ['sent']);
    const failed = (await t.app.inject({ url: '/api/v1/channels/sms/messages?status=failed' })).json();
    expect(failed.items.map((m: Json) => m.to)).toEqual([INVALID_NUMBER]);
    const bad = await t.app.inject({ url: '/api/v1/channels/sms/messages?status=lost' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('SMS on a server without Twilio settings', () => {
  it('answers its webhooks 404 saying what to set, not a server error', async () => {
    const bare = await startTestApp();
    try {
      for (const url of ['/channels/sms/default', '/channels/sms/default/status', '/channels/sms/%20']) {
        const response = await bare.anonymous({ method: 'POST', url, payload: {} });
        expect(response.statusCode, url).toBe(404);
        expect(response.json().error.message).toContain('set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
      }
    } finally {
      await bare.close();
    }
  });
});
