import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import type { LiveTurns } from '../conversation/live-turns.ts';

/** Sends live turns to their conversation's room: `conversation.turn` to every socket that follows it. */
export function sendTurnsToRooms(io: Server, turns: LiveTurns): () => void {
  return turns.connect((turn) => io.to(`conversation:${turn.conversationId}`).emit('conversation.turn', turn));
}

/**
 * Queue mode: room broadcasts reach the sockets of every instance through Redis. The adapter needs a subscribed
 * connection of its own; `close` drops it.
 */
export function redisRoomsAdapter(queue: { redis: Redis; subscriber: Redis }): {
  adapter: NonNullable<ServerOptions['adapter']>;
  close(): void;
} {
  const subscriber = queue.subscriber.duplicate();
  return { adapter: createAdapter(queue.redis, subscriber), close: () => subscriber.disconnect() };
}

/**
 * A worker without HTTP holds no sockets, yet it stores the progress lines of the runs it holds: they reach the
 * servers' sockets through a socket.io server attached to nothing, broadcasting over the Redis adapter.
 * Returns the stop.
 */
export function broadcastTurns(queue: { redis: Redis; subscriber: Redis }, turns: LiveTurns): () => void {
  const rooms = redisRoomsAdapter(queue);
  const disconnect = sendTurnsToRooms(new Server({ adapter: rooms.adapter }), turns);
  return () => {
    disconnect();
    rooms.close();
  };
}
