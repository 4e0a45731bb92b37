import { EventEmitter } from 'node:events';
import type { StoredEvent } from '../model/events.ts';
import type { BusTransport } from '../queue/bus-transport.ts';
import type { ExecutionRow } from '../store/executions.ts';

const LOCAL = 'local:*';

/**
 * Hears one event. `committed` is the execution's row as committed with it, given only in the process that
 * committed it and only when the committer passed it along: a listener that needs the row reads it otherwise.
 */
export type EventListener = (event: StoredEvent, committed?: ExecutionRow) => void;

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

  /** `committed`: the row of the execution these events belong to, as their commit returned it. */
  publish(events: StoredEvent[], committed?: ExecutionRow): void {
    this.emit(events, committed);
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
  subscribe(executionId: string, listener: EventListener): () => void {
    this.emitter.on(executionId, listener);
    return () => this.emitter.off(executionId, listener);
  }

  /** Calls `listener` for each event committed by this process. */
  subscribeLocal(listener: (event: StoredEvent) => void): () => void {
    this.emitter.on(LOCAL, listener);
    return () => this.emitter.off(LOCAL, listener);
  }

  private emit(events: StoredEvent[], committed?: ExecutionRow): void {
    for (const event of events) {
      const row = committed?.id === event.executionId ? committed : undefined;
      this.emitter.emit(event.executionId, event, row);
      this.emitter.emit('*', event, row);
    }
  }
}
