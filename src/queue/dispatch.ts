/**
 * How an accepted execution reaches something that runs it. The execution row is committed as
 * `queued` before `enqueue`, and the job id is the execution id, so enqueueing twice is harmless.
 */
export interface Dispatch {
  enqueue(executionId: string): void;
  /** Executions waiting for a free slot (in queue mode, across all workers). */
  depth(): number | Promise<number>;
  /** Executions being run right now. */
  active(): number;
  /** Stops taking new work and resolves when the running ones have returned. */
  close(): Promise<void>;
}

export type ExecutionHandler = (executionId: string) => Promise<void>;
