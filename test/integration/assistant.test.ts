import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildServices, type Services } from '../../src/main/services.ts';
import { buildApp } from '../../src/server/app.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import type { Database } from '../../src/store/db.ts';
import { seedAssistant } from '../../src/store/seed.ts';
import { authorizeInject } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { openTestDatabase } from '../support/db.ts';
import { HANDBOOK, knowledgeBaseWith } from '../support/knowledge-bases.ts';
import type { Json } from '../support/http.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { TWILIO_FROM, TWILIO_TOKEN, TwilioServer, twilioSign } from '../support/twilio-server.ts';

const PUBLIC_URL = 'https://duet.example.com';
const ALICE = '+15551230001';
const NY = 'America/New_York';
/** Tuesday 8 December 2026, 08:58 in New York. */
const START = Date.parse('2026-12-08T13:58:00Z');
const SWEEP_MS = 15_000;
// Each test drives a whole conversation through the real app on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

let twilio: TwilioServer;
beforeAll(async () => {
  twilio = await new TwilioServer().listen();
});
afterAll(() => twilio.close());

let db: Database;
let app: FastifyInstance;
let running = false;
let services: Services;
let clock: ManualClock;
let workspaceId: string;
/** The real app and services on a fresh database, on `clock`. */
async function restart(): Promise<void> {
  if (running) await stop();
  const config = testConfig({ ...twilio.env(), PUBLIC_URL, ASSISTANT_FOLLOW_UP_MINUTES: '1' });
  db = await openTestDatabase();
  services = await buildServices(config, db, { clock });
  app = await buildApp({ config, db, services });
  await app.ready();
  ({ workspaceId } = await authorizeInject(app, db));
  running = true;
}
async function stop(): Promise<void> {
  running = false;
  await app.close();
  await db.close();
}
beforeEach(async () => {
  twilio.messages.length = 0;
  clock = new ManualClock(START);
  await restart();
});
afterEach(() => stop());

let sids = 0;
/** Alice texts the assistant the way Twilio delivers it; returns the texts of the TwiML answer. */
async function text(body: string): Promise<string[]> {
  const path = '/channels/sms/default';
  const params = {
    AccountSid: 'AC00000000000000000000000000000000',
    MessageSid: `SMas${String(++sids).padStart(28, '0')}`,
    From: ALICE,
    To: TWILIO_FROM,
    Body: body,
    NumMedia: '0',
  };
  const answer = await app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSign(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
  expect(answer.statusCode, answer.body).toBe(200);
  return [...answer.body.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!.replaceAll('&apos;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
  );
}

/** Moves the manual clock to `iso`, then one sweep beat past it, so the reminder sweep runs at that time. */
async function moveTo(iso: string): Promise<void> {
  await clock.whenDue(SWEEP_MS);
  await clock.advance(Date.parse(iso) - clock.now());
  await clock.whenDue(SWEEP_MS);
  await clock.advance(SWEEP_MS);
}

/** The texts the provider has received for Alice, once `count` have arrived (the outbox is drained meanwhile). */
async function received(count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await services.sms.drain();
    const bodies = twilio.messages.filter((m) => m.to === ALICE).map((m) => m.body);
    if (bodies.length >= count) return bodies;
    if (Date.now() > deadline) throw new Error(`expected ${count} texts, got ${JSON.stringify(bodies)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the personal assistant by SMS', () => {
  /** Sets up the assistant for Alice in New York, as `duet seed --assistant` does, at the manual clock's time. */
  const setUp = (summaryTime: string | null = null, knowledgeBaseId?: string) =>
    seedAssistant(db, workspaceId, {
      maxRetryAttempts: 3,
      phone: ALICE,
      timeZone: NY,
      summaryTime,
      ...(knowledgeBaseId ? { knowledgeBaseId } : {}),
      now: new Date(clock.now()),
    });
  /** Nothing more reaches Alice than the `count` texts she has. */
  async function stillHas(count: number): Promise<void> {
    await services.sms.drain();
    expect(twilio.messages).toHaveLength(count);
  }

  it('adds a task by text, reminds at its local time, and "done" completes it', async () => {
    await setUp();
    expect(await text('Remind me to call the bank at 9am')).toEqual([
      "OK, I'll remind you to call the bank today at 09:00.",
    ]);
    const [task] = (await app.inject({ url: '/api/v1/tasks' })).json().items as Json[];
    expect(task).toMatchObject({ title: 'call the bank', remindAt: '2026-12-08T14:00:00.000Z', phone: ALICE });
    expect(await text("what's on today?")).toEqual(['Your tasks for today:\n1. call the bank (today at 09:00)']);

    // 08:59:30 in New York: nothing yet; 09:00: the reminder.
    await moveTo('2026-12-08T13:59:30Z');
    await stillHas(0);
    await moveTo('2026-12-08T14:00:00Z');
    expect(await received(1)).toEqual(['Reminder: call the bank. Reply "done" when it\'s done, or "snooze".']);

    expect(await text('done')).toEqual(['Done: call the bank. Nice work!']);
    const done = (await app.inject({ url: `/api/v1/tasks/${task!.id}` })).json();
    expect(done).toMatchObject({ status: 'done', nextNotifyAt: null, remindersSent: 1 });
    // No follow-up for a finished task.
    await moveTo('2026-12-08T14:03:00Z');
    await stillHas(1);
  });

  it('follows up a reminder that is not acknowledged, a bounded number of times, and snoozes', async () => {
    await setUp();
    expect(await text('remind me to water the plants in 2 minutes')).toEqual([
      "OK, I'll remind you to water the plants today at 09:00.",
    ]);
    await moveTo('2026-12-08T14:00:00Z');
    await received(1);
    // ASSISTANT_FOLLOW_UP_MINUTES (1 here) later, unanswered: a gentle follow-up; then one more, then silence.
    await moveTo('2026-12-08T14:01:00Z');
    expect((await received(2))[1]).toBe('Just checking: water the plants? Reply "done" or "snooze 1 hour".');
    await moveTo('2026-12-08T14:02:15Z');
    await received(3);
    await moveTo('2026-12-08T14:05:00Z');
    await stillHas(3);

    expect(await text('snooze that for 5 minutes')).toEqual([
      "OK, I'll remind you about water the plants today at 09:10.",
    ]);
    await moveTo('2026-12-08T14:10:15Z');
    expect((await received(4))[3]).toBe('Reminder: water the plants. Reply "done" when it\'s done, or "snooze".');
    expect(await text('ok')).toEqual(["👍 I won't nudge you again about water the plants."]);
    await moveTo('2026-12-08T14:13:00Z');
    await stillHas(4);
  });

  it('answers a question about no task from the attached knowledge base, with its source, and still keeps tasks', async () => {
    // Without a knowledge base, such a question is not the assistant's.
    await setUp();
    expect((await text('what does the handbook say about refunds?'))[0]).toContain('Sorry, I did not get that.');

    const handbook = await knowledgeBaseWith(app, 'Company handbook', HANDBOOK);
    await setUp(null, handbook);
    const [answer] = await text('what does the handbook say about refunds?');
    expect(answer).toContain('refund within 30 days of purchase');
    expect(answer).toMatch(/Sources?:[\s\S]*Handbook › Refunds/);

    expect(await text('remind me to call the bank tomorrow at 9')).toEqual([
      "OK, I'll remind you to call the bank tomorrow at 09:00.",
    ]);
    const tasks = (await app.inject({ url: '/api/v1/tasks' })).json().items as Json[];
    expect(tasks.map((t) => t.title)).toEqual(['call the bank']);

    // The base removed later: the assistant says so instead of failing, and tasks keep working.
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/knowledge-bases/${handbook}` })).statusCode).toBe(204);
    expect((await text('what does the handbook say about vacation?'))[0]).toContain(
      'the knowledge base I answer from was removed',
    );
    expect(await text("what's on tomorrow?")).toEqual([
      'Your tasks for tomorrow:\n1. call the bank (tomorrow at 09:00)',
    ]);
  });

  it('refuses to attach a knowledge base the workspace does not have', async () => {
    await expect(setUp(null, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(
      'no knowledge base "00000000-0000-4000-8000-000000000000" in this workspace',
    );
    expect((await app.inject({ url: '/api/v1/workflows/personal-assistant' })).statusCode).toBe(404);
  });

  it('sends the daily summary at the local time, once a day', async () => {
    clock = new ManualClock(Date.parse('2026-12-08T12:58:00Z'));
    await restart();
    await setUp('08:00');
    await text('remind me to call the bank at 9am');
    await text('add buy milk');
    await moveTo('2026-12-08T12:59:30Z');
    await stillHas(0);
    await moveTo('2026-12-08T13:00:00Z');
    expect(await received(1)).toEqual(['Good morning! Today: call the bank (today at 09:00).']);
    await moveTo('2026-12-08T13:03:00Z');
    await stillHas(1);
  });
});

