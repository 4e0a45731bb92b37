import { EventEmitter } from 'node:events';
import type { StoredEvent } from '../model/events.ts';
import type { BusTransport } from '../queue/bus-transport.ts';

const LOCAL = 'local:*';

/**
 * Announces events after they are committed (never before). Listeners hear events from every process;
 * `subscribeLocal` hears only those committed here, for work that must happen once per event (the chat
 * progress notifier). Without a transport, every event is local.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly closer = new AbortController();
  private readonly stopTransport: () => void;
  /** Aborted when the server shuts down, so waiting readers can answer now. */
  readonly closing: AbortSignal = this.closer.signal;

  constructor(
    private readonly transport?: BusTransport,
    onRemoteNudge: (executionId: string) => void = () => undefined,
  ) {
    this.emitter.setMaxListeners(0);
    this.stopTransport = transport?.listen((events) => this.emit(events), onRemoteNudge) ?? (() => undefined);
  }

  publish(events: StoredEvent[]): void {
    this.emit(events);
    for (const event of events) this.emitter.emit(LOCAL, event);
    this.transport?.publish(events);
  }

  /** Tells the process running an execution (wherever it is) to re-read its row. */
  nudgeElsewhere(executionId: string): void {
    this.transport?.nudge(executionId);
  }

  close(): void {
    this.closer.abort();
    this.stopTransport();
  }

  /** Calls `listener` for each new event of one execution ('*' for all); returns the unsubscribe. */
  subscribe(executionId: string, listener: (event: StoredEvent) => void): () => void {
    this.emitter.on(executionId, listener);
    return () => this.emitter.off(executionId, listener);
  }

  /** Calls `listener` for each event committed by this process. */
  subscribeLocal(listener: (event: StoredEvent) => void): () => void {
    this.emitter.on(LOCAL, listener);
    return () => this.emitter.off(LOCAL, listener);
  }

  private emit(events: StoredEvent[]): void {
    for (const event of events) {
      this.emitter.emit(event.executionId, event);
      this.emitter.emit('*', event);
    }
  }
}
