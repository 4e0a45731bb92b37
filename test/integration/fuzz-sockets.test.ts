import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { bounded, FUZZ_SEED, payload, text } from '../support/fuzz.ts';
import { ask } from '../support/sockets.ts';
import { publish, start } from '../support/workflows.ts';

/**
 * Property-based fuzzing of every socket event the server listens to (read from the listeners of a connected
 * socket, so a new event is covered without touching this file) and of event names it does not know: random and
 * hostile payloads. No ack may report an internal error, the server must keep answering within the bound, and a
 * fresh connection works afterwards.
 */

const TIME_LIMIT_MS = 15_000;
const FIELDS = ['executionId', 'conversationId', 'workspaceId', 'afterOffset', 'text', 'id', 'input'];
/** socket.io's own lifecycle events, not ones a client sends. */
const RESERVED = new Set(['disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

let t: TestApp;
let url: string;
let ids: string[];
beforeAll(async () => {
  t = await startTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const slug = await publish(t.app, tinyGraph('Socket fuzz target'));
  const execution = (await start(t.app, slug)).body.id as string;
  const conversation = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json().id;
  ids = [execution, String(conversation), t.workspaceId];
});
afterAll(async () => {
  await t.close();
});

async function connected(): Promise<Socket> {
  const socket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token: t.key },
  });
  await bounded('connecting', new Promise<void>((resolve) => socket.once('connect', () => resolve())));
  return socket;
}

describe('fuzzing every socket event', () => {
  it(
    'never acks an internal error nor stops answering, and a new connection works afterwards',
    async () => {
      let socket = await connected();
      const server = [...t.app.io.of('/').sockets.values()][0]!;
      const events = server.eventNames().filter((e): e is string => typeof e === 'string' && !RESERVED.has(e));
      expect(events).toContain('conversation.message');
      const acks: Array<{ event: string; answer: unknown }> = [];
      const value = fc.oneof(fc.constantFrom(...ids), text(), fc.integer());
      const fuzzed = fc.record({
        event: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...events) }, { weight: 1, arbitrary: text() }),
        payload: fc.oneof(payload(FIELDS), fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 4 })),
        withAck: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(fuzzed, async ({ event, payload: body, withAck }) => {
          if (!socket.connected) socket = await connected();
          if (withAck) socket.emit(event, body, (answer: unknown) => acks.push({ event, answer }));
          else socket.emit(event, body);
          // The server still answers this connection, promptly.
          const ping = await bounded(
            `after ${event}`,
            ask(socket, 'workspace.subscribe', { workspaceId: t.workspaceId }),
          );
          expect(ping).toEqual({ ok: true });
        }),
        { seed: FUZZ_SEED, numRuns: 1000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
      );
      const internal = acks.filter(
        ({ answer }) => (answer as { error?: { code?: string } })?.error?.code === 'internal',
      );
      expect(internal).toEqual([]);
      expect(acks.length).toBeGreaterThan(0);
      socket.disconnect();
      const fresh = await connected();
      expect(await ask(fresh, 'workspace.subscribe', { workspaceId: t.workspaceId })).toEqual({ ok: true });
      fresh.disconnect();
      expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    },
    TIME_LIMIT_MS + 30_000,
  );
});
