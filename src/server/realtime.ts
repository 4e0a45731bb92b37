import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { z } from 'zod';
import type { ConversationService } from '../conversation/manager.ts';
import { DuetError } from '../model/errors.ts';
import type { StoredEvent } from '../model/events.ts';
import type { RateLimiter } from './rate-window.ts';
import { checkMessage } from './routes/conversations.ts';
import type { Authenticator } from '../auth/principal.ts';
import { can } from '../model/roles.ts';
import { outcomeOf, type AuditEntry } from '../store/audit.ts';
import { actorOf } from './plugins/audit.ts';
import { admitSockets, allowed, type SocketIdentity } from './socket-auth.ts';
import { corsOriginCheck } from './plugins/cors.ts';
import { findUnsafeText, unsafeTextMessage } from './unsafe-text.ts';

const subscribeSchema = z.strictObject({
  executionId: z.string().uuid(),
  afterOffset: z.number().int().min(0).default(0),
});
const messageSchema = z.strictObject({ conversationId: z.string().uuid(), text: z.string().trim().min(1) });
const conversationSchema = z.strictObject({ conversationId: z.string().uuid() });
const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** The largest message a client may send: a chat message is at most 1000 characters, subscriptions are tiny. */
const MAX_MESSAGE_BYTES = 64 * 1024;

type Ack = (answer: unknown) => void;

/**
 * socket.io at /socket.io. A client subscribes to an execution with the last offset it has seen and gets
 * every later event from the database, then live ones, in order and once (a per-socket high-water mark
 * drops what the replay already sent). Conversations can be driven over the socket too.
 */
export function attachRealtime(
  app: FastifyInstance,
  deps: {
    conversations: ConversationService;
    rate: RateLimiter;
    maxConnections: number;
    authenticator: Authenticator;
    trustedOrigins: string[];
    /** CORS_ORIGINS: the browser pages elsewhere that may open a socket (long-polling needs CORS headers). */
    corsOrigins: string[];
    audit: (entry: AuditEntry) => Promise<void>;
    adapter?: ServerOptions['adapter'];
  },
) {
  // In queue mode the Redis adapter carries room broadcasts (conversation turns) to every instance.
  const io = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    cors: { origin: corsOriginCheck(deps.corsOrigins), credentials: true },
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });
  const stopRechecks = admitSockets(io, deps.authenticator, deps.trustedOrigins);
  const rooms = new ExecutionRooms(app, io);
  const connections = new Gauge({
    name: 'websocket_connections_active',
    help: 'Open socket.io connections',
    registers: [app.metrics],
  });

  io.on('connection', (socket) => {
    if (io.engine.clientsCount > deps.maxConnections) {
      socket.emit('error', {
        code: 'rate_limited',
        message: `the server holds at most ${deps.maxConnections} connections (WS_MAX_CONNECTIONS)`,
      });
      socket.disconnect(true);
      return;
    }
    connections.inc();
    refuseUnsafeText(socket);
    const stops = new Map<string, () => void>();
    socket.on('disconnect', () => {
      connections.dec();
      for (const stop of stops.values()) stop();
    });

    socket.on('execution.subscribe', async (raw: unknown, ack?: Ack) => {
      await answer(ack, async () => {
        const { workspaceId } = await allowed(socket, 'executions.read');
        const { executionId, afterOffset } = parse(subscribeSchema, raw);
        if (!stops.has(executionId) && stops.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          throw new DuetError(
            'rate_limited',
            `a connection follows at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} executions`,
          );
        }
        stops.get(executionId)?.();
        stops.set(executionId, await rooms.follow(socket, workspaceId, executionId, afterOffset));
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
        const { workspaceId } = await allowed(socket, 'conversations.use');
        const { conversationId } = parse(conversationSchema, raw);
        await deps.conversations.get(workspaceId, conversationId);
        await socket.join(`conversation:${conversationId}`);
        return { ok: true };
      });
    });

    socket.on('conversation.message', async (raw: unknown, ack?: Ack) => {
      let conversationId: string | null = null;
      const status = await answer(ack, async () => {
        const { workspaceId, role } = await allowed(socket, 'conversations.use');
        const message = parse(messageSchema, raw);
        conversationId = message.conversationId;
        await checkMessage(deps.rate, message.conversationId, message.text);
        // The turns reach the conversation's room through the service's hook; the sender gets the reply in the ack.
        const { conversation: _stored, ...result } = await deps.conversations.message(
          workspaceId,
          message.conversationId,
          message.text,
          (p) => can(role, p),
        );
        return result;
      });
      const identity = socket.data.identity as SocketIdentity;
      await deps.audit({
        workspaceId: identity.workspaceId,
        ...actorOf(identity.principal),
        action: 'socket conversation.message',
        resourceType: 'conversations',
        resourceId: conversationId,
        ip: socket.handshake.address,
        outcome: outcomeOf(status),
        statusCode: status,
      });
    });
  });

  // Fastify closes the HTTP server itself; here the sockets are told to go so that close is not held up.
  app.addHook('preClose', async () => {
    stopRechecks();
    io.disconnectSockets(true);
  });
  return io;
}

