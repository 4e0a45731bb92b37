import type { StoredEvent } from '../model/events.ts';

/** Carries committed events and nudges between processes (Redis pub/sub in queue mode). */
export interface BusTransport {
  publish(events: StoredEvent[]): void;
  nudge(executionId: string): void;
  /** Starts delivering what other processes publish; returns the stop function. */
  listen(onEvents: (events: StoredEvent[]) => void, onNudge: (executionId: string) => void): () => void;
}
