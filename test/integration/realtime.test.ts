import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { appWithSockets, ask } from '../support/sockets.ts';
import type { Json } from '../support/http.ts';
import { command, edge, node, publish, start, until } from '../support/workflows.ts';

const t = appWithSockets();

const client = t.client;

/** Collects execution events a socket receives until one matches. */
function collect(socket: Socket, stopAt: (e: Json) => boolean): { events: Json[]; done: Promise<Json[]> } {
  const events: Json[] = [];
  const done = new Promise<Json[]>((resolve) =>
    socket.on('execution.event', (e: Json) => {
      events.push(e);
      if (stopAt(e)) resolve(events);
    }),
  );
  return { events, done };
}

const gate = {
  name: 'Gate',
  nodes: [
    node('start', 'start'),
    node('gate', 'approval', { prompt: 'Go?' }),
    node('done', 'response', { output: 'went' }),
  ],
  edges: [edge('start', 'gate'), edge('gate', 'done', 'approved')],
};

describe('realtime', () => {
  it('replays missed events from the database, then streams live ones, in order and once', async () => {
    const slug = await publish(t.app, gate);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);

    const socket = client();
    const stream = collect(socket, (e) => e.type === 'execution.completed');
    expect(await ask(socket, 'execution.subscribe', { executionId: body.id, afterOffset: 0 })).toEqual({ ok: true });
    await command(t.app, body.id, 'approval', { decision: 'approve' });
    const events = await stream.done;
    expect(events.map((e) => e.offset)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].type).toBe('execution.queued');
    expect(events.every((e) => e.executionId === body.id)).toBe(true);
  });

  it('sends a reconnecting client exactly what it missed', async () => {
    const slug = await publish(t.app, gate);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    const first = client();
    const before = collect(first, (e) => e.type === 'execution.waiting');
    await ask(first, 'execution.subscribe', { executionId: body.id });
    const seen = await before.done;
    first.disconnect();

    await command(t.app, body.id, 'approval', { decision: 'approve' });
    const finished = await until(t.app, body.id, ['completed']);
    const total = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${finished.id}/events` })).json().items
      .length;

    const second = client();
    const after = collect(second, (e) => e.type === 'execution.completed');
    await ask(second, 'execution.subscribe', { executionId: body.id, afterOffset: seen.at(-1).offset });
    const missed = await after.done;
    expect(missed.map((e) => e.offset)).toEqual(
      Array.from({ length: total - seen.length }, (_, i) => seen.length + i + 1),
    );
  });

  it('streams to every follower once, and stops for one that unsubscribes while the others keep hearing', async () => {
    const slug = await publish(t.app, gate);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    const [stays, leaves, again] = [client(), client(), client()];
    const streams = [stays, leaves, again].map((socket) => collect(socket, (e) => e.type === 'execution.completed'));
    for (const socket of [stays, leaves, again]) await ask(socket, 'execution.subscribe', { executionId: body.id });
    // Subscribing twice on one socket must not double the stream.
    await ask(again, 'execution.subscribe', { executionId: body.id, afterOffset: streams[2]!.events.at(-1).offset });
    const waitingCount = streams[0]!.events.length;
    leaves.emit('execution.unsubscribe', { executionId: body.id });
    await ask(leaves, 'execution.subscribe', { executionId: '00000000-0000-4000-8000-000000000000' }); // a round trip: the unsubscribe is done

    await command(t.app, body.id, 'approval', { decision: 'approve' });
    const [heard, , heardAgain] = await Promise.all([streams[0]!.done, Promise.resolve(), streams[2]!.done]);
    const offsets = heard.map((e) => e.offset);
    expect(offsets).toEqual(offsets.map((_, i) => i + 1));
    expect(heardAgain.map((e) => e.offset)).toEqual(offsets);
    expect(streams[1]!.events).toHaveLength(waitingCount);
  });

  it('refuses bad subscriptions with a clear error in the ack', async () => {
    const socket = client();
    expect((await ask(socket, 'execution.subscribe', { executionId: 'nope' })).error.code).toBe('validation_failed');
    const unknown = await ask(socket, 'execution.subscribe', { executionId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.error).toMatchObject({ code: 'not_found' });
  });

  it('pushes progress of the run into the conversation, stored as turns and sent to subscribers', async () => {
    const slug = await publish(t.app, {
      name: 'Gate',
      nodes: [
        node('start', 'start'),
        node('gate', 'approval', { prompt: 'Go?' }),
        node('work', 'function', { code: 'return 42' }),
        node('done', 'response', { output: '{{ steps.work.output }}' }),
      ],
      edges: [edge('start', 'gate'), edge('gate', 'work', 'approved'), edge('work', 'done')],
    });
    const chat = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        payload: { workflowId: slug, config: { explainSteps: true } },
      })
    ).json();
    const socket = client();
    const pushed: Json[] = [];
    const finished = new Promise<void>((resolve) =>
      socket.on('conversation.turn', (turn: Json) => {
        pushed.push(turn);
        if (turn.text.startsWith('Finished')) resolve();
      }),
    );
    expect(await ask(socket, 'conversation.subscribe', { conversationId: chat.id })).toEqual({ ok: true });
    await ask(socket, 'conversation.message', { conversationId: chat.id, text: 'run it' });
    await ask(socket, 'conversation.message', { conversationId: chat.id, text: 'yes' });
    await finished;
    const progress = pushed.filter((turn) => turn.intent === 'progress').map((turn) => turn.text);
    expect(progress).toEqual(expect.arrayContaining(['✓ work done (a function step)', 'Finished. Result: 42']));
    const stored = (await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${chat.id}` })).json().turns;
    expect(stored.filter((turn: Json) => turn.intent === 'progress').map((turn: Json) => turn.text)).toEqual(progress);
  });

  it('shows a message sent over HTTP to every client following the conversation', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
    const watcher = client();
    const seen: Json[] = [];
    const both = new Promise<void>((resolve) =>
      watcher.on('conversation.turn', (turn: Json) => {
        seen.push(turn);
        if (seen.length === 2) resolve();
      }),
    );
    await ask(watcher, 'conversation.subscribe', { conversationId: created.id });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${created.id}/messages`,
      payload: { text: 'help' },
    });
    await both;
    expect(seen.map((turn) => `${turn.role}:${turn.intent}`)).toEqual(['user:help', 'assistant:help']);
    expect(seen[0]).toMatchObject({ conversationId: created.id, text: 'help' });
  });

  it('answers a chat message sent over the socket in the ack', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
    const socket = client();
    const answer = await ask(socket, 'conversation.message', { conversationId: created.id, text: 'list workflows' });
    expect(answer).toMatchObject({ intent: 'list-workflows' });
    expect(answer.reply).toContain('no workflows yet');
    const tooLong = await ask(socket, 'conversation.message', { conversationId: created.id, text: 'x'.repeat(1001) });
    expect(tooLong.error.code).toBe('payload_too_large');
  });
});
