import type { ExecutionRow } from '../store/executions.ts';
import { TERMINAL, type ExecutionError, type TerminalStatus } from '../model/execution.ts';
import { nowDate } from './clock.ts';
import { announce, type EngineCore } from './runtime.ts';

/**
 * Ends an execution: final status, output or error, metrics, and a nudge to the parent that spawned
 * it (a loop iteration, a branch, a subworkflow), which then collects the result.
 */
/** Returns the execution as it ends up (unchanged when it had already ended). */
export async function finishExecution(
  rt: EngineCore,
  executionId: string,
  status: TerminalStatus,
  output: unknown,
  error: ExecutionError | null,
): Promise<ExecutionRow> {
  let ended = false;
  const { execution, events } = await rt.store.commit(executionId, (row) => {
    // Ending twice (a cancel racing the last step) keeps the first ending.
    if (TERMINAL.has(row.status)) return { events: [] };
    ended = true;
    return {
      execution: {
        status,
        output: output ?? null,
        error: error ?? null,
        waiting: null,
        wakeAt: null,
        finishedAt: nowDate(rt.clock),
      },
      events: [
        status === 'completed'
          ? { type: 'execution.completed', data: { output: output ?? null } }
          : { type: `execution.${status}`, data: { error: error! } },
      ],
    };
  });
  if (!ended) return execution;
  rt.timers.clear(executionId);
  // With the row, so that whoever waits for the end here answers from it without reading it again.
  announce(rt, events, execution);
  rt.nudge(executionId);
  // Loop iterations and branches are parts of one execution; only whole executions are counted.
  if (!execution.scope) {
    rt.metrics.executions.inc({ status, mode: execution.mode });
    if (execution.startedAt)
      rt.metrics.duration.observe({ status }, (rt.clock.now() - execution.startedAt.getTime()) / 1000);
    const fields = {
      executionId,
      workspaceId: execution.workspaceId,
      workflowId: execution.workflowId,
      version: execution.version,
      status,
      mode: execution.mode,
      durationMs: execution.startedAt ? rt.clock.now() - execution.startedAt.getTime() : null,
    };
    if (status === 'completed' || status === 'cancelled') rt.log.info(fields, 'execution ended');
    else rt.log.warn({ ...fields, error: error?.code ?? null }, 'execution ended');
  }
  if (status !== 'completed')
    await cancelChildren(rt, executionId, `the parent execution ${status === 'timed_out' ? 'timed out' : status}`);
  if (execution.parentExecutionId) rt.dispatch.enqueue(execution.parentExecutionId);
  return execution;
}

/** Cancels an execution that has not ended, and everything it spawned. */
export async function cancelTree(rt: EngineCore, executionId: string, reason: string): Promise<void> {
  await finishExecution(rt, executionId, 'cancelled', null, { code: 'cancelled', message: reason });
}

async function cancelChildren(rt: EngineCore, executionId: string, reason: string): Promise<void> {
  for (const child of await rt.store.childrenOf(executionId)) {
    if (!TERMINAL.has(child.status)) await cancelTree(rt, child.id, reason);
  }
}
