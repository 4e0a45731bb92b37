import type { ExecutionStore } from '../store/executions.ts';
import { everyInterval } from './periodic.ts';

const BATCH = 500;

export interface Holder {
  holds(executionId: string): Promise<boolean>;
  enqueue(executionId: string): void;
}

/**
 * The backstop of queue mode: every `everyMs` it finds executions that need a runner (queued, running, or
 * waiting for a time that has come) and that no queued or active job covers, and dispatches them again. It
 * catches an enqueue lost to a Redis outage, a job dropped after a worker died twice, and a wake-up whose
 * timer lived in a process that is gone. Running it in every process is safe: the job id dedupes.
 */
export function startReconciler(
  store: ExecutionStore,
  queue: Holder,
  everyMs: number,
  report: (redispatched: number) => void,
  fail: (error: unknown) => void,
): () => void {
  return everyInterval(
    everyMs,
    async () => {
      let redispatched = 0;
      for (const id of await store.runnable(BATCH)) {
        if (await queue.holds(id)) continue;
        queue.enqueue(id);
        redispatched++;
      }
      if (redispatched > 0) report(redispatched);
    },
    fail,
  );
}
