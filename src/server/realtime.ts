import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { ConversationService } from '../conversation/manager.ts';
import { DuetError } from '../model/errors.ts';
import type { StoredEvent } from '../store/executions.ts';
import type { RateWindow } from './rate-window.ts';
import { checkMessage } from './routes/conversations.ts';

const subscribeSchema = z.strictObject({ executionId: z.string().uuid(), afterOffset: z.number().int().min(0).default(0) });
const messageSchema = z.strictObject({ conversationId: z.string().uuid(), text: z.string().trim().min(1) });
const conversationSchema = z.strictObject({ conversationId: z.string().uuid() });
const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;

type Ack = (answer: unknown) => void;

/**
 * socket.io at /socket.io. A client subscribes to an execution with the last offset it has seen and gets
 * every later event from the database, then live ones, in order and once (a per-socket high-water mark
 * drops what the replay already sent). Conversations can be driven over the socket too.
 */
export function attachRealtime(app: FastifyInstance, deps: { conversations: ConversationService; rate: RateWindow; maxConnections: number }) {
  const io = new Server(app.server, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 64 * 1024 });
  const connections = new Gauge({ name: 'websocket_connections_active', help: 'Open socket.io connections', registers: [app.metrics] });

  io.on('connection', (socket) => {
    if (io.engine.clientsCount > deps.maxConnections) {
      socket.emit('error', { code: 'rate_limited', message: `the server holds at most ${deps.maxConnections} connections (WS_MAX_CONNECTIONS)` });
      socket.disconnect(true);
      return;
    }
    connections.inc();
    const workspaceId = app.defaultWorkspaceId;
    const stops = new Map<string, () => void>();
    socket.on('disconnect', () => {
      connections.dec();
      for (const stop of stops.values()) stop();
    });

    socket.on('execution.subscribe', async (raw: unknown, ack?: Ack) => {
      await answer(ack, async () => {
        const { executionId, afterOffset } = parse(subscribeSchema, raw);
        if (!stops.has(executionId) && stops.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          throw new DuetError('rate_limited', `a connection follows at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} executions`);
        }
        stops.get(executionId)?.();
        stops.set(executionId, await follow(app, socket, workspaceId, executionId, afterOffset));
        return { ok: true };
      });
    });

    socket.on('execution.unsubscribe', (raw: unknown) => {
      const id = (raw as { executionId?: string } | null)?.executionId;
      if (id) stops.get(id)?.();
      if (id) stops.delete(id);
    });

    socket.on('conversation.subscribe', async (raw: unknown, ack?: Ack) => {
      await answer(ack, async () => {
        const { conversationId } = parse(conversationSchema, raw);
        await deps.conversations.get(workspaceId, conversationId);
        await socket.join(`conversation:${conversationId}`);
        return { ok: true };
      });
    });

    socket.on('conversation.message', async (raw: unknown, ack?: Ack) => {
      await answer(ack, async () => {
        const { conversationId, text } = parse(messageSchema, raw);
        checkMessage(deps.rate, conversationId, text);
        // The turns reach the conversation's room through the service's hook; the sender gets the reply in the ack.
        const { conversation: _stored, ...result } = await deps.conversations.message(workspaceId, conversationId, text);
        return result;
      });
    });
  });

  // Fastify closes the HTTP server itself; here the sockets are told to go so that close is not held up.
  app.addHook('preClose', async () => { io.disconnectSockets(true); });
  return io;
}

/** Replays events after `afterOffset`, then streams new ones; returns the unsubscribe. */
async function follow(app: FastifyInstance, socket: Socket, workspaceId: string, executionId: string, afterOffset: number): Promise<() => void> {
  let sent = afterOffset;
  const buffered: StoredEvent[] = [];
  let replaying = true;
  const emit = (event: StoredEvent) => {
    if (event.offset <= sent) return;
    sent = event.offset;
    socket.emit('execution.event', event);
  };
  // Listen first, so an event committed during the replay is buffered rather than lost.
  const unsubscribe = app.engine.bus.subscribe(executionId, (event) => (replaying ? buffered.push(event) : emit(event)));
  try {
    for (let page = await app.engine.service.events(workspaceId, executionId, sent, 0); page.length > 0; page = await app.engine.service.events(workspaceId, executionId, sent, 0)) {
      page.forEach(emit);
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }
  replaying = false;
  buffered.sort((a, b) => a.offset - b.offset).forEach(emit);
  return unsubscribe;
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new DuetError('validation_failed', result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
  return result.data;
}

/** Acks with `{ok, ...}` or `{error: {code, message}}`, like the HTTP envelope. */
async function answer(ack: Ack | undefined, work: () => Promise<unknown>): Promise<void> {
  try {
    const result = await work();
    ack?.(result);
  } catch (error) {
    const known = error instanceof DuetError;
    ack?.({ error: { code: known ? error.code : 'internal', message: known ? error.message : 'something went wrong on our side' } });
  }
}