describe('the tasks API', () => {
  const post = (payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/tasks', payload, headers });

  it('creates, lists, changes and deletes tasks; done stops the reminder', async () => {
    const created = await post({ title: 'Renew passport', timeZone: NY, remindAt: '2026-12-09T14:00:00Z' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'open', nextNotifyAt: '2026-12-09T14:00:00.000Z' });
    const id = created.json().id;
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/tasks/${id}`, payload: { status: 'done' } });
    expect(patched.json()).toMatchObject({ status: 'done', nextNotifyAt: null });
    expect(patched.json().completedAt).not.toBeNull();
    const open = (await app.inject({ url: '/api/v1/tasks?status=open' })).json();
    expect(open.items).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tasks/${id}` })).statusCode).toBe(204);
    expect((await app.inject({ url: `/api/v1/tasks/${id}` })).statusCode).toBe(404);
    const audit = (await app.inject({ url: '/api/v1/audit?limit=50' })).json().items as Json[];
    expect(audit.map((e) => e.action)).toContain('DELETE /api/v1/tasks/:id');
  });

  it('says what to fix: bad time zone, past reminder, too long title, unknown field', async () => {
    const zone = await post({ title: 'x', timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('IANA time zone');
    const past = await post({ title: 'x', remindAt: '2026-12-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toContain('is in the past');
    const long = await post({ title: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('at most 200 characters');
    expect((await post({ title: 'x', priority: 'high' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/tasks' })).json().items).toEqual([]);
  });

  it('lets viewers read and editors write; anonymous callers get 401', async () => {
    const viewer = (await createApiKey(db, { workspaceId, name: 'viewer', role: 'viewer' })).key;
    const editor = (await createApiKey(db, { workspaceId, name: 'editor', role: 'editor' })).key;
    const refused = await post({ title: 'x' }, { authorization: `Bearer ${viewer}` });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('create, change or delete tasks');
    expect((await post({ title: 'x' }, { authorization: `Bearer ${editor}` })).statusCode).toBe(201);
    const read = await app.inject({ url: '/api/v1/tasks', headers: { authorization: `Bearer ${viewer}` } });
    expect(read.json().items).toHaveLength(1);
    const anonymous = await app.inject({ url: '/api/v1/tasks', headers: { authorization: 'Bearer nope' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
