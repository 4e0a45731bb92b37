import { announce, type EngineRuntime } from './runtime.ts';

/**
 * Ends an execution: final status, output or error, metrics, and a nudge to the parent that spawned
 * it (a loop iteration, a branch, a subworkflow), which then collects the result.
 */
export async function finishExecution(rt: EngineRuntime, executionId: string, status: 'completed' | 'failed' | 'timed_out' | 'cancelled', output: unknown, error: unknown): Promise<void> {
  const { execution, events } = await rt.store.commit(executionId, {
    execution: { status, output: output ?? null, error: error ?? null, waiting: null, wakeAt: null, finishedAt: new Date() },
    events: [{ type: `execution.${status}`, data: status === 'completed' ? { output: output ?? null } : { error } }],
  });
  rt.timers.clear(executionId);
  announce(rt, events);
  rt.metrics.executions.inc({ status, mode: execution.mode });
  if (execution.startedAt) rt.metrics.duration.observe({ status }, (Date.now() - execution.startedAt.getTime()) / 1000);
  if (execution.parentExecutionId) rt.dispatch.enqueue(execution.parentExecutionId);
}
