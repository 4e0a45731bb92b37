import { EventEmitter } from 'node:events';
import type { StoredEvent } from '../store/executions.ts';

/**
 * Announces events after they are committed (never before). In-process here; the scale-out
 * issue puts Redis pub/sub behind the same two methods.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly closer = new AbortController();
  /** Aborted when the server shuts down, so waiting readers can answer now. */
  readonly closing: AbortSignal = this.closer.signal;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(events: StoredEvent[]): void {
    for (const event of events) {
      this.emitter.emit(event.executionId, event);
      this.emitter.emit('*', event);
    }
  }

  close(): void {
    this.closer.abort();
  }

  /** Calls `listener` for each new event of one execution ('*' for all); returns the unsubscribe. */
  subscribe(executionId: string, listener: (event: StoredEvent) => void): () => void {
    this.emitter.on(executionId, listener);
    return () => this.emitter.off(executionId, listener);
  }
}
