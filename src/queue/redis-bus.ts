import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoredEvent } from '../model/events.ts';
import type { BusTransport } from './bus-transport.ts';

const EVENTS = 'duet:events';
const NUDGES = 'duet:nudges';

/**
 * Events and nudges over Redis pub/sub. Each process skips its own messages (it already emitted them). A
 * message lost while Redis is down costs latency, not data: events are in the database, and readers that
 * follow an execution re-read it (long-poll, socket replay on reconnect, the reconciler).
 */
export function redisBusTransport(
  publisher: Redis,
  subscriber: Redis,
  onError: (error: unknown) => void,
): BusTransport {
  const origin = randomUUID();
  const send = (channel: string, payload: unknown) => {
    publisher.publish(channel, JSON.stringify({ origin, payload })).catch(onError);
  };
  return {
    publish: (events) => send(EVENTS, events),
    nudge: (executionId) => send(NUDGES, executionId),
    listen(onEvents, onNudge) {
      const handle = (channel: string, raw: string) => {
        try {
          const message = JSON.parse(raw) as { origin: string; payload: unknown };
          if (message.origin === origin) return;
          if (channel === NUDGES) onNudge(message.payload as string);
          else onEvents((message.payload as StoredEvent[]).map((e) => ({ ...e, at: new Date(e.at) })));
        } catch (error) {
          onError(error);
        }
      };
      subscriber.on('message', handle);
      // Only once ready: a SUBSCRIBE sent while ioredis still runs its connection checks puts the connection in
      // subscriber mode under them, they fail, and it reconnects without the subscription. After that, ioredis
      // subscribes again by itself on every reconnect.
      const subscribe = () => {
        subscriber.subscribe(EVENTS, NUDGES).catch(onError);
      };
      if (subscriber.status === 'ready') subscribe();
      else subscriber.once('ready', subscribe);
      return () => {
        subscriber.off('message', handle);
        subscriber.unsubscribe(EVENTS, NUDGES).catch(() => undefined);
      };
    },
  };
}