/**
 * Live events of an execution go to its room, encoded once however many sockets follow it. One bus
 * subscription per followed execution, dropped when its room empties.
 */
class ExecutionRooms {
  private readonly forwarders = new Map<string, () => void>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly io: Server,
  ) {}

  /** Replays events after `afterOffset` to this socket, then puts it in the room; returns the unsubscribe. */
  async follow(socket: Socket, workspaceId: string, executionId: string, afterOffset: number): Promise<() => void> {
    const { engine } = this.app;
    let sent = afterOffset;
    const emit = (event: StoredEvent) => {
      if (event.offset <= sent) return;
      sent = event.offset;
      socket.emit('execution.event', event);
    };
    // Listen first, so an event committed during the replay is buffered rather than lost.
    const buffered: StoredEvent[] = [];
    const unbuffer = engine.bus.subscribe(executionId, (event) => buffered.push(event));
    try {
      for (
        let page = await engine.service.events(workspaceId, executionId, sent, 0);
        page.length > 0;
        page = await engine.service.events(workspaceId, executionId, sent, 0)
      ) {
        page.forEach(emit);
      }
    } catch (error) {
      unbuffer();
      throw error;
    }
    // Going live happens in one synchronous stretch (the in-memory adapter joins synchronously): every event
    // is either in the buffer or reaches the room after the join, never both and never neither.
    const room = `execution:${executionId}`;
    void socket.join(room);
    unbuffer();
    buffered.sort((a, b) => a.offset - b.offset).forEach(emit);
    if (!this.forwarders.has(executionId)) {
      // Local only: every instance hears every event on its bus, so a cluster-wide broadcast would repeat it.
      this.forwarders.set(
        executionId,
        engine.bus.subscribe(executionId, (event) => {
          this.io.local.to(room).emit('execution.event', event);
        }),
      );
    }
    return () => {
      void socket.leave(room);
      this.release(executionId);
    };
  }

  /** Drops the bus subscription of an execution nobody follows any more. */
  release(executionId: string): void {
    if ((this.io.of('/').adapter.rooms.get(`execution:${executionId}`)?.size ?? 0) > 0) return;
    this.forwarders.get(executionId)?.();
    this.forwarders.delete(executionId);
  }
}

/**
 * Every event's payload is checked before any handler (here or in workspace-rooms) sees it: one with a NUL or a
 * lone surrogate is answered with a validation error on its ack and goes no further.
 */
function refuseUnsafeText(socket: Socket): void {
  socket.use((packet, next) => {
    const [event, ...args] = packet;
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const found = findUnsafeText([event, ...args]);
    if (!found) return next();
    const where = found.path.startsWith('[0]') ? 'event name' : 'payload';
    const path = found.path.replace(/^\[\d+\]\.?/, '');
    ack?.({ error: { code: 'validation_failed', message: unsafeTextMessage(where, { ...found, path }) } });
  });
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new DuetError(
      'validation_failed',
      result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '),
    );
  return result.data;
}

/** Acks with `{ok, ...}` or `{error: {code, message}}`, like the HTTP envelope; gives the matching HTTP status. */
async function answer(ack: Ack | undefined, work: () => Promise<unknown>): Promise<number> {
  try {
    const result = await work();
    ack?.(result);
    return 200;
  } catch (error) {
    const known = error instanceof DuetError;
    ack?.({
      error: {
        code: known ? error.code : 'internal',
        message: known ? error.message : 'something went wrong on our side',
      },
    });
    return known ? error.status : 500;
  }
}
