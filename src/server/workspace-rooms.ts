import type { FastifyInstance } from 'fastify';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { StoredEvent } from '../model/events.ts';
import type { ExecutionOwners } from './execution-owners.ts';
import { DuetError } from '../model/errors.ts';
import { allowed } from './socket-auth.ts';

const workspaceSchema = z.strictObject({ workspaceId: z.string().uuid() });
type Ack = (answer: unknown) => void;

/**
 * The dashboard's live feed: a socket that sends `workspace.subscribe {workspaceId}` joins `workspace:<id>` and
 * receives `execution.event` (with the execution's `workflowId`) for every execution of that workspace. A socket
 * may only follow the workspace it acts in. One '*' listener on the event bus serves every room.
 */
export function attachWorkspaceRooms(app: FastifyInstance, io: Server, owners: ExecutionOwners): void {
  const followed = new Set<string>();
  io.on('connection', (socket: Socket) => {
    socket.on('workspace.subscribe', async (raw: unknown, ack?: Ack) => {
      const parsed = workspaceSchema.safeParse(raw);
      if (!parsed.success) return ack?.({ error: { code: 'validation_failed', message: 'send {workspaceId: uuid}' } });
      const { workspaceId } = parsed.data;
      const identity = await allowed(socket, 'executions.read').catch((error: DuetError) => error);
      if (identity instanceof DuetError) return ack?.({ error: { code: identity.code, message: identity.message } });
      // Like HTTP: a workspace the socket does not act in does not exist for it.
      if (workspaceId !== identity.workspaceId) {
        return ack?.({
          error: {
            code: 'not_found',
            message: `no workspace ${workspaceId} for this connection; connect with auth.workspace set to it`,
          },
        });
      }
      await socket.join(`workspace:${workspaceId}`);
      followed.add(workspaceId);
      ack?.({ ok: true });
    });
    socket.on('workspace.unsubscribe', (raw: unknown) => {
      const id = (raw as { workspaceId?: unknown } | null)?.workspaceId;
      if (typeof id === 'string') void socket.leave(`workspace:${id}`);
    });
  });

  const stop = app.engine.bus.subscribe('*', (event) => {
    void fanOut(event);
  });
  app.addHook('preClose', async () => {
    stop();
  });

  async function fanOut(event: StoredEvent): Promise<void> {
    // No lookup at all while nobody watches a dashboard.
    if (![...followed].some((id) => io.sockets.adapter.rooms.has(`workspace:${id}`))) return;
    try {
      const owner = await owners.of(event.executionId);
      // Every process hears every event (Redis pub/sub in queue mode), so each one tells only its own sockets.
      if (owner)
        io.local
          .to(`workspace:${owner.workspaceId}`)
          .emit('execution.event', { ...event, workflowId: owner.workflowId });
    } catch (error) {
      app.log.error({ err: error, executionId: event.executionId }, 'could not send an event to its workspace room');
    }
  }
}
